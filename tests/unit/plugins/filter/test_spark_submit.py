"""Unit tests of the spark_conf_args filter: Spark properties as spark-submit arguments."""

import pytest
from ansible_collections.picluster.spark.plugins.filter import spark_submit


def test_filters_are_registered_under_their_documented_names():
    assert spark_submit.FilterModule().filters() == {
        "spark_conf_args": spark_submit.spark_conf_args,
        "spark_job_records": spark_submit.spark_job_records,
    }


def test_no_properties_no_arguments():
    assert spark_submit.spark_conf_args({}) == []


def test_pairs_sorted_by_name_one_argument_each():
    args = spark_submit.spark_conf_args(
        {"spark.sql.shuffle.partitions": 16, "spark.executor.extraJavaOptions": "-XX:+UseSerialGC -Xss512k"}
    )
    assert args == [
        "--conf",
        "spark.executor.extraJavaOptions=-XX:+UseSerialGC -Xss512k",
        "--conf",
        "spark.sql.shuffle.partitions=16",
    ]


def test_booleans_as_spark_reads_them():
    assert spark_submit.spark_conf_args({"spark.shuffle.compress": True, "spark.ui.enabled": False}) == [
        "--conf",
        "spark.shuffle.compress=true",
        "--conf",
        "spark.ui.enabled=false",
    ]


@pytest.mark.parametrize("name", ["", " ", "spark.a b"])
def test_a_name_that_is_no_property_is_refused(name):
    with pytest.raises(ValueError, match="not a Spark property name"):
        spark_submit.spark_conf_args({name: "1"})


JOB_OUTPUT = [
    "26/11/30 18:27:24 INFO SparkContext: Running Spark version 3.5.9",
    'GROUP_TRIPS {"hour": 0, "trips": 2083}',
    'GROUP_TRIPS {"hour": 1, "trips": 2084}',
    'GROUP_TRIPS_DONE {"hours": 2, "seconds": 1.5}',
    "INFO ShutdownHookManager: Deleting directory /tmp/spark-1",
]


def test_records_after_the_marker_in_order():
    assert spark_submit.spark_job_records(JOB_OUTPUT, "GROUP_TRIPS ") == [
        {"hour": 0, "trips": 2083},
        {"hour": 1, "trips": 2084},
    ]


def test_a_longer_marker_is_another_record_kind():
    assert spark_submit.spark_job_records(JOB_OUTPUT, "GROUP_TRIPS_DONE ") == [{"hours": 2, "seconds": 1.5}]


def test_no_marked_line_no_record():
    assert spark_submit.spark_job_records(JOB_OUTPUT, "LINE_COUNT ") == []


def test_a_marked_line_that_is_not_json_is_an_error():
    with pytest.raises(ValueError):
        spark_submit.spark_job_records(["LINE_COUNT {broken"], "LINE_COUNT ")
