from ansible_collections.picluster.spark.plugins.filter.controller_timers import controller_timers

UNITS = [
    "/etc/systemd/system/picluster-data-sync.timer",
    "/etc/systemd/system/picluster-spark-app-trips.timer",
    "/etc/systemd/system/picluster-spark-app-lines.timer",
    "/etc/systemd/system/apt-daily.timer",
]


def test_pipelines_by_default_and_the_data_sync_only_when_asked():
    assert controller_timers(UNITS, "picluster-data-sync", "picluster-spark-app") == [
        "picluster-spark-app-lines.timer",
        "picluster-spark-app-trips.timer",
    ]
    assert controller_timers(UNITS, "picluster-data-sync", "picluster-spark-app", data_sync=True) == [
        "picluster-data-sync.timer",
        "picluster-spark-app-lines.timer",
        "picluster-spark-app-trips.timer",
    ]


def test_pipelines_can_be_left_running():
    names = ("picluster-data-sync", "picluster-spark-app")
    timers = controller_timers(UNITS, *names, data_sync=True, pipelines=False)
    assert timers == ["picluster-data-sync.timer"]


def test_only_installed_timers_are_named():
    assert controller_timers([], "picluster-data-sync", "picluster-spark-app", data_sync=True) == []
    assert controller_timers(UNITS[3:], "picluster-data-sync", "picluster-spark-app", data_sync=True) == []


def test_other_prefixes_and_names_are_left_alone():
    units = ["/etc/systemd/system/picluster-spark-application.timer", "/etc/systemd/system/my-sync.timer"]
    assert controller_timers(units, "my-sync", "picluster-spark-app", data_sync=True) == ["my-sync.timer"]
