# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Trip CSVs: the test data's one format, its generator and its exact answer.

A trip line is `id,YYYY-MM-DD HH:MM,distance,fare` (distance with one decimal,
fare with two), the shape of the taxi data of the original 4-Pi setup
(docs/original-setup.md). The grouping job (playbooks/files/group_trips.py)
groups trips by pickup hour (24 groups: its memory does not grow with the data)
or by trip number (a group per number: its memory grows with the data, so on
small boards it must spill); `stats` and `stats_by_trip` compute the same
answers on the controller by streaming the files once, in exact decimals, so a
result that is off by one trip or one cent is caught. Plain Python: bed/sample-data.sh, the lookup
picluster.spark.trip_stats and the unit tests all use it.
"""

from __future__ import annotations

import heapq
import os
from decimal import ROUND_HALF_UP, Decimal

# The aggregates the job returns per pickup hour, and how each is compared.
EXACT_FIELDS = ("trips", "fare_total", "fare_min", "fare_max", "distance_total", "days")
# Spark's avg of a decimal(6,1) keeps 5 decimals (rounded); the exact mean is compared to that.
MEAN_TOLERANCE = Decimal("0.00001")
# The by-trip job reduces its groups to these totals (each a sum over the groups).
TRIP_TOTAL_FIELDS = (
    "groups",
    "trips",
    "fare_total",
    "fare_min_total",
    "fare_max_total",
    "distance_total",
    "distance_mean_total",
    "days_total",
)
# The whole-number fields of either answer; every other aggregate is an exact decimal.
COUNT_FIELDS = ("trips", "days", "groups", "days_total")
# The groupings the job and its exact answer know.
GROUPINGS = ("hour", "trip")


def trip_line(number, month, year=2026):
    """The trip with this number in this month: the same bytes for the same inputs."""
    day, hour, minute = number % 28 + 1, number % 24, number * 7 % 60
    distance = (number * 37 % 300) / 10
    fare = 3 + (number * 13 % 5000) / 100
    return f"{number},{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d},{distance:.1f},{fare:.2f}\n"


def write_trips(handle, rows, month, year=2026):
    """Write trips 1..rows of one month to an open text file."""
    for number in range(1, rows + 1):
        handle.write(trip_line(number, month, year))


def write_trips_upto(handle, max_bytes, month=1, year=2026):
    """Write trips 1, 2, ... of one month while the file stays within max_bytes.

    The lines are ASCII, so characters are bytes. Returns (rows, bytes written).
    The same max_bytes gives the same bytes.
    """
    rows = written = 0
    batch = []
    batch_bytes = 0
    while True:
        line = trip_line(rows + 1, month, year)
        if written + batch_bytes + len(line) > max_bytes:
            break
        batch.append(line)
        batch_bytes += len(line)
        rows += 1
        if len(batch) == 10000:
            handle.write("".join(batch))
            written += batch_bytes
            batch, batch_bytes = [], 0
    handle.write("".join(batch))
    return rows, written + batch_bytes


def data_files(path):
    """The files a Spark reader takes under path: all below a directory, hidden
    names (`.x`, `_x`) left out as Spark's listing leaves them; or path itself."""
    if os.path.isfile(path):
        return [path]
    found = []
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        found += [os.path.join(root, name) for name in sorted(files) if not name.startswith((".", "_"))]
    return found


def _parse(line):
    _number, pickup, distance, fare = line.rstrip("\n").split(",")
    return int(pickup[11:13]), pickup[:10], Decimal(distance), Decimal(fare)


def stats(lines):
    """Per pickup hour: trips, fare total/min/max, distance total and mean, distinct days.

    Takes an iterable of trip lines (a file is one); returns {hour: {...}} with the
    decimals as strings, as the job prints them. Memory is one entry per hour and day.
    """
    groups = {}
    for line in lines:
        if not line.strip():
            continue
        hour, day, distance, fare = _parse(line)
        group = groups.get(hour)
        if group is None:
            groups[hour] = group = {
                "trips": 0,
                "fare_total": Decimal(0),
                "fare_min": fare,
                "fare_max": fare,
                "distance_total": Decimal(0),
                "days": set(),
            }
        group["trips"] += 1
        group["fare_total"] += fare
        group["fare_min"] = min(group["fare_min"], fare)
        group["fare_max"] = max(group["fare_max"], fare)
        group["distance_total"] += distance
        group["days"].add(day)
    return {
        hour: {
            "trips": group["trips"],
            "fare_total": str(group["fare_total"]),
            "fare_min": str(group["fare_min"]),
            "fare_max": str(group["fare_max"]),
            "distance_total": str(group["distance_total"]),
            "distance_mean": str(group["distance_total"] / group["trips"]),
            "days": len(group["days"]),
        }
        for hour, group in sorted(groups.items())
    }


