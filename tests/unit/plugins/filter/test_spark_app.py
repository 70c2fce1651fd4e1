"""Unit tests of the spark_app filters: the application plan, OnCalendar expressions, the
application id in a driver's output, the run record and the run table."""

import json

import pytest
from ansible_collections.picluster.spark.plugins.filter import spark_app

DEFAULTS = {
    "py_files": "",
    "main_class": "",
    "args": [],
    "datasets": [],
    "executor_memory": "",
    "executor_cores": 0,
    "timeout": 3600,
    "schedule": "",
    "state": "present",
}
# Two Pi 3 workers, as the memory budget sizes them.
OFFERS = [{"host": "pi1", "memory_mb": 474, "cores": 4}, {"host": "pi2", "memory_mb": 474, "cores": 4}]


def plan(*apps, datasets=("taxi",), offers=OFFERS):
    return spark_app.spark_app_plan(list(apps), "/opt/spark-apps", list(datasets), offers, DEFAULTS)


def test_filters_are_registered_under_their_documented_names():
    assert spark_app.FilterModule().filters() == {
        "spark_app_plan": spark_app.spark_app_plan,
        "spark_app_calendar_problems": spark_app.spark_app_calendar_problems,
        "spark_app_id": spark_app.spark_app_id,
        "spark_app_run_record": spark_app.spark_app_run_record,
        "spark_app_runs_table": spark_app.spark_app_runs_table,
    }


def test_a_pyspark_application_gets_its_paths_and_options():
    result = plan(
        {
            "name": "count",
            "src": "/home/pi/apps/count.py",
            "py_files": "/home/pi/apps/lib.zip",
            "datasets": ["taxi"],
            "executor_memory": "400m",
            "executor_cores": 2,
            "schedule": "*-*-* 00/4:00",
        }
    )
    assert result["problems"] == []
    (app,) = result["applications"]
    assert app["kind"] == "python"
    assert app["dir"] == "/opt/spark-apps/count"
    assert app["path"] == "/opt/spark-apps/count/count.py"
    assert app["py_files_path"] == "/opt/spark-apps/count/lib.zip"
    assert app["files"] == ["/home/pi/apps/count.py", "/home/pi/apps/lib.zip"]
    assert app["timeout"] == 3600
    assert app["submit_options"] == [
        "--py-files",
        "/opt/spark-apps/count/lib.zip",
        "--executor-memory",
        "400m",
        "--conf",
        "spark.executor.cores=2",
    ]


def test_a_jar_application_starts_its_main_class():
    result = plan({"name": "pi", "src": "/apps/pi.jar", "main_class": "org.example.Pi", "args": [10]})
    assert result["problems"] == []
    (app,) = result["applications"]
    assert app["kind"] == "jar"
    assert app["args"] == ["10"]
    assert app["submit_options"] == ["--class", "org.example.Pi"]


def test_a_jar_without_main_class_is_refused():
    (problem,) = plan({"name": "pi", "src": "/apps/pi.jar"})["problems"]
    assert "(pi): a JAR needs main_class" in problem


@pytest.mark.parametrize(
    ("app", "expected"),
    [
        ({"name": "a", "src": "/apps/a.sh"}, "src must be a PySpark .py file or a .jar"),
        ({"name": "a", "src": "apps/a.py"}, "src must be an absolute path on the controller"),
        ({"name": "a b", "src": "/apps/a.py"}, "name must be letters, digits"),
        ({"name": "a", "src": "/apps/a.py", "state": "gone"}, "state must be present or absent"),
        ({"name": "a", "src": "/apps/a.py", "timeout": 0}, "timeout must be at least 1"),
        ({"name": "a", "src": "/apps/a.py", "timeout": "soon"}, "timeout must be a whole number"),
        ({"name": "a", "src": "/apps/a.py", "colour": "red"}, "unknown key(s) colour"),
        ({"name": "a", "src": "/apps/a.py", "main_class": "x.Y"}, "main_class is for JARs"),
        ({"name": "a", "src": "/apps/a.py", "executor_memory": "lots"}, "executor_memory"),
        ({"name": "a", "src": "/apps/a.py", "datasets": "taxi"}, "datasets must be a list"),
    ],
)
def test_bad_declarations_are_named(app, expected):
    problems = plan(app)["problems"]
    assert any(expected in p for p in problems), problems


