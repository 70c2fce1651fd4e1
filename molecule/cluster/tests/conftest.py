"""Reach the cluster's nodes over SSH, as a user reaches real Pis.

The scenario's inventory (inventories/local) names the nodes, their groups
and addresses. The key path there is a template, which testinfra's own
Ansible backend does not render, so the nodes are opened here with the
SSH backend and the harness key (PICLUSTER_BED_KEY). Playbooks run through
tests/helpers/playbook.py, with Ansible's JSON report on stdout.
"""

import os
import pathlib
import sys

import pytest
import testinfra
import testinfra.utils.ansible_runner

CHECKOUT = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(CHECKOUT / "tests" / "helpers"))
import playbook  # noqa: E402

PROJECT = pathlib.Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", CHECKOUT))
# The inventory the scenario links in; the same one `make demo` uses.
INVENTORY_FILE = str(PROJECT / "inventories" / "local")
KEY = os.environ.get("PICLUSTER_BED_KEY", str(PROJECT / ".bed" / "ssh" / "id_ed25519"))
SSH_ARGS = "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"

RUNNER = testinfra.utils.ansible_runner.AnsibleRunner(INVENTORY_FILE)
MASTER = RUNNER.get_hosts("spark_master")[0]
WORKERS = RUNNER.get_hosts("spark_workers")
NODES = [MASTER, *WORKERS]
ADDRESS = {name: RUNNER.get_variables(name)["ansible_host"] for name in NODES}

_cache = {}


def node(name):
    """A testinfra host for one node, over SSH as pi (sudo available)."""
    if name not in _cache:
        _cache[name] = testinfra.get_host(
            f"ssh://pi@{ADDRESS[name]}",
            ssh_identity_file=KEY,
            ssh_extra_args=SSH_ARGS,
        )
    return _cache[name]


@pytest.fixture(params=NODES)
def any_node(request):
    return request.param, node(request.param)


@pytest.fixture(params=WORKERS)
def worker(request):
    return request.param, node(request.param)


@pytest.fixture
def master():
    return MASTER, node(MASTER)


def ansible_env(**extra):
    """The scenario's ansible.cfg (molecule's, or the project's outside molecule) and key."""
    return playbook.ansible_env(
        config=os.environ.get("ANSIBLE_CONFIG", PROJECT / "ansible.cfg"),
        collections=os.environ.get("ANSIBLE_COLLECTIONS_PATH", PROJECT / ".collections"),
        PICLUSTER_BED_KEY=KEY,
        **extra,
    )


def run_ansible(command, timeout=1800, path=None):
    """Run an ansible or ansible-playbook command line from the project; return a playbook.Run.

    `path` replaces the controller's PATH (a controller that lacks a program).
    """
    env = ansible_env() if path is None else ansible_env(PATH=path)
    return playbook.run(command, env, cwd=PROJECT, timeout=timeout)


def run_site(*args, inventories=(), replace_inventory=False, timeout=1800, path=None):
    """Run playbooks/site.yml against the scenario's nodes; return a playbook.Run.

    `inventories` are added after the scenario's inventory, or replace it.
    """
    inventories = [*([] if replace_inventory else [INVENTORY_FILE]), *inventories]
    command = playbook.playbook_command(PROJECT / "playbooks" / "site.yml", inventories, args=args)
    return run_ansible(command, timeout=timeout, path=path)


def run_playbook(name, *args, extra_vars=None, timeout=1800):
    """Run playbooks/<name> (cluster_status.yml, stop.yml, ...) against the scenario's nodes,
    as run_site runs site.yml; return a playbook.Run."""
    command = playbook.playbook_command(
        PROJECT / "playbooks" / name, [INVENTORY_FILE], extra_vars=extra_vars, args=args
    )
    return run_ansible(command, timeout=timeout)
