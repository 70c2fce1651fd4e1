# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The spark_memory test: a memory setting the roles can write into a unit as is,
read by the same parser as the spark_memory_mb filter and wait_for_workers."""

from __future__ import annotations

from ansible_collections.picluster.spark.plugins.module_utils.spark_memory import is_written_notation


class TestModule:
    """Tests on Spark settings."""

    def tests(self):
        return {"spark_memory": is_written_notation}
