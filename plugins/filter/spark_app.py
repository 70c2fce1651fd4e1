# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Filters of the spark_app role and the pipeline playbooks: the application plan, systemd
calendar expressions, the application id a driver prints, the run record and the run table.

Plain functions, so tests/unit can call them without a play.
"""

from __future__ import annotations

import json
import posixpath
import re
import time

from ansible_collections.picluster.spark.plugins.module_utils.spark_memory import (
    SparkMemoryError,
    parse_memory_mb,
)

APP_KEYS = (
    "name",
    "src",
    "py_files",
    "main_class",
    "args",
    "datasets",
    "executor_memory",
    "executor_cores",
    "timeout",
    "schedule",
    "state",
)
STATES = ("present", "absent")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_JAVA_CLASS = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$")

# systemd.time(7): the calendar shorthands and the fields of a full expression.
CALENDAR_SHORTHANDS = (
    "minutely",
    "hourly",
    "daily",
    "monthly",
    "weekly",
    "yearly",
    "annually",
    "quarterly",
    "semiannually",
)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = {
    name: i
    for i, day in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    for name in (day, day[:3])
}
_FIELD_RANGES = {
    "year": (1970, 2199),
    "month": (1, 12),
    "day": (1, 31),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}
_NUMBER = re.compile(r"^\d+$")
_SECOND = re.compile(r"^\d+(\.\d{1,6})?$")
_TIMEZONE = re.compile(r"^(UTC|GMT|[A-Z][A-Za-z_+-]*(/[A-Za-z0-9_+-]+)+)$")

# What `timeout` (coreutils) returns when it stopped the command: 124 after its
# TERM, 137 (128 + KILL) when the command outlived --kill-after too.
TIMEOUT_EXIT_CODES = (124, 137)
# Where a standalone driver names its application, and any application id.
_APP_ID_LINE = re.compile(r"Connected to Spark cluster with app ID (app-\d{14}-\d{4,})")
_APP_ID = re.compile(r"\b(app-\d{14}-\d{4,})\b")


def _field_problems(what, text):
    """Problems of one calendar field (a year, month, day, hour, minute or second)."""
    low, high = _FIELD_RANGES[what]
    number = _SECOND if what == "second" else _NUMBER
    problems = []
    for part in text.split(","):
        value, _, repeat = part.partition("/")
        if repeat and not (_NUMBER.match(repeat) and int(repeat) > 0):
            problems.append(f"{what} '{part}': the repetition after '/' must be a whole number above 0")
        if value == "*":
            continue
        ends = value.split("..")
        if what == "day" and len(ends) == 1 and "~" in value:
            # "~7" counts from the month's end.
            ends = [value.replace("~", "", 1)]
        if len(ends) > 2 or not all(number.match(end) for end in ends):
            problems.append(f"{what} '{part}' is not a number, a range A..B, '*' or one of these with /N")
            continue
        out = [end for end in ends if not low <= float(end) <= high]
        if out:
            problems.append(f"{what} {', '.join(out)} is outside {low}..{high}")
        elif len(ends) == 2 and float(ends[0]) > float(ends[1]):
            problems.append(f"{what} range '{value}' runs backwards")
    return problems


def _weekday_problems(text):
    problems = []
    for part in text.split(","):
        ends = part.split("..")
        unknown = [end for end in ends if end.lower() not in _WEEKDAY_NAMES]
        if len(ends) > 2 or unknown or not part:
            problems.append(f"weekday '{part}' is not a day name (Mon..Sun), a range Mon..Fri or a list")
    return problems


def _date_problems(text):
    fields = text.split("-")
    if len(fields) == 2:
        fields = ["*", *fields]
    if len(fields) != 3 or not all(fields):
        return [f"date '{text}' is not [YEAR-]MONTH-DAY"]
    year, month, day = fields
    return _field_problems("year", year) + _field_problems("month", month) + _field_problems("day", day)


def _time_problems(text):
    fields = text.split(":")
    if len(fields) not in (2, 3) or not all(fields):
        return [f"time '{text}' is not HOUR:MINUTE[:SECOND]"]
    names = ("hour", "minute", "second")
    return [p for name, value in zip(names, fields, strict=False) for p in _field_problems(name, value)]


def spark_app_calendar_problems(expression):
    """What keeps `expression` from being a systemd OnCalendar= value; [] when it parses.

    Covers systemd.time(7)'s shorthands (daily, hourly, ...) and full expressions
    `[WEEKDAYS] [[YEAR-]MONTH-DAY] [HOUR:MINUTE[:SECOND]] [TIMEZONE]` whose fields are
    numbers, ranges `A..B`, lists, `*` and repetitions `/N` (the day also `~N`), with
    each value inside its field's range. It does not know every timezone name.
    """
    if not isinstance(expression, str) or not expression.strip():
        return ["the schedule is empty; give an OnCalendar expression such as 'daily' or '*-*-* 00/4:00'"]
    tokens = expression.split()
    if len(tokens) == 1 and tokens[0].lower() in CALENDAR_SHORTHANDS:
        return []
    problems = []
    parts = {}
    for index, token in enumerate(tokens):
        if index == 0 and token[:3].lower() in _WEEKDAYS and "-" not in token and ":" not in token:
            parts["weekdays"] = token
        elif ":" in token and "time" not in parts:
            parts["time"] = token
        elif "-" in token and token[0] in "0123456789*" and "date" not in parts and "time" not in parts:
            parts["date"] = token
        elif index == len(tokens) - 1 and index > 0 and _TIMEZONE.match(token):
            parts["timezone"] = token
        else:
            problems.append(f"'{token}' is no weekday, date, time or timezone here")
    if problems:
        return [f"schedule '{expression}': {p}" for p in problems]
    if set(parts) <= {"timezone"}:
        return [f"schedule '{expression}' has no weekday, date or time"]
    checks = {"weekdays": _weekday_problems, "date": _date_problems, "time": _time_problems}
    for part, check in checks.items():
        if part in parts:
            problems += check(parts[part])
    return [f"schedule '{expression}': {p}" for p in problems]


def _offer_problems(label, memory_mb, cores, offers):
    """Problems when no worker offers an executor of memory_mb and cores."""
    if not offers:
        return []
    if any(o["memory_mb"] >= memory_mb and o["cores"] >= cores for o in offers):
        return []
    best_memory = max(o["memory_mb"] for o in offers)
    best_cores = max(o["cores"] for o in offers)
    return [
        f"{label}: an executor of {memory_mb} MB and {cores} core(s) is larger than any worker offers "
        f"(at most {best_memory} MB and {best_cores} cores, from the workers' memory budget, "
        "docs/memory.md); "
        "lower executor_memory / executor_cores, or leave them empty for spark-defaults.conf's"
    ]


def _label(app, index):
    return f"spark_app_applications[{index}]" + (f" ({app['name']})" if app.get("name") else "")


def _fill(index, app, defaults, problems):
    """One application with defaults filled in, or None (and a problem) when it is no mapping."""
    if not isinstance(app, dict):
        problems.append(f"spark_app_applications[{index}] must be a mapping, got {app!r}")
        return None
    item = dict(defaults)
    item.update({k: v for k, v in app.items() if v is not None})
    label = _label(item, index)
    unknown = sorted(set(app) - set(APP_KEYS))
    if unknown:
        problems.append(f"{label}: unknown key(s) {', '.join(unknown)}; known: {', '.join(APP_KEYS)}")
        return None
    for key in ("name", "src", "py_files", "main_class", "schedule", "state", "executor_memory"):
        item[key] = str(item.get(key) or "")
    for key in ("args", "datasets"):
        value = item.get(key) or []
        if isinstance(value, str) or not isinstance(value, list):
            problems.append(f"{label}: {key} must be a list, got {value!r}")
            value = []
        item[key] = [str(v) for v in value]
    return item


def _number(item, key, label, problems, low):
    value = item.get(key)
    try:
        number = int(value)
        if str(number) != str(value).strip() and not isinstance(value, int):
            raise ValueError
    except (TypeError, ValueError):
        problems.append(f"{label}: {key} must be a whole number, got {value!r}")
        return None
    if number < low:
        problems.append(f"{label}: {key} must be at least {low}, got {number}")
        return None
    return number


def _app_problems(item, label, datasets, offers):
    """What is wrong with one filled-in application (files on the controller aside)."""
    problems = []
    if not _NAME.match(item["name"]):
        problems.append(
            f"{label}: name must be letters, digits, '.', '_' or '-' (it names a directory and units)"
        )
    if item["state"] not in STATES:
        problems.append(f"{label}: state must be present or absent, got {item['state']!r}")
    src = item["src"]
    if not (posixpath.isabs(src) or src.startswith("~/")):
        problems.append(f"{label}: src must be an absolute path on the controller, got {src!r}")
    if not item["kind"]:
        problems.append(f"{label}: src must be a PySpark .py file or a .jar, got {src!r}")
    if item["kind"] == "jar" and not item["main_class"]:
        problems.append(
            f"{label}: a JAR needs main_class, the class spark-submit starts (such as org.example.Main)"
        )
    if item["main_class"] and not _JAVA_CLASS.match(item["main_class"]):
        problems.append(f"{label}: main_class {item['main_class']!r} is not a Java class name")
    if item["kind"] == "python" and item["main_class"]:
        problems.append(f"{label}: main_class is for JARs; a .py application has none")
    if item["py_files"] and not item["py_files"].endswith((".zip", ".egg", ".py")):
        problems.append(
            f"{label}: py_files must be a .zip (or .egg, .py) of modules, got {item['py_files']!r}"
        )
    if item["py_files"] and item["kind"] == "jar":
        problems.append(f"{label}: py_files is for PySpark applications")
    unknown = [d for d in item["datasets"] if d not in datasets]
    if unknown:
        problems.append(
            f"{label}: dataset(s) {', '.join(unknown)} not in data_sync_datasets"
            f" (declared: {', '.join(datasets) or 'none'})"
        )
    if item["schedule"]:
        problems += [f"{label}: {p}" for p in spark_app_calendar_problems(item["schedule"])]
    return problems


def _resources(item, label, offers, problems):
    """Read timeout, executor_cores and executor_memory into numbers; check them against the offers."""
    item["timeout"] = _number(item, "timeout", label, problems, 1)
    cores = 0
    if item.get("executor_cores") not in (None, "", 0, "0"):
        cores = _number(item, "executor_cores", label, problems, 1) or 0
    item["executor_cores"] = cores
    memory_mb = 0
    if item["executor_memory"]:
        try:
            memory_mb = parse_memory_mb(item["executor_memory"])
        except SparkMemoryError as exc:
            problems.append(f"{label}: executor_memory {exc}")
    if memory_mb or cores:
        problems += _offer_problems(label, memory_mb, cores or 1, offers)


def _submit_options(item):
    """spark-submit's options before the code: the main class, the modules, the executor size."""
    options = []
    if item["kind"] == "jar" and item["main_class"]:
        options += ["--class", item["main_class"]]
    if item["py_files_path"]:
        options += ["--py-files", item["py_files_path"]]
    if item["executor_memory"]:
        options += ["--executor-memory", item["executor_memory"]]
    if item["executor_cores"]:
        options += ["--conf", f"spark.executor.cores={item['executor_cores']}"]
    return options


