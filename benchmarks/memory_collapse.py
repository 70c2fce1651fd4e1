#!/usr/bin/env python3
"""Helpers of benchmarks/memory_collapse.sh (plain Python 3, no dependencies).

generate DIR FILES ROWS MODULE_UTILS   trip CSVs DIR/2026-MM.csv (FILES x ROWS lines), skipping whole ones
expected DIR OUT MODULE_UTILS          the exact answer (trips.stats) of DIR, as JSON
sample OUT STOP DRIVER_UI NAME=CGROUP...
                                       every 3 s until the file STOP exists: each worker
                                       container's memory (cgroup v1) and the driver's REST
                                       API (stages, executors, properties), into OUT (JSON)
result OUT SETTING KEY=VALUE... [--rows F] [--expected F] | [--heavy F] [--sample F]
       [--journal NAME=F]... [--dmesg F] [--master_log F]
                                       one setting's figures, as JSON (--heavy: the output of
                                       benchmarks/files/heavy_groupby.py, which checks itself)
table RESULT...                        the side-by-side table (Markdown)
"""

import json
import os
import re
import sys
import time
import urllib.request


def _trips(module_utils):
    sys.path.insert(0, module_utils)
    import trips  # noqa: PLC0415  (the checkout's own module)

    return trips


def generate(directory, files, rows, module_utils):
    trips = _trips(module_utils)
    os.makedirs(directory, exist_ok=True)
    for month in range(1, int(files) + 1):
        path = os.path.join(directory, f"2026-{month:02d}.csv")
        if os.path.exists(path):
            continue
        tmp = os.path.join(directory, f".2026-{month:02d}.csv.tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            trips.write_trips(handle, int(rows), month)
        os.replace(tmp, path)
        print(f"[bench] data: {path}", flush=True)


def expected(directory, out, module_utils):
    trips = _trips(module_utils)
    with open(out + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(trips.stats_of_paths([directory]), handle)
    os.replace(out + ".tmp", out)


def _get(url):
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 (http URLs the harness makes)
        return json.load(answer)


def _memory_stat(cgroup):
    values = {}
    with open(os.path.join(cgroup, "memory.stat"), encoding="ascii") as handle:
        for line in handle:
            key, value = line.split()
            values[key] = int(value)
    return values


def _read_int(path):
    with open(path, encoding="ascii") as handle:
        return int(handle.read().split()[0])


def sample(out, stop, driver_ui, *workers):
    cgroups = dict(worker.split("=", 1) for worker in workers)
    state = {"workers": {name: {"peak_rss": 0, "peak_usage": 0} for name in cgroups}, "driver": {}}
    while True:
        for name, cgroup in cgroups.items():
            mine = state["workers"][name]
            try:
                stat = _memory_stat(cgroup)
                rss = stat.get("total_rss", 0) + stat.get("total_mapped_file", 0) + stat.get("total_shmem", 0)
                mine["peak_rss"] = max(mine["peak_rss"], rss)
                mine["peak_usage"] = max(
                    mine["peak_usage"], _read_int(os.path.join(cgroup, "memory.usage_in_bytes"))
                )
                mine["max_usage_in_bytes"] = _read_int(os.path.join(cgroup, "memory.max_usage_in_bytes"))
                mine["failcnt"] = _read_int(os.path.join(cgroup, "memory.failcnt"))
                with open(os.path.join(cgroup, "memory.oom_control"), encoding="ascii") as handle:
                    oom = dict(line.split() for line in handle)
                mine["oom_kill"] = int(oom.get("oom_kill", 0))
            except OSError:
                pass
        try:
            apps = _get(driver_ui + "/api/v1/applications")
            if apps:
                app = apps[0]["id"]
                base = f"{driver_ui}/api/v1/applications/{app}"
                driver = {
                    "app": app,
                    "stages": _get(base + "/stages"),
                    "executors": _get(base + "/allexecutors"),
                }
                if "properties" not in state["driver"]:
                    driver["properties"] = dict(_get(base + "/environment")["sparkProperties"])
                state["driver"].update(driver)
                state["driver"]["seen"] = time.time()
        except (OSError, ValueError, KeyError, IndexError):
            pass
        with open(out + ".tmp", "w", encoding="utf-8") as handle:
            json.dump(state, handle)
        os.replace(out + ".tmp", out)
        if os.path.exists(stop):
            return
        time.sleep(3)


EXIT = re.compile(r"Executor (\S+) finished with state (\w+)(?: message (.*?))?(?: exitStatus (-?\d+))?\s*$")


def _journal(path):
    """The executor endings a worker's journal shows, and the worst lines."""
    endings, lines = [], []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            found = EXIT.search(line)
            if found:
                endings.append(
                    {"executor": found[1], "state": found[2], "exit": found[4], "message": found[3]}
                )
            if re.search(r"OutOfMemory|exited with code|exitStatus 137|Killed|lost|ERROR", line):
                lines.append(line.rstrip()[:400])
    return endings, lines


def result(out, setting, *args):  # noqa: PLR0912, PLR0915 (one flat list of figures)
    res = {"setting": setting}
    files = {"journal": {}}
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg.startswith("--"):
            value = rest.pop(0)
            if arg == "--journal":
                name, path = value.split("=", 1)
                files["journal"][name] = path
            else:
                files[arg[2:]] = value
        else:
            key, value = arg.split("=", 1)
            res[key] = value
    # The answer: the rows the job wrote, checked as group_trips.yml checks them.
    rows = None
    if os.path.exists(files.get("rows", "")) and os.path.getsize(files["rows"]) > 0:
        with open(files["rows"], encoding="utf-8") as handle:
            rows = json.load(handle)
    res["completed"] = rows is not None
    if "heavy" in files:
        # heavy_groupby.py's one JSON line: its totals and its own check.
        line = None
        if os.path.exists(files["heavy"]):
            with open(files["heavy"], encoding="utf-8", errors="replace") as handle:
                for text in handle:
                    if text.startswith('{"heavy_groupby"'):
                        line = json.loads(text)
        res["completed"] = line is not None
        res["answer_right"] = line["ok"] if line else None
        res["problems"] = line["problems"] if line else []
        res["heavy"] = line
    elif rows is not None and os.path.exists(files.get("expected", "")):
        trips = _trips(files["module_utils"])
        with open(files["expected"], encoding="utf-8") as handle:
            problems = trips.problems(json.load(handle), rows)
        res["answer_right"] = not problems
        res["problems"] = problems[:10]
    else:
        res["answer_right"] = None
    # Executors as the worker journals saw them end.
    res["executor_endings"] = {}
    res["journal_lines"] = {}
    for name, path in files["journal"].items():
        endings, lines = _journal(path)
        res["executor_endings"][name] = endings
        res["journal_lines"][name] = lines[-40:]
    endings = [e for ends in res["executor_endings"].values() for e in ends]
    res["executors_ended"] = len(endings)
    # An executor the worker killed at the application's end (state KILLED) is normal;
    # EXITED / FAILED / LOST while the application ran are executors lost.
    res["executors_lost"] = sum(1 for e in endings if e["state"] in ("EXITED", "FAILED", "LOST"))
    res["exit_137"] = sum(1 for e in endings if e["exit"] == "137" or "code 137" in (e["message"] or ""))
    # The master's view: workers it removed or lost (its journal over the job).
    if os.path.exists(files.get("master_log", "")):
        with open(files["master_log"], encoding="utf-8", errors="replace") as handle:
            lines = [line.rstrip()[:400] for line in handle]
        res["master_removing_worker"] = sum("Removing worker" in line for line in lines)
        res["master_lost_lines"] = sum(bool(re.search(r"\blost\b", line, re.IGNORECASE)) for line in lines)
        noteworthy = re.compile(r"Removing worker|\blost\b|timed out|DEAD", re.IGNORECASE)
        res["master_lines"] = [line for line in lines if noteworthy.search(line)][-20:]
    # Kernel OOM kills in the window (host dmesg).
    if os.path.exists(files.get("dmesg", "")):
        with open(files["dmesg"], encoding="utf-8", errors="replace") as handle:
            kills = [line.rstrip() for line in handle if re.search(r"Killed process|oom-kill:", line)]
        res["kernel_oom_kills"] = sum(1 for line in kills if "Killed process" in line)
        res["kernel_oom_lines"] = kills[-10:]
    # Memory and the driver's view.
    if os.path.exists(files.get("sample", "")):
        with open(files["sample"], encoding="utf-8") as handle:
            state = json.load(handle)
        res["memory"] = state["workers"]
        driver = state.get("driver", {})
        stages = driver.get("stages", [])
        res["spill_memory_bytes"] = sum(s.get("memoryBytesSpilled", 0) for s in stages)
        res["spill_disk_bytes"] = sum(s.get("diskBytesSpilled", 0) for s in stages)
        res["stages"] = [
            {
                key: s.get(key)
                for key in (
                    "stageId",
                    "attemptId",
                    "status",
                    "numCompleteTasks",
                    "numFailedTasks",
                    "numTasks",
                    "inputBytes",
                    "shuffleWriteBytes",
                    "memoryBytesSpilled",
                    "diskBytesSpilled",
                    "failureReason",
                )
            }
            for s in stages
        ]
        executors = [e for e in driver.get("executors", []) if e.get("id") != "driver"]
        res["driver_executors"] = len(executors)
        # Unified memory (execution + storage) of one executor: the driver's maxMemory.
        res["executor_max_memory"] = max((e.get("maxMemory") or 0 for e in executors), default=0)
        res["driver_time"] = driver.get("seen")
        res["driver_executors_removed"] = [
            {"id": e["id"], "host": e.get("hostPort"), "reason": e.get("removeReason")}
            for e in executors
            if not e.get("isActive", True)
        ]
        props = driver.get("properties", {})
        res["properties"] = {
            k: v
            for k, v in props.items()
            if k.startswith(
                (
                    "spark.executor",
                    "spark.sql.shuffle",
                    "spark.task",
                    "spark.driver.memory",
                    "spark.cores",
                    "spark.memory",
                    "spark.reducer",
                    "spark.shuffle",
                    "spark.network",
                )
            )
        }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(res, handle, indent=1)


def _mb(value):
    return f"{int(value) / 2**20:.0f}" if value not in (None, "") else "-"


def _heap(r):
    """spark.executor.memory as the application got it (Spark's default when unset: 1g)."""
    return r.get("properties", {}).get("spark.executor.memory") or "1g (Spark's default)"


def _heap_mb(r):
    text = _heap(r).split()[0].lower()
    scale = {"g": 1024, "m": 1, "k": 1 / 1024}
    return float(text[:-1]) * scale[text[-1]] if text[-1] in scale else float(text) / 2**20


def table(*paths):
    results = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            results.append(json.load(handle))
    names = [r["setting"] for r in results]
    rows = [
        ("collection commit", lambda r: r.get("commit", "-")),
        ("worker offers (each)", lambda r: r.get("worker_memory", "-")),
        ("worker daemon heap", lambda r: r.get("daemon_memory", "-")),
        ("spark.executor.memory", _heap),
        ("spark.executor.cores", lambda r: r.get("properties", {}).get("spark.executor.cores", "(all: 4)")),
        (
            "spark.sql.shuffle.partitions",
            lambda r: r.get("properties", {}).get("spark.sql.shuffle.partitions", "-"),
        ),
        (
            "spark.task.cpus",
            lambda r: r.get("properties", {}).get("spark.task.cpus", "(1)"),
        ),
        (
            "executor heaps in the cluster",
            lambda r: (
                f"{r.get('workers', '?')} x {_heap(r).split()[0]} = "
                f"{int(r.get('workers', 0)) * _heap_mb(r):.0f} MB"
            ),
        ),
        (
            "unified memory in the cluster (driver's maxMemory)",
            lambda r: (
                f"{r.get('workers', '?')} x {_mb(r.get('executor_max_memory'))} = "
                f"{_mb(int(r.get('workers', 0)) * (r.get('executor_max_memory') or 0))} MB"
            ),
        ),
        (
            "completed within the limit",
            lambda r: "yes" if r["completed"] else f"no (limit {r.get('limit', '?')} s)",
        ),
        ("answer right", lambda r: {True: "yes", False: "NO", None: "-"}[r["answer_right"]]),
        (
            "wall seconds (group_trips.yml / spark-submit)",
            lambda r: r.get("wall", "-"),
        ),
        ("job seconds (its own clock)", lambda r: r.get("job_seconds", "-") or "-"),
        ("executors started (driver)", lambda r: r.get("driver_executors", "-")),
        ("executors lost (worker journals: EXITED/FAILED)", lambda r: r["executors_lost"]),
        ("  of them exit code 137", lambda r: r["exit_137"]),
        ("kernel OOM kills (dmesg)", lambda r: r.get("kernel_oom_kills", "-")),
        ("executors removed (driver's list)", lambda r: len(r.get("driver_executors_removed", []))),
        (
            "failed tasks (all stages)",
            lambda r: sum((s.get("numFailedTasks") or 0) for s in r.get("stages", [])),
        ),
        ("failed stage attempts", lambda r: sum(s.get("status") == "FAILED" for s in r.get("stages", []))),
        ("master: 'Removing worker' lines", lambda r: r.get("master_removing_worker", "-")),
        ("master: lines with 'lost'", lambda r: r.get("master_lost_lines", "-")),
        ("spilled, memory (MB)", lambda r: _mb(r.get("spill_memory_bytes"))),
        ("spilled, disk (MB)", lambda r: _mb(r.get("spill_disk_bytes"))),
    ]
    workers = sorted({w for r in results for w in r.get("memory", {})})
    for worker in workers:
        rows.append(
            (
                f"{worker}: peak usage incl. page cache (MB)",
                lambda r, w=worker: _mb(r.get("memory", {}).get(w, {}).get("max_usage_in_bytes")),
            )
        )
        rows.append(
            (
                f"{worker}: peak process memory, sampled every 3 s (MB)",
                lambda r, w=worker: _mb(r.get("memory", {}).get(w, {}).get("peak_rss")),
            )
        )
        rows.append(
            (
                f"{worker}: cgroup OOM kills",
                lambda r, w=worker: r.get("memory", {}).get(w, {}).get("oom_kill", "-"),
            )
        )
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for label, get in rows:
        print(f"| {label} | " + " | ".join(str(get(r)) for r in results) + " |")


if __name__ == "__main__":
    commands = {
        "generate": generate,
        "expected": expected,
        "sample": sample,
        "result": result,
        "table": table,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
