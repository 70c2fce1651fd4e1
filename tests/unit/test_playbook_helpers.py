"""tests/helpers/playbook.py: reading Ansible's JSON report, and the environment that makes it.

The pure helpers run on a hand-made report shaped like ansible.posix.json's;
one real ansible-playbook run on localhost proves the environment gives a
report they can read (with a timing callback enabled, as the scenarios do).
"""

import pathlib
import sys

import playbook
import pytest

CHECK_PLAY = "Check the inventory and every node before anything changes"


def result(**fields):
    return {"changed": False, **fields}


def report_of(plays, stats):
    return {
        "plays": [
            {
                "play": {"name": name},
                "tasks": [{"task": {"name": task}, "hosts": hosts} for task, hosts in tasks],
            }
            for name, tasks in plays
        ],
        "stats": stats,
    }


def stats(changed=0, failures=0):
    return {"changed": changed, "failures": failures, "ok": 3}


# The pre-flight play: one check passes, one is skipped on a host, a role's
# check fails with a list as its message, a loop fails on one item.
REPORT = report_of(
    [
        (
            CHECK_PLAY,
            [
                ("Check the inventory", {"nuc": result(), "pi1": result()}),
                ("Check the archive", {"nuc": result(skipped=True), "pi1": result()}),
                (
                    "picluster.spark.nfs_share : Check the export paths",
                    {
                        "nuc": result(
                            failed=True, msg=["Not absolute: ['srv']", "System directories: ['/etc']"]
                        )
                    },
                ),
                (
                    "Check each dataset",
                    {
                        "pi1": result(
                            failed=True,
                            msg="One or more items failed",
                            results=[
                                result(item="a", msg="fine"),
                                result(item="b", failed=True, msg="dest must be\n   an absolute path"),
                                result(item="c", skipped=True),
                            ],
                        )
                    },
                ),
            ],
        )
    ],
    {"nuc": stats(failures=1), "pi1": stats(failures=1)},
)


def test_failure_messages_lists_every_failed_task_and_loop_item_in_order():
    assert playbook.failure_messages(REPORT) == [
        "[\"Not absolute: ['srv']\", \"System directories: ['/etc']\"]",
        "One or more items failed",
        "dest must be\n   an absolute path",
    ]


def test_failure_messages_of_a_clean_run_is_empty():
    clean = report_of([("Play", [("Task", {"nuc": result(changed=True)})])], {"nuc": stats(changed=1)})
    assert playbook.failure_messages(clean) == []


def test_failed_tasks_names_task_and_host():
    assert [(name, host) for name, host, _ in playbook.failed_tasks(REPORT)] == [
        ("picluster.spark.nfs_share : Check the export paths", "nuc"),
        ("Check each dataset", "pi1"),
    ]


def test_executed_tasks_leaves_out_skipped_results():
    ran = [(play, task, host) for play, task, host, _ in playbook.executed_tasks(REPORT)]
    assert ran == [
        (CHECK_PLAY, "Check the inventory", "nuc"),
        (CHECK_PLAY, "Check the inventory", "pi1"),
        (CHECK_PLAY, "Check the archive", "pi1"),
        (CHECK_PLAY, "picluster.spark.nfs_share : Check the export paths", "nuc"),
        (CHECK_PLAY, "Check each dataset", "pi1"),
    ]


def test_changed_counts():
    assert playbook.changed_counts(report_of([], {"a": stats(changed=2), "b": stats()})) == {"a": 2, "b": 0}


def stopped(report=REPORT, rc=2):
    return playbook.Run(rc, report, "", 1.0)


def test_stopped_in_preflight_passes_on_a_run_stopped_in_its_checks():
    playbook.assert_stopped_in_preflight(stopped(), "System directories: ['/etc']")
    # Whitespace is collapsed: folded YAML messages wrap.
    playbook.assert_stopped_in_preflight(stopped(), "dest must be an absolute path", checks="Check ")


@pytest.mark.parametrize(
    ("run", "kwargs", "complaint"),
    [
        (stopped(rc=0), {}, "it passed"),
        (stopped(), {"plays": ["Another play"]}, CHECK_PLAY),
        (
            stopped(report={**REPORT, "stats": {"nuc": stats(changed=1), "pi1": stats()}}),
            {},
            "'changed': 1",
        ),
        (stopped(), {"expected": "a message nobody wrote"}, "dest must be an absolute path"),
        (stopped(), {"checks": "Check the export"}, "failed outside the checks: ['Check each dataset']"),
    ],
    ids=["run-passed", "other-play", "a-change", "other-message", "failed-outside-checks"],
)
def test_stopped_in_preflight_names_what_is_wrong(run, kwargs, complaint):
    expected = kwargs.pop("expected", "System directories")
    with pytest.raises(AssertionError) as raised:
        playbook.assert_stopped_in_preflight(run, expected, **kwargs)
    assert complaint in str(raised.value)