def spark_app_plan(applications, base_dir, datasets, offers, defaults=None):
    """The applications with every key filled in, and what is wrong with them.

    ``applications`` is spark_app_applications; ``base_dir`` the directory on every
    node under which each application gets its own (``base_dir/NAME``); ``datasets``
    the names data_sync_datasets declares; ``offers`` what each worker offers
    ([{host, memory_mb, cores}], filter cluster_worker_offers; empty skips the check);
    ``defaults`` the role's defaults for the optional keys.

    Returns {"applications": [...], "problems": [...]}. Each application gains
    ``kind`` (python or jar), ``dir``, ``path`` (the code on every node),
    ``py_files_path``, ``files`` (what the controller holds: src and py_files) and
    ``submit_options`` (spark-submit options before the code).
    Files on the controller are not looked at here (the role's pre-flight does).
    """
    if not isinstance(applications, list):
        return {
            "applications": [],
            "problems": [f"spark_app_applications must be a list, got {applications!r}"],
        }
    problems = []
    if not posixpath.isabs(str(base_dir)) or posixpath.normpath(str(base_dir)) == "/":
        problems.append(f"spark_app_base_dir must be an absolute directory other than /, got {base_dir!r}")
    filled = []
    for index, app in enumerate(applications):
        item = _fill(index, app, dict(defaults or {}), problems)
        if item is None:
            continue
        label = _label(item, index)
        src = item["src"]
        item["kind"] = "python" if src.endswith(".py") else "jar" if src.endswith(".jar") else ""
        problems += _app_problems(item, label, datasets, offers)
        _resources(item, label, offers, problems)
        item["dir"] = posixpath.join(str(base_dir), item["name"])
        item["path"] = posixpath.join(item["dir"], posixpath.basename(src))
        modules = item["py_files"]
        item["py_files_path"] = posixpath.join(item["dir"], posixpath.basename(modules)) if modules else ""
        item["submit_options"] = _submit_options(item)
        item["files"] = [src, modules] if modules else [src]
        filled.append(item)
    names = [a["name"] for a in filled]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        problems.append(f"spark_app_applications: name(s) {', '.join(twice)} used more than once")
    return {"applications": filled, "problems": problems}


