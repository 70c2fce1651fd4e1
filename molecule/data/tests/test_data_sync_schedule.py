"""The scheduled sync on a controller with systemd (the master container plays the
NUC): the timer is installed and enabled, starting its service once runs a real sync,
runs never overlap, cron takes over where asked, and state=absent removes it all.
"""

import json
import time

import pytest
from conftest import node, runner, schedule

NAME = "picluster-data-sync"
# Files the scheduled runs must (or must not) carry; fresh names, so reruns prove it again.
STAMP = time.strftime("%Y%m%d%H%M%S")
SECOND = f"second-{STAMP}.csv"
THIRD = f"third-{STAMP}.csv"

CONTROLLER = runner.get_hosts("spark_master")[0]
WORKERS = sorted(runner.get_hosts("spark_workers"))


@pytest.fixture(scope="module")
def controller():
    schedule(schedule_method="auto")
    return node(CONTROLLER)


def test_timer_is_installed_enabled_and_waiting(controller):
    assert controller.check_output(f"systemctl is-enabled {NAME}.timer") == "enabled"
    assert controller.check_output(f"systemctl is-active {NAME}.timer") == "active"
    assert controller.check_output(f"systemctl show -P Triggers {NAME}.timer") == f"{NAME}.service"
    timers = controller.check_output(f"systemctl show -P TimersMonotonic {NAME}.timer")
    assert "OnUnitActiveUSec=6h" in timers
    assert "OnActiveUSec=6h" in timers
    # The next run is about one interval away (the timer counts from its start).
    listed = json.loads(controller.check_output("systemctl list-timers --all --output=json"))
    (mine,) = [timer for timer in listed if timer["unit"] == f"{NAME}.timer"]
    now = int(controller.check_output("date +%s%6N"))
    assert 5 * 3600 * 10**6 < mine["next"] - now <= 6 * 3600 * 10**6
    unit = controller.file(f"/etc/systemd/system/{NAME}.service").content_string
    assert "User=pi" in unit
    assert "--inventory=/home/pi/picluster/hosts.yml" in unit


def test_reinstalling_changes_nothing(controller):
    out = schedule(schedule_method="auto", schedule_only=True)
    changed = [
        task["task"]["name"]
        for play in out["plays"]
        for task in play["tasks"]
        if task["hosts"].get(CONTROLLER, {}).get("changed")
    ]
    assert out["stats"][CONTROLLER]["changed"] == 0, changed
    assert out["stats"][CONTROLLER]["ok"] > 10


def test_starting_the_service_once_runs_a_real_sync(controller):
    controller.run_expect([0], f"sudo -u pi sh -c 'echo 3,c > /home/pi/datasets/sched/{SECOND}'")
    since = controller.check_output("date '+%Y-%m-%d %H:%M:%S'")
    # A oneshot service: start returns when the run has ended.
    controller.run_expect([0], f"timeout 900 systemctl start {NAME}.service")
    assert controller.check_output(f"systemctl show -P Result {NAME}.service") == "success"
    log = controller.check_output(f"journalctl -u {NAME}.service --since '{since}' --no-pager -o cat")
    assert "PLAY RECAP" in log
    assert "failed=1" not in log
    for name in [CONTROLLER, *WORKERS]:
        assert node(name).file(f"/data/sched/{SECOND}").content_string == "3,c\n"
        assert node(name).file("/data/sched/first.csv").user == "root"


def test_a_run_that_finds_the_lock_taken_skips_its_turn(controller):
    lock = f"/run/lock/{NAME}.lock"
    controller.run_expect([0], f"sudo -u pi sh -c 'echo 4,d > /home/pi/datasets/sched/{THIRD}'")
    # pi holds the lock, as a sync still running would (-o: only flock itself holds it).
    holder = controller.check_output(
        f"sudo -u pi sh -c 'flock -o {lock} sleep 600 >/dev/null 2>&1 & echo $!'"
    )
    try:
        controller.run_expect([0], f"sleep 2; kill -0 {holder}")
        since = controller.check_output("date '+%Y-%m-%d %H:%M:%S'")
        controller.run_expect([0], f"timeout 120 systemctl start {NAME}.service")
    finally:
        controller.run(f"pkill -P {holder}; kill {holder}")
    assert controller.check_output(f"systemctl show -P Result {NAME}.service") == "success"
    log = controller.check_output(f"journalctl -u {NAME}.service --since '{since}' --no-pager -o cat")
    assert "failed to get lock" in log
    assert "PLAY RECAP" not in log
    assert not node(WORKERS[0]).file(f"/data/sched/{THIRD}").exists


def test_cron_takes_over_and_runs_the_same_sync(controller):
    schedule(schedule_method="cron")
    assert not controller.file(f"/etc/systemd/system/{NAME}.timer").exists
    assert controller.run(f"systemctl is-enabled {NAME}.timer").rc != 0
    crontab = controller.check_output("crontab -l -u pi")
    lines = [line for line in crontab.splitlines() if "flock" in line]
    assert len(lines) == 1
    fields = lines[0].split(None, 5)
    assert fields[:5] == ["0", "*/6", "*", "*", "*"]
    # Run the job line as cron would, as pi.
    controller.run_expect([0], f"sudo -u pi sh -c {json.dumps(fields[5])}")
    log = controller.file(f"/var/log/{NAME}.log").content_string
    assert "PLAY RECAP" in log
    assert node(WORKERS[0]).file(f"/data/sched/{THIRD}").content_string == "4,d\n"


def test_absent_removes_everything(controller):
    schedule(schedule_method="cron", schedule_state="absent")
    assert "flock" not in controller.run("crontab -l -u pi").stdout
    assert not controller.file(f"/etc/systemd/system/{NAME}.service").exists
    assert not controller.file(f"/etc/systemd/system/{NAME}.timer").exists
    assert NAME not in controller.check_output("systemctl list-unit-files --no-legend")
