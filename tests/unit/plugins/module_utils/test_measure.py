"""Unit tests of module_utils/measure.py: the inputs refused, the plan (the NFS row only with
the share on), the rows and MB/s, the table, the CSV, the JSON, the chart and atomic writes."""

import csv
import io
import json
import os
import struct
import sys

import pytest
from ansible_collections.picluster.spark.plugins.module_utils import measure

MB = 1048576
NODES = {"nuc": 5 * MB, "pi1": 5 * MB, "pi2": 5 * MB, "pi3": 5 * MB}


def png_size(data):
    """(width, height) from a PNG's IHDR chunk, the first after the signature."""
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def results(nfs):
    plan = measure.plan("/data/m", "/srv/spark-share/m", nfs, "/home/me/trips")
    counts = [{"path": "file:///data/m", "lines": 155069, "seconds": 2.5}]
    if nfs:
        counts.append({"path": "file:///srv/spark-share/m", "lines": 155069, "seconds": 10.0})
    return plan, counts


# The inputs, checked on the controller


def problems(tmp_path, **changes):
    args = {
        "size_mb": 64,
        "source": "",
        "output_dir": str(tmp_path / "out"),
        "work_dir": str(tmp_path / "work"),
        "path": "/data/m",
        "nfs_path": "/srv/spark-share/m",
        "nfs": False,
    }
    args.update(changes)
    return measure.input_problems(args.pop("size_mb"), args.pop("source"), args.pop("output_dir"), **args)


def test_good_inputs_have_no_problem(tmp_path):
    assert problems(tmp_path) == []
    assert problems(tmp_path, size_mb="0.5", nfs=True) == []


@pytest.mark.parametrize("size", [0, "0", -5, "-1", "", "ten", "nan", "inf", None, 1e-9])
def test_a_size_that_is_no_positive_number_is_refused(tmp_path, size):
    assert problems(tmp_path, size_mb=size) == [
        f"measure_size_mb must be a number of MB above 0 (got '{size}')"
    ]


def test_the_size_does_not_count_with_a_source(tmp_path):
    (tmp_path / "trips.csv").write_text("1,2026-01-02 01:07,3.7,3.13\n")
    assert problems(tmp_path, size_mb=0, source=str(tmp_path / "trips.csv")) == []


def test_a_missing_source_is_named(tmp_path):
    assert problems(tmp_path, source=str(tmp_path / "nope")) == [
        f"measure_source {tmp_path}/nope does not exist on the controller"
    ]


def test_an_output_dir_under_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("")
    assert problems(tmp_path, output_dir=str(tmp_path / "file" / "out")) == [
        f"measure_output_dir {tmp_path}/file/out cannot be a directory: {tmp_path}/file is a file"
    ]


def test_an_output_dir_that_cannot_be_written_is_refused(tmp_path, monkeypatch):
    # The tests may run as root, which os.access lets write anywhere: the answer is faked.
    (tmp_path / "locked").mkdir()
    real_access = os.access
    monkeypatch.setattr(
        measure.os, "access", lambda path, mode: path != str(tmp_path / "locked") and real_access(path, mode)
    )
    assert problems(tmp_path, output_dir=str(tmp_path / "locked" / "new" / "out")) == [
        f"measure_output_dir {tmp_path}/locked/new/out is not writable on the controller"
        f" ({tmp_path}/locked cannot be written by this user)"
    ]
    assert problems(tmp_path, output_dir=str(tmp_path / "locked")) == [
        f"measure_output_dir {tmp_path}/locked is not writable on the controller"
        " (it cannot be written by this user)"
    ]


def test_paths_on_the_nodes_must_be_absolute_and_apart(tmp_path):
    assert problems(tmp_path, path="data/m") == [
        "measure_path must be an absolute directory on the nodes, not / (got 'data/m')"
    ]
    assert problems(tmp_path, path="/") == [
        "measure_path must be an absolute directory on the nodes, not / (got '/')"
    ]
    assert problems(tmp_path, nfs=True, nfs_path="/data/m/") == [
        "measure_nfs_path and measure_path are the same (/data/m): the share needs its own"
    ]
    # Without the share its path is not used, so not checked.
    assert problems(tmp_path, nfs=False, nfs_path="") == []


def test_every_problem_is_named_at_once(tmp_path):
    assert len(problems(tmp_path, size_mb=0, path="x", output_dir="")) == 3


# The plan


def test_without_the_share_there_is_no_nfs_measurement():
    plan = measure.plan("/data/m/", "/srv/spark-share/m", False, "/src")
    assert [step["name"] for step in plan["steps"]] == [measure.LINE_COUNT_LOCAL, measure.GROUP_TRIPS]
    assert plan["line_count_path"] == "/data/m"
    assert plan["line_count_nfs_path"] == ""
    assert (plan["group_trips_path"], plan["group_trips_source"]) == ("/data/m", "/src")


def test_with_the_share_on_the_nfs_line_count_is_planned_after_the_local_one():
    plan = measure.plan("/data/m", "/srv/spark-share/m", True)
    assert plan["steps"] == [
        {"name": measure.LINE_COUNT_LOCAL, "job": "line_count", "path": "/data/m", "copies": "local"},
        {
            "name": measure.LINE_COUNT_NFS,
            "job": "line_count",
            "path": "/srv/spark-share/m",
            "copies": "share",
        },
        {"name": measure.GROUP_TRIPS, "job": "group_trips", "path": "/data/m", "copies": "local"},
    ]
    assert plan["line_count_nfs_path"] == "/srv/spark-share/m"
    assert plan["group_trips_source"] == ""


# The rows


