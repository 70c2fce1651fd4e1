"""The pipeline tests' PySpark application: the sum of the first column of the CSV
files at argv[1], printed as `APP_RESULT <sum>`, then an optional pause of argv[2]
seconds (a job that outlives its time limit). A path that does not exist fails it."""

import sys
import time

from pipeline_lib import first_number  # from the application's py_files zip
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("pipeline-sum").getOrCreate()
total = spark.sparkContext.textFile(sys.argv[1]).map(first_number).sum()
print(f"APP_RESULT {total}", flush=True)
if len(sys.argv) > 2:
    time.sleep(float(sys.argv[2]))
spark.stop()
