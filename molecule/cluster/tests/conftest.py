"""Reach the cluster's nodes over SSH, as a user reaches real Pis.

The scenario's inventory (inventories/local) names the nodes, their groups
and addresses. The key path there is a template, which testinfra's own
Ansible backend does not render, so the nodes are opened here with the
SSH backend and the harness key (PICLUSTER_BED_KEY).
"""

import json
import os
import pathlib
import subprocess
import time

import pytest
import testinfra
import testinfra.utils.ansible_runner

PROJECT = pathlib.Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", pathlib.Path(__file__).parents[3]))
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


def ansible_env():
    env = dict(os.environ)
    env.setdefault("ANSIBLE_CONFIG", str(PROJECT / "ansible.cfg"))
    env.setdefault("ANSIBLE_COLLECTIONS_PATH", str(PROJECT / ".collections"))
    env.setdefault("PICLUSTER_BED_KEY", KEY)
    env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.builtin.json"
    # Only the JSON on stdout: no per-task timing lines.
    env.pop("ANSIBLE_CALLBACKS_ENABLED", None)
    env["ANSIBLE_LOAD_CALLBACK_PLUGINS"] = "1"
    env["ANSIBLE_NOCOLOR"] = "1"
    env["ANSIBLE_FORCE_COLOR"] = "0"
    return env


def run_ansible(command, timeout=1800, path=None):
    """Run an ansible or ansible-playbook command line from the project.

    Returns (rc, its JSON report, seconds it took); fails the test when there
    is no report (an error before the first task, with stderr shown). `path`
    replaces the controller's PATH (a controller that lacks a program).
    """
    env = ansible_env()
    if path is not None:
        env["PATH"] = path
    started = time.monotonic()
    result = subprocess.run(
        command, env=env, cwd=PROJECT, capture_output=True, text=True, timeout=timeout, check=False
    )
    took = time.monotonic() - started
    try:
        report = json.loads(result.stdout[result.stdout.index("{") :])
    except ValueError:
        pytest.fail(f"no JSON report (rc {result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.returncode, report, took


def run_site(*args, inventories=(), replace_inventory=False, timeout=1800, path=None):
    """Run playbooks/site.yml against the scenario's nodes; return (rc, json report).

    `inventories` are added after the scenario's inventory, or replace it.
    """
    command = ["ansible-playbook"] + ([] if replace_inventory else ["-i", INVENTORY_FILE])
    for extra in inventories:
        command += ["-i", str(extra)]
    rc, report, _ = run_ansible(
        [*command, str(PROJECT / "playbooks" / "site.yml"), *args], timeout=timeout, path=path
    )
    return rc, report


def executed_tasks(report):
    """(play name, task name, host, result) for every task a host ran (not skipped)."""
    for play in report["plays"]:
        for task in play["tasks"]:
            for hostname, result in task["hosts"].items():
                if not result.get("skipped"):
                    yield play["play"]["name"], task["task"]["name"], hostname, result
