"""The spark_memory_budget filter: the module_utils budget, with Ansible's filter error."""

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.picluster.spark.plugins.filter import spark_memory_budget as flt
from ansible_collections.picluster.spark.plugins.module_utils.spark_memory_budget import memory_budget


def test_filter_is_registered_under_its_documented_name():
    filters = flt.FilterModule().filters()
    assert list(filters) == ["spark_memory_budget", "spark_worker_budget"]
    assert filters["spark_memory_budget"] is flt.spark_memory_budget
    assert filters["spark_worker_budget"] is flt.spark_worker_budget


def test_worker_budget_reads_the_roles_inputs_as_the_role_names_them():
    inputs = {
        "spark_worker_node_memory_mb": "906",
        "spark_worker_node_cores": 4,
        "spark_worker_cores": 0,
        "spark_worker_memory": "",
        "ansible_facts": {"memtotal_mb": 24105, "processor_nproc": 2},
    }
    assert flt.spark_worker_budget(inputs, "pi1") == memory_budget(906, 4, host="pi1")
    assert flt.spark_worker_budget(
        {"ansible_facts": {"memtotal_mb": 906, "processor_vcpus": 4}}
    ) == memory_budget(906, 4)


def test_worker_budget_refuses_a_user_value_with_the_arithmetic():
    inputs = {
        "spark_worker_node_memory_mb": 906,
        "spark_worker_node_cores": 4,
        "spark_worker_memory": "1g",
        "spark_worker_daemon_memory": "256m",
    }
    assert flt.spark_worker_budget(inputs, "pi2")["problems"] == [
        "pi2: executor 1024 MB + its JVM overhead 144 MB + worker daemon 256 MB + its JVM overhead 80 MB"
        " + Python 0 MB + OS 80 MB = 1584 MB > 906 MB RAM"
    ]


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({}, r"^spark_worker_budget: pi1: the node's RAM is unknown: set spark_worker_node_memory_mb"),
        (
            {"spark_worker_node_memory_mb": 906},
            r"^spark_worker_budget: pi1: the node's CPU count is unknown: set "
            r"spark_worker_node_cores",
        ),
        (
            {
                "spark_worker_node_memory_mb": 906,
                "spark_worker_node_cores": 4,
                "spark_worker_executor_cores": "two",
            },
            r"^spark_worker_budget: pi1: spark_worker_executor_cores 'two' is not a whole number of cores$",
        ),
    ],
)
def test_worker_budget_errors_name_the_host_and_the_input(inputs, message):
    with pytest.raises(AnsibleFilterError, match=message):
        flt.spark_worker_budget(inputs, "pi1")


@pytest.mark.parametrize(
    ("ram", "cores", "overrides"),
    [(906, 4, None), (3796, 4, {"executor_memory": "1g"}), (15820, 8, {"executor_cores": 2})],
)
def test_filter_and_module_utils_agree(ram, cores, overrides):
    assert flt.spark_memory_budget(ram, cores, host="h", overrides=overrides) == memory_budget(
        ram, cores, host="h", overrides=overrides
    )


def test_a_value_that_does_not_fit_is_a_problem_not_an_error():
    problems = flt.spark_memory_budget(906, 4, host="pi2", overrides={"executor_memory": "1g"})["problems"]
    assert problems == [
        "pi2: executor 1024 MB + its JVM overhead 144 MB + worker daemon 128 MB + its JVM overhead 80 MB"
        " + Python 0 MB + OS 80 MB = 1456 MB > 906 MB RAM"
    ]


@pytest.mark.parametrize(
    ("host", "prefix"), [("pi2", "spark_memory_budget (pi2): "), ("", "spark_memory_budget: ")]
)
def test_unreadable_input_fails_with_the_module_utils_message(host, prefix):
    with pytest.raises(AnsibleFilterError) as caught:
        flt.spark_memory_budget(906, 4, host=host, overrides={"executor_memory": "1.5g"})
    assert str(caught.value).startswith(prefix + "executor_memory: cannot read memory size '1.5g'")


def test_filter_runs_in_a_play_by_its_full_name(ansible_debug):
    out = ansible_debug(
        "{{ (906 | picluster.spark.spark_memory_budget(4, host='pi1',"
        " overrides={'executor_memory': none})).worker_memory }},"
        "{{ ('16g' | picluster.spark.spark_memory_budget('8')).executors }},"
        "{{ (906 | picluster.spark.spark_memory_budget(4, overrides={'executor_cores': 8})).problems"
        " | length }}"
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert '"msg": "474m,2,1"' in out.stdout


def test_filter_error_fails_the_task(ansible_debug):
    out = ansible_debug(
        "{{ 906 | picluster.spark.spark_memory_budget(4, overrides={'executor_mem': '1g'}) }}"
    )
    assert out.returncode != 0
    assert "spark_memory_budget: unknown override(s) executor_mem" in out.stdout + out.stderr
