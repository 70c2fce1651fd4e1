"""The history server in the playbooks: what playbooks/vars/cluster.yml derives for it (a real
ansible-playbook run on localhost, every host over a local connection), the role's pre-flight
refusing bad input before anything changes, and where site.yml, stop.yml, start.yml and
teardown.yml run it."""

import json

import pytest
import yaml
from conftest import REPO, ansible_playbook

PLAYBOOKS = REPO / "playbooks"

INVENTORY = """
all:
  children:
    spark_cluster:
      children:
        spark_master:
          hosts:
            nuc: {ansible_host: 192.0.2.10}
        spark_workers:
          hosts:
            pi1: {ansible_host: 192.0.2.11}
"""

DERIVED = f"""
- hosts: spark_cluster
  gather_facts: false
  vars_files:
    - {REPO}/playbooks/vars/cluster.yml
  tasks:
    - name: Write what cluster.yml derives for the history server
      ansible.builtin.copy:
        dest: "{{{{ out }}}}/{{{{ inventory_hostname }}}}.json"
        content: "{{{{ {{'event_log_dir': spark_install_event_log_dir, 'ui': picluster_history_ui,
                       'bind': spark_history_bind_address,
                       'taken': spark_history_taken_ports | map(attribute='name') | list,
                       'firewall_ui': firewall_ui_ports | map(attribute='name') | list}} | to_json }}}}"
        mode: "0600"
      delegate_to: localhost
"""

PREFLIGHT = """
- hosts: nuc
  gather_facts: false
  tasks:
    - name: Check the inputs as site.yml's first play does
      ansible.builtin.include_role:
        name: picluster.spark.spark_history
        tasks_from: preflight
"""


def run(tmp_path, play, *extra):
    (tmp_path / "hosts.yml").write_text(INVENTORY)
    (tmp_path / "play.yml").write_text(play)
    return ansible_playbook(
        tmp_path,
        "-i",
        "hosts.yml",
        "-c",
        "local",
        "-e",
        f"out={tmp_path}",
        # Read by the secret's derivation; no file is made with one given.
        "-e",
        "picluster_spark_secret=" + "s" * 32,
        *extra,
        "play.yml",
    )


def derived(tmp_path, *extra):
    done = run(tmp_path, DERIVED, *extra)
    assert done.returncode == 0, done.stdout + done.stderr
    return {name: json.loads((tmp_path / f"{name}.json").read_text()) for name in ("nuc", "pi1")}


def test_event_logs_on_the_master_only_and_the_history_port_open_to_the_admins(tmp_path):
    values = derived(tmp_path)
    assert values["nuc"]["event_log_dir"] == "/var/lib/spark/events"
    # A driver on a Pi writes no event log the server would never read.
    assert values["pi1"]["event_log_dir"] == ""
    assert values["nuc"]["ui"] == "http://192.0.2.10:18080"
    assert values["nuc"]["bind"] == "192.0.2.10"
    # Beside the master's and the applications' UIs, on the firewall's UI ports.
    assert values["nuc"]["firewall_ui"] == ["master_ui", "history_ui", "worker_ui", "ui"]
    # The history server's own port is not among those it must avoid.
    assert "history_ui" not in values["nuc"]["taken"]
    assert {"master", "master_ui", "ui", "driver"} <= set(values["nuc"]["taken"])


def test_switched_off_no_event_logs_and_no_port(tmp_path):
    values = derived(tmp_path, "-e", "spark_history_enabled=false")
    assert values["nuc"]["event_log_dir"] == values["pi1"]["event_log_dir"] == ""
    assert values["nuc"]["ui"] == ""
    assert "history_ui" not in values["nuc"]["firewall_ui"]


