# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The directories no role may sync data into or share over NFS, in one place.

data_sync writes there with --delete; nfs_share exports a path and mounts it at
the same path on every client, hiding what was there. Either would break the
system, so both roles read these two lists (through their filters).
"""

from __future__ import annotations

# Trees that hold the system: neither the directory nor anything below it.
SYSTEM_TREES = (
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/sys",
    "/tmp",  # noqa: S108 (refused, not used)
    "/usr",
    "/var/lib/nfs",
    "/var/tmp",  # noqa: S108 (refused, not used)
)

# Directories refused themselves; a directory of its own below them is fine
# (/srv/data, /opt/datasets). /opt/spark is where spark_install unpacks Spark.
SYSTEM_DIRS = (
    "/",
    "/home",
    "/lost+found",
    "/media",
    "/mnt",
    "/opt",
    "/opt/spark",
    "/srv",
    "/var",
    "/var/cache",
    "/var/lib",
    "/var/log",
)


def under(path, tree):
    """True when ``path`` is ``tree`` or lies below it (by its text: no normalizing)."""
    return tree in ("/", path) or path.startswith(tree + "/")


def system_tree_of(path):
    """The system tree ``path`` is or lies in, or None."""
    return next((tree for tree in SYSTEM_TREES if under(path, tree)), None)


def is_system_dir(path):
    """True when ``path`` is itself a system directory (of either list)."""
    return path in SYSTEM_DIRS or path in SYSTEM_TREES


def is_system_path(path):
    """True when ``path`` is a system directory or lies in a system tree."""
    return is_system_dir(path) or system_tree_of(path) is not None
