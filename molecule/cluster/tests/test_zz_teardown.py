"""playbooks/teardown.yml takes the converged cluster down, keeps the datasets, and a
second run changes nothing.

The name makes pytest run this file LAST in the scenario's verify: the other files
need the running cluster, and after this one no node runs Spark. Three playbook runs
(each a minute or two on the emulated Pis), in order, through module-scoped fixtures:

1. a teardown with an extra inventory host outside the cluster's groups stops in
   its first play, changes nothing, and the master still runs;
2. the teardown proper: on every node no spark-* unit, no Spark JVM, nothing on
   7077/8080/7078/8081 or the history server's 18080, no data sync timer, nothing
   under the install root (on pi4 /opt/spark is a tmpfs mount point: it stays,
   empty), no /etc/spark or profile script, no cluster block in /etc/hosts; the
   datasets, the history server's event logs, the hostname's resolution and the
   Spark account stay;
3. the same teardown again: every host reports changed == 0.

picluster_teardown_schedule=false: the schedule's play runs on the controller, the
machine running these tests, where a real data sync timer of its user's must not go.
"""

import json

import pytest
from conftest import INVENTORY_FILE, MASTER, NODES, PROJECT, RUNNER, node, run_ansible
from playbook import assert_stopped_in_preflight, changed_counts, failure_messages, playbook_command

TEARDOWN = PROJECT / "playbooks" / "teardown.yml"
CHECK_PLAY = "Check the inventory before anything is removed"
ARGS = ["--extra-vars", json.dumps({"picluster_teardown_schedule": False})]
SPARK_PORTS = {7077, 8080, 7078, 8081, 18080}
DATASET = "/data/sample"
EVENTS = "/var/lib/spark/events"


def teardown(*inventories):
    return run_ansible(playbook_command(TEARDOWN, [INVENTORY_FILE, *inventories], args=ARGS))


def install_root(name):
    # The inventory's, where it sets one (a plain path: the bed's does not template it).
    return RUNNER.get_variables(name).get("spark_install_root", "/opt/spark")


@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    extra = tmp_path_factory.mktemp("teardown") / "outsider.yml"
    extra.write_text(json.dumps({"all": {"hosts": {"outsider": {"ansible_host": "172.28.20.99"}}}}))
    return teardown(extra)


@pytest.fixture(scope="module")
def torn_down(refused):
    # After the refused run, so that one found the cluster still up.
    return teardown()


@pytest.fixture(scope="module")
def torn_down_again(torn_down):
    return teardown()


def test_a_host_outside_the_groups_stops_the_teardown_before_any_change(refused):
    assert_stopped_in_preflight(
        refused,
        "outsider is in none of the cluster's groups (spark_master, spark_workers, spark_cluster)",
        plays=[CHECK_PLAY],
    )
    assert node(MASTER).run("systemctl is-active spark-master").stdout.strip() == "active"


def test_the_teardown_runs_through(torn_down):
    assert torn_down.rc == 0, failure_messages(torn_down.report) or torn_down.stderr[-3000:]
    assert set(torn_down.report["stats"]) >= set(NODES)
    assert all(changed_counts(torn_down.report)[name] > 0 for name in NODES), torn_down.report["stats"]


@pytest.mark.usefixtures("torn_down")
@pytest.mark.parametrize("name", NODES)
def test_no_spark_service_process_or_port_is_left(name):
    host = node(name)
    assert host.run("ls /etc/systemd/system/spark-*").rc != 0
    # systemctl exits 1 when no unit file matches the pattern.
    units = host.run("systemctl list-unit-files --no-legend 'spark-*'")
    assert units.rc in (0, 1) and units.stdout.strip() == "", (name, units.rc, units.stdout)
    # pgrep exits 1 when nothing matches.
    assert host.run("pgrep -u spark java").rc == 1
    assert host.run("pgrep -f org.apache.spark.deploy").rc == 1
    ports = {int(line.split()[3].rpartition(":")[2]) for line in host.check_output("ss -tlnH").splitlines()}
    assert ports & SPARK_PORTS == set()
    timers = host.check_output("systemctl list-timers --all --no-legend")
    assert "picluster-data-sync" not in timers


@pytest.mark.usefixtures("torn_down")
@pytest.mark.parametrize("name", NODES)
def test_spark_is_gone_from_disk(name):
    host = node(name)
    root = install_root(name)
    # Gone, or (pi4's tmpfs mount point) left empty.
    left = host.run(f"sudo find {root} -mindepth 1")
    assert (left.rc != 0 and not host.file(root).exists) or (left.rc == 0 and left.stdout.strip() == ""), (
        left.stdout
    )
    for path in ("/etc/spark", "/etc/profile.d/spark.sh", "/var/lib/spark/work", "/var/lib/spark/local"):
        assert not host.file(path).exists, path
    assert host.run("ls -d /var/tmp/spark-*.tgz").rc != 0


@pytest.mark.usefixtures("torn_down")
@pytest.mark.parametrize("name", NODES)
def test_the_applications_code_is_gone_and_the_run_history_stays(name):
    host = node(name)
    assert not host.file("/opt/spark-apps/sample-lines").exists, name
    if name == MASTER:
        # test_pipeline's run is still on record: the history tells why past runs failed.
        last = json.loads(host.check_output("sudo tail -n 1 /var/lib/picluster/runs.jsonl"))
        assert last["application"] == "sample-lines", last


@pytest.mark.usefixtures("torn_down")
def test_the_history_servers_event_logs_stay_on_the_master():
    host = node(MASTER)
    assert not host.file("/etc/spark/spark-history.conf").exists
    events = host.check_output(f"sudo stat -c '%F %U %G %a' {EVENTS}")
    assert events == "directory spark spark 3770", events
    # test_pipeline's run, among others, wrote its event log there.
    logs = host.check_output(f"sudo find {EVENTS} -maxdepth 1 -name 'app-*'").split()
    assert logs, f"no event log left in {EVENTS}"
    for name in NODES:
        if name != MASTER:
            assert not node(name).file(EVENTS).exists, name


@pytest.mark.usefixtures("torn_down")
@pytest.mark.parametrize("name", NODES)
def test_the_datasets_and_the_node_itself_stay(name):
    host = node(name)
    files = host.check_output(f"sudo find {DATASET} -type f -name '*.csv'").split()
    assert files, f"{DATASET} lost its files on {name}"
    assert not host.file(f"{DATASET}/.data-sync-partial").exists
    assert "picluster nodes (managed by Ansible)" not in host.file("/etc/hosts").content_string
    assert host.run("getent hosts $(hostname)").rc == 0
    # The account stays by default (picluster_teardown_remove_account).
    assert host.run("getent passwd spark").rc == 0
    assert host.check_output("hostname") == name


def test_a_second_teardown_changes_nothing(torn_down_again):
    assert torn_down_again.rc == 0, failure_messages(torn_down_again.report) or torn_down_again.stderr[-3000:]
    counts = changed_counts(torn_down_again.report)
    assert counts == dict.fromkeys(counts, 0), torn_down_again.report["stats"]
    assert set(counts) >= set(NODES)
