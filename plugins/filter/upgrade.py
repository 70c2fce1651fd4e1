# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Filters of the rolling upgrade (playbooks/upgrade.yml) and of spark_install's
pruning: the batch size's problems, the running applications that hold an upgrade
back, the worker ids a restart replaces, the releases to prune, and which node runs
which release.

Plain functions, so tests/unit can call them with dicts.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Mapping

from ansible_collections.picluster.spark.plugins.filter.cluster_status import spark_version
from ansible_collections.picluster.spark.plugins.module_utils.whole_number import whole_number

# spark_install unpacks spark-<version>-bin-<hadoop> under its root.
RELEASE_PATTERN = "spark-*-bin-*"


def batch_problems(batch, workers):
    """What is wrong with ``batch`` (workers restarted at a time) for ``workers`` workers.

    A whole number from 1 to the number of workers; anything else is refused with the
    range, before any node changes.
    """
    count = len(workers) if isinstance(workers, (list, tuple)) else int(workers)
    value = whole_number(batch.strip() if isinstance(batch, str) else batch, digits=18)
    if value is None or value < 0:
        return [f"picluster_upgrade_batch must be a whole number of workers from 1 to {count}, got '{batch}'"]
    if value < 1:
        return [
            f"picluster_upgrade_batch is {value}: at least one worker must restart at a time (1 to {count})"
        ]
    if value > count:
        plural = "s" if count != 1 else ""
        return [
            f"picluster_upgrade_batch is {value} but the cluster has {count} worker{plural}: "
            f"a batch larger than the cluster is not a rolling upgrade (1 to {count})"
        ]
    return []


def _master_doc(answer):
    """The master's /json/ document from a registered uri result (or the document itself)."""
    if not isinstance(answer, Mapping):
        return {}
    if "workers" in answer or "activeapps" in answer:
        return answer
    doc = answer.get("json")
    return doc if isinstance(doc, Mapping) else {}


def active_apps(answer):
    """The applications the master runs, as ``name (id)``, from its /json/ answer."""
    apps = _master_doc(answer).get("activeapps") or []
    return [f"{app.get('name', '?')} ({app.get('id', '?')})" for app in apps if isinstance(app, Mapping)]


def worker_ids(answer, address):
    """The ids the master lists for workers on ``address`` (any state).

    upgrade.yml reads them before it restarts a worker and hands them to
    wait_for_workers as replaced: only the new registration then counts.
    """
    workers = _master_doc(answer).get("workers") or []
    return [
        str(worker["id"])
        for worker in workers
        if isinstance(worker, Mapping) and worker.get("host") == address and worker.get("id")
    ]


def prune_paths(found, keep):
    """The releases to remove: every ``found`` release directory not in ``keep``.

    ``found`` is ansible.builtin.find's registered result (or a list of paths);
    ``keep`` lists the directories SPARK_HOME and the previous-release link point to
    (empty entries are ignored). Only names spark_install gives a release
    (spark-*-bin-*) are ever returned.
    """
    if isinstance(found, Mapping):
        found = [item.get("path") for item in found.get("files") or []]
    kept = {posixpath.normpath(str(path)) for path in keep or [] if path}
    return sorted(
        posixpath.normpath(str(path))
        for path in found or []
        if path
        and fnmatch.fnmatchcase(posixpath.basename(str(path).rstrip("/")), RELEASE_PATTERN)
        and posixpath.normpath(str(path)) not in kept
    )


def release_report(stats, target):
    """Which node runs which release, after an upgrade stopped or finished.

    ``stats`` maps each node to its registered stat of SPARK_HOME; ``target`` is the
    release asked for. Returns {on_target, elsewhere: {version: [nodes]}, unknown, lines}.
    """
    on_target, elsewhere, unknown = [], {}, []
    for host, stat in (stats or {}).items():
        version = spark_version(stat)
        if version is None:
            unknown.append(host)
        elif version == str(target):
            on_target.append(host)
        else:
            elsewhere.setdefault(version, []).append(host)
    lines = [f"on Spark {target}: {', '.join(on_target) or 'none'}"]
    lines += [f"still on Spark {version}: {', '.join(hosts)}" for version, hosts in sorted(elsewhere.items())]
    if unknown:
        lines.append(f"release not readable: {', '.join(unknown)}")
    return {"on_target": on_target, "elsewhere": elsewhere, "unknown": unknown, "lines": lines}


class FilterModule:
    """Filters of the rolling upgrade."""

    def filters(self):
        return {
            "upgrade_batch_problems": batch_problems,
            "upgrade_active_apps": active_apps,
            "upgrade_worker_ids": worker_ids,
            "upgrade_release_report": release_report,
            "spark_install_prune_paths": prune_paths,
        }
