"""The opt-in Mitogen strategy keeps working (README: Faster runs with Mitogen).

The data playbook runs again under `mitogen_linear`, set the way the README
tells a user to: ANSIBLE_STRATEGY_PLUGINS and ANSIBLE_STRATEGY in the
environment, nothing in the collection. Only these runs use it; molecule's own
create and destroy keep the default strategy (under Mitogen its docker destroy
playbook hung). It covers what the default strategy's tests cover in the same
scenario: a new file arrives everywhere (synchronize, from the controller and
pushed by the master), a rerun changes nothing, a deleted file goes.
"""

import os
import pathlib

import ansible_mitogen
import playbook
from conftest import ansible_env, node, playbook_command, runner
from test_data_sync import PLAYBOOK, SOURCE, file_sha

NODES = sorted(runner.get_hosts("spark_cluster"))
NEW_FILE = SOURCE / "csv" / "sub" / "mitogen.csv"
# ansible-core prints this when a strategy from outside ansible.builtin loads:
# the proof that the runs below did not fall back to the default.
THIRD_PARTY_STRATEGY = "strategy plugins not included in ansible.builtin"
STRATEGY_PLUGINS = pathlib.Path(ansible_mitogen.__file__).parent / "plugins" / "strategy"


def mitogen_sync():
    env = ansible_env()
    env["ANSIBLE_STRATEGY_PLUGINS"] = str(STRATEGY_PLUGINS)
    env["ANSIBLE_STRATEGY"] = "mitogen_linear"
    # Mitogen opens its own SSH connections and does not read ssh_args'
    # StrictHostKeyChecking=no; the bed's containers get new host keys each run.
    env["ANSIBLE_HOST_KEY_CHECKING"] = "False"
    run = playbook.run(playbook_command(PLAYBOOK), env, timeout=900)
    assert THIRD_PARTY_STRATEGY in " ".join(run.stderr.split()), run.stderr[-2000:]
    assert run.rc == 0, (run.stderr[-2000:], run.report["stats"])
    return playbook.changed_counts(run.report)


def test_mitogen_sync_brings_a_new_file_everywhere():
    NEW_FILE.write_text("".join(f"{i},{i * 7},row-{i}\n" for i in range(5000)), encoding="utf-8")
    changed = mitogen_sync()
    assert all(count > 0 for count in changed.values()), changed
    for name in NODES:
        assert node(name).file("/data/csv/sub/mitogen.csv").sha256sum == file_sha(NEW_FILE), name


def test_mitogen_rerun_changes_nothing():
    assert mitogen_sync() == dict.fromkeys(NODES, 0)


def test_mitogen_sync_removes_a_deleted_file():
    os.remove(NEW_FILE)
    changed = mitogen_sync()
    assert all(count > 0 for count in changed.values()), changed
    for name in NODES:
        assert not node(name).file("/data/csv/sub/mitogen.csv").exists, name
