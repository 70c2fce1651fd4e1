#!/usr/bin/env bash
# How long site.yml takes on the emulated cluster (the nodes of
# molecule/cluster as `make demo` stands them up: an x86_64 master, three
# arm64 and one armhf worker; PICLUSTER_PI23_ARCH=amd64 measures the test
# layout, pi2 and pi3 native):
#   1. the first converge, from bare images,
#   2. a rerun with nothing to change (its changed count is printed too),
#   3. `--tags spark` on the converged cluster.
# The containers are created first and removed at the end (KEEP=1 keeps them).
#
# Usage: benchmarks/cluster_converge.sh      (root; after `make venv bed`;
#        not while the demo or the cluster scenario is up: same names)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/.venv/bin:$PATH"
export ANSIBLE_CONFIG="$root/ansible.cfg"
export ANSIBLE_COLLECTIONS_PATH="$root/.collections"
export PICLUSTER_BED_KEY="$root/.bed/ssh/id_ed25519"
inventory=inventories/local
scenario=cluster
export PICLUSTER_PI23_ARCH=${PICLUSTER_PI23_ARCH:-arm64}
logs=$(mktemp -d)

cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then
    molecule destroy -s "$scenario" >"$logs/destroy.log" 2>&1 || echo "[bench] destroy failed, see $logs/destroy.log" >&2
  fi
}
trap cleanup EXIT

# One timed run of site.yml; prints "<seconds> <changed total>".
timed_run() {
  local name=$1
  shift
  local started ended
  started=$(date +%s.%N)
  if ! ansible-playbook -i "$inventory" playbooks/site.yml "$@" >"$logs/$name.log" 2>&1; then
    echo "[bench] $name failed, see $logs/$name.log" >&2
    exit 1
  fi
  ended=$(date +%s.%N)
  local changed
  changed=$(awk '/^PLAY RECAP/ {recap = 1; next} recap && /changed=/ {
      for (i = 1; i <= NF; i++) if ($i ~ /^changed=/) { split($i, kv, "="); total += kv[2] } }
      END { print total + 0 }' "$logs/$name.log")
  awk -v a="$started" -v b="$ended" -v c="$changed" 'BEGIN { printf "%.1f %s\n", b - a, c }'
}

echo "[bench] creating the cluster's containers (logs in $logs)"
molecule destroy -s "$scenario" >"$logs/destroy-before.log" 2>&1 || true
molecule create -s "$scenario" >"$logs/create.log" 2>&1
ansible -i "$inventory" spark_cluster -m ansible.builtin.wait_for_connection -a timeout=300 >"$logs/connect.log" 2>&1

read -r first first_changed < <(timed_run first-converge)
read -r noop noop_changed < <(timed_run noop-rerun)
read -r tags tags_changed < <(timed_run tags-spark --tags spark)

printf '\n%-40s %10s %9s\n' "site.yml on the emulated cluster" "seconds" "changed"
printf '%-40s %10s %9s\n' "first converge from bare images" "$first" "$first_changed"
printf '%-40s %10s %9s\n' "no-op rerun" "$noop" "$noop_changed"
printf '%-40s %10s %9s\n' "--tags spark (converged cluster)" "$tags" "$tags_changed"
