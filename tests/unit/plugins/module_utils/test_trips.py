"""Unit tests of module_utils/trips.py: the trip format, its generator and the exact answer."""

import io
import pathlib
import subprocess
from decimal import ROUND_HALF_UP, Decimal

import pytest
from ansible_collections.picluster.spark.plugins.module_utils import trips

REPO = pathlib.Path(__file__).resolve().parents[4]


def test_a_trip_line_has_the_documented_shape():
    assert trips.trip_line(1, 1) == "1,2026-01-02 01:07,3.7,3.13\n"
    assert trips.trip_line(24, 3) == "24,2026-03-25 00:48,28.8,6.12\n"


def test_the_generator_is_deterministic():
    first, second = io.StringIO(), io.StringIO()
    trips.write_trips(first, 500, 2)
    trips.write_trips(second, 500, 2)
    assert first.getvalue() == second.getvalue()
    assert first.getvalue().count("\n") == 500


def test_the_bed_sample_is_made_by_the_same_generator(tmp_path):
    """bed/sample-data.sh writes its CSVs with write_trips: one format, one place."""
    subprocess.run([str(REPO / "bed" / "sample-data.sh"), str(tmp_path)], check=True, capture_output=True)
    for month, rows in ((1, 20000), (2, 18000), (3, 12000)):
        expected = io.StringIO()
        trips.write_trips(expected, rows, month)
        assert (tmp_path / "trips" / f"2026-{month:02d}.csv").read_text() == expected.getvalue()


def test_stats_by_hand():
    lines = [
        "1,2026-01-02 05:00,1.5,10.25\n",
        "2,2026-01-02 05:30,2.0,3.10\n",
        "3,2026-01-03 05:59,0.1,99.99\n",
        "4,2026-01-03 23:00,7.0,4.00\n",
        "\n",
    ]
    assert trips.stats(lines) == {
        5: {
            "trips": 3,
            "fare_total": "113.34",
            "fare_min": "3.10",
            "fare_max": "99.99",
            "distance_total": "3.6",
            "distance_mean": "1.2",
            "days": 2,
        },
        23: {
            "trips": 1,
            "fare_total": "4.00",
            "fare_min": "4.00",
            "fare_max": "4.00",
            "distance_total": "7.0",
            "distance_mean": "7.0",
            "days": 1,
        },
    }


def test_sums_are_exact_where_floats_are_not():
    # 0.1 + 0.2 in binary floating point is 0.30000000000000004.
    lines = ["1,2026-01-01 00:00,0.1,0.10\n", "2,2026-01-01 00:01,0.2,0.20\n"]
    assert trips.stats(lines)[0]["fare_total"] == "0.30"
    assert trips.stats(lines)[0]["distance_total"] == "0.3"


def test_a_line_that_is_not_a_trip_is_an_error():
    with pytest.raises(ValueError):
        trips.stats(["1,2026-01-01 00:00,0.1\n"])
    with pytest.raises(ArithmeticError):
        trips.stats(["1,2026-01-01 00:00,x,0.10\n"])


def test_data_files_leave_out_hidden_names_as_spark_does(tmp_path):
    (tmp_path / "a.csv").write_text("")
    (tmp_path / ".partial").mkdir()
    (tmp_path / ".partial" / "b.csv").write_text("")
    (tmp_path / "_SUCCESS").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.csv").write_text("")
    (tmp_path / "sub" / ".d.csv.XYZ").write_text("")
    assert trips.data_files(str(tmp_path)) == [str(tmp_path / "a.csv"), str(tmp_path / "sub" / "c.csv")]
    assert trips.data_files(str(tmp_path / "a.csv")) == [str(tmp_path / "a.csv")]


def test_stats_of_paths_streams_every_file(tmp_path):
    (tmp_path / "m1.csv").write_text(trips.trip_line(1, 1) + trips.trip_line(25, 1))
    (tmp_path / "m2.csv").write_text(trips.trip_line(1, 2))
    result = trips.stats_of_paths([str(tmp_path)])
    assert result[1]["trips"] == 3
    assert result[1]["days"] == 3
    assert result[1]["fare_total"] == str(Decimal("3.13") * 2 + Decimal("6.25"))


def _rows(expected):
    return [dict(values, hour=hour) for hour, values in expected.items()]


EXPECTED = trips.stats([trips.trip_line(n, 1) for n in range(1, 200)])


def test_no_problem_when_the_rows_match():
    rows = _rows(EXPECTED)
    # Spark prints the mean with five decimals.
    for row in rows:
        row["distance_mean"] = str(Decimal(row["distance_mean"]).quantize(Decimal("0.00001")))
    assert trips.problems(EXPECTED, rows) == []
    # JSON gives the expected answer's hours back as strings.
    assert trips.problems({str(hour): values for hour, values in EXPECTED.items()}, rows) == []


def test_one_cent_or_one_trip_off_is_named():
    rows = _rows(EXPECTED)
    rows[0]["fare_total"] = str(Decimal(rows[0]["fare_total"]) + Decimal("0.01"))
    rows[1]["trips"] += 1
    assert trips.problems(EXPECTED, rows) == [
        f"hour 0: fare_total {rows[0]['fare_total']}, expected {EXPECTED[0]['fare_total']}",
        f"hour 1: trips {rows[1]['trips']}, expected {EXPECTED[1]['trips']}",
    ]


