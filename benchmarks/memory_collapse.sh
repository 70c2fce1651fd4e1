#!/usr/bin/env bash
# Does the memory budget stop the original collapse? The heavy job
# (playbooks/group_trips.yml) over trip CSVs larger than the naive cluster's
# executor memory, on x86_64 containers capped like a Raspberry Pi 3 (906 MB,
# its MemTotal; no swap), one master (2g) and two workers, side by side in one
# run for two versions of the collection:
#   naive  NAIVE_REF (default d09cd6f): the old defaults, worker offers 1g, daemon
#          256m, no executor settings (its pre-flight needs the Pi 3 rounded up:
#          spark_worker_node_memory_mb 1024, spark_worker_node_cores 4);
#   new    NEW_REF (default: the newest main commit whose subject starts
#          "memory budget"): the inventory states only the board, 906 MB and 4
#          cores, and the budget derives the rest.
# Each setting on new containers: site.yml of that checkout (git worktree at
# /work/wt-bench-<setting>), which also syncs the data to /data/trips on every
# node; then group_trips.yml with that checkout's own defaults and a time
# limit (LIMIT seconds; a job still running then counts as not completed).
# Measured: completed, answer right (the rows the job wrote, checked against the
# exact answer by the collection's trips.problems, the check group_trips_source
# makes), wall seconds, executors lost (worker journals), exit code 137 and
# kernel OOM kills (host dmesg), each worker container's peak memory (cgroup v1),
# bytes spilled (the driver's REST API on :4040, polled every 3 s).
# The exact answer is computed once per dataset on the controller and cached
# (group_trips_source would recompute it, ~5 min of one core, every run).
#
# A third setting, naive1g, is the naive cluster with group_trips_executor_memory=1g.
#
# Usage: benchmarks/memory_collapse.sh [naive] [new] [naive1g]    (root; after `make venv bed`)
#        benchmarks/memory_collapse.sh clean            removes containers, network,
#                                                       worktrees and the generated data
# Environment: LIMIT (1200 s), DEADLINE (a `date -d` time by which every job must be
# over: shortens the limit), DATA (/work/bench-data/trips; 10 files x ROWS=7000000
# lines, ~2.5 GB), LOGS (a new /tmp/memory-collapse.* directory), KEEP=1 keeps the
# last setting's containers.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
helper=$root/benchmarks/memory_collapse.py
export PATH="$root/.venv/bin:$PATH"
export PICLUSTER_BED_KEY="$root/.bed/ssh/id_ed25519"
LIMIT=${LIMIT:-1200}
DATA=${DATA:-/work/bench-data/trips}
FILES=${FILES:-10}
ROWS=${ROWS:-7000000}
NAIVE_REF=${NAIVE_REF:-d09cd6f}
net=picluster-bench
prefix=172.31.77
master=bench-nuc
workers=(bench-w1 bench-w2)
image=picluster/node:amd64

remove_nodes() {
  docker rm -f "$master" "${workers[@]}" >/dev/null 2>&1 || true
  docker network rm "$net" >/dev/null 2>&1 || true
}

if [ "${1:-}" = clean ]; then
  remove_nodes
  for tree in /work/wt-bench-*; do
    [ -d "$tree" ] && git -C "$root" worktree remove --force "$tree"
  done
  git -C "$root" worktree prune
  rm -rf "$DATA" "$DATA.expected.json"
  echo "[bench] removed containers, network, worktrees and $DATA"
  exit 0
fi

settings=("$@")
[ ${#settings[@]} -gt 0 ] || settings=(naive new)
logs=${LOGS:-$(mktemp -d /tmp/memory-collapse.XXXXXX)}
mkdir -p "$logs"
sampler=""
cleanup() {
  [ -z "$sampler" ] || kill "$sampler" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || remove_nodes
}
trap cleanup EXIT

ref_of() {
  case $1 in
    naive | naive1g) git -C "$root" rev-parse --short "$NAIVE_REF" ;;
    new)
      if [ -n "${NEW_REF:-}" ]; then
        git -C "$root" rev-parse --short "$NEW_REF"
      else
        git -C "$root" log main --format='%h %s' | awk '/^[0-9a-f]+ memory budget/ && !found { print $1; found = 1 }'
      fi
      ;;
    *) echo "usage: $0 [naive] [new] [naive1g] | clean" >&2; exit 2 ;;
  esac
}

# The worker group's settings of each version.
worker_vars() {
  case $1 in
    naive | naive1g) cat <<'EOF'
---
# d09cd6f's defaults on a Pi 3: 4 cores, 1g offered, a 256m daemon; its
# pre-flight rounds the Pi 3's 906 MB up to 1024, so the inventory says 1024.
spark_worker_cores: 4
spark_worker_memory: 1g
spark_worker_daemon_memory: 256m
spark_worker_node_cores: 4
spark_worker_node_memory_mb: 1024
EOF
      ;;
    new) cat <<'EOF'
