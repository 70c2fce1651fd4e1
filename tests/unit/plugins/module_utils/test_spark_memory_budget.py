"""The memory budget of a worker node: the boards the collection targets, user values
that fit and that do not, and the edges."""

from pathlib import Path

import pytest
from ansible_collections.picluster.spark.plugins.module_utils import spark_memory_budget as budget
from ansible_collections.picluster.spark.plugins.module_utils.spark_memory_budget import (
    MemoryBudgetError,
    memory_budget,
)

# MemTotal as the boards report it (a Pi 3's is the measured 906 MB; the others vary by some
# tens of MB with firmware and kernel), and a NUC with 16 GB and 8 cores.
PI3, PI4_2G, PI4_4G, PI4_8G, NUC = 906, 1848, 3796, 7812, 15820


def _parts(b):
    """Everything the budget gives out of the node's RAM."""
    return (
        b["os_reserve_mb"]
        + b["daemon_heap_mb"]
        + b["daemon_overhead_mb"]
        + b["python_mb"]
        + b["executors"] * (b["executor_memory_mb"] + b["executor_overhead_mb"])
    )


@pytest.mark.parametrize(
    ("ram", "cores", "expected"),
    [
        # Pi 3: every MB to one executor; the smallest daemon heap, no Python reserve.
        (PI3, 4, {"os": 80, "daemon": 128, "python": 0, "executors": 1, "heap": 474, "overhead": 144}),
        (PI4_2G, 4, {"os": 286, "daemon": 256, "python": 256, "executors": 1, "heap": 826, "overhead": 144}),
        (PI4_4G, 4, {"os": 773, "daemon": 256, "python": 256, "executors": 1, "heap": 2210, "overhead": 221}),
        (
            PI4_8G,
            4,
            {"os": 1777, "daemon": 256, "python": 256, "executors": 1, "heap": 4948, "overhead": 495},
        ),
        # A NUC's 8 cores: two 4-core executors.
        (NUC, 8, {"os": 3779, "daemon": 256, "python": 512, "executors": 2, "heap": 5087, "overhead": 509}),
        # Nominal sizes, as an inventory would give them.
        (1024, 4, {"os": 80, "daemon": 128, "python": 0, "executors": 1, "heap": 592, "overhead": 144}),
        (2048, 4, {"os": 336, "daemon": 256, "python": 256, "executors": 1, "heap": 976, "overhead": 144}),
        (8192, 4, {"os": 1872, "daemon": 256, "python": 256, "executors": 1, "heap": 5207, "overhead": 521}),
    ],
)
def test_each_board_gets_values_that_fit_with_no_tuning(ram, cores, expected):
    b = memory_budget(ram, cores, host="node")
    assert b["problems"] == []
    assert {
        "os": b["os_reserve_mb"],
        "daemon": b["daemon_heap_mb"],
        "python": b["python_mb"],
        "executors": b["executors"],
        "heap": b["executor_memory_mb"],
        "overhead": b["executor_overhead_mb"],
    } == expected
    assert b["executor_cores"] == 4
    assert b["worker_cores"] == cores
    assert b["worker_memory_mb"] == expected["executors"] * expected["heap"]
    assert b["worker_memory"] == f"{b['worker_memory_mb']}m"
    assert b["executor_memory"] == f"{expected['heap']}m"
    assert b["daemon_memory"] == f"{expected['daemon']}m"
    assert b["executor_memory_mb"] >= budget.EXECUTOR_FLOOR_MB
    assert _parts(b) + b["unused_mb"] == ram


def test_pi3_in_full():
    assert memory_budget(PI3, 4, host="pi1") == {
        "host": "pi1",
        "ram_mb": 906,
        "cores": 4,
        "os_reserve_mb": 80,
        "daemon_heap_mb": 128,
        "daemon_overhead_mb": 80,
        "python_mb": 0,
        "executors": 1,
        "executor_memory_mb": 474,
        "executor_overhead_mb": 144,
        "executor_cores": 4,
        "worker_memory_mb": 474,
        "worker_cores": 4,
        "worker_memory": "474m",
        "executor_memory": "474m",
        "daemon_memory": "128m",
        # (474 - 300) x 0.6: what execution and storage share; the rest of the job spills.
        "unified_memory_mb": 104,
        "unused_mb": 0,
        "jvm": {
            "max_metaspace_mb": 128,
            "reserved_code_cache_mb": 64,
            # The JVM's own default (the heap): the only direct-memory setting that worked on the bed.
            "max_direct_memory_mb": 474,
            "thread_stack_kb": 512,
        },
        # Max keeps the OS's own 80 MB out of the unit's reach; High starts reclaiming 5% before it.
        "systemd": {"memory_high_mb": 784, "memory_max_mb": 826},
        "problems": [],
    }


