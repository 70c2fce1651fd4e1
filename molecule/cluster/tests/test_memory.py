"""The workers run as their memory budget says (docs/memory.md), and the cluster survives what
kills processes on 1 GB boards: a killed executor, a killed worker daemon, a master restart.

These run after test_data.py, whose jobs left their executors' logs in each worker's work
directory.
"""

import json
import threading
import time
import urllib.request

from conftest import ADDRESS, MASTER, WORKERS, node, run_ansible
from playbook import executed_tasks
from test_cluster import OFFER_MB, wait_for_workers
from test_data import DEST, GROUP_TRIPS, SOURCE

MASTER_JSON = f"http://{ADDRESS[MASTER]}:8080/json/"
# A worker that runs natively in this scenario: its processes start in seconds.
NATIVE = "pi2"


def executor_logs(host):
    """Every executor's log on a worker: its launch command, then what it logged (an executor
    that started just before its application ended under emulation logged nothing)."""
    return host.check_output("sudo sh -c 'cat /var/lib/spark/work/app-*/*/stderr'")


def test_executors_run_with_the_budgets_heap_and_options(worker):
    """Each executor's actual JVM: the budget's heap (-Xmx474M on a Pi 3, not Spark's 1g), the
    small-board options from spark-defaults.conf, and its spills under the worker's local dir."""
    name, host = worker
    logs = executor_logs(host)
    commands = [line for line in logs.splitlines() if line.startswith("Spark Executor Command:")]
    assert commands, f"no executor has run on {name}"
    for command in commands:
        # Spark writes the heap as -Xmx<MB>M.
        assert f"-Xmx{OFFER_MB}M" in command.split('"'), (name, command)
        for option in ("-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=128m", "-XX:+ExitOnOutOfMemoryError"):
            assert option in command, (name, option, command)
    assert "Created local directory at /var/lib/spark/local/" in logs, name


def master_workers():
    with urllib.request.urlopen(MASTER_JSON, timeout=10) as answer:
        return json.load(answer)["workers"]


def wait_for_the_whole_cluster(timeout):
    """picluster.spark.wait_for_workers from the controller, expecting every worker with 4 cores
    and the budget's offer; returns (rc, the module's result)."""
    rc, outcome, _ = wait_for_workers(
        "localhost",
        url=f"http://{ADDRESS[MASTER]}:8080",
        workers=len(WORKERS),
        cores=4 * len(WORKERS),
        memory=f"{len(WORKERS) * OFFER_MB}m",
        hosts=[ADDRESS[w] for w in WORKERS],
        timeout=timeout,
    )
    return rc, outcome


def alive_worker_ids(address):
    return {w["id"] for w in master_workers() if w["host"] == address and w["state"] == "ALIVE"}


def test_a_killed_executor_is_replaced_and_the_job_still_completes(master):
    """SIGKILL an executor while the grouping job runs: the worker stays up, the master starts
    a new executor there, and the job's answer is still the controller's exact one."""
    victim = node(NATIVE)
    since = victim.check_output("date +%s")
    killed = {}

    def kill_the_first_executor():
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and "pid" not in killed:
            found = victim.run("pgrep -u spark -f CoarseGrainedExecutorBackend")
            if found.rc == 0:
                pid = found.stdout.split()[0]
                if victim.run(f"sudo kill -9 {pid}").rc == 0:
                    killed["pid"] = pid
                    return
            time.sleep(1)

    killer = threading.Thread(target=kill_the_first_executor, daemon=True)
    killer.start()
    extra = {"group_trips_path": DEST, "group_trips_source": str(SOURCE)}
    run = run_ansible([*GROUP_TRIPS, "-e", json.dumps(extra)], timeout=1500)
    killer.join(timeout=5)
    assert "pid" in killed, "no executor ran on the worker during the job"
    assert run.rc == 0, json.dumps(run.report)[-4000:]
    assert "Check the answer against the controller's" in {
        task for _, task, _, _ in executed_tasks(run.report)
    }

    log = victim.check_output(f"sudo journalctl -u spark-worker --since @{since} --no-pager -o cat")
    launched = [line for line in log.splitlines() if "Asked to launch executor" in line]
    assert any("exitStatus 137" in line or "exited with code 137" in line for line in log.splitlines()), log[
        -3000:
    ]
    # The killed executor and its replacement, for the same application.
    assert len(launched) >= 2, log[-3000:]
    assert victim.service("spark-worker").is_running


def test_a_killed_worker_daemon_is_back_and_registered_within_60_s():
    host = node(NATIVE)
    before = alive_worker_ids(ADDRESS[NATIVE])
    assert len(before) == 1, master_workers()
    host.check_output("sudo systemctl kill -s KILL --kill-who=main spark-worker")
    started = time.monotonic()
    while time.monotonic() - started < 60:
        now = alive_worker_ids(ADDRESS[NATIVE])
        if now and not now & before:
            break
        time.sleep(1)
    took = time.monotonic() - started
    assert alive_worker_ids(ADDRESS[NATIVE]) - before, f"no new worker registered within {took:.0f} s"
    # The whole cluster again, by the module the play waits with.
    rc, outcome = wait_for_the_whole_cluster(timeout=max(1, int(60 - took)))
    assert rc == 0, outcome.get("msg")


def test_every_worker_registers_again_after_a_master_restart(master):
    _, host = master
    host.check_output("sudo systemctl restart spark-master")
    rc, outcome = wait_for_the_whole_cluster(timeout=600)
    assert rc == 0, outcome.get("msg")
    assert outcome["alive_workers"] == len(WORKERS)