---
# The board only (a Pi 3's MemTotal and cores); the memory budget derives the rest.
spark_worker_node_cores: 4
spark_worker_node_memory_mb: 906
EOF
      ;;
  esac
}

# The data, once: FILES trip CSVs of ROWS lines, and its exact answer.
python3 "$helper" generate "$DATA" "$FILES" "$ROWS" "$root/plugins/module_utils"
# Its exact answer, once, when the first answer is to be checked.
expected() {
  if [ ! -s "$DATA.expected.json" ]; then
    echo "[bench] computing the exact answer of $DATA (once)"
    python3 "$helper" expected "$DATA" "$DATA.expected.json" "$root/plugins/module_utils"
  fi
}
data_mb=$(du -sm "$DATA" | cut -f1)
echo "[bench] data: $DATA, $data_mb MB in $(find "$DATA" -name '*.csv' | wc -l) files; logs in $logs"

for setting in "${settings[@]}"; do
  ref=$(ref_of "$setting")
  [ -n "$ref" ] || { echo "[bench] $setting: no commit found" >&2; exit 1; }
  out=$logs/$setting
  mkdir -p "$out"
  echo "[bench] $setting: commit $ref ($(git -C "$root" log -1 --format=%s "$ref" | cut -c1-80))"

  # The checkout under test, resolvable as picluster.spark.
  tree=/work/wt-bench-$setting
  if [ -d "$tree" ]; then
    git -C "$tree" checkout -q --detach "$ref"
  else
    git -C "$root" worktree add -q --detach "$tree" "$ref"
  fi
  ln -sfn "$root/.venv" "$tree/.venv"
  ln -sfn "$root/.bed" "$tree/.bed"
  mkdir -p "$tree/.collections/ansible_collections/picluster"
  ln -sfn ../../.. "$tree/.collections/ansible_collections/picluster/spark"

  # Its inventory: inventories/local's group_vars, adapted.
  inv=$out/inventory
  rm -rf "$inv"
  mkdir -p "$inv/group_vars" "$inv/host_vars"
  cp "$tree/inventories/local/group_vars/spark_master.yml" "$inv/group_vars/"
  python3 - "$tree/inventories/local/group_vars/all.yml" "$inv/group_vars/all.yml" "$DATA" <<'EOF'
import sys, yaml
values = yaml.safe_load(open(sys.argv[1]))
values.update(nfs_share_enabled=False, data_sync_datasets=[
    {"name": "trips", "src": sys.argv[3], "dest": "/data/trips", "delete": True, "verify": False}])
