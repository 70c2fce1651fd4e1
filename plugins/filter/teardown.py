# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Filters of the teardown: which hosts it may touch, and what each role's absent
path removes, read from the role's inputs (the remove_paths module removes them).

Plain functions, so tests/unit can call them without a play.
"""

from __future__ import annotations

import posixpath

from ansible_collections.picluster.spark.plugins.filter.data_sync import in_place
from ansible_collections.picluster.spark.plugins.module_utils.system_paths import under

# The groups a cluster's inventory has (playbooks/vars/cluster.yml reads them).
CLUSTER_GROUPS = ("spark_master", "spark_workers", "spark_cluster")


def host_problems(play_hosts, groups):
    """What stops the teardown before it changes anything, as sentences.

    Every host of the play must be in spark_cluster: the teardown removes Spark from
    the cluster's nodes and nothing else, so a host outside the groups (another
    inventory, a typo in --limit) is refused rather than skipped. The inventory needs
    one master (the share's server, the datasets' in-place rule) and every master
    and worker inside spark_cluster.
    """
    groups = groups or {}
    members = {name: list(groups.get(name) or []) for name in CLUSTER_GROUPS}
    problems = []
    outside = [host for host in play_hosts if not any(host in hosts for hosts in members.values())]
    if outside:
        problems.append(
            f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} in none of the cluster's groups "
            f"({', '.join(CLUSTER_GROUPS)}): the teardown removes Spark from the cluster's nodes only. "
            "Take the host out of the inventory, or run with --limit spark_cluster"
        )
    if len(members["spark_master"]) != 1:
        problems.append(
            f"the inventory needs exactly one host in spark_master (it has {len(members['spark_master'])}: "
            f"{', '.join(members['spark_master']) or 'none'})"
        )
    loose = [
        host
        for host in dict.fromkeys(members["spark_master"] + members["spark_workers"])
        if host not in members["spark_cluster"]
    ]
    if loose:
        problems.append(
            f"{', '.join(loose)} {'is' if len(loose) == 1 else 'are'} in spark_master or spark_workers "
            "but not in spark_cluster, whose plays remove the firewall, the share, Spark and the data: "
            "make spark_cluster hold both groups"
        )
    return problems


def spark_install_paths(root, home, profile_script, staging_dir, previous=""):
    """What spark_install's absent path removes: {paths, patterns, empty_dirs}.

    The releases under the root (and what an interrupted unpack left there), SPARK_HOME's
    link and the previous release's, the login-shell script and a staged archive. The
    root goes only when nothing else is in it and it is not a mount point (remove_paths
    decides on the node).
    """
    release = "spark-*-bin-*"
    return {
        "paths": list(dict.fromkeys(path for path in (home, previous, profile_script) if path)),
        "patterns": [
            f"{root}/{release}",
            f"{root}/.unpack-{release}",
            f"{root}/.replaced-{release}",
            f"{staging_dir}/{release}.tgz",
        ],
        "empty_dirs": [root],
    }


def service_paths(unit_path, properties_file, dirs=()):
    """What a Spark daemon's absent path removes: {paths, empty_dirs}.

    Its unit and the unit's drop-in directory, its properties file (it holds the
    shared secret), the directories it works in (``dirs``), and the properties
    file's directory once empty (the master and a worker share /etc/spark).
    """
    return {
        "paths": list(dict.fromkeys([unit_path, f"{unit_path}.d", properties_file, *dirs])),
        "empty_dirs": [posixpath.dirname(properties_file)],
    }


def _overlaps_source(dataset, host, master_host):
    """True on the master for a dataset read there whose source and dest overlap."""
    if dataset["src_on"] != "master" or host != master_host:
        return False
    src = dataset["src"].rstrip("/") or "/"
    return in_place(dataset, host, master_host) or under(dataset["dest"], src) or under(src, dataset["dest"])


def data_sync_paths(datasets, host, master_host, remove_data, partial_dir):
    """What data_sync's absent path removes on ``host``: {paths, kept}.

    ``datasets`` are data_sync_plan's (every key filled in). The data stays unless
    ``remove_data``: then each dataset's dest goes, except on the master where the
    dest is (or overlaps) the dataset's own source, which is listed in ``kept``.
    Without it only rsync's holding directories inside each dest go (what an
    interrupted sync left).
    """
    paths, kept = [], []
    for dataset in datasets:
        dest = dataset["dest"]
        if not remove_data:
            paths.append(f"{dest}/{partial_dir}")
        elif _overlaps_source(dataset, host, master_host):
            kept.append(dest)
        else:
            paths.append(dest)
    return {"paths": paths, "kept": kept}


class FilterModule:
    """Filters of the teardown and the roles' absent paths."""

    def filters(self):
        return {
            "teardown_host_problems": host_problems,
            "spark_install_absent_paths": spark_install_paths,
            "spark_service_absent_paths": service_paths,
            "data_sync_absent_paths": data_sync_paths,
        }
