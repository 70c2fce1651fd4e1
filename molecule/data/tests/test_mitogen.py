"""The data scenario's playbooks run under Mitogen's strategy, as configured.

Under mitogen_linear one Python interpreter per node runs every task of a run;
under Ansible's default strategy each task starts its own. Two commands in one
play that print their parent's pid tell the two apart.
"""

import os

from conftest import run_playbook, runner

NODES = sorted(runner.get_hosts("spark_cluster"))


def test_the_scenario_asks_for_mitogen():
    assert os.environ.get("ANSIBLE_STRATEGY") == "mitogen_linear"
    assert os.path.isdir(os.environ["ANSIBLE_STRATEGY_PLUGINS"])


def test_one_python_per_node_runs_every_task(tmp_path):
    playbook = tmp_path / "ppid.yml"
    playbook.write_text(
        """
- name: Print the parent of two commands
  hosts: spark_cluster
  gather_facts: false
  tasks:
    - name: First command
      ansible.builtin.command: sh -c 'echo $PPID'
      register: first
      changed_when: false
    - name: Second command
      ansible.builtin.command: sh -c 'echo $PPID'
      register: second
      changed_when: false
    - name: Keep both
      ansible.builtin.set_fact:
        parents: ["{{ first.stdout }}", "{{ second.stdout }}"]
"""
    )
    rc, report, err = run_playbook(playbook)
    assert rc == 0, err
    facts = {}
    for play in report["plays"]:
        for task in play["tasks"]:
            if task["task"]["name"] == "Keep both":
                facts = {host: result["ansible_facts"]["parents"] for host, result in task["hosts"].items()}
    assert set(facts) == set(NODES), facts
    for host, (first, second) in facts.items():
        assert first == second, f"{host}: the two tasks ran in different interpreters ({first}, {second})"
