#!/usr/bin/python
# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Free space of the filesystems that hold, or will hold, some paths."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: data_sync_space
short_description: Free space where paths live or will be created
description:
  - For each path, finds the nearest existing directory (the path itself or a parent),
    following symlinks, and reports the free bytes of its filesystem and an identifier
    of that filesystem, so paths on one filesystem can be added up.
  - Works for any filesystem, tmpfs and overlay included, unlike the mount facts.
  - Never changes anything.
options:
  paths:
    description: Absolute paths; they need not exist yet.
    type: list
    elements: path
    required: true
author:
  - picluster.spark maintainers
"""

EXAMPLES = r"""
- name: Read the free space where the datasets go
  picluster.spark.data_sync_space:
    paths: [/data/taxi, /data/logs]
  register: space
"""

RETURN = r"""
space:
  description: By path, C(existing) (the nearest existing directory), C(device) (the
    filesystem's identifier), C(available) (bytes free for unprivileged users) and C(size).
  returned: success
  type: dict
"""

import os

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


def main():
    module = AnsibleModule(
        argument_spec=dict(paths=dict(type="list", elements="path", required=True)),
        supports_check_mode=True,
    )
    relative = [path for path in module.params["paths"] if not os.path.isabs(path)]
    if relative:
        module.fail_json(msg=f"paths must be absolute: {', '.join(relative)}")
    try:
        space = {path: space_of(path) for path in module.params["paths"]}
    except OSError as exc:
        module.fail_json(msg=f"cannot read the filesystem of {exc.filename}: {exc.strerror}")
    module.exit_json(changed=False, space=space)


if __name__ == "__main__":
    main()
