"""A job with known answers that reports where its tasks ran.

spark-submit where_pi.py OUT: writes one JSON object to OUT (on the driver)
with the sum of 1..N (exact), a Monte Carlo estimate of pi, and the host
names and machine types of the executors that ran the tasks.
"""

import json
import platform
import random
import socket
import sys
import time

from pyspark.sql import SparkSession

N = 100_000
SAMPLES = 200_000
PARTITIONS = 16


def where(_):
    # Long enough that every executor's cores get tasks, not just the first one's.
    time.sleep(0.5)
    return (socket.gethostname(), platform.machine())


def inside(seed):
    rng = random.Random(seed)
    hits = 0
    for _ in range(SAMPLES // PARTITIONS):
        x, y = rng.random() * 2 - 1, rng.random() * 2 - 1
        hits += x * x + y * y <= 1
    return hits


def main(out):
    spark = SparkSession.builder.appName("picluster-where-pi").getOrCreate()
    sc = spark.sparkContext
    total = sc.parallelize(range(1, N + 1), PARTITIONS).sum()
    hits = sc.parallelize(range(PARTITIONS), PARTITIONS).map(inside).sum()
    ran_on = sorted(set(sc.parallelize(range(PARTITIONS * 4), PARTITIONS * 4).map(where).collect()))
    spark.stop()
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"sum": total, "pi": 4.0 * hits / SAMPLES, "executors": ran_on}, handle)


if __name__ == "__main__":
    main(sys.argv[1])
