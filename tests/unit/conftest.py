"""Make ``ansible_collections.picluster.spark`` importable from this checkout.

`make venv` links .collections/ansible_collections/picluster/spark to the repo
root; without it (a bare pytest run) the same link is made in a temporary
directory, so plugins that import their module_utils by full name load.
tests/helpers (the environment for ansible commands, shared with the molecule
verifiers) is importable too.
"""

import pathlib
import subprocess
import sys
import tempfile

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "helpers"))
import playbook  # noqa: E402


def _collections_root():
    made = REPO / ".collections"
    if (made / "ansible_collections" / "picluster" / "spark" / "plugins").is_dir():
        return made
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="picluster-collections-"))
    link = tmp / "ansible_collections" / "picluster" / "spark"
    link.parent.mkdir(parents=True)
    link.symlink_to(REPO, target_is_directory=True)
    return tmp


COLLECTIONS_ROOT = _collections_root()
if str(COLLECTIONS_ROOT) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS_ROOT))


def ansible_env(tmp_path):
    """Environment for an ansible command that sees this collection and no other
    configuration: an empty config, so the repo's (or the user's) cannot change what is tested."""
    (tmp_path / "ansible.cfg").write_text("[defaults]\n")
    return playbook.ansible_env(
        config=tmp_path / "ansible.cfg",
        collections=COLLECTIONS_ROOT,
        json_report=False,
        ANSIBLE_LOCAL_TEMP=tmp_path,
    )


def ansible_playbook(tmp_path, *args, env=None):
    """Run ansible-playbook in tmp_path with `args` (inventory, connection, play), this
    collection and no other configuration (or `env`), and this test's Python on the node;
    returns the finished process (stdout and stderr as text)."""
    return subprocess.run(
        [
            str(pathlib.Path(sys.executable).parent / "ansible-playbook"),
            "-e",
            f"ansible_python_interpreter={sys.executable}",
            *args,
        ],
        env=env if env is not None else ansible_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def ansible_debug(tmp_path):
    """Run `ansible localhost -m debug -a msg=TEMPLATE` with this collection and no other
    configuration; returns the finished process (stdout and stderr as text)."""
    env = ansible_env(tmp_path)
    ansible = pathlib.Path(sys.executable).parent / "ansible"

    def run(template):
        return subprocess.run(
            [
                str(ansible),
                "localhost",
                "-c",
                "local",
                "-i",
                "localhost,",
                "-m",
                "ansible.builtin.debug",
                "-a",
                f"msg={template}",
            ],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run
