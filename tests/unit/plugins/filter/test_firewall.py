"""Unit tests of the firewall filters and of the firewall role's nft template."""

import os
import pathlib
import shutil
import subprocess

import jinja2
import pytest
import yaml
from ansible_collections.picluster.spark.plugins.filter import firewall

ROLE = pathlib.Path(__file__).resolve().parents[4] / "roles" / "firewall"


def inputs(**changes):
    base = {
        "host": "pi1",
        "admin_networks": ["192.168.1.0/24", "fd00:1::/64"],
        "cluster_addresses": ["10.0.0.11", "10.0.0.12", "fd00:2::12"],
        "controller_address": "192.168.1.50",
        "ssh_port": 22,
        "ssh_networks": [],
        "cluster_ports": [
            {"name": "spark-master", "port": 7077},
            {"name": "spark-ephemeral", "port": 32768, "last": 60999},
            {"name": "gossip", "port": 7946, "proto": "udp"},
        ],
        "ui_ports": [{"name": "spark-master-ui", "port": 8080, "last": None}],
    }
    base.update(changes)
    return base


def test_filters_are_registered_under_their_documented_names():
    assert set(firewall.FilterModule().filters()) == {"firewall_plan", "firewall_controller_address"}


def test_the_normal_plan():
    plan = firewall.plan(inputs())
    assert plan == {
        "problems": [],
        # Sorted, and the controller's address merged into the admin network holding it.
        "ssh": {
            "ipv4": ["10.0.0.11/32", "10.0.0.12/32", "192.168.1.0/24"],
            "ipv6": ["fd00:1::/64", "fd00:2::12/128"],
        },
        "cluster": {"ipv4": ["10.0.0.11/32", "10.0.0.12/32"], "ipv6": ["fd00:2::12/128"]},
        "ui": {
            "ipv4": ["10.0.0.11/32", "10.0.0.12/32", "192.168.1.0/24"],
            "ipv6": ["fd00:1::/64", "fd00:2::12/128"],
        },
        "ssh_port": 22,
        "cluster_ports": [
            {"name": "spark-master", "proto": "tcp", "ports": "7077"},
            {"name": "spark-ephemeral", "proto": "tcp", "ports": "32768-60999"},
            {"name": "gossip", "proto": "udp", "ports": "7946"},
        ],
        "ui_ports": [{"name": "spark-master-ui", "proto": "tcp", "ports": "8080"}],
    }


def test_the_role_defaults_make_a_plan_without_problems():
    defaults = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text())
    plan = firewall.plan(
        {
            "host": "pi1",
            "admin_networks": defaults["firewall_admin_networks"],
            "cluster_addresses": ["10.0.0.11"],
            "controller_address": defaults["firewall_controller_address"],
            "ssh_port": defaults["firewall_ssh_port"],
            "ssh_networks": defaults["firewall_ssh_networks"],
            "cluster_ports": defaults["firewall_cluster_ports"],
            "ui_ports": defaults["firewall_ui_ports"],
        }
    )
    assert plan["problems"] == []
    assert [p["ports"] for p in plan["cluster_ports"]] == ["7077", "7078", "32768-60999", "2049"]
    assert [p["ports"] for p in plan["ui_ports"]] == ["8080", "8081", "4040-4049"]
    # No controller known (local connection) and no admins: SSH from the nodes only.
    assert plan["ssh"] == {"ipv4": ["10.0.0.11/32"], "ipv6": []}


def test_networks_are_listed_once_and_the_cluster_is_not_repeated_in_the_ui_sources():
    plan = firewall.plan(
        inputs(
            admin_networks=["10.0.0.11", "10.0.0.11/32"],
            controller_address="10.0.0.11",
            cluster_addresses=["10.0.0.11"],
        )
    )
    assert plan["problems"] == []
    assert plan["ssh"]["ipv4"] == ["10.0.0.11/32"]
    assert plan["ui"]["ipv4"] == ["10.0.0.11/32"]


def test_overlapping_and_adjacent_networks_are_merged_for_the_interval_sets():
    # nft refuses overlapping elements in an interval set.
    plan = firewall.plan(
        inputs(
            admin_networks=["192.168.1.0/25", "192.168.1.128/25", "192.168.1.7"],
            controller_address="10.0.0.12",
            cluster_addresses=["10.0.0.12", "10.0.0.13"],
        )
    )
    assert plan["problems"] == []
    assert plan["ssh"]["ipv4"] == ["10.0.0.12/31", "192.168.1.0/24"]
    assert plan["cluster"]["ipv4"] == ["10.0.0.12/31"]


def test_explicit_ssh_networks_replace_the_controller_and_admins_but_keep_the_nodes():
    plan = firewall.plan(inputs(ssh_networks=["192.168.1.0/25"]))
    assert plan["problems"] == []
    assert plan["ssh"] == {
        "ipv4": ["10.0.0.11/32", "10.0.0.12/32", "192.168.1.0/25"],
        "ipv6": ["fd00:2::12/128"],
    }


