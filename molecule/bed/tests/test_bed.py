"""The test bed's nodes behave like Pis a user reaches over SSH."""

import os
import subprocess

import pytest
import testinfra.utils.ansible_runner

inventory = testinfra.utils.ansible_runner.AnsibleRunner(os.environ["MOLECULE_INVENTORY_FILE"])
testinfra_hosts = inventory.get_hosts("all")

# Units that fail in any container under our flags: they want to write to
# read-only parts of /sys or /proc (see docs/testbed.md).
CONTAINER_UNITS = {
    "systemd-sysctl.service",
    "systemd-tmpfiles-setup.service",
    "systemd-tmpfiles-setup-dev.service",
    "systemd-sysusers.service",
    "systemd-remount-fs.service",
    "sys-kernel-config.mount",
    "sys-kernel-debug.mount",
    "sys-kernel-tracing.mount",
    "dev-hugepages.mount",
    "systemd-journald-audit.socket",
}


@pytest.fixture
def hostvars(host):
    return host.ansible.get_variables()


def test_architecture(host, hostvars):
    assert host.check_output("uname -m") == hostvars["bed_expected_machine"]


def test_systemd_is_pid_1(host):
    assert host.check_output("cat /proc/1/comm") == "systemd"


def test_systemd_state(host):
    state = host.run("systemctl is-system-running").stdout.strip()
    assert state in ("running", "degraded"), state
    failed = set(
        host.check_output("systemctl list-units --failed --plain --no-legend | awk '{print $1}'").split()
    )
    assert failed <= CONTAINER_UNITS, f"unexpected failed units: {sorted(failed - CONTAINER_UNITS)}"


def test_sshd_runs(host):
    assert host.service("ssh").is_running
    assert host.socket("tcp://0.0.0.0:22").is_listening


def test_sshd_offers_no_password_login(hostvars):
    # Ask the server for password / keyboard-interactive logins, from outside,
    # as a person would: it must only offer public keys.
    result = subprocess.run(
        [
            "ssh",
            *("-o", "BatchMode=yes", "-o", "PubkeyAuthentication=no"),
            *("-o", "PreferredAuthentications=password,keyboard-interactive"),
            *("-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"),
            *("-o", "ConnectTimeout=20"),
            f"pi@{hostvars['ansible_host']}",
            "true",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 255
    assert "Permission denied (publickey)" in result.stderr, result.stderr


def test_memory_cap(host, hostvars):
    # With the host's cgroup namespace, /proc/self/cgroup names this process's
    # cgroup under the container's; the limit in force is the smallest one on
    # the way up to the root.
    lines = host.file("/proc/self/cgroup").content_string.splitlines()
    path = next(line.split(":", 2)[2] for line in lines if line.split(":")[1] == "memory")
    parts = path.strip("/").split("/")
    limits = [
        int(
            host.file(f"/sys/fs/cgroup/memory/{'/'.join(parts[:depth])}/memory.limit_in_bytes").content_string
        )
        for depth in range(1, len(parts) + 1)
    ]
    assert min(limits) == hostvars["bed_memory_cap"], list(zip(parts, limits, strict=True))


def test_admin_user_is_key_only(host):
    shadow = host.check_output("sudo getent shadow pi").split(":")
    assert shadow[1] in ("*", "!", "!*"), "the pi account must have no usable password"


def test_nothing_a_role_installs(host):
    for package in ("openjdk-17-jre-headless", "rsync", "systemd-timesyncd"):
        assert not host.package(package).is_installed, package