def test_nuc_in_part():
    b = memory_budget(NUC, 8, host="nuc")
    assert (b["worker_memory"], b["executor_memory"], b["executor_cores"]) == ("10174m", "5087m", 4)
    # The unit holds what it was given (daemon, Python, both executors); the page cache share stays outside.
    assert b["systemd"] == {"memory_high_mb": 12040, "memory_max_mb": 15740}


@pytest.mark.parametrize(
    "ram", [906, 950, 1024, 1200, 1535, 1536, 1848, 2048, 3000, 3796, 7812, 8192, 15820, 65536]
)
@pytest.mark.parametrize("cores", [1, 2, 3, 4, 6, 8, 16])
def test_the_defaults_always_fit(ram, cores):
    b = memory_budget(ram, cores)
    assert b["problems"] == []
    assert b["executors"] >= 1
    assert b["executor_memory_mb"] >= budget.EXECUTOR_FLOOR_MB
    assert b["executor_cores"] * b["executors"] <= cores
    assert b["worker_memory_mb"] == b["executors"] * b["executor_memory_mb"]
    assert _parts(b) <= ram
    assert 0 < b["systemd"]["memory_high_mb"] <= b["systemd"]["memory_max_mb"] <= ram
    assert b["systemd"]["memory_high_mb"] <= ram - b["os_reserve_mb"]
    assert b["jvm"]["max_direct_memory_mb"] >= budget.DIRECT_MEMORY_FLOOR_MB


def test_cores_are_shared_evenly_between_executors_of_at_most_four():
    shares = {
        c: (memory_budget(NUC, c)["executors"], memory_budget(NUC, c)["executor_cores"])
        for c in (2, 5, 6, 12)
    }
    assert shares == {2: (1, 2), 5: (2, 2), 6: (2, 3), 12: (3, 4)}


def test_a_small_board_with_many_cores_gets_fewer_executors_not_smaller_ones():
    # 8 cores would make two executors, but two do not fit a 1 GB board: one with 4 cores.
    b = memory_budget(1024, 8)
    assert (b["executors"], b["executor_cores"], b["executor_memory_mb"]) == (1, 4, 592)
    assert b["problems"] == []


# Overrides that fit.


def test_a_pi3_with_a_smaller_daemon_heap_gets_a_larger_executor():
    b = memory_budget(PI3, 4, overrides={"daemon_memory": "96m"})
    assert (b["daemon_heap_mb"], b["executor_memory_mb"], b["problems"]) == (96, 506, [])


def test_a_user_executor_size_that_fits():
    b = memory_budget(PI4_4G, 4, overrides={"executor_memory": "1g"})
    assert (b["executor_memory"], b["worker_memory"], b["executors"], b["problems"]) == (
        "1024m",
        "1024m",
        1,
        [],
    )
    assert b["unused_mb"] == PI4_4G - _parts(b)


def test_a_user_executor_may_take_the_page_cache_share_but_not_the_os_need():
    b = memory_budget(PI4_2G, 4, host="pi6", overrides={"executor_memory": "1g"})
    assert b["problems"] == []
    assert (b["os_reserve_mb"], b["unused_mb"]) == (1848 - 256 - 80 - 256 - 1024 - 144, 0)
    assert b["systemd"]["memory_max_mb"] == 1848 - 80
    b = memory_budget(PI4_2G, 4, host="pi6", overrides={"executor_memory": "1100m"})
    assert b["problems"] == [
        "pi6: executor 1100 MB + its JVM overhead 144 MB + worker daemon 256 MB + its JVM overhead 80 MB"
        " + Python 256 MB + OS 80 MB = 1916 MB > 1848 MB RAM"
    ]


def test_the_page_cache_share_gives_way_to_the_smallest_executor():
    # A large Python reserve leaves too little under the default OS share; the smallest executor
    # that works still fits when the OS keeps only what it needs.
    b = memory_budget(PI4_2G, 4, overrides={"python": 700})
    assert (b["executor_memory_mb"], b["os_reserve_mb"], b["problems"]) == (
        466,
        1848 - 256 - 80 - 700 - 466 - 144,
        [],
    )