class TripOrderError(ValueError):
    """A file the by-trip answer cannot stream: its trip numbers fall somewhere."""


def _numbered(name, lines):
    """(trip number, hour, day, distance, fare) of each line, checking the numbers never fall."""
    last = None
    for line in lines:
        if not line.strip():
            continue
        number = int(line.split(",", 1)[0])
        if last is not None and number < last:
            raise TripOrderError(
                f"{name}: trip {number} comes after trip {last}; the by-trip answer reads each file "
                "in trip-number order, as plugins/module_utils/trips.py writes them"
            )
        last = number
        yield (number, *_parse(line))


def stats_by_trip(files):
    """The by-trip grouping reduced to totals: the number of groups (trip numbers) and, summed
    over the groups, trips, fare total, fare minimum, fare maximum, distance total, mean
    distance (each rounded to Spark's 5 decimals, half up) and distinct days.

    files: (name, iterable of lines) pairs, each in trip-number order (as `write_trips` writes
    them). Memory does not grow with the data: the files are merged by trip number, so one
    group is held at a time.
    """
    totals = {key: 0 if key in COUNT_FIELDS else Decimal(0) for key in TRIP_TOTAL_FIELDS}
    merged = heapq.merge(*(_numbered(name, lines) for name, lines in files), key=lambda trip: trip[0])
    group = None

    def close(group):
        trips, fares, fare_min, fare_max, distance, days = group[1:]
        totals["groups"] += 1
        totals["trips"] += trips
        totals["fare_total"] += fares
        totals["fare_min_total"] += fare_min
        totals["fare_max_total"] += fare_max
        totals["distance_total"] += distance
        totals["distance_mean_total"] += (distance / trips).quantize(MEAN_TOLERANCE, rounding=ROUND_HALF_UP)
        totals["days_total"] += len(days)

    for number, _hour, day, distance, fare in merged:
        if group is None or group[0] != number:
            if group is not None:
                close(group)
            group = [number, 0, Decimal(0), fare, fare, Decimal(0), set()]
        group[1] += 1
        group[2] += fare
        group[3] = min(group[3], fare)
        group[4] = max(group[4], fare)
        group[5] += distance
        group[6].add(day)
    if group is not None:
        close(group)
    return {key: (value if key in COUNT_FIELDS else str(value)) for key, value in totals.items()}


def stats_of_paths(paths, by="hour"):
    """`stats` (by="hour") or `stats_by_trip` (by="trip") over every data file under the
    paths, streamed line by line."""
    names = [name for path in paths for name in data_files(path)]

    def lines(name):
        with open(name, encoding="utf-8") as handle:
            yield from handle

    if by not in GROUPINGS:
        raise ValueError(f"group by 'hour' or 'trip', not {by!r}")
    if by == "trip":
        return stats_by_trip([(name, lines(name)) for name in names])
    return stats(line for name in names for line in lines(name))


def _same(field, want, got):
    if field in COUNT_FIELDS:
        return int(want) == int(got)
    if field == "distance_mean":
        return abs(Decimal(want) - Decimal(got)) <= MEAN_TOLERANCE
    return Decimal(want) == Decimal(got)


def trip_problems(expected, rows):
    """What the by-trip job's totals get wrong against `stats_by_trip`, one message each."""
    if len(rows) != 1:
        return [f"the by-trip job printed {len(rows)} rows of totals, expected 1"]
    (row,) = rows
    messages = []
    for field in TRIP_TOTAL_FIELDS:
        want, got = expected[field], row.get(field)
        if got is None or not _same(field, want, got):
            messages.append(f"{field} {got}, expected {want}")
    return messages


def problems(expected, rows):
    """What the job's rows get wrong against the exact answer, one message each.

    rows: the job's per-hour dicts (with `hour`); expected: `stats` output,
    keyed by hour (int or str, as JSON gives it back). By-trip totals
    (`stats_by_trip`, with `groups`) go to `trip_problems`.
    """
    if "groups" in expected:
        return trip_problems(expected, rows)
    expected = {int(hour): values for hour, values in expected.items()}
    found = {}
    messages = []
    for row in rows:
        hour = int(row["hour"])
        if hour in found:
            messages.append(f"hour {hour} came back twice")
        found[hour] = row
    for hour in sorted(set(expected) - set(found)):
        messages.append(f"hour {hour} is missing ({expected[hour]['trips']} trips expected)")
    for hour in sorted(set(found) - set(expected)):
        messages.append(f"hour {hour} has no trips in the data, the job found {found[hour].get('trips')}")
    for hour in sorted(set(found) & set(expected)):
        for field in (*EXACT_FIELDS, "distance_mean"):
            want, got = expected[hour][field], found[hour].get(field)
            if got is None or not _same(field, want, got):
                messages.append(f"hour {hour}: {field} {got}, expected {want}")
    return messages
