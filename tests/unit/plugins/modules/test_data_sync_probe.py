"""Unit tests of the data_sync_probe module."""

import os

from ansible.module_utils import basic
from ansible_collections.picluster.spark.plugins.modules import data_sync_probe as space_module
from module_harness import ExitJson, FailJson, run_module


def test_nearest_existing_walks_up_to_a_parent(tmp_path):
    assert space_module.nearest_existing(str(tmp_path / "a" / "b" / "c")) == str(tmp_path.resolve())
    assert space_module.nearest_existing(str(tmp_path)) == str(tmp_path.resolve())


def test_nearest_existing_follows_a_symlinked_parent(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    os.symlink(real, tmp_path / "link")
    assert space_module.nearest_existing(str(tmp_path / "link" / "new")) == str(real.resolve())


def test_space_matches_statvfs(tmp_path):
    found = space_module.space_of(str(tmp_path / "not" / "yet"))
    info = os.statvfs(tmp_path)
    assert found["device"] == os.stat(tmp_path).st_dev
    assert found["size"] == info.f_blocks * info.f_frsize
    # Free space moves while other processes write; it stays within the size.
    assert 0 <= found["available"] <= found["size"]


def test_module_reports_every_path(tmp_path, monkeypatch):
    kind, result = run_module(monkeypatch, space_module, paths=[str(tmp_path / "x"), "/"])
    assert kind is ExitJson
    assert result["changed"] is False
    assert set(result["space"]) == {str(tmp_path / "x"), "/"}
    assert result["space"]["/"]["existing"] == "/"


def test_module_tells_users_groups_and_rsync(monkeypatch):
    kind, result = run_module(monkeypatch, space_module, paths=["/"], user="root", group="root")
    assert kind is ExitJson
    assert (result["user_exists"], result["group_exists"]) == (True, True)
    kind, result = run_module(
        monkeypatch, space_module, paths=["/"], user="no-such-user-x", group="no-such-group-x"
    )
    assert (result["user_exists"], result["group_exists"]) == (False, False)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(basic.AnsibleModule, "get_bin_path", lambda self, name: None)
    kind, result = run_module(monkeypatch, space_module, paths=["/"])
    assert result["rsync"] is None
    assert "user_exists" not in result


def test_measure_counts_what_rsync_copies(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "a.csv").write_bytes(b"12345")
    (tmp_path / "d" / "sub" / "b.csv").write_bytes(b"123")
    os.symlink("a.csv", tmp_path / "d" / "link")
    assert space_module.measure(str(tmp_path / "d")) == {
        "exists": True,
        "kind": "directory",
        "files": 2,
        "bytes": 8,
    }
    assert space_module.measure(str(tmp_path / "d" / "a.csv")) == {
        "exists": True,
        "kind": "file",
        "files": 1,
        "bytes": 5,
    }
    assert space_module.measure(str(tmp_path / "nope")) == {"exists": False}
    assert space_module.measure("/dev/null")["kind"] == "other"


def test_module_measures_sources(tmp_path, monkeypatch):
    (tmp_path / "f").write_bytes(b"xy")
    kind, result = run_module(
        monkeypatch, space_module, paths=[], measure=[str(tmp_path / "f"), str(tmp_path / "g")]
    )
    assert kind is ExitJson
    assert result["measured"][str(tmp_path / "f")]["bytes"] == 2
    assert result["measured"][str(tmp_path / "g")] == {"exists": False}


def test_module_refuses_relative_paths(monkeypatch):
    kind, result = run_module(monkeypatch, space_module, paths=["data/x"])
    assert kind is FailJson
    assert "must be absolute" in result["msg"]
