"""Group trips by pickup hour on the Spark cluster: the heavy job of the original setup.

Reads trip CSVs (`id,YYYY-MM-DD HH:MM,distance,fare`, see
plugins/module_utils/trips.py) from paths every node holds, groups them by pickup
hour and computes per hour: trips, fare total/min/max, distance total and mean,
and the number of distinct days. Prints one JSON line per hour after MARKER, then
one summary line, and writes the same rows as JSON to OUTPUT on the driver's node.

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


def grouped(spark, paths):
    trips = (
        spark.read.option("recursiveFileLookup", "true").option("mode", "FAILFAST").schema(SCHEMA).csv(paths)
    )
    return (
        trips.groupBy(F.substring("pickup", 12, 2).cast("int").alias("hour"))
        .agg(
            F.count(F.lit(1)).alias("trips"),
            F.sum("fare").alias("fare_total"),
            F.min("fare").alias("fare_min"),
            F.max("fare").alias("fare_max"),
            F.sum("distance").alias("distance_total"),
            F.avg("distance").alias("distance_mean"),
            F.countDistinct(F.substring("pickup", 1, 10)).alias("days"),
        )
        .orderBy("hour")
    )


def write_atomically(path, rows):
    """The result file appears whole or not at all."""
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".group-trips.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(rows, handle, indent=1)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def main(output, paths):
    spark = SparkSession.builder.appName("picluster group trips").getOrCreate()
    try:
        started = time.monotonic()
        rows = [
            {
                key: (str(value) if key not in ("hour", "trips", "days") else value)
                for key, value in row.asDict().items()
            }
            for row in grouped(spark, paths).collect()
        ]
        seconds = time.monotonic() - started
    finally:
        spark.stop()
    for row in rows:
        print(MARKER + json.dumps(row), flush=True)
    print(DONE + json.dumps({"paths": paths, "hours": len(rows), "seconds": round(seconds, 3)}), flush=True)
    if output:
        write_atomically(output, rows)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: group_trips.py OUTPUT|'' PATH [PATH ...]")
    main(sys.argv[1], sys.argv[2:])
