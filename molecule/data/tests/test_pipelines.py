"""Scheduled pipelines on a controller with systemd (the master container plays the NUC):
spark_app deploys a PySpark application to the same path on every node, starting a
pipeline unit once runs resync -> job -> record, the history server lists that run's
application (and listens on the master's cluster address only), a changed dataset
changes the answer, a failing job and one past its time limit are recorded as such, a
run that finds the lock taken skips its turn, a second deploy changes nothing, absent
removes units and code and keeps the history. Bad input to site.yml stops before any node changes.

In file order: each test builds on the runs before it.
"""

import hashlib
import json
import pathlib
import re
import subprocess
import time
import urllib.request

import pytest
from conftest import EPHEMERAL, PROJECT, node, run_playbook, runner, schedule
from playbook import assert_stopped_in_preflight, executed_tasks

APPS = pathlib.Path(__file__).parents[1] / "apps"
SITE = PROJECT / "playbooks" / "site.yml"
DEPLOY = PROJECT / "playbooks" / "spark_app.yml"
RUN = PROJECT / "playbooks" / "spark_app_run.yml"
ARCHIVE = PROJECT / ".bed" / "spark" / "spark-3.5.9-bin-hadoop3.tgz"
PREFIX = "picluster-spark-app"
HISTORY = "/var/lib/picluster/runs.jsonl"
LOCK = "/run/lock/picluster-data-sync.lock"
WORDS = "/home/pi/datasets/words"
CODE = "/opt/spark-apps/sum"
PROJECT_DIR = "/home/pi/picluster"
# Fresh file names, so a rerun of these tests changes the dataset again.
STAMP = time.strftime("%Y%m%d%H%M%S")

CONTROLLER = runner.get_hosts("spark_master")[0]
NODES = sorted(runner.get_hosts("spark_cluster"))
# The master's cluster address; the history server's UI and REST API listen there.
MASTER_ADDRESS = runner.get_variables(CONTROLLER)["ansible_host"]
HISTORY_PORT = 18080
EVENTS = "/var/lib/spark/events"


def on_controller(host, playbook, *args, timeout=900):
    """Run a collection playbook on the controller as pi, as a user on the NUC would."""
    extra = " ".join(args)
    return host.run(
        f"cd {PROJECT_DIR} && timeout {timeout} sudo -H -u pi env ANSIBLE_NOCOLOR=1 "
        f"/opt/ansible/bin/ansible-playbook -i hosts.yml picluster.spark.{playbook} {extra}"
    )


def recap_changes(stdout):
    """{host: changed} from an ansible-playbook PLAY RECAP."""
    return {
        m.group(1): int(m.group(2)) for m in re.finditer(r"^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)", stdout, re.M)
    }


def source_sum(host):
    """The sum of the first column of the controller's words dataset: the job's right answer."""
    out = host.check_output(f"cat {WORDS}/*.csv")
    return sum(int(line.split(",", 1)[0]) for line in out.splitlines() if line.strip())


def answer(log):
    """The sum the job printed, from the run's journal."""
    (printed,) = re.findall(r"APP_RESULT (\d+)", log)
    return int(printed)


def history(host):
    return [json.loads(line) for line in host.check_output(f"cat {HISTORY}").splitlines() if line.strip()]


def start(host, name, expect=0):
    """Start a pipeline's oneshot service (returns when the run has ended); its journal since then."""
    # journalctl's --since counts whole seconds: wait past the second in which a previous
    # run of the same unit may have logged its last lines, or they would count as this run's.
    time.sleep(1.1)
    since = host.check_output("date '+%Y-%m-%d %H:%M:%S'")
    host.run_expect([expect], f"timeout 900 systemctl start {PREFIX}-{name}.service")
    return since, host.check_output(
        f"journalctl -u {PREFIX}-{name}.service --since '{since}' --no-pager -o cat"
    )


@pytest.fixture(scope="module")
def controller():
    schedule(pipelines="present")
    host = node(CONTROLLER)
    deploy = on_controller(host, "spark_app")
    assert deploy.rc == 0, deploy.stdout[-3000:] + deploy.stderr[-2000:]
    return host