def test_an_undeclared_dataset_is_named_with_the_declared_ones():
    (problem,) = plan({"name": "a", "src": "/apps/a.py", "datasets": ["taxi", "weather"]})["problems"]
    assert (
        problem
        == "spark_app_applications[0] (a): dataset(s) weather not in data_sync_datasets (declared: taxi)"
    )


def test_an_executor_larger_than_any_worker_offers_is_refused():
    (problem,) = plan({"name": "a", "src": "/apps/a.py", "executor_memory": "1g"})["problems"]
    assert "an executor of 1024 MB and 1 core(s) is larger than any worker offers" in problem
    assert "at most 474 MB and 4 cores" in problem
    (problem,) = plan({"name": "a", "src": "/apps/a.py", "executor_cores": 8})["problems"]
    assert "0 MB and 8 core(s)" in problem


def test_an_executor_one_worker_offers_passes():
    offers = [*OFFERS, {"host": "pi4", "memory_mb": 2210, "cores": 4}]
    assert plan({"name": "a", "src": "/apps/a.py", "executor_memory": "2g"}, offers=offers)["problems"] == []


def test_no_offers_known_skips_the_resource_check():
    assert plan({"name": "a", "src": "/apps/a.py", "executor_memory": "64g"}, offers=[])["problems"] == []


def test_a_name_used_twice_is_refused():
    problems = plan({"name": "a", "src": "/apps/a.py"}, {"name": "a", "src": "/apps/b.py"})["problems"]
    assert problems == ["spark_app_applications: name(s) a used more than once"]


def test_a_bad_schedule_is_named_with_its_application():
    problems = plan({"name": "a", "src": "/apps/a.py", "schedule": "every 4 hours"})["problems"]
    assert problems[0].startswith("spark_app_applications[0] (a): schedule 'every 4 hours': 'every'")


@pytest.mark.parametrize(
    "expression",
    [
        "daily",
        "hourly",
        "weekly",
        "*-*-* 00/4:00",
        "*-*-* 00/4:00:00",
        "Mon..Fri 08:00",
        "Sat,Sun *-*-* 10:30",
        "*:0/15",
        "2026-12-24 18:00:00 UTC",
        "*-12-~1 12:00",
        "12-24",
        "Mon *-*-* 00:00:00 Europe/Berlin",
        "*-*-* 1,7,13,19:00",
        "*-*-* 08..18/2:00",
        "*-*-* 00:00:30.5",
    ],
)
def test_calendar_expressions_systemd_accepts_pass(expression):
    assert spark_app.spark_app_calendar_problems(expression) == []


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("", "the schedule is empty"),
        ("every 4 hours", "'every' is no weekday, date, time or timezone here"),
        ("*-*-* 25:00", "hour 25 is outside 0..23"),
        ("*-*-* 10:61", "minute 61 is outside 0..59"),
        ("*-13-01", "month 13 is outside 1..12"),
        ("*-*-* 00/0:00", "the repetition after '/' must be a whole number above 0"),
        ("Funday 10:00", "'Funday' is no weekday"),
        ("Mon..Funday 10:00", "weekday 'Mon..Funday' is not a day name"),
        ("*-*-* 10", "'10' is no weekday, date, time or timezone here"),
        ("*-*-* 18..08:00", "hour range '18..08' runs backwards"),
        ("1-2-3-4 10:00", "date '1-2-3-4' is not [YEAR-]MONTH-DAY"),
        ("*-*-* 10:x", "minute 'x' is not a number"),
        ("1:2:3:4", "time '1:2:3:4' is not HOUR:MINUTE[:SECOND]"),
    ],
)
def test_calendar_expressions_systemd_refuses_are_named(expression, expected):
    problems = spark_app.spark_app_calendar_problems(expression)
    assert any(expected in p for p in problems), problems


DRIVER = [
    "26/12/02 01:10:00 INFO SparkContext: Running Spark version 3.5.9",
    "26/12/02 01:10:03 INFO Executor: see app-20261202011002-0001-old in an unrelated line",
    "26/12/02 01:10:03 INFO StandaloneSchedulerBackend: Connected to Spark cluster with app ID "
    "app-20261202011003-0004",
    "APP_RESULT 42",
]


