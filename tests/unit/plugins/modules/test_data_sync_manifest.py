"""Unit tests of the data_sync_manifest module: the tree walk and the module's answers."""

import os

from ansible_collections.picluster.spark.plugins.modules import data_sync_manifest as manifest
from module_harness import ExitJson, FailJson, run_module

PARTIAL = ".data-sync-partial"


def make_tree(root):
    (root / "sub").mkdir()
    (root / "sub" / "b.csv").write_bytes(b"1,2\n3,4\n")
    (root / "a.csv").write_bytes(b"x\n")
    (root / "empty").mkdir()
    os.symlink("a.csv", root / "link")
    (root / PARTIAL).mkdir()
    (root / PARTIAL / "a.csv").write_bytes(b"half")


def digest(path, exclude=(PARTIAL,)):
    return manifest.manifest_digest(manifest.build_manifest(str(path), exclude)[0])


def test_manifest_lists_every_entry_sorted(tmp_path):
    make_tree(tmp_path)
    lines, files, total = manifest.build_manifest(str(tmp_path), [PARTIAL])
    assert [line.split()[0] for line in lines] == ["F", "D", "L", "D", "F"]
    assert lines[0].endswith(" 2 a.csv")
    assert lines[2] == "L link -> a.csv"
    assert lines[4].endswith(" 8 sub/b.csv")
    assert (files, total) == (2, 10)


def test_same_content_same_digest_and_the_holding_dir_is_ignored(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    make_tree(one)
    make_tree(two)
    (two / PARTIAL / "other").write_bytes(b"more half")
    assert digest(one) == digest(two)


def test_one_changed_byte_changes_the_digest(tmp_path):
    make_tree(tmp_path)
    before = digest(tmp_path)
    (tmp_path / "sub" / "b.csv").write_bytes(b"1,2\n3,5\n")
    assert digest(tmp_path) != before


def test_an_extra_file_changes_the_digest(tmp_path):
    make_tree(tmp_path)
    before = digest(tmp_path)
    (tmp_path / "new").write_bytes(b"")
    assert digest(tmp_path) != before


def test_a_file_is_listed_under_its_own_name(tmp_path):
    path = tmp_path / "one.csv"
    path.write_bytes(b"abc")
    lines, files, total = manifest.build_manifest(str(path))
    assert lines == ["F ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 3 one.csv"]
    assert (files, total) == (1, 3)


def test_sizes_only_reads_no_file(tmp_path, monkeypatch):
    make_tree(tmp_path)

    def no_read(path):
        raise AssertionError(f"read {path}")

    monkeypatch.setattr(manifest, "file_sha256", no_read)
    lines, files, total = manifest.build_manifest(str(tmp_path), [PARTIAL], checksum=False)
    assert (files, total) == (2, 10)
    assert lines[0] == "F - 2 a.csv"


def test_kind(tmp_path):
    (tmp_path / "f").write_bytes(b"")
    os.symlink(str(tmp_path), tmp_path / "dirlink")
    assert manifest.path_kind(str(tmp_path)) == "directory"
    assert manifest.path_kind(str(tmp_path / "dirlink")) == "directory"
    assert manifest.path_kind(str(tmp_path / "f")) == "file"
    assert manifest.path_kind("/dev/null") == "other"


def test_module_answers_with_digest_and_counts(tmp_path, monkeypatch):
    make_tree(tmp_path)
    kind, result = run_module(monkeypatch, manifest, path=str(tmp_path), exclude=[PARTIAL], entries=True)
    assert kind is ExitJson
    assert result["changed"] is False
    assert result["exists"] is True
    assert result["kind"] == "directory"
    assert (result["files"], result["bytes"]) == (2, 10)
    assert result["digest"] == digest(tmp_path)
    assert len(result["manifest"]) == 5


def test_module_without_checksum_returns_no_digest(tmp_path, monkeypatch):
    make_tree(tmp_path)
    kind, result = run_module(monkeypatch, manifest, path=str(tmp_path), checksum=False)
    assert kind is ExitJson
    assert "digest" not in result
    assert result["bytes"] == 14


def test_module_missing_path_fails_or_reports(tmp_path, monkeypatch):
    kind, result = run_module(monkeypatch, manifest, path=str(tmp_path / "nope"))
    assert kind is FailJson
    assert "does not exist" in result["msg"]
    kind, result = run_module(monkeypatch, manifest, path=str(tmp_path / "nope"), missing_ok=True)
    assert kind is ExitJson
    assert result["exists"] is False
