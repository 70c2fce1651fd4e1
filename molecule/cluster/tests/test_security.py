"""Only the cluster runs code on the cluster (docs/security.md, docs/firewall.md).

Spark authentication: an application needs the cluster's secret, which lives only in files
readable by root and the spark group. The firewall: from a machine on the same network that is
not in the inventory, no Spark port answers, and neither does SSH; the controller still reaches
every node. In this scenario nuc, pi2 and pi3 run natively and load the firewall; pi1 and pi4
run under qemu-user, which cannot reach the kernel's nftables, and skip it (docs/testbed.md):
their ports answer the outsider, which shows the probe below can see an open port.
"""

import contextlib
import json
import re
import shlex
import subprocess
import time
import urllib.request

import pytest
from conftest import ADDRESS, MASTER, WORKERS, node, run_site

MASTER_JSON = f"http://{ADDRESS[MASTER]}:8080/json/"
FIREWALLED = [MASTER, "pi2", "pi3"]
EMULATED = ["pi1", "pi4"]
# A device on the home network that is not in the inventory.
OUTSIDER = "picluster-outsider"
OUTSIDER_ADDRESS = "172.28.20.99"
NETWORK = "picluster-cluster"
SPARK_DEFAULTS = "/opt/spark/current/conf/spark-defaults.conf"
# Where a secret could be written (not all of /opt/spark: 400 MB of jars per
# release, slow under emulation).
SEARCHED = "/etc /opt/spark/*/conf /var/lib/spark /home /root /run/systemd"
# A driver's and an executor's fixed ports (spark_install's defaults).
DRIVER_PORT = 40000
BLOCK_MANAGER_PORT = 40100

# Keeps its executors busy for a while, so their ports can be probed.
SLOW_JOB = """\
import time
from pyspark.sql import SparkSession
spark = SparkSession.builder.appName("slow").getOrCreate()
print(spark.sparkContext.parallelize(range(16), 16).map(lambda x: time.sleep(150) or x).sum())
spark.stop()
"""
QUICK_JOB = """\
from pyspark.sql import SparkSession
spark = SparkSession.builder.appName("quick").getOrCreate()
print("SUM", spark.sparkContext.parallelize(range(10), 2).sum())
spark.stop()
"""


def the_secret():
    """The cluster's secret, as spark-defaults.conf on the master holds it."""
    conf = node(MASTER).check_output(f"sudo cat {SPARK_DEFAULTS}")
    found = re.search(r"^spark\.authenticate\.secret\s*[=:\s]\s*(\S+)\s*$", conf, re.M)
    assert found, "spark-defaults.conf has no spark.authenticate.secret"
    return found.group(1)


@pytest.fixture(scope="module")
def outsider():
    """A container on the cluster's network, outside the inventory; probes TCP ports from there."""
    subprocess.run(["docker", "rm", "-f", OUTSIDER], capture_output=True, check=False)
    subprocess.run(
        ["docker", "run", "-d", "--rm", "--name", OUTSIDER, "--network", NETWORK, "--ip", OUTSIDER_ADDRESS,
         "--entrypoint", "sleep", "picluster/node:amd64", "1800"],
        check=True, capture_output=True,
    )  # fmt: skip

    def answers(address, port):
        probe = f"timeout 3 bash -c '</dev/tcp/{address}/{port}'"
        return subprocess.run(["docker", "exec", OUTSIDER, "bash", "-c", probe], check=False).returncode == 0

    yield answers
    subprocess.run(["docker", "rm", "-f", OUTSIDER], capture_output=True, check=False)


def answers_from(name, address, port):
    """Whether a TCP port answers from one of the cluster's nodes."""
    return node(name).run(f"timeout 3 bash -c '</dev/tcp/{address}/{port}'").rc == 0


