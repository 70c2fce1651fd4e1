"""The sample dataset sits at the same path on every node; the original line count runs on it."""

import hashlib
import json

from conftest import INVENTORY_FILE, PROJECT, run_ansible
from playbook import executed_tasks

SOURCE = PROJECT / ".bed" / "data" / "sample"
DEST = "/data/sample"
# bed/sample-data.sh writes three CSVs of 20,000, 18,000 and 12,000 lines.
LINES = 50_000
PLAYBOOK = ["ansible-playbook", "-i", INVENTORY_FILE, str(PROJECT / "playbooks" / "line_count.yml")]


def source_manifest():
    return {
        str(path.relative_to(SOURCE)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(SOURCE.rglob("*"))
        if path.is_file()
    }


def node_manifest(host):
    out = host.check_output(
        f"cd {DEST} && sudo find . -type f -printf '%P\\0' | sort -z | xargs -0r sha256sum"
    )
    return {name: digest for digest, name in (line.split(maxsplit=1) for line in out.splitlines())}


def test_every_node_holds_the_controllers_files(any_node):
    name, host = any_node
    expected = source_manifest()
    assert len(expected) == 3
    assert node_manifest(host) == expected, name
    # Readable by spark, changeable by root alone: a job cannot delete the local copies.
    for entry in expected:
        f = host.file(f"{DEST}/{entry}")
        assert (f.user, f.group, f.mode) == ("root", "spark", 0o644), (name, entry)
    # Nothing hidden left behind (rsync's delayed updates hold files in .~tmp~).
    assert host.check_output(f"sudo find {DEST} -name '.*'") == ""


def test_line_count_counts_the_sample_on_the_cluster():
    """playbooks/line_count.yml submits the count from the master; the ARM workers run it."""
    run = run_ansible([*PLAYBOOK, "-e", f"line_count_path={DEST}"], timeout=1500)
    assert run.rc == 0, json.dumps(run.report)[-4000:]
    rows = [
        res["ansible_facts"]["__line_count_rows"]
        for _, task, _, res in executed_tasks(run.report)
        if task == "Read the counts the job printed"
    ]
    assert len(rows) == 1, rows
    (row,) = rows[0]
    assert row["path"] == f"file://{DEST}"
    assert row["lines"] == LINES
    assert row["seconds"] > 0


GROUP_TRIPS = ["ansible-playbook", "-i", INVENTORY_FILE, str(PROJECT / "playbooks" / "group_trips.yml")]
GROUP_OUTPUT = "/var/lib/spark/group-trips.json"


def test_group_trips_gives_the_controllers_exact_answer(master):
    """playbooks/group_trips.yml groups the sample by pickup hour on the cluster and checks
    every aggregate against the controller's streaming answer (plugins/module_utils/trips.py)."""
    name, host = master
    host.run(f"sudo rm -f {GROUP_OUTPUT}")
    extra = {"group_trips_path": DEST, "group_trips_source": str(SOURCE), "group_trips_output": GROUP_OUTPUT}
    run = run_ansible([*GROUP_TRIPS, "-e", json.dumps(extra)], timeout=1500)
    assert run.rc == 0, json.dumps(run.report)[-4000:]
    ran = {task for _, task, _, _ in executed_tasks(run.report)}
    assert "Check the answer against the controller's" in ran
    (rows,) = [
        res["ansible_facts"]["__group_trips_rows"]
        for _, task, _, res in executed_tasks(run.report)
        if task == "Read the rows the job printed"
    ]
    assert [row["hour"] for row in rows] == list(range(24))
    assert sum(row["trips"] for row in rows) == LINES
    # The driver wrote the same rows on the master, as the Spark account.
    # /var/lib/spark is the Spark account's (0750): read as root.
    assert host.check_output(f"sudo stat -c '%U %a' {GROUP_OUTPUT}") == "spark 644", name
    assert json.loads(host.check_output(f"sudo cat {GROUP_OUTPUT}")) == rows
