"""playbooks/measure.yml: bad input stops it in its first play, before the data is made or any
node is reached (the hosts here are never connected to: TEST-NET addresses, RFC 5737); and it
runs the existing pieces (the data sync, line_count.yml, group_trips.yml) rather than copies."""

import json
import pathlib

import pytest
import yaml
from conftest import ansible_playbook

REPO = pathlib.Path(__file__).resolve().parents[1].parent
MEASURE = REPO / "playbooks" / "measure.yml"
STOP = "The measurement stops before any node changes: "


def inventory(tmp_path, **master_vars):
    hosts = {
        "all": {
            "children": {
                "spark_cluster": {
                    "children": {
                        "spark_master": {"hosts": {"nuc": {"ansible_host": "192.0.2.10", **master_vars}}},
                        "spark_workers": {"hosts": {"pi1": {"ansible_host": "192.0.2.11"}}},
                    }
                }
            }
        }
    }
    path = tmp_path / "hosts.yml"
    path.write_text(json.dumps(hosts))
    return path


def measure(tmp_path, extra):
    extra = {"measure_work_dir": str(tmp_path / "work"), "measure_output_dir": str(tmp_path / "out"), **extra}
    return ansible_playbook(tmp_path, "-i", str(inventory(tmp_path)), "-e", json.dumps(extra), str(MEASURE))


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"measure_size_mb": 0}, "measure_size_mb must be a number of MB above 0 (got '0')"),
        ({"measure_size_mb": -3}, "measure_size_mb must be a number of MB above 0 (got '-3')"),
        (
            {"measure_source": "{tmp}/no-such-trips"},
            "measure_source {tmp}/no-such-trips does not exist on the controller",
        ),
        (
            {"measure_output_dir": "{tmp}/a-file/out"},
            "measure_output_dir {tmp}/a-file/out cannot be a directory: {tmp}/a-file is a file",
        ),
        (
            {"nfs_share_enabled": True, "measure_nfs_path": "/data/picluster-measure"},
            "measure_nfs_path and measure_path are the same (/data/picluster-measure):"
            " the share needs its own",
        ),
    ],
)
def test_bad_input_stops_the_measurement_in_its_first_play(tmp_path, extra, expected):
    (tmp_path / "a-file").write_text("")
    extra = {
        name: value.format(tmp=tmp_path) if isinstance(value, str) else value for name, value in extra.items()
    }
    run = measure(tmp_path, extra)
    assert run.returncode != 0, run.stdout
    out = " ".join(run.stdout.split())
    assert STOP + expected.format(tmp=tmp_path) in out, out
    # The first play is the only one that started, and nothing was made on the controller.
    assert out.count("PLAY [") == 1, out
    assert "changed=1" not in out and "unreachable=1" not in out, out
    assert not (tmp_path / "work").exists()
    assert not (tmp_path / "out").exists()


def plays():
    return yaml.safe_load(MEASURE.read_text())


def test_the_jobs_are_the_job_playbooks_themselves():
    imported = [play.get("ansible.builtin.import_playbook") for play in plays()]
    assert imported.count("line_count.yml") == 1
    assert imported.count("group_trips.yml") == 1
    # Both submit through tasks/spark_submit.yml; measure.yml submits nothing of its own.
    assert "spark_submit" not in MEASURE.read_text()
    for name in ("line_count.yml", "group_trips.yml"):
        assert "tasks/spark_submit.yml" in (REPO / "playbooks" / name).read_text()


def test_the_data_is_synced_by_the_data_sync_role_checks_first():
    loaded = plays()
    first = loaded[0]
    assert first["hosts"] == "spark_cluster"
    assert first["any_errors_fatal"] is True
    assert first["tasks"][0]["ansible.builtin.import_tasks"] == "tasks/check_inventory.yml"
    syncs = [
        play
        for play in loaded
        if any(r.get("role") == "picluster.spark.data_sync" for r in play.get("roles", []))
    ]
    assert [play["hosts"] for play in syncs] == ["spark_cluster", "spark_master"]
    # Local copies on every node, the master included; the share's copy on the server only.
    assert all(play["roles"][0]["vars"]["data_sync_datasets"][0]["verify"] is True for play in syncs)
    assert syncs[1]["roles"][0]["when"] == "measure_nfs | bool"


def test_the_share_path_is_inside_the_nfs_roles_default_export():
    defaults = yaml.safe_load((REPO / "playbooks" / "vars" / "measure.yml").read_text())
    exports = yaml.safe_load((REPO / "roles" / "nfs_share" / "defaults" / "main.yml").read_text())[
        "nfs_share_exports"
    ]
    assert defaults["measure_nfs_path"].startswith(exports[0]["path"] + "/")
