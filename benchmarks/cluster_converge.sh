#!/usr/bin/env bash
# How long site.yml takes on the emulated cluster (the nodes of
# molecule/cluster as `make demo` stands them up: an x86_64 master, three
# arm64 and one armhf worker; PICLUSTER_PI23_ARCH=amd64 measures the test
# layout, pi2 and pi3 native), with Ansible's default strategy and with
# Mitogen's mitogen_linear, side by side in one run. For each strategy, on
# new containers:
#   1. the first converge, from bare images,
#   2. a rerun with nothing to change (its changed count is printed too),
#   3. `--tags spark` on the converged cluster.
# Then the ratios the project aims at: no-op / first and tags / no-op.
#
# Usage: benchmarks/cluster_converge.sh [default] [mitogen]   (root; after
#        `make venv bed`; not while the demo or the cluster scenario is up:
#        same names). KEEP=1 keeps the last strategy's containers.
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
strategies=("$@")
[ ${#strategies[@]} -gt 0 ] || strategies=(default mitogen)
logs=$(mktemp -d)
mitogen_plugins=$(ls -d "$root"/.venv/lib/python3*/site-packages/ansible_mitogen/plugins/strategy 2>/dev/null | head -n 1)

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

declare -A seconds changed
for strategy in "${strategies[@]}"; do
  case $strategy in
    default) unset ANSIBLE_STRATEGY ANSIBLE_STRATEGY_PLUGINS ANSIBLE_HOST_KEY_CHECKING ;;
    mitogen)
      [ -n "$mitogen_plugins" ] || { echo "[bench] no ansible_mitogen in .venv: make venv" >&2; exit 1; }
      export ANSIBLE_STRATEGY=mitogen_linear ANSIBLE_STRATEGY_PLUGINS=$mitogen_plugins
      # Mitogen checks host keys itself; the containers are new every time.
      export ANSIBLE_HOST_KEY_CHECKING=False
      ;;
    *) echo "usage: $0 [default] [mitogen]" >&2; exit 2 ;;
  esac
  echo "[bench] $strategy: creating the cluster's containers (logs in $logs)"
  (unset ANSIBLE_STRATEGY ANSIBLE_STRATEGY_PLUGINS
    molecule destroy -s "$scenario" >"$logs/destroy-before-$strategy.log" 2>&1 || true
    molecule create -s "$scenario" >"$logs/create-$strategy.log" 2>&1)
  ansible -i "$inventory" spark_cluster -m ansible.builtin.wait_for_connection -a timeout=300 >"$logs/connect-$strategy.log" 2>&1
  for step in first noop tags; do
    args=()
    [ "$step" = tags ] && args=(--tags spark)
    read -r "seconds[$strategy-$step]" "changed[$strategy-$step]" < <(timed_run "$strategy-$step" "${args[@]}")
    echo "[bench] $strategy $step: ${seconds[$strategy-$step]} s, changed ${changed[$strategy-$step]}"
  done
done

printf '\n%-36s' "site.yml on the emulated cluster"
for strategy in "${strategies[@]}"; do printf ' %12s %8s' "$strategy s" "changed"; done
printf '\n'
for step in first noop tags; do
  case $step in
    first) label="first converge from bare images" ;;
    noop) label="no-op rerun" ;;
    tags) label="--tags spark (converged cluster)" ;;
  esac
  printf '%-36s' "$label"
  for strategy in "${strategies[@]}"; do printf ' %12s %8s' "${seconds[$strategy-$step]}" "${changed[$strategy-$step]}"; done
  printf '\n'
done
for strategy in "${strategies[@]}"; do
  awk -v s="$strategy" -v f="${seconds[$strategy-first]}" -v n="${seconds[$strategy-noop]}" -v t="${seconds[$strategy-tags]}" \
    'BEGIN { printf "%s: no-op / first = %.0f %%, tags / no-op = %.0f %%\n", s, 100 * n / f, 100 * t / n }'
done
echo "[bench] logs: $logs"
