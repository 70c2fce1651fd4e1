"""The NFS share on real kernels: the master serves, the workers automount.

Runs after converge and the idempotence run, against the share as converge
left it (side_effect.yml's outage and removal come after verify).
"""

import re
import secrets
import shlex

import pytest
from conftest import MASTER, WORKERS, node

testinfra_hosts = [MASTER, *WORKERS]

SHARE = "/srv/spark-share"
# systemd's name for the mount point (`systemd-escape --path`).
UNIT = "srv-spark\\x2dshare"
SERVER = "10.77.0.10"
# An address the master also holds, on a network the share must not serve.
OUTSIDE_SERVER = "10.78.0.10"
# The cluster's nodes, one host entry each (the master, then the workers), not their network.
CLIENTS = ["10.77.0.10", "10.77.0.11"]
EXPORT_LINE = f"{SHARE} " + " ".join(
    f"{client}/32(rw,sync,root_squash,no_subtree_check)" for client in CLIENTS
)


def as_spark(command):
    return f"sudo -n -u spark sh -c {shlex.quote(command)}"


def fstab_entry(host):
    for line in host.file("/etc/fstab").content_string.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[1] == SHARE:
            return fields
    return None


@pytest.fixture
def master():
    return node(MASTER)


@pytest.fixture(params=WORKERS)
def worker(request):
    return node(request.param)


def test_exports_serve_the_cluster_nodes_only(master):
    lines = [
        line
        for line in master.file("/etc/exports.d/picluster-spark.exports").content_string.splitlines()
        if line and not line.startswith("#")
    ]
    assert lines == [EXPORT_LINE]
    active = master.check_output("sudo -n exportfs -v")
    assert SHARE in active
    for client in CLIENTS:
        assert re.search(rf"\b{re.escape(client)}(/32)?\(", active), (client, active)
    assert "10.77.0.0/24" not in active
    assert "10.78.0.0" not in active
    assert "no_root_squash" not in active
    assert "*" not in active


def test_nfs_server_runs_on_the_master_only(master, worker):
    assert master.service("nfs-server").is_running
    assert master.service("nfs-server").is_enabled
    assert not worker.service("nfs-server").is_running


def test_export_directory_belongs_to_spark(master):
    share = master.file(SHARE)
    assert share.is_directory
    assert (share.user, share.group, share.mode) == ("spark", "spark", 0o2775)


def test_worker_mounts_through_a_systemd_automount(worker):
    entry = fstab_entry(worker)
    assert entry is not None, "no fstab line for the share"
    source, target, fstype, options = entry[:4]
    assert (source, target, fstype) == (f"{SERVER}:{SHARE}", SHARE, "nfs")
    assert {
        "nfsvers=4.2",
        "hard",
        "_netdev",
        "nofail",
        "x-systemd.automount",
        "x-systemd.mount-timeout=20",
    } <= set(options.split(","))
    # The role names the unit itself; systemd must agree on the name.
    assert worker.check_output(f"systemd-escape --path {SHARE}") == UNIT
    assert worker.check_output(f"systemctl is-active {shlex.quote(UNIT + '.automount')}") == "active"


def test_file_written_on_master_reads_at_same_path_on_every_worker(master):
    token = secrets.token_hex(8)
    path = f"{SHARE}/from-master-{token}.txt"
    master.check_output(as_spark(f"printf %s {token} > {path}"))
    for name in WORKERS:
        worker = node(name)
        assert worker.check_output(as_spark(f"cat {path}")) == token
        assert worker.check_output(f"stat -c %U:%G {path}") == "spark:spark"
        # The NFS mount sits on the automount point (an autofs mount).
        mount = worker.check_output(
            f"findmnt --noheadings --output FSTYPE,SOURCE,OPTIONS --types nfs,nfs4 --mountpoint {SHARE}"
        )
        fstype, source, options = mount.split()
        assert (fstype, source) == ("nfs4", f"{SERVER}:{SHARE}")
        assert "vers=4.2" in options.split(",")


def test_file_written_on_a_worker_reads_on_the_master(master):
    token = secrets.token_hex(8)
    path = f"{SHARE}/from-{WORKERS[0]}-{token}.txt"
    node(WORKERS[0]).check_output(as_spark(f"printf %s {token} > {path}"))
    assert master.check_output(f"cat {path}") == token
    assert master.check_output(f"stat -c %U:%G {path}") == "spark:spark"


def test_root_on_a_worker_is_squashed(master):
    path = f"{SHARE}/from-root-{secrets.token_hex(4)}"
    attempt = node(WORKERS[-1]).run(f"sudo -n touch {path}")
    assert attempt.rc != 0
    assert "Permission denied" in attempt.stderr
    assert not master.file(path).exists


# A network namespace on a worker with its own MAC on the same wire: once with
# an address on the cluster's network that is not a node's, once with an
# address outside it, talking to the master's second address. The server's own
# "access denied" shows the probe reached it; the workers' mounts above are the
# allowed case.
PROBE = """
set -u
ns=nfs-probe-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
ip link add probe0 link eth1 type macvlan mode bridge
ip link set probe0 netns "$ns"
ip -n "$ns" addr add {address} dev probe0
ip -n "$ns" link set lo up
ip -n "$ns" link set probe0 up
mkdir -p /mnt/nfs-probe
ip netns exec "$ns" sh -c '
  timeout 90 mount -t nfs -o nfsvers=4.2,retry=0,timeo=50,retrans=2 {server}:{share} /mnt/nfs-probe || exit $?
  ls /mnt/nfs-probe >/dev/null
  umount /mnt/nfs-probe
'
"""


def probe_mount(host, address, server):
    script = PROBE.format(address=address, server=server, share=SHARE)
    return host.run(f"sudo -n sh -c {shlex.quote(script)}")


def test_a_device_on_the_cluster_network_that_is_not_a_node_is_refused():
    refused = probe_mount(node(WORKERS[-1]), "10.77.0.201/24", SERVER)
    assert refused.rc != 0
    assert "access denied by server" in refused.stderr, refused.stderr


def test_host_outside_the_allowed_network_is_refused():
    refused = probe_mount(node(WORKERS[-1]), "10.78.0.201/24", OUTSIDE_SERVER)
    assert refused.rc != 0
    assert "access denied by server" in refused.stderr, refused.stderr
