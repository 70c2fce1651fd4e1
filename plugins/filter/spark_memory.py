# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The spark_memory_mb filter: Spark memory notation to MB, the module's own parser."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.picluster.spark.plugins.module_utils.spark_memory import (
    SparkMemoryError,
    parse_memory_mb,
)


def spark_memory_mb(value):
    """Return ``value`` ("4g", "512m", 1024) as a whole number of MB."""
    try:
        return parse_memory_mb(value)
    except SparkMemoryError as exc:
        raise AnsibleFilterError(f"spark_memory_mb: {exc}") from None


class FilterModule:
    def filters(self):
        return {"spark_memory_mb": spark_memory_mb}
