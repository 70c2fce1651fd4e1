"""Unit tests of the hosts_entries filters: pi_base's /etc/hosts and the duplicate checks of
pi_base's and site.yml's pre-flight."""

import re

import pytest
from ansible_collections.picluster.spark.plugins.filter import hosts_entries


def entry(name, address):
    return {"name": name, "address": address}


EXAMPLE = [entry("nuc", "192.168.1.10"), entry("pi1", "192.168.1.11"), entry("pi2", "192.168.1.12")]


def test_filters_are_registered_under_their_documented_names():
    assert hosts_entries.FilterModule().filters() == {
        "hosts_entries_duplicates": hosts_entries.duplicates,
        "hosts_entries_stale_regexp": hosts_entries.stale_regexp,
        "hosts_entries_block": hosts_entries.block,
        "hosts_entries_absent": hosts_entries.absent,
    }


# duplicates


def test_no_duplicates_in_the_example_inventory():
    assert hosts_entries.duplicates(EXAMPLE) == {"names": [], "addresses": [], "clashes": []}


def test_no_duplicates_without_entries():
    assert hosts_entries.duplicates([]) == {"names": [], "addresses": [], "clashes": []}


def test_a_shared_hostname_names_the_addresses_in_the_entries_order():
    # test_bad_input.py's pi2 with pi_base_hostname: pi1.
    nodes = [entry("nuc", "10.0.0.1"), entry("pi1", "10.0.0.3"), entry("pi1", "10.0.0.2")]
    assert hosts_entries.duplicates(nodes) == {
        "names": ["pi1"],
        "addresses": [],
        "clashes": ["hostname 'pi1' (10.0.0.3, 10.0.0.2)"],
    }


def test_a_shared_address_names_the_hosts():
    nodes = [entry("pi1", "10.0.0.1"), entry("pi2", "10.0.0.1")]
    assert hosts_entries.duplicates(nodes) == {
        "names": [],
        "addresses": ["10.0.0.1"],
        "clashes": ["address 10.0.0.1 (pi1, pi2)"],
    }


def test_names_then_addresses_each_sorted_and_three_way_shares_listed_once():
    nodes = [
        entry("b", "1.1.1.1"),
        entry("a", "1.1.1.1"),
        entry("a", "2.2.2.2"),
        entry("b", "2.2.2.2"),
        entry("a", "3.3.3.3"),
        entry("c", "1.1.1.1"),
    ]
    assert hosts_entries.duplicates(nodes) == {
        "names": ["a", "b"],
        "addresses": ["1.1.1.1", "2.2.2.2"],
        "clashes": [
            "hostname 'a' (1.1.1.1, 2.2.2.2, 3.3.3.3)",
            "hostname 'b' (1.1.1.1, 2.2.2.2)",
            "address 1.1.1.1 (b, a, c)",
            "address 2.2.2.2 (a, b)",
        ],
    }


def test_case_does_not_make_a_name_distinct_and_the_first_spelling_is_kept():
    # As Jinja's groupby and Ansible's unique (the assert's condition) compare.
    nodes = [entry("Pi1", "10.0.0.1"), entry("pi1", "10.0.0.2"), entry("x", "fe80::A"), entry("y", "FE80::a")]
    found = hosts_entries.duplicates(nodes)
    assert found["names"] == ["Pi1"]
    assert found["addresses"] == ["fe80::A"]


def test_values_that_are_not_text_are_printed_as_text():
    nodes = [entry(1, "10.0.0.1"), entry(1, "10.0.0.2")]
    assert hosts_entries.duplicates(nodes) == {
        "names": ["1"],
        "addresses": [],
        "clashes": ["hostname '1' (10.0.0.1, 10.0.0.2)"],
    }


def test_null_values_cannot_be_sorted():
    # Nor can Jinja's groupby; pi_base's check refuses a null address anyway.
    with pytest.raises(TypeError):
        hosts_entries.duplicates([entry("a", None), entry("b", None)])


def test_names_of_different_types_cannot_be_sorted():
    # Jinja's groupby fails the same way; the assert's own check still holds.
    with pytest.raises(TypeError):
        hosts_entries.duplicates([entry(1, "10.0.0.1"), entry("pi1", "10.0.0.2")])


# stale_regexp: applied as ansible.builtin.replace applies it (MULTILINE).

HOSTS = (
    "127.0.0.1\tlocalhost\n"
    "127.0.1.1\tpi1\n"
    "# 10.9.9.9 pi1\n"
    "192.168.1.11 pi1 pi1.lan\n"
    "10.0.0.9 other pi2\n"
    "10.0.0.8 pi10\n"
    "::1 localhost ip6-localhost\n"
    "192.168.1.10 nuc"
)