def test_a_mean_off_by_more_than_the_tolerance_is_named():
    rows = _rows(EXPECTED)
    rows[2]["distance_mean"] = str(Decimal(rows[2]["distance_mean"]) + Decimal("0.0001"))
    assert [p.split(":")[0] for p in trips.problems(EXPECTED, rows)] == ["hour 2"]


def test_missing_extra_and_repeated_hours_are_named():
    rows = _rows(EXPECTED)
    missing = rows.pop(3)
    rows.append(dict(rows[0]))
    rows.append(dict(rows[0], hour=99, trips=5))
    assert trips.problems(EXPECTED, rows) == [
        "hour 0 came back twice",
        f"hour 3 is missing ({missing['trips']} trips expected)",
        "hour 99 has no trips in the data, the job found 5",
    ]


def test_a_row_without_an_aggregate_is_named():
    rows = _rows(EXPECTED)
    del rows[0]["days"]
    assert trips.problems(EXPECTED, rows) == [f"hour 0: days None, expected {EXPECTED[0]['days']}"]


# The by-trip grouping: a group per trip number, reduced to totals over the groups.
def _by_trip_by_hand(lines):
    """The same totals from a dict of every group: what stats_by_trip must give without one."""
    groups = {}
    for line in lines:
        number, pickup, distance, fare = line.rstrip("\n").split(",")
        group = groups.setdefault(int(number), [])
        group.append((pickup[:10], Decimal(distance), Decimal(fare)))
    totals = {
        "groups": len(groups),
        "trips": sum(len(g) for g in groups.values()),
        "fare_total": sum(f for g in groups.values() for _, _, f in g),
        "fare_min_total": sum(min(f for _, _, f in g) for g in groups.values()),
        "fare_max_total": sum(max(f for _, _, f in g) for g in groups.values()),
        "distance_total": sum(d for g in groups.values() for _, d, _ in g),
        "distance_mean_total": sum(
            (sum(d for _, d, _ in g) / len(g)).quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)
            for g in groups.values()
        ),
        "days_total": sum(len({day for day, _, _ in g}) for g in groups.values()),
    }
    return {k: (v if k in ("groups", "trips", "days_total") else str(v)) for k, v in totals.items()}


def _month(rows, month):
    return [trips.trip_line(n, month) for n in range(1, rows + 1)]


def test_stats_by_trip_match_a_dict_of_every_group():
    # Three months of different lengths: trips 1-3 are in all three, 4 in two, 5-7 in one.
    files = [("m1", _month(7, 1)), ("m2", _month(3, 2)), ("m3", _month(4, 3))]
    got = trips.stats_by_trip(files)
    want = _by_trip_by_hand([line for _, lines in files for line in lines])
    assert got == want
    assert (got["groups"], got["trips"], got["days_total"]) == (7, 14, 14)


def test_stats_by_trip_by_hand_for_two_trips():
    # Trip 1 in months 1 and 2 (fare 3.13, distance 3.7 each), trip 2 in month 1 (3.26, 7.4).
    got = trips.stats_by_trip([("a", _month(2, 1)), ("b", _month(1, 2))])
    assert got == {
        "groups": 2,
        "trips": 3,
        "fare_total": "9.52",
        "fare_min_total": "6.39",
        "fare_max_total": "6.39",
        "distance_total": "14.8",
        "distance_mean_total": "11.10000",
        "days_total": 3,
    }


def test_a_repeated_number_in_one_file_is_one_group():
    lines = [trips.trip_line(1, 1), trips.trip_line(1, 2), trips.trip_line(2, 1)]
    got = trips.stats_by_trip([("a", lines)])
    assert got == _by_trip_by_hand(lines)
    assert got["groups"] == 2


def test_a_file_out_of_trip_order_is_named():
    lines = [trips.trip_line(2, 1), trips.trip_line(1, 1)]
    with pytest.raises(trips.TripOrderError, match=r"b\.csv: trip 1 comes after trip 2"):
        trips.stats_by_trip([("a.csv", _month(3, 1)), ("b.csv", lines)])


def test_stats_of_paths_by_trip_reads_every_file(tmp_path):
    for month, rows in ((1, 40), (2, 25)):
        (tmp_path / f"m{month}.csv").write_text("".join(_month(rows, month)))
    (tmp_path / ".hidden.csv").write_text(trips.trip_line(99, 1))
    got = trips.stats_of_paths([str(tmp_path)], by="trip")
    assert got == _by_trip_by_hand(_month(40, 1) + _month(25, 2))
    with pytest.raises(ValueError, match="'hour' or 'trip', not 'day'"):
        trips.stats_of_paths([str(tmp_path)], by="day")


def test_by_trip_problems_name_each_wrong_total():
    expected = trips.stats_by_trip([("a", _month(30, 1))])
    assert trips.problems(expected, [dict(expected)]) == []
    # As the job prints them: whole numbers as numbers, decimals as strings, maybe more digits.
    printed = dict(expected, fare_total=expected["fare_total"] + "0")
    assert trips.problems(expected, [printed]) == []
    wrong = dict(expected, groups=29, fare_min_total="1.00")
    del wrong["days_total"]
    assert trips.problems(expected, [wrong]) == [
        "groups 29, expected 30",
        f"fare_min_total 1.00, expected {expected['fare_min_total']}",
        "days_total None, expected 30",
    ]
    assert trips.problems(expected, []) == ["the by-trip job printed 0 rows of totals, expected 1"]