def test_explicit_ssh_networks_without_the_controller_are_refused():
    problems = firewall.plan(inputs(ssh_networks=["10.0.0.0/8"]))["problems"]
    assert problems == [
        "The controller reaches pi1 from 192.168.1.50, which firewall_ssh_networks (10.0.0.0/8) "
        "does not include: the next play could not reach pi1. "
        "Add 192.168.1.50 (or its network) to firewall_ssh_networks."
    ]


def test_a_controller_that_is_a_node_passes_explicit_ssh_networks():
    plan = firewall.plan(inputs(ssh_networks=["192.168.9.0/24"], controller_address="10.0.0.12"))
    assert plan["problems"] == []


def test_without_a_known_controller_explicit_ssh_networks_are_taken_as_they_are():
    assert firewall.plan(inputs(ssh_networks=["10.0.0.0/8"], controller_address=""))["problems"] == []


@pytest.mark.parametrize(
    "bad",
    ["192.168.1.0/33", "192.168.1.5/24", "192.168.1", "pi1.local", "", " 10.0.0.0/8", "fd00::/129", "*", 7],
)
def test_an_admin_network_that_does_not_parse_is_named(bad):
    problems = firewall.plan(inputs(admin_networks=["192.168.1.0/24", bad]))["problems"]
    assert len(problems) == 1
    assert problems[0].startswith(f"firewall_admin_networks: {bad!r} is not an IPv4 or IPv6 address")


def test_a_node_address_that_is_a_name_is_named():
    problems = firewall.plan(inputs(cluster_addresses=["10.0.0.11", "pi2.local"]))["problems"]
    assert len(problems) == 1
    assert "firewall_cluster_addresses: 'pi2.local'" in problems[0]


def test_networks_given_as_one_string_are_refused():
    problems = firewall.plan(inputs(admin_networks="192.168.1.0/24"))["problems"]
    assert problems == [
        "firewall_admin_networks must be a list of addresses or networks, got '192.168.1.0/24'."
    ]


def test_an_empty_cluster_address_list_is_refused():
    plan = firewall.plan(inputs(cluster_addresses=[]))
    assert len(plan["problems"]) == 1
    assert plan["problems"][0].startswith("firewall_cluster_addresses is empty")


@pytest.mark.parametrize("bad", ["192.168.1.0/24", "pi-controller", "10.0.0.300"])
def test_a_controller_address_must_be_one_address(bad):
    problems = firewall.plan(inputs(controller_address=bad))["problems"]
    assert problems == [
        f"firewall_controller_address {bad!r} is not one IPv4 or IPv6 address "
        "(the address the controller connects from)."
    ]


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"name": "x", "port": 0}, "firewall_cluster_ports: x has port 0, out of range 1-65535."),
        ({"name": "x", "port": 65536}, "firewall_cluster_ports: x has port 65536, out of range 1-65535."),
        ({"name": "x", "port": "http"}, "firewall_cluster_ports: x has port 'http', out of range 1-65535."),
        ({"name": "x", "port": True}, "firewall_cluster_ports: x has port True, out of range 1-65535."),
        ({"name": "x"}, "firewall_cluster_ports: x has port None, out of range 1-65535."),
        (
            {"name": "x", "port": 10, "last": 70000},
            "firewall_cluster_ports: x has last 70000, out of range 1-65535.",
        ),
        (
            {"name": "x", "port": 7078, "last": 7077},
            "firewall_cluster_ports: x has last 7077 below its port 7078.",
        ),
        (
            {"name": "x", "port": 53, "proto": "sctp"},
            "firewall_cluster_ports: x has proto 'sctp'; it must be tcp or udp.",
        ),
        (
            {"name": "two words", "port": 1},
            "firewall_cluster_ports: the name 'two words' must be one word "
            "(letters, digits, '_', '.', '-'; 64 at most).",
        ),
        (
            {"port": 1},
            "firewall_cluster_ports: the name None must be one word "
            "(letters, digits, '_', '.', '-'; 64 at most).",
        ),
        ("7077", "firewall_cluster_ports: '7077' is not a dict with name and port."),
    ],
)
def test_bad_cluster_ports(entry, problem):
    plan = firewall.plan(inputs(cluster_ports=[{"name": "ok", "port": 1}, entry]))
    assert plan["problems"] == [problem]
    assert plan["cluster_ports"] == [{"name": "ok", "proto": "tcp", "ports": "1"}]


def test_bad_ui_ports_are_named_as_ui_ports():
    problems = firewall.plan(inputs(ui_ports=[{"name": "ui", "port": 9000, "last": 8999}]))["problems"]
    assert problems == ["firewall_ui_ports: ui has last 8999 below its port 9000."]


def test_ports_as_digits_are_read_as_numbers():
    plan = firewall.plan(inputs(ssh_port="2222", ui_ports=[{"name": "ui", "port": "8080", "last": "8081"}]))
    assert plan["problems"] == []
    assert plan["ssh_port"] == 2222
    assert plan["ui_ports"] == [{"name": "ui", "proto": "tcp", "ports": "8080-8081"}]


