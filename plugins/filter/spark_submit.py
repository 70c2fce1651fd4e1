# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Spark properties as spark-submit arguments.

A plain function, so tests/unit can call it without a play.
"""

from __future__ import annotations


def spark_conf_args(properties):
    """['--conf', 'name=value', ...] for a dict of Spark properties, sorted by name.

    Each pair is one argv element, so a value with spaces or `%` stays whole
    (the command runs without a shell). Booleans are written as Spark reads them.
    """
    args = []
    for name in sorted(properties):
        value = properties[name]
        if isinstance(value, bool):
            value = "true" if value else "false"
        if not str(name).strip() or any(c.isspace() for c in str(name)):
            raise ValueError(f"spark_conf_args: {name!r} is not a Spark property name")
        args += ["--conf", f"{name}={value}"]
    return args


class FilterModule:
    """spark-submit's --conf arguments."""

    def filters(self):
        return {"spark_conf_args": spark_conf_args}
