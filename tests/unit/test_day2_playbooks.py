"""The day-2 playbooks (stop, start, restart, cluster_status): their order, and the role
defaults they repeat where the role is not loaded."""

import pathlib
import re

import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
PLAYBOOKS = REPO / "playbooks"


def plays(name):
    return yaml.safe_load((PLAYBOOKS / name).read_text())


def role_default(role, name):
    return yaml.safe_load((REPO / "roles" / role / "defaults" / "main.yml").read_text())[name]


def acting_plays(name):
    """(hosts, the tasks_from each task imports) of every play after the inventory check."""
    return [
        (play["hosts"], [t.get("ansible.builtin.import_role", {}).get("tasks_from") for t in play["tasks"]])
        for play in plays(name)[1:]
    ]


def test_stop_stops_the_workers_before_the_master():
    # The master's play stops the history server, then the master (test_history_server.py).
    assert acting_plays("stop.yml")[:2] == [("spark_workers", ["stop"]), ("spark_master", ["stop", "stop"])]


def test_start_starts_the_master_then_the_workers_and_waits_for_all_of_them():
    master, workers = acting_plays("start.yml")[:2]
    # The master, then the history server (test_history_server.py).
    assert master == ("spark_master", ["start", "start"])
    assert workers[0] == "spark_workers"
    assert workers[1][0] == "start"
    wait = plays("start.yml")[2]["tasks"][-1]
    assert wait["picluster.spark.wait_for_workers"]["hosts"] == "{{ picluster_worker_addresses }}"
    assert wait["delegate_to"] == "localhost"
    assert wait["run_once"] is True


def test_restart_is_stop_then_start():
    assert [p["ansible.builtin.import_playbook"] for p in plays("restart.yml")] == ["stop.yml", "start.yml"]


def test_every_day2_playbook_checks_the_inventory_and_the_master_first():
    for name in ("cluster_status.yml", "stop.yml", "start.yml"):
        first = plays(name)[0]
        assert first["hosts"] == "spark_cluster", name
        assert first["any_errors_fatal"] is True, name
        check = first["tasks"][0]
        assert check["ansible.builtin.import_tasks"] == "tasks/check_inventory.yml", name
        assert check["vars"] == {"picluster_check_master_in_run": True}, name


def test_the_controller_timer_names_default_to_the_roles_defaults():
    task = yaml.safe_load((PLAYBOOKS / "tasks" / "controller_timers.yml").read_text())[0]
    timers = task["ansible.builtin.set_fact"]["__picluster_timers"]
    data_sync = role_default("data_sync_schedule", "data_sync_schedule_name")
    prefix = role_default("spark_app_schedule", "spark_app_schedule_unit_prefix")
    assert f"data_sync_schedule_name | default('{data_sync}')" in timers
    assert f"spark_app_schedule_unit_prefix | default('{prefix}')" in timers
    for name, state in (("stop.yml", "stopped"), ("start.yml", "started")):
        last = plays(name)[-1]
        assert last["hosts"] == "localhost", name
        assert last["vars"] == {"__picluster_timer_state": state}, name
        assert last["tasks"][0]["ansible.builtin.import_tasks"] == "tasks/controller_timers.yml", name


def test_status_reads_the_version_where_spark_worker_runs_spark_from():
    stat = plays("cluster_status.yml")[1]["tasks"][0]["ansible.builtin.stat"]
    fallback = re.search(r"default\('([^']+)'\)", stat["path"]).group(1)
    assert fallback == role_default("spark_worker", "spark_worker_spark_home")