def test_the_application_is_the_same_file_at_the_same_path_on_every_node(controller):
    expected = hashlib.sha256((APPS / "sum_first_column.py").read_bytes()).hexdigest()
    zipped = controller.check_output("sha256sum /home/pi/picluster/apps/pipeline_lib.zip").split()[0]
    for name in NODES:
        host = node(name)
        code = host.file(f"{CODE}/sum_first_column.py")
        assert code.sha256sum == expected, name
        assert (code.user, code.group, code.mode) == ("root", "spark", 0o644), name
        assert host.file(f"{CODE}/pipeline_lib.zip").sha256sum == zipped, name
        # No temporary file left beside the code.
        assert sorted(host.file(CODE).listdir()) == ["pipeline_lib.zip", "sum_first_column.py"], name


def test_each_application_has_a_service_and_its_timer(controller):
    assert controller.check_output(f"systemctl is-enabled {PREFIX}-sum.timer") == "enabled"
    assert controller.check_output(f"systemctl is-active {PREFIX}-sum.timer") == "active"
    assert (
        controller.check_output(f"systemctl show -P Triggers {PREFIX}-sum.timer") == f"{PREFIX}-sum.service"
    )
    assert "00/4:00" in controller.check_output(f"systemctl show -P TimersCalendar {PREFIX}-sum.timer")
    # slow has no schedule: a service, no timer.
    assert controller.file(f"/etc/systemd/system/{PREFIX}-slow.service").exists
    assert not controller.file(f"/etc/systemd/system/{PREFIX}-slow.timer").exists
    unit = controller.file(f"/etc/systemd/system/{PREFIX}-sum.service").content_string
    assert f"OnFailure={PREFIX}-failed@%n.service" in unit
    assert f'--nonblock --verbose --conflict-exit-code 75 "{LOCK}"' in unit
    assert '"--extra-vars=spark_app_run_name=sum"' in unit
    assert "User=pi" in unit


def test_one_start_resyncs_runs_and_records_the_job(controller):
    before = len(history(controller)) if controller.file(HISTORY).exists else 0
    controller.run_expect([0], f"sudo -u pi sh -c 'echo 5,x > {WORDS}/one-{STAMP}.csv'")
    _, log = start(controller, "sum")
    assert controller.check_output(f"systemctl show -P Result {PREFIX}-sum.service") == "success"
    records = history(controller)
    assert len(records) == before + 1
    record = records[-1]
    assert record["application"] == "sum"
    assert record["state"] == "succeeded", record
    assert re.fullmatch(r"app-\d{14}-\d{4,}", record["app_id"]), record
    assert record["exit_code"] == 0
    # The new file moved to every node before the job.
    assert record["bytes_synced"] >= 4 * len(NODES), record
    assert record["seconds"] > 0
    assert answer(log) == source_sum(controller)
    for name in NODES:
        assert node(name).file(f"/data/words/one-{STAMP}.csv").content_string == "5,x\n", name
    history_file = controller.file(HISTORY)
    assert (history_file.user, history_file.group, history_file.mode) == ("root", "spark", 0o640)


def history_applications():
    """The history server's application list, read from this machine (an admin network)."""
    url = f"http://{MASTER_ADDRESS}:{HISTORY_PORT}/api/v1/applications"
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.load(answer)


def test_the_history_server_lists_the_runs_application(controller):
    # The run of the test above: submitted from the master as the spark account.
    record = history(controller)[-1]
    assert (record["application"], record["state"]) == ("sum", "succeeded"), record
    app_id = record["app_id"]
    # The finished log is named after the application (Spark 4 adds the codec, .zstd).
    (path,) = controller.check_output(f"find {EVENTS} -maxdepth 1 -name '{app_id}*'").split()
    assert not path.endswith(".inprogress"), path
    log = controller.file(path)
    assert (log.user, log.group) == ("spark", "spark")
    # The server rescans every 10 s: wait up to 60 s for the finished application.
    deadline = time.monotonic() + 60
    listed = {}
    while time.monotonic() < deadline:
        listed = {app["id"]: app for app in history_applications()}
        if app_id in listed and listed[app_id]["attempts"][-1]["completed"]:
            break
        time.sleep(3)
    assert app_id in listed, sorted(listed)
    assert listed[app_id]["attempts"][-1]["completed"] is True, listed[app_id]


