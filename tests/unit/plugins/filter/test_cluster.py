"""Unit tests of the cluster filters: the values playbooks/vars/cluster.yml hands to the roles."""

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.picluster.spark.plugins.filter import cluster

GROUPS = {
    "all": ["nuc", "pi1", "pi2"],
    "spark_master": ["nuc"],
    "spark_workers": ["pi1", "pi2"],
    "spark_cluster": ["nuc", "pi1", "pi2"],
}
# Two Pi 3 workers as their facts describe them (MemTotal 906 MB, 4 CPUs).
PI3_FACTS = {"memtotal_mb": 906, "processor_nproc": 4}
HOSTVARS = {
    "nuc": {"ansible_host": "192.168.1.10"},
    "pi1": {"ansible_host": "192.168.1.11", "ansible_facts": PI3_FACTS},
    "pi2": {"ansible_host": "192.168.1.12", "ansible_facts": PI3_FACTS},
}


def test_filters_are_registered_under_their_documented_names():
    assert cluster.FilterModule().filters() == {
        "cluster_layout": cluster.layout,
        "cluster_worker_totals": cluster.worker_totals,
        "cluster_worker_offers": cluster.worker_offers,
        "cluster_executor_properties": cluster.executor_properties,
        "cluster_spark_ports": cluster.spark_ports,
        "cluster_firewall_ports": cluster.firewall_ports,
    }


def test_layout_of_the_example_inventory():
    assert cluster.layout(GROUPS, HOSTVARS) == {
        "master": "nuc",
        "workers": ["pi1", "pi2"],
        "address_of": {"nuc": "192.168.1.10", "pi1": "192.168.1.11", "pi2": "192.168.1.12"},
        "nodes": [
            {"name": "nuc", "address": "192.168.1.10"},
            {"name": "pi1", "address": "192.168.1.11"},
            {"name": "pi2", "address": "192.168.1.12"},
        ],
        "master_address": "192.168.1.10",
        "master_url": "spark://192.168.1.10:7077",
        "master_ui": "http://192.168.1.10:8080",
        "worker_addresses": ["192.168.1.11", "192.168.1.12"],
        "history_ui": "http://192.168.1.10:18080",
        "events_dir": "/var/lib/spark/events",
    }


@pytest.mark.parametrize(
    ("node", "address"),
    [
        ({"picluster_address": "10.0.0.5", "ansible_host": "192.168.1.11"}, "10.0.0.5"),
        ({"ansible_host": "192.168.1.11"}, "192.168.1.11"),
        ({}, "pi1"),  # the inventory name, resolved by DNS or /etc/hosts
        ({"picluster_address": "", "ansible_host": "192.168.1.11"}, ""),  # set is set; the roles refuse ""
    ],
)
def test_a_node_address_is_picluster_address_then_ansible_host_then_its_name(node, address):
    groups = {"spark_workers": ["pi1"], "spark_cluster": ["pi1"]}
    assert cluster.layout(groups, {"pi1": node})["address_of"] == {"pi1": address}


def test_node_names_are_pi_base_hostname_or_the_short_inventory_name():
    groups = {"spark_cluster": ["pi1.lan", "pi2.lan"]}
    hostvars = {"pi1.lan": {}, "pi2.lan": {"pi_base_hostname": "rpi-two"}}
    assert [n["name"] for n in cluster.layout(groups, hostvars)["nodes"]] == ["pi1", "rpi-two"]


def test_master_ports_come_from_the_master():
    hostvars = dict(
        HOSTVARS,
        nuc={"ansible_host": "nuc.lan", "spark_master_port": 7078, "spark_master_webui_port": "8081"},
    )
    view = cluster.layout(GROUPS, hostvars)
    assert (view["master_url"], view["master_ui"]) == ("spark://nuc.lan:7078", "http://nuc.lan:8081")


def test_an_ipv6_master_is_bracketed_in_urls_only():
    hostvars = dict(HOSTVARS, nuc={"picluster_address": "fd00::10"})
    view = cluster.layout(GROUPS, hostvars)
    assert view["master_address"] == "fd00::10"
    assert view["master_url"] == "spark://[fd00::10]:7077"
    assert view["master_ui"] == "http://[fd00::10]:8080"


def test_without_a_master_the_urls_have_no_host():
    view = cluster.layout({"spark_workers": ["w1"], "spark_cluster": ["w1"]}, {"w1": {}})
    assert view["master"] == ""
    assert view["master_address"] == ""
    assert view["master_url"] == "spark://:7077"
    assert view["master_ui"] == "http://:8080"


