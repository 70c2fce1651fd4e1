"""The spark_memory_mb filter: the module's parser, with Ansible's filter error."""

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.picluster.spark.plugins.filter import spark_memory
from ansible_collections.picluster.spark.plugins.module_utils import spark_memory as parser


def test_filter_is_registered_under_its_documented_name():
    filters = spark_memory.FilterModule().filters()
    assert list(filters) == ["spark_memory_mb"]
    assert filters["spark_memory_mb"] is spark_memory.spark_memory_mb


@pytest.mark.parametrize("value", ["4g", "512m", "4096M", 1024, "1024", "1t", "3g"])
def test_filter_and_module_parser_agree(value):
    assert spark_memory.spark_memory_mb(value) == parser.parse_memory_mb(value)


def test_filter_values():
    assert [spark_memory.spark_memory_mb(v) for v in ("4g", "512m", 1024)] == [4096, 512, 1024]


@pytest.mark.parametrize("value", ["1.5g", "four", -2, None])
def test_filter_fails_with_the_parser_message(value):
    with pytest.raises(AnsibleFilterError) as caught:
        spark_memory.spark_memory_mb(value)
    assert str(caught.value).startswith("spark_memory_mb: ")
    assert "use a whole number of MB or Spark notation" in str(caught.value)


def test_filter_runs_in_a_play_by_its_full_name(ansible_debug):
    out = ansible_debug(
        "{{ ['4g', '512m', 1024, '1t'] | map('picluster.spark.spark_memory_mb') | join(',') }}"
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert '"msg": "4096,512,1024,1048576"' in out.stdout


def test_filter_error_fails_the_task(ansible_debug):
    out = ansible_debug("{{ '1.5g' | picluster.spark.spark_memory_mb }}")
    assert out.returncode != 0
    assert "spark_memory_mb: cannot read memory size '1.5g'" in out.stdout + out.stderr
