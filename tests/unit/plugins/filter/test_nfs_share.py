"""Unit tests of the nfs_share filters and the ipv4_address test."""

import pytest
from ansible_collections.picluster.spark.plugins.filter import nfs_share
from ansible_collections.picluster.spark.plugins.test import network as network_tests


def test_filters_are_registered_under_their_documented_names():
    assert set(nfs_share.FilterModule().filters()) == {
        "nfs_share_path_problems",
        "nfs_share_network_problems",
        "nfs_share_default_networks",
        "nfs_share_server_exports",
        "nfs_share_views",
        "nfs_share_uids",
    }
    assert set(network_tests.TestModule().tests()) == {"ipv4_address"}


NO_PROBLEMS = {"malformed": [], "system": [], "twice": [], "nested": []}


@pytest.mark.parametrize(
    "paths",
    [["/srv/spark-share"], ["/srv/a", "/srv/ab"], ["/data/x_1", "/data/v1.2-x/y"], ["/var/lib/data"]],
)
def test_sound_paths_have_no_problems(paths):
    assert nfs_share.path_problems(paths) == NO_PROBLEMS


@pytest.mark.parametrize(
    "path",
    [
        "srv/spark-share",
        "/srv/",
        "/srv//x",
        "/srv/./x",
        "/srv/../etc",
        "/srv/a b",
        "/srv/.hidden",
        "/",
        "",
        "/srv/x\n",
        7,
    ],
)
def test_malformed_paths(path):
    assert nfs_share.path_problems([path])["malformed"] == [path]


@pytest.mark.parametrize(
    ("paths", "system"),
    [
        (["/etc"], ["/etc"]),
        (["/etc/exports.d/x"], ["/etc/exports.d/x"]),
        (["/srv"], ["/srv"]),
        (["/var/lib"], ["/var/lib"]),
        (["/var/lib/nfs/x"], ["/var/lib/nfs/x"]),
        (["/etc/", "/srv/x"], ["/etc/"]),  # malformed too, but still named as a system path
        (["/usr", "/usr"], ["/usr"]),  # named once
        # Refused since the list is shared with data_sync.
        (["/opt/spark"], ["/opt/spark"]),
        (["/var/cache"], ["/var/cache"]),
        (["/etcetera"], []),
        (["/srv/share"], []),
    ],
)
def test_system_paths(paths, system):
    assert nfs_share.path_problems(paths)["system"] == system


def test_paths_listed_twice_are_named_once_in_first_order():
    problems = nfs_share.path_problems(["/srv/b", "/srv/a", "/srv/b", "/srv/a", "/srv/b"])
    assert problems["twice"] == ["/srv/b", "/srv/a"]


def test_nested_paths_name_both_either_order():
    assert nfs_share.path_problems(["/srv/a/x", "/srv/a", "/srv/b"])["nested"] == ["/srv/a/x (inside /srv/a)"]
    assert nfs_share.path_problems(["/srv/a", "/srv/a/x/y"])["nested"] == ["/srv/a/x/y (inside /srv/a)"]


def test_all_problems_at_once():
    assert nfs_share.path_problems(["/etc", "rel", "/srv/a", "/srv/a", "/srv/a/b"]) == {
        "malformed": ["rel"],
        "system": ["/etc"],
        "twice": ["/srv/a"],
        "nested": ["/srv/a/b (inside /srv/a)", "/srv/a/b (inside /srv/a)"],
    }


@pytest.mark.parametrize(
    ("networks", "unparsed", "host_bits_set"),
    [
        (["10.77.0.0/24", "192.168.1.7", "*"], [], []),
        (["10.77.0.0/33"], ["10.77.0.0/33"], []),
        (["10.77.0.5/24"], [], ["10.77.0.5/24"]),
        (["10.77.0.5/24", "bogus", "10.0.0.0/8"], ["bogus"], ["10.77.0.5/24"]),
        (["10.0.0.0/255.0.0.0"], ["10.0.0.0/255.0.0.0"], []),
        ([], [], []),
    ],
)
def test_network_problems(networks, unparsed, host_bits_set):
    assert nfs_share.network_problems(networks) == {"unparsed": unparsed, "host_bits_set": host_bits_set}


