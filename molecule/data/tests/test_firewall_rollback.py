"""The firewall's rollback on a native node (the master container plays the NUC): rules
that cut the controller off are undone by the node itself, and the node is as it was.

site.yml runs with a controller address and admin network that are not the docker
host's, so the new rules leave the test host no way in. The run must fail with the
rollback message; after firewall_rollback_seconds the node must answer again, with our
table, the rules file kept for boot and the rollback timer as they were before. A
rerun with the inventory's settings loads nothing.
"""

import hashlib
import time

from conftest import INVENTORY_FILE, PROJECT, ansible_env, node
from playbook import executed_tasks, failure_messages, playbook_command, run

SITE = PROJECT / "playbooks" / "site.yml"
MASTER = "data-nuc"
# An address on the scenario's network that no container and not the docker host has.
STRANGER = "172.28.30.250"
ROLLBACK_SECONDS = 40
RULES = "/etc/picluster/firewall.nft"
TIMER = "picluster-firewall-rollback.timer"
LOAD = "picluster.spark.firewall : Load the new rules"


def site_firewall(extra_vars=None):
    command = playbook_command(
        SITE, [INVENTORY_FILE.rsplit("/", 1)[0]], extra_vars, args=["--tags", "firewall", "--limit", MASTER]
    )
    return run(command, ansible_env(), timeout=600)


def state(host):
    """Our table as the kernel has it, the rules file's digest, the rollback timer's state."""
    table = host.check_output("nft list table inet picluster")
    rules = hashlib.sha256(host.check_output(f"cat {RULES}").encode()).hexdigest()
    timer = host.run(f"systemctl is-active {TIMER}").stdout.strip()
    return table, rules, timer


def reachable(host):
    try:
        return host.run("true").rc == 0
    except RuntimeError:  # testinfra's ansible backend on an unreachable host
        return False


def test_rules_that_cut_the_controller_off_are_rolled_back():
    host = node(MASTER)
    before = state(host)
    assert "table inet picluster" in before[0]
    assert before[2] != "active"

    started = time.monotonic()
    cut = site_firewall(
        {
            "firewall_controller_address": STRANGER,
            "firewall_admin_networks": [STRANGER],
            "firewall_rollback_seconds": ROLLBACK_SECONDS,
        }
    )

    assert cut.rc != 0
    messages = " ".join(" | ".join(failure_messages(cut.report)).split())
    assert f"After loading the new firewall rules the controller could not reach {MASTER} again" in messages
    assert f"The node rolls the rules back by itself {ROLLBACK_SECONDS} s after the load" in messages
    assert [h for _, task, h, _ in executed_tasks(cut.report) if task == LOAD] == [MASTER]

    deadline = started + ROLLBACK_SECONDS + 120
    while not reachable(host):
        assert time.monotonic() < deadline, "the node did not answer again after the rollback"
        time.sleep(5)
    # Wait out the timer, in case the node answered through a rule that lets the nodes in.
    while host.run(f"systemctl is-active {TIMER}").stdout.strip() == "active":
        assert time.monotonic() < deadline, "the rollback timer never fired"
        time.sleep(2)

    # The table, the rules kept for boot (only a confirmed load writes them) and the timer.
    assert state(host) == before

    again = site_firewall()
    assert again.rc == 0, failure_messages(again.report)
    assert [h for _, task, h, _ in executed_tasks(again.report) if task == LOAD] == []
    assert state(host) == before
