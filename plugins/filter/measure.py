# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""playbooks/measure.yml's plan, rows and table (plugins/module_utils/measure.py).

Plain functions, so tests/unit can call them without a play.
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.picluster.spark.plugins.module_utils import measure


def measure_plan(path, nfs_path="", nfs=False, source=""):
    """The measurements for this cluster and the job playbooks' inputs."""
    return measure.plan(path, nfs_path, bool(nfs), source)


def measure_rows(plan, line_counts, group_trips_done, node_bytes, share_bytes=None):
    """One row per planned measurement; a clear error when a job's result is missing."""
    try:
        return measure.rows(plan, line_counts, group_trips_done, node_bytes, share_bytes)
    except ValueError as error:
        raise AnsibleFilterError(f"measure_rows: {error}") from error


def measure_table(rows):
    """The rows as fixed-width lines."""
    return measure.table(rows)


class FilterModule:
    """The measurements' plan, rows and table."""

    def filters(self):
        return {"measure_plan": measure_plan, "measure_rows": measure_rows, "measure_table": measure_table}
