"""bed/controller-tools lists every program the collection and its tests run on the controller.

A fresh machine has only what bed/setup.sh installs from that list (rsync was
once missed: `make demo` failed after 21 minutes at the data sync). These tests
read the roles, playbooks and test code for programs that run on the
controller and fail naming any the list lacks.
"""

import ast
import pathlib
import shlex

import pytest
import yaml
from ansible_collections.picluster.spark.plugins.lookup.missing_programs import PACKAGES

REPO = pathlib.Path(__file__).resolve().parents[2]
TOOLS = REPO / "bed" / "controller-tools"
CONTROLLER_HOSTS = {"localhost", "127.0.0.1", "::1"}
COMMAND_MODULES = {"command", "shell", "raw", "script"}
# Modules that run a program where the task runs (for synchronize: where it is
# delegated, the controller by default) and the programs they need.
MODULE_PROGRAMS = {"synchronize": {"rsync", "ssh"}}
# Started from the venv (requirements-dev.txt), not from Debian's packages.
VENV_PROGRAMS = {
    "ansible",
    "ansible-playbook",
    "ansible-galaxy",
    "ansible-doc",
    "ansible-test",
    "molecule",
    "pytest",
}


def read_tools(path=TOOLS):
    tools = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            command, package, use = line.split()[:3]
            tools[command] = (package, use)
    return tools


def _tasks(node):
    """Every task dict in a task list, a play list, or blocks nested in them."""
    if isinstance(node, list):
        for item in node:
            yield from _tasks(item)
    elif isinstance(node, dict):
        plays_or_blocks = ("tasks", "pre_tasks", "post_tasks", "handlers", "block", "rescue", "always")
        nested = [node[key] for key in plays_or_blocks if isinstance(node.get(key), list)]
        if "hosts" not in node and not nested:
            yield node, False
        for child in nested:
            on_controller = node.get("hosts") in CONTROLLER_HOSTS or node.get("connection") == "local"
            for task, parent_local in _tasks(child):
                yield task, parent_local or on_controller or _delegated_to_controller(node)


def _delegated_to_controller(task):
    return str(task.get("delegate_to", "")).strip() in CONTROLLER_HOSTS or task.get("connection") == "local"


def _module(task):
    for key, value in task.items():
        short = key.rsplit(".", 1)[-1]
        if short in COMMAND_MODULES or short in MODULE_PROGRAMS:
            return short, value
    return None, None


def _first_word(args):
    if isinstance(args, dict):
        if args.get("argv"):
            return str(args["argv"][0])
        args = args.get("cmd", "")
    words = shlex.split(str(args)) if args else []
    return words[0] if words else None


def controller_programs_in_yaml(paths):
    """(file, program) for each program a task runs on the controller."""
    found = []
    for path in paths:
        for task, in_local_context in _tasks(yaml.safe_load(path.read_text()) or []):
            module, args = _module(task)
            if module is None:
                continue
            delegated = task.get("delegate_to")
            on_controller = in_local_context or _delegated_to_controller(task)
            if module in MODULE_PROGRAMS:
                # synchronize runs rsync where it is delegated: the controller unless told
                # otherwise, and also where a templated delegate_to may come out as omit.
                if delegated is None or on_controller or "omit" in str(delegated):
                    found += [(path, program) for program in sorted(MODULE_PROGRAMS[module])]
            elif on_controller:
                program = _first_word(args)
                if program and "{{" not in program:
                    found.append((path, pathlib.PurePath(program).name))
    return found


def controller_programs_in_python(paths):
    """(file, program) for each literal program a Python test or benchmark starts with subprocess."""
    found = []
    for path in paths:
        tree = ast.parse(path.read_text())
        lists = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.List):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        lists[target.id] = node.value
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if not (isinstance(node.func.value, ast.Name) and node.func.value.id == "subprocess"):
                continue
            if not node.args:
                continue
            argv = node.args[0]
            if isinstance(argv, ast.Name):
                argv = lists.get(argv.id)
            if isinstance(argv, ast.List) and argv.elts and isinstance(argv.elts[0], ast.Constant):
                found.append((path, pathlib.PurePath(str(argv.elts[0].value)).name))
    return found


def yaml_sources():
    return sorted(
        [
            *REPO.glob("roles/*/tasks/*.yml"),
            *REPO.glob("roles/*/handlers/*.yml"),
            *REPO.glob("playbooks/*.yml"),
        ]
    )


def python_sources():
    return sorted(
        [*REPO.glob("molecule/*/tests/*.py"), *REPO.glob("tests/helpers/*.py"), *REPO.glob("benchmarks/*.py")]
    )