def test_the_worker_offer_sets_the_executor_size():
    b = memory_budget(PI4_4G, 4, host="pi5", overrides={"worker_memory": "2g"})
    assert (b["executor_memory"], b["worker_memory"], b["problems"]) == ("2048m", "2048m", [])


def test_two_core_executors_on_a_nuc():
    b = memory_budget(NUC, 8, overrides={"executor_cores": 2})
    assert (b["executors"], b["executor_memory_mb"], b["worker_memory_mb"]) == (4, 2543, 4 * 2543)
    assert b["problems"] == []


def test_fewer_worker_cores_than_the_node_has():
    b = memory_budget(NUC, 8, overrides={"worker_cores": 4})
    assert (b["executors"], b["executor_cores"], b["python_mb"], b["problems"]) == (1, 4, 256, [])


def test_other_reserves_and_caps():
    b = memory_budget(
        PI4_2G,
        4,
        overrides={
            "os_reserve": 512,
            "python": 0,
            "daemon_overhead": "64m",
            "executor_overhead": 200,
            "metaspace": "192m",
            "code_cache": 96,
            "direct_memory": "512m",
        },
    )
    assert b["problems"] == []
    assert b["executor_memory_mb"] == PI4_2G - 512 - 256 - 64 - 200
    assert b["executor_overhead_mb"] == 200
    assert b["jvm"] == {
        "max_metaspace_mb": 192,
        "reserved_code_cache_mb": 96,
        "max_direct_memory_mb": 512,
        "thread_stack_kb": 512,
    }


@pytest.mark.parametrize("unset", [None, ""])
def test_none_and_empty_mean_not_set(unset):
    assert memory_budget(PI3, 4, overrides=dict.fromkeys(budget.OVERRIDES, unset)) == memory_budget(PI3, 4)


# Overrides that do not fit: each a sentence with the arithmetic.


def test_todays_defaults_on_a_pi3_are_refused_with_the_arithmetic():
    b = memory_budget(PI3, 4, host="pi2", overrides={"executor_memory": "1g", "daemon_memory": "256m"})
    assert b["problems"] == [
        "pi2: executor 1024 MB + its JVM overhead 144 MB + worker daemon 256 MB + its JVM overhead 80 MB"
        " + Python 0 MB + OS 80 MB = 1584 MB > 906 MB RAM"
    ]


def test_an_executor_larger_than_the_worker_offers_would_hang_applications():
    b = memory_budget(PI4_2G, 4, host="pi2", overrides={"worker_memory": "768m", "executor_memory": "1g"})
    assert b["executors"] == 0
    assert b["problems"] == [
        "pi2: executor 1024 MB > the 768 MB the worker offers: no executor fits and applications hang"
        " with 'Initial job has not accepted any resources'"
    ]


@pytest.mark.parametrize("size", ["400m", "450m", 465])
def test_an_executor_under_the_floor_is_refused(size):
    b = memory_budget(PI4_2G, 4, host="pi2", overrides={"executor_memory": size})
    assert len(b["problems"]) == 1
    problem = b["problems"][0]
    assert problem.startswith(f"pi2: executor {budget.parse_memory_mb(size)} MB < 466 MB: Spark refuses")
    assert "under 450 MB (300 MB reserved x 1.5)" in problem
    assert "-Xmx466m" in problem


def test_a_worker_offer_under_the_floor_is_refused():
    b = memory_budget(PI3, 4, host="pi2", overrides={"worker_memory": "256m"})
    assert [p.split(":")[1] for p in b["problems"]] == [" executor 256 MB < 466 MB"]


def test_the_largest_offer_a_pi3_accepts():
    assert memory_budget(PI3, 4, overrides={"worker_memory": "474m"})["problems"] == []
    assert memory_budget(PI3, 4, host="pi2", overrides={"worker_memory": "475m"})["problems"] == [
        "pi2: executor 475 MB + its JVM overhead 144 MB + worker daemon 128 MB + its JVM overhead 80 MB"
        " + Python 0 MB + OS 80 MB = 907 MB > 906 MB RAM"
    ]


