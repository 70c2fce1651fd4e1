"""What both data test files share: the scenario's paths, the nodes, and one way
to run a playbook against them with Ansible's JSON report on stdout."""

import json
import os
import pathlib
import subprocess

import pytest
import testinfra
import testinfra.utils.ansible_runner

INVENTORY_FILE = os.environ["MOLECULE_INVENTORY_FILE"]
EPHEMERAL = pathlib.Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"])
PROJECT = pathlib.Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", pathlib.Path(__file__).parents[3]))

runner = testinfra.utils.ansible_runner.AnsibleRunner(INVENTORY_FILE)


def node(name):
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={INVENTORY_FILE}", sudo=True)


def ansible_env():
    env = dict(
        os.environ,
        ANSIBLE_CONFIG=str(EPHEMERAL / "ansible.cfg"),
        ANSIBLE_COLLECTIONS_PATH=str(PROJECT / ".collections"),
        ANSIBLE_STDOUT_CALLBACK="ansible.posix.json",
        MOLECULE_PROJECT_DIRECTORY=str(PROJECT),
    )
    # Only the JSON on stdout: no per-task timing lines.
    env.pop("ANSIBLE_CALLBACKS_ENABLED", None)
    return env


def playbook_command(playbook, extra=None):
    cmd = ["ansible-playbook", "-i", os.path.dirname(INVENTORY_FILE), str(playbook)]
    if extra is not None:
        cmd += ["--extra-vars", json.dumps(extra)]
    return cmd


def run_playbook(playbook, extra=None, timeout=1200):
    """Run a playbook on the scenario's nodes; return (rc, its JSON report, stderr)."""
    proc = subprocess.run(
        playbook_command(playbook, extra),
        env=ansible_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    try:
        out = json.loads(proc.stdout)
    except json.JSONDecodeError:
        tail = proc.stdout[-2000:] + proc.stderr[-2000:]
        pytest.fail(f"ansible-playbook printed no JSON (rc {proc.returncode}): {tail}")
    return proc.returncode, out, proc.stderr
