"""The pi_base filters: registered by their documented names, deciding in module_utils/pi_base.py."""

from ansible_collections.picluster.spark.plugins.filter import pi_base as pi_base_filter


def test_filters_are_registered_under_their_documented_names():
    filters = pi_base_filter.FilterModule().filters()
    assert set(filters) == {"pi_base_wifi_problems"}
    facts = {"interfaces": ["wlan0"], "wlan0": {"device": "wlan0", "ipv4": {"address": "192.168.1.20"}}}
    assert filters["pi_base_wifi_problems"](facts, ["wlan0"], "192.168.1.20", "") == [
        "Ansible reaches it at 192.168.1.20, on wlan0"
    ]