def test_executor_cores_above_the_workers_are_refused():
    b = memory_budget(PI3, 4, host="pi2", overrides={"executor_cores": 8})
    assert b["executors"] == 0
    assert b["problems"] == [
        "pi2: executor cores 8 > the worker's 4 cores: no executor can start there and applications"
        " hang with 'Initial job has not accepted any resources'"
    ]


def test_worker_cores_above_the_nodes_are_refused():
    assert memory_budget(PI3, 4, host="pi2", overrides={"worker_cores": 6})["problems"] == [
        "pi2: the worker offers 6 cores but the node has only 4"
    ]


def test_several_executors_that_do_not_fit_are_counted_as_such():
    b = memory_budget(NUC, 8, host="nuc", overrides={"worker_memory": "16g", "executor_memory": "8g"})
    assert b["problems"] == [
        "nuc: 2 executors x (8192 MB + JVM overhead 820 MB) + worker daemon 256 MB + its JVM overhead"
        " 80 MB + Python 512 MB + OS 80 MB = 18952 MB > 15820 MB RAM"
    ]


def test_python_workers_on_a_pi3_leave_no_room_for_an_executor():
    b = memory_budget(PI3, 4, host="pi2", overrides={"python": "64m"})
    assert b["problems"] == [
        "pi2: 906 MB RAM cannot host an executor: OS 80 MB + worker daemon 128 MB + its JVM overhead"
        " 80 MB + Python 64 MB + the smallest executor that starts, 466 MB, + its JVM overhead 144 MB"
        " = 962 MB > 906 MB RAM"
    ]


@pytest.mark.parametrize("cap", ["64m", "96m", 255])
def test_a_direct_memory_cap_netty_cannot_live_with_is_refused(cap):
    b = memory_budget(PI4_4G, 4, host="pi2", overrides={"direct_memory": cap})
    assert len(b["problems"]) == 1
    assert b["problems"][0].startswith(f"pi2: direct memory cap {budget.parse_memory_mb(cap)} MB < 256 MB")
    assert "spark.network.maxRemoteBlockSizeFetchToMem" in b["problems"][0]


def test_every_problem_is_listed_not_only_the_first():
    b = memory_budget(
        PI3, 4, host="pi2", overrides={"worker_cores": 5, "executor_memory": "300m", "direct_memory": 64}
    )
    assert [p.split(":")[1].split(" ")[1] for p in b["problems"]] == ["the", "executor", "direct"]


def test_without_a_host_the_problem_starts_with_its_subject():
    assert memory_budget(PI3, 4, overrides={"executor_cores": 5})["problems"][0].startswith(
        "executor cores 5"
    )


# Edges.


@pytest.mark.parametrize("ram", [1, 256, 512, 700, 800, 897])
def test_ram_that_cannot_host_an_executor_is_a_problem_not_a_negative_number(ram):
    b = memory_budget(ram, 4, host="pi0")
    assert len(b["problems"]) == 1
    assert b["problems"][0].startswith(f"pi0: {ram} MB RAM cannot host an executor: ")
    assert b["problems"][0].endswith(f"= 898 MB > {ram} MB RAM")
    assert (b["executors"], b["executor_memory_mb"], b["worker_memory_mb"]) == (0, 0, 0)
    numbers = [v for v in b.values() if isinstance(v, int)]
    numbers += list(b["jvm"].values()) + list(b["systemd"].values())
    assert min(numbers) >= 0


def test_the_smallest_board_that_hosts_an_executor():
    assert memory_budget(898, 4)["executor_memory_mb"] == 466
    assert memory_budget(898, 4)["problems"] == []


def test_no_ram_and_no_cores_are_problems():
    b = memory_budget(0, 0, host="x")
    assert b["problems"][:3] == [
        "x: the node's RAM is 0 MB: set its size in the inventory",
        "x: the node has 0 cores: set its CPUs in the inventory",
        "x: the worker offers 0 cores: it needs at least 1",
    ]
    assert min(v for v in b.values() if isinstance(v, int)) >= 0


def test_zero_executor_cores_is_a_problem():
    assert memory_budget(PI3, 4, overrides={"executor_cores": 0})["problems"] == [
        "executor cores 0: an executor needs at least 1"
    ]


@pytest.mark.parametrize(("ram", "cores"), [("1g", "4"), ("1024m", 4.0), ("1024", 4)])
def test_ram_and_cores_as_the_inventory_may_write_them(ram, cores):
    assert memory_budget(ram, cores) == memory_budget(1024, 4)


