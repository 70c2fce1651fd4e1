"""The inventory's application on the ARM cluster (inventories/local: sample-lines, the
original line count over the sample dataset).

site.yml put its code at the same path on every node, the emulated Pis included; one
pipeline run (picluster.spark.spark_app_run, what a timer starts on a real controller)
resyncs the dataset, runs the job on the cluster and appends its record to the run
history on the master.
"""

import hashlib
import json
import re

import pytest
from conftest import MASTER, NODES, PROJECT, node, run_playbook
from playbook import executed_tasks
from test_data import DEST, LINES

APP = "sample-lines"
CODE = f"/opt/spark-apps/{APP}/line_count.py"
HISTORY = "/var/lib/picluster/runs.jsonl"


def history():
    out = node(MASTER).check_output(f"sudo cat {HISTORY}")
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.mark.parametrize("name", NODES)
def test_the_code_is_identical_at_the_same_path_on_every_node(name):
    expected = hashlib.sha256((PROJECT / "playbooks" / "files" / "line_count.py").read_bytes()).hexdigest()
    f = node(name).file(CODE)
    assert f.sha256sum == expected, name
    # Readable by the jobs, changeable by root alone.
    assert (f.user, f.group, f.mode) == ("root", "spark", 0o644), name


def test_one_pipeline_run_syncs_runs_and_records_on_the_arm_cluster():
    before = len(history()) if node(MASTER).file(HISTORY).exists else 0
    run = run_playbook("spark_app_run.yml", extra_vars={"spark_app_run_name": APP}, timeout=1500)
    assert run.rc == 0, json.dumps(run.report)[-4000:]
    records = history()
    assert len(records) == before + 1, records[-3:]
    record = records[-1]
    assert (record["application"], record["state"], record["exit_code"]) == (APP, "succeeded", 0), record
    assert re.fullmatch(r"app-\d{14}-\d{4,}", record["app_id"]), record
    assert record["seconds"] > 0, record
    # The job's own answer: every line of the dataset the run synced.
    printed = [
        result["msg"]
        for _, task, host, result in executed_tasks(run.report)
        if task == "Show what the job printed" and host == MASTER
    ]
    assert len(printed) == 1, printed
    counts = [json.loads(line[len("LINE_COUNT ") :]) for line in printed[0] if line.startswith("LINE_COUNT ")]
    assert [(c["path"], c["lines"]) for c in counts] == [(f"file://{DEST}", LINES)], printed[0]