def test_the_history_server_listens_on_the_cluster_address_only(controller):
    sockets = controller.check_output(f"ss -Hltn 'sport = :{HISTORY_PORT}'").splitlines()
    addresses = {line.split()[3].rpartition(":")[0] for line in sockets}
    assert addresses == {MASTER_ADDRESS}, sockets
    assert controller.check_output("systemctl show -P User spark-history") == "spark"


def test_a_changed_dataset_changes_the_next_runs_answer(controller):
    _, first = start(controller, "sum")
    controller.run_expect([0], f"sudo -u pi sh -c 'echo 10,c > {WORDS}/two-{STAMP}.csv'")
    _, second = start(controller, "sum")
    record = history(controller)[-1]
    assert record["state"] == "succeeded", record
    assert record["bytes_synced"] > 0
    assert answer(second) == answer(first) + 10 == source_sum(controller)
    for name in NODES:
        assert node(name).file(f"/data/words/two-{STAMP}.csv").content_string == "10,c\n", name


def test_a_failing_job_is_recorded_failed_and_the_failure_unit_runs(controller):
    start(controller, "broken", expect=1)
    assert controller.check_output(f"systemctl show -P Result {PREFIX}-broken.service") == "exit-code"
    record = history(controller)[-1]
    assert record["application"] == "broken"
    assert record["state"] == "failed", record
    assert record["exit_code"] not in (0, None)
    # systemd starts it once the service has failed: wait for its line, up to 30 s.
    failed_unit = f"{PREFIX}-failed@{PREFIX}-broken.service.service"
    said = controller.run(
        f"for i in $(seq 30); do journalctl -u '{failed_unit}' --no-pager -o cat | grep -F pipeline"
        " && exit 0; sleep 1; done; exit 1"
    )
    assert f"picluster.spark pipeline {PREFIX}-broken.service failed" in said.stdout, said


def test_a_job_past_its_time_limit_is_stopped_and_recorded_timed_out(controller):
    start(controller, "slow", expect=1)
    record = history(controller)[-1]
    assert record["application"] == "slow"
    assert record["state"] == "timed_out", record
    assert record["exit_code"] in (124, 137)
    # Stopped at the 75 s limit, not after the job's 900 s pause.
    assert 75 <= record["seconds"] < 300
    # No driver of it is left on the master.
    assert controller.run("pgrep -u spark -f sum_first_column.py").rc == 1


def test_a_run_that_finds_the_lock_taken_skips_its_turn(controller):
    before = len(history(controller))
    holder = controller.check_output(
        f"sudo -u pi sh -c 'flock -o {LOCK} sleep 600 >/dev/null 2>&1 & echo $!'"
    )
    try:
        controller.run_expect([0], f"sleep 2; kill -0 {holder}")
        _, log = start(controller, "sum")
    finally:
        controller.run(f"pkill -P {holder}; kill {holder}")
    assert controller.check_output(f"systemctl show -P Result {PREFIX}-sum.service") == "success"
    assert "failed to get lock" in log
    assert "PLAY RECAP" not in log
    assert len(history(controller)) == before


def test_the_runs_table_lists_the_last_runs(controller):
    out = on_controller(controller, "spark_app_runs", "-e spark_app_runs_last=4")
    assert out.rc == 0, out.stdout[-3000:]
    rows = [line for line in out.stdout.splitlines() if re.search(r"\d{4}-\d\d-\d\dT", line)]
    states = [s for row in rows for s in ("succeeded", "failed", "timed_out") if f" {s} " in row]
    assert states == ["succeeded", "succeeded", "failed", "timed_out"], out.stdout[-3000:]
    assert all(f"{name} " in row for name, row in zip(["sum", "sum", "broken", "slow"], rows, strict=True)), (
        rows
    )


def build_jar():
    """apps/LineCount.java compiled against the bed archive's Spark jars (it ships no examples jar)."""
    work = EPHEMERAL / "jar"
    jar = work / "line-count.jar"
    if jar.exists():
        return jar
    (work / "classes").mkdir(parents=True, exist_ok=True)
    top = "spark-3.5.9-bin-hadoop3/jars/"
    wanted = [f"{top}spark-core_*", f"{top}scala-library-*", f"{top}spark-common-utils_*"]
    subprocess.run(["tar", "-xzf", str(ARCHIVE), "-C", str(work), "--wildcards", *wanted], check=True)
    classpath = str(work / top / "*")
    source = str(APPS / "LineCount.java")
    subprocess.run(["javac", "-d", str(work / "classes"), "-cp", classpath, source], check=True)
    subprocess.run(["jar", "cf", str(jar), "-C", str(work / "classes"), "."], check=True)
    return jar