def spark_app_id(lines):
    """The Spark application id a driver's output names, or "" when it names none.

    A standalone driver logs "Connected to Spark cluster with app ID app-...": that
    line wins; otherwise the first app-YYYYMMDDhhmmss-NNNN anywhere.
    """
    if isinstance(lines, str):
        lines = lines.splitlines()
    for line in lines or []:
        found = _APP_ID_LINE.search(line)
        if found:
            return found.group(1)
    for line in lines or []:
        found = _APP_ID.search(line)
        if found:
            return found.group(1)
    return ""


def _iso(timestamp):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(float(timestamp)))


def spark_app_run_record(submit, application, started, ended, timeout, *, bytes_synced=0, error=""):
    """The run history's record of one run, as a dict (one JSON line in the file).

    ``submit`` is the spark-submit task's registered result (None or {} when the job
    never started, for example when the data sync failed: ``error`` says why);
    ``started``/``ended`` are Unix times; ``timeout`` the application's time limit in
    seconds. The state is succeeded (exit 0), timed_out (`timeout`'s exit codes 124 or
    137 after the limit, or Ansible's own task timeout) or failed.
    """
    submit = submit or {}
    seconds = round(max(0.0, float(ended) - float(started)), 1)
    rc = submit.get("rc")
    lines = list(submit.get("stderr_lines") or []) + list(submit.get("stdout_lines") or [])
    if rc is None and not error and "expected time frame" in str(submit.get("msg", "")):
        state = "timed_out"
    elif rc == 0 and not error:
        state = "succeeded"
    elif rc in TIMEOUT_EXIT_CODES and seconds >= float(timeout):
        state = "timed_out"
    else:
        state = "failed"
    record = {
        "application": application,
        "start": _iso(started),
        "end": _iso(ended),
        "seconds": seconds,
        "state": state,
        "app_id": spark_app_id(lines),
        "exit_code": rc,
        "bytes_synced": int(bytes_synced or 0),
    }
    if error:
        record["error"] = error
    return record


