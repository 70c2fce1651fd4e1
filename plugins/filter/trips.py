# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The grouping job's result: its problems against the exact answer, and its table.

Plain functions, so tests/unit can call them without a play.
"""

from __future__ import annotations

from ansible_collections.picluster.spark.plugins.module_utils.trips import problems

_HEADER = "%4s  %9s  %14s  %8s  %8s  %13s  %4s"
_ROW = "%4s  %9d  %14s  %8s  %8s  %13s  %4d"


def group_trips_problems(rows, expected):
    """Messages for every hour and aggregate where the job's rows differ from `expected`."""
    return problems(expected, rows)


_TOTALS_HEADER = "%9s  %9s  %14s  %14s  %14s  %14s  %10s"


def _totals_table(row):
    """The by-trip job's totals (one row with `groups`) as a header and a line."""
    fields = ("groups", "trips", "fare_total", "fare_min_total", "fare_max_total")
    fields += ("distance_total", "days_total")
    header = ("groups", "trips", "fare total", "sum of mins", "sum of maxes", "distance", "days")
    return [_TOTALS_HEADER % header, _TOTALS_HEADER % tuple(row[field] for field in fields)]


def group_trips_table(rows):
    """Lines of a table of the job's rows: hour, trips, fares, mean distance, days; or, for
    the by-trip job, its totals over the groups."""
    if len(rows) == 1 and "groups" in rows[0]:
        return _totals_table(rows[0])
    lines = [_HEADER % ("hour", "trips", "fare total", "fare min", "fare max", "mean distance", "days")]
    for row in sorted(rows, key=lambda row: int(row["hour"])):
        mean = f"{float(row['distance_mean']):.3f}"
        lines.append(
            _ROW
            % (
                row["hour"],
                row["trips"],
                row["fare_total"],
                row["fare_min"],
                row["fare_max"],
                mean,
                row["days"],
            )
        )
    return lines


class FilterModule:
    """The grouping job's checks and table."""

    def filters(self):
        return {"group_trips_problems": group_trips_problems, "group_trips_table": group_trips_table}
