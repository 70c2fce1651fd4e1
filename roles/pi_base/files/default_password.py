#!/usr/bin/python3
"""Report which accounts still accept the Raspberry Pi OS default password.

Usage: default_password.py ACCOUNT...   (as root: it reads /etc/shadow)

Hashes the default password with each account's own salt through the
system's crypt(3), which knows every scheme the distribution uses
(yescrypt, sha512-crypt, ...), and compares. Prints one JSON object,
{"accounts": {name: state}}, where state is one of:
  default  the account accepts the default password
  other    it has a different password
  locked   no password login (locked, or no hash)
  absent   no such account
  unknown  no usable crypt(3) on this system
The hashes themselves are never printed.
"""

import ctypes
import ctypes.util
import json
import sys

DEFAULT_PASSWORD = b"raspberry"


def load_crypt():
    """Return crypt(3) from the system's libcrypt, or None."""
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
    """Map account name to its password field."""
    entries = {}
    with open(path, "rb") as shadow:
        for line in shadow:
            fields = line.rstrip(b"\n").split(b":")
            if len(fields) > 1:
                entries[fields[0].decode("utf-8", "replace")] = fields[1]
    return entries


def state_of(password_field, crypt):
    """Classify one account's password field."""
    if password_field is None:
        return "absent"
    # '!' and '*' prefixes lock the account; an empty field has no password
    # login at all with sshd's default PermitEmptyPasswords no.
    if not password_field or password_field[:1] in (b"!", b"*"):
        return "locked"
    if crypt is None:
        return "unknown"
    return "default" if crypt(DEFAULT_PASSWORD, password_field) == password_field else "other"


def main(accounts):
    crypt = load_crypt()
    shadow = read_shadow()
    states = {account: state_of(shadow.get(account), crypt) for account in accounts}
    print(json.dumps({"accounts": states}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
