"""The data sync, end to end on x86_64 nodes reached over SSH.

Host tests check what every node holds after converge. The sequence tests below
them drive playbooks/data_sync.yml again and again (changed file, deleted file, a
run killed mid-transfer, bad input), in file order, and look at the nodes between
runs.
"""

import contextlib
import hashlib
import json
import os
import pathlib
import signal
import subprocess
import time

import pytest
from conftest import EPHEMERAL, PROJECT, ansible_env, node, playbook_command, run_playbook, runner
from playbook import assert_stopped_in_preflight, changed_counts, failure_messages

SOURCE = EPHEMERAL / "datasets"
PLAYBOOK = PROJECT / "playbooks" / "data_sync.yml"
# Its one play; the role's checks come first in it.
PLAY = "Sync the datasets to every node"
PARTIAL = ".data-sync-partial"

testinfra_hosts = runner.get_hosts("spark_cluster")
NODES = sorted(testinfra_hosts)
MASTER = runner.get_hosts("spark_master")[0]


def tree_sums(host, path):
    """{relative path: sha256} of the regular files under path on a node."""
    out = host.check_output(
        f"cd {path} && find . -path ./{PARTIAL} -prune -o -type f -print0 | xargs -0 -r sha256sum"
    )
    return {line.split(None, 1)[1][2:]: line.split(None, 1)[0] for line in out.splitlines() if line}


def local_sums(path):
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file() and not p.is_symlink() and PARTIAL not in p.parts
    }


