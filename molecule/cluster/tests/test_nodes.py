"""What site.yml leaves on every node: names, SSH, Spark on disk, services."""

import re

import pytest
from conftest import ADDRESS, MASTER, NODES, WORKERS, node

SPARK_DIR = "/opt/spark/spark-3.5.9-bin-hadoop3"


def listening(host):
    """(address, port) of every listening TCP socket."""
    sockets = set()
    for line in host.check_output("ss -tlnH").splitlines():
        local = line.split()[3]
        address, _, port = local.rpartition(":")
        sockets.add((address.strip("[]"), int(port)))
    return sockets


def test_hostname_is_the_inventory_name(any_node):
    name, host = any_node
    assert host.check_output("hostname") == name


def test_etc_hosts_lists_every_node_by_its_address(any_node):
    name, host = any_node
    for other in NODES:
        assert host.check_output(f"getent hosts {other}").split()[0] == ADDRESS[other]
    hosts_file = host.file("/etc/hosts").content_string
    assert not re.search(rf"^127\.\S+\s+(.*\s)?{name}(\s|$)", hosts_file, re.M), hosts_file


def test_ssh_takes_keys_only_and_refuses_root(any_node):
    _, host = any_node
    settings = dict(
        line.split(" ", 1) for line in host.check_output("sudo sshd -T").splitlines() if " " in line
    )
    assert settings["passwordauthentication"] == "no"
    assert settings["kbdinteractiveauthentication"] == "no"
    assert settings["permitrootlogin"] == "no"
    assert settings["pubkeyauthentication"] == "yes"


def test_java_17_and_base_packages(any_node):
    _, host = any_node
    assert host.package("openjdk-17-jre-headless").is_installed
    assert host.package("rsync").is_installed
    assert "17." in host.run("java -version").stderr


def test_spark_account_cannot_log_in(any_node):
    _, host = any_node
    spark = host.user("spark")
    assert spark.exists
    assert spark.shell == "/usr/sbin/nologin"
    assert spark.group == "spark"
    # Pinned, so files keep their owner across nodes (rsync, NFS).
    assert (spark.uid, spark.gid) == (750, 750)


def test_spark_home_points_at_the_versioned_release(any_node):
    _, host = any_node
    current = host.file("/opt/spark/current")
    assert current.is_symlink
    assert current.linked_to == SPARK_DIR
    release = host.file(SPARK_DIR)
    assert release.is_directory
    assert release.user == "root"
    assert release.mode & 0o005 == 0o005  # others, spark included, may read and enter
    assert host.file(f"{SPARK_DIR}/bin/spark-class").mode & 0o001
    marker = host.file(f"{SPARK_DIR}/.picluster-archive.sha512").content_string.split()
    assert re.fullmatch(r"[0-9a-f]{128}", marker[0]) and marker[1] == "spark-3.5.9-bin-hadoop3.tgz"
    # No scratch directory or staged archive is left behind.
    assert host.run("ls -d /opt/spark/.unpack-* /opt/spark/.replaced-* /var/tmp/spark-*.tgz").rc != 0


def test_login_shells_get_spark_home_and_path(any_node):
    _, host = any_node
    home, submit = host.check_output("bash -lc 'echo $SPARK_HOME; command -v spark-submit'").splitlines()
    assert home == "/opt/spark/current"
    assert submit == "/opt/spark/current/bin/spark-submit"


def test_spark_defaults_name_the_master(any_node):
    _, host = any_node
    # java.util.Properties text (the spark_properties_file filter): key=value.
    defaults = host.file(f"{SPARK_DIR}/conf/spark-defaults.conf").content_string.splitlines()
    assert f"spark.master=spark://{ADDRESS[MASTER]}:7077" in defaults
    # Every application sized for the smallest worker's memory budget (docs/memory.md).
    for line in (
        "spark.executor.memory=474m",
        "spark.executor.cores=4",
        "spark.task.cpus=2",
        "spark.sql.shuffle.partitions=64",
        "spark.shuffle.io.preferDirectBufs=false",
        "spark.executor.extraJavaOptions=-XX:+UseSerialGC -XX:MaxMetaspaceSize=128m"
        " -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+ExitOnOutOfMemoryError",
        # Authentication, no kill links, the fixed ports a firewall names (docs/security.md).
        "spark.authenticate=true",
        "spark.ui.killEnabled=false",
        "spark.driver.port=40000",
        "spark.blockManager.port=40100",
        "spark.port.maxRetries=16",
    ):
        assert line in defaults


def service_pid_user(host, unit):
    pid = host.check_output(f"systemctl show -p MainPID --value {unit}")
    assert pid != "0", f"{unit} has no main process"
    uid = host.check_output(f"awk '/^Uid:/ {{print $2}}' /proc/{pid}/status")
    return pid, host.check_output(f"getent passwd {uid} | cut -d: -f1")


def test_master_service(master):
    name, host = master
    service = host.service("spark-master")
    assert service.is_running and service.is_enabled
    pid, user = service_pid_user(host, "spark-master")
    assert user == "spark"
    cmdline = host.file(f"/proc/{pid}/cmdline").content_string.split("\0")
    assert "org.apache.spark.deploy.master.Master" in cmdline
    # Its properties (the secret among them) come from its own file, not the command line.
    assert cmdline[cmdline.index("--properties-file") + 1] == "/etc/spark/spark-master.conf"
    assert not [arg for arg in cmdline if arg.startswith("-Dspark.")], cmdline
    conf = host.check_output("sudo stat -c '%U %G %a' /etc/spark/spark-master.conf")
    assert conf == "root spark 640"
    properties = host.check_output("sudo cat /etc/spark/spark-master.conf").splitlines()
    assert {
        "spark.authenticate=true",
        "spark.ui.killEnabled=false",
        "spark.master.rest.enabled=false",
    } <= set(properties)
    # RPC and web UI on the cluster address only; no REST submission server.
    sockets = listening(host)
    assert (ADDRESS[name], 7077) in sockets
    assert (ADDRESS[name], 8080) in sockets
    assert not {s for s in sockets if s[1] in (7077, 8080, 6066) and s[0] != ADDRESS[name]}


