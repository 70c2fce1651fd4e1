"""wait_for_workers documentation: ansible-doc renders it and it matches the code."""

import json
import pathlib
import re
import subprocess
import sys

import pytest
import yaml
from ansible_collections.picluster.spark.plugins.module_utils import spark_master
from ansible_collections.picluster.spark.plugins.modules import wait_for_workers
from conftest import ansible_env

MODULE = "picluster.spark.wait_for_workers"


def ansible_doc(tmp_path, *args):
    env = ansible_env(tmp_path)
    exe = pathlib.Path(sys.executable).parent / "ansible-doc"
    return subprocess.run(
        [str(exe), *args, MODULE],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def doc_json(tmp_path_factory):
    out = ansible_doc(tmp_path_factory.mktemp("doc"), "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)[MODULE]


def test_ansible_doc_renders_text(tmp_path):
    out = ansible_doc(tmp_path)
    assert out.returncode == 0, out.stderr
    assert "[WARNING]" not in out.stderr and "[ERROR]" not in out.stderr, out.stderr
    text = out.stdout
    assert text.startswith(f"> MODULE {MODULE}")
    for heading in ("OPTIONS", "ATTRIBUTES", "EXAMPLES:", "RETURN VALUES:"):
        assert heading in text
    # The example failure message, however ansible-doc wraps it.
    assert "2 of 4 workers ALIVE after 300 s; missing: pi3, pi4; cores 8 < 16; memory 2048 MB < 4096 MB" in (
        " ".join(text.split())
    )
    for option in ("url", "workers", "cores", "memory", "hosts", "timeout", "sleep", "msg", "headers"):
        assert re.search(rf"^[-=] {option} ", text, re.MULTILINE), option
    for value in ("elapsed", "attempts", "alive_workers", "missing_hosts", "memory_mb"):
        assert re.search(rf"^- {value} ", text, re.MULTILINE), value


def test_documented_options_are_the_argument_spec(doc_json):
    documented = doc_json["doc"]["options"]
    spec = wait_for_workers.argument_spec()
    assert sorted(documented) == sorted(spec)
    for name, option in spec.items():
        assert documented[name]["type"] == option.get("type", "str"), name
        assert documented[name].get("default") == option.get("default"), name
        assert bool(documented[name].get("required")) == bool(option.get("required")), name
        if option.get("elements"):
            assert documented[name]["elements"] == option["elements"], name


def test_documented_returns_are_what_the_module_returns(doc_json, monkeypatch):
    returned = set(doc_json["return"])

    def poll(_remaining):
        return None, spark_master.PollError("connection refused", "refused")

    class Clock:
        now = 0.0

        def monotonic(self):
            return self.now

        def sleep(self, seconds):
            self.now += seconds

    monkeypatch.setattr(spark_master, "time", Clock())
    result = spark_master.wait_for_workers(poll, spark_master.Expectation(), timeout=2, sleep=1)
    # main() adds changed and url; msg is common to every module.
    assert returned == set(result) - {"msg"} | {"url"}
    worker_keys = set(doc_json["return"]["workers"]["contains"])
    summary = spark_master.summarize({"status": "ALIVE", "workers": [{"id": "worker-1", "state": "ALIVE"}]})
    assert worker_keys == set(summary["workers"][0])
    assert worker_keys == {"id", "host", "port", "state", "cores", "memory_mb", "counted"}


def test_examples_use_only_documented_options():
    spec = wait_for_workers.argument_spec()
    tasks = yaml.safe_load(wait_for_workers.EXAMPLES)
    used = [t[MODULE] for t in tasks if MODULE in t]
    assert len(used) == 3
    for args in used:
        assert set(args) <= set(spec)
        assert "url" in args
