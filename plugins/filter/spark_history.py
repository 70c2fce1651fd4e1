# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The spark_history role's checks: what is wrong with its inputs, as sentences.

The role's pre-flight fails on any of them before a node changes. A plain function,
so tests/unit can call it without a play.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.picluster.spark.plugins.module_utils.system_paths import SYSTEM_DIRS, system_tree_of
from ansible_collections.picluster.spark.plugins.module_utils.whole_number import whole_number

# A path that goes into a unit, a properties file and a file: URI as it is:
# nothing to quote or escape.
_PATH = re.compile(r"/[A-Za-z0-9._/-]+")
# Spark's time strings (JavaUtils.timeStringAs); a suffix is required here, since
# a bare number means seconds to one property and milliseconds to another.
_DURATION = re.compile(r"([0-9]+)(ms|s|m|min|h|d)")
# A service that runs as the Spark account cannot bind below 1024.
_PORT_MIN = 1024


def _duration(value):
    """True when ``value`` is a positive Spark time string with its unit (14d, 10s, 12h)."""
    match = _DURATION.fullmatch(value) if isinstance(value, str) else None
    return bool(match) and int(match.group(1)) > 0


def _path_problems(value):
    if not (isinstance(value, str) and _PATH.fullmatch(value)) or "/../" in f"{value}/" or "//" in value:
        return [
            f"spark_history_events_dir {value!r} must be an absolute path of letters, digits, "
            "'.', '_', '-' and '/' (no '..')"
        ]
    path = value.rstrip("/") or "/"
    tree = system_tree_of(path)
    if tree is not None or path in SYSTEM_DIRS:
        # The role gives the directory to the Spark account, and the teardown may remove it.
        return [
            f"spark_history_events_dir {value!r} is a system directory"
            + (f" (inside {tree})" if tree is not None and tree != path else "")
            + "; use a directory of its own, such as /var/lib/spark/events"
        ]
    return []


def _bind_problems(value):
    try:
        address = ipaddress.ip_address(value) if isinstance(value, str) else None
    except ValueError:
        address = None
    if address is None:
        return [
            f"spark_history_bind_address {value!r} must be the master's cluster address "
            "(one IPv4 or IPv6 address)"
        ]
    if address.is_loopback or address.is_unspecified:
        return [
            f"spark_history_bind_address {value} would listen on loopback or on every interface; "
            "use the master's cluster address"
        ]
    return []


def history_problems(inputs):
    """What is wrong with the history server's inputs, as sentences (empty when usable).

    ``inputs`` has the role's inputs without their prefix: ui_port, events_dir, max_age,
    max_num, update_interval, bind_address, and taken_ports ([{name, port, last}] that
    other Spark services use on the same node; the UI port must be outside them).
    """
    problems = []
    port = whole_number(inputs.get("ui_port"))
    if port is None or not _PORT_MIN <= port <= 65535:
        problems.append(
            f"spark_history_ui_port {inputs.get('ui_port')!r} must be a port within {_PORT_MIN}-65535 "
            "(the server runs as the Spark account)"
        )
    else:
        for taken in inputs.get("taken_ports") or []:
            first, last = whole_number(taken.get("port")), whole_number(taken.get("last", taken.get("port")))
            if first is not None and last is not None and first <= port <= last:
                problems.append(
                    f"spark_history_ui_port {port} is taken by {taken.get('name')} ({first}-{last}); "
                    "pick another"
                )
    problems += _path_problems(inputs.get("events_dir"))
    for name in ("max_age", "update_interval"):
        value = inputs.get(name)
        if not _duration(value):
            problems.append(
                f"spark_history_{name} {value!r} must be a positive number with a unit: "
                "ms, s, m or min, h, d (14d, 10s)"
            )
    max_num = whole_number(inputs.get("max_num"))
    if max_num is None or max_num < 1:
        problems.append(f"spark_history_max_num {inputs.get('max_num')!r} must be a whole number, 1 or more")
    problems += _bind_problems(inputs.get("bind_address"))
    return problems


class FilterModule:
    """The history server's checks."""

    def filters(self):
        return {"spark_history_problems": history_problems}
