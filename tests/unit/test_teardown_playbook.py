"""playbooks/teardown.yml's first play refuses bad input before any host is reached: a host
outside the cluster's groups, and spark_account_state=absent set in the inventory. The hosts
here are never connected to (their addresses are from TEST-NET, RFC 5737)."""

import json
import pathlib

import pytest
from conftest import ansible_playbook

TEARDOWN = pathlib.Path(__file__).resolve().parents[2] / "playbooks" / "teardown.yml"


def inventory(tmp_path, outsider=False, **worker_vars):
    hosts = {
        "all": {
            "children": {
                "spark_cluster": {
                    "children": {
                        "spark_master": {"hosts": {"nuc": {"ansible_host": "192.0.2.10"}}},
                        "spark_workers": {"hosts": {"pi1": {"ansible_host": "192.0.2.11", **worker_vars}}},
                    }
                }
            }
        }
    }
    if outsider:
        hosts["all"]["hosts"] = {"nas": {"ansible_host": "192.0.2.99"}}
    path = tmp_path / "hosts.yml"
    path.write_text(json.dumps(hosts))
    return path


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"outsider": True},
            "nas is in none of the cluster's groups (spark_master, spark_workers, spark_cluster)",
        ),
        (
            {"spark_account_state": "absent"},
            "spark_account_state is absent for pi1: set picluster_teardown_remove_account: true instead",
        ),
    ],
)
def test_bad_input_stops_the_teardown_in_its_first_play(tmp_path, kwargs, expected):
    run = ansible_playbook(tmp_path, "-i", str(inventory(tmp_path, **kwargs)), str(TEARDOWN))
    assert run.returncode != 0, run.stdout
    out = " ".join(run.stdout.split())
    assert "The teardown stops before removing anything: " + expected in out, out
    # The first play is the only one that started.
    assert out.count("PLAY [") == 1, out
    assert "changed=1" not in out and "unreachable=1" not in out, out
