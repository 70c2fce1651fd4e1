"""Unit tests of the cluster_status filters: what playbooks/cluster_status.yml prints and writes.

The master's answers are the recorded Spark 3.5.9 and 4.1.4 bodies (tests/unit/plugins/fixtures),
wrapped as ansible.builtin.uri registers them. The recordings hold no running application, so
the application below is written by hand with the fields of Spark's JsonProtocol.writeApplicationInfo.
"""

import json
import pathlib

import pytest
from ansible_collections.picluster.spark.plugins.filter import cluster_status

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"

# The recordings' three workers registered from 127.0.0.2-4.
LAYOUT = {
    "master": "nuc",
    "workers": ["pi1", "pi2", "pi3"],
    "address_of": {"nuc": "127.0.0.1", "pi1": "127.0.0.2", "pi2": "127.0.0.3", "pi3": "127.0.0.4"},
    "master_url": "spark://127.0.0.1:7077",
    "master_ui": "http://127.0.0.1:8080",
}
EXPECTED = {"cores": 12, "memory_mb": 3072}


def link(target):
    """SPARK_HOME's stat as ansible.builtin.stat registers it for a symlink."""
    return {
        "changed": False,
        "stat": {"exists": True, "islnk": True, "path": "/opt/spark/current", "lnk_source": target},
    }


def hostvars(version="3.5.9"):
    return {
        host: {cluster_status.SPARK_HOME_VAR: link(f"/opt/spark/spark-{version}-bin-hadoop3")}
        for host in LAYOUT["workers"]
    }


def answer(version, name, edit=None):
    """A recorded master body as ansible.builtin.uri registers it (status 200, content)."""
    body = (FIXTURES / f"spark-{version}" / name).read_text()
    if edit is not None:
        doc = json.loads(body)
        edit(doc)
        body = json.dumps(doc)
    return {"status": 200, "content": body, "msg": "OK (unknown bytes)", "changed": False}


@pytest.mark.parametrize("version", ["3.5.9", "4.1.4"])
def test_a_whole_cluster_is_complete(version):
    status = cluster_status.report(
        answer(version, "05_three_workers.json"), LAYOUT, EXPECTED, hostvars(version)
    )
    assert status["complete"] is True
    assert status["problems"] == []
    assert status["missing"] == []
    assert [(w["name"], w["host"], w["state"]) for w in status["workers"]] == [
        ("pi1", "127.0.0.2", "ALIVE"),
        ("pi2", "127.0.0.3", "ALIVE"),
        ("pi3", "127.0.0.4", "ALIVE"),
    ]
    assert {w["spark_version"] for w in status["workers"]} == {version}
    assert status["totals"] == {
        "workers": 3,
        "cores": 12,
        "cores_used": 0,
        "memory_mb": 3072,
        "memory_used_mb": 0,
    }
    assert status["expected"] == {"workers": 3, "cores": 12, "memory_mb": 3072}
    assert status["master"] == {
        "name": "nuc",
        "url": "spark://127.0.0.1:7077",
        "ui": "http://127.0.0.1:8080",
        "history_ui": "",
        "status": "ALIVE",
        "error": None,
    }
    assert status["applications"] == []
    # What cluster_status.yml writes for scripts: plain JSON.
    assert json.loads(json.dumps(status)) == status


def test_a_dead_worker_is_named_and_the_cluster_is_not_complete():
    status = cluster_status.report(answer("3.5.9", "06_worker_dead.json"), LAYOUT, EXPECTED, hostvars())
    assert status["complete"] is False
    assert status["missing"] == ["pi3"]
    assert status["problems"] == [
        "missing or dead workers: pi3 (DEAD)",
        "cores 8 < 12",
        "memory 2048 MB < 3072 MB",
    ]
    assert status["totals"]["workers"] == 2


def test_a_worker_that_registered_again_counts_once_and_its_stale_entry_stays_listed():
    status = cluster_status.report(
        answer("3.5.9", "07_worker_reregistered.json"), LAYOUT, EXPECTED, hostvars()
    )
    assert status["complete"] is True
    assert [(w["name"], w["state"]) for w in status["workers"]] == [
        ("pi1", "ALIVE"),
        ("pi2", "ALIVE"),
        ("pi3", "ALIVE"),
        ("pi3", "DEAD"),
    ]
    assert status["totals"]["cores"] == 12


