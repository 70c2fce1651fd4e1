"""Unit tests of the remove_paths module: one round trip per absent path, refusals before
anything is removed, check mode, and no change on a second run."""

from ansible_collections.picluster.spark.plugins.modules import remove_paths
from module_harness import ExitJson, FailJson, run_module


def tree(tmp_path):
    root = tmp_path / "spark"
    (root / "spark-3.5.9-bin-hadoop3" / "bin").mkdir(parents=True)
    (root / ".replaced-spark-3.4.0-bin-hadoop3").mkdir()
    (root / "current").symlink_to(root / "spark-3.5.9-bin-hadoop3")
    (tmp_path / "spark.sh").write_text("export SPARK_HOME\n")
    return root


def args(tmp_path, root):
    return {
        "paths": [str(root / "current"), str(tmp_path / "spark.sh")],
        "patterns": [f"{root}/spark-*-bin-*", f"{root}/.replaced-spark-*-bin-*"],
        "empty_dirs": [str(root)],
    }


def test_removes_matches_and_the_emptied_root_then_changes_nothing(monkeypatch, tmp_path):
    root = tree(tmp_path)
    kind, result = run_module(monkeypatch, remove_paths, **args(tmp_path, root))
    assert kind is ExitJson
    assert result["changed"] is True
    assert sorted(result["removed"]) == sorted(
        [
            str(root / "current"),
            str(tmp_path / "spark.sh"),
            str(root / "spark-3.5.9-bin-hadoop3"),
            str(root / ".replaced-spark-3.4.0-bin-hadoop3"),
            str(root),
        ]
    )
    assert list(tmp_path.iterdir()) == []
    kind, again = run_module(monkeypatch, remove_paths, **args(tmp_path, root))
    assert (kind, again["changed"], again["removed"]) == (ExitJson, False, [])


def test_check_mode_says_what_would_go_and_keeps_it(monkeypatch, tmp_path):
    root = tree(tmp_path)
    kind, result = run_module(monkeypatch, remove_paths, _ansible_check_mode=True, **args(tmp_path, root))
    assert (kind, result["changed"]) == (ExitJson, True)
    assert str(root) in result["removed"]
    assert (root / "spark-3.5.9-bin-hadoop3" / "bin").is_dir()
    assert (tmp_path / "spark.sh").exists()


def test_a_root_that_holds_other_files_stays(monkeypatch, tmp_path):
    root = tree(tmp_path)
    (root / "notes.txt").write_text("mine\n")
    kind, result = run_module(monkeypatch, remove_paths, **args(tmp_path, root))
    assert kind is ExitJson
    assert result["kept"] == [str(root)]
    assert [p.name for p in root.iterdir()] == ["notes.txt"]


def test_refuses_a_system_directory_before_removing_anything(monkeypatch, tmp_path):
    root = tree(tmp_path)
    kind, result = run_module(monkeypatch, remove_paths, paths=[str(tmp_path / "spark.sh"), "/var/lib"])
    assert kind is FailJson
    assert result["msg"] == "Nothing was removed: /var/lib is a system directory."
    assert (tmp_path / "spark.sh").exists()
    assert root.is_dir()


def test_refuses_a_pattern_that_matches_a_system_directory(monkeypatch, tmp_path):
    kind, result = run_module(monkeypatch, remove_paths, patterns=["/va?/lib"])
    assert kind is FailJson
    assert result["msg"] == "Nothing was removed: /var/lib is a system directory."


def test_reports_what_it_cannot_remove(monkeypatch, tmp_path):
    root = tree(tmp_path)

    def refuse(path):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr("os.unlink", refuse)
    kind, result = run_module(monkeypatch, remove_paths, paths=[str(root / "current")])
    assert kind is FailJson
    assert result["msg"] == f"cannot remove {root / 'current'}: Permission denied"
