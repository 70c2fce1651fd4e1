"""IPv4 addresses and networks as the roles accept them (module_utils/network.py)."""

import ipaddress

import pytest
from ansible_collections.picluster.spark.plugins.module_utils import network


@pytest.mark.parametrize(
    ("value", "address", "net"),
    [
        ("10.0.0.0/24", "10.0.0.0", "10.0.0.0/24"),
        ("10.0.0.5/24", "10.0.0.5", "10.0.0.0/24"),
        ("10.0.0.5", "10.0.0.5", "10.0.0.5/32"),
        ("0.0.0.0/0", "0.0.0.0", "0.0.0.0/0"),
        ("255.255.255.255/32", "255.255.255.255", "255.255.255.255/32"),
        ("192.168.1.128/25", "192.168.1.128", "192.168.1.128/25"),
        ("172.16.3.7/12", "172.16.3.7", "172.16.0.0/12"),
    ],
)
def test_parses_cidr_and_single_addresses(value, address, net):
    parsed, network_ = network.ipv4_network(value)
    assert parsed == ipaddress.IPv4Address(address)
    assert network_ == ipaddress.IPv4Network(net)


@pytest.mark.parametrize(
    "value",
    [
        "10.77.0.0/33",
        "256.0.0.0/8",
        "10.0.0/24",
        "10.0.0.0.0",
        "010.0.0.0/8",  # leading zeros read as octal by some tools
        "10.0.0.0/08",
        "10.0.0.0/255.255.255.0",  # netmask form: ipaddress takes it, exports(5) readers may not
        "10.0.0.0/",
        "10.0.0.0/24\n",  # the YAML regex let a trailing newline through
        " 10.0.0.0/24",
        "fd00::/8",
        "*",
        "",
        None,
        167772160,  # 10.0.0.0 as a number
    ],
)
def test_refuses_what_is_not_an_ipv4_network(value):
    assert network.ipv4_network(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.0.0.5/24", True),
        ("10.0.0.0/24", False),
        ("10.0.0.5", False),  # a /32 has no host bits
        ("10.0.0.1/31", True),
        ("10.0.0.2/31", False),
        ("0.0.0.1/0", True),
        ("not an address", False),
    ],
)
def test_has_host_bits(value, expected):
    assert network.has_host_bits(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.77.0.10", True),
        ("0.0.0.0", True),
        ("10.77.0.10/32", False),
        ("10.77.0.010", False),
        ("10.77.0", False),
        ("master.local", False),
        ("10.77.0.10 ", False),
        (None, False),
        (1, False),
    ],
)
def test_is_ipv4_address(value, expected):
    assert network.is_ipv4_address(value) is expected


@pytest.mark.parametrize(
    ("value", "entry"),
    [
        ("10.77.0.11", "10.77.0.11/32"),
        ("192.168.1.5", "192.168.1.5/32"),
        ("fd00::11", "fd00::11/128"),
        ("FD00:0:0::0011", "fd00::11/128"),
        ("::ffff:10.0.0.1", "::ffff:a00:1/128"),
    ],
)
def test_host_network_of_one_address(value, entry):
    assert network.host_network(value) == entry


@pytest.mark.parametrize(
    "value",
    [
        "10.77.0.0/24",
        "fd00::/64",
        "fe80::1%eth0",
        "pi1.local",
        "010.0.0.1",
        "10.0.0.1\n",
        "",
        "*",
        None,
        167772160,
    ],
)
def test_host_network_refuses_what_is_not_one_address(value):
    assert network.host_network(value) is None


@pytest.mark.parametrize(
    ("value", "ends"),
    [
        ("172.28.20.1 50122 172.28.20.12 22", ("172.28.20.1", "172.28.20.12")),
        ("fd00::1 50122 fd00::12 22", ("fd00::1", "fd00::12")),
        ("", None),
        (None, None),
        ("172.28.20.1 50122", None),
    ],
)
def test_ssh_connection_ends(value, ends):
    assert network.ssh_connection_ends(value) == ends