def test_empty_inventory():
    view = cluster.layout({"all": []}, {})
    assert (view["master"], view["workers"], view["nodes"], view["worker_addresses"]) == ("", [], [], [])


def test_only_the_first_master_counts():
    assert cluster.layout(dict(GROUPS, spark_master=["nuc", "pi1"]), HOSTVARS)["master"] == "nuc"


def test_a_worker_outside_spark_cluster_gets_its_address_by_the_same_rule():
    # The YAML's map('extract') left an undefined value here.
    groups = {"spark_master": ["nuc"], "spark_workers": ["pi1", "pi9"], "spark_cluster": ["nuc", "pi1"]}
    hostvars = dict(HOSTVARS, pi9={"ansible_host": "192.168.1.19"})
    view = cluster.layout(groups, hostvars)
    assert view["worker_addresses"] == ["192.168.1.11", "192.168.1.19"]
    assert "pi9" not in view["address_of"]


def test_worker_totals_follow_each_workers_budget_from_its_facts():
    # A Pi 3 offers 4 cores and 474 MB (docs/memory.md): the original 4-Pi setup shows 1896 MB.
    assert cluster.worker_totals(["pi1", "pi2"], HOSTVARS) == {"cores": 8, "memory_mb": 948}


def test_worker_totals_take_the_inventorys_size_before_facts_and_its_overrides():
    hostvars = {
        # The bed: facts describe the host (2 CPUs, 24 GB), the inventory the board.
        "pi1": {
            "spark_worker_node_memory_mb": 906,
            "spark_worker_node_cores": "4",
            "ansible_facts": {"memtotal_mb": 24105, "processor_nproc": 2},
        },
        "pi2": {
            "ansible_facts": PI3_FACTS,
            "spark_worker_cores": 2,
            "spark_worker_memory": "512m",
            "spark_worker_daemon_memory": "96m",
        },
        # A Pi 4 with 4 GB: one executor of 2210 MB.
        "pi3": {"ansible_facts": {"memtotal_mb": 3796, "processor_vcpus": 4}},
    }
    assert cluster.worker_totals(["pi1", "pi2", "pi3"], hostvars) == {
        "cores": 10,
        "memory_mb": 474 + 512 + 2210,
    }


def test_worker_offers_are_each_workers_budget():
    # What one application may ask of a worker: a Pi 3 offers 474 MB and 4 cores.
    assert cluster.worker_offers(["pi1", "pi2"], HOSTVARS) == [
        {"host": "pi1", "memory_mb": 474, "cores": 4},
        {"host": "pi2", "memory_mb": 474, "cores": 4},
    ]


def test_worker_totals_of_no_workers():
    assert cluster.worker_totals([], {}) == {"cores": 0, "memory_mb": 0}


def test_a_worker_of_unknown_size_fails_naming_what_to_set():
    with pytest.raises(
        AnsibleFilterError,
        match=r"^spark_worker_budget: pi1: the node's RAM is unknown: set "
        r"spark_worker_node_memory_mb in the inventory",
    ):
        cluster.worker_totals(["pi1"], {"pi1": {}})


def test_unreadable_memory_fails_with_the_budgets_message():
    with pytest.raises(
        AnsibleFilterError,
        match=r"^spark_worker_budget: pi1: spark_worker_memory: cannot read memory size '1\.5g'",
    ):
        cluster.worker_totals(["pi1"], {"pi1": {"ansible_facts": PI3_FACTS, "spark_worker_memory": "1.5g"}})


def test_executor_properties_of_the_original_setup():
    properties = cluster.executor_properties(["pi1", "pi2"], HOSTVARS)
    assert properties["spark.executor.memory"] == "474m"
    assert properties["spark.executor.cores"] == 4
    # 104 MB of unified memory: two tasks at a time, as in the run that finished on 1 GiB nodes.
    assert properties["spark.task.cpus"] == 2
    assert properties["spark.sql.shuffle.partitions"] == 32
    assert "-XX:+UseSerialGC" in properties["spark.executor.extraJavaOptions"]


def test_executor_properties_take_the_smallest_worker():
    hostvars = dict(HOSTVARS, pi3={"ansible_facts": {"memtotal_mb": 7812, "processor_nproc": 4}})
    assert cluster.executor_properties(["pi1", "pi3"], hostvars)["spark.executor.memory"] == "474m"
    assert cluster.executor_properties(["pi3"], hostvars)["spark.executor.memory"] == "4948m"


