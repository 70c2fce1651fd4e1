"""Unit tests of the measure_report module: CSV, JSON and PNG written whole in the output
directory, kept on a second run, the chart left out (and said so) without matplotlib."""

import csv
import json
import struct
import sys

from ansible_collections.picluster.spark.plugins.module_utils import measure
from ansible_collections.picluster.spark.plugins.modules import measure_report
from module_harness import ExitJson, FailJson, run_module

MB = 1048576
NODES = {"nuc": MB, "pi1": MB}


def report():
    plan = measure.plan("/data/m", nfs=False)
    rows = measure.rows(
        plan, [{"path": "file:///data/m", "lines": 31000, "seconds": 2.0}], {"seconds": 4.0}, NODES
    )
    return {"measurements": rows, "path": "/data/m"}


def test_writes_csv_json_and_png(monkeypatch, tmp_path):
    dest = tmp_path / "out" / "measure"
    kind, result = run_module(monkeypatch, measure_report, dest=str(dest), report=report())
    assert (kind, result["changed"], result["chart"]) == (ExitJson, True, "drawn")
    assert result["files"] == {kind: str(dest / f"measure.{kind}") for kind in ("csv", "json", "png")}
    assert sorted(p.name for p in dest.iterdir()) == ["measure.csv", "measure.json", "measure.png"]
    rows = list(csv.DictReader((dest / "measure.csv").open()))
    assert [(r["measurement"], r["seconds"], r["mb_per_s"]) for r in rows] == [
        ("line count, local copies", "2.000", "0.500"),
        ("group trips, local copies", "4.000", "0.250"),
    ]
    assert json.loads((dest / "measure.json").read_text()) == report()
    png = (dest / "measure.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == measure.CHART_PIXELS


def test_a_second_run_changes_nothing(monkeypatch, tmp_path):
    run_module(monkeypatch, measure_report, dest=str(tmp_path), report=report())
    kind, result = run_module(monkeypatch, measure_report, dest=str(tmp_path), report=report())
    assert (kind, result["changed"]) == (ExitJson, False)


def test_without_matplotlib_it_writes_the_table_and_says_so(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    kind, result = run_module(monkeypatch, measure_report, dest=str(tmp_path), report=report(), name="run1")
    assert kind is ExitJson
    assert result["chart"] == "matplotlib cannot be imported by this Python: the table, CSV and JSON only"
    assert sorted(result["files"]) == ["csv", "json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run1.csv", "run1.json"]


def test_check_mode_writes_nothing(monkeypatch, tmp_path):
    kind, result = run_module(
        monkeypatch, measure_report, dest=str(tmp_path / "out"), report=report(), _ansible_check_mode=True
    )
    assert (kind, result["changed"]) == (ExitJson, True)
    assert not (tmp_path / "out").exists()


def test_a_report_without_measurements_is_refused(monkeypatch, tmp_path):
    kind, result = run_module(monkeypatch, measure_report, dest=str(tmp_path), report={"measurements": []})
    assert kind is FailJson
    assert result["msg"] == "report.measurements must list the measurements (picluster.spark.measure_rows)"
    assert list(tmp_path.iterdir()) == []


def test_a_name_with_a_directory_is_refused(monkeypatch, tmp_path):
    kind, result = run_module(monkeypatch, measure_report, dest=str(tmp_path), report=report(), name="../x")
    assert kind is FailJson
    assert "plain file name" in result["msg"]


def test_a_dest_that_cannot_be_made_is_named(monkeypatch, tmp_path):
    (tmp_path / "file").write_text("")
    kind, result = run_module(
        monkeypatch, measure_report, dest=str(tmp_path / "file" / "out"), report=report()
    )
    assert kind is FailJson
    assert result["msg"].startswith(f"cannot write the measurements in {tmp_path}/file/out: ")
