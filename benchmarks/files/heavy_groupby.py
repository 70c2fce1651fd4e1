"""The heavy job of docs/testbed.md's collapse: a group-by on K keys over N generated rows.

Rows: id in [0, N) in P input partitions, key = id % K, s = sha256 of the id as a string
(N distinct 64-character strings: ~2.4 GB for N = 30,000,000). Per key: count, sum, avg,
min and max of id and countDistinct(s). The groups are then reduced to a few totals that
the exact answer is known for, so the script checks its own result:
  groups == K, sum of counts == N, sum of countDistinct == N, sum of sums == N(N-1)/2,
  sum of mins, of maxes and of avgs == what the ids in [0, N) give per key.
Prints one JSON line: {"heavy_groupby": {...}, "ok": bool, "problems": [...], "seconds": s}.

Usage: spark-submit [options] heavy_groupby.py N K P
Only the application's name is set here: every memory and core setting is the cluster's
(spark-defaults.conf) or spark-submit's, as a new user would submit it.
"""

import json
import sys
import time


def expected(n, k):
    """The exact totals for ids 0..n-1 grouped by id % k (n >= k)."""
    mins = maxes = 0
    avgs = 0.0
    for key in range(k):
        count = (n - 1 - key) // k + 1  # ids key, key + k, ..., the last one below n
        last = key + (count - 1) * k
        mins += key
        maxes += last
        avgs += (key + last) / 2
    return {
        "groups": k,
        "rows": n,
        "distinct": n,
        "sum_of_sums": n * (n - 1) // 2,
        "sum_of_mins": mins,
        "sum_of_maxes": maxes,
        "sum_of_avgs": avgs,
    }


def main():
    n, k, p = (int(arg) for arg in sys.argv[1:4])
    if not 0 < k <= n:
        sys.exit("usage: heavy_groupby.py N K P (0 < K <= N)")
    from pyspark.sql import SparkSession  # noqa: PLC0415 (after the argument check)
    from pyspark.sql import functions as F  # noqa: PLC0415

    started = time.time()
    spark = SparkSession.builder.appName(f"heavy_groupby N={n} K={k} P={p}").getOrCreate()
    rows = (
        spark.range(0, n, numPartitions=p)
        .withColumn("key", F.col("id") % k)
        .withColumn("s", F.sha2(F.col("id").cast("string"), 256))
    )
    groups = rows.groupBy("key").agg(
        F.count(F.lit(1)).alias("n"),
        F.sum("id").alias("sum"),
        F.avg("id").alias("avg"),
        F.min("id").alias("min"),
        F.max("id").alias("max"),
        F.countDistinct("s").alias("distinct"),
    )
    total = groups.agg(
        F.count(F.lit(1)).alias("groups"),
        F.sum("n").alias("rows"),
        F.sum("distinct").alias("distinct"),
        F.sum("sum").alias("sum_of_sums"),
        F.sum("min").alias("sum_of_mins"),
        F.sum("max").alias("sum_of_maxes"),
        F.sum("avg").alias("sum_of_avgs"),
    ).collect()[0]
    seconds = time.time() - started
    got = {name: total[name] for name in total.asDict()}
    want = expected(n, k)
    problems = []
    for name, value in want.items():
        if name == "sum_of_avgs":
            if got[name] is None or abs(got[name] - value) > 1e-9 * max(1.0, abs(value)):
                problems.append(f"{name}: {got[name]!r}, expected {value!r}")
        elif got[name] != value:
            problems.append(f"{name}: {got[name]!r}, expected {value!r}")
    conf = spark.sparkContext.getConf()
    settings = {
        key: conf.get(key, None)
        for key in (
            "spark.executor.memory",
            "spark.executor.cores",
            "spark.task.cpus",
            "spark.sql.shuffle.partitions",
            "spark.driver.memory",
        )
    }
    print(
        json.dumps(
            {
                "heavy_groupby": got,
                "n": n,
                "k": k,
                "p": p,
                "ok": not problems,
                "problems": problems,
                "seconds": round(seconds, 3),
                "settings": settings,
            }
        ),
        flush=True,
    )
    spark.stop()


if __name__ == "__main__":
    main()
