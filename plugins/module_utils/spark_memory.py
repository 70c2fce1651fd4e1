# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Spark memory notation ("4g", "512m", 1024) to whole MiB, shared by the
spark_memory_mb filter and the wait_for_workers module so "4g" means one
thing everywhere."""

from __future__ import annotations

import re

# Spark's byte-string suffixes (JavaUtils.byteStringAs), binary multiples.
_FACTORS = {
    "b": 1,
    "k": 1024,
    "kb": 1024,
    "m": 1024**2,
    "mb": 1024**2,
    "g": 1024**3,
    "gb": 1024**3,
    "t": 1024**4,
    "tb": 1024**4,
    "p": 1024**5,
    "pb": 1024**5,
}
_NOTATION = re.compile(r"^([0-9]+)\s*([a-z]*)$")
_HINT = "use a whole number of MB or Spark notation such as 512m, 4g, 1t"


class SparkMemoryError(ValueError):
    """The value is not a memory size in Spark notation."""


def parse_memory_mb(value):
    """Return ``value`` as a whole number of MiB.

    A number (int, or a string of digits) is taken as MB already; a string with
    a unit suffix (b, k/kb, m/mb, g/gb, t/tb, p/pb, any case) is converted the
    way Spark converts a worker's memory: binary units, rounded down to whole
    MiB. Fractions ("1.5g") are refused, as Spark refuses them.
    """
    if isinstance(value, bool):
        raise SparkMemoryError(f"memory size {value!r} is a boolean: {_HINT}")
    if isinstance(value, int):
        mb = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise SparkMemoryError(f"memory size {value!r} is not a whole number of MB: {_HINT}")
        mb = int(value)
    elif isinstance(value, str):
        match = _NOTATION.match(value.strip().lower())
        if not match or match.group(2) not in ("", *_FACTORS):
            raise SparkMemoryError(f"cannot read memory size {value!r}: {_HINT}")
        number, unit = int(match.group(1)), match.group(2)
        mb = number if unit == "" else number * _FACTORS[unit] // 1024**2
    else:
        raise SparkMemoryError(f"memory size {value!r} is a {type(value).__name__}: {_HINT}")
    if mb < 0:
        raise SparkMemoryError(f"memory size {value!r} is negative: {_HINT}")
    return mb


def is_written_notation(value):
    """True when ``value`` can be written as is where Spark reads a memory size.

    The roles put their memory settings verbatim into a systemd unit (--memory,
    SPARK_DAEMON_MEMORY), so on top of what parse_memory_mb reads, the value must
    be a whole number or a string without whitespace: no float (2048.0 is not
    Spark notation) and no spaces or newline around or inside.
    """
    if isinstance(value, (bool, float)):
        return False
    if isinstance(value, str) and (not value or any(c.isspace() for c in value)):
        return False
    try:
        parse_memory_mb(value)
    except SparkMemoryError:
        return False
    return True
