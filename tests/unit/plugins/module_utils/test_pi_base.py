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
