"""Run ansible-playbook (or ansible) with Ansible's JSON report on stdout, and read it.

One module for every test that drives Ansible and looks at what it did: the
molecule scenarios' verifiers (molecule/*/tests) and the unit tests. Each
scenario's conftest puts this directory on sys.path and binds what differs
between scenarios (the ansible.cfg, the inventory, the working directory).

A bad-input test runs a playbook with one mistake and calls
assert_stopped_in_preflight: the run failed, only in its checks, with the
expected message, and no host reports a change.
"""

import json
import os
import re
import subprocess
import time
from typing import NamedTuple

import pytest

# The first play of site.yml: every check, before any node changes.
PREFLIGHT = "Check the inventory and every node before anything changes"


def ansible_env(config=None, collections=None, json_report=True, **extra):
    """The environment for an ansible or ansible-playbook command.

    `config` (an ansible.cfg) and `collections` (ANSIBLE_COLLECTIONS_PATH)
    replace the caller's when given; `extra` adds or replaces variables.
    Never colour. With `json_report`, stdout is the JSON report alone: the
    ansible.posix.json callback, and no other callbacks (the scenarios enable
    ansible.posix.profile_tasks, whose timing lines would break the JSON).
    """
    env = dict(os.environ)
    if config is not None:
        env["ANSIBLE_CONFIG"] = str(config)
    if collections is not None:
        env["ANSIBLE_COLLECTIONS_PATH"] = str(collections)
    env["ANSIBLE_NOCOLOR"] = "1"
    env["ANSIBLE_FORCE_COLOR"] = "0"
    if json_report:
        env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.posix.json"
        # An ad hoc `ansible` run uses the stdout callback only with this.
        env["ANSIBLE_LOAD_CALLBACK_PLUGINS"] = "1"
        env.pop("ANSIBLE_CALLBACKS_ENABLED", None)
    env.update({name: str(value) for name, value in extra.items()})
    return env


def playbook_command(playbook, inventories=(), extra_vars=None, args=()):
    """`ansible-playbook -i INVENTORY... PLAYBOOK [--extra-vars JSON] ARGS...` as a list."""
    command = ["ansible-playbook"]
    for inventory in inventories:
        command += ["-i", str(inventory)]
    command.append(str(playbook))
    if extra_vars is not None:
        command += ["--extra-vars", json.dumps(extra_vars)]
    return [*command, *args]


class Run(NamedTuple):
    """A finished ansible run: exit code, its JSON report, its stderr, and how long it took."""

    rc: int
    report: dict
    stderr: str
    seconds: float


def parse_report(stdout):
    """The JSON report in an ansible run's stdout (anything printed before it is skipped)."""
    return json.loads(stdout[stdout.index("{") :])


def run(command, env, cwd=None, timeout=1800):
    """Run an ansible or ansible-playbook command line (env from ansible_env()).

    Fails the test when stdout holds no JSON report (an error before the first
    task), showing the end of stdout and stderr.
    """
    started = time.monotonic()
    proc = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    seconds = time.monotonic() - started
    try:
        report = parse_report(proc.stdout)
    except ValueError:
        pytest.fail(
            f"{command[0]} printed no JSON report (rc {proc.returncode}):\n"
            f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
    return Run(proc.returncode, report, proc.stderr, seconds)


def play_names(report):
    return [play["play"]["name"] for play in report["plays"]]


def executed_tasks(report):
    """(play name, task name, host, result) for every task a host ran (not skipped).

    Task names of roles carry the role's prefix, as in Ansible's output:
    "picluster.spark.nfs_share : Check the export paths".
    """
    for play in report["plays"]:
        for task in play["tasks"]:
            for hostname, result in task["hosts"].items():
                if not result.get("skipped"):
                    yield play["play"]["name"], task["task"]["name"], hostname, result


def failed_tasks(report):
    """(task name, host, result) of every failed task result, a loop's failed items included."""
    for play in report["plays"]:
        for task in play["tasks"]:
            for hostname, result in task["hosts"].items():
                items = result.get("results")
                if result.get("failed") or (
                    isinstance(items, list) and any(isinstance(i, dict) and i.get("failed") for i in items)
                ):
                    yield task["task"]["name"], hostname, result


def failure_messages(report):
    """The messages of every failed task, and of every failed item of a loop, in order.

    A message that is not a string (a role may fail with a list of problems)
    comes out as its str().
    """
    messages = []
    for _, _, result in failed_tasks(report):
        if result.get("failed"):
            messages.append(str(result.get("msg", "")))
        items = result.get("results")
        if isinstance(items, list):
            messages.extend(str(i.get("msg", "")) for i in items if isinstance(i, dict) and i.get("failed"))
    return messages


def changed_counts(report):
    """{host: number of changed tasks} from the report's stats."""
    return {host: stats["changed"] for host, stats in report["stats"].items()}


def assert_stopped_in_preflight(run, expected, plays=(PREFLIGHT,), checks=None):
    """The run stopped in its checks with `expected` in a failure message, and changed nothing.

    `plays`: the names of the plays the run reached, in order (site.yml stops in
    its first play; None skips this). `checks`: a regular expression every
    failed task's name (its role prefix left off) must match, to say which
    tasks are checks. Messages are compared with their whitespace collapsed
    (folded YAML messages wrap lines).
    """
    assert run.rc != 0, f"expected the run to fail; it passed: {run.report['stats']}"
    if plays is not None:
        assert play_names(run.report) == list(plays), play_names(run.report)
    assert changed_counts(run.report) == dict.fromkeys(run.report["stats"], 0), run.report["stats"]
    messages = " ".join(" | ".join(failure_messages(run.report)).split())
    assert expected in messages, messages
    if checks is not None:
        names = [name.split(" : ", 1)[-1] for name, _, _ in failed_tasks(run.report)]
        assert names, "no task failed"
        others = [name for name in names if not re.match(checks, name)]
        assert others == [], f"failed outside the checks: {others}"