yaml.safe_dump(values, open(sys.argv[2], "w"), sort_keys=False)
EOF
  worker_vars "$setting" >"$inv/group_vars/spark_workers.yml"
  {
    echo "all:"
    echo "  children:"
    echo "    spark_cluster:"
    echo "      children:"
    echo "        spark_master:"
    echo "          hosts:"
    echo "            $master: {ansible_host: $prefix.10}"
    echo "        spark_workers:"
    echo "          hosts:"
    i=0
    for worker in "${workers[@]}"; do
      i=$((i + 1))
      echo "            $worker: {ansible_host: $prefix.1$i}"
    done
  } >"$inv/hosts.yml"

  # New nodes: the master 2g, the workers capped at a Pi 3's 906 MB, no swap.
  remove_nodes
  docker network create --subnet "$prefix.0/24" "$net" >/dev/null
  node() {
    docker run -d --name "$1" --hostname "$1" --network "$net" --ip "$2" \
      --memory "$3" --memory-swap "$3" \
      --cap-add SYS_ADMIN --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
      --cgroupns=host -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run --tmpfs /run/lock \
      -v "$root/.bed/ssh/id_ed25519.pub:/home/pi/.ssh/authorized_keys:ro" \
      "$image" /lib/systemd/systemd >/dev/null
  }
  node "$master" "$prefix.10" 2g
  i=0
  for worker in "${workers[@]}"; do
    i=$((i + 1))
    node "$worker" "$prefix.1$i" 906m
  done

  export ANSIBLE_CONFIG="$tree/ansible.cfg"
  export ANSIBLE_COLLECTIONS_PATH="$tree/.collections"
  export ANSIBLE_ROLES_PATH="$tree/roles"
  export ANSIBLE_CACHE_PLUGIN_CONNECTION="$out/facts"
  ansible -i "$inv" spark_cluster -m ansible.builtin.wait_for_connection -a timeout=120 >"$out/connect.log" 2>&1
  started=$(date +%s)
  if ! (cd "$tree" && ansible-playbook -i "$inv" playbooks/site.yml) >"$out/converge.log" 2>&1; then
    echo "[bench] $setting: site.yml failed, see $out/converge.log" >&2
    tail -n 30 "$out/converge.log" >&2
    exit 1
  fi
  echo "[bench] $setting: site.yml converged in $(($(date +%s) - started)) s (data synced)"

  # What the workers run, from their units.
  unit=$(docker exec "${workers[0]}" systemctl cat spark-worker)
  echo "$unit" >"$out/spark-worker.service"
  worker_memory=$(grep -o -- '--memory [^ ]*' <<<"$unit" | cut -d' ' -f2)
  daemon_memory=$(grep -o 'SPARK_DAEMON_MEMORY=[^ "]*' <<<"$unit" | cut -d= -f2)
  docker exec "$master" cat /opt/spark/current/conf/spark-defaults.conf >"$out/spark-defaults.conf" 2>/dev/null || true

  # Peak memory from now on: reset each worker's cgroup maximum.
  samples=()
  for worker in "${workers[@]}"; do
    cgroup=/sys/fs/cgroup/memory/docker/$(docker inspect -f '{{.Id}}' "$worker")
    echo 0 >"$cgroup/memory.max_usage_in_bytes"
    samples+=("$worker=$cgroup")
  done
  uptime0=$(cut -d' ' -f1 /proc/uptime)
  rm -f "$out/stop"
  python3 "$helper" sample "$out/sample.json" "$out/stop" "http://$prefix.10:4040" "${samples[@]}" &
  sampler=$!

  limit=$LIMIT
  if [ -n "${DEADLINE:-}" ]; then
    # Everything must be over by DEADLINE (a `date -d` time): a shorter limit if need be.
    left=$(($(date -d "$DEADLINE" +%s) - $(date +%s)))
    [ "$left" -ge "$limit" ] || limit=$left
    [ "$limit" -gt 60 ] || { echo "[bench] $setting: no time left before $DEADLINE" >&2; exit 1; }
  fi
  job_args=()
  # naive1g: the naive cluster with executors as large as its workers offer (1g, Spark's
  # own default), which the playbook's 512m hides: the original setup's executors.
  [ "$setting" != naive1g ] || job_args=(-e group_trips_executor_memory=1g)
  echo "[bench] $setting: group_trips.yml (limit $limit s) ${job_args[*]}"
  started=$(date +%s.%N)
  rc=0
  (cd "$tree" && timeout $((limit + 60)) ansible-playbook -i "$inv" playbooks/group_trips.yml \
    -e group_trips_path=/data/trips -e group_trips_output=/tmp/group_trips.json \
    -e group_trips_timeout="$limit" "${job_args[@]}") >"$out/group_trips.log" 2>&1 || rc=$?
  ended=$(date +%s.%N)
  wall=$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.1f", b - a }')
  touch "$out/stop"
  wait "$sampler" || true
  sampler=""
  echo "[bench] $setting: group_trips.yml rc $rc after $wall s"

  # Evidence: the rows, the worker journals and executor logs, the master's view, the kernel's.
  docker exec "$master" cat /tmp/group_trips.json >"$out/rows.json" 2>/dev/null || rm -f "$out/rows.json"
  curl -s "http://$prefix.10:8080/json/" >"$out/master.json" || true
  journals=()
  for worker in "${workers[@]}"; do
    docker exec "$worker" journalctl -u spark-worker --no-pager -o short-iso >"$out/journal-$worker.log" 2>&1 || true
    docker exec "$worker" bash -c 'for f in $(find / -xdev -path "*/app-*/*/stderr" 2>/dev/null | sort); do echo "=== $f"; grep -E "ERROR|WARN|Exception|OutOfMemory|Killed|SIGTERM|Spill" "$f" | tail -n 40; done' \
      >"$out/executors-$worker.log" 2>&1 || true
    journals+=(--journal "$worker=$out/journal-$worker.log")
  done
  dmesg | awk -v t="$uptime0" '{ s = $0; sub(/^\[ */, "", s); split(s, f, "]"); if (f[1] + 0 >= t) print }' >"$out/dmesg.log" || true
  expected
  job_seconds=$(grep -o 'seconds: [0-9.]*' "$out/group_trips.log" | tail -n 1 | cut -d' ' -f2 || true)
  python3 "$helper" result "$out/result.json" "$setting" \
    commit="$ref" worker_memory="$worker_memory" daemon_memory="$daemon_memory" workers="${#workers[@]}" \
    wall="$wall" rc="$rc" limit="$limit" job_seconds="$job_seconds" \
    --rows "$out/rows.json" --expected "$DATA.expected.json" --module_utils "$root/plugins/module_utils" \
    --sample "$out/sample.json" --dmesg "$out/dmesg.log" "${journals[@]}"
  [ "${KEEP:-0}" = 1 ] || remove_nodes
done

{
  echo "Data: $data_mb MB of trip CSVs ($FILES files x $ROWS lines) at /data/trips on every node."
  echo
  # Every setting this log directory holds (LOGS=... can run them one at a time).
  results=()
  for setting in naive new naive1g; do
    if [ -s "$logs/$setting/result.json" ]; then results+=("$logs/$setting/result.json"); fi
  done
  python3 "$helper" table "${results[@]}"
} | tee "$logs/table.md"
echo "[bench] logs: $logs"
