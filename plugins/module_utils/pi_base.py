# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""What pi_base decides from a node's state: pure functions, unit-tested.

The pi_base_probe module reads the node and hands what it read to these.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import ipaddress
import os
import re

from ansible_collections.picluster.spark.plugins.module_utils.network import ssh_connection_ends

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


def wireless_interfaces(net_dir="/sys/class/net"):
    """Names of the node's wireless interfaces, sorted: the kernel marks them with a
    `wireless` or `phy80211` entry; a name starting `wl` counts too (systemd's naming)."""
    try:
        names = os.listdir(net_dir)
    except OSError:
        return []
    return sorted(
        name
        for name in names
        if name.startswith("wl")
        or os.path.exists(os.path.join(net_dir, name, "wireless"))
        or os.path.exists(os.path.join(net_dir, name, "phy80211"))
    )


def ssh_server_address(ssh_connection):
    """The node's own address in SSH_CONNECTION ("client port server port"), or None."""
    ends = ssh_connection_ends(ssh_connection)
    return ends[1] if ends else None


def _environ_value(proc, pid, name):
    try:
        with open(os.path.join(proc, str(pid), "environ"), "rb") as handle:
            entries = handle.read().split(b"\0")
    except OSError:
        return None
    prefix = name.encode() + b"="
    for entry in entries:
        if entry.startswith(prefix):
            return entry[len(prefix) :].decode("utf-8", "replace")
    return None


def _parent_pid(proc, pid):
    try:
        with open(os.path.join(proc, str(pid), "stat"), "rb") as handle:
            stat = handle.read()
    except OSError:
        return None
    # The command name (2nd field) is in parentheses and may hold spaces.
    fields = stat[stat.rfind(b")") + 2 :].split()
    return int(fields[1]) if len(fields) > 1 else None


def find_ssh_connection(environ, pid, proc="/proc"):
    """SSH_CONNECTION of the session this process runs in, or None (a local connection).

    become (sudo, su) drops it from the module's own environment, so the process's
    ancestors are read up to the SSH session's shell (root may read their environ).
    """
    if environ.get("SSH_CONNECTION"):
        return environ["SSH_CONNECTION"]
    seen = set()
    while pid and pid > 1 and pid not in seen:
        seen.add(pid)
        value = _environ_value(proc, pid, "SSH_CONNECTION")
        if value:
            return value
        pid = _parent_pid(proc, pid)
    return None


def _same_address(text):
    """An address as a comparable key: IPv6 zone dropped, IPv4-mapped IPv6 as IPv4."""
    bare = str(text).split("%", 1)[0]
    try:
        parsed = ipaddress.ip_address(bare)
    except ValueError:
        return bare
    mapped = getattr(parsed, "ipv4_mapped", None)
    return mapped or parsed


def interface_of(facts, address):
    """The interface (Ansible's network facts) that holds ``address``, or None."""
    wanted = _same_address(address)
    for name in facts.get("interfaces") or []:
        info = facts.get(re.sub(r"[^A-Za-z0-9_]", "_", name)) or {}
        held = [info.get("ipv4") or {}, *(info.get("ipv4_secondaries") or []), *(info.get("ipv6") or [])]
        if any(entry.get("address") and _same_address(entry["address"]) == wanted for entry in held):
            return info.get("device") or name
    return None


def wifi_link_problems(facts, wireless, reached_address, cluster_address, *, disable_wifi=True, is_pi=True):
    """Why switching Wi-Fi off would cut this node off: a list, empty when it would not.

    pi_base blocks the radios of a Raspberry Pi (``is_pi``) when ``disable_wifi``. That
    cuts the node off if Ansible reaches it (``reached_address``, the server side of
    SSH_CONNECTION) or the cluster talks to it (``cluster_address``) over one of the
    ``wireless`` interfaces. An address no interface holds (a NAT in between, a name)
    is no problem of this check.
    """
    if not (disable_wifi and is_pi):
        return []
    wireless = set(wireless)
    problems = []
    for address, says in (
        (reached_address, "Ansible reaches it at {address}, on {interface}"),
        (cluster_address, "its cluster address {address} is on {interface}"),
    ):
        if not address:
            continue
        interface = interface_of(facts, address)
        if interface is not None and (interface in wireless or interface.startswith("wl")):
            problems.append(says.format(address=address, interface=interface))
    return problems
