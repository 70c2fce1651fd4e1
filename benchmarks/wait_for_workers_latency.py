#!/usr/bin/env python3
"""How long after the last worker turns ALIVE does wait_for_workers return?

Target (issue 4): at most one ``sleep`` interval.

Runs a real Spark master and workers from the bed archive on loopback
(master 127.0.0.1, workers 127.0.0.2...), all JVMs niced. Each round:
  1. N-1 workers are ALIVE; the module starts waiting for N (real fetch_url,
     real clock) and has polled at least once;
  2. worker N starts; an observer polling /json/ every 50 ms notes the first
     moment N workers are ALIVE (so figures may read up to ~0.05 s short);
  3. the module returns; latency = return - observed ALIVE;
  4. worker N is stopped (SIGTERM) and the master marks it DEAD, ready for
     the next round (its stale DEAD entries stay in the master's list, as on a
     real cluster).
"module" rounds time main() returning inside a Python process (exit_json
called); "ansible" rounds time an ad-hoc `ansible localhost -m
picluster.spark.wait_for_workers` process exiting, as a playbook sees it.

Usage: benchmarks/wait_for_workers_latency.py [--version 3.5.9] [--workers 2]
           [--sleeps 1,2,5] [--rounds 5] [--ansible-rounds 3]
Needs Java 17 and .bed/spark/spark-<version>-bin-hadoop3.tgz (bed/spark-archive.sh).
Every process it starts is stopped before it exits.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pathlib
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.request

REPO = pathlib.Path(__file__).resolve().parents[1]
MASTER_IP = "127.0.0.1"
OBSERVE_EVERY = 0.05

# Runs the module's main() in its own process with real fetch_url and clock;
# prints the CLOCK_MONOTONIC time at which it returned (shared by processes).
RUNNER = r"""
import json, sys, time
from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args
from ansible_collections.picluster.spark.plugins.modules import wait_for_workers

def done(kind):
    def handler(_self, **result):
        now = time.monotonic()
        print(json.dumps({"kind": kind, "t_return": now, "result": result}, default=str), flush=True)
        sys.exit(0)
    return handler

basic.AnsibleModule.exit_json = done("exit")
basic.AnsibleModule.fail_json = done("fail")
with patch_module_args(json.loads(sys.argv[1])):
    wait_for_workers.main()
