# Copyright: (c) 2026, picluster.spark maintainers
# Apache License 2.0 (see https://www.apache.org/licenses/LICENSE-2.0)
"""The memory budget of one Spark worker node, in one place.

From the node's RAM (MemTotal in MB, or the inventory's size where facts cannot
see a cap), its cores and the user's overrides, memory_budget() shares the RAM
out between the OS, the worker daemon, the executors and PySpark's Python
workers, and returns the values the roles write (what the worker offers,
spark.executor.memory and spark.executor.cores, JVM caps, the worker unit's
memory limits) with every user value that does not fit as a sentence with its
arithmetic. docs/memory.md explains the numbers; docs/testbed.md has the
measurements they come from.

Every size is whole MB (MiB), read by the collection's one memory parser.
"""

from __future__ import annotations

from ansible_collections.picluster.spark.plugins.module_utils.spark_memory import (
    SparkMemoryError,
    parse_memory_mb,
)

# The OS itself on a headless board (kernel, systemd, journald, sshd, time sync): a
# headless Raspberry Pi OS / Debian uses 60-80 MB after boot; more would cost a Pi 3 its executor.
OS_BASE_MB = 80
# Above 1 GB the OS also keeps a quarter of the RAM for its page cache (input files, shuffle
# files): Spark's hardware guide gives Spark at most 75% of a machine's memory. A preference, not
# a need: user values are checked against the base alone, and it gives way to the smallest executor.
PAGE_CACHE_PERCENT = 25
PAGE_CACHE_FROM_MB = 1024
# Boards under this (a Pi 3's 906 MB) get the small daemon heap and no Python reserve: every MB
# there goes to the one executor. A Pi 4 2 GB (about 1850 MB) is above it.
SMALL_BOARD_MB = 1536
# The worker daemon's heap: its live data is a few tens of MB (executor bookkeeping, web UI); 256
# MB, today's default, leaves a Pi 3 no room for an executor that starts.
DAEMON_HEAP_SMALL_MB = 128
# Elsewhere today's default, the one measured on the bed (the workers ran at ~330 MB RSS).
DAEMON_HEAP_MB = 256
# The daemon's JVM beyond its heap: 330 MB RSS at -Xmx256m on the bed is 74 MB more, rounded up.
DAEMON_OVERHEAD_MB = 80
# An executor's JVM beyond its heap (metaspace, code cache, direct buffers, thread stacks, GC):
# the run that finished on the bed had 1024 MB (cap) - 330 (daemon) - 512 (heap) = 182 MB for it
# and the container's own processes.
EXECUTOR_OVERHEAD_MIN_MB = 144
# For larger heaps, Spark's own default on YARN and Kubernetes (spark.executor.memoryOverheadFactor).
EXECUTOR_OVERHEAD_PERCENT = 10
# Spark keeps 300 MB of an executor's heap for itself (UnifiedMemoryManager) ...
SPARK_RESERVED_MB = 300
# ... and refuses a heap under 1.5 times that: 450 MB of the heap the JVM reports.
SPARK_MIN_HEAP_MB = 450
# The smallest -Xmx that reports 450 MB with the serial GC that a board under 1792 MB gets: the JVM
# reports -Xmx less one survivor space (1/30); 466m reports 450.5 MB, 450m only 435 (measured, Java 17).
EXECUTOR_FLOOR_MB = 466
# Of the heap above the reserve, Spark's execution and storage get spark.memory.fraction (0.6).
SPARK_MEMORY_FRACTION = 0.6
# Cores per executor: one executor (one heap, one JVM overhead) per 4-core board; a NUC's 8 cores
# get two executors, as Spark's tuning advice keeps an executor at about 5 cores or fewer.
CORES_PER_EXECUTOR = 4
# PySpark's Python workers, one per running task (~30 MB each idle, more with the rows a UDF
# holds); DataFrame-only jobs start none, which is why a Pi 3 reserves nothing for them.
PYTHON_PER_CORE_MB = 64
# ... but at most a quarter of what the OS and the daemon leave, so a board with many cores and
# little RAM still gets its executor.
PYTHON_MAX_PERCENT = 25
# The executor JVM caps of the run that finished the heavy job on 1 GiB bed nodes.
METASPACE_MB = 128
CODE_CACHE_MB = 64
THREAD_STACK_KB = 512
# Executors die under this direct-memory cap: at start below Netty's 200 MB (the default
# spark.network.maxRemoteBlockSizeFetchToMem), and in the shuffle at 96 MB (measured on the bed).
DIRECT_MEMORY_FLOOR_MB = 256
# MemoryHigh at most this share of MemoryMax: the kernel reclaims the unit's page cache (input and
# shuffle files) and slows it before the hard limit, where it kills.
MEMORY_HIGH_PERCENT = 95

