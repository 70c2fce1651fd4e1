# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The ipv4_address test: one IPv4 address, read by Python's ipaddress."""

from __future__ import annotations

from ansible_collections.picluster.spark.plugins.module_utils.network import is_ipv4_address


class TestModule:
    """Tests on network addresses."""

    def tests(self):
        return {"ipv4_address": is_ipv4_address}
