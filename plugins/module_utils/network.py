# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""IPv4 addresses and networks as the roles accept them, read with Python's
ipaddress: shared by the nfs_share filters and the ipv4_address test; and single
IPv4 or IPv6 addresses as host entries (the nodes nfs_share exports to); and the two
ends of an SSH session (the firewall's controller address, pi_base's Wi-Fi guard)."""

from __future__ import annotations

import ipaddress
import re

# A CIDR prefix as people write it: 0..32 without a leading zero (ipaddress alone
# would also take "/08" and the netmask form "/255.255.255.0").
_PREFIX = re.compile(r"3[0-2]|[12]?[0-9]")


def ipv4_network(value):
    """``value`` ("10.0.0.0/24", or "10.0.0.5" for a /32) as (address, network), or None.

    The address is dotted decimal without leading zeros and nothing around it;
    the network is the one the address lies in (host bits cleared).
    """
    if not isinstance(value, str):
        return None
    address, slash, prefix = value.partition("/")
    if slash and not _PREFIX.fullmatch(prefix):
        return None
    try:
        parsed = ipaddress.IPv4Address(address)
    except ValueError:
        return None
    return parsed, ipaddress.IPv4Network(f"{parsed}/{prefix or 32}", strict=False)


def is_ipv4_address(value):
    """True for one IPv4 address in dotted decimal form, without a prefix."""
    return isinstance(value, str) and "/" not in value and ipv4_network(value) is not None


def has_host_bits(value):
    """True when ``value`` parses and its address is not its network's (10.0.0.5/24)."""
    parsed = ipv4_network(value)
    return parsed is not None and parsed[0] != parsed[1].network_address


def host_network(value):
    """One IPv4 or IPv6 address as its host entry ("10.0.0.5/32", "fd00::5/128"), or None.

    Only a bare address is taken: no prefix, no zone (fe80::1%eth0), no name, nothing
    around it. IPv6 comes back in its short form.
    """
    if not isinstance(value, str) or "/" in value or "%" in value:
        return None
    if is_ipv4_address(value):
        return f"{value}/32"
    try:
        parsed = ipaddress.IPv6Address(value)
    except ValueError:
        return None
    return f"{parsed.compressed}/128"


def ssh_connection_ends(value):
    """SSH_CONNECTION ("client_address client_port server_address server_port") as
    (client address, server address), or None when it is not that (unset, a local run)."""
    fields = str(value or "").split()
    return (fields[0], fields[2]) if len(fields) == 4 else None
