#!/usr/bin/env bash
# The emulated demo cluster: an x86_64 master and four ARM workers (the
# containers of molecule/cluster with every Pi ARM: three arm64, one armhf),
# stood up with playbooks/site.yml over SSH exactly as on real Pis, then shown
# as a table. The `cluster` tests use the same names: one at a time.
#
# Usage: demo.sh up | down      (make demo / make demo-down; the venv on PATH)
set -euo pipefail
cd "$(dirname "$0")/.."
inventory=inventories/local

case ${1:-} in
  up)
    started=$(date +%s)
    log=$(mktemp -t picluster-demo.XXXXXX)
    # Every step's output goes to the screen and to one log, read at the end.
    run() { "$@" 2>&1 | tee -a "$log"; return "${PIPESTATUS[0]}"; }
    run bed/spark-archive.sh 3.5.9
    run bed/sample-data.sh
    # Molecule's own docker playbooks run with the default strategy (under
    # mitogen_linear its destroy playbook hung); MITOGEN=1 is for site.yml.
    run env -u ANSIBLE_STRATEGY PICLUSTER_PI23_ARCH=arm64 molecule create -s cluster
    run ansible -i "$inventory" spark_cluster -m ansible.builtin.wait_for_connection -a timeout=180 -o
    run ansible-playbook -i "$inventory" playbooks/site.yml
    run ansible-playbook -i "$inventory" playbooks/cluster_status.yml
    # The original line count, on the data site.yml put on every node.
    run ansible-playbook -i "$inventory" playbooks/line_count.yml -e line_count_path=/data/sample
    # A clean run shows no error at all, not even one a rescue or a retry
    # recovered from: a newcomer cannot tell those apart from real ones.
    if sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -nE '\[ERROR\]|^fatal:|FAILED!|FAILED - RETRYING|\.\.\.ignoring|rescued=[1-9]'; then
      echo "[demo] the cluster is up, but the run printed the error lines above (log: $log)" >&2
      exit 1
    fi
    rm -f "$log"
    echo "[demo] up in $(( $(date +%s) - started )) s, no error printed; remove it with: make demo-down"
    ;;
  down)
    env -u ANSIBLE_STRATEGY molecule destroy -s cluster
    ;;
  *)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