# Overrides: the memory sizes (Spark notation or MB) and the counts a user may set.
MEMORY_OVERRIDES = (
    "os_reserve",
    "daemon_memory",
    "daemon_overhead",
    "worker_memory",
    "executor_memory",
    "executor_overhead",
    "python",
    "metaspace",
    "code_cache",
    "direct_memory",
)
COUNT_OVERRIDES = ("worker_cores", "executor_cores")
OVERRIDES = MEMORY_OVERRIDES + COUNT_OVERRIDES


class MemoryBudgetError(ValueError):
    """An input the budget cannot read (not a size, not a count, an unknown override)."""


def _count(name, value):
    if isinstance(value, bool):
        raise MemoryBudgetError(f"{name} {value!r} is a boolean, not a number of cores")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise MemoryBudgetError(f"{name} {value!r} is not a whole number of cores") from None
    if isinstance(value, float) and not value.is_integer():
        raise MemoryBudgetError(f"{name} {value!r} is not a whole number of cores")
    return number


def _size(name, value):
    try:
        return parse_memory_mb(value)
    except SparkMemoryError as exc:
        raise MemoryBudgetError(f"{name}: {exc}") from None


def read_overrides(overrides):
    """The user's overrides as whole MB and counts; None and "" mean "not set"."""
    overrides = overrides or {}
    if not isinstance(overrides, dict):
        raise MemoryBudgetError(f"overrides must be a dict, not {type(overrides).__name__}")
    unknown = sorted(set(overrides) - set(OVERRIDES))
    if unknown:
        raise MemoryBudgetError(
            f"unknown override(s) {', '.join(map(str, unknown))}; known: {', '.join(OVERRIDES)}"
        )
    read = {}
    for name, value in overrides.items():
        if value is None or value == "":
            continue
        read[name] = _size(name, value) if name in MEMORY_OVERRIDES else _count(name, value)
    return read


def os_reserve_mb(ram_mb):
    """What the budget leaves the OS: its base, plus page cache on boards above 1 GB."""
    return OS_BASE_MB + max(0, ram_mb - PAGE_CACHE_FROM_MB) * PAGE_CACHE_PERCENT // 100


