"""The roles' templates as a node would get them, rendered on localhost with each role's
defaults and vars: the properties files read back (java.util.Properties rules) to what the
roles mean, the secret only in those files, never in a unit or spark-env.sh."""

import json
import sys

import pytest
from conftest import REPO, ansible_playbook

sys.path.insert(0, str(REPO / "tests" / "unit" / "plugins" / "filter"))
from test_spark_security import load_properties

SECRET = "Abc123" * 8
ODD = "-Dx=1 100% a\\b"

PLAY = """
- hosts: localhost
  gather_facts: false
  vars_files:
    - {repo}/roles/spark_account/defaults/main.yml
    - {repo}/roles/{role}/defaults/main.yml
    - {repo}/roles/{role}/vars/main.yml
  tasks:
    - name: Render the templates
      ansible.builtin.copy:
        dest: "{{{{ out }}}}/{{{{ index }}}}"
        content: "{{{{ lookup('ansible.builtin.template', '{repo}/roles/{role}/templates/' ~ item) }}}}"
        mode: "0600"
      loop: "{{{{ templates }}}}"
      loop_control:
        index_var: index
"""


def render(tmp_path, role, templates, **extra):
    play = PLAY.format(repo=REPO, role=role)
    (tmp_path / "play.yml").write_text(play)
    extra_vars = {
        "out": str(tmp_path),
        "templates": templates,
        **extra,
    }
    inventory = ["-i", "localhost,", "-c", "local"]
    run = ansible_playbook(tmp_path, *inventory, "-e", json.dumps(extra_vars), "play.yml")
    assert run.returncode == 0, run.stdout + run.stderr
    return [(tmp_path / str(i)).read_text() for i in range(len(templates))]


def test_spark_defaults(tmp_path):
    defaults, env = render(
        tmp_path,
        "spark_install",
        ["spark-defaults.conf.j2", "spark-env.sh.j2"],
        spark_install_auth_secret=SECRET,
        spark_install_master_url="spark://10.0.0.1:7077",
        spark_install_local_ip="10.0.0.1",
        spark_install_executor_properties={"spark.executor.memory": "474m", "spark.x": "budget"},
        spark_install_properties={"spark.x": "mine", "spark.driver.extraJavaOptions": ODD},
    )
    assert load_properties(defaults) == {
        "spark.master": "spark://10.0.0.1:7077",
        "spark.authenticate": "true",
        "spark.authenticate.secret": SECRET,
        "spark.ui.killEnabled": "false",
        "spark.driver.port": "40000",
        "spark.blockManager.port": "40100",
        "spark.ui.port": "4040",
        "spark.port.maxRetries": "16",
        "spark.executor.memory": "474m",
        # The user's properties win over the budget's.
        "spark.x": "mine",
        "spark.driver.extraJavaOptions": ODD,
    }
    assert 'SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-10.0.0.1}"' in env
    assert SECRET not in env


def test_spark_defaults_without_authentication_or_local_ip(tmp_path):
    defaults, env = render(
        tmp_path,
        "spark_install",
        ["spark-defaults.conf.j2", "spark-env.sh.j2"],
        spark_install_authenticate=False,
    )
    props = load_properties(defaults)
    assert "spark.authenticate" not in props
    assert "spark.authenticate.secret" not in props
    assert props["spark.ui.killEnabled"] == "false"
    assert "SPARK_LOCAL_IP" not in env


def test_master_properties_file_and_unit(tmp_path):
    conf, unit = render(
        tmp_path,
        "spark_master",
        ["spark-master.conf.j2", "spark-master.service.j2"],
        spark_master_auth_secret=SECRET,
        spark_master_bind_address="10.0.0.1",
        spark_master_properties={"spark.deploy.spreadOut": False, "spark.odd": ODD},
    )
    assert load_properties(conf) == {
        "spark.authenticate": "true",
        "spark.authenticate.secret": SECRET,
        "spark.master.rest.enabled": "false",
        "spark.ui.killEnabled": "false",
        "spark.deploy.spreadOut": "false",
        "spark.odd": ODD,
    }
    assert SECRET not in unit
    assert "SPARK_MASTER_OPTS" not in unit
    assert " --properties-file /etc/spark/spark-master.conf" in unit


