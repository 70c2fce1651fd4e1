# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The firewall role's plan: who may reach which port, read from the role's inputs.

One filter, firewall_plan, parses the networks with Python's ipaddress, splits
them into IPv4 and IPv6, checks the ports and names every problem; the role's
pre-flight fails on any problem and the template writes the plan as it is.
Plain functions, so tests/unit can call them without a play.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.picluster.spark.plugins.module_utils.network import ssh_connection_ends
from ansible_collections.picluster.spark.plugins.module_utils.whole_number import whole_number

# A port's name goes into an nft comment: plain words only, nothing to quote.
_PORT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_PROTOCOLS = ("tcp", "udp")


def parse_network(value):
    """``value`` ("10.0.0.0/24", "10.0.0.5", "fd00::/64", "fd00::5") as an ip_network, or None.

    A single address is a /32 (IPv4) or /128 (IPv6). A network with host bits set
    (10.0.0.5/24) is refused: it is most likely a typo for its network.
    """
    if not isinstance(value, str) or value != value.strip() or not value:
        return None
    try:
        return ipaddress.ip_network(value, strict=True)
    except ValueError:
        return None


def _networks(values, label, problems):
    """The parsed networks of ``values``, in order, once each; unparsed ones go to ``problems``."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)):
        problems.append(f"{label} must be a list of addresses or networks, got {values!r}.")
        return []
    parsed = []
    for value in values:
        network = parse_network(value)
        if network is None:
            problems.append(
                f"{label}: {value!r} is not an IPv4 or IPv6 address or network in CIDR form "
                "(10.0.0.0/24, 192.168.1.50, fd00::/64), or has host bits set."
            )
        elif network not in parsed:
            parsed.append(network)
    return parsed


def _split(networks):
    """{"ipv4": [...], "ipv6": [...]} as text, each family sorted and collapsed.

    An nft interval set refuses overlapping elements (the controller's address
    inside an admin network), so networks inside others are merged into them.
    """
    return {
        family: [str(n) for n in ipaddress.collapse_addresses(n for n in networks if n.version == version)]
        for family, version in (("ipv4", 4), ("ipv6", 6))
    }


def _port(value):
    """``value`` as a port number 1..65535, or None (booleans and words are refused).

    Digits as text ("7077", from a template) are read as the number.
    """
    value = whole_number(value, digits=5)
    return value if value is not None and 1 <= value <= 65535 else None


def _ports(entries, label, problems):
    """The port entries as the template writes them: name, proto, ports ("7077" or "32768-60999")."""
    if not isinstance(entries, (list, tuple)):
        problems.append(f"{label} must be a list of {{name, port, last, proto}}, got {entries!r}.")
        return []
    ports = []
    for entry in entries:
        if not isinstance(entry, dict):
            problems.append(f"{label}: {entry!r} is not a dict with name and port.")
            continue
        name = entry.get("name")
        if not (isinstance(name, str) and _PORT_NAME.fullmatch(name)):
            problems.append(
                f"{label}: the name {name!r} must be one word (letters, digits, '_', '.', '-'; 64 at most)."
            )
            continue
        proto = entry.get("proto", "tcp")
        port = _port(entry.get("port"))
        last = entry.get("last")
        last = port if last is None else _port(last)
        if proto not in _PROTOCOLS:
            problems.append(f"{label}: {name} has proto {proto!r}; it must be tcp or udp.")
        elif port is None:
            problems.append(f"{label}: {name} has port {entry.get('port')!r}, out of range 1-65535.")
        elif last is None:
            problems.append(f"{label}: {name} has last {entry.get('last')!r}, out of range 1-65535.")
        elif last < port:
            problems.append(f"{label}: {name} has last {last} below its port {port}.")
        else:
            ports.append(
                {"name": name, "proto": proto, "ports": str(port) if last == port else f"{port}-{last}"}
            )
    return ports


def _covers(networks, address):
    return any(address.version == n.version and address in n for n in networks)


def plan(inputs):
    """The firewall of one node from the role's inputs, and the problems that forbid it.

    ``inputs`` has the role's inputs without their prefix: admin_networks,
    cluster_addresses, controller_address ("" when unknown), ssh_port,
    ssh_networks, cluster_ports, ui_ports, and host (the node's name, for the
    messages). Returns ``problems`` (empty when the plan is usable), the source
    sets ``ssh``, ``cluster`` and ``ui`` (each {"ipv4": [...], "ipv6": [...]}),
    ``ssh_port``, ``cluster_ports`` and ``ui_ports``.

    SSH is open to the controller, the admin networks and the nodes, or, when
    ssh_networks lists any, to those and the nodes; the cluster's ports to the
    nodes only; the UI ports to the nodes and the admin networks.
    """
    problems = []
    host = inputs.get("host") or "this node"
    admin = _networks(inputs.get("admin_networks", []), "firewall_admin_networks", problems)
    cluster = _networks(inputs.get("cluster_addresses", []), "firewall_cluster_addresses", problems)
    if not inputs.get("cluster_addresses"):
        problems.append(
            "firewall_cluster_addresses is empty: the nodes could not reach one another. "
            "Pass every node's address (site.yml passes picluster_nodes' addresses)."
        )
    explicit = _networks(inputs.get("ssh_networks", []), "firewall_ssh_networks", problems)

    controller = None
    given = inputs.get("controller_address") or ""
    if given:
        controller = parse_network(given)
        if controller is None or controller.num_addresses != 1:
            problems.append(
                f"firewall_controller_address {given!r} is not one IPv4 or IPv6 address "
                "(the address the controller connects from)."
            )
            controller = None
    controller_address = controller.network_address if controller is not None else None

    ssh_port = _port(inputs.get("ssh_port", 22))
    if ssh_port is None:
        problems.append(f"firewall_ssh_port is {inputs.get('ssh_port')!r}, out of range 1-65535.")

    if explicit:
        ssh = explicit + [n for n in cluster if n not in explicit]
        if controller_address is not None and not _covers(explicit + cluster, controller_address):
            problems.append(
                f"The controller reaches {host} from {controller_address}, which firewall_ssh_networks "
                f"({', '.join(str(n) for n in explicit)}) does not include: the next play could not "
                f"reach {host}. Add {controller_address} (or its network) to firewall_ssh_networks."
            )
    else:
        ssh = ([controller] if controller is not None else []) + admin + cluster
        ssh = [n for i, n in enumerate(ssh) if n not in ssh[:i]]
    ui = admin + [n for n in cluster if n not in admin]

    return {
        "problems": problems,
        "ssh": _split(ssh),
        "cluster": _split(cluster),
        "ui": _split(ui),
        "ssh_port": ssh_port,
        "cluster_ports": _ports(inputs.get("cluster_ports", []), "firewall_cluster_ports", problems),
        "ui_ports": _ports(inputs.get("ui_ports", []), "firewall_ui_ports", problems),
    }


def controller_address(ssh_connection):
    """The controller's address from SSH_CONNECTION ("client port server port"), or ""."""
    ends = ssh_connection_ends(ssh_connection)
    return ends[0] if ends else ""


class FilterModule:
    """Filters of the firewall role."""

    def filters(self):
        return {
            "firewall_plan": plan,
            "firewall_controller_address": controller_address,
        }
