# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Filters of a worker node's memory budget, from module_utils: spark_memory_budget (from a size
and a CPU count) and spark_worker_budget (from the spark_worker role's inputs and facts)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.picluster.spark.plugins.module_utils.spark_memory_budget import (
    WORKER_INPUTS,
    MemoryBudgetError,
    memory_budget,
    worker_budget,
)


def spark_memory_budget(ram_mb, cores, host="", overrides=None):
    """Share ``ram_mb`` of a node with ``cores`` CPUs out between the OS, the worker
    daemon, its executors and Python; see docs/memory.md."""
    try:
        return memory_budget(ram_mb, cores, host=host, overrides=overrides)
    except MemoryBudgetError as exc:
        where = f" ({host})" if host else ""
        raise AnsibleFilterError(f"spark_memory_budget{where}: {exc}") from None


def spark_worker_budget(inputs, host=""):
    """The budget of one worker from the spark_worker role's inputs (WORKER_INPUTS and
    ansible_facts); the role and the cluster's totals both size a worker with it."""
    try:
        return worker_budget(inputs, host=host)
    except MemoryBudgetError as exc:
        raise AnsibleFilterError(f"spark_worker_budget: {exc}") from None


def worker_inputs(hostvars, host):
    """A worker's sizing inputs as its host vars hold them (role defaults where unset)."""
    view = hostvars.get(host) or {}
    inputs = {name: view[name] for name in WORKER_INPUTS if name in view}
    inputs["ansible_facts"] = view.get("ansible_facts") or {}
    return inputs


class FilterModule:
    def filters(self):
        return {"spark_memory_budget": spark_memory_budget, "spark_worker_budget": spark_worker_budget}