def test_a_chosen_port_and_directory_follow_the_inventory(tmp_path):
    chosen = {"spark_history_ui_port": 18200, "spark_history_events_dir": "/srv/events"}
    values = derived(tmp_path, "-e", json.dumps(chosen))
    assert values["nuc"]["event_log_dir"] == "/srv/events"
    assert values["nuc"]["ui"] == "http://192.0.2.10:18200"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"spark_history_ui_port": 70000}, "spark_history_ui_port 70000 must be a port within 1024-65535"),
        ({"spark_history_events_dir": "spark/events"}, "spark_history_events_dir 'spark/events' must be"),
        ({"spark_history_max_age": "two weeks"}, "spark_history_max_age 'two weeks' must be a positive"),
        ({"spark_history_daemon_memory": "lots"}, "spark_history_daemon_memory 'lots' must be Spark"),
        (
            {
                "spark_history_ui_port": 8080,
                "spark_history_taken_ports": [{"name": "ui", "port": 8000, "last": 8090}],
            },
            "spark_history_ui_port 8080 is taken by ui (8000-8090)",
        ),
    ],
)
def test_the_preflight_refuses_bad_input_before_anything_changes(tmp_path, extra, expected):
    done = run(tmp_path, PREFLIGHT, "-e", json.dumps({"spark_history_bind_address": "192.0.2.10", **extra}))
    out = " ".join((done.stdout + done.stderr).split())
    assert done.returncode != 0, out
    assert expected in out, out
    assert "Nothing was changed" in out, out
    # It stopped at the first check, before reading the node's addresses.
    assert "List the node's addresses" not in out, out


def plays(name):
    return yaml.safe_load((PLAYBOOKS / name).read_text())


def play_roles(play):
    return [entry["role"] for entry in play.get("roles", [])]


def test_site_checks_the_history_server_first_and_runs_it_after_the_master():
    site = plays("site.yml")
    check = next(
        task
        for task in site[0]["tasks"]
        if task.get("ansible.builtin.import_role", {}).get("name") == "picluster.spark.spark_history"
    )
    assert check["ansible.builtin.import_role"]["tasks_from"] == "preflight"
    assert "inventory_hostname in groups['spark_master']" in check["when"]
    order = [role for play in site for role in play_roles(play)]
    master = order.index("picluster.spark.spark_master")
    assert order[master + 1] == "picluster.spark.spark_history"
    history = next(play for play in site if "picluster.spark.spark_history" in play_roles(play))
    assert history["hosts"] == "spark_master"
    assert history["roles"][0]["tags"] == ["spark", "spark_history"]


def imported(play):
    return [
        (task["ansible.builtin.import_role"]["name"], task["ansible.builtin.import_role"]["tasks_from"])
        for task in play.get("tasks", [])
        if "ansible.builtin.import_role" in task
    ]


def test_stop_stops_the_history_server_with_the_master_and_start_starts_it_after():
    stop = [imported(play) for play in plays("stop.yml") if play["hosts"] == "spark_master"]
    assert stop == [[("picluster.spark.spark_history", "stop"), ("picluster.spark.spark_master", "stop")]]
    start = [imported(play) for play in plays("start.yml") if play["hosts"] == "spark_master"]
    assert start == [[("picluster.spark.spark_master", "start"), ("picluster.spark.spark_history", "start")]]


def test_the_teardown_removes_the_history_server_and_keeps_its_events_unless_asked():
    teardown = plays("teardown.yml")
    (history,) = [play for play in teardown if "picluster.spark.spark_history" in play_roles(play)]
    assert history["hosts"] == "spark_master"
    assert history["roles"][0]["vars"]["spark_history_state"] == "absent"
    # Before the master, whose play removes /etc/spark once empty, and before Spark goes.
    order = [role for play in teardown for role in play_roles(play)]
    assert order.index("picluster.spark.spark_history") < order.index("picluster.spark.spark_master")
    defaults = yaml.safe_load((REPO / "roles" / "spark_history" / "defaults" / "main.yml").read_text())
    assert defaults["spark_history_remove_events"] is False
    assert "spark_history_remove_events" not in history["roles"][0]["vars"]
