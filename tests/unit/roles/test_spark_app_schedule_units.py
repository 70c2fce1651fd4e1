"""spark_app_schedule's units as the controller would get them, rendered on localhost with
the role's defaults and vars: the run under the data resync's lock, the application's name as
one argument, OnFailure= the default journal unit or the user's, the timer's OnCalendar."""

from test_spark_properties_files import render

APP = {"name": "sum", "schedule": "*-*-* 00/4:00"}
COMMAND = [
    "/opt/ansible/bin/ansible-playbook",
    "--inventory=/home/pi/my cluster/hosts.yml",
    "picluster.spark.spark_app_run",
]


def units(tmp_path, **extra):
    return render(
        tmp_path,
        "spark_app_schedule",
        ["service.j2", "timer.j2", "failed.service.j2"],
        __spark_app_schedule_app=APP,
        __spark_app_schedule_user="pi",
        __spark_app_schedule_command=COMMAND,
        spark_app_schedule_workdir="/home/pi/picluster",
        **extra,
    )


def test_the_service_runs_the_pipeline_under_the_data_resyncs_lock(tmp_path):
    service, _, _ = units(tmp_path)
    (exec_start,) = [line for line in service.splitlines() if line.startswith("ExecStart=")]
    assert exec_start == (
        "ExecStart=/usr/bin/flock --nonblock --verbose --conflict-exit-code 75 "
        '"/run/lock/picluster-data-sync.lock" '
        '"/opt/ansible/bin/ansible-playbook" "--inventory=/home/pi/my cluster/hosts.yml" '
        '"picluster.spark.spark_app_run" "--extra-vars=spark_app_run_name=sum" '
    )
    assert "SuccessExitStatus=75" in service.splitlines()
    assert "User=pi" in service.splitlines()
    assert "OnFailure=picluster-spark-app-failed@%n.service" in service.splitlines()


def test_the_failure_unit_can_be_the_users(tmp_path):
    service, _, _ = units(tmp_path, spark_app_schedule_on_failure="mail-me@%n.service")
    assert "OnFailure=mail-me@%n.service" in service.splitlines()


def test_the_timer_fires_the_service_at_the_schedule(tmp_path):
    _, timer, failed = units(tmp_path)
    assert "OnCalendar=*-*-* 00/4:00" in timer.splitlines()
    assert "Unit=picluster-spark-app-sum.service" in timer.splitlines()
    assert "WantedBy=timers.target" in timer.splitlines()
    # The default failure unit names the unit that failed (its instance) in the journal.
    (exec_start,) = [line for line in failed.splitlines() if line.startswith("ExecStart=")]
    assert exec_start.startswith('ExecStart=/bin/echo "picluster.spark pipeline %i failed')
