"""Unit tests of the rolling upgrade's filters and spark_install's pruning."""

import json
import pathlib

import pytest
from ansible_collections.picluster.spark.plugins.filter import upgrade

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"


def recorded(version, name):
    return json.loads((FIXTURES / f"spark-{version}" / name).read_text())


def test_filters_are_registered_under_their_documented_names():
    assert upgrade.FilterModule().filters() == {
        "upgrade_batch_problems": upgrade.batch_problems,
        "upgrade_active_apps": upgrade.active_apps,
        "upgrade_worker_ids": upgrade.worker_ids,
        "upgrade_release_report": upgrade.release_report,
        "spark_install_prune_paths": upgrade.prune_paths,
    }


# batch_problems


@pytest.mark.parametrize("batch", [1, "1", 2, "3", " 3 "])
def test_a_batch_from_one_to_every_worker_is_usable(batch):
    assert upgrade.batch_problems(batch, ["pi1", "pi2", "pi3"]) == []


def test_a_batch_of_zero_is_refused():
    assert upgrade.batch_problems(0, ["pi1", "pi2", "pi3"]) == [
        "picluster_upgrade_batch is 0: at least one worker must restart at a time (1 to 3)"
    ]


def test_a_batch_larger_than_the_cluster_is_refused():
    assert upgrade.batch_problems("5", 4) == [
        "picluster_upgrade_batch is 5 but the cluster has 4 workers: "
        "a batch larger than the cluster is not a rolling upgrade (1 to 4)"
    ]
    assert upgrade.batch_problems(2, ["pi1"]) == [
        "picluster_upgrade_batch is 2 but the cluster has 1 worker: "
        "a batch larger than the cluster is not a rolling upgrade (1 to 1)"
    ]


@pytest.mark.parametrize("batch", ["-1", "50%", "one", "", None, True, 1.5])
def test_a_batch_that_is_no_whole_number_is_refused(batch):
    assert upgrade.batch_problems(batch, ["pi1", "pi2"]) == [
        f"picluster_upgrade_batch must be a whole number of workers from 1 to 2, got '{batch}'"
    ]


# active_apps and worker_ids, on what real masters answered


# An application entry as Spark 3.5's master lists it (JsonProtocol.writeApplicationInfo).
APP = {
    "id": "app-20261201101500-0003",
    "starttime": 1796119500000,
    "name": "group_trips",
    "cores": 16,
    "user": "spark",
    "memoryperexecutor": 474,
    "submitdate": "Tue Dec 01 10:15:00 UTC 2026",
    "state": "RUNNING",
    "duration": 3725000,
}


@pytest.mark.parametrize("version", ["3.5.9", "4.1.4"])
def test_running_applications_are_named_with_their_ids(version):
    doc = recorded(version, "05_three_workers.json")
    doc["activeapps"] = [APP, dict(APP, id="app-20261201101600-0004", name="count")]
    names = ["group_trips (app-20261201101500-0003)", "count (app-20261201101600-0004)"]
    assert upgrade.active_apps({"json": doc, "status": 200}) == names
    assert upgrade.active_apps(doc) == names


@pytest.mark.parametrize("version", ["3.5.9", "4.1.4"])
def test_no_application_and_no_answer_name_none(version):
    assert upgrade.active_apps({"json": recorded(version, "05_three_workers.json")}) == []
    assert upgrade.active_apps({"status": -1, "msg": "refused"}) == []
    assert upgrade.active_apps(None) == []


@pytest.mark.parametrize("version", ["3.5.9", "4.1.4"])
def test_worker_ids_are_every_entry_on_the_address(version):
    doc = recorded(version, "07_worker_reregistered.json")
    on_pi3 = [w for w in doc["workers"] if w["host"] == "127.0.0.4"]
    assert len(on_pi3) == 2  # the DEAD entry and the new registration
    assert upgrade.worker_ids({"json": doc}, "127.0.0.4") == [w["id"] for w in on_pi3]
    assert upgrade.worker_ids({"json": doc}, "10.9.9.9") == []
    assert upgrade.worker_ids({"status": -1}, "127.0.0.4") == []


# prune_paths


def found(*paths):
    return {"files": [{"path": path, "isdir": True} for path in paths], "matched": len(paths)}


def test_releases_beyond_current_and_previous_are_pruned():
    result = found(
        "/opt/spark/spark-3.5.7-bin-hadoop3",
        "/opt/spark/spark-3.5.8-bin-hadoop3",
        "/opt/spark/spark-3.5.9-bin-hadoop3",
        "/opt/spark/spark-3.5.6-bin-hadoop3",
    )
    keep = ["/opt/spark/spark-3.5.9-bin-hadoop3", "/opt/spark/spark-3.5.8-bin-hadoop3/"]
    assert upgrade.prune_paths(result, keep) == [
        "/opt/spark/spark-3.5.6-bin-hadoop3",
        "/opt/spark/spark-3.5.7-bin-hadoop3",
    ]


def test_nothing_is_pruned_when_only_current_and_previous_are_there():
    paths = ["/opt/spark/spark-3.5.9-bin-hadoop3", "/opt/spark/spark-4.1.4-bin-hadoop3"]
    assert upgrade.prune_paths(paths, paths) == []


def test_without_a_previous_release_only_the_current_one_stays():
    paths = ["/opt/spark/spark-3.5.9-bin-hadoop3", "/opt/spark/spark-3.5.8-bin-hadoop3"]
    assert upgrade.prune_paths(paths, ["/opt/spark/spark-3.5.9-bin-hadoop3", ""]) == [
        "/opt/spark/spark-3.5.8-bin-hadoop3"
    ]


def test_what_is_not_a_release_is_never_pruned():
    paths = [
        "/opt/spark/current",
        "/opt/spark/previous",
        "/opt/spark/jars",
        "/opt/spark/.unpack-spark-3.5.9-bin-x",
    ]
    assert upgrade.prune_paths(paths, []) == []


# release_report


def stat(path, exists=True):
    return {"stat": {"exists": exists, "islnk": True, "lnk_source": path, "path": "/opt/spark/current"}}


def test_the_report_names_the_nodes_on_each_release():
    stats = {
        "nuc": stat("/opt/spark/spark-3.5.9-bin-hadoop3"),
        "pi1": stat("/opt/spark/spark-3.5.9-bin-hadoop3"),
        "pi2": stat("/opt/spark/spark-3.5.8-bin-hadoop3"),
        "pi3": stat("/opt/spark/spark-3.5.8-bin-hadoop3"),
        "pi4": {"unreachable": True},
    }
    report = upgrade.release_report(stats, "3.5.9")
    assert report == {
        "on_target": ["nuc", "pi1"],
        "elsewhere": {"3.5.8": ["pi2", "pi3"]},
        "unknown": ["pi4"],
        "lines": [
            "on Spark 3.5.9: nuc, pi1",
            "still on Spark 3.5.8: pi2, pi3",
            "release not readable: pi4",
        ],
    }


def test_the_report_when_every_node_moved():
    report = upgrade.release_report({"nuc": stat("/opt/spark/spark-4.1.4-bin-hadoop3")}, "4.1.4")
    assert report["lines"] == ["on Spark 4.1.4: nuc"]
    assert report["elsewhere"] == {}