def test_network_problems_read_numbers_as_text():
    assert nfs_share.network_problems([10]) == {"unparsed": ["10"], "host_bits_set": []}


def test_server_exports_fill_in_empty_networks_and_options():
    exports = [
        {"path": "/srv/a"},
        {"path": "/srv/b", "networks": ["10.1.0.0/16"], "options": ["ro"], "mount": False},
        {"path": "/srv/c", "networks": [], "options": ""},
    ]
    assert nfs_share.server_exports(exports, ["10.77.0.0/24"], ["rw", "sync"]) == [
        {"path": "/srv/a", "networks": ["10.77.0.0/24"], "options": ["rw", "sync"]},
        {"path": "/srv/b", "networks": ["10.1.0.0/16"], "options": ["ro"]},
        {"path": "/srv/c", "networks": ["10.77.0.0/24"], "options": ["rw", "sync"]},
    ]


def test_server_exports_keep_no_networks_for_the_check_to_catch():
    assert nfs_share.server_exports([{"path": "/srv/a"}], [], ["rw"])[0]["networks"] == []


HOSTVARS = {
    "master": {"__nfs_share_paths": ["/srv/s"], "__nfs_share_server_ip": "10.0.0.1"},
    "w1": {"__nfs_share_paths": ["/srv/s"], "__nfs_share_server_ip": "10.0.0.1", "nfs_share_state": "absent"},
    "w2": {"inventory_hostname": "w2"},  # failed before the path checks
}


def test_views_of_the_hosts_that_ran_the_checks():
    assert nfs_share.views(["master", "w1", "w2"], HOSTVARS, "present") == {
        "master": {"server": "10.0.0.1", "state": "present", "paths": ["/srv/s"]},
        "w1": {"server": "10.0.0.1", "state": "absent", "paths": ["/srv/s"]},
    }


def _entry(owner, uid):
    return {"ansible_facts": {"getent_passwd": {owner: ["x", uid, "1000", "", "/home/x", "/bin/sh"]}}}


def test_uids_of_the_hosts_that_know_the_owner():
    hostvars = {
        "a": {"__nfs_share_owner_entry": _entry("spark", "1001")},
        "b": {"__nfs_share_owner_entry": _entry("spark", "1002")},
        "c": {"__nfs_share_owner_entry": {"ansible_facts": {"getent_passwd": {"spark": None}}}},
        "d": {"__nfs_share_owner_entry": {"skipped": True}},
        "e": {},
    }
    assert nfs_share.uids(list(hostvars), hostvars, "spark") == {"a": "1001", "b": "1002"}


def test_default_networks_are_the_nodes_host_entries():
    nodes = ["10.77.0.10", "10.77.0.11", "fd00::0:12", "10.77.0.11"]
    assert nfs_share.default_networks([], nodes) == {
        "networks": ["10.77.0.10/32", "10.77.0.11/32", "fd00::12/128"],
        "not_addresses": [],
    }


def test_allowed_networks_override_the_nodes():
    # The client addresses are not read then, not even a name among them.
    assert nfs_share.default_networks(["10.77.0.0/24"], ["10.77.0.10", "pi1.local"]) == {
        "networks": ["10.77.0.0/24"],
        "not_addresses": [],
    }


@pytest.mark.parametrize(
    "address",
    ["pi1.local", "10.77.0.0/24", "10.77.0.11/32", "*", "", "fe80::1%eth0", "010.77.0.11", "10.77.0.11 "],
)
def test_a_client_that_is_not_one_address_is_named_and_left_out(address):
    assert nfs_share.default_networks([], ["10.77.0.10", address, address]) == {
        "networks": ["10.77.0.10/32"],
        "not_addresses": [address],
    }


def test_no_nodes_and_no_networks_leave_no_one_to_serve():
    default = nfs_share.default_networks([], [])
    assert default == {"networks": [], "not_addresses": []}
    assert nfs_share.server_exports([{"path": "/srv/a"}], default["networks"], ["rw"])[0]["networks"] == []
