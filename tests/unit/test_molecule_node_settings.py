"""The docker scenarios' node settings stay the same in every molecule.yml.

Each docker scenario (bed, cluster, data) writes its node settings once, as
the YAML anchor `&node` on its first platform, merged into the others. An
anchor cannot reach across files, and nothing else can hold them in one place:
molecule merges .config/molecule/config.yml into each molecule.yml dict by
dict, but a list (`platforms`) is replaced whole, and the docker driver's
create playbook (molecule-plugins) reads each platform's own keys only. So the
settings are copied, and this test fails when a copy drifts: every platform of
every docker scenario must carry the same values (molecule/README.md says why
each is there).
"""

import pathlib

import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]

# The same on every node of every docker scenario.
SHARED = {
    "pre_build_image": True,
    "command": "/lib/systemd/systemd",
    "capabilities": ["SYS_ADMIN", "NET_ADMIN"],
    "security_opts": ["seccomp=unconfined", "apparmor=unconfined"],
    "cgroupns_mode": "host",
    "volumes": [
        "/sys/fs/cgroup:/sys/fs/cgroup:rw",
        "${MOLECULE_PROJECT_DIRECTORY}/.bed/ssh/id_ed25519.pub:/home/pi/.ssh/authorized_keys:ro",
    ],
}
# systemd needs these; a node may mount more (cluster's armhf node).
TMPFS = ["/run", "/run/lock"]


def docker_scenarios():
    """{name: molecule.yml} of the scenarios that use the shared docker driver (no driver of their own)."""
    scenarios = {}
    for path in sorted(REPO.glob("molecule/*/molecule.yml")):
        config = yaml.safe_load(path.read_text())
        if config.get("driver", {}).get("name", "docker") == "docker":
            scenarios[path.parent.name] = config
    return scenarios


SCENARIOS = docker_scenarios()


def test_the_docker_scenarios_are_found():
    assert {"bed", "cluster", "data"} <= SCENARIOS.keys()
    assert "nfs" not in SCENARIOS  # qemu VMs, its own driver


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_node_carries_the_shared_settings(scenario):
    for platform in SCENARIOS[scenario]["platforms"]:
        carried = {key: platform.get(key) for key in SHARED}
        assert carried == SHARED, f"{scenario}/{platform['name']}"
        assert platform.get("tmpfs", [])[: len(TMPFS)] == TMPFS, f"{scenario}/{platform['name']}"


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_node_sits_on_the_scenarios_own_network(scenario):
    platforms = SCENARIOS[scenario]["platforms"]
    declared = {net["name"] for platform in platforms for net in platform.get("docker_networks", [])}
    assert declared == {f"picluster-{scenario}"}
    for platform in platforms:
        assert [net["name"] for net in platform["networks"]] == [f"picluster-{scenario}"], platform["name"]


def test_no_two_scenarios_share_a_subnet():
    subnets = {
        scenario: {
            ipam["subnet"]
            for platform in config["platforms"]
            for net in platform.get("docker_networks", [])
            for ipam in net["ipam_config"]
        }
        for scenario, config in SCENARIOS.items()
    }
    every = [subnet for found in subnets.values() for subnet in found]
    assert all(len(found) == 1 for found in subnets.values()), subnets
    assert len(every) == len(set(every)), subnets