def test_rows_have_seconds_mb_per_s_and_bytes_on_every_node():
    plan, counts = results(nfs=True)
    rows = measure.rows(plan, counts, {"hours": 24, "seconds": 4.0}, NODES, {"nuc": 5 * MB})
    assert rows == [
        {
            "measurement": measure.LINE_COUNT_LOCAL,
            "path": "/data/m",
            "seconds": 2.5,
            "mb_per_s": 2.0,
            "bytes": 5 * MB,
            "lines": 155069,
            "nodes": 4,
            "bytes_per_node": NODES,
        },
        {
            "measurement": measure.LINE_COUNT_NFS,
            "path": "/srv/spark-share/m",
            "seconds": 10.0,
            "mb_per_s": 0.5,
            "bytes": 5 * MB,
            "lines": 155069,
            "nodes": 1,
            "bytes_per_node": {"nuc": 5 * MB},
        },
        {
            "measurement": measure.GROUP_TRIPS,
            "path": "/data/m",
            "seconds": 4.0,
            "mb_per_s": 1.25,
            "bytes": 5 * MB,
            "lines": None,
            "nodes": 4,
            "bytes_per_node": NODES,
        },
    ]


def test_mb_per_s_is_rounded_to_three_decimals():
    plan, counts = results(nfs=False)
    counts[0]["seconds"] = 3
    rows = measure.rows(plan, counts, {"seconds": 7}, {"nuc": MB})
    assert [row["mb_per_s"] for row in rows] == [0.333, 0.143]


@pytest.mark.parametrize(
    ("counts", "done", "message"),
    [
        ([], {"seconds": 1}, "line count, local copies: the line count printed no result for /data/m"),
        (None, {}, "group trips, local copies: the grouping job printed no summary"),
        (None, {"seconds": 0}, "group trips, local copies: 0.0 seconds is not a measurement"),
    ],
)
def test_a_missing_result_is_named(counts, done, message):
    plan, default_counts = results(nfs=False)
    with pytest.raises(ValueError, match=message):
        measure.rows(plan, default_counts if counts is None else counts, done, NODES)


def test_a_planned_nfs_row_needs_the_share_size():
    plan, counts = results(nfs=True)
    with pytest.raises(ValueError, match="line count, NFS share: no node reported the size"):
        measure.rows(plan, counts, {"seconds": 1}, NODES)


# Table, CSV, JSON


def test_the_table():
    plan, counts = results(nfs=True)
    rows = measure.rows(plan, counts, {"seconds": 4.0}, NODES, {"nuc": 5 * MB})
    assert measure.table(rows) == [
        "measurement                  seconds       MB/s         lines  bytes per node",
        "line count, local copies         2.5       2.00        155069  5242880 on each of 4 nodes",
        "line count, NFS share           10.0       0.50        155069  5242880 on nuc",
        "group trips, local copies        4.0       1.25                5242880 on each of 4 nodes",
    ]


def test_the_table_lists_each_node_when_the_bytes_differ():
    plan, counts = results(nfs=False)
    rows = measure.rows(plan, counts, {"seconds": 4.0}, {"nuc": 10, "pi1": 9})
    assert measure.table(rows)[1].endswith("  nuc 10, pi1 9")


def test_the_csv_has_a_header_and_one_line_per_measurement():
    plan, counts = results(nfs=True)
    rows = measure.rows(plan, counts, {"seconds": 4.0}, NODES, {"nuc": 5 * MB})
    read = list(csv.DictReader(io.StringIO(measure.csv_text(rows))))
    assert [line["measurement"] for line in read] == [row["measurement"] for row in rows]
    assert read[0] == {
        "measurement": "line count, local copies",
        "path": "/data/m",
        "seconds": "2.500",
        "mb_per_s": "2.000",
        "bytes": "5242880",
        "lines": "155069",
        "nodes": "4",
        "bytes_per_node": "nuc=5242880 pi1=5242880 pi2=5242880 pi3=5242880",
    }
    assert read[2]["lines"] == ""


def test_the_json_is_the_report_with_sorted_keys():
    report = {"measurements": [{"b": 1, "a": 2}], "path": "/data/m"}
    text = measure.json_text(report)
    assert json.loads(text) == report
    assert text.index('"a"') < text.index('"b"')
    assert text.endswith("\n")


# The chart


def test_the_chart_is_a_png_of_the_documented_size():
    plan, counts = results(nfs=True)
    rows = measure.rows(plan, counts, {"seconds": 4.0}, NODES, {"nuc": 5 * MB})
    png = measure.chart_png(rows, "5 MiB on 4 nodes")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png_size(png) == measure.CHART_PIXELS == (960, 540)
    # No date in it: the same rows draw the same bytes, so a rerun rewrites nothing.
    assert measure.chart_png(rows, "5 MiB on 4 nodes") == png


def test_without_matplotlib_there_is_no_chart(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    plan, counts = results(nfs=False)
    rows = measure.rows(plan, counts, {"seconds": 4.0}, NODES)
    assert measure.chart_png(rows, "no chart") is None


# Atomic writes


def test_write_atomically_replaces_whole_and_keeps_equal_files(tmp_path):
    target = tmp_path / "measure.csv"
    assert measure.write_atomically(str(target), b"one\n") is True
    assert target.read_bytes() == b"one\n"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert measure.write_atomically(str(target), b"one\n") is False
    assert measure.write_atomically(str(target), b"two\n") is True
    assert target.read_bytes() == b"two\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["measure.csv"]


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    target = tmp_path / "measure.json"
    target.write_bytes(b"old")

    def fail(_src, _dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(measure.os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        measure.write_atomically(str(target), b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["measure.json"]


@pytest.mark.parametrize(("size", "expected"), [(1, MB), ("0.5", MB // 2), (4096, 4096 * MB)])
def test_size_bytes(size, expected):
    assert measure.size_bytes(size) == expected
