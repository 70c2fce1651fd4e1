"""The roles' absent paths on localhost, every path input under tmp_path: the first run
removes what the role put there, the second changes nothing. Unit names no machine has
keep systemd out of it (the unit is only looked for); /etc/hosts is a copy."""

import json

from conftest import ansible_playbook

PLAY = """
- hosts: localhost
  gather_facts: false
  roles:
    - role: picluster.spark.spark_worker
      vars:
        spark_worker_state: absent
        spark_worker_service_name: picluster-unit-test-no-such-worker
        spark_worker_properties_file: {tmp}/etc-spark/spark-worker.conf
        spark_worker_dir: {tmp}/lib/work
        spark_worker_local_dirs: [{tmp}/lib/local]
    - role: picluster.spark.spark_master
      vars:
        spark_master_state: absent
        spark_master_service_name: picluster-unit-test-no-such-master
        spark_master_properties_file: {tmp}/etc-spark/spark-master.conf
    - role: picluster.spark.spark_install
      vars:
        spark_install_state: absent
        spark_install_root: {tmp}/opt-spark
        spark_install_profile_script: {tmp}/profile.d/spark.sh
        spark_install_staging_dir: {tmp}/stage
    - role: picluster.spark.pi_base
      vars:
        pi_base_state: absent
        pi_base_hostname: pi1
"""

HOSTS = (
    "127.0.0.1 localhost\n"
    "# BEGIN picluster nodes (managed by Ansible)\n10.0.0.1 nuc\n10.0.0.2 pi1\n"
    "# END picluster nodes (managed by Ansible)\n"
)


def node(tmp):
    for directory in (
        "etc-spark",
        "lib/work/app-1",
        "lib/local",
        "opt-spark/spark-3.5.9-bin-hadoop3/conf",
        "profile.d",
        "stage",
    ):
        (tmp / directory).mkdir(parents=True, exist_ok=True)
    for name in (
        "etc-spark/spark-worker.conf",
        "etc-spark/spark-master.conf",
        "opt-spark/spark-3.5.9-bin-hadoop3/conf/spark-defaults.conf",
        "profile.d/spark.sh",
        "profile.d/other.sh",
        "stage/spark-3.5.9-bin-hadoop3.tgz",
    ):
        (tmp / name).write_text("x\n")
    (tmp / "opt-spark" / "current").symlink_to(tmp / "opt-spark" / "spark-3.5.9-bin-hadoop3")
    (tmp / "hosts").write_text(HOSTS)


def changed(run):
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    recap = run.stdout[run.stdout.index("PLAY RECAP") :]
    return int(recap.split("changed=")[1].split()[0])


def test_absent_removes_what_the_roles_made_then_changes_nothing(tmp_path):
    tmp = tmp_path / "node"
    node(tmp)
    (tmp_path / "play.yml").write_text(PLAY.format(tmp=tmp))
    command = [
        "-i",
        "localhost,",
        "-c",
        "local",
        "-e",
        json.dumps({"__pi_base_hosts_path": str(tmp / "hosts")}),
    ]
    first = ansible_playbook(tmp_path, *command, "play.yml")
    assert changed(first) == 4, first.stdout
    left = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*"))
    assert left == ["hosts", "lib", "profile.d", "profile.d/other.sh", "stage"]
    assert (tmp / "hosts").read_text() == "127.0.0.1 localhost\n127.0.1.1\tpi1\n"
    second = ansible_playbook(tmp_path, *command, "play.yml")
    assert changed(second) == 0, second.stdout