@pytest.mark.parametrize("authenticate", [True, False])
def test_worker_properties_file_and_unit(tmp_path, authenticate):
    conf, unit = render(
        tmp_path,
        "spark_worker",
        ["spark-worker.conf.j2", "spark-worker.service.j2"],
        spark_worker_auth_secret=SECRET,
        spark_worker_authenticate=authenticate,
        spark_worker_bind_address="10.0.0.2",
        spark_worker_master_url="spark://10.0.0.1:7077",
        spark_worker_node_memory_mb=906,
        spark_worker_node_cores=4,
        spark_worker_cleanup_interval=600,
        spark_worker_properties={"spark.odd": ODD},
    )
    expected = {
        "spark.worker.cleanup.enabled": "true",
        "spark.worker.cleanup.interval": "600",
        "spark.worker.cleanup.appDataTtl": "86400",
        "spark.ui.killEnabled": "false",
        "spark.odd": ODD,
    }
    if authenticate:
        expected |= {"spark.authenticate": "true", "spark.authenticate.secret": SECRET}
    assert load_properties(conf) == expected
    assert SECRET not in unit
    assert "SPARK_WORKER_OPTS" not in unit
    assert "--properties-file /etc/spark/spark-worker.conf spark://10.0.0.1:7077" in unit


def test_spark_defaults_write_event_logs_only_when_given_a_directory(tmp_path):
    (with_dir,) = render(
        tmp_path,
        "spark_install",
        ["spark-defaults.conf.j2"],
        spark_install_event_log_dir="/var/lib/spark/events",
    )
    props = load_properties(with_dir)
    assert props["spark.eventLog.enabled"] == "true"
    assert props["spark.eventLog.dir"] == "file:/var/lib/spark/events"
    (without,) = render(tmp_path, "spark_install", ["spark-defaults.conf.j2"])
    assert not [name for name in load_properties(without) if name.startswith("spark.eventLog")]


def test_history_properties_file_and_unit(tmp_path):
    conf, unit = render(
        tmp_path,
        "spark_history",
        ["spark-history.conf.j2", "spark-history.service.j2"],
        spark_history_bind_address="10.0.0.1",
        spark_history_max_age="7d",
        spark_history_properties={"spark.history.retainedApplications": 10, "spark.odd": ODD},
        # What the other roles' inputs hold: none of it may reach the history server's files.
        spark_master_auth_secret=SECRET,
        spark_install_auth_secret=SECRET,
    )
    assert load_properties(conf) == {
        "spark.history.fs.logDirectory": "file:/var/lib/spark/events",
        "spark.history.ui.port": "18080",
        "spark.history.fs.update.interval": "10s",
        "spark.history.fs.cleaner.enabled": "true",
        "spark.history.fs.cleaner.maxAge": "7d",
        "spark.history.fs.cleaner.maxNum": "200",
        "spark.history.retainedApplications": "10",
        "spark.odd": ODD,
    }
    assert SECRET not in conf + unit
    lines = unit.splitlines()
    assert "User=spark" in lines
    # The web UI binds to SPARK_LOCAL_IP: the cluster address, not every interface.
    assert "Environment=SPARK_LOCAL_IP=10.0.0.1" in lines
    assert "Environment=SPARK_DAEMON_MEMORY=256m" in lines
    assert (
        "ExecStart=/opt/spark/current/bin/spark-class org.apache.spark.deploy.history.HistoryServer"
        " --properties-file /etc/spark/spark-history.conf" in lines
    )
    assert "ReadWritePaths=/var/lib/spark/events" in lines
    assert "SPARK_HISTORY_OPTS" not in unit
