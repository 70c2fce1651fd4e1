"""The day-2 playbooks on the formed cluster: cluster_status, stop and start.

Five playbook runs that reach the nodes (each takes a minute or two under ARM emulation):
the status of the whole cluster, stop, start, start again, and the status with one worker
stopped; and one that stops in its first check, on the controller, in seconds. Every
test leaves the cluster whole: what it stops is started again in a `finally`, and the
master's JSON is polled (from here, without Ansible) until every worker is back.
"""

import json
import pathlib
import time
import urllib.request

import yaml
from conftest import ADDRESS, MASTER, NODES, WORKERS, node, run_playbook
from playbook import assert_stopped_in_preflight, changed_counts, failed_tasks, failure_messages

# What each emulated Pi 3 (906 MB, 4 cores in the inventory) offers by the memory budget
# (docs/memory.md), as test_cluster.py has it.
OFFER_MB = 474
MASTER_JSON = f"http://{ADDRESS[MASTER]}:8080/json/"
# The history server runs beside the master; stop and start handle it with the master.
HISTORY_UNIT = "spark-history"
HISTORY_PORT = 18080
ROLES = pathlib.Path(__file__).resolve().parents[3] / "roles"
SPARK_VERSION = yaml.safe_load((ROLES / "spark_install" / "defaults" / "main.yml").read_text())[
    "spark_install_version"
]


def unit(name):
    return "spark-master" if name == MASTER else "spark-worker"


def master_json():
    """The master's /json/, read from the controller as cluster_status.yml reads it."""
    with urllib.request.urlopen(MASTER_JSON, timeout=10) as answer:
        return json.load(answer)


def alive_hosts(doc):
    return sorted(w["host"] for w in doc["workers"] if w["state"] == "ALIVE")