def executor_overhead_mb(heap_mb):
    """An executor JVM's memory beyond its heap, for a heap of ``heap_mb``."""
    return max(EXECUTOR_OVERHEAD_MIN_MB, -(-heap_mb * EXECUTOR_OVERHEAD_PERCENT // 100))


def largest_heap_mb(room_mb):
    """The largest executor heap whose JVM (heap plus overhead) fits ``room_mb``; 0 if none."""
    if room_mb <= EXECUTOR_OVERHEAD_MIN_MB:
        return 0
    # A first guess from above (heap + its share = room), then down to the largest that fits.
    heap = max(room_mb - EXECUTOR_OVERHEAD_MIN_MB, room_mb * 100 // (100 + EXECUTOR_OVERHEAD_PERCENT))
    while heap > 0 and heap + executor_overhead_mb(heap) > room_mb:
        heap -= 1
    return heap


def unified_memory_mb(heap_mb):
    """What Spark's execution and storage share of a ``heap_mb`` executor (spark.memory.fraction)."""
    return int(max(0, heap_mb - SPARK_RESERVED_MB) * SPARK_MEMORY_FRACTION)


def _mb(value):
    return f"{value} MB"


def _shares(ram, node_cores, user):
    """The parts that do not depend on the executors: the user's value, else the default."""
    small = ram < SMALL_BOARD_MB
    worker_cores = user.get("worker_cores", node_cores)
    if "executor_cores" in user:
        executor_cores = user["executor_cores"]
    else:
        # As many executors as 4-core groups, the cores shared evenly between them.
        executor_cores = max(1, worker_cores // max(1, -(-worker_cores // CORES_PER_EXECUTOR)))
    os_reserve = user.get("os_reserve", os_reserve_mb(ram))
    daemon_heap = user.get("daemon_memory", DAEMON_HEAP_SMALL_MB if small else DAEMON_HEAP_MB)
    daemon_overhead = user.get("daemon_overhead", DAEMON_OVERHEAD_MB)
    if "python" in user:
        python = user["python"]
    elif small:
        python = 0
    else:
        left = max(0, ram - os_reserve - daemon_heap - daemon_overhead)
        python = min(PYTHON_PER_CORE_MB * max(worker_cores, 0), left * PYTHON_MAX_PERCENT // 100)
    return {
        "os_reserve": os_reserve,
        # What the OS needs: a user's reserve is theirs; the page cache share is not a need.
        "os_need": user.get("os_reserve", OS_BASE_MB),
        "daemon_heap": daemon_heap,
        "daemon_overhead": daemon_overhead,
        "python": python,
        "worker_cores": worker_cores,
        "executor_cores": executor_cores,
        "cores_fit": 1 <= executor_cores <= worker_cores,
    }


def _core_problems(who, ram, node_cores, shares):
    problems = []
    worker_cores, executor_cores = shares["worker_cores"], shares["executor_cores"]
    if ram < 1:
        problems.append(f"{who}the node's RAM is {ram} MB: set its size in the inventory")
    if node_cores < 1:
        problems.append(f"{who}the node has {node_cores} cores: set its CPUs in the inventory")
    if worker_cores < 1:
        problems.append(f"{who}the worker offers {worker_cores} cores: it needs at least 1")
    elif worker_cores > node_cores >= 1:
        problems.append(f"{who}the worker offers {worker_cores} cores but the node has only {node_cores}")
    if executor_cores < 1:
        problems.append(f"{who}executor cores {executor_cores}: an executor needs at least 1")
    elif executor_cores > worker_cores >= 1:
        problems.append(
            f"{who}executor cores {executor_cores} > the worker's {worker_cores} cores: no executor can "
            "start there and applications hang with 'Initial job has not accepted any resources'"
        )
    return problems


def _default_heap(room, slots, user):
    """The executor heap when the user did not set it: the largest for the most executors (up
    to ``slots``) whose heaps still reach the floor; 0 when not even one executor fits."""
    heap = 0
    for executors in range(slots, 0, -1):
        if "worker_memory" in user:
            heap = user["worker_memory"] // executors
        elif "executor_overhead" in user:
            heap = max(0, room // executors - user["executor_overhead"])
        else:
            heap = largest_heap_mb(room // executors)
        if heap >= EXECUTOR_FLOOR_MB:
            return heap
    return heap if "worker_memory" in user else 0


def _executors(who, ram, shares, user):
    """(executors, heap, overhead, what the worker offers, problems)."""
    others = shares["daemon_heap"] + shares["daemon_overhead"] + shares["python"]
    room = ram - shares["os_reserve"] - others
    slots = max(1, shares["worker_cores"] // shares["executor_cores"]) if shares["cores_fit"] else 1
    if "executor_memory" in user:
        heap = user["executor_memory"]
    else:
        heap = _default_heap(room, slots, user)
        if heap < EXECUTOR_FLOOR_MB and "worker_memory" not in user:
            # The page cache share gives way to one executor of the smallest size that works.
            fits = _default_heap(ram - shares["os_need"] - others, 1, user) >= EXECUTOR_FLOOR_MB
            heap = EXECUTOR_FLOOR_MB if fits else 0
    if heap == 0 and not {"executor_memory", "worker_memory"} & set(user):
        overhead = user.get("executor_overhead", executor_overhead_mb(EXECUTOR_FLOOR_MB))
        need = shares["os_need"] + others + EXECUTOR_FLOOR_MB + overhead
        problem = (
            f"{who}{ram} MB RAM cannot host an executor: OS {_mb(shares['os_need'])} + worker daemon "
            f"{_mb(shares['daemon_heap'])} + its JVM overhead {_mb(shares['daemon_overhead'])} + Python "
            f"{_mb(shares['python'])} + the smallest executor that starts, {_mb(EXECUTOR_FLOOR_MB)}, + "
            f"its JVM overhead {_mb(overhead)} = {_mb(need)} > {ram} MB RAM"
        )
        return 0, 0, 0, 0, [problem]
    overhead = user.get("executor_overhead", executor_overhead_mb(heap))
    if "worker_memory" in user:
        offer = user["worker_memory"]
        executors = min(slots, offer // heap) if heap > 0 else 0
    else:
        # One executor per slot the memory allows, and the worker offers their heaps.
        executors = max(1, min(slots, room // max(1, heap + overhead)))
        offer = executors * heap
    problems = []
    if heap < EXECUTOR_FLOOR_MB:
        problems.append(
            f"{who}executor {_mb(heap)} < {_mb(EXECUTOR_FLOOR_MB)}: Spark refuses an executor whose heap "
            f"is under {SPARK_MIN_HEAP_MB} MB ({SPARK_RESERVED_MB} MB reserved x 1.5), and with the serial "
            f"GC of a small board -Xmx{EXECUTOR_FLOOR_MB}m is the smallest heap the JVM reports as "
            f"{SPARK_MIN_HEAP_MB} MB"
        )
    if heap > offer:
        problems.append(
            f"{who}executor {_mb(heap)} > the {_mb(offer)} the worker offers: no executor fits and "
            "applications hang with 'Initial job has not accepted any resources'"
        )
    # What cannot work: the OS's need, not the page cache share the defaults leave it.
    needed = shares["os_need"] + others + max(executors, 1) * (heap + overhead)
    if needed > ram:
        part = f"executor {_mb(heap)} + its JVM overhead {_mb(overhead)}"
        if executors > 1:
            part = f"{executors} executors x ({_mb(heap)} + JVM overhead {_mb(overhead)})"
        problems.append(
            f"{who}{part} + worker daemon {_mb(shares['daemon_heap'])} + its JVM overhead "
            f"{_mb(shares['daemon_overhead'])} + Python {_mb(shares['python'])} + OS "
            f"{_mb(shares['os_need'])} = {_mb(needed)} > {ram} MB RAM"
        )
    return executors, heap, overhead, offer, problems


def memory_budget(ram_mb, cores, host="", overrides=None):
    """Share a worker node's RAM out; see docs/memory.md.

    ``ram_mb`` is the node's RAM (MemTotal, or the inventory's size; MB or Spark
    notation), ``cores`` its CPUs, ``host`` the name that starts every problem,
    ``overrides`` a dict of user values (keys in OVERRIDES; None or "" = unset).

    Returns a dict of whole MB and counts: the parts (os_reserve_mb, daemon_heap_mb,
    daemon_overhead_mb, python_mb, executors, executor_memory_mb, executor_overhead_mb,
    executor_cores), the values to write (worker_memory, executor_memory, daemon_memory
    in Spark notation; worker_memory_mb, worker_cores), jvm caps, systemd limits,
    unused_mb, unified_memory_mb, and problems: one sentence per value that does not
    fit, empty when everything does.

    Raises MemoryBudgetError for input it cannot read.
    """
    ram = _size("ram", ram_mb)
    node_cores = _count("cores", cores)
    user = read_overrides(overrides)
    who = f"{host}: " if host else ""
    shares = _shares(ram, node_cores, user)
    problems = _core_problems(who, ram, node_cores, shares)
    executors, heap, overhead, offer, more = _executors(who, ram, shares, user)
    problems += more
    if not shares["cores_fit"]:
        executors = 0  # no executor starts on this worker

    direct = user.get("direct_memory", heap)
    if "direct_memory" in user and direct < DIRECT_MEMORY_FLOOR_MB:
        problems.append(
            f"{who}direct memory cap {_mb(direct)} < {_mb(DIRECT_MEMORY_FLOOR_MB)}: executors exit at "
            "start under Netty's 200 MB (spark.network.maxRemoteBlockSizeFetchToMem) and died in the "
            "shuffle at 96 MB on the bed"
        )

    daemon = shares["daemon_heap"] + shares["daemon_overhead"]
    unit = daemon + shares["python"] + executors * (heap + overhead)
    # The OS keeps its share, less what a user's executor took of the page cache share.
    os_reserve = max(shares["os_need"], min(shares["os_reserve"], ram - unit))
    # The unit may use the page cache share (the kernel takes it back), never the OS's need.
    memory_max = max(0, ram - shares["os_need"])
    return {
        "host": host,
        "ram_mb": ram,
        "cores": node_cores,
        "os_reserve_mb": os_reserve,
        "daemon_heap_mb": shares["daemon_heap"],
        "daemon_overhead_mb": shares["daemon_overhead"],
        "python_mb": shares["python"],
        "executors": executors,
        "executor_memory_mb": heap,
        "executor_overhead_mb": overhead,
        "executor_cores": shares["executor_cores"],
        "worker_memory_mb": offer,
        "worker_cores": shares["worker_cores"],
        "worker_memory": f"{offer}m",
        "executor_memory": f"{heap}m",
        "daemon_memory": f"{shares['daemon_heap']}m",
        "unified_memory_mb": unified_memory_mb(heap),
        "unused_mb": max(0, ram - os_reserve - unit),
        "jvm": {
            "max_metaspace_mb": user.get("metaspace", METASPACE_MB),
            "reserved_code_cache_mb": user.get("code_cache", CODE_CACHE_MB),
            "max_direct_memory_mb": direct,
            "thread_stack_kb": THREAD_STACK_KB,
        },
        "systemd": {
            "memory_high_mb": max(0, min(unit, memory_max * MEMORY_HIGH_PERCENT // 100)),
            "memory_max_mb": memory_max,
        },
        "problems": problems,
    }


# The spark_worker role's inputs that set a user value, and the budget's override each one is.
_OVERRIDE_OF = {
    "spark_worker_cores": "worker_cores",
    "spark_worker_memory": "worker_memory",
    "spark_worker_daemon_memory": "daemon_memory",
    "spark_worker_executor_memory": "executor_memory",
    "spark_worker_executor_cores": "executor_cores",
}
# Every spark_worker input that sizes a worker (empty or 0 where unset: the budget decides). The
# role and the cluster's totals read a worker through worker_budget(), so both size it by one rule.
WORKER_INPUTS = ("spark_worker_node_memory_mb", "spark_worker_node_cores", *_OVERRIDE_OF)


def _unset(value):
    return (
        value is None
        or (isinstance(value, str) and value.strip() in ("", "0"))
        or (not isinstance(value, (bool, str)) and value == 0)
    )


# Each size of a node: its input, the facts that give it otherwise, what it is called, its unit.
_NODE_SIZES = {
    "ram": ("spark_worker_node_memory_mb", ("memtotal_mb",), "RAM", "MB"),
    "cores": ("spark_worker_node_cores", ("processor_nproc", "processor_vcpus"), "CPU count", "cores"),
}


def _node_size(inputs, size, host):
    name, fact_names, what, unit = _NODE_SIZES[size]
    value = inputs.get(name, 0)
    if not _unset(value):
        return value
    facts = inputs.get("ansible_facts") or {}
    for fact in fact_names:
        if not _unset(facts.get(fact)):
            return facts[fact]
    who = f"{host}: " if host else ""
    raise MemoryBudgetError(
        f"{who}the node's {what} is unknown: set {name} in the inventory ({unit}), or gather the "
        "node's hardware facts first (site.yml's first play does)"
    )


def worker_budget(inputs, host=""):
    """The budget of one worker from the spark_worker role's inputs.

    ``inputs`` maps the names in WORKER_INPUTS (a missing one takes the role's default) and
    ``ansible_facts`` to values: the node's RAM is spark_worker_node_memory_mb, else MemTotal
    (ansible_facts.memtotal_mb), never rounded up; its cores spark_worker_node_cores, else
    processor_nproc / processor_vcpus. The other inputs, where set, are the user's overrides.
    """
    ram = _node_size(inputs, "ram", host)
    cores = _node_size(inputs, "cores", host)
    who = f"{host}: " if host else ""
    overrides = {}
    for name, override in _OVERRIDE_OF.items():
        if name in inputs and not _unset(inputs[name]):
            try:
                overrides.update(read_overrides({override: inputs[name]}))
            except MemoryBudgetError as exc:
                # Named as the user wrote it.
                raise MemoryBudgetError(f"{who}{name}{str(exc)[len(override) :]}") from None
    try:
        return memory_budget(ram, cores, host=host, overrides=overrides)
    except MemoryBudgetError as exc:
        raise MemoryBudgetError(f"{who}{exc}") from None


# Executor settings for the whole cluster. An application has one spark.executor.memory, so the
# smallest worker's budget sets it; each worker still offers its own memory.
# Unified memory (execution + storage) one running task needs at least: the run that finished
# the heavy job on 1 GiB nodes ran 2 tasks in a 512 MB heap, about 64 MB each.
MIN_UNIFIED_PER_TASK_MB = 48
# Under this heap an executor is a small board's: a small-heap GC, heap (not direct) buffers for
# the network, small shuffle fetches.
SMALL_EXECUTOR_MB = 1024
# Shuffle partitions per core of the cluster: Spark's 200 are for servers; the finished run used 64.
SHUFFLE_PARTITIONS_PER_CORE = 4
# Input split bounds: a task reads one split; smaller ones keep its rows within its memory share.
PARTITION_BYTES_MIN_MB = 16
PARTITION_BYTES_MAX_MB = 128


def _split_mb(per_task_mb):
    size = PARTITION_BYTES_MAX_MB
    while size > PARTITION_BYTES_MIN_MB and size > per_task_mb:
        size //= 2
    return size


def executor_java_options(heap_mb, jvm):
    """The executors' JVM options: caps for the memory beyond the heap, and an exit on
    OutOfMemoryError so the worker starts a new executor instead of one thrashing on."""
    options = []
    if heap_mb < SMALL_EXECUTOR_MB:
        options.append("-XX:+UseSerialGC")
    options += [
        f"-XX:MaxMetaspaceSize={jvm['max_metaspace_mb']}m",
        f"-XX:ReservedCodeCacheSize={jvm['reserved_code_cache_mb']}m",
        f"-Xss{jvm['thread_stack_kb']}k",
    ]
    if jvm["max_direct_memory_mb"] != heap_mb:
        # The JVM's default is the heap: only a user's cap is written.
        options.append(f"-XX:MaxDirectMemorySize={jvm['max_direct_memory_mb']}m")
    options.append("-XX:+ExitOnOutOfMemoryError")
    return " ".join(options)


def cluster_executor_properties(budgets):
    """spark-defaults.conf properties that size every application for the workers' ``budgets``.

    Empty when no worker can host an executor (the pre-flight reports that). See docs/memory.md
    for each property's reason.
    """
    usable = [b for b in budgets if b["executors"] > 0 and b["executor_memory_mb"] > 0]
    if not usable:
        return {}
    smallest = min(usable, key=lambda b: (b["executor_memory_mb"], b["host"]))
    heap = smallest["executor_memory_mb"]
    cores = min(b["executor_cores"] for b in usable)
    unified = smallest["unified_memory_mb"]
    tasks = max(1, min(cores, unified // MIN_UNIFIED_PER_TASK_MB))
    task_cpus = -(-cores // tasks)
    tasks = cores // task_cpus
    total_cores = sum(b["worker_cores"] for b in usable)
    properties = {
        "spark.executor.memory": f"{heap}m",
        "spark.executor.cores": cores,
        "spark.task.cpus": task_cpus,
        "spark.executor.extraJavaOptions": executor_java_options(heap, smallest["jvm"]),
        "spark.sql.shuffle.partitions": max(1, total_cores * SHUFFLE_PARTITIONS_PER_CORE),
        "spark.sql.files.maxPartitionBytes": f"{_split_mb(unified // tasks)}m",
        "spark.shuffle.compress": True,
        "spark.shuffle.spill.compress": True,
    }
    if heap < SMALL_EXECUTOR_MB:
        properties.update(
            {
                "spark.shuffle.io.preferDirectBufs": False,
                "spark.network.io.preferDirectBufs": False,
                "spark.reducer.maxSizeInFlight": "8m",
            }
        )
    return properties