def test_an_inventory_worker_the_master_never_saw_is_listed_as_missing():
    def drop_pi3(doc):
        doc["workers"] = [w for w in doc["workers"] if w["host"] != "127.0.0.4"]

    status = cluster_status.report(
        answer("4.1.4", "05_three_workers.json", drop_pi3), LAYOUT, EXPECTED, hostvars("4.1.4")
    )
    assert status["problems"][0] == "missing or dead workers: pi3 (not registered)"
    assert status["workers"][-1] == {
        "name": "pi3",
        "host": "127.0.0.4",
        "port": None,
        "id": None,
        "state": "MISSING",
        "cores": 0,
        "cores_used": 0,
        "memory_mb": 0,
        "memory_used_mb": 0,
        "webui": None,
        "spark_version": "4.1.4",
    }


def test_a_recovering_master_is_a_problem():
    status = cluster_status.report(answer("3.5.9", "08_master_recovering.json"), LAYOUT, EXPECTED, hostvars())
    assert status["problems"][:2] == [
        "master status RECOVERING, not ALIVE",
        "missing or dead workers: pi3 (UNKNOWN)",
    ]


def test_a_worker_outside_the_inventory_is_listed_without_a_name_and_sorted_last():
    layout = dict(LAYOUT, workers=["pi1", "pi2"], address_of={"pi1": "127.0.0.2", "pi2": "127.0.0.3"})
    status = cluster_status.report(answer("3.5.9", "05_three_workers.json"), layout, {"cores": 8}, {})
    assert [(w["name"], w["host"], w["spark_version"]) for w in status["workers"]] == [
        ("pi1", "127.0.0.2", None),
        ("pi2", "127.0.0.3", None),
        (None, "127.0.0.4", None),
    ]
    assert status["complete"] is True


def test_a_master_that_refuses_the_connection():
    refused = {
        "status": -1,
        "msg": "Status code was -1 and not [200]: "
        "Request failed: <urlopen error [Errno 111] Connection refused>",
        "failed": True,
    }
    status = cluster_status.report(refused, LAYOUT, EXPECTED, hostvars())
    assert status["complete"] is False
    assert status["problems"] == [
        "no usable answer from the Spark master: connection refused by 127.0.0.1:8080: "
        "is the master running and its web UI on that port?"
    ]
    assert status["master"]["status"] is None
    assert status["workers"] == []
    assert status["missing"] == ["pi1", "pi2", "pi3"]


def test_an_answer_that_is_not_the_masters_json():
    page = {"status": 200, "content": "<html>worker</html>"}
    status = cluster_status.report(page, LAYOUT, EXPECTED)
    assert status["problems"][0].startswith("no usable answer from the Spark master: the answer is not JSON")


@pytest.mark.parametrize(
    ("registered", "version"),
    [
        (link("/opt/spark/spark-3.5.9-bin-hadoop3"), "3.5.9"),
        (link("/opt/spark/spark-4.1.4-bin-hadoop3/"), "4.1.4"),
        (link("/opt/spark/spark-4.0.0-preview2-bin-hadoop3"), "4.0.0-preview2"),
        (
            {"stat": {"exists": True, "islnk": False, "path": "/opt/spark/spark-3.5.1-bin-without-hadoop"}},
            "3.5.1",
        ),
        ({"stat": {"exists": True, "islnk": False, "path": "/opt/spark/current"}}, None),
        ({"stat": {"exists": False}}, None),
        ({"unreachable": True, "msg": "Failed to connect"}, None),
        ({"failed": True, "msg": "Permission denied"}, None),
        (None, None),
    ],
)
def test_spark_version_from_where_spark_home_points(registered, version):
    assert cluster_status.spark_version(registered) == version


APP = {
    "id": "app-20261201101500-0003",
    "starttime": 1796119500000,
    "name": "group_trips",
    "cores": 16,
    "user": "spark",
    "memoryperexecutor": 474,
    "memoryperslave": 474,
    "resourcesperexecutor": [],
    "resourcesperslave": [],
    "submitdate": "Tue Dec 01 10:15:00 UTC 2026",
    "state": "RUNNING",
    "duration": 3725000,
}


