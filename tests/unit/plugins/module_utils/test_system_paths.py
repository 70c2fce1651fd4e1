"""The one list of system directories, read by data_sync_plan and nfs_share_path_problems."""

import pytest
from ansible_collections.picluster.spark.plugins.module_utils import system_paths as sp


@pytest.mark.parametrize(
    ("path", "tree"),
    [
        ("/etc", "/etc"),
        ("/etc/x", "/etc"),
        ("/etc/", "/etc"),  # by text: a trailing slash does not hide it
        ("/usr/local/share", "/usr"),
        ("/var/lib/nfs/rmtab", "/var/lib/nfs"),
        ("/etcetera", None),  # a common prefix is not a parent
        ("/var/lib/data", None),
        ("/srv/data", None),
        ("/", None),
    ],
)
def test_system_tree_of(path, tree):
    assert sp.system_tree_of(path) == tree


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", True),
        ("/var", True),
        ("/var/lib", True),
        ("/opt/spark", True),
        ("/etc", True),  # a tree is a system directory too
        ("/var/lib/data", False),
        ("/etc/x", False),  # inside a tree, but not a system directory itself
        ("//", False),
    ],
)
def test_is_system_dir(path, expected):
    assert sp.is_system_dir(path) is expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/etc/x", True), ("/srv", True), ("/srv/x", False), ("/data", False), ("/tmp/x", True)],
)
def test_is_system_path(path, expected):
    assert sp.is_system_path(path) is expected


def test_lists_are_absolute_normalized_and_disjoint():
    for path in sp.SYSTEM_TREES + sp.SYSTEM_DIRS:
        assert path == "/" or (path.startswith("/") and not path.endswith("/") and "//" not in path)
    assert not set(sp.SYSTEM_TREES) & set(sp.SYSTEM_DIRS)
    # "/" as a tree would refuse every path.
    assert "/" not in sp.SYSTEM_TREES


@pytest.mark.parametrize(
    ("path", "tree", "expected"),
    [
        ("/a/b", "/a", True),
        ("/a", "/a", True),
        ("/ab", "/a", False),
        ("/x", "/", True),
        ("/a", "/a/b", False),
    ],
)
def test_under(path, tree, expected):
    assert sp.under(path, tree) is expected
