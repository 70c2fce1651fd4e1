"""Unit tests of what pi_base decides from a node's state."""

import os

import pytest
from ansible_collections.picluster.spark.plugins.module_utils import pi_base


@pytest.mark.parametrize(
    ("by_name", "by_id", "expected"),
    [
        (None, None, []),
        (750, "spark", []),
        (750, None, ["user spark exists with uid 750, not 1000"]),
        (None, "pi", ["uid 1000 belongs to pi"]),
        (750, "pi", ["user spark exists with uid 750, not 1000", "uid 1000 belongs to pi"]),
    ],
)
def test_user_id_problems(by_name, by_id, expected):
    wanted = 750 if by_id == "spark" else 1000
    assert pi_base.id_problems("user", "spark", wanted, by_name, by_id) == expected


def test_group_problems_speak_of_gids():
    assert pi_base.id_problems("group", "spark", 750, 999, "staff") == [
        "group spark exists with gid 999, not 750",
        "gid 750 belongs to staff",
    ]


def _lists(tmp_path, names, mtime):
    for name in names:
        path = tmp_path / name
        path.write_text("Package: x\n")
        os.utime(path, (mtime, mtime))


def test_an_emptied_index_needs_a_refresh_however_young_its_directory(tmp_path):
    (tmp_path / "lock").write_text("")
    (tmp_path / "partial").mkdir()
    state = pi_base.apt_index(str(tmp_path), 3600, now=os.stat(tmp_path).st_mtime)
    assert state == {"lists": 0, "age_seconds": None, "refresh": True, "reason": "the package index is empty"}


def test_a_missing_lists_directory_counts_as_empty(tmp_path):
    assert pi_base.apt_index(str(tmp_path / "nope"), 3600, now=0)["refresh"] is True


def test_a_young_index_is_kept(tmp_path):
    _lists(tmp_path, ["deb.debian.org_debian_dists_bookworm_main_binary-arm64_Packages"], 10_000)
    assert pi_base.apt_index(str(tmp_path), 3600, now=10_000 + 3600) == {
        "lists": 1,
        "age_seconds": 3600,
        "refresh": False,
        "reason": None,
    }


def test_an_old_index_is_refreshed_and_the_newest_list_decides(tmp_path):
    _lists(tmp_path, ["a_main_binary-armhf_Packages"], 1_000)
    _lists(tmp_path, ["b_main_binary-armhf_Packages.lz4"], 5_000)
    _lists(tmp_path, ["b_InRelease"], 9_999)
    state = pi_base.apt_index(str(tmp_path), 3600, now=9_000)
    assert state["lists"] == 2
    assert state["age_seconds"] == 4_000
    assert state["refresh"] is True
    assert state["reason"] == "the package index is 4000 s old (more than 3600 s)"


def _fake_crypt(password, field):
    # Stands in for crypt(3): "hash" is the salt plus the reversed password.
    salt = field.rsplit(b"$", 1)[0]
    return salt + b"$" + password[::-1]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (None, "absent"),
        (b"", "locked"),
        (b"!", "locked"),
        (b"*", "locked"),
        (b"!$y$j9T$salt$yrrebpsar", "locked"),
        (b"$y$j9T$salt$yrrebpsar", "default"),
        (b"$y$j9T$salt$terces", "other"),
    ],
)
def test_password_state(field, expected):
    assert pi_base.password_state(field, _fake_crypt) == expected


def test_password_state_without_crypt_is_unknown():
    assert pi_base.password_state(b"$6$salt$hash", None) == "unknown"


def test_the_real_crypt_recognises_the_default_password():
    crypt = pi_base.load_crypt()
    if crypt is None:
        pytest.fail("no libcrypt on this machine: Debian always has libcrypt1")
    field = crypt(b"raspberry", b"$6$saltsalt$")
    assert pi_base.password_state(field, crypt) == "default"
    assert pi_base.password_state(crypt(b"other", b"$6$saltsalt$"), crypt) == "other"


def test_read_shadow(tmp_path):
    shadow = tmp_path / "shadow"
    shadow.write_bytes(b"root:*:19000:0:99999:7:::\npi:$y$j9T$s$h:19000::::::\nbroken\n")
    assert pi_base.read_shadow(str(shadow)) == {"root": b"*", "pi": b"$y$j9T$s$h"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"Raspberry Pi 3 Model B Rev 1.2\x00", ("Raspberry Pi 3 Model B Rev 1.2", True)),
        (b"Raspberry Pi 4 Model B Rev 1.4", ("Raspberry Pi 4 Model B Rev 1.4", True)),
        (b"Pine64 RockPro64\x00", ("Pine64 RockPro64", False)),
        (b"", ("", False)),
    ],
)
def test_board_model(raw, expected):
    assert pi_base.board_model(raw) == expected


# --- Wi-Fi: would switching it off cut the node off? --------------------------------

FACTS = {
    "interfaces": ["lo", "eth0", "wlan0", "br-lan.1"],
    "lo": {"device": "lo", "ipv4": {"address": "127.0.0.1"}},
    "eth0": {
        "device": "eth0",
        "ipv4": {"address": "10.77.0.11"},
        "ipv4_secondaries": [{"address": "10.77.1.11"}],
        "ipv6": [{"address": "fe80::1", "scope": "link"}],
    },
    "wlan0": {
        "device": "wlan0",
        "ipv4": {"address": "192.168.1.20"},
        "ipv6": [{"address": "fd00::20", "scope": "global"}],
    },
    # Ansible's fact key replaces '-' and '.' with '_'.
    "br_lan_1": {"device": "br-lan.1", "ipv4": {"address": "192.168.7.1"}},
}


