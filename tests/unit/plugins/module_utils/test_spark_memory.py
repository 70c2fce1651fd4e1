"""Spark memory notation, as the module and the spark_memory_mb filter read it."""

import pytest
from ansible_collections.picluster.spark.plugins.module_utils.spark_memory import (
    SparkMemoryError,
    is_written_notation,
    parse_memory_mb,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4g", 4096),
        ("4G", 4096),
        ("4gb", 4096),
        ("4096m", 4096),
        ("512m", 512),
        ("512MB", 512),
        (" 1g ", 1024),
        ("1t", 1024 * 1024),
        ("1p", 1024**3),
        ("1048576k", 1024),
        ("1048576kb", 1024),
        ("2097152b", 2),
        ("1536k", 1),  # below a whole MB: rounded down, as Spark does
        ("1024", 1024),  # digits alone are MB
        (1024, 1024),
        (0, 0),
        ("0", 0),
        (2048.0, 2048),
    ],
)
def test_reads_spark_notation_and_numbers(value, expected):
    assert parse_memory_mb(value) == expected


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1.5g", "cannot read memory size '1.5g'"),
        ("lots", "cannot read memory size 'lots'"),
        ("4x", "cannot read memory size '4x'"),
        ("4 gigs", "cannot read memory size '4 gigs'"),
        ("g", "cannot read memory size 'g'"),
        ("", "cannot read memory size ''"),
        ("-1g", "cannot read memory size '-1g'"),
        (-1, "memory size -1 is negative"),
        (1.5, "memory size 1.5 is not a whole number of MB"),
        (True, "memory size True is a boolean"),
        (None, "memory size None is a NoneType"),
        (["4g"], "memory size ['4g'] is a list"),
    ],
)
def test_refuses_what_spark_would_not_read(value, words):
    with pytest.raises(SparkMemoryError) as caught:
        parse_memory_mb(value)
    message = str(caught.value)
    assert message.startswith(words)
    assert message.endswith("use a whole number of MB or Spark notation such as 512m, 4g, 1t")


def test_error_is_a_value_error():
    # Callers that only know ValueError still catch it.
    with pytest.raises(ValueError, match="cannot read"):
        parse_memory_mb("1,5g")


@pytest.mark.parametrize(
    "value",
    ["1g", "4G", "512m", "512MB", "1gb", "1t", "1p", "100b", "1024", 1024, 0, "0", "1kb", "4gB"],
)
def test_written_notation_takes_what_spark_and_a_unit_file_take(value):
    assert is_written_notation(value) is True


@pytest.mark.parametrize(
    "value",
    [
        "4x",
        "4bb",
        "g",
        "",
        "1.5g",
        "-1g",
        -1,
        True,
        None,
        ["1g"],
        2048.0,  # parse_memory_mb reads it; Spark does not read "2048.0"
        " 1g",  # parse_memory_mb trims; the unit file would not
        "1g ",
        "4 g",
        "1g\n",  # the roles' regex let this through (Python's $ matches before a newline)
        "\uff11g",  # a full-width digit one
    ],
)
def test_written_notation_refuses_what_spark_or_a_unit_file_would_not_take(value):
    assert is_written_notation(value) is False
