# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Filters of the pi_base role's pre-flight. The decisions live in module_utils/pi_base.py,
beside what the pi_base_probe module reads on the node."""

from __future__ import annotations

from ansible_collections.picluster.spark.plugins.module_utils.pi_base import wifi_link_problems


class FilterModule:
    """Filters of the pi_base role."""

    def filters(self):
        return {"pi_base_wifi_problems": wifi_link_problems}
