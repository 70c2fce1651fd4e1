"""The rolling upgrade (playbooks/upgrade.yml) on the x86 nodes, between two releases
the bed builds from PyPI's pyspark sdists: bad input stops before any node changes; a
worker that does not come back stops the rollout after its batch, the node after it
still running the old release; the rerun brings every node to the new release, keeps
the previous one and prunes an older one; the same playbook with the old version rolls
back without unpacking, and a second rollback changes nothing.

In file order: each test builds on the one before it.
"""

import json
import re
import time
import urllib.request

import pytest
from conftest import PROJECT, node, run_playbook
from playbook import assert_stopped_in_preflight, changed_counts, executed_tasks, failure_messages

UPGRADE = PROJECT / "playbooks" / "upgrade.yml"
FIRST_PLAY = "Check the upgrade before any node changes"
# The scenario converges on OLD (molecule.yml); NEW is the collection's default.
OLD, NEW, OLDER = "3.5.8", "3.5.9", "3.5.7"
MASTER = "data-nuc"
WORKERS = ["data-pi1", "data-pi2", "data-pi3"]
NODES = [MASTER, *WORKERS]
ADDRESS = {"data-pi1": "172.28.30.11", "data-pi2": "172.28.30.12", "data-pi3": "172.28.30.13"}
MASTER_JSON = "http://172.28.30.10:8080/json/"
ROOT = "/opt/spark"
UNPACK = "picluster.spark.spark_install : Unpack the archive into the scratch directory"


def release_dir(version):
    return f"{ROOT}/spark-{version}-bin-hadoop3"


def archive(version):
    return PROJECT / ".bed" / "spark" / f"spark-{version}-bin-hadoop3.tgz"


def upgrade(version, **extra):
    extra_vars = {"spark_install_version": version, "spark_install_archive_path": str(archive(version))}
    extra_vars.update(extra)
    return run_playbook(UPGRADE, extra_vars)


def link(name, path):
    return node(name).run(f"readlink -f {path}").stdout.strip()


def releases(name):
    return sorted(node(name).check_output(f"ls -A {ROOT}").split())


def alive_workers():
    """{address: [ids]} of the workers the master lists ALIVE."""
    with urllib.request.urlopen(MASTER_JSON, timeout=10) as answer:
        doc = json.load(answer)
    alive = {}
    for worker in doc["workers"]:
        if worker["state"] == "ALIVE":
            alive.setdefault(worker["host"], []).append(worker["id"])
    return alive


def worker_pid(name):
    return node(name).check_output("systemctl show -p MainPID --value spark-worker")


def releases_in_use(name, unit):
    """The releases whose jars the unit's JVM has open (the kernel names the real paths).

    Read as the daemon's own user: root in the container lacks CAP_SYS_PTRACE, which
    reading another user's /proc/PID/fd needs."""
    pid = node(name).check_output(f"systemctl show -p MainPID --value {unit}")
    links = node(name).check_output(f"runuser -u spark -- ls -l /proc/{pid}/fd")
    return sorted(set(re.findall(r"/opt/spark/spark-([0-9.]+)-bin-hadoop3/jars/", links)))


def spark_versions_since(name, unit, since):
    """The versions the unit's Spark daemon said it runs, in its journal since ``since``."""
    log = node(name).check_output(f"journalctl -u {unit} --since '{since}' --no-pager -o cat")
    return [line.rsplit(" ", 1)[-1] for line in log.splitlines() if "Running Spark version" in line]


@pytest.fixture(scope="module")
def since():
    """When the rollout started, in the nodes' clock (journalctl counts whole seconds)."""
    time.sleep(1.1)
    return node(MASTER).check_output("date '+%Y-%m-%d %H:%M:%S'")


def test_the_cluster_starts_on_the_old_release():
    for name in NODES:
        assert link(name, f"{ROOT}/current") == release_dir(OLD), name
    assert sorted(alive_workers()) == sorted(ADDRESS.values())


def test_bad_input_stops_before_any_node_changes(tmp_path):
    before = {name: (releases(name), link(name, f"{ROOT}/current")) for name in NODES}

    # An archive with no .sha512 beside it, Apache's file switched off (no network): no checksum.
    unsigned = tmp_path / f"spark-{OLDER}-bin-hadoop3.tgz"
    unsigned.write_bytes(b"not checked, never read")
    run = run_playbook(
        UPGRADE,
        {
            "spark_install_version": OLDER,
            "spark_install_archive_path": str(unsigned),
            "spark_install_checksum_url": "",
        },
    )
    expected = f"No sha512 is known for spark-{OLDER}-bin-hadoop3.tgz"
    assert_stopped_in_preflight(run, expected, plays=[FIRST_PLAY])

    run = upgrade(NEW, picluster_upgrade_batch=0)
    expected = "picluster_upgrade_batch is 0: at least one worker must restart at a time (1 to 3)"
    assert_stopped_in_preflight(run, expected, plays=[FIRST_PLAY])
    run = upgrade(NEW, picluster_upgrade_batch=4)
    assert_stopped_in_preflight(
        run, "picluster_upgrade_batch is 4 but the cluster has 3 workers", plays=[FIRST_PLAY]
    )

    assert {name: (releases(name), link(name, f"{ROOT}/current")) for name in NODES} == before


