"""Count the lines under one or more paths on the Spark cluster; print one JSON line each.

A directory counts every file below it, subdirectories included.

Submitted by playbooks/line_count.yml. The DataFrame reader keeps the work in the
executors' JVMs (no Python worker processes on the nodes), and its input listing skips
hidden names such as the data sync's holding directory.
"""

import json
import sys
import time

from pyspark.sql import SparkSession

MARKER = "LINE_COUNT "


def reader(spark):
    return spark.read.option("recursiveFileLookup", "true")


def main(paths):
    spark = SparkSession.builder.appName("picluster line count").getOrCreate()
    try:
        # Untimed: a small job on every executor and one line of each path first, so
        # the first path timed does not also pay for warming up the text reader.
        parallelism = spark.sparkContext.defaultParallelism
        spark.range(0, parallelism * 1000, numPartitions=parallelism).count()
        for path in paths:
            reader(spark).text(path).limit(1).collect()
        for path in paths:
            started = time.monotonic()
            lines = reader(spark).text(path).count()
            seconds = time.monotonic() - started
            print(
                MARKER + json.dumps({"path": path, "lines": lines, "seconds": round(seconds, 3)}), flush=True
            )
    finally:
        spark.stop()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: line_count.py PATH [PATH ...]")
    main(sys.argv[1:])
