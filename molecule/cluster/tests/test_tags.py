"""`--tags spark` redeploys Spark only: no base, data or NFS task runs."""

from conftest import executed_tasks, run_site

OTHER_ROLES = ("picluster.spark.pi_base", "picluster.spark.data_sync", "picluster.spark.nfs_share")
# Ansible checks every role's arguments whatever the tags (the check is tagged
# `always` by Ansible itself); it only reads variables.
ARGUMENT_CHECK = "Validating arguments against arg spec"


def test_tags_spark_runs_no_base_data_or_nfs_task():
    rc, report = run_site("--tags", "spark")
    assert rc == 0, report["stats"]
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
    assert {host: stats["changed"] for host, stats in report["stats"].items()} == dict.fromkeys(
        report["stats"], 0
    )