def test_spark_ports_with_the_roles_defaults():
    assert cluster.spark_ports(GROUPS, HOSTVARS) == [
        {"name": "master", "port": 7077, "last": 7077},
        {"name": "master_ui", "port": 8080, "last": 8080},
        {"name": "history_ui", "port": 18080, "last": 18080},
        {"name": "worker", "port": 7078, "last": 7078},
        {"name": "worker_ui", "port": 8081, "last": 8081},
        {"name": "driver", "port": 40000, "last": 40016},
        {"name": "block_manager", "port": 40100, "last": 40116},
        {"name": "ui", "port": 4040, "last": 4056},
    ]


def test_spark_ports_follow_the_inventory():
    hostvars = {
        "nuc": {
            "spark_master_port": 7000,
            "spark_master_webui_port": "8000",
            "spark_install_driver_port": 41000,
            "spark_install_block_manager_port": 42000,
            "spark_install_ui_port": 4500,
            "spark_install_port_max_retries": 4,
            "spark_history_ui_port": "18100",
        },
        "pi1": {"spark_worker_port": 7100, "spark_worker_webui_port": 8100},
        "pi2": {"spark_worker_port": 7101},
    }
    ports = {(r["name"], r["port"], r["last"]) for r in cluster.spark_ports(GROUPS, hostvars)}
    assert ports == {
        ("master", 7000, 7000),
        ("master_ui", 8000, 8000),
        ("history_ui", 18100, 18100),
        # Workers that differ: one entry per port.
        ("worker", 7100, 7100),
        ("worker", 7101, 7101),
        ("worker_ui", 8081, 8081),
        ("worker_ui", 8100, 8100),
        ("driver", 41000, 41004),
        ("block_manager", 42000, 42004),
        ("ui", 4500, 4504),
    }


def test_firewall_ports_keep_the_uis_apart_and_add_nfs_when_the_share_is_on():
    ports = cluster.spark_ports(GROUPS, HOSTVARS)
    split = cluster.firewall_ports(ports, nfs=True)
    assert [entry["name"] for entry in split["cluster"]] == [
        "master",
        "worker",
        "driver",
        "block_manager",
        "nfs",
    ]
    assert split["cluster"][-1] == {"name": "nfs", "port": 2049, "last": 2049}
    assert split["ui"] == [
        {"name": "master_ui", "port": 8080, "last": 8080},
        {"name": "history_ui", "port": 18080, "last": 18080},
        {"name": "worker_ui", "port": 8081, "last": 8081},
        {"name": "ui", "port": 4040, "last": 4056},
    ]
    assert "nfs" not in [entry["name"] for entry in cluster.firewall_ports(ports)["cluster"]]
    # The input list is left as it was.
    assert ports == cluster.spark_ports(GROUPS, HOSTVARS)


@pytest.mark.parametrize("switch", [False, "false", "no"])
def test_without_the_history_server_no_port_url_or_events_dir(switch):
    hostvars = dict(HOSTVARS, nuc={"ansible_host": "192.168.1.10", "spark_history_enabled": switch})
    names = [r["name"] for r in cluster.spark_ports(GROUPS, hostvars)]
    assert "history_ui" not in names
    assert "master_ui" in names
    ui = cluster.firewall_ports(cluster.spark_ports(GROUPS, hostvars))["ui"]
    assert [r["name"] for r in ui] == ["master_ui", "worker_ui", "ui"]
    view = cluster.layout(GROUPS, hostvars)
    assert (view["history_ui"], view["events_dir"]) == ("", "")


def test_the_history_servers_port_and_events_dir_come_from_the_master():
    hostvars = dict(
        HOSTVARS,
        nuc={
            "picluster_address": "fd00::10",
            "spark_history_enabled": "yes",
            "spark_history_ui_port": 18200,
            "spark_history_events_dir": "/srv/spark-events",
        },
        # A worker's own value is not the history server's.
        pi1={"ansible_host": "192.168.1.11", "spark_history_ui_port": 19000, "spark_history_enabled": False},
    )
    view = cluster.layout(GROUPS, hostvars)
    assert (view["history_ui"], view["events_dir"]) == ("http://[fd00::10]:18200", "/srv/spark-events")
    ports = cluster.spark_ports(GROUPS, hostvars)
    history = [r for r in ports if r["name"] == "history_ui"]
    assert history == [{"name": "history_ui", "port": 18200, "last": 18200}]


def test_an_unreadable_history_switch_fails():
    hostvars = dict(HOSTVARS, nuc={"spark_history_enabled": "perhaps"})
    with pytest.raises(TypeError, match="perhaps"):
        cluster.layout(GROUPS, hostvars)
