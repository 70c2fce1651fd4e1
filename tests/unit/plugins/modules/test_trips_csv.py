"""Unit tests of the trips_csv module: the size, the trip shape the grouping job reads, a
kept file on a second run, check mode, bad sizes, and no half file after a failure."""

import pytest
from ansible_collections.picluster.spark.plugins.module_utils import trips
from ansible_collections.picluster.spark.plugins.modules import trips_csv
from module_harness import ExitJson, FailJson, run_module

MB = 1048576


def test_writes_whole_trip_lines_up_to_the_size(monkeypatch, tmp_path):
    path = tmp_path / "trips.csv"
    kind, result = run_module(monkeypatch, trips_csv, path=str(path), size_mb=0.25)
    assert (kind, result["changed"]) == (ExitJson, True)
    data = path.read_text()
    assert result["bytes"] == len(data) == path.stat().st_size
    assert MB // 4 - 64 < len(data) <= MB // 4
    lines = data.splitlines(keepends=True)
    assert result["rows"] == len(lines)
    assert lines == [trips.trip_line(number, 1) for number in range(1, len(lines) + 1)]
    # The grouping job's exact answer reads it: all 24 pickup hours.
    assert sorted(trips.stats(lines)) == list(range(24))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trips.csv"]


def test_a_second_run_keeps_the_file(monkeypatch, tmp_path):
    path = tmp_path / "trips.csv"
    run_module(monkeypatch, trips_csv, path=str(path), size_mb=0.1)
    before = path.stat().st_mtime_ns
    kind, result = run_module(monkeypatch, trips_csv, path=str(path), size_mb=0.1)
    assert (kind, result["changed"], result["rows"]) == (ExitJson, False, None)
    assert path.stat().st_mtime_ns == before


def test_another_size_rewrites_it(monkeypatch, tmp_path):
    path = tmp_path / "trips.csv"
    run_module(monkeypatch, trips_csv, path=str(path), size_mb=0.1)
    kind, result = run_module(monkeypatch, trips_csv, path=str(path), size_mb=0.2)
    assert (kind, result["changed"]) == (ExitJson, True)
    assert MB // 5 - 64 < path.stat().st_size <= MB // 5


def test_a_file_of_the_size_that_is_not_ours_is_rewritten(monkeypatch, tmp_path):
    path = tmp_path / "trips.csv"
    path.write_text("x" * (MB // 10))
    kind, result = run_module(monkeypatch, trips_csv, path=str(path), size_mb=0.1)
    assert (kind, result["changed"]) == (ExitJson, True)
    assert path.read_text().startswith(trips.trip_line(1, 1))


def test_check_mode_writes_nothing(monkeypatch, tmp_path):
    path = tmp_path / "trips.csv"
    kind, result = run_module(monkeypatch, trips_csv, path=str(path), size_mb=1, _ansible_check_mode=True)
    assert (kind, result["changed"]) == (ExitJson, True)
    assert not path.exists()


@pytest.mark.parametrize("size", [0, -1])
def test_a_size_of_zero_or_less_is_refused(monkeypatch, tmp_path, size):
    kind, result = run_module(monkeypatch, trips_csv, path=str(tmp_path / "t.csv"), size_mb=size)
    assert kind is FailJson
    assert result["msg"] == f"measure_size_mb must be a number of MB above 0 (got '{float(size)}')"
    assert list(tmp_path.iterdir()) == []


def test_a_missing_directory_is_named(monkeypatch, tmp_path):
    kind, result = run_module(monkeypatch, trips_csv, path=str(tmp_path / "no" / "t.csv"), size_mb=1)
    assert kind is FailJson
    assert result["msg"] == f"{tmp_path}/no is not a directory: make it before writing {tmp_path}/no/t.csv"


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(monkeypatch, tmp_path):
    path = tmp_path / "trips.csv"
    path.write_text("old\n")

    def full(_handle, _size, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(trips_csv, "write_trips_upto", full)
    kind, result = run_module(monkeypatch, trips_csv, path=str(path), size_mb=1)
    assert kind is FailJson
    assert result["msg"] == f"cannot write {path}: No space left on device"
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["trips.csv"]
