# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""Filters that derive the cluster from the inventory: who is master, every node's
address and name, the master's URLs, what the workers offer together.

playbooks/vars/cluster.yml calls them once per value the roles receive; they are
plain functions, so tests/unit can call them with dicts for groups and hostvars.
"""

from __future__ import annotations

from ansible.module_utils.parsing.convert_bool import boolean
from ansible_collections.picluster.spark.plugins.filter.spark_memory_budget import (
    spark_worker_budget,
    worker_inputs,
)
from ansible_collections.picluster.spark.plugins.filter.spark_security import port_ranges
from ansible_collections.picluster.spark.plugins.module_utils.spark_memory_budget import (
    cluster_executor_properties,
)

# The roles' defaults, for hosts whose inventory does not set these.
MASTER_PORT = 7077
MASTER_WEBUI_PORT = 8080
WORKER_PORT = 7078
WORKER_WEBUI_PORT = 8081
DRIVER_PORT = 40000
BLOCK_MANAGER_PORT = 40100
UI_PORT = 4040
PORT_MAX_RETRIES = 16
HISTORY_ENABLED = True
HISTORY_UI_PORT = 18080
HISTORY_EVENTS_DIR = "/var/lib/spark/events"

_MISSING = object()


def _var(hostvars, host, name, default):
    """A host's inventory variable, or ``default`` when the host or the variable is not there."""
    if host not in hostvars:
        return default
    return hostvars[host].get(name, default)


def _address(hostvars, host):
    # Set but empty is kept (and refused by the roles' checks), as Jinja's default() did.
    address = _var(hostvars, host, "picluster_address", _MISSING)
    if address is _MISSING:
        address = _var(hostvars, host, "ansible_host", host)
    return address


def _history_enabled(hostvars, master):
    """The master's spark_history_enabled (yes/no/true/false as Ansible reads them)."""
    return bool(master) and boolean(_var(hostvars, master, "spark_history_enabled", HISTORY_ENABLED))


def _url_host(address):
    text = str(address)
    return f"[{text}]" if ":" in text else text


def layout(groups, hostvars):
    """The cluster as groups spark_master, spark_workers, spark_cluster and hostvars describe it.

    Returns master ("" without one), workers, address_of {host: address} and nodes
    [{name, address}] for every host of spark_cluster, master_address, master_url
    (spark://), master_ui (http://) and worker_addresses; history_ui (http://) and
    events_dir, the history server's (spark_history_ui_port, spark_history_events_dir on
    the master), both "" when the master's spark_history_enabled is false.
    """
    master = next(iter(groups.get("spark_master") or []), "")
    workers = list(groups.get("spark_workers") or [])
    cluster = list(groups.get("spark_cluster") or [])
    address_of = {host: _address(hostvars, host) for host in cluster}
    nodes = [
        {
            "name": _var(hostvars, host, "pi_base_hostname", host.split(".")[0]),
            "address": address_of[host],
        }
        for host in cluster
    ]
    master_address = address_of.get(master, "")
    url_host = _url_host(master_address)
    port = _var(hostvars, master, "spark_master_port", MASTER_PORT)
    webui_port = _var(hostvars, master, "spark_master_webui_port", MASTER_WEBUI_PORT)
    history = _history_enabled(hostvars, master)
    history_port = _var(hostvars, master, "spark_history_ui_port", HISTORY_UI_PORT)
    return {
        "master": master,
        "workers": workers,
        "address_of": address_of,
        "nodes": nodes,
        "master_address": master_address,
        "master_url": f"spark://{url_host}:{port}",
        "master_ui": f"http://{url_host}:{webui_port}",
        # A worker outside spark_cluster gets its address by the same rule.
        "worker_addresses": [address_of[w] if w in address_of else _address(hostvars, w) for w in workers],
        "history_ui": f"http://{url_host}:{history_port}" if history else "",
        "events_dir": (
            _var(hostvars, master, "spark_history_events_dir", HISTORY_EVENTS_DIR) if history else ""
        ),
    }


def worker_budgets(workers, hostvars):
    """Each worker's memory budget (module_utils/spark_memory_budget.py), from its spark_worker_*
    inputs and facts as the spark_worker role reads them."""
    return [spark_worker_budget(worker_inputs(hostvars, w), host=w) for w in workers]


