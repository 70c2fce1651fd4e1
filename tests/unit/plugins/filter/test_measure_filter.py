"""Unit tests of the measure filters (plugins/filter/measure.py): registered names, the NFS row
planned only with the share on, and a missing job result as a filter error naming it."""

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.picluster.spark.plugins.filter import measure
from ansible_collections.picluster.spark.plugins.module_utils import measure as measure_utils


def test_filters_are_registered_under_their_documented_names():
    assert measure.FilterModule().filters() == {
        "measure_plan": measure.measure_plan,
        "measure_rows": measure.measure_rows,
        "measure_table": measure.measure_table,
    }


@pytest.mark.parametrize(("nfs", "expected"), [(True, True), ("yes", True), (False, False), ("", False)])
def test_the_nfs_line_count_is_planned_when_the_share_is_on(nfs, expected):
    plan = measure.measure_plan("/data/m", "/srv/spark-share/m", nfs)
    names = [step["name"] for step in plan["steps"]]
    assert (measure_utils.LINE_COUNT_NFS in names) is expected
    assert plan["line_count_nfs_path"] == ("/srv/spark-share/m" if expected else "")


def test_rows_and_table_through_the_filters():
    plan = measure.measure_plan("/data/m")
    rows = measure.measure_rows(
        plan, [{"path": "file:///data/m", "lines": 10, "seconds": 1.0}], {"seconds": 2.0}, {"nuc": 1048576}
    )
    assert [row["mb_per_s"] for row in rows] == [1.0, 0.5]
    assert measure.measure_table(rows)[1].startswith("line count, local copies ")


def test_a_missing_result_is_a_filter_error():
    with pytest.raises(AnsibleFilterError, match="measure_rows: group trips, local copies: the grouping job"):
        measure.measure_rows(
            measure.measure_plan("/data/m"),
            [{"path": "/data/m", "lines": 1, "seconds": 1}],
            {},
            {"nuc": 1},
        )