def spark_app_runs_table(text, last=10, application=""):
    """The last ``last`` records of the run history (JSON lines) as the lines of a table.

    Lines that are not JSON objects are skipped (a file cut by a full disk keeps the rest
    readable); ``application`` keeps only that application's runs.
    """
    rows = []
    for line in str(text or "").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and (not application or record.get("application") == application):
            rows.append(record)
    rows = rows[-int(last) :] if int(last) > 0 else []
    header = ("application", "start", "seconds", "state", "app id", "exit", "bytes synced")
    table = [header]
    for r in rows:
        table.append(
            (
                str(r.get("application", "")),
                str(r.get("start", "")),
                f"{float(r.get('seconds') or 0):.1f}",
                str(r.get("state", "")),
                str(r.get("app_id") or "-"),
                "-" if r.get("exit_code") is None else str(r.get("exit_code")),
                str(r.get("bytes_synced", 0)),
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table]
    if not rows:
        lines.append("(no runs recorded yet)")
    return lines


class FilterModule:
    """The spark_app role's and the pipeline playbooks' decisions."""

    def filters(self):
        return {
            "spark_app_plan": spark_app_plan,
            "spark_app_calendar_problems": spark_app_calendar_problems,
            "spark_app_id": spark_app_id,
            "spark_app_run_record": spark_app_run_record,
            "spark_app_runs_table": spark_app_runs_table,
        }