def test_the_app_id_comes_from_the_drivers_connect_line():
    assert spark_app.spark_app_id(DRIVER) == "app-20261202011003-0004"
    assert spark_app.spark_app_id("\n".join(DRIVER)) == "app-20261202011003-0004"


def test_without_the_connect_line_any_app_id_is_taken_and_none_is_empty():
    assert spark_app.spark_app_id(["x app-20261202011003-0007 y"]) == "app-20261202011003-0007"
    assert spark_app.spark_app_id(["Error: no such file", "app-2026"]) == ""
    assert spark_app.spark_app_id([]) == ""


def test_a_succeeded_run_is_recorded_with_its_app_id_and_bytes():
    submit = {"rc": 0, "stderr_lines": DRIVER[:3], "stdout_lines": ["APP_RESULT 42"]}
    record = spark_app.spark_app_run_record(
        submit, "count", 1796174400, 1796174431.26, 600, bytes_synced=2048
    )
    assert record == {
        "application": "count",
        "start": "2026-12-02T01:20:00Z",
        "end": "2026-12-02T01:20:31Z",
        "seconds": 31.3,
        "state": "succeeded",
        "app_id": "app-20261202011003-0004",
        "exit_code": 0,
        "bytes_synced": 2048,
    }
    # One JSON line in the history.
    assert "\n" not in json.dumps(record)


def test_a_failed_job_is_recorded_failed():
    record = spark_app.spark_app_run_record(
        {"rc": 1, "stderr_lines": ["Path does not exist"]}, "a", 0, 12, 600
    )
    assert (record["state"], record["exit_code"], record["app_id"]) == ("failed", 1, "")


@pytest.mark.parametrize("rc", [124, 137])
def test_a_job_stopped_at_its_time_limit_is_timed_out(rc):
    assert spark_app.spark_app_run_record({"rc": rc}, "a", 0, 61, 60)["state"] == "timed_out"


def test_exit_137_before_the_limit_is_a_failure_not_a_timeout():
    # The kernel's OOM kill also ends a process with 137.
    assert spark_app.spark_app_run_record({"rc": 137}, "a", 0, 20, 60)["state"] == "failed"


def test_ansibles_own_task_timeout_is_timed_out():
    submit = {"failed": True, "msg": "The command action failed to execute in the expected time frame (90)"}
    assert spark_app.spark_app_run_record(submit, "a", 0, 90, 60)["state"] == "timed_out"


def test_a_run_whose_sync_failed_is_recorded_failed_with_the_reason():
    record = spark_app.spark_app_run_record(None, "a", 0, 5, 60, error="the data sync failed on pi2")
    assert record["state"] == "failed"
    assert record["exit_code"] is None
    assert record["error"] == "the data sync failed on pi2"


HISTORY = "\n".join(
    [
        json.dumps(
            spark_app.spark_app_run_record(
                {"rc": 0, "stdout_lines": DRIVER}, "count", 0, 30, 60, bytes_synced=10
            )
        ),
        "not json, a line cut short",
        json.dumps(spark_app.spark_app_run_record({"rc": 1}, "other", 100, 105, 60)),
        json.dumps(spark_app.spark_app_run_record({"rc": 124}, "count", 200, 262, 60)),
    ]
)


def test_the_table_shows_the_last_runs_in_order():
    lines = spark_app.spark_app_runs_table(HISTORY, 2)
    assert lines[0].split() == [
        "application",
        "start",
        "seconds",
        "state",
        "app",
        "id",
        "exit",
        "bytes",
        "synced",
    ]
    assert lines[1].split() == ["other", "1970-01-01T00:01:40Z", "5.0", "failed", "-", "1", "0"]
    assert lines[2].split() == ["count", "1970-01-01T00:03:20Z", "62.0", "timed_out", "-", "124", "0"]
    assert len(lines) == 3


def test_the_table_of_one_application_and_of_none():
    lines = spark_app.spark_app_runs_table(HISTORY, 10, "count")
    assert [line.split()[0] for line in lines[1:]] == ["count", "count"]
    assert "app-20261202011003-0004" in lines[1]
    assert spark_app.spark_app_runs_table("", 5)[1] == "(no runs recorded yet)"
