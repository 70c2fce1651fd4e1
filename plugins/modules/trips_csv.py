#!/usr/bin/python
# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Write a trip CSV of a chosen size, for the measurements."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: trips_csv
short_description: Write a trip CSV of a chosen size
description:
  - Writes trips C(id,YYYY-MM-DD HH:MM,distance,fare) (the taxi-trip shape the grouping job
    reads, C(plugins/module_utils/trips.py)) to O(path), as many whole lines as fit in
    O(size_mb) MB (1 MB = 1,048,576 bytes).
  - The same size gives the same bytes. A file that already has the size and starts with
    the first trip is kept (V(changed=false)), so a second run costs no rewrite.
  - The file is written under a temporary name beside O(path) and renamed when complete, so
    an interrupted run leaves the old file or none, never half of one.
options:
  path:
    description: The CSV file to write; its directory must exist.
    type: path
    required: true
  size_mb:
    description: The size in MB, above 0 (fractions allowed).
    type: float
    required: true
author:
  - picluster.spark maintainers (@picluster)
"""

EXAMPLES = r"""
- name: Make a 1 GB trip CSV on the controller
  picluster.spark.trips_csv:
    path: /srv/measure/data/trips.csv
    size_mb: 1024
  delegate_to: localhost
"""

RETURN = r"""
bytes:
  description: The file's size.
  returned: success
  type: int
rows:
  description: The trips it holds (its lines); V(null) when an existing file was kept.
  returned: success
  type: int
"""

import os
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.picluster.spark.plugins.module_utils.measure import size_bytes
from ansible_collections.picluster.spark.plugins.module_utils.trips import trip_line, write_trips_upto

# Longer than any trip line: the last line that did not fit is shorter than this.
_LONGEST_LINE = 64


def _kept(path, target):
    """Whether path already holds the trips for target bytes."""
    try:
        size = os.path.getsize(path)
        with open(path, encoding="ascii") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return False
    return target - _LONGEST_LINE < size <= target and first == trip_line(1, 1)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            size_mb=dict(type="float", required=True),
        ),
        supports_check_mode=True,
    )
    path = module.params["path"]
    try:
        target = size_bytes(module.params["size_mb"])
    except ValueError as error:
        module.fail_json(msg=str(error))
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        module.fail_json(msg=f"{directory} is not a directory: make it before writing {path}")
    if _kept(path, target):
        module.exit_json(changed=False, bytes=os.path.getsize(path), rows=None)
    if module.check_mode:
        module.exit_json(changed=True, bytes=target, rows=None)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.")
    try:
        with os.fdopen(fd, "w", encoding="ascii", newline="") as handle:
            rows, written = write_trips_upto(handle, target)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as error:
        if os.path.exists(tmp):
            os.unlink(tmp)
        module.fail_json(msg=f"cannot write {path}: {error.strerror}")
    module.exit_json(changed=True, bytes=written, rows=rows)


if __name__ == "__main__":
    main()
