# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Filters over the cluster's /etc/hosts entries, a list of {name, address}
(pi_base_hosts_entries, and the nodes cluster_layout derives): which names and
addresses are taken twice, the lines of /etc/hosts that map a cluster name
elsewhere, the block pi_base writes, and /etc/hosts once pi_base's block goes.

Plain functions, so tests/unit can call them without a play.
"""

from __future__ import annotations

import re
from itertools import groupby


def _fold(value):
    # Jinja's groupby and Ansible's unique compare strings without case.
    return value.lower() if isinstance(value, str) else value


def _shared(entries, key, other):
    """[(value, [other of each entry])] for every value of ``key`` that more than one
    entry has, sorted as Jinja's groupby sorts (case-insensitive); a value is spelled
    as its first entry spells it."""

    def folded(entry):
        return _fold(entry[key])

    shared = []
    for _, grouped in groupby(sorted(entries, key=folded), key=folded):
        group = list(grouped)
        if len(group) > 1:
            shared.append((group[0][key], [e[other] for e in group]))
    return shared


def duplicates(entries):
    """The names and addresses more than one entry has, and a phrase for each.

    Returns names and addresses (lists of text; compared without case, as the
    roles' checks compare them) and clashes: "hostname 'NAME' (ADDRESSES)" for
    each shared name, then "address ADDRESS (NAMES)" for each shared address.
    Values of different types cannot be sorted and fail, as in Jinja's groupby.
    """
    entries = list(entries)
    names = _shared(entries, "name", "address")
    addresses = _shared(entries, "address", "name")
    return {
        "names": [str(name) for name, _ in names],
        "addresses": [str(address) for address, _ in addresses],
        "clashes": [f"hostname '{name}' ({_join(others)})" for name, others in names]
        + [f"address {address} ({_join(others)})" for address, others in addresses],
    }


def _join(values):
    return ", ".join(str(v) for v in values)


def _text(value):
    # A value on its own in a template: null prints as nothing.
    return "" if value is None else str(value)


def stale_regexp(entries):
    """A regular expression for ansible.builtin.replace that matches every line of
    /etc/hosts mapping one of the entries' names to an address other than its own
    (Debian's ``127.0.1.1 <hostname>`` included), with its newline.

    Comment lines never match. Call it with at least one entry: for none, the
    alternation is empty and the expression matches every line that is empty or
    starts with a blank.
    """
    alternatives = "|".join(
        rf"(?!{re.escape(str(e['address']))}[ \t])\S+[ \t]+(?:.*[ \t])?{re.escape(str(e['name']))}"
        for e in entries
    )
    return rf"^(?!#)(?:{alternatives})(?:[ \t].*)?(?:\n|\Z)"


def _names(line):
    """The names a line of /etc/hosts gives its address (none for a comment)."""
    fields = line.split("#", 1)[0].split()
    return fields[1:]


def absent(content, marker, hostname):
    """/etc/hosts without pi_base's block, its text in, its text out.

    ``marker`` is the block's marker with ``{mark}`` where BEGIN and END go, as
    ansible.builtin.blockinfile writes it. pi_base's own run dropped Debian's
    ``127.0.1.1 <hostname>`` line (the block named the node instead), so when the
    block goes and no line names ``hostname`` any more, that line comes back after
    the last 127.0.0.1 line: sudo and the node's own programs still resolve its
    name. Without a block the text is returned unchanged.
    """
    begin, end = marker.replace("{mark}", "BEGIN"), marker.replace("{mark}", "END")
    lines = content.splitlines(keepends=True)
    stripped = [line.rstrip("\r\n") for line in lines]
    if begin not in stripped:
        return content
    first = stripped.index(begin)
    last = stripped.index(end, first) if end in stripped[first:] else len(lines) - 1
    kept = lines[:first] + lines[last + 1 :]
    if hostname and not any(hostname in _names(line) for line in kept):
        if kept and not kept[-1].endswith("\n"):
            kept[-1] += "\n"
        loopback = [i for i, line in enumerate(kept) if line.split()[:1] == ["127.0.0.1"]]
        at = loopback[-1] + 1 if loopback else len(kept)
        kept.insert(at, f"127.0.1.1\t{hostname}\n")
    return "".join(kept)


def block(entries):
    """The /etc/hosts lines for the entries, ``ADDRESS NAME``, each ending in a newline."""
    return "".join(f"{_text(e['address'])} {_text(e['name'])}\n" for e in entries)


class FilterModule:
    """Filters over the cluster's /etc/hosts entries."""

    def filters(self):
        return {
            "hosts_entries_duplicates": duplicates,
            "hosts_entries_stale_regexp": stale_regexp,
            "hosts_entries_block": block,
            "hosts_entries_absent": absent,
        }
