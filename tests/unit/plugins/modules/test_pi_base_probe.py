"""Unit tests of the pi_base_probe module: one read of the node, nothing changed."""

import grp
import os
import pwd

from ansible_collections.picluster.spark.plugins.modules import pi_base_probe
from module_harness import ExitJson, FailJson, run_module


def test_reads_the_board_index_and_ids(monkeypatch, tmp_path):
    model = tmp_path / "model"
    model.write_bytes(b"Raspberry Pi 3 Model B Rev 1.2\x00")
    lists = tmp_path / "lists"
    lists.mkdir()
    me = pwd.getpwuid(os.getuid())
    my_group = grp.getgrgid(os.getgid())
    kind, result = run_module(
        monkeypatch,
        pi_base_probe,
        model_path=str(model),
        apt_lists_dir=str(lists),
        spark_user={"name": me.pw_name, "id": me.pw_uid},
        spark_group={"name": my_group.gr_name, "id": my_group.gr_gid},
    )
    assert kind is ExitJson, result
    assert result["changed"] is False
    assert result["model"] == "Raspberry Pi 3 Model B Rev 1.2"
    assert result["is_pi"] is True
    assert result["apt_index"]["refresh"] is True
    assert result["apt_index"]["reason"] == "the package index is empty"
    assert result["id_problems"] == []
    assert result["passwords"] == {}


def test_names_an_id_held_by_another_account(monkeypatch, tmp_path):
    holder = next(entry for entry in pwd.getpwall() if entry.pw_uid > 0)
    kind, result = run_module(
        monkeypatch,
        pi_base_probe,
        model_path=str(tmp_path / "none"),
        apt_lists_dir=str(tmp_path),
        spark_user={"name": "picluster-no-such-user", "id": holder.pw_uid},
        # An id of 0 or less: the group is not checked.
        spark_group={"name": "picluster-no-such-group", "id": -1},
    )
    assert kind is ExitJson
    assert result["model"] == ""
    assert result["is_pi"] is False
    assert result["id_problems"] == [f"uid {holder.pw_uid} belongs to {holder.pw_name}"]


def test_password_check_without_root_fails_clearly(monkeypatch, tmp_path):
    def unreadable(path="/etc/shadow"):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(pi_base_probe, "read_shadow", unreadable)
    kind, result = run_module(
        monkeypatch, pi_base_probe, apt_lists_dir=str(tmp_path), password_accounts=["pi"]
    )
    assert kind is FailJson
    assert "cannot read /etc/shadow" in result["msg"]
    assert "run as root" in result["msg"]


def test_password_states_come_back_by_account(monkeypatch, tmp_path):
    monkeypatch.setattr(pi_base_probe, "read_shadow", lambda: {"pi": b"!", "root": b"*"})
    kind, result = run_module(
        monkeypatch, pi_base_probe, apt_lists_dir=str(tmp_path), password_accounts=["pi", "nobody-here"]
    )
    assert kind is ExitJson
    assert result["passwords"] == {"pi": "locked", "nobody-here": "absent"}


def test_reports_wireless_interfaces_and_the_ssh_address(monkeypatch, tmp_path):
    net = tmp_path / "net"
    for name in ("eth0", "wlan0"):
        (net / name).mkdir(parents=True)
    (net / "wlan0" / "wireless").mkdir()
    monkeypatch.setenv("SSH_CONNECTION", "192.168.1.5 51234 192.168.1.20 22")
    kind, result = run_module(monkeypatch, pi_base_probe, apt_lists_dir=str(tmp_path), net_dir=str(net))
    assert kind is ExitJson
    assert result["wireless"] == ["wlan0"]
    assert result["ssh_address"] == "192.168.1.20"
