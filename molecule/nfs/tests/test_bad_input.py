"""Bad input stops nfs_share in its checks, on every node, before any change.

Each case runs the scenario's converge playbook (playbooks/nfs_share.yml)
against the converged share with one mistake in its extra vars, and checks
that the run failed only in the role's checks ("Check ..." tasks, or Ansible's
check of the role's arguments), with the expected message, and that no host
reports a change. The files the role manages (the master's exports, the
workers' fstab) come out of all of it unchanged: the last test compares them
with what they held before the first case (pytest runs a file's tests in order).
"""

import pytest
from conftest import MASTER, PROJECT, WORKERS, node, run_playbook
from playbook import assert_stopped_in_preflight

PLAYBOOK = PROJECT / "playbooks" / "nfs_share.yml"
PLAY = "Share one directory from the master to the workers"
CHECKS = r"(Check |Validating arguments)"
EXPORTS = "/etc/exports.d/picluster-spark.exports"
ONE_WORKER_ELSEWHERE = (
    "{{ [{'path': '/srv/elsewhere' if inventory_hostname == groups['spark_workers'] | last"
    " else '/srv/spark-share'}] }}"
)


def managed_file(name):
    return EXPORTS if name == MASTER else "/etc/fstab"


def managed_sums():
    sums = {}
    for name in [MASTER, *WORKERS]:
        file = node(name).file(managed_file(name))
        assert file.exists, f"{name}: no {managed_file(name)}"
        sums[name] = file.sha256sum
    return sums


@pytest.fixture(scope="module")
def sums_before():
    return managed_sums()


@pytest.mark.parametrize(
    ("extra_vars", "expected"),
    [
        (
            {"nfs_share_exports": [{"path": "srv/spark-share"}]},
            "Not absolute or malformed: ['srv/spark-share']",
        ),
        ({"nfs_share_exports": [{"path": "/etc"}]}, "System directories: ['/etc']"),
        ({"nfs_share_allowed_networks": ["10.77.0.0/33"]}, "Not parsed: ['10.77.0.0/33']"),
        (
            {"nfs_share_allowed_networks": ["10.77.0.5/24"]},
            "Host bits set (write the network address): ['10.77.0.5/24']",
        ),
        ({"nfs_share_allowed_networks": ["*"]}, "'*' (any host) is refused"),
        # A name would let the server trust whatever it resolves to.
        ({"nfs_share_client_addresses": ["pi1.local"]}, "Not one IP address: ['pi1.local']"),
        ({"nfs_share_export_options": ["rw", "no_root_squash"]}, "no_root_squash is refused"),
        (
            # Extra vars are templated per host: one worker alone mounts elsewhere.
            {"nfs_share_exports": ONE_WORKER_ELSEWHERE},
            "at the SAME path on every node",
        ),
        # prepare.yml gives uidclash a different uid on each node.
        ({"nfs_share_owner": "uidclash"}, "has different uids on the nodes"),
        ({"nfs_share_state": "gone"}, "nfs_share_state"),
    ],
    ids=[
        "relative-path",
        "system-directory",
        "network-not-parsed",
        "network-host-bits",
        "any-host",
        "client-named-not-addressed",
        "no-root-squash",
        "path-differs-on-a-worker",
        "owner-uid-differs",
        "unknown-state",
    ],
)
def test_bad_input_stops_in_the_checks(sums_before, extra_vars, expected):
    run = run_playbook(PLAYBOOK, extra_vars)
    assert_stopped_in_preflight(run, expected, plays=[PLAY], checks=CHECKS)


def test_no_bad_input_changed_a_managed_file(sums_before):
    assert managed_sums() == sums_before
