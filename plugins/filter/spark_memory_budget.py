# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The spark_memory_budget filter: a worker node's memory budget, from module_utils."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.picluster.spark.plugins.module_utils.spark_memory_budget import (
    MemoryBudgetError,
    memory_budget,
)


def spark_memory_budget(ram_mb, cores, host="", overrides=None):
    """Share ``ram_mb`` of a node with ``cores`` CPUs out between the OS, the worker
    daemon, its executors and Python; see docs/memory.md."""
    try:
        return memory_budget(ram_mb, cores, host=host, overrides=overrides)
    except MemoryBudgetError as exc:
        where = f" ({host})" if host else ""
        raise AnsibleFilterError(f"spark_memory_budget{where}: {exc}") from None


class FilterModule:
    def filters(self):
        return {"spark_memory_budget": spark_memory_budget}
