# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""What pi_base decides from a node's state: pure functions, unit-tested.

The pi_base_probe module reads the node and hands what it read to these.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

DEFAULT_PASSWORD = b"raspberry"
# apt's index files: one per source and architecture.
PACKAGES_SUFFIX = "_Packages"


def id_problems(kind, name, wanted_id, by_name, by_id):
    """Why the account ``name`` cannot have ``wanted_id``: a list, empty when it can.

    ``kind`` is 'user' or 'group'; ``by_name`` the id the name has now (None:
    no such account); ``by_id`` the name that holds ``wanted_id`` now (None: free).
    An account made earlier with other ids is not renumbered: files elsewhere
    would lose their owner.
    """
    id_kind = "uid" if kind == "user" else "gid"
    problems = []
    if by_name is not None and by_name != wanted_id:
        problems.append(f"{kind} {name} exists with {id_kind} {by_name}, not {wanted_id}")
    if by_id is not None and by_id != name:
        problems.append(f"{id_kind} {wanted_id} belongs to {by_id}")
    return problems


def apt_index(lists_dir, valid_seconds, now):
    """The package index's state: how many Packages lists, their age, and whether to refresh.

    An emptied index (a fresh image, `apt-get clean` plus a wiped lists dir)
    looks young by its directory's time, so the count decides first, then the
    age of the newest list.
    """
    try:
        names = [name for name in os.listdir(lists_dir) if PACKAGES_SUFFIX in name]
    except FileNotFoundError:
        names = []
    newest = max((os.stat(os.path.join(lists_dir, name)).st_mtime for name in names), default=None)
    age = None if newest is None else max(0, int(now - newest))
    if not names:
        reason = "the package index is empty"
    elif age > valid_seconds:
        reason = f"the package index is {age} s old (more than {valid_seconds} s)"
    else:
        reason = None
    return {"lists": len(names), "age_seconds": age, "refresh": reason is not None, "reason": reason}


def load_crypt():
    """crypt(3) from the system's libcrypt, or None: it knows every scheme the distribution uses."""
    for name in ("libcrypt.so.1", "libcrypt.so.2", ctypes.util.find_library("crypt")):
        if not name:
            continue
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        library.crypt.restype = ctypes.c_char_p
        library.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        return library.crypt
    return None


def read_shadow(path="/etc/shadow"):
    """Account name -> its password field (bytes)."""
    entries = {}
    with open(path, "rb") as shadow:
        for line in shadow:
            fields = line.rstrip(b"\n").split(b":")
            if len(fields) > 1:
                entries[fields[0].decode("utf-8", "replace")] = fields[1]
    return entries


def password_state(password_field, crypt):
    """default | other | locked | absent | unknown, for one account's password field.

    The hash itself never leaves this function.
    """
    if password_field is None:
        return "absent"
    # '!' and '*' lock the account; an empty field means no password login with
    # sshd's default PermitEmptyPasswords no.
    if not password_field or password_field[:1] in (b"!", b"*"):
        return "locked"
    if crypt is None:
        return "unknown"
    return "default" if crypt(DEFAULT_PASSWORD, password_field) == password_field else "other"


def board_model(raw):
    """The board's model name from the device tree's bytes (NUL-terminated), and whether it is a Pi."""
    model = raw.replace(b"\x00", b"").decode("utf-8", "replace").strip() if raw else ""
    return model, "Raspberry Pi" in model