"""


def log(msg):
    print(f"# {msg}", file=sys.stderr, flush=True)


def free_port(ip):
    with socket.socket() as s:
        s.bind((ip, 0))
        return s.getsockname()[1]


def collections_root(tmp):
    made = REPO / ".collections"
    if (made / "ansible_collections" / "picluster" / "spark" / "plugins").is_dir():
        return made
    link = pathlib.Path(tmp) / "collections" / "ansible_collections" / "picluster" / "spark"
    link.parent.mkdir(parents=True)
    link.symlink_to(REPO, target_is_directory=True)
    return link.parents[2]


class Cluster:
    def __init__(self, home, work, ui_port, rpc_port):
        self.home, self.work = home, work
        self.ui_port, self.rpc_port = ui_port, rpc_port
        self.procs = {}
        conf = os.path.join(work, "conf")
        os.makedirs(conf, exist_ok=True)
        self.env = dict(os.environ, SPARK_HOME=home, SPARK_CONF_DIR=conf, SPARK_DAEMON_MEMORY="256m")

    @property
    def url(self):
        return f"http://{MASTER_IP}:{self.ui_port}"

    def _start(self, name, ip, args, extra):
        env = dict(self.env, SPARK_LOCAL_IP=ip, **extra)
        cmd = ["nice", "-n", "10", os.path.join(self.home, "bin", "spark-class"), *args]
        with open(os.path.join(self.work, name + ".log"), "ab") as out:
            self.procs[name] = subprocess.Popen(  # noqa: S603 -- the unpacked Spark's own script
                cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def start_master(self):
        self._start(
            "master",
            MASTER_IP,
            [
                "org.apache.spark.deploy.master.Master",
                "--host",
                MASTER_IP,
                "--port",
                str(self.rpc_port),
                "--webui-port",
                str(self.ui_port),
            ],
            {"SPARK_MASTER_OPTS": "-Dspark.master.rest.enabled=false"},
        )

    def start_worker(self, i):
        ip = f"127.0.0.{i + 1}"
        wdir = os.path.join(self.work, f"worker{i}")
        os.makedirs(wdir, exist_ok=True)
        self._start(
            f"worker{i}",
            ip,
            [
                "org.apache.spark.deploy.worker.Worker",
                "--host",
                ip,
                "--port",
                "0",
                "--webui-port",
                "0",
                "--cores",
                "2",
                "--memory",
                "1g",
                "--work-dir",
                wdir,
                f"spark://{MASTER_IP}:{self.rpc_port}",
            ],
            {},
        )

    def stop(self, name):
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def stop_all(self):
        for name in list(self.procs):
            self.stop(name)

    def status(self):
        try:
            # S310: the URL is always http://127.0.0.1:<port>/json/, built here.
            with urllib.request.urlopen(self.url + "/json/", timeout=2) as resp:  # noqa: S310
                return json.loads(resp.read())
        except (OSError, ValueError):
            return None

    def alive(self):
        doc = self.status()
        if not doc or doc.get("status") != "ALIVE":
            return -1
        return sum(1 for w in doc["workers"] if w["state"] == "ALIVE")

    def wait_alive(self, count, timeout=240):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.alive() == count:
                return
            time.sleep(0.2)
        raise RuntimeError(f"the master never showed {count} ALIVE workers")


class Observer(threading.Thread):
    """Notes the first monotonic time at which ``count`` workers are ALIVE."""

    def __init__(self, cluster, count):
        super().__init__(daemon=True)
        self.cluster, self.count = cluster, count
        self.seen_at = None
        self.stop_event = threading.Event()

    def run(self):
        while not self.stop_event.is_set():
            if self.cluster.alive() >= self.count:
                self.seen_at = time.monotonic()
                return
            time.sleep(OBSERVE_EVERY)


def one_round(cluster, n, *, sleep, mode, pythonpath, tmp):
    args = {"url": cluster.url, "workers": n, "sleep": sleep, "timeout": 240}
    env = dict(os.environ, PYTHONPATH=pythonpath)
    if mode == "module":
        cmd = [sys.executable, "-c", RUNNER, json.dumps(args)]
    else:
        cfg = pathlib.Path(tmp) / "ansible.cfg"
        cfg.write_text("[defaults]\n")
        env.update(
            ANSIBLE_COLLECTIONS_PATH=pythonpath,
            ANSIBLE_CONFIG=str(cfg),
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_LOAD_CALLBACK_PLUGINS="1",
            ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json",
        )
        ansible = pathlib.Path(sys.executable).parent / "ansible"
        cmd = [str(ansible), "localhost", "-c", "local", "-i", "localhost,"]
        cmd += ["-e", f"ansible_python_interpreter={sys.executable}"]
        cmd += ["-m", "picluster.spark.wait_for_workers", "-a", json.dumps(args)]
    observer = Observer(cluster, n)
    observer.start()
    started = time.monotonic()
    runner = subprocess.Popen(  # noqa: S603 -- our own interpreter and arguments
        cmd, env=env, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # Let the module poll at least once before the last worker can register.
    time.sleep(max(1.0, sleep) + (3.0 if mode == "ansible" else 0.5))
    if runner.poll() is not None:
        raise RuntimeError(f"the module returned before the last worker started: {runner.communicate()!r}")
    cluster.start_worker(n)
    out, err = runner.communicate(timeout=300)
    exited = time.monotonic()
    observer.join(10)
    if observer.seen_at is None:
        raise RuntimeError("the observer never saw the last worker ALIVE")
    if mode == "module":
        line = json.loads(out.strip().splitlines()[-1])
        if line["kind"] != "exit":
            raise RuntimeError(f"module failed: {line['result'].get('msg')}")
        returned, attempts = line["t_return"], line["result"]["attempts"]
    else:
        if runner.returncode != 0:
            raise RuntimeError(f"ansible failed: {out} {err}")
        result = json.loads(out)["plays"][0]["tasks"][0]["hosts"]["localhost"]
        returned, attempts = exited, result["attempts"]
    latency = returned - observer.seen_at
    cluster.stop(f"worker{n}")
    cluster.wait_alive(n - 1)
    return latency, attempts, returned - started


def report(rows):
    print()
    head = f"{'mode':8} {'sleep s':>7} {'rounds':>6} {'min s':>7} {'median s':>8} {'max s':>7}"
    print(head + "  target: max <= sleep")
    for (mode, sleep), values in rows.items():
        lat = [v[0] for v in values]
        if mode == "ansible":
            # Timed to the ansible process exiting: Ansible's own result handling is in it.
            verdict = "n/a (includes ansible's own exit)"
        else:
            verdict = "met" if max(lat) <= sleep else "MISSED"
        print(
            f"{mode:8} {sleep:7d} {len(lat):6d} {min(lat):7.3f} {statistics.median(lat):8.3f} "
            f"{max(lat):7.3f}  {verdict}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", default="3.5.9")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sleeps", default="1,2,5")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--ansible-rounds", type=int, default=3)
    opts = parser.parse_args()
    sleeps = [int(s) for s in opts.sleeps.split(",")]
    tgz = REPO / ".bed" / "spark" / f"spark-{opts.version}-bin-hadoop3.tgz"
    if not tgz.is_file():
        sys.exit(f"no {tgz}: run bed/spark-archive.sh {opts.version} first")
    if opts.workers < 1:
        sys.exit("--workers must be at least 1")

    tmp = tempfile.mkdtemp(prefix="picluster-bench-")
    cluster = None
    rows = {}
    try:
        log(f"unpacking {tgz.name}")
        with tarfile.open(tgz) as tf:
            tf.extractall(tmp, filter="tar")
        pythonpath = str(collections_root(tmp))
        home = os.path.join(tmp, f"spark-{opts.version}-bin-hadoop3")
        cluster = Cluster(home, tmp, free_port(MASTER_IP), free_port(MASTER_IP))
        cluster.start_master()
        cluster.wait_alive(0)
        for i in range(1, opts.workers):
            cluster.start_worker(i)
        cluster.wait_alive(opts.workers - 1)
        log(f"Spark {opts.version}: master at {cluster.url}, {opts.workers - 1} workers ALIVE")

        plan = [("module", s, opts.rounds) for s in sleeps]
        if opts.ansible_rounds:
            plan.append(("ansible", 2, opts.ansible_rounds))
        for mode, sleep, rounds in plan:
            for r in range(rounds):
                latency, attempts, total = one_round(
                    cluster, opts.workers, sleep=sleep, mode=mode, pythonpath=pythonpath, tmp=tmp
                )
                rows.setdefault((mode, sleep), []).append((latency, attempts))
                print(
                    f"{mode:8} sleep={sleep}s round {r + 1}: latency {latency:6.3f} s "
                    f"(attempts {attempts}, waited {total:5.1f} s)",
                    flush=True,
                )
    finally:
        if cluster is not None:
            cluster.stop_all()
        shutil.rmtree(tmp, ignore_errors=True)
    report(rows)


if __name__ == "__main__":
    main()