@pytest.mark.parametrize(
    ("ram", "cores", "overrides", "words"),
    [
        ("1.5g", 4, None, "ram: cannot read memory size '1.5g'"),
        (None, 4, None, "ram: memory size None is a NoneType"),
        (906, "four", None, "cores 'four' is not a whole number of cores"),
        (906, 4.5, None, "cores 4.5 is not a whole number of cores"),
        (906, True, None, "cores True is a boolean"),
        (906, 4, {"executor_memory": "lots"}, "executor_memory: cannot read memory size 'lots'"),
        (906, 4, {"executor_cores": "2x"}, "executor_cores '2x' is not a whole number of cores"),
        (906, 4, {"executor_mem": "1g"}, "unknown override(s) executor_mem; known: os_reserve,"),
        (906, 4, ["1g"], "overrides must be a dict, not list"),
    ],
)
def test_input_it_cannot_read_raises(ram, cores, overrides, words):
    with pytest.raises(MemoryBudgetError) as caught:
        memory_budget(ram, cores, overrides=overrides)
    assert str(caught.value).startswith(words)


def test_sizes_are_read_by_the_collections_one_parser():
    # Same rules and same hint as the spark_memory_mb filter and the spark_memory test.
    with pytest.raises(MemoryBudgetError, match="use a whole number of MB or Spark notation"):
        memory_budget(906, 4, overrides={"daemon_memory": "128 m b"})
    assert budget.parse_memory_mb is budget.__dict__["parse_memory_mb"]
    assert budget.parse_memory_mb.__module__.endswith("module_utils.spark_memory")


# The helpers and the constants' reasons.


@pytest.mark.parametrize("room", [0, 100, 144, 145, 610, 618, 1583, 1584, 1585, 1600, 2000, 12345])
def test_largest_heap_is_the_largest_that_fits(room):
    heap = budget.largest_heap_mb(room)
    assert heap >= 0
    if heap:
        assert heap + budget.executor_overhead_mb(heap) <= room
    assert heap + 1 + budget.executor_overhead_mb(heap + 1) > room


def test_executor_overhead_is_the_measured_minimum_or_a_tenth():
    assert [budget.executor_overhead_mb(h) for h in (474, 1440, 1441, 2210, 5087)] == [
        144,
        144,
        145,
        221,
        509,
    ]


def test_os_reserve_is_the_base_plus_a_quarter_above_one_gb():
    assert [budget.os_reserve_mb(r) for r in (906, 1024, 2048, 16384)] == [80, 80, 336, 3920]


def test_the_floor_is_the_smallest_serial_gc_heap_spark_accepts():
    # The serial GC reports -Xmx less one survivor space: a young generation of a third, a
    # survivor of a tenth of that (NewRatio=2, SurvivorRatio=8), so 1/30 of -Xmx.
    def reported(xmx):
        return xmx - xmx / 30

    assert budget.SPARK_MIN_HEAP_MB == budget.SPARK_RESERVED_MB * 1.5
    assert reported(budget.EXECUTOR_FLOOR_MB) >= budget.SPARK_MIN_HEAP_MB
    assert reported(budget.EXECUTOR_FLOOR_MB - 1) < budget.SPARK_MIN_HEAP_MB


def test_unified_memory():
    assert [budget.unified_memory_mb(h) for h in (0, 300, 474, 1024)] == [0, 0, 104, 434]


def test_the_table_in_docs_memory_md_is_what_the_code_gives():
    doc = (Path(__file__).resolve().parents[4] / "docs" / "memory.md").read_text()
    boards = [("Pi 3 (1 GB)", PI3, 4), ("Pi 4 2 GB", PI4_2G, 4), ("Pi 4 4 GB", PI4_4G, 4)]
    boards += [("Pi 4 8 GB", PI4_8G, 4), ("NUC 16 GB", NUC, 8)]
    for name, ram, cores in boards:
        b = memory_budget(ram, cores)
        row = (
            f"| {name} | {ram} | {cores} | {b['os_reserve_mb']} | {b['daemon_heap_mb']} + "
            f"{b['daemon_overhead_mb']} | {b['python_mb']} | {b['executors']} x ({b['executor_memory_mb']} + "
            f"{b['executor_overhead_mb']}) | {b['executor_cores']} | {b['worker_memory']} | "
            f"{b['unified_memory_mb']} | {b['systemd']['memory_high_mb']} / {b['systemd']['memory_max_mb']} |"
        )
        assert row in doc