def worker_totals(workers, hostvars):
    """What the workers offer together: {cores, memory_mb}, each worker sized by its budget
    (what the spark_worker role starts it with).

    A worker whose size is unknown (no spark_worker_node_memory_mb and no facts) or an unreadable
    input fails, with the spark_worker_budget filter's message.
    """
    budgets = worker_budgets(workers, hostvars)
    return {
        "cores": sum(b["worker_cores"] for b in budgets),
        "memory_mb": sum(b["worker_memory_mb"] for b in budgets),
    }


def worker_offers(workers, hostvars):
    """What each worker offers one application: [{host, memory_mb, cores}], each worker sized by
    its memory budget (what the spark_worker role starts it with). An executor larger than every
    offer never starts."""
    return [
        {"host": b["host"], "memory_mb": b["worker_memory_mb"], "cores": b["worker_cores"]}
        for b in worker_budgets(workers, hostvars)
    ]


def executor_properties(workers, hostvars):
    """spark-defaults.conf properties that size every application for these workers: the
    smallest worker's executor, task concurrency, JVM options, shuffle settings (docs/memory.md)."""
    return cluster_executor_properties(worker_budgets(workers, hostvars))


def spark_ports(groups, hostvars):
    """The TCP ports Spark listens on, as [{name, port, last}] for a firewall.

    master, master_ui and history_ui (on the master; history_ui while its
    spark_history_enabled is true) and worker, worker_ui (on each worker; one entry per
    distinct port when workers differ) from the roles' inputs, each a single port: the
    units pass them, and a daemon that drifted to the next port would not be found. Then
    driver, block_manager and ui from the master's spark_install inputs, each from its port
    to port + spark_install_port_max_retries: an application takes the next free one, a
    driver on any node, block managers on every node that runs executors.
    """
    master = next(iter(groups.get("spark_master") or []), "")
    workers = list(groups.get("spark_workers") or [])
    ranges = port_ranges(
        {
            "master": _var(hostvars, master, "spark_master_port", MASTER_PORT),
            "master_ui": _var(hostvars, master, "spark_master_webui_port", MASTER_WEBUI_PORT),
        }
    )
    if _history_enabled(hostvars, master):
        history_port = _var(hostvars, master, "spark_history_ui_port", HISTORY_UI_PORT)
        ranges += port_ranges({"history_ui": history_port})
    for name, var, default in (
        ("worker", "spark_worker_port", WORKER_PORT),
        ("worker_ui", "spark_worker_webui_port", WORKER_WEBUI_PORT),
    ):
        for port in sorted({int(_var(hostvars, w, var, default)) for w in workers} or {default}):
            ranges += port_ranges({name: port})
    retries = _var(hostvars, master, "spark_install_port_max_retries", PORT_MAX_RETRIES)
    ranges += port_ranges(
        {
            "driver": _var(hostvars, master, "spark_install_driver_port", DRIVER_PORT),
            "block_manager": _var(hostvars, master, "spark_install_block_manager_port", BLOCK_MANAGER_PORT),
            "ui": _var(hostvars, master, "spark_install_ui_port", UI_PORT),
        },
        retries,
    )
    return ranges


# Spark's web UIs: a person looks at these from the admin networks; the other ports are
# between the cluster's nodes alone.
_UI_PORTS = ("master_ui", "history_ui", "worker_ui", "ui")
NFS_PORT = 2049


def firewall_ports(ports, nfs=False):
    """What the firewall opens, from spark_ports' list: {cluster: [...], ui: [...]}.

    cluster: Spark's RPC, driver and block manager ports, and NFS 4 (2049) when the share is
    on; ui: the master's, the history server's, workers' and applications' web UIs. Each
    entry {name, port, last}.
    """
    split = {"cluster": [], "ui": []}
    for entry in ports:
        split["ui" if entry["name"] in _UI_PORTS else "cluster"].append(dict(entry))
    if nfs:
        split["cluster"].append({"name": "nfs", "port": NFS_PORT, "last": NFS_PORT})
    return split


class FilterModule:
    """Filters that derive the cluster from the inventory."""

    def filters(self):
        return {
            "cluster_layout": layout,
            "cluster_worker_totals": worker_totals,
            "cluster_worker_offers": worker_offers,
            "cluster_executor_properties": executor_properties,
            "cluster_spark_ports": spark_ports,
            "cluster_firewall_ports": firewall_ports,
        }