def submit(job, *conf, timeout=300):
    """spark-submit as pi on the master (pi is in the spark group); returns the command's result."""
    host = node(MASTER)
    host.check_output(f"cat > /tmp/security_job.py <<'PYEOF'\n{job}PYEOF")
    args = " ".join(f"--conf {shlex.quote(c)}" for c in conf)
    command = f"spark-submit {args} /tmp/security_job.py"
    return host.run(f"cd /tmp && timeout {timeout} bash -lc {shlex.quote(command)}")


def master_log_since(since):
    return node(MASTER).check_output(f"sudo journalctl -u spark-master --no-pager --since @{since}")


def test_an_application_with_the_secret_runs():
    run = submit(QUICK_JOB)
    assert run.rc == 0, run.stderr[-3000:]
    assert "SUM 45" in run.stdout


@pytest.mark.parametrize(
    "conf",
    [
        pytest.param(("spark.authenticate=false",), id="without-the-secret"),
        pytest.param(("spark.authenticate.secret=" + "x" * 64,), id="with-a-wrong-secret"),
    ],
)
def test_an_application_without_the_secret_is_refused(conf):
    since = int(node(MASTER).check_output("date +%s")) - 1
    # The driver gives up after its registration retries (3 x 20 s).
    run = submit(QUICK_JOB, "spark.master.rest.enabled=false", *conf, timeout=240)
    assert run.rc != 0, run.stdout[-2000:]
    assert "SUM 45" not in run.stdout
    log = master_log_since(since)
    # The master says why: Spark's SASL handshake failed or never started.
    assert re.search(r"SaslException|SASL|authenticat", log, re.I), log[-3000:]
    assert "Registering app quick" not in log


def test_spark_defaults_is_readable_by_the_spark_group_only(any_node):
    name, host = any_node
    conf = host.file(SPARK_DEFAULTS)
    assert (conf.user, conf.group, conf.mode) == ("root", "spark", 0o640), name
    assert host.run(f"sudo -u nobody cat {SPARK_DEFAULTS}").rc != 0, name
    # The test bed's SSH user submits jobs: pi_base put it in the spark group.
    assert "spark" in host.check_output("id -nG pi").split(), name


def test_the_secret_is_only_in_files_for_root_and_spark(any_node):
    name, host = any_node
    secret = the_secret()
    assert len(secret) >= 32
    holders = host.check_output(f"sudo grep -rlsF {shlex.quote(secret)} {SEARCHED} || true").split()
    assert holders, f"{name}: no file holds the secret"
    for path in holders:
        # Spark's releases hold conf/spark-defaults.conf through the `current` link.
        f = host.file(path)
        assert (f.user, f.group, f.mode) == ("root", "spark", 0o640), (name, path, f.mode)
    for unit in ("spark-master",) if name == MASTER else ("spark-worker",):
        assert secret not in host.check_output(f"systemctl cat {unit}"), (name, unit)
        assert secret not in host.check_output(f"systemctl show {unit}"), (name, unit)


def listening_in(name, first, last):
    """The TCP ports in [first, last] a node listens on."""
    lines = node(name).run(f"ss -Hltn '( sport >= :{first} and sport <= :{last} )'").stdout.splitlines()
    return sorted({int(line.split()[3].rsplit(":", 1)[1]) for line in lines if line.strip()})


@pytest.fixture(scope="module")
def slow_application():
    """An application whose tasks sleep: its driver on the master and its executors on the
    workers stay up while the tests below look at their ports and command lines. Yields the
    driver's port and pi2's executor's block manager port (each the first free one of its
    range)."""
    host = node(MASTER)
    host.check_output(f"cat > /tmp/slow_job.py <<'PYEOF'\n{SLOW_JOB}PYEOF")
    host.check_output(
        # Detached from the SSH session (no descriptor of it left open), or the session waits
        # for the job to end.
        "cd /tmp; setsid nohup bash -lc 'timeout 900 spark-submit /tmp/slow_job.py'"
        " > /tmp/slow_job.log 2>&1 < /dev/null &"
    )
    deadline = time.time() + 600
    while time.time() < deadline:
        executor = listening_in("pi2", BLOCK_MANAGER_PORT, BLOCK_MANAGER_PORT + 16)
        driver = listening_in(MASTER, DRIVER_PORT, DRIVER_PORT + 16)
        if executor and driver:
            break
        time.sleep(5)
    else:
        log = host.run("tail -30 /tmp/slow_job.log").stdout
        pytest.fail(f"no executor listened on pi2 within 600 s: {log}")
    yield driver[0], executor[0]
    host.run("pkill -f slow_job.py")


