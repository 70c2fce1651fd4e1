"""`--tags spark` redeploys Spark only: no base, data or NFS task runs."""

import json
import re

from conftest import MASTER, node, run_site
from playbook import changed_counts, executed_tasks

OTHER_ROLES = (
    "picluster.spark.pi_base",
    "picluster.spark.data_sync",
    "picluster.spark.nfs_share",
    "picluster.spark.firewall",
)
# Ansible checks every role's arguments whatever the tags (the check is tagged
# `always` by Ansible itself); it only reads variables.
ARGUMENT_CHECK = "Validating arguments against arg spec"


def test_tags_spark_runs_no_base_data_or_nfs_task():
    run = run_site("--tags", "spark")
    report = run.report
    assert run.rc == 0, report["stats"]
    ran = list(executed_tasks(report))
    foreign = [
        (play, task, host)
        for play, task, host, _ in ran
        if task.startswith(OTHER_ROLES) and ARGUMENT_CHECK not in task
    ]
    assert foreign == []
    # The Spark roles did run, on every node, and found nothing to change.
    roles_seen = {task.split(" : ")[0] for _, task, _, _ in ran if " : " in task}
    assert {
        "picluster.spark.spark_install",
        "picluster.spark.spark_master",
        "picluster.spark.spark_worker",
    } <= roles_seen
    assert changed_counts(report) == dict.fromkeys(report["stats"], 0)
    # Every task that handles the cluster's secret keeps it out of Ansible's report, which
    # holds each task's arguments and results.
    conf = node(MASTER).check_output("sudo cat /opt/spark/current/conf/spark-defaults.conf")
    secret = re.search(r"^spark\.authenticate\.secret\s*[=:\s]\s*(\S+)\s*$", conf, re.M).group(1)
    assert secret not in json.dumps(report) + run.stderr
