"""The cluster has formed, and a real job runs on the ARM workers."""

import json
import pathlib
import shlex

from conftest import ADDRESS, INVENTORY_FILE, MASTER, WORKERS, node, run_ansible

JOB = pathlib.Path(__file__).parents[1] / "files" / "where_pi.py"
# What each emulated Pi 3 (906 MB, 4 cores in the inventory) offers by the memory budget
# (docs/memory.md; tests/unit pin the same figure).
OFFER_MB = 474


def wait_for_workers(target, **args):
    """Run picluster.spark.wait_for_workers on `target` (an inventory host or localhost).

    Returns (rc, the module's result, seconds the ansible command took).
    """
    command = ["ansible", "-i", INVENTORY_FILE, target, "-m", "picluster.spark.wait_for_workers"]
    run = run_ansible([*command, "-a", json.dumps(args)], timeout=900)
    return run.rc, run.report["plays"][0]["tasks"][0]["hosts"][target], run.seconds


def test_wait_module_confirms_the_whole_cluster():
    """picluster.spark.wait_for_workers, run from the controller, sees 4 workers / 16 cores / 4 x 474 MB."""
    rc, outcome, _ = wait_for_workers(
        "localhost",
        url=f"http://{ADDRESS[MASTER]}:8080",
        workers=4,
        cores=16,
        memory=f"{4 * OFFER_MB}m",
        hosts=[ADDRESS[w] for w in WORKERS],
        timeout=120,
    )
    assert rc == 0, outcome.get("msg")
    assert outcome["changed"] is False
    assert outcome["status"] == "ALIVE"
    assert outcome["alive_workers"] == 4
    assert outcome["cores"] == 16
    assert outcome["memory_mb"] == 4 * OFFER_MB
    assert {w["memory_mb"] for w in outcome["workers"] if w["state"] == "ALIVE"} == {OFFER_MB}
    assert outcome["missing_hosts"] == []
    assert sorted(w["host"] for w in outcome["workers"] if w["state"] == "ALIVE") == sorted(
        ADDRESS[w] for w in WORKERS
    )


def test_wait_module_names_a_stopped_worker_in_bounded_time():
    """With one worker stopped on purpose the module fails within its timeout and names it.

    It runs on the master, where the workers' names resolve through /etc/hosts,
    so the message names the Pi as the original setup's builder would. Afterwards the
    worker is started again and the module waits for the whole cluster.
    """
    victim = WORKERS[-2]
    url = f"http://{ADDRESS[MASTER]}:8080"
    expect = {"url": url, "workers": 4, "cores": 16, "memory": f"{4 * OFFER_MB}m", "hosts": list(WORKERS)}
    host = node(victim)
    host.check_output("sudo systemctl stop spark-worker")
    try:
        rc, outcome, took = wait_for_workers(MASTER, timeout=20, sleep=2, **expect)
        assert rc != 0
        assert outcome["failed"] is True
        assert outcome["missing_hosts"] == [victim]
        assert outcome["alive_workers"] == 3
        assert outcome["cores"] == 12
        assert outcome["memory_mb"] == 3 * OFFER_MB
        assert f"missing: {victim}" in outcome["msg"]
        assert "3 of 4 workers ALIVE" in outcome["msg"]
        assert "cores 12 < 16" in outcome["msg"]
        assert f"memory {3 * OFFER_MB} MB < {4 * OFFER_MB} MB" in outcome["msg"]
        # Bounded: the module's own clock stops within one poll of the timeout,
        # and the whole ansible run (SSH to the master included) soon after.
        assert 20 <= outcome["elapsed"] <= 20 + 2 + 5, outcome["elapsed"]
        assert took < 90, took
    finally:
        host.check_output("sudo systemctl start spark-worker")
    # The master keeps the stopped worker's entry as DEAD; the restarted worker
    # registers anew and the module counts only ALIVE ones.
    rc, outcome, _ = wait_for_workers(MASTER, timeout=600, **expect)
    assert rc == 0, outcome.get("msg")
    assert outcome["alive_workers"] == 4
    assert outcome["missing_hosts"] == []
    assert [w["state"] for w in outcome["workers"] if w["host"] == ADDRESS[victim]].count("ALIVE") == 1


def test_a_job_submitted_on_the_master_runs_on_every_worker():
    host = node(MASTER)
    host.check_output(f"cat > /tmp/where_pi.py <<'PYEOF'\n{JOB.read_text()}PYEOF")
    host.run("rm -f /tmp/where_pi.json")
    submit = " ".join(
        [
            "spark-submit",
            f"--master spark://{ADDRESS[MASTER]}:7077",
            # No executor size: spark-defaults.conf's, from the workers' memory budget.
            # Start only once every worker has an executor, so all of them get
            # tasks: the native ones register in seconds, the emulated ones in a
            # minute. Standalone mode counts the ratio against spark.cores.max
            # (no maximum: nothing to wait for), so both are set.
            "--conf spark.cores.max=16",
            "--conf spark.scheduler.minRegisteredResourcesRatio=1.0",
            "--conf spark.scheduler.maxRegisteredResourcesWaitingTime=600s",
            "/tmp/where_pi.py /tmp/where_pi.json",
        ]
    )
    run = host.run(f"cd /tmp && timeout 1200 bash -lc {shlex.quote(submit)}")
    assert run.rc == 0, run.stderr[-4000:]
    answer = json.loads(host.file("/tmp/where_pi.json").content_string)
    assert answer["sum"] == 100_000 * 100_001 // 2
    assert abs(answer["pi"] - 3.14159) < 0.02, answer["pi"]
    hosts = {name for name, _ in answer["executors"]}
    machines = {machine for _, machine in answer["executors"]}
    assert hosts == set(WORKERS), answer["executors"]
    # pi1 and pi4 are the ARM ones (pi2 and pi3 run natively in this scenario).
    assert {"aarch64", "armv7l"} <= machines, answer["executors"]
