#!/bin/sh
# Runs inside the new rootfs (chroot): makes it boot like a Pi that a user
# reaches over SSH, and nothing more.
set -eu

# The admin account, as on Raspberry Pi OS: `pi` with passwordless sudo.
# Its password is unusable ('*'): the harness logs in with its key only.
useradd --create-home --shell /bin/bash --groups sudo pi
usermod --password '*' pi
echo 'pi ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/010_pi-nopasswd
chmod 0440 /etc/sudoers.d/010_pi-nopasswd

# The harness reaches nodes with its key only: no password logins at all.
cat > /etc/ssh/sshd_config.d/10-bed.conf <<'CONF'
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
CONF

# Every container gets its own host keys at first start, not the image's.
rm -f /etc/ssh/ssh_host_*
mkdir -p /etc/systemd/system/ssh.service.d
cat > /etc/systemd/system/ssh.service.d/hostkeys.conf <<'UNIT'
[Service]
ExecStartPre=
ExecStartPre=/usr/bin/ssh-keygen -A
ExecStartPre=/usr/sbin/sshd -t
UNIT

# Units that need hardware or a console a container does not have.
for unit in getty@tty1.service console-getty.service systemd-udevd.service \
    systemd-udevd-control.socket systemd-udevd-kernel.socket systemd-modules-load.service; do
  ln -sf /dev/null "/etc/systemd/system/$unit"
done

# systemd makes a machine id at first boot.
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id
apt-get clean
rm -rf /var/lib/apt/lists/* /var/log/*.log
