"""playbooks/vars/cluster.yml's shared Spark secret, derived by a real ansible-playbook run on
localhost with a throwaway HOME: generated once with ansible.builtin.password (file 0600, new
directory 0700), the same on a rerun, the inventory's own when it sets one, none when
authentication is off; and every role's pre-flight refuses a short secret without printing it."""

import json
import stat

import pytest
from conftest import REPO, ansible_env, ansible_playbook

INVENTORY = """
all:
  children:
    spark_cluster:
      children:
        spark_master:
          hosts:
            nuc: {}
        spark_workers:
          hosts:
            pi1: {}
"""

PLAY = f"""
- hosts: nuc
  gather_facts: false
  vars_files:
    - {REPO}/playbooks/vars/cluster.yml
  tasks:
    - name: Show the derived values
      ansible.builtin.copy:
        dest: "{{{{ out }}}}"
        content: "{{{{ {{'secret': picluster_auth_secret, 'path': picluster_spark_secret_path,
                       'install': spark_install_auth_secret, 'master': spark_master_auth_secret,
                       'worker': spark_worker_auth_secret, 'auth': spark_worker_authenticate,
                       'ports': picluster_spark_ports}} | to_json }}}}"
        mode: "0600"
"""


def _run(tmp_path, play, *extra):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (tmp_path / "hosts.yml").write_text(INVENTORY)
    (tmp_path / "play.yml").write_text(play)
    env = dict(ansible_env(tmp_path), HOME=str(home))
    return ansible_playbook(
        tmp_path,
        "-i",
        "hosts.yml",
        "-c",
        "local",
        "-e",
        f"out={tmp_path / 'out.json'}",
        *extra,
        "play.yml",
        env=env,
    )


def _derived(tmp_path, *extra):
    run = _run(tmp_path, PLAY, *extra)
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads((tmp_path / "out.json").read_text())


def test_generated_once_private_and_reused(tmp_path):
    first = _derived(tmp_path)
    secret_file = tmp_path / "home" / ".config" / "picluster.spark" / "spark-secret-nuc"
    assert first["path"] == str(secret_file)
    assert len(first["secret"]) == 64
    assert first["secret"].isalnum()
    assert first["install"] == first["master"] == first["worker"] == first["secret"]
    assert first["auth"] is True
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(secret_file.parent.stat().st_mode) == 0o700
    assert secret_file.read_text().strip() == first["secret"]
    assert _derived(tmp_path)["secret"] == first["secret"]


def test_the_inventory_secret_wins_and_no_file_is_made(tmp_path):
    given = "G" * 40
    derived = _derived(tmp_path, "-e", f"picluster_spark_secret={given}")
    assert derived["secret"] == derived["worker"] == given
    assert not (tmp_path / "home" / ".config").exists()


def test_a_chosen_file(tmp_path):
    derived = _derived(tmp_path, "-e", "picluster_spark_secret_file=~/keys/spark")
    assert derived["path"] == str(tmp_path / "home" / "keys" / "spark")
    assert (tmp_path / "home" / "keys" / "spark").read_text().strip() == derived["secret"]


def test_no_secret_without_authentication(tmp_path):
    derived = _derived(tmp_path, "-e", '{"picluster_spark_authenticate": false}')
    assert derived["secret"] == ""
    assert derived["auth"] is False
    assert not (tmp_path / "home" / ".config").exists()


def test_the_ports_for_a_firewall(tmp_path):
    names = [r["name"] for r in _derived(tmp_path, "-e", "picluster_spark_secret=" + "s" * 32)["ports"]]
    assert names == [
        "master",
        "master_ui",
        "history_ui",
        "worker",
        "worker_ui",
        "driver",
        "block_manager",
        "ui",
    ]


PREFLIGHT = """
- hosts: nuc
  gather_facts: false
  tasks:
    - name: Check the secret as the role's pre-flight does
      ansible.builtin.include_role:
        name: picluster.spark.{role}
        tasks_from: preflight
"""

SHORT = "Sup3rSecretButShort"


@pytest.mark.parametrize(
    ("role", "var"),
    [
        ("spark_install", "spark_install_auth_secret"),
        ("spark_master", "spark_master_auth_secret"),
        ("spark_worker", "spark_worker_auth_secret"),
    ],
)
def test_each_role_refuses_a_short_secret_without_printing_it(tmp_path, role, var):
    # The secret check comes before any check that reads the node or the archive.
    run = _run(
        tmp_path, PREFLIGHT.format(role=role), "-e", f"{var}={SHORT}", "-e", "spark_worker_master_url=x"
    )
    out = run.stdout + run.stderr
    assert run.returncode != 0, out
    assert f"the secret has {len(SHORT)} characters; it needs at least 32" in out, out
    assert SHORT not in out
