#!/usr/bin/env bash
# The demo's dataset: a few trip CSVs, small enough for ARM workers under
# emulation (docs/testbed.md), at .bed/data/sample. inventories/local syncs it to
# /data/sample on every node; playbooks/line_count.yml counts 50,000 lines.
# Deterministic, so every run makes the same bytes; idempotent.
#
# Usage: bed/sample-data.sh [DIR]     (default .bed/data/sample)
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-.bed/data/sample}

# name and rows of each file (the rows add up to 50,000)
files=("trips/2026-01.csv 20000" "trips/2026-02.csv 18000" "trips/2026-03.csv 12000")

tmp=""
trap 'rm -f "$tmp"' EXIT

write() {
  local path=$1 rows=$2 month=$3
  mkdir -p "$(dirname "$dest/$path")"
  # Written beside the file under a hidden name and renamed: a reader never
  # sees half of it, and an interrupted run leaves nothing behind.
  tmp=$(mktemp "$(dirname "$dest/$path")/.$(basename "$path").XXXXXX")
  # The one trip format (plugins/module_utils/trips.py), which the grouping
  # job's checks read too.
  PYTHONPATH=plugins/module_utils python3 -c \
    'import sys, trips; trips.write_trips(sys.stdout, int(sys.argv[1]), int(sys.argv[2]))' \
    "$rows" "$month" >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$dest/$path"
  tmp=""
}

month=0
for entry in "${files[@]}"; do
  read -r path rows <<<"$entry"
  month=$((month + 1))
  if [ -f "$dest/$path" ] && [ "$(wc -l <"$dest/$path")" -eq "$rows" ]; then
    continue
  fi
  write "$path" "$rows" "$month"
  echo "[bed] sample data: $dest/$path ($rows lines)"
done
