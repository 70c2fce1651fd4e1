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
    bed/spark-archive.sh 3.5.9
    bed/sample-data.sh
    PICLUSTER_PI23_ARCH=arm64 molecule create -s cluster
    ansible -i "$inventory" spark_cluster -m ansible.builtin.wait_for_connection -a timeout=180 -o
    ansible-playbook -i "$inventory" playbooks/site.yml
    ansible-playbook -i "$inventory" playbooks/cluster_status.yml
    # The original line count, on the data site.yml put on every node.
    ansible-playbook -i "$inventory" playbooks/line_count.yml -e line_count_path=/data/sample
    echo "[demo] up in $(( $(date +%s) - started )) s; remove it with: make demo-down"
    ;;
  down)
    molecule destroy -s cluster
    ;;
  *)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
