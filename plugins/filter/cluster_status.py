# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The cluster_status_report and cluster_status_table filters: what
playbooks/cluster_status.yml prints and writes.

The report joins three sources: the master's /json/ answer (as ansible.builtin.uri
registered it), the inventory's layout and expected totals (playbooks/vars/cluster.yml),
and each worker's Spark version, read from where its SPARK_HOME link points (the
workers' own /json/ carries no version: Spark's JsonProtocol.writeWorkerState has
none). Plain functions, so tests/unit can call them with dicts.
"""

from __future__ import annotations

import datetime
import posixpath
import re
from collections.abc import Mapping

from ansible_collections.picluster.spark.plugins.module_utils.spark_master import (
    ALIVE,
    PollError,
    classify_failure,
    json_number,
    json_url,
    parse_master_json,
)

# The variable cluster_status.yml registers SPARK_HOME's stat in, on each worker.
SPARK_HOME_VAR = "picluster_status_spark_home"
# spark_install unpacks spark-<version>-bin-<hadoop> and points SPARK_HOME at it.
_VERSION = re.compile(r"^spark-([0-9]+(?:\.[0-9]+)+(?:-preview[0-9]*)?)(?:-bin-.*)?$")
MISSING = "MISSING"


def spark_version(stat_result):
    """Spark's version from a registered ansible.builtin.stat of SPARK_HOME, or None.

    The directory SPARK_HOME points to (or is) is named spark-<version>-bin-<hadoop>.
    An unreachable node, a failed stat, a missing path or another name give None.
    """
    if not isinstance(stat_result, Mapping) or stat_result.get("unreachable") or stat_result.get("failed"):
        return None
    stat = stat_result.get("stat") or {}
    if not stat.get("exists"):
        return None
    path = str(stat.get("lnk_source") or stat.get("path") or "").rstrip("/")
    match = _VERSION.match(posixpath.basename(path))
    return match.group(1) if match else None


def _norm(host):
    return str(host).strip().strip("[]").rstrip(".").lower()


def _registered(hostvars, host):
    # Ansible's hostvars answers an unknown host with an undefined value, not a KeyError.
    if host not in hostvars:
        return None
    return hostvars[host].get(SPARK_HOME_VAR)


def _master_doc(answer, url):
    """(the master's JSON document, None) or (None, why there is none) from uri's result."""
    if not isinstance(answer, Mapping) or not answer:
        return None, f"no answer recorded from {url}"
    status = answer.get("status", -1)
    if not isinstance(status, int) or not 200 <= status < 300:
        failure = classify_failure(
            {"status": status if isinstance(status, int) else -1, "msg": answer.get("msg", "")}, url
        )
        return None, failure.detail
    parsed = parse_master_json(answer.get("content") or "")
    if isinstance(parsed, PollError):
        return None, parsed.detail
    return parsed, None


def _duration(ms):
    seconds = max(0, int(json_number(ms) // 1000))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def _started(ms):
    if not json_number(ms):
        return None
    moment = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.UTC)
    return moment.isoformat(timespec="seconds")


def _application(app):
    # Spark 3.x and 4.x name it memoryperexecutor; older ones only memoryperslave.
    memory = app.get("memoryperexecutor", app.get("memoryperslave"))
    return {
        "id": app.get("id"),
        "name": app.get("name"),
        "user": app.get("user"),
        "state": app.get("state"),
        "cores": json_number(app.get("cores")),
        "memory_per_executor_mb": json_number(memory),
        "started": _started(app.get("starttime")),
        "duration_ms": json_number(app.get("duration")),
        "duration": _duration(app.get("duration")),
    }


def report(answer, layout, expected, hostvars=None):
    """The cluster's status document: master, workers, applications, totals, problems.

    ``answer``: ansible.builtin.uri's registered result for the master's /json/
    (return_content). ``layout``: cluster_layout's result. ``expected``:
    cluster_worker_totals' result ({cores, memory_mb}). ``hostvars``: each worker's
    registered stat of SPARK_HOME in ``picluster_status_spark_home`` (for its version).
    ``complete`` is true when the master is ALIVE, every inventory worker has an ALIVE
    entry and the ALIVE workers offer at least the expected cores and memory;
    ``problems`` says what is not so, naming the missing or dead workers.
    """
    hostvars = hostvars or {}
    inventory = list(layout.get("workers") or [])
    address_of = dict(layout.get("address_of") or {})
    url = json_url(layout["master_ui"]) if layout.get("master_ui") else ""
    doc, error = _master_doc(answer, url)

    # A worker registers with its cluster address; the inventory name is found by it.
    name_of = {}
    for host in inventory:
        address = address_of.get(host, host)
        name_of.setdefault(_norm(address), host)
        name_of.setdefault(_norm(host), host)
    version_of = {host: spark_version(_registered(hostvars, host)) for host in inventory}

    workers = []
    for entry in (doc or {}).get("workers", []):
        name = name_of.get(_norm(entry.get("host", "")))
        workers.append(
            {
                "name": name,
                "host": entry.get("host"),
                "port": entry.get("port"),
                "id": entry.get("id"),
                "state": entry.get("state"),
                "cores": json_number(entry.get("cores")),
                "cores_used": json_number(entry.get("coresused")),
                "memory_mb": json_number(entry.get("memory")),
                "memory_used_mb": json_number(entry.get("memoryused")),
                "webui": entry.get("webuiaddress"),
                "spark_version": version_of.get(name),
            }
        )
    alive = [w for w in workers if w["state"] == ALIVE]
    alive_names = {w["name"] for w in alive if w["name"]}
    missing = [host for host in inventory if host not in alive_names]
    reasons = []
    for host in missing:
        states = [w["state"] for w in workers if w["name"] == host]
        reasons.append(f"{host} ({', '.join(states)})" if states else f"{host} (not registered)")
        if doc is not None and not states:
            # Listed too, so the table shows every inventory worker.
            workers.append(
                {
                    "name": host,
                    "host": address_of.get(host, host),
                    "port": None,
                    "id": None,
                    "state": MISSING,
                    "cores": 0,
                    "cores_used": 0,
                    "memory_mb": 0,
                    "memory_used_mb": 0,
                    "webui": None,
                    "spark_version": version_of.get(host),
                }
            )
    order = {host: index for index, host in enumerate(inventory)}
    workers.sort(
        key=lambda w: (order.get(w["name"], len(order)), _norm(w["host"] or ""), w["state"] != ALIVE)
    )

    totals = {
        "workers": len(alive),
        "cores": sum(w["cores"] for w in alive),
        "cores_used": sum(w["cores_used"] for w in alive),
        "memory_mb": sum(w["memory_mb"] for w in alive),
        "memory_used_mb": sum(w["memory_used_mb"] for w in alive),
    }
    want = {
        "workers": len(inventory),
        "cores": int(expected.get("cores") or 0),
        "memory_mb": int(expected.get("memory_mb") or 0),
    }
    problems = []
    status = None
    if doc is None:
        problems.append(f"no usable answer from the Spark master: {error}")
    else:
        status = doc["status"]
        if status != ALIVE:
            problems.append(f"master status {status}, not ALIVE")
        if missing:
            problems.append("missing or dead workers: " + ", ".join(reasons))
        if totals["cores"] < want["cores"]:
            problems.append(f"cores {totals['cores']} < {want['cores']}")
        if totals["memory_mb"] < want["memory_mb"]:
            problems.append(f"memory {totals['memory_mb']} MB < {want['memory_mb']} MB")
    applications = sorted(
        (_application(app) for app in (doc or {}).get("activeapps") or [] if isinstance(app, Mapping)),
        key=lambda a: (a["started"] or "", str(a["id"])),
    )
    return {
        "complete": not problems,
        "problems": problems,
        "missing": missing,
        "master": {
            "name": layout.get("master", ""),
            "url": layout.get("master_url", ""),
            "ui": layout.get("master_ui", ""),
            # Past applications; "" when the history server is off. Not read here.
            "history_ui": layout.get("history_ui", ""),
            "status": status,
            "error": error,
        },
        "workers": workers,
        "applications": applications,
        "totals": totals,
        "expected": want,
    }


_WORKER_ROW = "%-8s %-16s %-7s %7s %15s  %s"
_APP_ROW = "%-20s %-26s %5s %12s %-9s %s"


def _text(value, empty="-"):
    return empty if value is None or value == "" else str(value)


def table(status):
    """Lines of a table of cluster_status_report's document, for a person to read.

    Workers (used/offered cores and memory, Spark version), the ALIVE totals and what the
    inventory expects, the running applications, the master's state, URL and web UI, the
    history server's web UI when it is on, and the verdict: complete, or the problems.
    """
    lines = [_WORKER_ROW % ("WORKER", "ADDRESS", "STATE", "CORES", "MEMORY", "SPARK")]
    for w in status["workers"]:
        lines.append(
            _WORKER_ROW
            % (
                _text(w["name"], "?"),
                _text(w["host"]),
                _text(w["state"]),
                f"{w['cores_used']}/{w['cores']}",
                f"{w['memory_used_mb']}/{w['memory_mb']} MB",
                _text(w["spark_version"], "?"),
            )
        )
    totals, want = status["totals"], status["expected"]
    lines.append(
        _WORKER_ROW
        % (
            "total",
            f"{totals['workers']} of {want['workers']} ALIVE",
            "",
            f"{totals['cores_used']}/{totals['cores']}",
            f"{totals['memory_used_mb']}/{totals['memory_mb']} MB",
            "",
        )
    )
    lines.append(
        _WORKER_ROW
        % ("expected", f"{want['workers']} workers", "", want["cores"], f"{want['memory_mb']} MB", "")
    )
    lines.append("")
    if status["applications"]:
        lines.append(_APP_ROW % ("APPLICATION", "ID", "CORES", "MEM/EXECUTOR", "STATE", "DURATION"))
        for app in status["applications"]:
            lines.append(
                _APP_ROW
                % (
                    _text(app["name"]),
                    _text(app["id"]),
                    app["cores"],
                    f"{app['memory_per_executor_mb']} MB",
                    _text(app["state"]),
                    app["duration"],
                )
            )
    else:
        lines.append("no running applications")
    master = status["master"]
    lines.append(f"master {_text(master['status'])} at {_text(master['url'])}; web UI {_text(master['ui'])}")
    if master.get("history_ui"):
        lines.append(f"past applications: history server {master['history_ui']}")
    if status["complete"]:
        lines.append("complete: every worker of the inventory is ALIVE with the expected cores and memory")
    else:
        lines.append("NOT COMPLETE: " + "; ".join(status["problems"]))
    # One string per printed line, even where a value holds a line break.
    return [line.rstrip() for line in "\n".join(lines).splitlines()]


class FilterModule:
    """The cluster's status, as a document and as a table."""

    def filters(self):
        return {
            "cluster_status_report": report,
            "cluster_status_table": table,
        }
