"""The cluster's shared secret is in no Ansible output: the scenario's converge and
idempotence runs log everything they print to ANSIBLE_LOG_PATH (molecule.yml), and
every task that handles the secret has no_log."""

import re

from conftest import EPHEMERAL, node

LOG = EPHEMERAL / "ansible.log"
SPARK_DEFAULTS = "/opt/spark/current/conf/spark-defaults.conf"


def the_secret():
    """The cluster's secret, as spark-defaults.conf on the master holds it."""
    conf = node("data-nuc").check_output(f"cat {SPARK_DEFAULTS}")
    found = re.search(r"^spark\.authenticate\.secret\s*[=:\s]\s*(\S+)\s*$", conf, re.M)
    assert found, "spark-defaults.conf has no spark.authenticate.secret"
    return found.group(1)


def test_the_secret_is_not_in_the_scenarios_ansible_log():
    secret = the_secret()
    assert len(secret) >= 32
    log = LOG.read_text()
    # The log is the runs' own: both plays that write the secret's files are in it.
    assert "TASK [picluster.spark.spark_install : Write spark-defaults.conf" in log
    assert "TASK [picluster.spark.spark_worker : Write the worker's properties file]" in log
    assert secret not in log
