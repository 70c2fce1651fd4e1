# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Filters of the nfs_share role's pre-flight: export paths, allowed networks, the
nodes the share goes to by default, the exports the server writes, and what every
node sees of the share.

Plain functions, so tests/unit can call them without a play.
"""

from __future__ import annotations

import re
from collections import Counter

from ansible_collections.picluster.spark.plugins.module_utils.network import (
    has_host_bits,
    host_network,
    ipv4_network,
)
from ansible_collections.picluster.spark.plugins.module_utils.system_paths import is_system_path

# Absolute and normalised: no trailing '/', no '.' or '..' parts, no spaces or
# characters that /etc/exports or a systemd unit name would have to escape.
_EXPORT_PATH = re.compile(r"(/[A-Za-z0-9_][A-Za-z0-9._-]*)+")


def path_problems(paths):
    """Sort the export paths' problems into malformed, system, twice and nested.

    Every list is empty when the paths are fit to export.
    """
    paths = list(paths)
    malformed = [p for p in paths if not (isinstance(p, str) and _EXPORT_PATH.fullmatch(p))]
    system = [p for p in dict.fromkeys(p for p in paths if isinstance(p, str)) if is_system_path(p)]
    twice = [p for p, count in Counter(paths).items() if count > 1]
    nested = [
        f"{inner} (inside {outer})"
        for outer in paths
        if isinstance(outer, str)
        for inner in paths
        if isinstance(inner, str) and inner.startswith(outer + "/")
    ]
    return {"malformed": malformed, "system": system, "twice": twice, "nested": nested}


def network_problems(networks):
    """Sort the allowed networks' problems: unparsed and host_bits_set.

    '*' (any host) is neither; the role decides on it. An address with host bits
    set (10.0.0.5/24) is most likely a typo for its network.
    """
    given = [str(n) for n in networks]
    unparsed = [n for n in given if n != "*" and ipv4_network(n) is None]
    host_bits_set = [n for n in given if has_host_bits(n)]
    return {"unparsed": unparsed, "host_bits_set": host_bits_set}


def default_networks(allowed_networks, client_addresses):
    """Who may mount an export that names no networks: {networks, not_addresses}.

    The allowed networks when any are listed (the explicit override); else each
    client address as a host entry (/32, /128), in order and once each, so that
    only the cluster's nodes mount, not every device on their network.
    ``not_addresses`` are the client addresses that are not one IP address (a DNS
    name would make the server trust whatever the name resolves to); they are
    only read when no allowed networks are listed.
    """
    allowed = [str(n) for n in allowed_networks]
    if allowed:
        return {"networks": allowed, "not_addresses": []}
    given = [str(a) for a in client_addresses]
    entries = {a: host_network(a) for a in given}
    return {
        "networks": list(dict.fromkeys(e for e in entries.values() if e is not None)),
        "not_addresses": [a for a in dict.fromkeys(given) if entries[a] is None],
    }


def server_exports(exports, default_networks, default_options):
    """The exports as the server writes them: path, networks, options (empty means the default)."""
    return [
        {
            "path": export["path"],
            "networks": export.get("networks") or default_networks,
            "options": export.get("options") or default_options,
        }
        for export in exports
    ]


def views(hosts, hostvars, default_state):
    """What each host that ran the path checks sees: {host: {server, state, paths}}.

    A host's own nfs_share_state (inventory) wins over ``default_state``.
    """
    seen = {}
    for host in hosts:
        node = hostvars[host]
        if "__nfs_share_paths" not in node:
            continue
        seen[host] = {
            "server": node["__nfs_share_server_ip"],
            "state": node.get("nfs_share_state", default_state),
            "paths": node["__nfs_share_paths"],
        }
    return seen


def uids(hosts, hostvars, owner):
    """The uid of ``owner`` on each host whose getent lookup found it: {host: uid}."""
    found = {}
    for host in hosts:
        entry = hostvars[host].get("__nfs_share_owner_entry") or {}
        passwd = (entry.get("ansible_facts") or {}).get("getent_passwd") or {}
        fields = passwd.get(owner)
        if fields is not None:
            found[host] = fields[1]
    return found


class FilterModule:
    """Filters of the nfs_share role."""

    def filters(self):
        return {
            "nfs_share_path_problems": path_problems,
            "nfs_share_network_problems": network_problems,
            "nfs_share_default_networks": default_networks,
            "nfs_share_server_exports": server_exports,
            "nfs_share_views": views,
            "nfs_share_uids": uids,
        }
