# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Filters of the data_sync role: the dataset plan, rsync statistics, free space, report.

Plain functions, so tests/unit can call them without a play.
"""

from __future__ import annotations

import posixpath
import re

from ansible.errors import AnsibleFilterError
from ansible_collections.picluster.spark.plugins.module_utils.system_paths import (
    is_system_dir,
    system_tree_of,
    under,
)

DATASET_KEYS = ("name", "src", "dest", "src_on", "delete", "bwlimit_kbps", "verify", "compress")
SRC_ON = ("controller", "master")
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")

# Lines of `rsync --stats --no-human-readable` (digits without separators).
_STAT_PATTERNS = {
    "files_transferred": re.compile(r"^Number of regular files transferred: (\d+)"),
    "files_deleted": re.compile(r"^Number of deleted files: (\d+)"),
    "total_size": re.compile(r"^Total file size: (\d+) bytes"),
    "transferred_size": re.compile(r"^Total transferred file size: (\d+) bytes"),
    "literal_bytes": re.compile(r"^Literal data: (\d+) bytes"),
    "bytes_sent": re.compile(r"^Total bytes sent: (\d+)"),
    "bytes_received": re.compile(r"^Total bytes received: (\d+)"),
}
_RATE = re.compile(r"^sent \d+ bytes\s+received \d+ bytes\s+(\d+)(?:[.,](\d+))? bytes/sec")


def _normalize(index, dataset, defaults, problems):
    """One dataset with the defaults filled in, or None (and a problem) if malformed."""
    if not isinstance(dataset, dict):
        problems.append(f"data_sync_datasets[{index}] must be a mapping, got {dataset!r}")
        return None
    item = dict(defaults)
    item.update(dataset)
    item["name"] = str(item.get("name") or "")
    label = _label(item["name"], index)
    unknown = sorted(set(dataset) - set(DATASET_KEYS))
    if unknown:
        problems.append(
            "{}: unknown key(s) {}; known: {}".format(label, ", ".join(unknown), ", ".join(DATASET_KEYS))
        )
        return None
    for key in ("src", "dest", "src_on"):
        item[key] = "" if item.get(key) is None else str(item[key])
    for key in ("delete", "verify", "compress"):
        value = item.get(key)
        if isinstance(value, str) and value.lower() in _TRUE + _FALSE:
            value = value.lower() in _TRUE
        if not isinstance(value, bool):
            problems.append(f"{label}: {key} must be true or false, got {item.get(key)!r}")
            return None
        item[key] = value
    try:
        item["bwlimit_kbps"] = int(item.get("bwlimit_kbps"))
    except (TypeError, ValueError):
        problems.append(
            "{}: bwlimit_kbps must be a whole number, got {!r}".format(label, item.get("bwlimit_kbps"))
        )
        return None
    if item["src_on"] == "controller" and item["src"].startswith("~"):
        item["src"] = posixpath.expanduser(item["src"])
    if len(item["dest"]) > 1:
        item["dest"] = item["dest"].rstrip("/") or "/"
    return item


def _label(name, index):
    return f"dataset {name!r}" if name else f"dataset #{index}"


def _source_problems(label, item):
    found = []
    if item["src_on"] not in SRC_ON:
        found.append(f"{label}: src_on must be one of {', '.join(SRC_ON)}, got {item['src_on']!r}")
    if not item["src"]:
        found.append(f"{label}: src is empty")
    elif not item["src"].startswith("/"):
        found.append(
            f"{label}: src must be an absolute path (or start with ~ on the controller), got {item['src']!r}"
        )
    if item["bwlimit_kbps"] < 0:
        found.append(f"{label}: bwlimit_kbps must be 0 (no limit) or more")
    return found


def _dest_problem(label, name, dest):
    if not dest:
        return f"{label}: dest is empty"
    if not dest.startswith("/"):
        return f"{label}: dest must be an absolute path, got {dest!r}"
    if posixpath.normpath(dest) != dest or "//" in dest:
        return f"{label}: dest must be a normalized path (no '.', '..' or '//'), got {dest!r}"
    if is_system_dir(dest):
        return (
            f"{label}: dest {dest} is a system directory; "
            f"give the dataset a directory of its own, such as /data/{name or 'NAME'}"
        )
    tree = system_tree_of(dest)
    if tree is not None:
        return f"{label}: dest {dest} lies under {tree}, which holds the system, not data"
    return None


def plan(datasets, defaults):
    """Fill in the defaults and check the declaration of every dataset.

    Returns {"datasets": [...], "problems": [...]}; no problems means every dataset has
    all keys, a unique name, an absolute src, and a safe, normalized dest that is
    neither shared with nor nested in another dataset's dest. Safe means outside the
    system directories of module_utils/system_paths.py, which nfs_share refuses too.
    """
    problems = []
    if not isinstance(datasets, list):
        return {"datasets": [], "problems": [f"data_sync_datasets must be a list, got {datasets!r}"]}
    result = []
    names = set()
    dests = []
    for index, raw in enumerate(datasets):
        item = _normalize(index, raw, defaults, problems)
        if item is None:
            continue
        result.append(item)
        name = item["name"]
        label = _label(name, index)
        if not name:
            problems.append(f"{label}: name is empty")
        elif name in names:
            problems.append(f"{label}: the name is used twice")
        names.add(name)
        problems.extend(_source_problems(label, item))
        dest = item["dest"]
        problem = _dest_problem(label, name, dest)
        if problem:
            problems.append(problem)
            continue
        for other_name, other_dest in dests:
            if dest == other_dest:
                problems.append(f"{label}: dest {dest} is also the dest of dataset {other_name!r}")
            elif under(dest, other_dest) or under(other_dest, dest):
                problems.append(
                    f"{label}: dest {dest} and the dest {other_dest} of dataset {other_name!r} are nested; "
                    "syncing (and deleting in) one would touch the other"
                )
        dests.append((name, dest))
    return {"datasets": result, "problems": problems}


def rsync_stats(result):
    """Integers from the summary of `rsync --stats --no-human-readable`.

    result: a registered synchronize result (its stdout_lines; dataset and changed are
    taken from it too) or the output lines themselves. `seconds` is rsync's own elapsed
    time, which it prints as (sent + received) / (whole seconds + 0.5): one-second
    resolution.
    """
    extra = {}
    lines = result
    if isinstance(result, dict):
        lines = result.get("stdout_lines") or []
        extra = {"dataset": (result.get("item") or {}).get("name"), "changed": bool(result.get("changed"))}
    if isinstance(lines, str):
        lines = lines.splitlines()
    stats = {}
    rate = None
    for raw in lines or []:
        line = raw.strip()
        for key, pattern in _STAT_PATTERNS.items():
            match = pattern.match(line)
            if match:
                stats[key] = int(match.group(1))
        match = _RATE.match(line)
        if match:
            rate = float(match.group(1) + "." + (match.group(2) or "0"))
    missing = sorted(set(_STAT_PATTERNS) - set(stats))
    if missing:
        raise AnsibleFilterError("rsync printed no --stats summary (missing: {})".format(", ".join(missing)))
    stats["seconds"] = None
    if rate:
        whole = (stats["bytes_sent"] + stats["bytes_received"]) / rate - 0.5
        stats["seconds"] = max(0, round(whole))
    stats.update(extra)
    return stats


def in_place(dataset, host, master_host):
    """True on the master when its own source already sits at dest (nothing to copy)."""
    return (
        dataset["src_on"] == "master"
        and host == master_host
        and dataset["src"].rstrip("/") == dataset["dest"]
    )


def _source_side(src_on, master_host):
    """Where a source is read (the host to delegate to) and whether as root.

    The controller's side runs as the controller's own user (no sudo there); sources
    on the master may be readable by root only.
    """
    if src_on == "master":
        return master_host, True
    return "localhost", False


def source_sides(datasets, master_host):
    """The hosts that hold sources, each with what to measure there: one loop item each.

    The controller comes first and always (its rsync is checked even without a dataset
    of its own); the master only when a dataset comes from it.
    """
    sides = []
    for src_on in SRC_ON:
        measure = [dataset["src"] for dataset in datasets if dataset["src_on"] == src_on]
        if src_on == "controller" or measure:
            host, become = _source_side(src_on, master_host)
            sides.append({"src_on": src_on, "host": host, "become": become, "measure": measure})
    return sides


def sources(datasets, probes):
    """What each dataset's source is: {name: the data_sync_probe measurement of its src}.

    probes: the registered results of the probe looped over data_sync_source_sides
    (each result's item names its side: item.src_on).
    """
    measured_by_side = {}
    for probe in probes or []:
        side = (probe.get("item") or {}).get("src_on")
        measured_by_side[side] = probe.get("measured") or {}
    found = {}
    for dataset in datasets:
        measured = measured_by_side.get(dataset["src_on"], {})
        if dataset["src"] not in measured:
            raise AnsibleFilterError(
                f"data_sync_sources: the {dataset['src_on']} probe did not measure {dataset['src']} "
                f"(dataset {dataset['name']!r})"
            )
        found[dataset["name"]] = measured[dataset["src"]]
    return found


def transfers(datasets, sources_by_name, host, master_host, master_ssh_key=None):
    """How each dataset reaches this host: {name: {...}}, one synchronize call each.

    delegate_to: None for a source on the controller (synchronize left undelegated runs
    rsync on the controller with the node's own user, port and key; an explicit
    delegate_to: localhost would use localhost's key instead), else the master, which
    pushes with its own rsync. src: with a trailing slash for a directory (its content
    goes into dest), as is for a file (it lands in dest). in_place: nothing to copy
    (the master's own source at dest). private_key: the master's key for its pushes,
    None otherwise. source_host, source_become: where and whether as root the source
    is read (the verification's manifest).
    """
    found = {}
    for dataset in datasets:
        name = dataset["name"]
        from_master = dataset["src_on"] == "master"
        directory = sources_by_name[name]["kind"] == "directory"
        source_host, source_become = _source_side(dataset["src_on"], master_host)
        found[name] = {
            "delegate_to": master_host if from_master else None,
            "src": dataset["src"].rstrip("/") + "/" if directory else dataset["src"],
            "in_place": in_place(dataset, host, master_host),
            "private_key": (master_ssh_key or None) if from_master else None,
            "source_host": source_host,
            "source_become": source_become,
        }
    return found


def source_problems(datasets, sources_by_name, controller_rsync):
    """One sentence per source that is missing or neither a directory nor a regular
    file, after one for a controller without rsync (synchronize needs it at both ends)."""
    problems = [] if controller_rsync else ["the controller has no rsync; install it (apt install rsync)"]
    for dataset in datasets:
        source = sources_by_name[dataset["name"]]
        if source["exists"] and source["kind"] != "other":
            continue
        what = "is neither a directory nor a regular file" if source["exists"] else "does not exist"
        problems.append(
            f"dataset '{dataset['name']}': source {dataset['src']} on the {dataset['src_on']} {what}"
        )
    return problems


def space_problems(datasets, dry_bytes, sources, space, reserve_bytes, host, master_host):  # noqa: PLR0917
    """Check that every filesystem of the node can take what will arrive on it.

    dry_bytes: {name: bytes} from the node's dry runs (what rsync will write: new and
    changed files in full, since --delay-updates keeps old and new side by side until
    the end). A dataset without a dry run (the node has no rsync yet) counts its whole
    source (sources[name]["bytes"]); data already in place counts nothing.
    space: {dest: {"device", "available", "existing"}} from the data_sync_probe module.
    Datasets on one filesystem add up; reserve_bytes must stay free on top.
    """
    by_device = {}
    for dataset in datasets:
        name = dataset["name"]
        if in_place(dataset, host, master_host):
            amount = 0
        elif name in dry_bytes:
            amount = int(dry_bytes[name])
        else:
            amount = int(sources[name]["bytes"])
        where = space[dataset["dest"]]
        entry = by_device.setdefault(where["device"], {"where": where, "bytes": 0, "names": []})
        entry["bytes"] += amount
        entry["names"].append(name)
    problems = []
    for entry in by_device.values():
        available = int(entry["where"]["available"])
        if entry["bytes"] and entry["bytes"] + int(reserve_bytes) > available:
            problems.append(
                f"the filesystem of {entry['where']['existing']}: dataset(s) {', '.join(entry['names'])} "
                f"need {_mb(entry['bytes'])} MB (+ {_mb(reserve_bytes)} MB reserve) "
                f"but only {_mb(available)} MB are free"
            )
    return sorted(problems)


def report_table(rows_by_host, wall_seconds=None):
    """Lines of a fixed-width table, one per node and dataset (rows from data_sync_rsync_stats)."""
    header = ("node", "dataset", "bytes sent", "files", "deleted", "seconds")
    table = [header]
    for host in sorted(rows_by_host):
        for row in rows_by_host[host] or []:
            seconds = "-" if row.get("seconds") is None else str(row["seconds"])
            table.append(
                (
                    host,
                    str(row.get("dataset")),
                    str(row["bytes_sent"]),
                    str(row["files_transferred"]),
                    str(row["files_deleted"]),
                    seconds,
                )
            )
    widths = [max(len(line[col]) for line in table) for col in range(len(header))]
    lines = []
    for line in table:
        cells = [line[0].ljust(widths[0]), line[1].ljust(widths[1])]
        cells += [line[col].rjust(widths[col]) for col in range(2, len(header))]
        lines.append("  ".join(cells).rstrip())
    if wall_seconds is not None:
        lines.append(f"transfer wall time, all nodes: {float(wall_seconds):.1f} s")
    return lines


def _mb(value):
    return (int(value) + 1048575) // 1048576


_MODE = re.compile(r"0?[0-7]{3}")
# Mode bits by who is asking: owner, group, others.
_READ = 4
_WRITE = 2
_ENTER = 1
_READERS = {"owner": "the owner", "group": "the group", "others": "everyone"}


def _bits(mode, who):
    """The rwx bits (0-7) of an octal mode string for 'owner', 'group' or 'others'."""
    digits = mode[-3:]
    return int(digits[("owner", "group", "others").index(who)])


def _spark_class(owner, group, spark_user, spark_group):
    """Whose mode bits apply to the Spark account ('owner', 'group', 'others'), and that in words."""
    if owner == spark_user:
        return "owner", f"as their owner '{owner}'"
    if group == spark_group:
        return "group", f"through their group '{group}'"
    return "others", f"as one of everyone else (owner '{owner}', group '{group}')"


def _write_reasons(who, owner, dir_mode, file_mode):
    """How the Spark account, reading through ``who``'s bits, could change the data."""
    if who == "owner":
        # An owner may chmod whatever the modes say.
        return [f"it owns them (data_sync_owner '{owner}')"]
    reasons = []
    if _bits(dir_mode, who) & _WRITE:
        reasons.append(f"data_sync_dir_mode {dir_mode} lets it add and delete files")
    if _bits(file_mode, who) & _WRITE:
        reasons.append(f"data_sync_file_mode {file_mode} lets it change the files")
    return reasons


def access_problems(settings, spark_user, spark_group, allow_spark_writes=False):
    """Why the Spark account could not read, or could change, the synced data: a list of messages.

    ``settings`` holds owner, group, dir_mode and file_mode (data_sync_*). Spark jobs run
    as ``spark_user``: they must read every file and enter every directory, and (unless
    ``allow_spark_writes``) must not change or delete anything, so a job's bug cannot
    destroy the nodes' copies. Spark counts as 'others' unless it is the owner or
    ``group`` is ``spark_group`` (other groups it may be in are not known here).
    Modes that are not octal strings give no message here; the role names them itself.
    """
    owner, group = str(settings["owner"]), str(settings["group"])
    dir_mode, file_mode = str(settings["dir_mode"]), str(settings["file_mode"])
    if not (_MODE.fullmatch(dir_mode) and _MODE.fullmatch(file_mode)):
        return []
    who, as_whom = _spark_class(owner, group, spark_user, spark_group)
    problems = []
    unreadable = []
    if _bits(dir_mode, who) & (_READ | _ENTER) != _READ | _ENTER:
        unreadable.append(f"list and enter the directories (data_sync_dir_mode {dir_mode})")
    if not _bits(file_mode, who) & _READ:
        unreadable.append(f"read the files (data_sync_file_mode {file_mode})")
    if unreadable:
        problems.append(
            f"Spark jobs (account '{spark_user}') could not {' nor '.join(unreadable)} {as_whom}; "
            f"give {_READERS[who]} read access (r, and x on directories)"
        )
    if allow_spark_writes:
        return problems
    writes = _write_reasons(who, owner, dir_mode, file_mode)
    if writes:
        problems.append(
            f"Spark jobs (account '{spark_user}') could change or delete the synced data: "
            f"{'; '.join(writes)}. Keep the data owned by root and not writable by group "
            f"'{spark_group}' or others (the defaults: root:{spark_group}, 0755 and 0644), "
            "or set data_sync_allow_spark_writes: true"
        )
    return problems


class FilterModule:
    """Filters of the data_sync role."""

    def filters(self):
        return {
            "data_sync_plan": plan,
            "data_sync_source_sides": source_sides,
            "data_sync_sources": sources,
            "data_sync_source_problems": source_problems,
            "data_sync_in_place": in_place,
            "data_sync_transfers": transfers,
            "data_sync_rsync_stats": rsync_stats,
            "data_sync_space_problems": space_problems,
            "data_sync_report_table": report_table,
            "data_sync_access_problems": access_problems,
        }