def test_a_batch_that_does_not_come_back_stops_the_rollout(since):
    # A release older than both: pruned where a node switches.
    for name in NODES:
        node(name).check_output(f"mkdir -p {release_dir(OLDER)}/bin {release_dir(OLDER)}/conf")
    # data-pi2's new release is broken on purpose: complete to spark_install (its
    # marker names the real archive, so nothing is unpacked) but its launcher fails.
    digest = archive(NEW).with_name(archive(NEW).name + ".sha512").read_text().split()[0]
    broken = release_dir(NEW)
    node("data-pi2").check_output(
        f"mkdir -p {broken}/bin {broken}/conf"
        f" && printf '#!/bin/sh\\necho broken on purpose >&2\\nexit 1\\n' > {broken}/bin/spark-class"
        f" && chmod 0755 {broken}/bin/spark-class"
        f" && echo '{digest}  {archive(NEW).name}' > {broken}/.picluster-archive.sha512"
    )
    pid_pi3 = worker_pid("data-pi3")

    run = upgrade(NEW, picluster_upgrade_batch_timeout=60)

    assert run.rc != 0
    messages = " ".join(" | ".join(failure_messages(run.report)).split())
    assert f"data-pi2 did not come back on Spark {NEW}" in messages, messages
    assert f"on Spark {NEW}: data-nuc, data-pi1, data-pi2" in messages, messages
    assert f"still on Spark {OLD}: data-pi3" in messages, messages
    # The batches after the failed one never started.
    worker_play = "Move the workers to the new release, a batch at a time"
    assert {host for play, _, host, _ in executed_tasks(run.report) if play == worker_play} == {
        "data-pi1",
        "data-pi2",
    }
    # The master and the first batch run the new release; data-pi3 still runs the old one, untouched.
    assert link(MASTER, f"{ROOT}/current") == release_dir(NEW)
    assert link("data-pi1", f"{ROOT}/current") == release_dir(NEW)
    assert link("data-pi3", f"{ROOT}/current") == release_dir(OLD)
    assert worker_pid("data-pi3") == pid_pi3
    alive = alive_workers()
    assert ADDRESS["data-pi1"] in alive and ADDRESS["data-pi3"] in alive, alive
    assert ADDRESS["data-pi2"] not in alive, alive
    assert spark_versions_since("data-pi1", "spark-worker", since) == [NEW]
    assert spark_versions_since(MASTER, "spark-master", since) == [NEW]


def test_the_rerun_brings_every_node_to_the_new_release(since):
    # The broken release goes; the rerun unpacks the real one there.
    node("data-pi2").check_output(f"rm -rf {release_dir(NEW)}")

    run = upgrade(NEW)

    assert run.rc == 0, failure_messages(run.report)
    for name in NODES:
        assert link(name, f"{ROOT}/current") == release_dir(NEW), name
        assert link(name, f"{ROOT}/previous") == release_dir(OLD), name
        # The older release is pruned; the previous one stays for a rollback.
        kept = ["current", "previous", f"spark-{OLD}-bin-hadoop3", f"spark-{NEW}-bin-hadoop3"]
        assert releases(name) == sorted(kept), name
    assert sorted(alive_workers()) == sorted(ADDRESS.values())
    for name in WORKERS:
        assert spark_versions_since(name, "spark-worker", since)[-1] == NEW, name
        assert releases_in_use(name, "spark-worker") == [NEW], name
    assert releases_in_use(MASTER, "spark-master") == [NEW]
    assert releases_in_use(MASTER, "spark-history") == [NEW]
    # Nodes already on the new release are not restarted by the rerun.
    unpacked = {host for _, task, host, _ in executed_tasks(run.report) if task == UNPACK}
    assert unpacked == {"data-pi2"}


def test_the_same_playbook_with_the_old_version_rolls_back():
    time.sleep(1.1)
    rollback_started = node(MASTER).check_output("date '+%Y-%m-%d %H:%M:%S'")

    run = upgrade(OLD)

    assert run.rc == 0, failure_messages(run.report)
    # The previous release was kept: nothing is unpacked.
    assert [task for _, task, _, _ in executed_tasks(run.report) if task == UNPACK] == []
    for name in NODES:
        assert link(name, f"{ROOT}/current") == release_dir(OLD), name
        assert link(name, f"{ROOT}/previous") == release_dir(NEW), name
    assert sorted(alive_workers()) == sorted(ADDRESS.values())
    for name in WORKERS:
        assert spark_versions_since(name, "spark-worker", rollback_started) == [OLD], name
    assert spark_versions_since(MASTER, "spark-master", rollback_started) == [OLD]
    for name, unit in [
        (MASTER, "spark-master"),
        (MASTER, "spark-history"),
        *((w, "spark-worker") for w in WORKERS),
    ]:
        assert releases_in_use(name, unit) == [OLD], (name, unit)

    # A second run finds every node on the release asked for: it changes and restarts nothing.
    pids = {name: worker_pid(name) for name in WORKERS}
    again = upgrade(OLD)
    assert again.rc == 0, failure_messages(again.report)
    assert changed_counts(again.report) == dict.fromkeys(again.report["stats"], 0), again.report["stats"]
    assert {name: worker_pid(name) for name in WORKERS} == pids
