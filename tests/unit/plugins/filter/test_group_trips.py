"""Unit tests of the grouping job's filters: group_trips_problems, group_trips_table."""

from ansible_collections.picluster.spark.plugins.filter import trips as trips_filter
from ansible_collections.picluster.spark.plugins.module_utils import trips

EXPECTED = trips.stats([trips.trip_line(n, 1) for n in range(1, 49)])
ROWS = [dict(values, hour=hour) for hour, values in EXPECTED.items()]


def test_filters_are_registered_under_their_documented_names():
    assert trips_filter.FilterModule().filters() == {
        "group_trips_problems": trips_filter.group_trips_problems,
        "group_trips_table": trips_filter.group_trips_table,
    }


def test_problems_take_the_rows_first_as_a_filter_does():
    assert trips_filter.group_trips_problems(ROWS, EXPECTED) == []
    assert trips_filter.group_trips_problems(ROWS[1:], EXPECTED) == ["hour 0 is missing (2 trips expected)"]


def test_table_has_a_header_and_one_line_per_hour_in_hour_order():
    lines = trips_filter.group_trips_table(list(reversed(ROWS)))
    assert lines[0].split() == [
        "hour",
        "trips",
        "fare",
        "total",
        "fare",
        "min",
        "fare",
        "max",
        "mean",
        "distance",
        "days",
    ]
    assert len(lines) == 25
    assert [int(line.split()[0]) for line in lines[1:]] == list(range(24))
    first = EXPECTED[0]
    assert lines[1].split() == [
        "0",
        "2",
        first["fare_total"],
        first["fare_min"],
        first["fare_max"],
        f"{float(first['distance_mean']):.3f}",
        str(first["days"]),
    ]


def test_the_by_trip_totals_are_checked_and_shown_as_one_line():
    expected = trips.stats_by_trip([("m1", [trips.trip_line(n, 1) for n in range(1, 11)])])
    assert trips_filter.group_trips_problems([expected], expected) == []
    assert trips_filter.group_trips_problems([dict(expected, trips=9)], expected) == ["trips 9, expected 10"]
    lines = trips_filter.group_trips_table([expected])
    assert lines[0].split()[:2] == ["groups", "trips"]
    assert lines[1].split() == [
        "10",
        "10",
        expected["fare_total"],
        expected["fare_min_total"],
        expected["fare_max_total"],
        expected["distance_total"],
        "10",
    ]
