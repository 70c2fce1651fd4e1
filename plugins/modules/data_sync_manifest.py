#!/usr/bin/python
# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Checksum manifest of a dataset, so nodes can be compared with the source."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: data_sync_manifest
short_description: Checksum manifest of a directory tree or a file
description:
  - Walks O(path) without following symlinks and builds a manifest with one line per
    entry, sorted by relative path. It lists directories, symlinks (with their target)
    and regular files (with size and SHA-256).
  - Returns the SHA-256 of that manifest, so two trees with the same digest hold the same
    names and the same bytes. Ownership, modes and times are not part of it.
  - Never changes anything.
options:
  path:
    description:
      - Directory (its content is listed) or regular file (listed under its own name).
    type: path
    required: true
  exclude:
    description:
      - Entry names skipped at every level, with everything below them (the sync's
        holding directory for partial files).
    type: list
    elements: str
    default: []
  checksum:
    description:
      - Read every file for its SHA-256. With V(false) only names and sizes are
        gathered (fast, and no RV(digest) is returned).
    type: bool
    default: true
  entries:
    description:
      - Also return the manifest lines; for small trees and for finding what differs.
    type: bool
    default: false
  missing_ok:
    description:
      - Return RV(exists=false) instead of failing when O(path) is missing, so the caller
        can word the error.
    type: bool
    default: false
author:
  - picluster.spark maintainers (@picluster)
"""

EXAMPLES = r"""
- name: Compute the manifest of a synced dataset
  picluster.spark.data_sync_manifest:
    path: /data/taxi
    exclude: [.data-sync-partial]
  register: manifest
"""

RETURN = r"""
exists:
  description: Whether O(path) exists.
  returned: always
  type: bool
kind:
  description: V(directory), V(file) or V(other), for O(path) after following a symlink.
  returned: when O(path) exists
  type: str
digest:
  description: SHA-256 of the manifest text.
  returned: when O(path) exists and O(checksum=true)
  type: str
files:
  description: Number of regular files.
  returned: when O(path) exists
  type: int
bytes:
  description: Total size of the regular files.
  returned: when O(path) exists
  type: int
manifest:
  description:
    - Manifest lines, C(F <sha256> <size> <path>), C(L <path> -> <target>), C(D <path>)
      or C(O <path>) (other types).
  returned: when O(entries=true)
  type: list
  elements: str
"""

import hashlib
import os
import stat

from ansible.module_utils.basic import AnsibleModule

_CHUNK = 1024 * 1024


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _entry(full, rel, checksum):
    info = os.lstat(full)
    if stat.S_ISLNK(info.st_mode):
        return f"L {rel} -> {os.readlink(full)}", 0, False
    if stat.S_ISDIR(info.st_mode):
        return f"D {rel}", 0, False
    if stat.S_ISREG(info.st_mode):
        digest = file_sha256(full) if checksum else "-"
        return f"F {digest} {info.st_size} {rel}", info.st_size, True
    return f"O {rel}", 0, False


def path_kind(path):
    if os.path.isdir(path):
        return "directory"
    if os.path.isfile(path):
        return "file"
    return "other"


def build_manifest(path, exclude=(), checksum=True):
    """Return (lines, files, bytes) for path; lines sorted by relative path.

    A directory (or a symlink to one) is listed by its content; anything else is
    listed as one entry under its own name.
    """
    exclude = set(exclude)
    if path_kind(path) != "directory":
        name = os.path.basename(path.rstrip("/"))
        info = os.stat(path)
        if stat.S_ISREG(info.st_mode):
            digest = file_sha256(path) if checksum else "-"
            return [f"F {digest} {info.st_size} {name}"], 1, info.st_size
        return [f"O {name}"], 0, 0
    found = []
    files = 0
    total = 0
    for root, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if d not in exclude]
        rel_root = os.path.relpath(root, path)
        for name in dirs + [n for n in names if n not in exclude]:
            rel = name if rel_root == "." else rel_root + "/" + name
            line, size, regular = _entry(os.path.join(root, name), rel, checksum)
            found.append((rel, line))
            files += int(regular)
            total += size
    found.sort()
    return [line for _rel, line in found], files, total


def manifest_digest(lines):
    return hashlib.sha256(("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")).hexdigest()


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            exclude=dict(type="list", elements="str", default=[]),
            checksum=dict(type="bool", default=True),
            entries=dict(type="bool", default=False),
            missing_ok=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    path = module.params["path"]
    if not os.path.exists(path):
        if module.params["missing_ok"]:
            module.exit_json(changed=False, exists=False)
        module.fail_json(msg=f"{path} does not exist", exists=False)
    try:
        lines, files, total = build_manifest(path, module.params["exclude"], module.params["checksum"])
    except OSError as exc:
        module.fail_json(msg=f"cannot read {exc.filename or path}: {exc.strerror}", exists=True)
    result = dict(changed=False, exists=True, kind=path_kind(path), files=files, bytes=total)
    if module.params["checksum"]:
        result["digest"] = manifest_digest(lines)
    if module.params["entries"]:
        result["manifest"] = lines
    module.exit_json(**result)


if __name__ == "__main__":
    main()
