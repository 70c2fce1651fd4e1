#!/usr/bin/env python3
"""Benchmark the data sync against rsync run by hand, and time a resync.

Needs nodes in an inventory with a spark_cluster group reached over SSH as in the
molecule `data` scenario (4 x86_64 nodes; `molecule create -s data && molecule
prepare -s data`). By default it uses that scenario's inventory.

1. Makes a dataset of about --size-mb MB of CSV on the controller (kept for reruns).
2. Hand-run rsync: one `rsync` per node, all nodes at once (as Ansible's forks do),
   with the options the role uses (so the bytes on disk are the same), into a fresh
   directory. Timed from start to the last node's end.
3. The role's first sync: `ansible-playbook playbooks/data_sync.yml` into another
   fresh directory, timed as a whole (pre-flight, dry run, transfer, report) and by its
   own "transfer wall time".
4. The role's resync of the unchanged dataset: bytes sent and times again.
Each round does all of it (the order of hand and role alternates); medians over
--rounds are reported, with the load average, since the machine may be shared.

Prints the figures and the ratios against the targets: first sync <= 1.2 x hand
rsync; resync <= 1 % of the first sync's bytes and <= 10 % of its time.

--link-mbit N gives every worker's container an N Mbit/s link (a token bucket on
its veth, on the host side: what the node receives), as the original setup's
Pi 3 boards have 100 Mbit/s Ethernet; the master keeps the bridge's speed, as a
NUC's gigabit does. Hand rsync and the role go through the same links. Needs root and the
nodes to be docker containers named as in the inventory.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import pathlib
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

REPO = pathlib.Path(__file__).resolve().parents[1]
PARTIAL = ".data-sync-partial"
STAT = re.compile(r"^Total bytes sent: (\d+)")


def run(cmd: list[str], check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """subprocess.run on argument lists built in this file (no shell, no outside input)."""
    return subprocess.run(cmd, check=check, **kwargs)  # noqa: S603 -- fixed argument lists built here


def tool(name: str, env: dict | None = None) -> str:
    found = shutil.which(name, path=(env or os.environ).get("PATH"))
    if not found:
        sys.exit(f"{name} not found on PATH")
    return found


def molecule_inventory():
    for state in sorted(glob.glob(os.path.expanduser("~/.ansible/tmp/molecule.*.data/state.yml"))):
        if "created: true" in pathlib.Path(state).read_text():
            return str(pathlib.Path(state).parent / "inventory")
    sys.exit("no created molecule `data` scenario found; pass --inventory")


def make_dataset(path: pathlib.Path, size_mb: int, files: int) -> int:
    """CSV files adding up to size_mb MB; returns the total bytes."""
    path.mkdir(parents=True, exist_ok=True)
    per_file = size_mb * 1024 * 1024 // files
    total = 0
    for index in range(files):
        target = path / f"part-{index:03d}.csv"
        if not target.exists() or target.stat().st_size != per_file:
            rows = "".join(
                f"{index},{i},{(i * 7919) % 100003},sensor-{i % 97},{i * 0.5:.1f}\n" for i in range(20000)
            )
            block = rows.encode()
            with open(target, "wb") as handle:
                written = 0
                while written < per_file:
                    chunk = block[: per_file - written]
                    handle.write(chunk)
                    written += len(chunk)
        total += target.stat().st_size
    return total


def inventory_nodes(inventory: str, env: dict) -> list[dict]:
    out = run(
        [tool("ansible-inventory", env), "-i", inventory, "--list"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(out)

    def members(top):
        names, todo = [], [top]
        while todo:
            group = data.get(todo.pop(), {})
            names += group.get("hosts", [])
            todo += group.get("children", [])
        return set(names)

    names = members("spark_cluster")
    workers = members("spark_workers")
    hostvars = data["_meta"]["hostvars"]
    return [
        {
            "name": name,
            "worker": name in workers,
            "address": hostvars[name].get("ansible_host", name),
            "user": hostvars[name].get("ansible_user", "pi"),
            "key": hostvars[name].get("ansible_ssh_private_key_file"),
        }
        for name in sorted(names)
    ]


def veth_of(container: str) -> str:
    """The host end of a container's eth0."""
    index = run(
        [tool("docker"), "exec", container, "cat", "/sys/class/net/eth0/iflink"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    for line in run(
        [tool("ip"), "-o", "link"], capture_output=True, text=True, check=True
    ).stdout.splitlines():
        number, name = line.split(":")[:2]
        if number.strip() == index:
            return name.strip().split("@")[0]
    sys.exit(f"no host interface with index {index} for {container}")


@contextlib.contextmanager
def links(nodes: list[dict], mbit: int):
    """Cap what each of nodes receives at mbit Mbit/s for the duration."""
    devices = [veth_of(n["name"]) for n in nodes]
    try:
        for device in devices:
            run([tool("tc"), "qdisc", "replace", "dev", device, "root", "tbf",
                 "rate", f"{mbit}mbit", "burst", "64kb", "latency", "50ms"])  # fmt: skip
        yield
    finally:
        for device in devices:
            run([tool("tc"), "qdisc", "del", "dev", device, "root"], check=False)


def ssh_command(node: dict) -> list[str]:
    cmd = [
        "ssh",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
    ]
    if node["key"]:
        cmd += ["-i", node["key"]]
    return cmd


def on_node(node: dict, command: str) -> None:
    run([*ssh_command(node), f"{node['user']}@{node['address']}", command], check=True)


def clear(nodes: list[dict], path: str) -> None:
    with ThreadPoolExecutor(len(nodes)) as pool:
        list(pool.map(lambda n: on_node(n, f"sudo rm -rf {shlex.quote(path)}"), nodes))


def hand_rsync(nodes: list[dict], src: pathlib.Path, dest: str) -> tuple[float, int]:
    """All nodes at once, options as the role's; returns (seconds, bytes sent)."""

    def one(node):
        cmd = [
            tool("rsync"),
            "--archive",
            "--delay-updates",
            f"--partial-dir={PARTIAL}",
            "--chown=spark:spark",
            "--chmod=D0755,F0644",
            "--mkpath",
            "--stats",
            "--no-human-readable",
            "--rsync-path=sudo rsync",
            "--rsh=" + " ".join(shlex.quote(arg) for arg in ssh_command(node)),
            f"{src}/",
            f"{node['user']}@{node['address']}:{dest}/",
        ]
        out = run(cmd, capture_output=True, text=True, check=True).stdout
        return sum(int(m.group(1)) for m in map(STAT.match, out.splitlines()) if m)

    started = time.monotonic()
    with ThreadPoolExecutor(len(nodes)) as pool:
        sent = sum(pool.map(one, nodes))
    return time.monotonic() - started, sent


def role_sync(inventory: str, env: dict, src: pathlib.Path, dest: str) -> dict:
    """Run the data sync playbook; returns seconds, bytes sent, transfer wall time."""
    extra = {"data_sync_datasets": [{"name": "bench", "src": str(src), "dest": dest, "verify": False}]}
    cmd = [tool("ansible-playbook", env), "-i", inventory, str(REPO / "playbooks" / "data_sync.yml")]
    cmd += ["--extra-vars", json.dumps(extra)]
    started = time.monotonic()
    proc = run(
        cmd,
        env=dict(env, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json"),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        tail = proc.stdout[-3000:] + proc.stderr[-2000:]
        sys.exit(f"the data sync playbook failed (rc {proc.returncode}):\n{tail}")
    out = json.loads(proc.stdout)
    sent = 0
    wall = None
    for play in out["plays"]:
        for task in play["tasks"]:
            name = task["task"]["name"]
            for result in task["hosts"].values():
                if name.endswith("Sync the datasets"):
                    for item in result.get("results", []):
                        sent += sum(
                            int(m.group(1)) for m in map(STAT.match, item.get("stdout_lines", [])) if m
                        )
                if name.endswith("Show the bytes sent and the time per node"):
                    wall = float(result["msg"][-1].split(":")[1].split()[0])
    return {
        "seconds": seconds,
        "sent": sent,
        "transfer": wall,
        "changed": sum(s["changed"] for s in out["stats"].values()),
    }


def one_round(number: int, nodes: list[dict], inventory: str, env: dict, src: pathlib.Path) -> dict:
    """Hand rsync and the role, each a first sync into an empty directory and a resync."""
    clear(nodes, "/bench")
    figures = {}
    # Alternate who goes first, so a drift in the machine's load hits both alike.
    order = ("hand", "role") if number % 2 == 0 else ("role", "hand")
    for who in order:
        if who == "hand":
            figures["hand_first"], figures["hand_sent"] = hand_rsync(nodes, src, "/bench/hand")
            figures["hand_again"], figures["hand_resent"] = hand_rsync(nodes, src, "/bench/hand")
        else:
            figures["first"] = role_sync(inventory, env, src, "/bench/role")
            figures["again"] = role_sync(inventory, env, src, "/bench/role")
    clear(nodes, "/bench")
    first, again = figures["first"], figures["again"]
    print(
        f"round {number + 1}: hand {figures['hand_first']:.1f} s, unchanged {figures['hand_again']:.1f} s; "
        f"data_sync {first['seconds']:.1f} s (transfer {first['transfer']:.1f} s), "
        f"unchanged {again['seconds']:.1f} s (transfer {again['transfer']:.1f} s); "
        f"load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inventory", help="inventory with a spark_cluster group (default: molecule data)")
    parser.add_argument("--size-mb", type=int, default=1024, help="dataset size (default 1024)")
    parser.add_argument("--files", type=int, default=16, help="number of files (default 16)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; medians are reported (default 3)")
    parser.add_argument(
        "--link-mbit", type=int, default=0, help="cap each worker's link at this many Mbit/s (default: none)"
    )
    parser.add_argument(
        "--data-dir", default=str(REPO / ".bed" / "bench-data"), help="where the dataset is kept"
    )
    args = parser.parse_args()

    inventory = args.inventory or molecule_inventory()
    env = dict(os.environ)
    env.setdefault("ANSIBLE_CONFIG", str(pathlib.Path(inventory).parent / "ansible.cfg"))
    env.setdefault("ANSIBLE_COLLECTIONS_PATH", str(REPO / ".collections"))
    env["PATH"] = f"{REPO / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"

    src = pathlib.Path(args.data_dir) / f"csv-{args.size_mb}mb"
    total = make_dataset(src, args.size_mb, args.files)
    nodes = inventory_nodes(inventory, env)
    names = ", ".join(n["name"] for n in nodes)
    print(f"dataset: {total} bytes in {args.files} files; nodes: {len(nodes)} ({names})")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    capped = [n for n in nodes if n["worker"]] if args.link_mbit else []
    print(
        f"links: {args.link_mbit} Mbit/s to {', '.join(n['name'] for n in capped)}"
        if capped
        else "links: the bridge's own speed"
    )
    with links(capped, args.link_mbit):
        rounds = [one_round(number, nodes, inventory, env, src) for number in range(args.rounds)]
    report(rounds)
    return 0


def report(rounds: list[dict]) -> None:
    median = statistics.median
    hand_first = median([r["hand_first"] for r in rounds])
    hand_again = median([r["hand_again"] for r in rounds])
    first = {key: median([r["first"][key] for r in rounds]) for key in ("seconds", "sent", "transfer")}
    again = {key: median([r["again"][key] for r in rounds]) for key in ("seconds", "sent", "transfer")}
    changed = max(r["again"]["changed"] for r in rounds)

    print()
    print(f"medians of {len(rounds)} round(s)")
    print(f"{'run':<32}{'seconds':>10}{'bytes sent':>16}")
    print(f"{'hand rsync, first':<32}{hand_first:>10.1f}{rounds[0]['hand_sent']:>16}")
    print(f"{'hand rsync, unchanged':<32}{hand_again:>10.1f}{rounds[0]['hand_resent']:>16}")
    print(f"{'data_sync, first (playbook)':<32}{first['seconds']:>10.1f}{first['sent']:>16.0f}")
    print(f"{'  its transfer step':<32}{first['transfer']:>10.1f}")
    print(f"{'data_sync, unchanged (playbook)':<32}{again['seconds']:>10.1f}{again['sent']:>16.0f}")
    print(f"{'  its transfer step':<32}{again['transfer']:>10.1f}")
    print(f"changed tasks in the unchanged runs (most): {changed}")
    print()
    byte_share = 100 * again["sent"] / first["sent"]
    time_share = 100 * again["seconds"] / first["seconds"]
    print(
        f"first sync / hand rsync (whole playbook):  {first['seconds'] / hand_first:.2f} x  (target <= 1.2)"
    )
    print(f"first sync / hand rsync (transfer step):   {first['transfer'] / hand_first:.2f} x")
    print(f"resync bytes / first bytes:                {byte_share:.4f} %  (target <= 1 %)")
    print(f"resync time / first time (whole playbook): {time_share:.1f} %  (target <= 10 %)")
    print(f"resync time / first time (transfer step):  {100 * again['transfer'] / first['transfer']:.1f} %")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