def test_reached_over_wlan0_is_a_problem():
    assert pi_base.wifi_link_problems(FACTS, ["wlan0"], "192.168.1.20", "") == [
        "Ansible reaches it at 192.168.1.20, on wlan0"
    ]


def test_reached_over_eth0_is_none():
    assert pi_base.wifi_link_problems(FACTS, ["wlan0"], "10.77.0.11", "10.77.0.11") == []
    # A secondary address and an IPv6 one with its zone belong to eth0 too.
    assert pi_base.wifi_link_problems(FACTS, ["wlan0"], "10.77.1.11", "fe80::1%eth0") == []


def test_an_address_no_interface_holds_is_none():
    assert pi_base.wifi_link_problems(FACTS, ["wlan0"], "203.0.113.5", "pi1.local") == []
    assert pi_base.wifi_link_problems(FACTS, ["wlan0"], None, "") == []
    assert pi_base.wifi_link_problems({}, ["wlan0"], "192.168.1.20", "192.168.1.20") == []


def test_wifi_kept_on_or_not_a_pi_is_none():
    assert (
        pi_base.wifi_link_problems(FACTS, ["wlan0"], "192.168.1.20", "192.168.1.20", disable_wifi=False) == []
    )
    assert pi_base.wifi_link_problems(FACTS, ["wlan0"], "192.168.1.20", "192.168.1.20", is_pi=False) == []


def test_a_cluster_address_on_wifi_is_named_beside_the_connection():
    assert pi_base.wifi_link_problems(FACTS, ["wlan0"], "10.77.0.11", "fd00::20") == [
        "its cluster address fd00::20 is on wlan0"
    ]
    assert pi_base.wifi_link_problems(FACTS, ["wlan0"], "::ffff:192.168.1.20", "192.168.1.20") == [
        "Ansible reaches it at ::ffff:192.168.1.20, on wlan0",
        "its cluster address 192.168.1.20 is on wlan0",
    ]


def test_wireless_by_the_probe_or_by_its_wl_name():
    # br-lan.1 bridges a radio here: the probe saw its wireless entry.
    assert pi_base.wifi_link_problems(FACTS, ["br-lan.1"], "192.168.7.1", "") == [
        "Ansible reaches it at 192.168.7.1, on br-lan.1"
    ]
    # The probe found no wireless entry, but the name says wlan.
    assert pi_base.wifi_link_problems(FACTS, [], "192.168.1.20", "") == [
        "Ansible reaches it at 192.168.1.20, on wlan0"
    ]
    assert pi_base.wifi_link_problems(FACTS, ["wlan0"], "192.168.7.1", "") == []


def test_wireless_interfaces_from_sysfs(tmp_path):
    for name, entry in [
        ("eth0", None),
        ("wlan0", "wireless"),
        ("wlp2s0", None),
        ("radio1", "phy80211"),
        ("lo", None),
    ]:
        (tmp_path / name).mkdir()
        if entry:
            (tmp_path / name / entry).mkdir()
    assert pi_base.wireless_interfaces(str(tmp_path)) == ["radio1", "wlan0", "wlp2s0"]
    assert pi_base.wireless_interfaces(str(tmp_path / "missing")) == []


@pytest.mark.parametrize(
    ("value", "address"),
    [
        ("192.168.1.5 51234 192.168.1.20 22", "192.168.1.20"),
        ("fd00::5 51234 fd00::20 22", "fd00::20"),
        ("", None),
        (None, None),
        ("garbage", None),
    ],
)
def test_ssh_server_address(value, address):
    assert pi_base.ssh_server_address(value) == address


def _process(proc, pid, ppid, environ):
    (proc / str(pid)).mkdir()
    (proc / str(pid) / "stat").write_bytes(f"{pid} (sudo -x) S {ppid} 1 1".encode())
    if environ is not None:
        (proc / str(pid) / "environ").write_bytes(b"\0".join(environ) + b"\0")


def test_ssh_connection_found_above_become(tmp_path):
    # python (100) <- sh (90) <- sudo (80, environ unreadable) <- the login shell (70).
    _process(tmp_path, 100, 90, [b"PATH=/usr/bin"])
    _process(tmp_path, 90, 80, [b"HOME=/root"])
    _process(tmp_path, 80, 70, None)
    _process(tmp_path, 70, 1, [b"USER=pi", b"SSH_CONNECTION=10.0.0.1 40000 10.0.0.20 22"])
    assert pi_base.find_ssh_connection({}, 100, str(tmp_path)) == "10.0.0.1 40000 10.0.0.20 22"
    # The module's own environment wins where become kept it.
    own = {"SSH_CONNECTION": "10.0.0.1 40000 10.0.0.21 22"}
    assert pi_base.find_ssh_connection(own, 100, str(tmp_path)) == own["SSH_CONNECTION"]


def test_no_ssh_connection_on_a_local_run(tmp_path):
    _process(tmp_path, 100, 90, [b"PATH=/usr/bin"])
    _process(tmp_path, 90, 1, [b"HOME=/root"])
    assert pi_base.find_ssh_connection({}, 100, str(tmp_path)) is None
    # A loop in the parents (a broken read) ends too.
    _process(tmp_path, 200, 201, [])
    _process(tmp_path, 201, 200, [])
    assert pi_base.find_ssh_connection({}, 200, str(tmp_path)) is None
