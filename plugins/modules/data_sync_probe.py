#!/usr/bin/python
# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""What the data sync checks on a node before changing it, in one round trip."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: data_sync_probe
short_description: Free space, owner and rsync on a node, before a data sync
description:
  - For each path, finds the nearest existing directory (the path itself or a parent),
    following symlinks, and reports the free bytes of its filesystem and an identifier
    of that filesystem, so paths on one filesystem can be added up. Works for any
    filesystem, tmpfs and overlay included, unlike the mount facts.
  - Tells whether a user and a group exist (through NSS, like C(getent)) and where
    C(rsync) is.
  - Sizes up source paths (kind, files, bytes) without reading them.
  - Never changes anything.
options:
  paths:
    description: Absolute paths; they need not exist yet.
    type: list
    elements: path
    required: true
  user:
    description: User whose existence is checked.
    type: str
  group:
    description: Group whose existence is checked.
    type: str
  measure:
    description:
      - Paths to size up (dataset sources), each a directory, a file or missing.
        Directories are walked without following symlinks, as rsync copies them.
    type: list
    elements: path
    default: []
author:
  - picluster.spark maintainers (@picluster)
"""

EXAMPLES = r"""
- name: Look at the node before syncing
  picluster.spark.data_sync_probe:
    paths: [/data/taxi, /data/logs]
    user: spark
    group: spark
  register: probe

- name: Size up the sources and find rsync on the controller
  picluster.spark.data_sync_probe:
    paths: []
    measure: [/srv/datasets/taxi]
  delegate_to: localhost
  register: sources
"""

RETURN = r"""
space:
  description: By path, C(existing) (the nearest existing directory), C(device) (the
    filesystem's identifier), C(available) (bytes free for unprivileged users) and C(size).
  returned: success
  type: dict
user_exists:
  description: Whether O(user) exists.
  returned: when O(user) is given
  type: bool
group_exists:
  description: Whether O(group) exists.
  returned: when O(group) is given
  type: bool
measured:
  description:
    - By path of O(measure), C(exists), C(kind) (V(directory), V(file) or V(other),
      after following a symlink), C(files) (regular files) and C(bytes) (their size).
  returned: success
  type: dict
rsync:
  description: Path of the C(rsync) program on the node's search path, or null.
  returned: success
  type: str
"""

import grp
import os
import pwd
import stat

from ansible.module_utils.basic import AnsibleModule


def nearest_existing(path):
    """The path itself, or its closest parent, that exists (after following symlinks)."""
    current = os.path.abspath(path)
    while not os.path.exists(current):
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return os.path.realpath(current)


def space_of(path):
    existing = nearest_existing(path)
    info = os.statvfs(existing)
    return {
        "existing": existing,
        "device": os.stat(existing).st_dev,
        "available": info.f_bavail * info.f_frsize,
        "size": info.f_blocks * info.f_frsize,
    }


def measure(path):
    """What rsync would copy from path: kind, regular files and their bytes."""
    if not os.path.exists(path):
        return {"exists": False}
    if os.path.isdir(path):
        files = total = 0
        for root, _dirs, names in os.walk(path):
            for name in names:
                info = os.lstat(os.path.join(root, name))
                if stat.S_ISREG(info.st_mode):
                    files += 1
                    total += info.st_size
        return {"exists": True, "kind": "directory", "files": files, "bytes": total}
    if os.path.isfile(path):
        return {"exists": True, "kind": "file", "files": 1, "bytes": os.stat(path).st_size}
    return {"exists": True, "kind": "other", "files": 0, "bytes": 0}


def exists_in(database, name):
    try:
        database(name)
    except KeyError:
        return False
    return True


def main():
    module = AnsibleModule(
        argument_spec=dict(
            paths=dict(type="list", elements="path", required=True),
            user=dict(type="str"),
            group=dict(type="str"),
            measure=dict(type="list", elements="path", default=[]),
        ),
        supports_check_mode=True,
    )
    relative = [path for path in module.params["paths"] + module.params["measure"] if not os.path.isabs(path)]
    if relative:
        module.fail_json(msg=f"paths must be absolute: {', '.join(relative)}")
    try:
        space = {path: space_of(path) for path in module.params["paths"]}
        measured = {path: measure(path) for path in module.params["measure"]}
    except OSError as exc:
        module.fail_json(msg=f"cannot read {exc.filename}: {exc.strerror}")
    result = dict(changed=False, space=space, measured=measured, rsync=module.get_bin_path("rsync"))
    if module.params["user"] is not None:
        result["user_exists"] = exists_in(pwd.getpwnam, module.params["user"])
    if module.params["group"] is not None:
        result["group_exists"] = exists_in(grp.getgrnam, module.params["group"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