def test_history_service(master):
    name, host = master
    service = host.service("spark-history")
    assert service.is_running and service.is_enabled
    pid, user = service_pid_user(host, "spark-history")
    assert user == "spark"
    cmdline = host.file(f"/proc/{pid}/cmdline").content_string.split("\0")
    assert "org.apache.spark.deploy.history.HistoryServer" in cmdline
    assert cmdline[cmdline.index("--properties-file") + 1] == "/etc/spark/spark-history.conf"
    properties = host.check_output("sudo cat /etc/spark/spark-history.conf").splitlines()
    assert {
        "spark.history.fs.logDirectory=file:/var/lib/spark/events",
        "spark.history.fs.cleaner.enabled=true",
        "spark.history.fs.cleaner.maxAge=14d",
        "spark.history.fs.cleaner.maxNum=200",
    } <= set(properties)
    # It reads files only: no secret in its file.
    assert not [line for line in properties if line.startswith("spark.authenticate")], properties
    events = host.check_output("sudo stat -c '%F %U %G %a' /var/lib/spark/events")
    assert events == "directory spark spark 3770"
    # Drivers on the master write event logs there; on the workers, none.
    defaults = host.check_output(f"sudo cat {SPARK_DIR}/conf/spark-defaults.conf").splitlines()
    assert {"spark.eventLog.enabled=true", "spark.eventLog.dir=file:/var/lib/spark/events"} <= set(defaults)
    for other in WORKERS:
        conf = node(other).check_output(f"sudo cat {SPARK_DIR}/conf/spark-defaults.conf")
        assert "spark.eventLog" not in conf, other
    # Its web UI on the cluster address only.
    sockets = listening(host)
    assert (ADDRESS[name], 18080) in sockets
    assert not {s for s in sockets if s[1] == 18080 and s[0] != ADDRESS[name]}


def test_worker_service(worker):
    name, host = worker
    service = host.service("spark-worker")
    assert service.is_running and service.is_enabled
    pid, user = service_pid_user(host, "spark-worker")
    assert user == "spark"
    cmdline = host.file(f"/proc/{pid}/cmdline").content_string.split("\0")
    assert "org.apache.spark.deploy.worker.Worker" in cmdline
    assert f"spark://{ADDRESS[MASTER]}:7077" in cmdline
    assert cmdline[cmdline.index("--host") + 1] == ADDRESS[name]
    assert cmdline[cmdline.index("--cores") + 1] == "4"
    assert cmdline[cmdline.index("--properties-file") + 1] == "/etc/spark/spark-worker.conf"
    assert not [arg for arg in cmdline if arg.startswith("-Dspark.")], cmdline
    assert host.check_output("sudo stat -c '%U %G %a' /etc/spark/spark-worker.conf") == "root spark 640"
    properties = host.check_output("sudo cat /etc/spark/spark-worker.conf").splitlines()
    assert {"spark.authenticate=true", "spark.worker.cleanup.enabled=true"} <= set(properties)
    # The memory budget of a Pi 3 (906 MB in the inventory; docs/memory.md).
    assert cmdline[cmdline.index("--memory") + 1] == "474m"
    assert "-Xmx128m" in cmdline
    sockets = listening(host)
    assert (ADDRESS[name], 7078) in sockets
    assert (ADDRESS[name], 8081) in sockets
    assert not {s for s in sockets if s[1] in (7078, 8081) and s[0] != ADDRESS[name]}
    # /var/lib/spark is the spark account's 0750 home: look as root.
    work = host.check_output("sudo stat -c '%F %U %a' /var/lib/spark/work")
    assert work == "directory spark 750"
    # Spills and shuffle files: on the worker's side, the Spark account's alone.
    assert host.check_output("sudo stat -c '%F %U %a' /var/lib/spark/local") == "directory spark 700"
    environment = host.check_output("systemctl show -p Environment --value spark-worker").split()
    assert "SPARK_LOCAL_DIRS=/var/lib/spark/local" in environment
    limits = dict(
        line.split("=", 1)
        for line in host.check_output(
            "systemctl show -p MemoryMax -p OOMPolicy -p OOMScoreAdjust spark-worker"
        ).splitlines()
    )
    # MemoryMax: the Pi 3's 906 MB less the OS's 80 MB, in bytes.
    assert limits == {"MemoryMax": str(826 * 1024 * 1024), "OOMPolicy": "continue", "OOMScoreAdjust": "500"}


@pytest.mark.parametrize("unit", ["spark-master", "spark-history", "spark-worker"])
def test_units_are_sandboxed_and_restart_on_failure(unit):
    host = node(WORKERS[0] if unit == "spark-worker" else MASTER)
    props = dict(
        line.split("=", 1)
        for line in host.check_output(
            f"systemctl show -p User -p Restart -p NoNewPrivileges -p ProtectSystem -p PrivateTmp {unit}"
        ).splitlines()
    )
    assert props == {
        "User": "spark",
        "Restart": "on-failure",
        "NoNewPrivileges": "yes",
        "ProtectSystem": "full",
        "PrivateTmp": "yes",
    }


def test_no_swap_is_set_up_in_a_container(any_node):
    """pi_base skips its compressed swap in containers (their memory is the host's); the nfs
    scenario's VMs show it set up."""
    _, host = any_node
    assert not host.package("zram-tools").is_installed
    assert not host.file("/etc/default/zramswap").exists
