"""What the nfs verifier's files share: the VMs, and one way to run the
scenario's playbook against them with Ansible's JSON report on stdout
(tests/helpers/playbook.py)."""

import os
import pathlib
import sys

import testinfra
import testinfra.utils.ansible_runner

CHECKOUT = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(CHECKOUT / "tests" / "helpers"))
import playbook  # noqa: E402

INVENTORY = os.environ["MOLECULE_INVENTORY_FILE"]
EPHEMERAL = pathlib.Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"])
PROJECT = pathlib.Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", CHECKOUT))
RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(INVENTORY)
MASTER = RUNNER.get_hosts("spark_master")[0]
WORKERS = RUNNER.get_hosts("spark_workers")


def node(name):
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={INVENTORY}")


def run_playbook(path, extra_vars=None, timeout=900):
    """Run a playbook on the VMs with molecule's inventory and ansible.cfg; return a playbook.Run."""
    command = playbook.playbook_command(path, [os.path.dirname(INVENTORY)], extra_vars)
    env = playbook.ansible_env(config=EPHEMERAL / "ansible.cfg", collections=PROJECT / ".collections")
    return playbook.run(command, env, cwd=PROJECT, timeout=timeout)
