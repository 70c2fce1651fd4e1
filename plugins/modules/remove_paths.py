#!/usr/bin/python
# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Remove what a role put on a node, in one round trip, mount points kept."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: remove_paths
short_description: Remove a role's files and directories, keeping mount points
description:
  - Removes files, symlinks and directory trees, then directories that are left empty.
    One module run for a role's whole absent path, as each costs seconds on a small board.
  - A mount point is never removed. Named in O(paths) it is emptied and kept, named in
    O(empty_dirs) it is kept. Symlinks are removed, not followed.
  - Refuses, before removing anything, a path that is not absolute and plain, lies less than
    two levels deep, or is a system directory (C(/var/lib), C(/opt), C(/home), ...).
  - Changes nothing on a second run.
options:
  paths:
    description: Files, symlinks or directories to remove with everything in them.
    type: list
    elements: str
    default: []
  patterns:
    description:
      - Shell patterns (C(*), C(?), C([...])) matched on the node; every match is removed
        as O(paths) are. A pattern matches names starting with a dot only where it names the dot.
    type: list
    elements: str
    default: []
  empty_dirs:
    description: Directories removed only when nothing is left in them once O(paths) are gone.
    type: list
    elements: str
    default: []
author:
  - picluster.spark maintainers (@picluster)
"""

EXAMPLES = r"""
- name: Remove the releases under the install root, and the root when empty
  picluster.spark.remove_paths:
    paths: [/opt/spark/current, /etc/profile.d/spark.sh]
    patterns: [/opt/spark/spark-*-bin-*]
    empty_dirs: [/opt/spark]
"""

RETURN = r"""
removed:
  description: The paths removed (or, in check mode, that would be).
  returned: success
  type: list
  elements: str
emptied:
  description: Mount points whose contents were removed.
  returned: success
  type: list
  elements: str
kept:
  description: Mount points, and directories of O(empty_dirs) that still hold something.
  returned: success
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.picluster.spark.plugins.module_utils.teardown import expand, refusals, remove


def main():
    module = AnsibleModule(
        argument_spec=dict(
            paths=dict(type="list", elements="str", default=[]),
            patterns=dict(type="list", elements="str", default=[]),
            empty_dirs=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    params = module.params
    reasons = refusals(params["paths"] + params["patterns"], params["empty_dirs"])
    if reasons:
        module.fail_json(msg=f"Nothing was removed: {'; '.join(reasons)}.")
    paths = params["paths"] + expand(params["patterns"])
    reasons = refusals(paths)
    if reasons:
        module.fail_json(msg=f"Nothing was removed: {'; '.join(reasons)}.")
    try:
        result = remove(paths, params["empty_dirs"], check_mode=module.check_mode)
    except OSError as exc:
        module.fail_json(msg=f"cannot remove {exc.filename}: {exc.strerror}")
    module.exit_json(changed=bool(result["removed"] or result["emptied"]), **result)


if __name__ == "__main__":
    main()