# worker_budget: the spark_worker role's inputs; cluster_executor_properties: spark-defaults.conf.


def test_worker_budget_takes_memtotal_as_it_is():
    # The old check rounded a Pi 3's 906 MB up to 1024 and approved a 1g executor: the collapse.
    b = budget.worker_budget({"ansible_facts": {"memtotal_mb": 906, "processor_nproc": 4}}, "pi1")
    assert (b["ram_mb"], b["worker_memory"], b["daemon_memory"], b["problems"]) == (906, "474m", "128m", [])


def test_worker_budget_prefers_the_inventorys_size_and_ignores_unset_values():
    inputs = {
        "spark_worker_node_memory_mb": "3796",
        "spark_worker_node_cores": 4,
        "spark_worker_memory": "",
        "spark_worker_cores": "0",
        "spark_worker_executor_cores": 0,
        "ansible_facts": {"memtotal_mb": 24105, "processor_nproc": 2},
    }
    assert budget.worker_budget(inputs) == memory_budget(3796, 4)


def test_worker_budget_passes_the_users_values_as_overrides():
    inputs = {
        "spark_worker_node_memory_mb": 3796,
        "spark_worker_node_cores": 4,
        "spark_worker_executor_memory": "1g",
    }
    assert budget.worker_budget(inputs) == memory_budget(3796, 4, overrides={"executor_memory": "1g"})


def pi3_cluster(count=4):
    return [memory_budget(PI3, 4, host=f"pi{n}") for n in range(1, count + 1)]


def test_executor_properties_of_the_original_setup():
    assert budget.cluster_executor_properties(pi3_cluster()) == {
        "spark.executor.memory": "474m",
        "spark.executor.cores": 4,
        # 104 MB of unified memory: two tasks at a time, 52 MB each.
        "spark.task.cpus": 2,
        "spark.executor.extraJavaOptions": "-XX:+UseSerialGC -XX:MaxMetaspaceSize=128m "
        "-XX:ReservedCodeCacheSize=64m -Xss512k -XX:+ExitOnOutOfMemoryError",
        "spark.sql.shuffle.partitions": 64,
        "spark.sql.files.maxPartitionBytes": "32m",
        "spark.shuffle.compress": True,
        "spark.shuffle.spill.compress": True,
        "spark.shuffle.io.preferDirectBufs": False,
        "spark.network.io.preferDirectBufs": False,
        "spark.reducer.maxSizeInFlight": "8m",
    }


def test_executor_properties_of_large_boards_keep_spark_s_own_buffers_and_gc():
    properties = budget.cluster_executor_properties([memory_budget(PI4_4G, 4, host="pi")])
    assert properties["spark.executor.memory"] == "2210m"
    assert properties["spark.task.cpus"] == 1
    assert properties["spark.sql.files.maxPartitionBytes"] == "128m"
    assert "-XX:+UseSerialGC" not in properties["spark.executor.extraJavaOptions"]
    assert "spark.shuffle.io.preferDirectBufs" not in properties


def test_executor_properties_follow_the_smallest_worker_and_count_every_core():
    workers = [*pi3_cluster(2), memory_budget(NUC, 8, host="nuc")]
    properties = budget.cluster_executor_properties(workers)
    assert properties["spark.executor.memory"] == "474m"
    assert properties["spark.sql.shuffle.partitions"] == 4 * (4 + 4 + 8)


def test_executor_properties_write_only_a_users_direct_memory_cap():
    capped = memory_budget(PI3, 4, host="pi1", overrides={"direct_memory": "300m"})
    assert (
        "-XX:MaxDirectMemorySize=300m"
        in budget.cluster_executor_properties([capped])["spark.executor.extraJavaOptions"]
    )
    assert (
        "MaxDirectMemorySize"
        not in budget.cluster_executor_properties(pi3_cluster(1))["spark.executor.extraJavaOptions"]
    )


def test_executor_properties_without_a_usable_worker_are_empty():
    assert budget.cluster_executor_properties([memory_budget(512, 4, host="pi0")]) == {}
    assert budget.cluster_executor_properties([]) == {}
