"""Unit tests of the trip_stats lookup: the grouping job's exact answer on the controller."""

import pytest
from ansible.errors import AnsibleLookupError
from ansible_collections.picluster.spark.plugins.lookup.trip_stats import LookupModule
from ansible_collections.picluster.spark.plugins.module_utils import trips


def test_returns_one_answer_for_all_paths(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "m1.csv").write_text(trips.trip_line(1, 1))
    (tmp_path / "b.csv").write_text(trips.trip_line(2, 1))
    (result,) = LookupModule().run([str(tmp_path / "a"), str(tmp_path / "b.csv")], variables={})
    assert sorted(result) == [1, 2]
    assert result == trips.stats([trips.trip_line(1, 1), trips.trip_line(2, 1)])


def test_a_missing_path_is_named(tmp_path):
    with pytest.raises(
        AnsibleLookupError, match=f"no such file or directory on the controller: {tmp_path}/nope"
    ):
        LookupModule().run([str(tmp_path / "nope")], variables={})


def test_a_file_that_is_no_trip_csv_is_named(tmp_path):
    (tmp_path / "x.csv").write_text("hello\n")
    with pytest.raises(AnsibleLookupError, match="not a trip CSV"):
        LookupModule().run([str(tmp_path)], variables={})


def test_by_trip_returns_the_totals_over_the_groups(tmp_path):
    (tmp_path / "m1.csv").write_text("".join(trips.trip_line(n, 1) for n in range(1, 6)))
    (tmp_path / "m2.csv").write_text("".join(trips.trip_line(n, 2) for n in range(1, 4)))
    (result,) = LookupModule().run([str(tmp_path)], variables={}, by="trip")
    assert (result["groups"], result["trips"], result["days_total"]) == (5, 8, 8)
    assert result == trips.stats_of_paths([str(tmp_path)], by="trip")


def test_by_trip_names_a_file_out_of_order(tmp_path):
    (tmp_path / "m1.csv").write_text(trips.trip_line(2, 1) + trips.trip_line(1, 1))
    with pytest.raises(AnsibleLookupError, match=r"^trip_stats: .*m1.csv: trip 1 comes after trip 2"):
        LookupModule().run([str(tmp_path)], variables={}, by="trip")


def test_an_unknown_grouping_or_option_is_refused(tmp_path):
    with pytest.raises(AnsibleLookupError, match="by=hour or by=trip \\(got by='day'\\)"):
        LookupModule().run([str(tmp_path)], variables={}, by="day")
    with pytest.raises(AnsibleLookupError, match="got by='hour', fast"):
        LookupModule().run([str(tmp_path)], variables={}, fast=True)
