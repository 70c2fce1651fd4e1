"""Unit tests of the measure_problems lookup: the measurement's bad inputs, read on the controller."""

import pytest
from ansible.errors import AnsibleLookupError
from ansible_collections.picluster.spark.plugins.lookup.measure_problems import LookupModule


def run(**kwargs):
    return LookupModule().run([], variables={}, **kwargs)


def test_good_inputs_give_an_empty_list(tmp_path):
    assert run(size_mb=64, output_dir=str(tmp_path / "o"), work_dir=str(tmp_path / "w"), path="/data/m") == [
        []
    ]


def test_a_zero_size_and_a_missing_source_are_named(tmp_path):
    assert run(size_mb="0", output_dir=str(tmp_path), work_dir=str(tmp_path), path="/data/m") == [
        ["measure_size_mb must be a number of MB above 0 (got '0')"]
    ]
    assert run(source=str(tmp_path / "nope"), output_dir=str(tmp_path), path="/data/m") == [
        [f"measure_source {tmp_path}/nope does not exist on the controller"]
    ]


def test_the_share_path_counts_only_with_the_share_on(tmp_path):
    common = {"size_mb": 1, "output_dir": str(tmp_path), "work_dir": str(tmp_path), "path": "/data/m"}
    assert run(nfs=False, nfs_path="", **common) == [[]]
    assert run(nfs=True, nfs_path="share", **common) == [
        ["measure_nfs_path must be an absolute directory on the share (got 'share')"]
    ]


def test_an_unknown_keyword_is_refused():
    with pytest.raises(AnsibleLookupError, match=r"keywords \['size'\]"):
        run(size=1)