def unlisted(found, tools, uses):
    return sorted(
        {
            f"{path.relative_to(REPO)}: {program}"
            for path, program in found
            if program not in VENV_PROGRAMS and not (program in tools and tools[program][1] in uses)
        }
    )


def test_the_list_parses_and_names_a_package_and_use_for_each_program():
    tools = read_tools()
    assert {"rsync", "ssh", "python3", "dockerd", "debootstrap"} <= tools.keys()
    assert {use for _package, use in tools.values()} <= {"controller", "bed", "vm"}


def test_every_program_a_role_or_playbook_runs_on_the_controller_is_listed_for_the_controller():
    found = controller_programs_in_yaml(yaml_sources())
    # The scan sees the data sync's push (synchronize from the controller).
    assert any(program == "rsync" for _path, program in found), found
    assert unlisted(found, read_tools(), {"controller"}) == []


def test_every_program_the_tests_start_on_the_controller_is_listed():
    found = controller_programs_in_python(python_sources())
    assert any(program == "ssh" for _path, program in found), found
    assert unlisted(found, read_tools(), {"controller", "bed", "vm"}) == []


def test_site_checks_the_controller_for_every_controller_program_on_the_list():
    cluster = yaml.safe_load((REPO / "playbooks" / "vars" / "cluster.yml").read_text())
    checked = " ".join(cluster["picluster_controller_programs"])
    # rsync is data_sync's own check (its probe on the controller, judged by the
    # data_sync_source_problems filter), which site.yml's first play runs too.
    data_sync = (REPO / "roles" / "data_sync" / "tasks" / "preflight.yml").read_text()
    assert "picluster.spark.data_sync_source_problems(" in data_sync
    assert "the controller has no rsync" in (REPO / "plugins" / "filter" / "data_sync.py").read_text()
    site = (REPO / "playbooks" / "site.yml").read_text()
    assert "query('picluster.spark.missing_programs', picluster_controller_programs)" in site
    listed = {command for command, (_package, use) in read_tools().items() if use == "controller"}
    assert {program for program in listed if program not in checked} == {"rsync"}


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ({"ansible.builtin.command": "scp a b", "delegate_to": "localhost"}, ["scp"]),
        (
            {"ansible.builtin.command": {"argv": ["/usr/bin/zstd", "-d"]}, "delegate_to": "localhost"},
            ["zstd"],
        ),
        ({"ansible.posix.synchronize": {"src": "a", "dest": "b"}}, ["rsync", "ssh"]),
        ({"ansible.posix.synchronize": {"src": "a", "dest": "b"}, "delegate_to": "{{ master }}"}, []),
        (
            {"ansible.posix.synchronize": {"src": "a", "dest": "b"}, "delegate_to": "{{ omit }}"},
            ["rsync", "ssh"],
        ),
        ({"ansible.builtin.command": "scp a b"}, []),
        ({"block": [{"ansible.builtin.shell": "lz4 x"}], "delegate_to": "localhost"}, ["lz4"]),
    ],
)
def test_the_scan_finds_controller_programs(tmp_path, task, expected):
    tasks = tmp_path / "tasks.yml"
    tasks.write_text(yaml.safe_dump([task]))
    assert [program for _path, program in controller_programs_in_yaml([tasks])] == expected


def test_an_unlisted_program_is_reported(tmp_path):
    tasks = tmp_path / "tasks.yml"
    tasks.write_text(yaml.safe_dump([{"ansible.builtin.command": "zstd -d x", "delegate_to": "localhost"}]))
    tools = read_tools()
    found = [(REPO / "roles" / "x.yml", program) for _path, program in controller_programs_in_yaml([tasks])]
    assert unlisted(found, tools, {"controller"}) == ["roles/x.yml: zstd"]


def test_a_play_on_localhost_counts_as_the_controller(tmp_path):
    play = tmp_path / "play.yml"
    play.write_text(
        yaml.safe_dump([{"hosts": "localhost", "tasks": [{"ansible.builtin.command": "lz4 -d x"}]}])
    )
    assert [program for _path, program in controller_programs_in_yaml([play])] == ["lz4"]


def test_the_lookup_names_the_same_packages_as_the_list():
    # The collection ships without bed/, so the lookup keeps its own names;
    # this keeps the two in step.
    tools = read_tools()
    controller = {command for command, (_package, use) in tools.items() if use == "controller"}
    assert controller <= PACKAGES.keys()
    assert {command: PACKAGES[command] for command in PACKAGES if command in tools} == {
        command: tools[command][0] for command in PACKAGES if command in tools
    }
