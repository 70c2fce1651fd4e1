"""The sample dataset sits at the same path on every node; the original line count runs on it."""

import hashlib
import json

from conftest import INVENTORY_FILE, PROJECT, run_ansible
from playbook import executed_tasks

SOURCE = PROJECT / ".bed" / "data" / "sample"
DEST = "/data/sample"
# bed/sample-data.sh writes three CSVs of 20,000, 18,000 and 12,000 lines.
LINES = 50_000
PLAYBOOK = ["ansible-playbook", "-i", INVENTORY_FILE, str(PROJECT / "playbooks" / "line_count.yml")]


def source_manifest():
    return {
        str(path.relative_to(SOURCE)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(SOURCE.rglob("*"))
        if path.is_file()
    }


def node_manifest(host):
    out = host.check_output(
        f"cd {DEST} && sudo find . -type f -printf '%P\\0' | sort -z | xargs -0r sha256sum"
    )
    return {name: digest for digest, name in (line.split(maxsplit=1) for line in out.splitlines())}


def test_every_node_holds_the_controllers_files(any_node):
    name, host = any_node
    expected = source_manifest()
    assert len(expected) == 3
    assert node_manifest(host) == expected, name
    # Readable by spark, changeable by nobody else.
    for entry in expected:
        f = host.file(f"{DEST}/{entry}")
        assert (f.user, f.group, f.mode) == ("spark", "spark", 0o644), (name, entry)
    # Nothing hidden left behind (rsync's delayed updates hold files in .~tmp~).
    assert host.check_output(f"sudo find {DEST} -name '.*'") == ""


def test_line_count_counts_the_sample_on_the_cluster():
    """playbooks/line_count.yml submits the count from the master; the ARM workers run it."""
    run = run_ansible([*PLAYBOOK, "-e", f"line_count_path={DEST}"], timeout=1500)
    assert run.rc == 0, json.dumps(run.report)[-4000:]
    rows = [
        res["ansible_facts"]["__line_count_rows"]
        for _, task, _, res in executed_tasks(run.report)
        if task == "Read the counts the job printed"
    ]
    assert len(rows) == 1, rows
    (row,) = rows[0]
    assert row["path"] == f"file://{DEST}"
    assert row["lines"] == LINES
    assert row["seconds"] > 0
