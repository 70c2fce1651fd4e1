"""The cluster has formed, and a real job runs on the ARM workers."""

import json
import pathlib
import shlex
import subprocess

from conftest import ADDRESS, INVENTORY_FILE, MASTER, WORKERS, ansible_env, node

JOB = pathlib.Path(__file__).parents[1] / "files" / "where_pi.py"


def test_wait_module_confirms_the_whole_cluster():
    """picluster.spark.wait_for_workers, run from the controller, sees 4 workers / 16 cores / 4096 MB."""
    args = {
        "url": f"http://{ADDRESS[MASTER]}:8080",
        "workers": 4,
        "cores": 16,
        "memory": "4g",
        "hosts": [ADDRESS[w] for w in WORKERS],
        "timeout": 120,
    }
    result = subprocess.run(
        [
            "ansible",
            "-i",
            INVENTORY_FILE,
            "localhost",
            "-m",
            "picluster.spark.wait_for_workers",
            "-a",
            json.dumps(args),
        ],
        env=ansible_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stdout[result.stdout.index("{") :])
    outcome = report["plays"][0]["tasks"][0]["hosts"]["localhost"]
    assert result.returncode == 0, outcome.get("msg")
    assert outcome["status"] == "ALIVE"
    assert outcome["alive_workers"] == 4
    assert outcome["cores"] == 16
    assert outcome["memory_mb"] == 4096
    assert outcome["missing_hosts"] == []
    assert sorted(w["host"] for w in outcome["workers"] if w["state"] == "ALIVE") == sorted(
        ADDRESS[w] for w in WORKERS
    )


def test_a_job_submitted_on_the_master_runs_on_the_arm_workers():
    host = node(MASTER)
    host.check_output(f"cat > /tmp/where_pi.py <<'PYEOF'\n{JOB.read_text()}PYEOF")
    host.run("rm -f /tmp/where_pi.json")
    submit = " ".join(
        [
            "spark-submit",
            f"--master spark://{ADDRESS[MASTER]}:7077",
            # Small executors: a 1 GiB Pi also runs the worker daemon.
            "--conf spark.executor.memory=512m",
            # Start only once every worker has an executor, so all of them get tasks.
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
    assert {"aarch64", "armv7l"} <= machines, answer["executors"]
    assert "x86_64" not in machines
