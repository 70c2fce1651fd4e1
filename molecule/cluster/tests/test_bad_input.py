"""Bad input stops site.yml with a clear message before any node changes.

Each case runs site.yml against the converged cluster with one mistake and
checks the failure happened in the pre-flight play, with the expected
message, and that no host reports a change.
"""

import contextlib
import functools
import http.server
import json
import os
import shutil
import socket
import threading

import pytest
from conftest import ADDRESS, INVENTORY_FILE, MASTER, NODES, node, run_site
from playbook import assert_stopped_in_preflight, failed_tasks

# Checks that run on each node need only one worker to show: the master and
# pi2, which runs natively, keep these runs short.
FEW_NODES = [MASTER, "pi2"]
FEW = ["--limit", ",".join(FEW_NODES)]


def path_without(tmp_path, program):
    """A PATH with everything the controller's has, less one program."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(directory):
            continue
        for name in os.listdir(directory):
            target = os.path.join(directory, name)
            if name != program and not (bin_dir / name).exists() and os.access(target, os.X_OK):
                (bin_dir / name).symlink_to(target)
    assert shutil.which(program, path=str(bin_dir)) is None
    return str(bin_dir)


def write_inventory(tmp_path, content):
    extra = tmp_path / "extra.yml"
    extra.write_text(json.dumps(content))
    return extra


def test_no_master(tmp_path):
    inventory = tmp_path / "local"
    shutil.copytree(INVENTORY_FILE, inventory)
    hosts = inventory / "hosts.yml"
    hosts.write_text(
        hosts.read_text().replace("          hosts:\n            nuc:\n", "          hosts: {}\n")
    )
    run = run_site(inventories=[inventory], replace_inventory=True)
    assert_stopped_in_preflight(run, "needs exactly one host in group spark_master (it has 0: none)")


@pytest.mark.parametrize(
    ("program", "expected"),
    [
        ("rsync", "the controller has no rsync; install it (apt install rsync)"),
        (
            "ssh",
            "runs ansible-playbook) lacks ssh (Debian package openssh-client)",
        ),
    ],
)
def test_a_controller_without_a_program_it_needs(tmp_path, program, expected):
    # A fresh controller once lacked rsync: site.yml set up every node, then
    # failed at the data sync after 21 minutes. Now its first play says so.
    run = run_site(path=path_without(tmp_path, program))
    assert_stopped_in_preflight(run, expected)


def test_a_controller_without_the_python_its_tasks_use():
    # Tasks delegated to the controller run the Python localhost names.
    run = run_site("-e", "ansible_python_interpreter=/nonexistent/python3")
    assert_stopped_in_preflight(run, "lacks /nonexistent/python3 (Debian package python3)")


def test_two_masters(tmp_path):
    extra = write_inventory(tmp_path, {"spark_master": {"hosts": {"pi1": {}}}})
    run = run_site(inventories=[extra])
    assert_stopped_in_preflight(run, "(it has 2: nuc, pi1)")


def test_duplicate_hostnames(tmp_path):
    extra = write_inventory(tmp_path, {"all": {"hosts": {"pi2": {"pi_base_hostname": "pi1"}}}})
    run = run_site(inventories=[extra])
    assert_stopped_in_preflight(run, "Two nodes share a hostname 'pi1'")


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        # The original setup's sizes on a Pi 3 (906 MB): the collapse, refused with the arithmetic.
        (
            {"spark_worker_memory": "1g", "spark_worker_daemon_memory": "256m"},
            "pi2: executor 1024 MB + its JVM overhead 144 MB + worker daemon 256 MB + its JVM overhead 80 MB"
            " + Python 0 MB + OS 80 MB = 1584 MB > 906 MB RAM",
        ),
        (
            {"spark_worker_executor_memory": "450m"},
            "pi2: executor 450 MB < 466 MB: Spark refuses an executor",
        ),
        (
            {"spark_worker_memory": "400m", "spark_worker_executor_memory": "470m"},
            "pi2: executor 470 MB > the 400 MB the worker offers: no executor fits and applications hang",
        ),
        ({"spark_worker_executor_cores": 8}, "pi2: executor cores 8 > the worker's 4 cores"),
        ({"spark_worker_cores": 8}, "pi2: the worker offers 8 cores but the node has only 4"),
        # /run is tmpfs on every node.
        (
            {"spark_worker_local_dirs": ["/run/spark-spill"]},
            "pi2: spark_worker_local_dirs /run/spark-spill is on tmpfs",
        ),
    ],
    ids=[
        "original-1g-on-906mb",
        "executor-under-floor",
        "executor-above-offer",
        "executor-cores",
        "worker-cores",
        "spill-on-tmpfs",
    ],
)
def test_worker_size(override, expected):
    run = run_site("-e", json.dumps(override), *FEW)
    assert_stopped_in_preflight(run, expected)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        # The message gives the secret's length, never the secret.
        ({"picluster_spark_secret": "tooShort4711"}, "12 characters"),
        ({"firewall_admin_networks": ["10.0.0.300/24"]}, "10.0.0.300/24"),
        (
            {"firewall_ssh_networks": ["10.9.9.0/24"]},
            "The controller reaches pi2 from 172.28.20.1, which firewall_ssh_networks (10.9.9.0/24)"
            " does not include: the next play could not reach pi2",
        ),
    ],
    ids=["short-secret", "admin-network-does-not-parse", "ssh-shuts-out-the-controller"],
)
def test_security_settings(override, expected):
    run = run_site("-e", json.dumps(override), *FEW)
    assert_stopped_in_preflight(run, expected)
    assert "tooShort4711" not in json.dumps(run.report) + run.stderr


def test_history_server_settings():
    # Three mistakes in one run: the pre-flight names each, in one message.
    override = {
        "spark_history_ui_port": 8080,
        "spark_history_events_dir": "spark-events",
        "spark_history_max_age": "two weeks",
    }
    run = run_site("-e", json.dumps(override), *FEW)
    assert_stopped_in_preflight(
        run,
        "spark_history_ui_port 8080 is taken by master_ui (8080-8080); pick another;"
        " spark_history_events_dir 'spark-events' must be an absolute path of letters, digits,"
        " '.', '_', '-' and '/' (no '..'); spark_history_max_age 'two weeks' must be a positive"
        " number with a unit",
    )
    assert node(MASTER).service("spark-history").is_running


def test_switching_wifi_off_on_a_pi_reached_over_wifi():
    # pi2 made to look like a Raspberry Pi whose eth0 is a wireless interface
    # (the probe reads the board's model and /sys/class/net from these paths).
    host = node("pi2")
    host.check_output(
        "mkdir -p /tmp/fake-pi/net/eth0/wireless /tmp/fake-pi/net/lo"
        " && printf 'Raspberry Pi 3 Model B Rev 1.2\\0' > /tmp/fake-pi/model"
    )
    try:
        fake = {"__pi_base_model_path": "/tmp/fake-pi/model", "__pi_base_net_dir": "/tmp/fake-pi/net"}
        run = run_site("-e", json.dumps(fake), *FEW)
        assert_stopped_in_preflight(
            run,
            "pi2 is a Raspberry Pi and pi_base would switch its Wi-Fi off,"
            f" but Ansible reaches it at {ADDRESS['pi2']}, on eth0",
        )
    finally:
        host.run("rm -rf /tmp/fake-pi")


def test_spark_uid_taken_by_another_account():
    # pi (uid 1000) exists on every node, and spark already has its pinned uid.
    run = run_site("-e", json.dumps({"spark_account_uid": 1000}), *FEW)
    expected = "user spark exists with uid 750, not 1000; uid 1000 belongs to pi"
    assert_stopped_in_preflight(run, expected)


def test_unknown_version_without_checksum():
    run = run_site("-e", json.dumps({"spark_install_version": "3.9.99"}), *FEW)
    assert_stopped_in_preflight(run, "No sha512 is known for spark-3.9.99-bin-hadoop3.tgz")


def test_checksum_mismatch_installs_nothing(tmp_path):
    # A release the nodes do not have, in an archive on the controller whose
    # digest is not the one given (the bed only builds the default release).
    archive = tmp_path / "spark-9.9.9-bin-hadoop3.tgz"
    archive.write_bytes(os.urandom(1 << 20))
    settings = {
        "spark_install_version": "9.9.9",
        "spark_install_archive_path": str(archive),
        "spark_install_checksum": "0" * 128,
    }
    run = run_site("-e", json.dumps(settings))
    assert_stopped_in_preflight(run, f"Checksum mismatch for {archive}")
    for name in NODES:
        leftovers = node(name).run("ls -d /opt/spark/spark-9.9.9* /opt/spark/.unpack-* /var/tmp/spark-9.9.9*")
        assert leftovers.rc != 0, f"{name}: {leftovers.stdout}"


def test_unreachable_master_url_for_workers():
    # An address on the cluster network where no host answers.
    unreachable = ADDRESS["nuc"].rsplit(".", 1)[0] + ".99"
    run = run_site("-e", json.dumps({"spark_worker_master_url": f"spark://{unreachable}:7077"}), *FEW)
    assert_stopped_in_preflight(run, f"cannot reach the master's host {unreachable}")


@contextlib.contextmanager
def mirror(directory, address):
    """Serve a directory over HTTP on one address of the cluster network."""
    with socket.socket() as probe:
        probe.bind((address, 0))
        port = probe.getsockname()[1]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((address, port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{address}:{port}"
    finally:
        server.shutdown()
        server.server_close()


def test_node_download_with_wrong_checksum_installs_nothing(tmp_path):
    """spark_install_download_on_nodes: each node checks the sha512 itself; a bad file is refused."""
    release = tmp_path / "spark-4.1.4"
    release.mkdir()
    (release / "spark-4.1.4-bin-hadoop3.tgz").write_bytes(os.urandom(1 << 20))
    gateway = ADDRESS[MASTER].rsplit(".", 1)[0] + ".1"  # the host, on the docker bridge
    with mirror(tmp_path, gateway) as url:
        settings = {
            "spark_install_version": "4.1.4",
            "spark_install_download_on_nodes": True,
            "spark_install_mirror": url,
            "spark_install_checksum": "0" * 128,
        }
        run = run_site("-e", json.dumps(settings), "--tags", "spark_install", *FEW)
    assert run.rc != 0
    failed = [(name, host) for name, host, _ in failed_tasks(run.report)]
    assert failed and all("Download the archive on the node" in name for name, _ in failed), failed
    for name in FEW_NODES:
        leftovers = node(name).run("ls -d /opt/spark/spark-4.1.4* /opt/spark/.unpack-* /var/tmp/spark-4.1.4*")
        assert leftovers.rc != 0, f"{name}: {leftovers.stdout}"
        assert node(name).file("/opt/spark/current").linked_to.endswith("spark-3.5.9-bin-hadoop3")
