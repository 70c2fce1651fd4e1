# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Trip CSVs: the test data's one format, its generator and its exact answer.

A trip line is `id,YYYY-MM-DD HH:MM,distance,fare` (distance with one decimal,
fare with two), the shape of the taxi data of the original 4-Pi setup
(docs/original-setup.md). The grouping job (playbooks/files/group_trips.py)
groups trips by pickup hour; `stats` computes the same answer on the controller
by streaming the files once, in exact decimals, so a result that is off by one
trip or one cent is caught. Plain Python: bed/sample-data.sh, the lookup
picluster.spark.trip_stats and the unit tests all use it.
"""

from __future__ import annotations

import os
from decimal import Decimal

# The aggregates the job returns per pickup hour, and how each is compared.
EXACT_FIELDS = ("trips", "fare_total", "fare_min", "fare_max", "distance_total", "days")
# Spark's avg of a decimal(6,1) keeps 5 decimals (rounded); the exact mean is compared to that.
MEAN_TOLERANCE = Decimal("0.00001")


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


def stats_of_paths(paths):
    """`stats` over every data file under the paths, streamed line by line."""

    def lines():
        for path in paths:
            for name in data_files(path):
                with open(name, encoding="utf-8") as handle:
                    yield from handle

    return stats(lines())


def _same(field, want, got):
    if field in ("trips", "days"):
        return int(want) == int(got)
    if field == "distance_mean":
        return abs(Decimal(want) - Decimal(got)) <= MEAN_TOLERANCE
    return Decimal(want) == Decimal(got)


def problems(expected, rows):
    """What the job's rows get wrong against the exact answer, one message each.

    rows: the job's per-hour dicts (with `hour`); expected: `stats` output,
    keyed by hour (int or str, as JSON gives it back).
    """
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