def remove_stale(entries, text=HOSTS):
    return re.sub(hosts_entries.stale_regexp(entries), "", text, flags=re.MULTILINE)


def test_stale_regexp_of_one_entry_is_the_documented_expression():
    assert hosts_entries.stale_regexp([entry("pi1", "10.0.0.1")]) == (
        r"^(?!#)(?:(?!10\.0\.0\.1[ \t])\S+[ \t]+(?:.*[ \t])?pi1)(?:[ \t].*)?(?:\n|\Z)"
    )


def test_stale_lines_go_and_the_rest_stays():
    assert remove_stale(EXAMPLE) == (
        "127.0.0.1\tlocalhost\n"
        "# 10.9.9.9 pi1\n"
        "192.168.1.11 pi1 pi1.lan\n"
        "10.0.0.8 pi10\n"
        "::1 localhost ip6-localhost\n"
        "192.168.1.10 nuc"
    )


def test_a_name_at_another_address_goes_on_the_last_line_without_a_line_break():
    assert remove_stale([entry("nuc", "192.168.1.99")]).endswith("::1 localhost ip6-localhost\n")


def test_dots_in_names_and_addresses_match_only_dots():
    entries = [entry("pi1.lan", "192.168.1.11")]
    assert remove_stale(entries, "192.168.1.11 pi1.lan\n192x168x1x11 pi1xlan\n10.0.0.1 pi1.lan\n") == (
        "192.168.1.11 pi1.lan\n192x168x1x11 pi1xlan\n"
    )


def test_ipv6_addresses_are_escaped():
    assert remove_stale([entry("pi1", "fe80::1")], "fe80::1 pi1\nfe80::2 pi1\n") == "fe80::1 pi1\n"


def test_without_entries_the_expression_matches_blank_lines():
    # hosts.yml is only imported with entries; this pins what the empty case is.
    assert hosts_entries.stale_regexp([]) == r"^(?!#)(?:)(?:[ \t].*)?(?:\n|\Z)"
    assert remove_stale([], "a b\n\n  indented\n# c\n") == "a b\n# c\n"


# block


def test_block_lists_address_then_name_in_the_entries_order():
    assert hosts_entries.block(EXAMPLE) == "192.168.1.10 nuc\n192.168.1.11 pi1\n192.168.1.12 pi2\n"


def test_block_of_no_entries_is_empty():
    assert hosts_entries.block([]) == ""


def test_block_prints_null_as_nothing():
    assert hosts_entries.block([entry("pi1", None)]) == " pi1\n"


# absent

MARKER = "# {mark} picluster nodes (managed by Ansible)"
BLOCK = (
    "# BEGIN picluster nodes (managed by Ansible)\n"
    "192.168.1.10 nuc\n192.168.1.11 pi1\n"
    "# END picluster nodes (managed by Ansible)\n"
)


def test_absent_removes_the_block_and_gives_the_hostname_back_to_127_0_1_1():
    text = "127.0.0.1\tlocalhost\n::1 localhost ip6-localhost\n" + BLOCK
    assert (
        hosts_entries.absent(text, MARKER, "pi1")
        == "127.0.0.1\tlocalhost\n127.0.1.1\tpi1\n::1 localhost ip6-localhost\n"
    )


def test_absent_adds_no_line_when_another_line_names_the_host():
    # A container's runtime writes its own line for the hostname.
    text = "127.0.0.1 localhost\n172.28.20.11 pi1\n" + BLOCK + "# a comment\n"
    assert hosts_entries.absent(text, MARKER, "pi1") == "127.0.0.1 localhost\n172.28.20.11 pi1\n# a comment\n"


def test_absent_does_not_count_a_commented_name():
    text = "127.0.0.1 localhost # pi1 was here\n" + BLOCK
    assert hosts_entries.absent(text, MARKER, "pi1").splitlines() == [
        "127.0.0.1 localhost # pi1 was here",
        "127.0.1.1\tpi1",
    ]


def test_absent_is_a_no_op_without_the_block():
    # A second run, or a node pi_base never touched: nothing changes, not even the hostname line.
    text = "127.0.0.1 localhost\n"
    assert hosts_entries.absent(text, MARKER, "pi1") == text
    once = hosts_entries.absent("127.0.0.1 localhost\n" + BLOCK, MARKER, "pi1")
    assert hosts_entries.absent(once, MARKER, "pi1") == once


def test_absent_removes_the_block_when_the_file_ends_without_a_line_break():
    text = "127.0.0.1 localhost\n" + BLOCK.rstrip("\n")
    assert hosts_entries.absent(text, MARKER, "nuc") == "127.0.0.1 localhost\n127.0.1.1\tnuc\n"