@pytest.mark.parametrize("bad", [0, 65536, "ssh", None])
def test_a_bad_ssh_port_is_refused(bad):
    problems = firewall.plan(inputs(ssh_port=bad))["problems"]
    assert problems == [f"firewall_ssh_port is {bad!r}, out of range 1-65535."]


@pytest.mark.parametrize(
    ("value", "address"),
    [
        ("192.168.1.50 51234 10.0.0.11 22", "192.168.1.50"),
        ("fd00:1::5 51234 fd00:2::11 22", "fd00:1::5"),
        ("", ""),
        (None, ""),
        ("garbage", ""),
    ],
)
def test_controller_address_from_ssh_connection(value, address):
    assert firewall.controller_address(value) == address


# The template, rendered as Ansible would with the filter's plan.


def render(plan, log_dropped=False):
    env = jinja2.Environment(
        # As ansible.builtin.template renders.
        loader=jinja2.FileSystemLoader(ROLE / "templates"),
        trim_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["comment"] = lambda text: "#\n# " + text + "\n#"
    return env.get_template("firewall.nft.j2").render(
        __firewall_plan=plan,
        __firewall_nft="/usr/sbin/nft",
        firewall_log_dropped=log_dropped,
        ansible_managed="Managed by picluster.spark",
    )


def rule_lines(text):
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_the_rendered_ruleset_replaces_our_table_only():
    lines = rule_lines(render(firewall.plan(inputs())))
    assert lines[:3] == ["table inet picluster {}", "delete table inet picluster", "table inet picluster {"]
    assert "flush ruleset" not in lines
    assert sum(line.startswith("table ") for line in lines) == 2
    assert "type filter hook input priority filter; policy drop;" in lines
    assert lines[-3:] == ["drop", "}", "}"]
    assert not any(line.startswith("limit rate") for line in lines)


def test_the_rendered_ruleset_accepts_the_basics_before_anything_else():
    lines = rule_lines(render(firewall.plan(inputs())))
    start = lines.index("type filter hook input priority filter; policy drop;")
    assert lines[start + 1 : start + 8] == [
        "iif lo accept",
        "ct state established,related accept",
        "ct state invalid drop",
        "meta l4proto icmp accept",
        "meta l4proto ipv6-icmp accept",
        "udp sport 67 udp dport 68 accept",
        "udp sport 547 udp dport 546 accept",
    ]


def test_the_rendered_ruleset_has_each_source_set_and_each_port():
    text = render(firewall.plan(inputs()))
    assert "set ssh_ipv4 {" in text
    assert "elements = { 10.0.0.11/32, 10.0.0.12/32, 192.168.1.0/24 }" in text
    assert "elements = { fd00:1::/64, fd00:2::12/128 }" in text
    assert "elements = { 10.0.0.11/32, 10.0.0.12/32 }" in text
    for name in ["ssh_ipv4", "ssh_ipv6", "cluster_ipv4", "cluster_ipv6", "ui_ipv4", "ui_ipv6"]:
        assert f"set {name} {{" in text
    lines = rule_lines(text)
    for rule in [
        'ip saddr @ssh_ipv4 tcp dport 22 accept comment "ssh"',
        'ip6 saddr @ssh_ipv6 tcp dport 22 accept comment "ssh"',
        'ip saddr @cluster_ipv4 tcp dport 7077 accept comment "spark-master"',
        'ip6 saddr @cluster_ipv6 tcp dport 7077 accept comment "spark-master"',
        'ip saddr @cluster_ipv4 tcp dport 32768-60999 accept comment "spark-ephemeral"',
        'ip saddr @cluster_ipv4 udp dport 7946 accept comment "gossip"',
        'ip saddr @ui_ipv4 tcp dport 8080 accept comment "spark-master-ui"',
        'ip6 saddr @ui_ipv6 tcp dport 8080 accept comment "spark-master-ui"',
    ]:
        assert rule in lines
    # Cluster ports are never open to the UI (admin) sources.
    assert not any("@ui_" in line and "7077" in line for line in lines)


def test_an_empty_family_has_neither_set_nor_rules():
    text = render(
        firewall.plan(inputs(admin_networks=[], cluster_addresses=["10.0.0.11"], controller_address=""))
    )
    assert "ipv6" not in text.replace("ipv6-icmp", "")
    assert "ip6 saddr" not in text


def test_log_dropped_adds_a_rate_limited_log_before_the_drop():
    lines = rule_lines(render(firewall.plan(inputs()), log_dropped=True))
    assert lines[-4:-2] == ['limit rate 5/minute log prefix "picluster-firewall drop: "', "drop"]


# nft -c talks to the kernel: it needs nft and root.
@pytest.mark.skipif(shutil.which("nft") is None or os.geteuid() != 0, reason="needs nft and root")
def test_nft_accepts_the_rendered_ruleset(tmp_path):
    path = tmp_path / "firewall.nft"
    path.write_text(render(firewall.plan(inputs()), log_dropped=True))
    result = subprocess.run(["nft", "-c", "-f", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