def wait_until(condition, timeout, what):
    """Poll the master's JSON every 3 s until condition(doc) holds; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = master_json()
        except OSError as exc:
            last = exc
        else:
            if condition(last):
                return last
        time.sleep(3)
    raise AssertionError(f"{what} not seen within {timeout} s; the master's last answer: {last}")


def wait_for_the_whole_cluster(timeout=600):
    expected = sorted(ADDRESS[w] for w in WORKERS)
    return wait_until(
        lambda doc: doc["status"] == "ALIVE" and alive_hosts(doc) == expected,
        timeout,
        "every worker ALIVE",
    )


def start_what_is_stopped():
    """Start the master, then every worker, where they are not running (a test's cleanup), and
    the history server."""
    for name in NODES:
        host = node(name)
        if not host.service(unit(name)).is_running:
            host.check_output(f"sudo systemctl start {unit(name)}")
    if not node(MASTER).service(HISTORY_UNIT).is_running:
        node(MASTER).check_output(f"sudo systemctl start {HISTORY_UNIT}")


def listening_ports(host):
    """The ports of every listening TCP socket on a node (as test_nodes.py reads ss)."""
    return {int(line.split()[3].rpartition(":")[2]) for line in host.check_output("ss -tlnH").splitlines()}


def task_results(report, task):
    """{host: result} of the task named `task` (without any role prefix)."""
    for play in report["plays"]:
        for entry in play["tasks"]:
            if entry["task"]["name"].split(" : ", 1)[-1] == task:
                return entry["hosts"]
    raise AssertionError(f"no task {task!r} in the run")


def node_changes(run):
    """{node: changed count} for the cluster's nodes (localhost's timer play left out)."""
    counts = changed_counts(run.report)
    return {name: counts.get(name) for name in NODES}


def test_status_shows_what_the_master_reports(tmp_path):
    status_file = tmp_path / "status.json"
    run = run_playbook("cluster_status.yml", extra_vars={"picluster_status_file": str(status_file)})
    assert run.rc == 0, failure_messages(run.report)
    doc = master_json()
    written = json.loads(status_file.read_text())
    assert written["complete"] is True, written["problems"]
    assert written["problems"] == []
    assert written["missing"] == []
    assert written["master"]["status"] == doc["status"] == "ALIVE"
    assert written["master"]["url"] == f"spark://{ADDRESS[MASTER]}:7077"

    # Worker by worker, the ALIVE entries agree with the master's own JSON.
    theirs = {w["host"]: w for w in doc["workers"] if w["state"] == "ALIVE"}
    ours = {w["host"]: w for w in written["workers"] if w["state"] == "ALIVE"}
    assert sorted(ours) == sorted(theirs) == sorted(ADDRESS[w] for w in WORKERS)
    name_of = {ADDRESS[w]: w for w in WORKERS}
    for host, entry in theirs.items():
        mine = ours[host]
        assert mine["name"] == name_of[host]
        assert (mine["cores"], mine["memory_mb"]) == (entry["cores"], entry["memory"])
        assert (mine["cores_used"], mine["memory_used_mb"]) == (entry["coresused"], entry["memoryused"])
        assert mine["spark_version"] == SPARK_VERSION
    assert written["totals"]["workers"] == 4
    assert written["totals"]["cores"] == sum(w["cores"] for w in theirs.values()) == 16
    assert written["totals"]["memory_mb"] == sum(w["memory"] for w in theirs.values()) == 4 * OFFER_MB
    assert written["expected"] == {"workers": 4, "cores": 16, "memory_mb": 4 * OFFER_MB}

    # The printed table says the same.
    lines = task_results(run.report, "Print the cluster")[MASTER]["msg"]
    for worker in WORKERS:
        row = next(line for line in lines if line.startswith(f"{worker} "))
        assert ADDRESS[worker] in row and " ALIVE " in row and f"/{OFFER_MB} MB" in row, row
    assert any(line.startswith("total    4 of 4 ALIVE") for line in lines), lines
    assert lines[-1].startswith("complete:"), lines


def test_stop_then_start_brings_the_cluster_back():
    try:
        stop = run_playbook("stop.yml")
        assert stop.rc == 0, failure_messages(stop.report)
        # The master's node stops two services: the history server and the master.
        assert node_changes(stop) == dict(dict.fromkeys(NODES, 1), **{MASTER: 2}), stop.report["stats"]
        for name in NODES:
            host = node(name)
            assert not host.service(unit(name)).is_running, name
            # Stopped, not disabled: the nodes start Spark again at boot.
            assert host.service(unit(name)).is_enabled, name
        master = node(MASTER)
        assert not {7077, 8080, HISTORY_PORT} & listening_ports(master)
        assert not master.service(HISTORY_UNIT).is_running
        assert master.service(HISTORY_UNIT).is_enabled
        for name in WORKERS:
            assert not {7078, 8081} & listening_ports(node(name)), name

        start = run_playbook("start.yml")
        assert start.rc == 0, failure_messages(start.report)
        assert node_changes(start) == dict(dict.fromkeys(NODES, 1), **{MASTER: 2}), start.report["stats"]
        (waited,) = task_results(start.report, "Wait until the master shows the whole cluster").values()
        assert waited["ready"] is True, waited.get("msg")
        assert (waited["alive_workers"], waited["cores"], waited["memory_mb"]) == (4, 16, 4 * OFFER_MB)
        assert waited["missing_hosts"] == []
        for name in NODES:
            assert node(name).service(unit(name)).is_running, name
        # start.yml waited until the history server answered.
        assert {7077, 8080, HISTORY_PORT} <= listening_ports(master)

        again = run_playbook("start.yml")
        assert again.rc == 0, failure_messages(again.report)
        assert node_changes(again) == dict.fromkeys(NODES, 0), again.report["stats"]
    finally:
        start_what_is_stopped()
        wait_for_the_whole_cluster()


def test_status_fails_and_names_a_stopped_worker(tmp_path):
    victim = WORKERS[1]
    status_file = tmp_path / "status.json"
    host = node(victim)
    host.check_output("sudo systemctl stop spark-worker")
    try:
        # The master drops a worker that stops cleanly at once; the wait only makes sure.
        wait_until(lambda doc: ADDRESS[victim] not in alive_hosts(doc), 120, f"{victim} no longer ALIVE")
        run = run_playbook("cluster_status.yml", extra_vars={"picluster_status_file": str(status_file)})
        assert run.rc != 0
        messages = " ".join(failure_messages(run.report))
        assert "The Spark cluster is not complete" in messages, messages
        assert f"missing or dead workers: {victim} (" in messages, messages
        failed = [task for task, _, _ in failed_tasks(run.report)]
        assert failed == ["Fail when the cluster is not whole"], failed
        # The JSON is written before the verdict, for scripts that read why.
        written = json.loads(status_file.read_text())
        assert written["complete"] is False
        assert written["missing"] == [victim]
        assert written["totals"]["workers"] == 3
        assert written["totals"]["cores"] == 12
        lines = task_results(run.report, "Print the cluster")[MASTER]["msg"]
        assert lines[-1].startswith(f"NOT COMPLETE: missing or dead workers: {victim} ("), lines
    finally:
        host.check_output("sudo systemctl start spark-worker")
        wait_for_the_whole_cluster()


def test_stop_without_the_master_in_the_limit_stops_nothing():
    """A --limit that leaves the master out stops in the first play's check, on the controller."""
    victim = WORKERS[1]
    run = run_playbook("stop.yml", "--limit", victim)
    assert_stopped_in_preflight(
        run,
        f"This playbook needs the master {MASTER} in the run, and --limit {victim} leaves it out.",
        plays=("Check the inventory before anything stops",),
    )
    assert node(victim).service("spark-worker").is_running
