#!/usr/bin/python
# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""What pi_base reads on a node before changing it, in one round trip."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: pi_base_probe
short_description: The board, the package index, the Spark account's ids and default passwords, in one read
description:
  - Reads, without changing anything, what the pi_base role decides on, so that each
    run costs the node one module start instead of one per question (seconds each on a
    Pi 3 or an emulated node).
  - The board's model from the firmware's device tree, and whether it is a Raspberry Pi.
  - The package index, that is how many C(Packages) lists apt has and how old the newest is,
    and whether it needs a refresh before an install (empty, or older than
    O(apt_cache_valid_time)).
  - Whether the Spark account's user and group can have the wanted ids.
  - Which accounts still accept the Raspberry Pi OS default password (needs root to read
    C(/etc/shadow)); hashes are never returned.
  - The wireless interfaces, and the address Ansible reaches the node at as the node sees
    it (the server side of C(SSH_CONNECTION), read from the SSH session's processes when
    C(become) dropped it from the environment), so that pi_base does not switch off the
    Wi-Fi it is connected through.
options:
  model_path:
    description: Where the firmware names the board.
    type: path
    default: /proc/device-tree/model
  apt_lists_dir:
    description: apt's index directory.
    type: path
    default: /var/lib/apt/lists
  apt_cache_valid_time:
    description: An index older than this many seconds needs a refresh.
    type: int
    default: 3600
  spark_user:
    description: The Spark account's user and the uid it should have (uid 0 or less skips the check).
    type: dict
    suboptions:
      name: {description: User name., type: str, required: true}
      id: {description: Wanted uid., type: int, required: true}
  spark_group:
    description: The Spark account's group and the gid it should have (gid 0 or less skips the check).
    type: dict
    suboptions:
      name: {description: Group name., type: str, required: true}
      id: {description: Wanted gid., type: int, required: true}
  password_accounts:
    description: Accounts to test for the default password; empty skips the check.
    type: list
    elements: str
    default: []
  net_dir:
    description: Where the kernel lists the network interfaces.
    type: path
    default: /sys/class/net
author:
  - picluster.spark maintainers (@picluster)
"""

EXAMPLES = r"""
- name: Look at the node before pi_base changes it
  picluster.spark.pi_base_probe:
    spark_user: {name: spark, id: 750}
    spark_group: {name: spark, id: 750}
    password_accounts: [pi]
  become: true
  register: probe
"""

RETURN = r"""
model:
  description: The board's model name, empty where the firmware names none.
  returned: success
  type: str
  sample: Raspberry Pi 3 Model B Rev 1.2
is_pi:
  description: Whether the model names a Raspberry Pi.
  returned: success
  type: bool
apt_index:
  description: C(lists) (count of Packages lists), C(age_seconds) (of the newest, null when none),
    C(refresh) (whether to update before installing) and C(reason) (why, or null).
  returned: success
  type: dict
id_problems:
  description: Why the Spark account cannot have the wanted ids; empty when it can.
  returned: success
  type: list
  elements: str
passwords:
  description: By account, V(default), V(other), V(locked), V(absent) or V(unknown) (no crypt(3)).
  returned: success
  type: dict
wireless:
  description: The wireless interfaces (a C(wireless) or C(phy80211) entry, or a name starting C(wl)), sorted.
  returned: success
  type: list
  elements: str
  sample: [wlan0]
ssh_address:
  description: The node's address of the SSH connection Ansible came in on; null without SSH.
  returned: success
  type: str
  sample: 192.168.1.20
"""

import grp
import os
import pwd
import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.picluster.spark.plugins.module_utils.pi_base import (
    apt_index,
    board_model,
    find_ssh_connection,
    id_problems,
    load_crypt,
    password_state,
    read_shadow,
    ssh_server_address,
    wireless_interfaces,
)


def _read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _lookup(getter, key, field):
    try:
        return getattr(getter(key), field)
    except KeyError:
        return None


def main():
    account = dict(name=dict(type="str", required=True), id=dict(type="int", required=True))
    module = AnsibleModule(
        argument_spec=dict(
            model_path=dict(type="path", default="/proc/device-tree/model"),
            apt_lists_dir=dict(type="path", default="/var/lib/apt/lists"),
            apt_cache_valid_time=dict(type="int", default=3600),
            spark_user=dict(type="dict", options=account),
            spark_group=dict(type="dict", options=account),
            password_accounts=dict(type="list", elements="str", default=[], no_log=False),
            net_dir=dict(type="path", default="/sys/class/net"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    model, is_pi = board_model(_read(params["model_path"]))
    problems = []
    user, group = params["spark_user"], params["spark_group"]
    if user and user["id"] > 0:
        problems.extend(
            id_problems(
                "user",
                user["name"],
                user["id"],
                _lookup(pwd.getpwnam, user["name"], "pw_uid"),
                _lookup(pwd.getpwuid, user["id"], "pw_name"),
            )
        )
    if group and group["id"] > 0:
        problems.extend(
            id_problems(
                "group",
                group["name"],
                group["id"],
                _lookup(grp.getgrnam, group["name"], "gr_gid"),
                _lookup(grp.getgrgid, group["id"], "gr_name"),
            )
        )
    passwords = {}
    if params["password_accounts"]:
        try:
            shadow = read_shadow()
        except OSError as exc:
            module.fail_json(
                msg=f"cannot read /etc/shadow to check for the default password ({exc.strerror}); run as root"
            )
        crypt = load_crypt()
        passwords = {name: password_state(shadow.get(name), crypt) for name in params["password_accounts"]}
    module.exit_json(
        changed=False,
        model=model,
        is_pi=is_pi,
        apt_index=apt_index(params["apt_lists_dir"], params["apt_cache_valid_time"], time.time()),
        id_problems=problems,
        passwords=passwords,
        wireless=wireless_interfaces(params["net_dir"]),
        ssh_address=ssh_server_address(find_ssh_connection(os.environ, os.getppid())),
    )


if __name__ == "__main__":
    main()
