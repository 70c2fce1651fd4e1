"""Group trips on the Spark cluster: the heavy job of the original setup.

Reads trip CSVs (`id,YYYY-MM-DD HH:MM,distance,fare`, see
plugins/module_utils/trips.py) from paths every node holds, groups them and
computes per group: trips, fare total/min/max, distance total and mean, and the
number of distinct days.

--by hour (the default): 24 groups, by pickup hour. Prints one JSON line per hour
after MARKER. Its memory does not grow with the data.
--by trip: a group per trip number, as many as the largest file has lines, so its
memory grows with the data and on 1 GB boards it spills to disk. The groups are
reduced to totals over the groups (their number and the sum of each aggregate),
printed as one JSON line after MARKER, which the controller's exact answer
(`trips.stats_by_trip`) can check without holding every group.

Then one summary line after DONE; OUTPUT (if not '') gets the same rows as JSON on
the driver's node.

Submitted by playbooks/group_trips.yml. DataFrame aggregates run in the executors'
JVMs (no Python worker processes on the nodes, which a 1 GB board cannot spare);
decimals keep the sums exact, and the hour and day are cut from the text, so no
time zone enters.
"""

import json
import os
import sys
import tempfile
import time

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DecimalType, LongType, StringType, StructField, StructType

MARKER = "GROUP_TRIPS "
DONE = "GROUP_TRIPS_DONE "
SCHEMA = StructType(
    [
        StructField("id", LongType()),
        StructField("pickup", StringType()),
        StructField("distance", DecimalType(6, 1)),
        StructField("fare", DecimalType(10, 2)),
    ]
)


def aggregates():
    """Each group's aggregates (columns need a running session, so not made at import)."""
    return (
        F.count(F.lit(1)).alias("trips"),
        F.sum("fare").alias("fare_total"),
        F.min("fare").alias("fare_min"),
        F.max("fare").alias("fare_max"),
        F.sum("distance").alias("distance_total"),
        F.avg("distance").alias("distance_mean"),
        F.countDistinct(F.substring("pickup", 1, 10)).alias("days"),
    )


# Whole numbers in the printed rows; the decimals are printed as strings, exact.
COUNTS = ("hour", "trips", "days", "groups", "days_total")


def grouped(spark, paths, by):
    trips = (
        spark.read.option("recursiveFileLookup", "true").option("mode", "FAILFAST").schema(SCHEMA).csv(paths)
    )
    if by == "hour":
        hour = F.substring("pickup", 12, 2).cast("int").alias("hour")
        return trips.groupBy(hour).agg(*aggregates()).orderBy("hour")
    groups = trips.groupBy("id").agg(*aggregates())
    return groups.agg(
        F.count(F.lit(1)).alias("groups"),
        F.sum("trips").alias("trips"),
        F.sum("fare_total").alias("fare_total"),
        F.sum("fare_min").alias("fare_min_total"),
        F.sum("fare_max").alias("fare_max_total"),
        F.sum("distance_total").alias("distance_total"),
        F.sum("distance_mean").alias("distance_mean_total"),
        F.sum("days").alias("days_total"),
    )


def write_atomically(path, rows):
    """The result file appears whole or not at all."""
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".group-trips.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(rows, handle, indent=1)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def main(by, output, paths):
    spark = SparkSession.builder.appName(f"picluster group trips by {by}").getOrCreate()
    try:
        started = time.monotonic()
        rows = [
            {key: (value if key in COUNTS else str(value)) for key, value in row.asDict().items()}
            for row in grouped(spark, paths, by).collect()
        ]
        seconds = time.monotonic() - started
        application = spark.sparkContext.applicationId
    finally:
        spark.stop()
    for row in rows:
        print(MARKER + json.dumps(row), flush=True)
    summary = {"by": by, "paths": paths, "rows": len(rows), "seconds": round(seconds, 3)}
    summary["application"] = application
    print(DONE + json.dumps(summary), flush=True)
    if output:
        write_atomically(output, rows)


if __name__ == "__main__":
    args = sys.argv[1:]
    by = "hour"
    if args[:1] == ["--by"] and len(args) > 1:
        by, args = args[1], args[2:]
    if by not in ("hour", "trip") or len(args) < 2:
        sys.exit("usage: group_trips.py [--by hour|trip] OUTPUT|'' PATH [PATH ...]")
    main(by, args[0], args[1:])