def test_ansible_env_for_a_json_report(monkeypatch):
    monkeypatch.setenv("ANSIBLE_CALLBACKS_ENABLED", "ansible.posix.profile_tasks")
    monkeypatch.setenv("ANSIBLE_FORCE_COLOR", "1")
    env = playbook.ansible_env(config=pathlib.Path("/x/ansible.cfg"), collections="/c", PATH="/bin", N=3)
    assert env["ANSIBLE_STDOUT_CALLBACK"] == "ansible.posix.json"
    assert "ANSIBLE_CALLBACKS_ENABLED" not in env
    assert env["ANSIBLE_LOAD_CALLBACK_PLUGINS"] == "1"
    assert (env["ANSIBLE_NOCOLOR"], env["ANSIBLE_FORCE_COLOR"]) == ("1", "0")
    assert (env["ANSIBLE_CONFIG"], env["ANSIBLE_COLLECTIONS_PATH"]) == ("/x/ansible.cfg", "/c")
    assert (env["PATH"], env["N"]) == ("/bin", "3")


def test_ansible_env_keeps_the_callers_config_unless_given_and_can_leave_the_output_alone(monkeypatch):
    monkeypatch.setenv("ANSIBLE_CONFIG", "/molecule/ansible.cfg")
    monkeypatch.setenv("ANSIBLE_CALLBACKS_ENABLED", "ansible.posix.profile_tasks")
    env = playbook.ansible_env(json_report=False)
    assert env["ANSIBLE_CONFIG"] == "/molecule/ansible.cfg"
    assert "ANSIBLE_STDOUT_CALLBACK" not in env
    assert env["ANSIBLE_CALLBACKS_ENABLED"] == "ansible.posix.profile_tasks"
    assert env["ANSIBLE_NOCOLOR"] == "1"


def test_playbook_command():
    command = playbook.playbook_command(
        pathlib.Path("/p/site.yml"), ["inv", pathlib.Path("/x.yml")], {"a": [1]}, ["--tags", "spark"]
    )
    assert command == [
        "ansible-playbook",
        "-i",
        "inv",
        "-i",
        "/x.yml",
        "/p/site.yml",
        "--extra-vars",
        '{"a": [1]}',
        "--tags",
        "spark",
    ]
    assert playbook.playbook_command("p.yml") == ["ansible-playbook", "p.yml"]


def test_run_skips_what_comes_before_the_report_and_fails_without_one():
    printer = (
        "import sys; print('[WARNING]: something'); print('{\"plays\": [], \"stats\": {}}'); sys.exit(2)"
    )
    run = playbook.run([sys.executable, "-c", printer], env={})
    assert (run.rc, run.report, run.stderr) == (2, {"plays": [], "stats": {}}, "")
    assert run.seconds > 0
    with pytest.raises(pytest.fail.Exception, match="printed no JSON report"):
        playbook.run([sys.executable, "-c", "print('ERROR! no inventory')"], env={})


PLAYBOOK = """
- name: Checks first
  hosts: all
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - name: Check every item
      ansible.builtin.assert:
        that: [item != 'bad']
        fail_msg: "item {{ item }} is
          refused"
        quiet: true
      loop: [good, bad]
    - name: Change something after the checks
      ansible.builtin.set_fact:
        reached: true
      changed_when: true
"""


def test_a_real_run_stopped_in_its_checks(tmp_path, monkeypatch):
    # The scenarios enable a timing callback; the report must come out clean anyway.
    monkeypatch.setenv("ANSIBLE_CALLBACKS_ENABLED", "ansible.posix.profile_tasks")
    (tmp_path / "ansible.cfg").write_text("[defaults]\n")
    (tmp_path / "play.yml").write_text(PLAYBOOK)
    env = playbook.ansible_env(config=tmp_path / "ansible.cfg", ANSIBLE_LOCAL_TEMP=tmp_path)
    command = playbook.playbook_command(
        tmp_path / "play.yml", ["localhost,"], {"ansible_python_interpreter": sys.executable}, ["-c", "local"]
    )
    command[0] = str(pathlib.Path(sys.executable).parent / "ansible-playbook")
    run = playbook.run(command, env, cwd=tmp_path, timeout=120)
    playbook.assert_stopped_in_preflight(run, "item bad is refused", plays=["Checks first"], checks="Check ")
    assert [task for _, task, _, _ in playbook.executed_tasks(run.report)] == ["Check every item"]