@pytest.mark.usefixtures("slow_application")
def test_the_secret_is_on_no_command_line():
    secret = the_secret()
    for name in (MASTER, *WORKERS):
        processes = node(name).check_output("ps -eo args --no-headers")
        assert "CoarseGrainedExecutorBackend" in processes or name != "pi2", name
        assert secret not in processes, name


def test_drivers_and_executors_answer_the_cluster_only(outsider, slow_application):
    # The driver (on the master) and pi2's executor listen on the fixed ports...
    driver, executor = slow_application
    assert answers_from("pi2", ADDRESS[MASTER], driver)
    assert answers_from("pi3", ADDRESS["pi2"], executor)
    # ...which a device outside the cluster cannot reach.
    assert not outsider(ADDRESS[MASTER], driver)
    assert not outsider(ADDRESS["pi2"], executor)
    # The driver's UI binds to the master's cluster address, not 0.0.0.0.
    sockets = node(MASTER).check_output("ss -Hltn 'sport = :4040'")
    assert f"{ADDRESS[MASTER]}:4040" in sockets and "0.0.0.0:4040" not in sockets, sockets


def test_the_daemons_answer_the_cluster_only(outsider):
    daemons = [(MASTER, 7077), (MASTER, 8080), (MASTER, 22), ("pi2", 7078), ("pi2", 8081), ("pi3", 22)]
    for name, port in daemons:
        assert not outsider(ADDRESS[name], port), (name, port)
    # The cluster's own nodes still reach them.
    assert answers_from("pi3", ADDRESS[MASTER], 7077)
    assert answers_from(MASTER, ADDRESS["pi2"], 8081)
    # The nodes under emulation have no firewall: the same probe sees their ports open.
    for name in EMULATED:
        assert outsider(ADDRESS[name], 8081), name


def test_the_kill_links_are_off():
    with urllib.request.urlopen(MASTER_JSON, timeout=10) as answer:
        assert json.load(answer)["status"] == "ALIVE"
    conf = node(MASTER).check_output(f"sudo cat {SPARK_DEFAULTS} /etc/spark/spark-master.conf")
    assert re.search(r"^spark\.ui\.killEnabled\s*[=: ]\s*false$", conf, re.M), conf


def nft_tables(name):
    return node(name).check_output("sudo nft list tables").splitlines()


def test_only_the_native_nodes_load_our_table():
    for name in FIREWALLED:
        assert "table inet picluster" in nft_tables(name), name
        assert node(name).service("picluster-firewall").is_enabled, name
    for name in EMULATED:
        assert node(name).run("sudo nft list tables").rc != 0, name


def test_turning_the_firewall_off_removes_our_table_only():
    host = node(MASTER)
    host.check_output("sudo nft add table inet somebody_else")
    try:
        off = run_site("--tags", "firewall", "--limit", MASTER, "-e", "firewall_enabled=false")
        assert off.rc == 0, off.stderr[-3000:]
        tables = nft_tables(MASTER)
        assert "table inet picluster" not in tables and "table inet somebody_else" in tables, tables
        on = run_site("--tags", "firewall", "--limit", MASTER)
        assert on.rc == 0, on.stderr[-3000:]
        assert "table inet picluster" in nft_tables(MASTER)
        again = run_site("--tags", "firewall", "--limit", MASTER)
        assert again.rc == 0, again.stderr[-3000:]
        assert again.report["stats"][MASTER]["changed"] == 0, again.report["stats"]
    finally:
        host.run("sudo nft delete table inet somebody_else")
        with contextlib.suppress(Exception):
            host.check_output("sudo systemctl start picluster-firewall")
