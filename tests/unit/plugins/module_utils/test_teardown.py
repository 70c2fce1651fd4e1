"""Unit tests of module_utils/teardown.py: which paths an absent path may remove, and the
removal itself (mount points kept), on a temporary directory."""

import pytest
from ansible_collections.picluster.spark.plugins.module_utils import teardown


@pytest.mark.parametrize(
    "path",
    ["/opt/spark/current", "/etc/spark", "/etc/systemd/system/spark-worker.service", "/var/lib/spark/work"],
)
def test_the_roles_paths_may_be_removed(path):
    assert teardown.refusal(path) is None


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("opt/spark", "'opt/spark' is not an absolute path"),
        ("", "'' is not an absolute path"),
        (None, "None is not an absolute path"),
        ("/opt/spark/", "/opt/spark/ is not written plainly (no trailing '/', '.', '..' or '//')"),
        ("/opt/spark/../..", "/opt/spark/../.. is not written plainly (no trailing '/', '.', '..' or '//')"),
        ("//opt/spark", "//opt/spark is not written plainly (no trailing '/', '.', '..' or '//')"),
        ("/", "/ is a top-level directory"),
        ("/data", "/data is a top-level directory"),
        ("/var/lib", "/var/lib is a system directory"),
        ("/opt/spark", "/opt/spark is a system directory"),
    ],
)
def test_a_path_no_role_creates_is_refused(path, reason):
    assert teardown.refusal(path) == reason


def test_an_empty_dir_may_be_a_system_directory_but_not_top_level():
    assert teardown.refusals(["/opt/spark/current"], ["/opt/spark", "/etc/spark"]) == []
    assert teardown.refusals([], ["/opt"]) == ["/opt is a top-level directory"]
    assert teardown.refusals(["/var/lib"], []) == ["/var/lib is a system directory"]


def make_tree(root):
    (root / "spark-3.5.9-bin-hadoop3" / "conf").mkdir(parents=True)
    (root / "spark-3.5.9-bin-hadoop3" / "conf" / "spark-defaults.conf").write_text("secret\n")
    (root / ".unpack-spark-3.5.9-bin-hadoop3").mkdir()
    (root / "current").symlink_to(root / "spark-3.5.9-bin-hadoop3")


def test_expand_matches_hidden_names_only_where_the_pattern_names_the_dot(tmp_path):
    make_tree(tmp_path)
    assert teardown.expand([f"{tmp_path}/spark-*-bin-*"]) == [f"{tmp_path}/spark-3.5.9-bin-hadoop3"]
    assert teardown.expand([f"{tmp_path}/.unpack-spark-*-bin-*"]) == [
        f"{tmp_path}/.unpack-spark-3.5.9-bin-hadoop3"
    ]


def test_remove_trees_links_then_empty_dirs_and_nothing_the_second_time(tmp_path):
    root = tmp_path / "spark"
    make_tree(root)
    outside = tmp_path / "keep.txt"
    outside.write_text("x")
    paths = [str(root / "current"), *teardown.expand([f"{root}/spark-*-bin-*", f"{root}/.unpack-spark-*"])]
    first = teardown.remove(paths, [str(root)])
    assert first == {"removed": [*paths, str(root)], "emptied": [], "kept": []}
    assert not root.exists()
    assert outside.read_text() == "x"
    assert teardown.remove(paths, [str(root)]) == {"removed": [], "emptied": [], "kept": []}


def test_a_link_is_removed_not_followed(tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    (target / "data").write_text("x")
    (tmp_path / "link").symlink_to(target)
    assert teardown.remove([str(tmp_path / "link")])["removed"] == [str(tmp_path / "link")]
    assert (target / "data").read_text() == "x"


def test_a_dir_that_still_holds_something_is_kept(tmp_path):
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "spark-worker.conf").write_text("x")
    (tmp_path / "etc" / "spark-master.conf").write_text("x")
    result = teardown.remove([str(tmp_path / "etc" / "spark-worker.conf")], [str(tmp_path / "etc")])
    assert result == {
        "removed": [str(tmp_path / "etc" / "spark-worker.conf")],
        "emptied": [],
        "kept": [str(tmp_path / "etc")],
    }
    assert (tmp_path / "etc" / "spark-master.conf").exists()


def test_check_mode_reports_and_changes_nothing(tmp_path):
    root = tmp_path / "spark"
    make_tree(root)
    paths = [
        str(root / "current"),
        str(root / "spark-3.5.9-bin-hadoop3"),
        str(root / ".unpack-spark-3.5.9-bin-hadoop3"),
    ]
    result = teardown.remove(paths, [str(root)], check_mode=True)
    assert result == {"removed": [*paths, str(root)], "emptied": [], "kept": []}
    assert (root / "spark-3.5.9-bin-hadoop3" / "conf" / "spark-defaults.conf").exists()
    assert (root / "current").is_symlink()


@pytest.fixture
def mounted(monkeypatch, tmp_path):
    """tmp_path/mnt stands for a mount point (a tmpfs, as /opt/spark is on the bed's pi4)."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    monkeypatch.setattr(teardown, "is_mount_point", lambda path: path == str(mount))
    return mount


def test_a_mount_point_in_paths_is_emptied_and_kept(mounted):
    (mounted / "work" / "app-1").mkdir(parents=True)
    (mounted / ".hidden").write_text("x")
    assert teardown.remove([str(mounted)]) == {
        "removed": [],
        "emptied": [str(mounted)],
        "kept": [str(mounted)],
    }
    assert mounted.is_dir()
    assert list(mounted.iterdir()) == []
    # Empty now: nothing changes the second time.
    assert teardown.remove([str(mounted)]) == {"removed": [], "emptied": [], "kept": [str(mounted)]}


def test_an_empty_mount_point_in_empty_dirs_is_kept(mounted):
    make_tree(mounted)
    paths = [
        str(mounted / "current"),
        str(mounted / "spark-3.5.9-bin-hadoop3"),
        str(mounted / ".unpack-spark-3.5.9-bin-hadoop3"),
    ]
    assert teardown.remove(paths, [str(mounted)]) == {"removed": paths, "emptied": [], "kept": [str(mounted)]}
    assert mounted.is_dir()
    assert list(mounted.iterdir()) == []