def file_sha(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sync(extra=None, timeout=1200):
    """Run the data sync playbook; return a playbook.Run (rc, JSON report, stderr, seconds)."""
    return run_playbook(PLAYBOOK, extra, timeout)


def task_results(out, name):
    """{host: result} of the task whose name ends with name."""
    found = {}
    for play in out["plays"]:
        for task in play["tasks"]:
            if task["task"]["name"].endswith(name):
                found.update(task["hosts"])
    return found


def moved_files(out):
    """{host: {dataset: [itemized lines of files that moved or were deleted]}}."""
    moved = {}
    for host, result in task_results(out, "Sync the datasets").items():
        for item in result.get("results", []):
            if item.get("skipped"):
                continue
            lines = [
                line
                for line in item.get("stdout_lines", [])
                # itemized: <f sent file, cL/cd created link/dir, *deleting
                if line.startswith(("<f", "*deleting", "cL", "cd"))
            ]
            moved.setdefault(host, {})[item["item"]["name"]] = lines
    return moved


# --- what every node holds after converge -------------------------------------------


def test_controller_tree_is_identical_on_the_node(host):
    assert tree_sums(host, "/data/csv") == local_sums(SOURCE / "csv")


def test_symlink_and_empty_dir_are_kept(host):
    link = host.file("/data/csv/b-link.csv")
    assert link.is_symlink
    assert link.linked_to == "/data/csv/sub/b.csv"
    assert host.file("/data/csv/empty").is_directory


def test_single_file_dataset_lands_in_its_directory(host):
    assert host.file("/data/single/single.txt").sha256sum == file_sha(SOURCE / "single.txt")


def test_master_dataset_is_identical_on_the_node(host):
    assert tree_sums(host, "/data/logs") == tree_sums(node(MASTER), "/data/logs")
    assert len(tree_sums(host, "/data/logs")) == 3


def test_spark_can_read_everything_and_change_nothing(host):
    # Owned by root: a Spark job (run as spark) reads the local copies but cannot delete them.
    for path in ("/data/csv", "/data/csv/sub", "/data/csv/a.csv", "/data/csv/sub/b.csv"):
        entry = host.file(path)
        assert (entry.user, entry.group) == ("root", "spark"), path
        assert entry.mode == (0o755 if entry.is_directory else 0o644), path
    assert host.run("sudo -u spark head -c1 /data/csv/sub/b.csv").rc == 0
    assert host.run("sudo -u spark rm -f /data/csv/sub/b.csv").rc != 0
    assert host.run("sudo -u spark sh -c 'echo x >> /data/csv/a.csv'").rc != 0
    assert host.file("/data/csv/sub/b.csv").exists


def test_no_holding_directory_is_left(host):
    assert host.run(f"find /data -name {PARTIAL} -mindepth 2 | grep .").rc == 1


# --- the sequence: run after run ------------------------------------------------------


def test_second_run_moves_nothing():
    rc, out, err, _ = sync()
    assert rc == 0, err
    assert changed_counts(out) == dict.fromkeys(NODES, 0)
    assert all(lines == [] for per_node in moved_files(out).values() for lines in per_node.values())


def test_one_changed_file_alone_moves():
    target = SOURCE / "csv" / "sub" / "deeper" / "c.csv"
    with open(target, "a", encoding="utf-8") as handle:
        handle.write("1000,0,row-1000\n")
    rc, out, err, _ = sync()
    assert rc == 0, err
    moved = moved_files(out)
    for name in NODES:
        assert [line.split()[-1] for line in moved[name]["csv"]] == ["sub/deeper/c.csv"], moved[name]
        assert moved[name]["single"] == []
        if name != MASTER:
            assert moved[name]["logs"] == []
        assert node(name).file("/data/csv/sub/deeper/c.csv").sha256sum == file_sha(target)
    assert changed_counts(out) == dict.fromkeys(NODES, 1)


def test_deleted_file_is_removed_everywhere():
    (SOURCE / "csv" / "sub" / "deeper" / "c.csv").unlink()
    rc, out, err, _ = sync()
    assert rc == 0, err
    moved = moved_files(out)
    for name in NODES:
        assert moved[name]["csv"] == ["*deleting   sub/deeper/c.csv"], moved[name]
        assert not node(name).file("/data/csv/sub/deeper/c.csv").exists
        assert node(name).file("/data/csv/sub/deeper").is_directory
        assert tree_sums(node(name), "/data/csv") == local_sums(SOURCE / "csv")


def descendants(pid):
    """Process ids below pid (Ansible's workers start sessions of their own)."""
    children = {}
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(pid):
    for victim in [pid, *descendants(pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)


def ssh(name, command):
    """One command on a node over plain ssh: quicker than testinfra's ansible backend for polling."""
    hostvars = runner.get_variables(name)
    cmd = ["ssh", "-i", hostvars["ansible_ssh_private_key_file"], "-o", "StrictHostKeyChecking=no"]
    cmd += [
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
        f"pi@{hostvars['ansible_host']}",
        command,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False).stdout


def in_flight_bytes(name):
    """Bytes of big.bin that have arrived so far: rsync's hidden temp file, or the partial file."""
    found = f"sudo find /data/csv -maxdepth 2 -name '.big.bin.*' -o -path '*/{PARTIAL}/big.bin'"
    out = ssh(name, f"{found} | sudo xargs -r stat -c %s")
    return sum(int(size) for size in out.split())


def test_killed_sync_leaves_the_old_version_and_the_next_run_completes():
    big = SOURCE / "csv" / "big.bin"
    big.write_bytes(os.urandom(150 * 1024 * 1024))
    rc, _out, err, _ = sync()
    assert rc == 0, err
    old = file_sha(big)
    big.write_bytes(os.urandom(150 * 1024 * 1024))
    new = file_sha(big)

    cmd = playbook_command(PLAYBOOK, {"data_sync_bwlimit_kbps": 4096})
    proc = subprocess.Popen(cmd, env=ansible_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 600
        while in_flight_bytes(NODES[-1]) < 20 * 1024 * 1024:
            assert proc.poll() is None, "the sync ended before it could be interrupted"
            assert time.monotonic() < deadline, "no partial file appeared"
            time.sleep(0.5)
    finally:
        # The controller dies mid-transfer: ansible-playbook, its workers, their rsync and ssh.
        kill_tree(proc.pid)
        proc.wait()
    time.sleep(2)

    held = {name: node(name).file("/data/csv/big.bin").sha256sum for name in NODES}
    # A node is never left with a mix: it holds the old file, or (had it finished
    # before the kill) the whole new one.
    assert set(held.values()) <= {old, new}, held
    assert held[NODES[-1]] == old
    # The interrupted node kept what had arrived, for the next run to build on.
    assert node(NODES[-1]).file(f"/data/csv/{PARTIAL}/big.bin").size > 0

    rc, out, err, _ = sync()
    assert rc == 0, err
    for name in NODES:
        assert node(name).file("/data/csv/big.bin").sha256sum == new
        assert node(name).run(f"find /data/csv/{PARTIAL} -type f 2>/dev/null | grep .").rc == 1
    assert failure_messages(out) == []


@pytest.mark.parametrize(
    "extra, expected",
    [
        (
            {
                "data_sync_datasets": [
                    {"name": "gone", "src": "/nonexistent/picluster", "dest": "/data/bad-gone"}
                ]
            },
            "source /nonexistent/picluster on the controller does not exist",
        ),
        (
            {"data_sync_datasets": [{"name": "rel", "src": "/etc/hostname", "dest": "data/bad-rel"}]},
            "dest must be an absolute path",
        ),
        (
            {
                "data_sync_datasets": [
                    {"name": "one", "src": "/etc/hostname", "dest": "/data/bad-twice"},
                    {"name": "two", "src": "/etc/hosts", "dest": "/data/bad-twice"},
                ]
            },
            "dest /data/bad-twice is also the dest of dataset 'one'",
        ),
        (
            {"data_sync_datasets": [{"name": "sys", "src": "/etc/hostname", "dest": "/etc", "delete": True}]},
            "dest /etc is a system directory",
        ),
        (
            {"data_sync_datasets": [{"name": "root", "src": "/etc/hostname", "dest": "/"}]},
            "dest / is a system directory",
        ),
        (
            {
                "data_sync_owner": "nobody-here",
                "data_sync_datasets": [{"name": "own", "src": "/etc/hostname", "dest": "/data/bad-owner"}],
            },
            "no user 'nobody-here'",
        ),
        (
            {
                "data_sync_reserve_mb": 0,
                "data_sync_datasets": [{"name": "big", "src": "CSV", "dest": "/data/small/big"}],
            },
            "the filesystem of /data/small: dataset(s) big need",
        ),
    ],
    ids=[
        "missing-source",
        "relative-dest",
        "same-dest-twice",
        "system-dest",
        "root-dest",
        "unknown-owner",
        "no-room",
    ],
)
def test_bad_input_fails_before_any_node_changes(extra, expected):
    text = json.dumps(extra).replace('"CSV"', json.dumps(str(SOURCE / "csv")))
    extra = json.loads(text)
    assert_stopped_in_preflight(sync(extra), expected, plays=[PLAY])
    for name in NODES:
        for dataset in extra["data_sync_datasets"]:
            dest = dataset["dest"]
            if dest.startswith("/data/"):
                assert not node(name).file(dest).exists, (name, dest)