def test_a_jar_application_is_deployed_and_runs(controller):
    jar = build_jar()
    app = {
        "name": "jarcount",
        "src": str(jar),
        "main_class": "pipeline.LineCount",
        "args": ["file:///data/single/single.txt"],
        "datasets": ["single"],
        "timeout": 600,
    }
    deploy = run_playbook(DEPLOY, {"spark_app_applications": [app]})
    assert deploy.rc == 0, json.dumps(deploy.report)[-3000:]
    digest = hashlib.sha256(jar.read_bytes()).hexdigest()
    for name in NODES:
        assert node(name).file("/opt/spark-apps/jarcount/line-count.jar").sha256sum == digest, name
    try:
        run = run_playbook(RUN, {"spark_app_applications": [app], "spark_app_run_name": "jarcount"})
        assert run.rc == 0, json.dumps(run.report)[-3000:]
        record = history(controller)[-1]
        assert (record["application"], record["state"]) == ("jarcount", "succeeded"), record
        assert re.fullmatch(r"app-\d{14}-\d{4,}", record["app_id"]), record
        printed = [
            result["msg"]
            for _, task, host, result in executed_tasks(run.report)
            if task == "Show what the job printed" and host == CONTROLLER
        ]
        lines = len((EPHEMERAL / "datasets" / "single.txt").read_text().splitlines())
        assert len(printed) == 1, printed
        assert f"APP_RESULT {lines}" in printed[0], printed
    finally:
        removed = run_playbook(DEPLOY, {"spark_app_applications": [app], "spark_app_state": "absent"})
        assert removed.rc == 0, json.dumps(removed.report)[-3000:]
    for name in NODES:
        assert not node(name).file("/opt/spark-apps/jarcount").exists, name


def test_a_second_deploy_changes_nothing(controller):
    out = on_controller(controller, "spark_app")
    assert out.rc == 0, out.stdout[-3000:]
    assert recap_changes(out.stdout) == dict.fromkeys(NODES, 0), out.stdout[-3000:]


def test_absent_removes_units_code_and_timer_and_keeps_the_history(controller):
    runs = len(history(controller))
    schedule(pipelines="absent")
    out = on_controller(controller, "spark_app", "-e spark_app_state=absent")
    assert out.rc == 0, out.stdout[-3000:]
    units = controller.check_output("systemctl list-unit-files --no-legend")
    assert PREFIX not in units
    for name in ("sum", "broken", "slow"):
        for kind in ("service", "timer"):
            assert not controller.file(f"/etc/systemd/system/{PREFIX}-{name}.{kind}").exists
    for name in NODES:
        assert not node(name).file(CODE).exists, name
    assert len(history(controller)) == runs


GOOD = str(APPS / "sum_first_column.py")


@pytest.mark.parametrize(
    ("application", "expected"),
    [
        ({"name": "gone", "src": "/nonexistent/app.py"}, "The controller has no /nonexistent/app.py"),
        ({"name": "jar", "src": "/opt/app.jar"}, "(jar): a JAR needs main_class"),
        ({"name": "when", "src": GOOD, "schedule": "every 4 hours"}, "(when): schedule 'every 4 hours'"),
        (
            {"name": "big", "src": GOOD, "executor_memory": "4g"},
            "(big): an executor of 4096 MB and 1 core(s) is larger than any worker offers",
        ),
        (
            {"name": "data", "src": GOOD, "datasets": ["nope"]},
            "(data): dataset(s) nope not in data_sync_datasets",
        ),
    ],
)
def test_bad_applications_fail_before_any_node_changes(application, expected):
    run = run_playbook(SITE, {"spark_app_applications": [application]})
    assert_stopped_in_preflight(run, expected)
    for name in NODES:
        assert not node(name).file(f"/opt/spark-apps/{application['name']}").exists, name
