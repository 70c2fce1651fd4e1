"""Unit tests of the spark_history filter: the history server's inputs the role's pre-flight
refuses, each named in a sentence."""

import pytest
from ansible_collections.picluster.spark.plugins.filter import spark_history

GOOD = {
    "ui_port": 18080,
    "events_dir": "/var/lib/spark/events",
    "max_age": "14d",
    "max_num": 200,
    "update_interval": "10s",
    "bind_address": "192.168.1.10",
    # What cluster_spark_ports returns for the roles' defaults, less the history server's own.
    "taken_ports": [
        {"name": "master", "port": 7077, "last": 7077},
        {"name": "master_ui", "port": 8080, "last": 8080},
        {"name": "driver", "port": 40000, "last": 40016},
        {"name": "ui", "port": 4040, "last": 4056},
    ],
}


def problems(**changed):
    return spark_history.history_problems(dict(GOOD, **changed))


def test_filter_is_registered_under_its_documented_name():
    filters = spark_history.FilterModule().filters()
    assert filters == {"spark_history_problems": spark_history.history_problems}


@pytest.mark.parametrize(
    "changed",
    [
        {},
        {"ui_port": "18080"},  # digits as text, from a template
        {"ui_port": 1024},
        {"ui_port": 65535},
        {"events_dir": "/srv/spark-events/"},
        {"events_dir": "/data/history.d/events_1"},
        {"max_age": "12h", "update_interval": "500ms"},
        {"max_age": "30min", "update_interval": "1m"},
        {"max_num": "1"},
        {"bind_address": "fd00::10"},
        {"taken_ports": []},
    ],
)
def test_usable_inputs(changed):
    assert problems(**changed) == []


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        ({"ui_port": 70000}, "spark_history_ui_port 70000 must be a port within 1024-65535"),
        ({"ui_port": 80}, "spark_history_ui_port 80 must be a port within 1024-65535"),
        ({"ui_port": "http"}, "spark_history_ui_port 'http' must be a port within 1024-65535"),
        ({"ui_port": True}, "spark_history_ui_port True must be a port within 1024-65535"),
        ({"ui_port": 8080}, "spark_history_ui_port 8080 is taken by master_ui (8080-8080); pick another"),
        ({"ui_port": 4050}, "spark_history_ui_port 4050 is taken by ui (4040-4056); pick another"),
        ({"events_dir": "spark/events"}, "spark_history_events_dir 'spark/events' must be an absolute path"),
        ({"events_dir": "/var/lib/spark/../../etc"}, "must be an absolute path of letters"),
        ({"events_dir": "/srv/spark events"}, "must be an absolute path of letters"),
        ({"events_dir": ""}, "spark_history_events_dir '' must be an absolute path"),
        ({"events_dir": None}, "spark_history_events_dir None must be an absolute path"),
        ({"events_dir": "/var/lib"}, "spark_history_events_dir '/var/lib' is a system directory;"),
        ({"events_dir": "/etc/spark/events"}, "'/etc/spark/events' is a system directory (inside /etc);"),
        ({"events_dir": "/tmp/"}, "spark_history_events_dir '/tmp/' is a system directory;"),
        ({"max_age": "14"}, "spark_history_max_age '14' must be a positive number with a unit"),
        ({"max_age": "0d"}, "spark_history_max_age '0d' must be a positive number with a unit"),
        ({"max_age": "two weeks"}, "spark_history_max_age 'two weeks' must be a positive number with a unit"),
        ({"max_age": "-1d"}, "spark_history_max_age '-1d' must be a positive number with a unit"),
        ({"max_age": 14}, "spark_history_max_age 14 must be a positive number with a unit"),
        ({"update_interval": "10 s"}, "spark_history_update_interval '10 s' must be a positive number"),
        ({"max_num": 0}, "spark_history_max_num 0 must be a whole number, 1 or more"),
        ({"max_num": "many"}, "spark_history_max_num 'many' must be a whole number, 1 or more"),
        ({"bind_address": ""}, "spark_history_bind_address '' must be the master's cluster address"),
        ({"bind_address": "nuc.lan"}, "spark_history_bind_address 'nuc.lan' must be the master's cluster"),
        ({"bind_address": "0.0.0.0"}, "spark_history_bind_address 0.0.0.0 would listen on loopback or on"),
        ({"bind_address": "127.0.1.1"}, "spark_history_bind_address 127.0.1.1 would listen on loopback"),
        ({"bind_address": "::"}, "spark_history_bind_address :: would listen on loopback or on every"),
    ],
)
def test_each_bad_input_is_named(changed, expected):
    found = problems(**changed)
    assert len(found) == 1, found
    assert expected in found[0], found


def test_every_problem_is_listed_at_once():
    found = problems(
        ui_port=0, events_dir="events", max_age="", max_num=-3, update_interval="x", bind_address=""
    )
    assert [p.split()[0] for p in found] == [
        "spark_history_ui_port",
        "spark_history_events_dir",
        "spark_history_max_age",
        "spark_history_update_interval",
        "spark_history_max_num",
        "spark_history_bind_address",
    ]
