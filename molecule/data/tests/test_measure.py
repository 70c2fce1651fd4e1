"""playbooks/measure.yml end to end on the scenario's x86_64 cluster: a small generated trip
CSV synced to every node, the line count on the local copies and the grouping job, the table
it prints, and the CSV, JSON and PNG it writes on the controller. No NFS here (the kernel has
none): the NFS row is covered by the unit tests (tests/unit/plugins/module_utils/test_measure.py).
"""

import csv
import hashlib
import json
import struct

import pytest
from conftest import EPHEMERAL, PROJECT, node, run_playbook, runner
from playbook import assert_stopped_in_preflight

PLAYBOOK = PROJECT / "playbooks" / "measure.yml"
NODES = sorted(runner.get_hosts("spark_cluster"))
MASTER = runner.get_hosts("spark_master")[0]
# A few MB: the jobs' start-up, not the data, should set the test's time.
SIZE_MB = 4
WORK = EPHEMERAL / "measure-work"
OUT = EPHEMERAL / "measure-out"
DATA = "/data/picluster-measure"
MEASUREMENTS = ["line count, local copies", "group trips, local copies"]
FIRST_PLAY = "Check the inventory and the measurement's inputs"


def debug_lines(report, task):
    for play in report["plays"]:
        for entry in play["tasks"]:
            if entry["task"]["name"] == task:
                return entry["hosts"][MASTER]["msg"]
    raise AssertionError(f"no task {task!r} in the report")


@pytest.fixture(scope="module")
def measured():
    """One run of the playbook with a small size; the run and the generated file."""
    run = run_playbook(
        PLAYBOOK,
        {"measure_size_mb": SIZE_MB, "measure_work_dir": str(WORK), "measure_output_dir": str(OUT)},
        timeout=1500,
    )
    assert run.rc == 0, run.stderr[-3000:] + json.dumps(run.report.get("stats"))
    return run, WORK / "trips" / "trips.csv"


def test_the_generated_csv_has_the_size(measured):
    _, source = measured
    size = source.stat().st_size
    assert SIZE_MB * 1048576 - 64 < size <= SIZE_MB * 1048576


def test_the_table_has_every_measurement(measured):
    run, _ = measured
    table = debug_lines(run.report, "Show seconds, MB/s and bytes per node")
    assert table[0].split() == ["measurement", "seconds", "MB/s", "lines", "bytes", "per", "node"]
    assert [line[: len(name)] for line, name in zip(table[1:], MEASUREMENTS, strict=True)] == MEASUREMENTS
    for line in table[1:]:
        assert line.endswith(f" on each of {len(NODES)} nodes"), line


def test_the_json_has_every_measurement_with_time_and_equal_bytes(measured):
    _, source = measured
    report = json.loads((OUT / "measure.json").read_text())
    rows = report["measurements"]
    assert [row["measurement"] for row in rows] == MEASUREMENTS
    size = source.stat().st_size
    for row in rows:
        assert row["seconds"] > 0, row
        assert row["mb_per_s"] == pytest.approx(size / 1048576 / row["seconds"], rel=0.01, abs=0.001), row
        assert row["bytes_per_node"] == dict.fromkeys(NODES, size), row
        assert row["path"] == DATA
    with source.open() as handle:
        assert rows[0]["lines"] == sum(1 for _ in handle)
    assert report["master"] == MASTER
    assert report["nfs_path"] == ""


def test_the_csv_matches_the_json(measured):
    report = json.loads((OUT / "measure.json").read_text())
    with (OUT / "measure.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [row["measurement"] for row in rows] == MEASUREMENTS
    for line, row in zip(rows, report["measurements"], strict=True):
        assert float(line["seconds"]) == pytest.approx(row["seconds"]) and float(line["seconds"]) > 0
        assert float(line["mb_per_s"]) == pytest.approx(row["mb_per_s"])
        assert line["bytes_per_node"] == " ".join(f"{node}={row['bytes']}" for node in NODES)


def test_the_chart_is_a_png(measured):
    run, _ = measured
    files = debug_lines(run.report, "Say where the files are")
    assert files[-1] == "chart: drawn"
    png = (OUT / "measure.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == (960, 540)


def test_the_data_is_identical_on_every_node(measured):
    _, source = measured
    want = hashlib.sha256(source.read_bytes()).hexdigest()
    for name in NODES:
        out = node(name).check_output(f"cd {DATA} && find . -type f -print0 | xargs -0 sha256sum")
        assert out.split() == [want, "./trips.csv"], (name, out)


def test_a_size_of_zero_stops_before_any_node_changes(measured):
    run = run_playbook(
        PLAYBOOK, {"measure_size_mb": 0, "measure_work_dir": str(WORK), "measure_output_dir": str(OUT)}
    )
    assert_stopped_in_preflight(
        run,
        "The measurement stops before any node changes:"
        " measure_size_mb must be a number of MB above 0 (got '0').",
        plays=[FIRST_PLAY],
    )
