"""What the data test files share: the scenario's paths, the nodes, and one way
to run a playbook against them with Ansible's JSON report on stdout
(tests/helpers/playbook.py)."""

import json
import os
import pathlib
import sys

import testinfra
import testinfra.utils.ansible_runner

CHECKOUT = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(CHECKOUT / "tests" / "helpers"))
import playbook  # noqa: E402

INVENTORY_FILE = os.environ["MOLECULE_INVENTORY_FILE"]
EPHEMERAL = pathlib.Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"])
PROJECT = pathlib.Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", CHECKOUT))

runner = testinfra.utils.ansible_runner.AnsibleRunner(INVENTORY_FILE)


def node(name):
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={INVENTORY_FILE}", sudo=True)


def ansible_env():
    """molecule's ansible.cfg; MOLECULE_PROJECT_DIRECTORY for the inventory's paths."""
    return playbook.ansible_env(
        config=EPHEMERAL / "ansible.cfg",
        collections=PROJECT / ".collections",
        MOLECULE_PROJECT_DIRECTORY=PROJECT,
    )


def playbook_command(path, extra_vars=None):
    return playbook.playbook_command(path, [os.path.dirname(INVENTORY_FILE)], extra_vars)


def run_playbook(path, extra_vars=None, timeout=1200):
    """Run a playbook on the scenario's nodes; return a playbook.Run."""
    return playbook.run(playbook_command(path, extra_vars), ansible_env(), timeout=timeout)


SCHEDULE_CONTROLLER = pathlib.Path(__file__).parents[1] / "schedule_controller.yml"


def schedule(**extra):
    """Run schedule_controller.yml (the master as a controller with systemd timers);
    return the json callback's output."""
    run = run_playbook(SCHEDULE_CONTROLLER, extra)
    assert run.rc == 0, json.dumps(run.report)[-3000:] + run.stderr[-2000:]
    return run.report
