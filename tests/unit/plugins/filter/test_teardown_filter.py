"""Unit tests of the teardown filters: which hosts it may touch and what each role's absent
path removes."""

import pytest
from ansible_collections.picluster.spark.plugins.filter import teardown

GROUPS = {
    "all": ["nuc", "pi1", "pi2"],
    "spark_master": ["nuc"],
    "spark_workers": ["pi1", "pi2"],
    "spark_cluster": ["nuc", "pi1", "pi2"],
}


def test_filters_are_registered_under_their_documented_names():
    assert teardown.FilterModule().filters() == {
        "teardown_host_problems": teardown.host_problems,
        "spark_install_absent_paths": teardown.spark_install_paths,
        "spark_service_absent_paths": teardown.service_paths,
        "data_sync_absent_paths": teardown.data_sync_paths,
    }


# host_problems


@pytest.mark.parametrize("play_hosts", [["nuc", "pi1", "pi2"], ["pi1"], []])
def test_the_cluster_or_part_of_it_may_be_torn_down(play_hosts):
    assert teardown.host_problems(play_hosts, GROUPS) == []


def test_a_host_outside_the_groups_is_refused_by_name():
    groups = dict(GROUPS, all=[*GROUPS["all"], "nas", "laptop"])
    problems = teardown.host_problems(["nuc", "nas", "pi1", "laptop"], groups)
    assert problems == [
        "nas, laptop are in none of the cluster's groups (spark_master, spark_workers, spark_cluster): "
        "the teardown removes Spark from the cluster's nodes only. Take the host out of the inventory, "
        "or run with --limit spark_cluster"
    ]


def test_one_outsider_is_named_in_the_singular():
    assert teardown.host_problems(["nas"], GROUPS)[0].startswith("nas is in none of the cluster's groups")


@pytest.mark.parametrize(("masters", "named"), [([], "0: none"), (["nuc", "pi1"], "2: nuc, pi1")])
def test_the_inventory_needs_one_master(masters, named):
    groups = dict(GROUPS, spark_master=masters)
    assert teardown.host_problems(["pi2"], groups) == [
        f"the inventory needs exactly one host in spark_master (it has {named})"
    ]


def test_a_worker_outside_spark_cluster_is_refused():
    groups = dict(GROUPS, spark_cluster=["nuc", "pi1"])
    problems = teardown.host_problems(["nuc", "pi1", "pi2"], groups)
    assert len(problems) == 1
    assert problems[0].startswith("pi2 is in spark_master or spark_workers but not in spark_cluster")


def test_missing_groups_are_problems_not_errors():
    assert teardown.host_problems(["x"], {"all": ["x"]}) == [
        "x is in none of the cluster's groups (spark_master, spark_workers, spark_cluster): the teardown "
        "removes Spark from the cluster's nodes only. Take the host out of the inventory, or run with "
        "--limit spark_cluster",
        "the inventory needs exactly one host in spark_master (it has 0: none)",
    ]


# spark_install_paths


def test_spark_install_removes_releases_link_script_and_staged_archives():
    assert teardown.spark_install_paths(
        "/opt/spark", "/opt/spark/current", "/etc/profile.d/spark.sh", "/var/tmp", "/opt/spark/previous"
    ) == {
        "paths": ["/opt/spark/current", "/opt/spark/previous", "/etc/profile.d/spark.sh"],
        "patterns": [
            "/opt/spark/spark-*-bin-*",
            "/opt/spark/.unpack-spark-*-bin-*",
            "/opt/spark/.replaced-spark-*-bin-*",
            "/var/tmp/spark-*-bin-*.tgz",
        ],
        "empty_dirs": ["/opt/spark"],
    }


def test_spark_install_home_outside_the_root_is_removed_too():
    paths = teardown.spark_install_paths("/srv/spark", "/usr/local/spark", "/etc/profile.d/spark.sh", "/tmp")
    assert paths["paths"] == ["/usr/local/spark", "/etc/profile.d/spark.sh"]
    assert paths["empty_dirs"] == ["/srv/spark"]


# service_paths


def test_a_worker_loses_its_unit_drop_ins_properties_and_directories():
    assert teardown.service_paths(
        "/etc/systemd/system/spark-worker.service",
        "/etc/spark/spark-worker.conf",
        ["/var/lib/spark/work", "/var/lib/spark/local", "/var/lib/spark/work"],
    ) == {
        "paths": [
            "/etc/systemd/system/spark-worker.service",
            "/etc/systemd/system/spark-worker.service.d",
            "/etc/spark/spark-worker.conf",
            "/var/lib/spark/work",
            "/var/lib/spark/local",
        ],
        "empty_dirs": ["/etc/spark"],
    }


def test_the_master_keeps_its_working_directory():
    paths = teardown.service_paths("/etc/systemd/system/spark-master.service", "/etc/spark/spark-master.conf")
    assert "/var/lib/spark" not in paths["paths"]
    assert len(paths["paths"]) == 3


# data_sync_paths


def dataset(name, dest, src="/srv/src", src_on="controller"):
    return {"name": name, "dest": dest, "src": src, "src_on": src_on}


DATASETS = [
    dataset("taxi", "/data/taxi"),
    dataset("logs", "/data/logs", src="/data/logs/", src_on="master"),
    dataset("inner", "/srv/raw/inner", src="/srv/raw", src_on="master"),
    dataset("outer", "/srv/all", src="/srv/all/part", src_on="master"),
    dataset("copied", "/data/copied", src="/srv/elsewhere", src_on="master"),
]


@pytest.mark.parametrize("host", ["nuc", "pi1"])
def test_without_remove_data_only_the_holding_directories_go(host):
    assert teardown.data_sync_paths(DATASETS, host, "nuc", False, ".data-sync-partial") == {
        "paths": [
            "/data/taxi/.data-sync-partial",
            "/data/logs/.data-sync-partial",
            "/srv/raw/inner/.data-sync-partial",
            "/srv/all/.data-sync-partial",
            "/data/copied/.data-sync-partial",
        ],
        "kept": [],
    }


def test_remove_data_spares_the_masters_own_sources():
    assert teardown.data_sync_paths(DATASETS, "nuc", "nuc", True, ".p") == {
        "paths": ["/data/taxi", "/data/copied"],
        "kept": ["/data/logs", "/srv/raw/inner", "/srv/all"],
    }


def test_remove_data_removes_every_copy_on_a_worker():
    assert teardown.data_sync_paths(DATASETS, "pi1", "nuc", True, ".p") == {
        "paths": ["/data/taxi", "/data/logs", "/srv/raw/inner", "/srv/all", "/data/copied"],
        "kept": [],
    }


def test_no_datasets_remove_nothing():
    assert teardown.data_sync_paths([], "nuc", "nuc", True, ".p") == {"paths": [], "kept": []}
