# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Which paths a role's absent path may remove, and removing them, in one place.

The remove_paths module runs this on the nodes; the teardown filters build the
lists from the roles' inputs. A path the roles never create, a system directory
or anything shallower than two levels, is refused: a typo in an input must not
turn a teardown into `rm -rf /var`.
"""

from __future__ import annotations

import glob
import os
import shutil

from ansible_collections.picluster.spark.plugins.module_utils.system_paths import is_system_dir


def refusal(path, system_dir_ok=False):
    """Why ``path`` may not be removed, or None.

    It must be absolute and plain, at least two levels deep (/opt/spark, not /opt)
    and, unless ``system_dir_ok``, not a system directory of
    module_utils/system_paths.py.
    """
    if not isinstance(path, str) or not path.startswith("/"):
        return f"{path!r} is not an absolute path"
    if os.path.normpath(path) != path or path.startswith("//"):
        return f"{path} is not written plainly (no trailing '/', '.', '..' or '//')"
    if path.count("/") < 2:
        return f"{path} is a top-level directory"
    if not system_dir_ok and is_system_dir(path):
        return f"{path} is a system directory"
    return None


def refusals(paths, empty_dirs=()):
    """The reasons against every path of ``paths`` and ``empty_dirs``, in order.

    A directory of ``empty_dirs`` goes only when nothing is left in it, so a system
    directory may be named there: /opt/spark is one (no data goes in it) and is
    Spark's own install root.
    """
    reasons = [refusal(path) for path in paths]
    reasons += [refusal(path, system_dir_ok=True) for path in empty_dirs]
    return [reason for reason in reasons if reason]


def is_mount_point(path):
    """True when ``path`` is a directory another file system is mounted on."""
    return os.path.ismount(path) and not os.path.islink(path)


def _remove_tree(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def _empty(path, check_mode):
    """Remove what is inside ``path`` (a mount point, which stays); True if anything was."""
    entries = sorted(os.listdir(path))
    if not check_mode:
        for name in entries:
            _remove_tree(os.path.join(path, name))
    return bool(entries)


def expand(patterns):
    """The paths the glob patterns match now (hidden names only where a pattern names a dot)."""
    return sorted({match for pattern in patterns for match in glob.glob(pattern)})


def remove(paths, empty_dirs=(), check_mode=False):
    """Remove ``paths`` (files, links, trees), then ``empty_dirs`` that are empty.

    A mount point is never removed: one in ``paths`` is emptied and kept, one in
    ``empty_dirs`` is kept. Symlinks are removed, never followed. Returns
    {removed, emptied, kept}; in check mode nothing changes and the lists say what
    would happen (an empty directory counts as empty once ``paths`` are gone).
    """
    removed, emptied, kept = [], [], []
    gone = set()
    for path in dict.fromkeys(paths):
        if not os.path.lexists(path):
            continue
        if is_mount_point(path):
            if _empty(path, check_mode):
                emptied.append(path)
            kept.append(path)
            continue
        if not check_mode:
            _remove_tree(path)
        removed.append(path)
        gone.add(path)
    for path in dict.fromkeys(empty_dirs):
        if not os.path.isdir(path) or os.path.islink(path):
            continue
        left = [name for name in os.listdir(path) if os.path.join(path, name) not in gone]
        if left or is_mount_point(path):
            kept.append(path)
            continue
        if not check_mode:
            os.rmdir(path)
        removed.append(path)
    return {"removed": removed, "emptied": emptied, "kept": kept}
