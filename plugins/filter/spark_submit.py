# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Spark properties as spark-submit arguments, and the records a job prints.

Plain functions, so tests/unit can call them without a play.
"""

from __future__ import annotations

import json


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


def spark_job_records(lines, marker):
    """The JSON records a job printed on lines that start with `marker`, in order.

    The job playbooks' scripts print one record a line after a marker word and a
    space (`LINE_COUNT {...}`); the rest of stdout is Spark's own.
    """
    return [json.loads(line[len(marker) :]) for line in lines if line.startswith(marker)]


class FilterModule:
    """spark-submit's --conf arguments, and what a submitted job printed."""

    def filters(self):
        return {"spark_conf_args": spark_conf_args, "spark_job_records": spark_job_records}