def test_running_applications_and_what_they_use():
    def busy(doc):
        doc["activeapps"] = [
            APP,
            dict(APP, id="app-2", starttime=1796119400000, duration=42000, name="count"),
        ]
        for w in doc["workers"]:
            w["coresused"], w["memoryused"] = 4, 474

    status = cluster_status.report(
        answer("3.5.9", "05_three_workers.json", busy), LAYOUT, EXPECTED, hostvars()
    )
    assert status["applications"] == [
        {
            "id": "app-2",
            "name": "count",
            "user": "spark",
            "state": "RUNNING",
            "cores": 16,
            "memory_per_executor_mb": 474,
            "started": "2026-12-01T10:03:20+00:00",
            "duration_ms": 42000,
            "duration": "42s",
        },
        {
            "id": "app-20261201101500-0003",
            "name": "group_trips",
            "user": "spark",
            "state": "RUNNING",
            "cores": 16,
            "memory_per_executor_mb": 474,
            "started": "2026-12-01T10:05:00+00:00",
            "duration_ms": 3725000,
            "duration": "1h02m",
        },
    ]
    assert status["totals"]["cores_used"] == 12
    assert status["totals"]["memory_used_mb"] == 3 * 474


def test_memory_per_executor_from_the_old_field_name():
    def old(doc):
        doc["activeapps"] = [{k: v for k, v in APP.items() if k != "memoryperexecutor"}]

    status = cluster_status.report(
        answer("3.5.9", "05_three_workers.json", old), LAYOUT, EXPECTED, hostvars()
    )
    assert status["applications"][0]["memory_per_executor_mb"] == 474


@pytest.mark.parametrize(
    ("ms", "text"), [(0, "0s"), (59999, "59s"), (60000, "1m00s"), (3599000, "59m59s"), (7260000, "2h01m")]
)
def test_durations(ms, text):
    assert cluster_status._duration(ms) == text


def test_table_of_a_whole_cluster():
    status = cluster_status.report(answer("3.5.9", "05_three_workers.json"), LAYOUT, EXPECTED, hostvars())
    assert cluster_status.table(status) == [
        "WORKER   ADDRESS          STATE     CORES          MEMORY  SPARK",
        "pi1      127.0.0.2        ALIVE       0/4       0/1024 MB  3.5.9",
        "pi2      127.0.0.3        ALIVE       0/4       0/1024 MB  3.5.9",
        "pi3      127.0.0.4        ALIVE       0/4       0/1024 MB  3.5.9",
        "total    3 of 3 ALIVE                0/12       0/3072 MB",
        "expected 3 workers                     12         3072 MB",
        "",
        "no running applications",
        "master ALIVE at spark://127.0.0.1:7077; web UI http://127.0.0.1:8080",
        "complete: every worker of the inventory is ALIVE with the expected cores and memory",
    ]


def test_table_names_the_history_server_before_the_verdict():
    layout = dict(LAYOUT, history_ui="http://127.0.0.1:18080")
    status = cluster_status.report(answer("3.5.9", "05_three_workers.json"), layout, EXPECTED, hostvars())
    assert status["master"]["history_ui"] == "http://127.0.0.1:18080"
    assert cluster_status.table(status)[-3:] == [
        "master ALIVE at spark://127.0.0.1:7077; web UI http://127.0.0.1:8080",
        "past applications: history server http://127.0.0.1:18080",
        "complete: every worker of the inventory is ALIVE with the expected cores and memory",
    ]


def test_table_with_an_application_and_a_dead_worker():
    def busy(doc):
        doc["activeapps"] = [APP]

    status = cluster_status.report(answer("3.5.9", "06_worker_dead.json", busy), LAYOUT, EXPECTED, {})
    lines = cluster_status.table(status)
    assert lines[3] == "pi3      127.0.0.4        DEAD        0/4       0/1024 MB  ?"
    assert lines[7:9] == [
        "APPLICATION          ID                         CORES MEM/EXECUTOR STATE     DURATION",
        "group_trips          app-20261201101500-0003       16       474 MB RUNNING   1h02m",
    ]
    assert lines[-1] == (
        "NOT COMPLETE: missing or dead workers: pi3 (DEAD); cores 8 < 12; memory 2048 MB < 3072 MB"
    )


def test_table_of_a_master_that_never_answered():
    status = cluster_status.report({"status": -1, "msg": "timed out"}, LAYOUT, EXPECTED)
    lines = cluster_status.table(status)
    assert lines[1] == "total    0 of 3 ALIVE                 0/0          0/0 MB"
    assert lines[-2] == "master - at spark://127.0.0.1:7077; web UI http://127.0.0.1:8080"
    assert lines[-1] == (
        "NOT COMPLETE: no usable answer from the Spark master: "
        "127.0.0.1:8080 did not answer in time (timed out)"
    )


def test_filters_are_registered_under_their_documented_names():
    assert cluster_status.FilterModule().filters() == {
        "cluster_status_report": cluster_status.report,
        "cluster_status_table": cluster_status.table,
    }
