"""Unit tests of the line_count_table filter: playbooks/line_count.yml's result table."""

import pytest
from ansible_collections.picluster.spark.plugins.filter import line_count


def test_filters_are_registered_under_their_documented_names():
    assert line_count.FilterModule().filters() == {"line_count_table": line_count.table}


def test_one_count():
    rows = [{"path": "file:///data/sample", "lines": 1000000, "seconds": 12.345}]
    assert line_count.table(rows) == [
        "path                        lines    seconds",
        "file:///data/sample       1000000       12.3",
    ]


def test_the_path_column_is_as_wide_as_the_longest_path():
    rows = [
        {"path": "file:///data/x", "lines": 1, "seconds": 0.05},
        {"path": "file:///data/longer/path", "lines": 12345678901234, "seconds": 1234567.89},
    ]
    lines = line_count.table(rows)
    assert lines == [
        "path                             lines    seconds",
        "file:///data/x                       1        0.1",
        "file:///data/longer/path  12345678901234  1234567.9",
    ]


def test_short_paths_keep_the_header_width_and_whole_floats_count():
    assert line_count.table([{"path": "a", "lines": 3.0, "seconds": 1}]) == [
        "path         lines    seconds",
        "a                3        1.0",
    ]


def test_no_rows_is_the_header_alone():
    assert line_count.table([]) == ["path         lines    seconds"]


def test_a_count_that_is_not_a_number_fails():
    with pytest.raises(TypeError):
        line_count.table([{"path": "a", "lines": "many", "seconds": 1}])
