#!/usr/bin/env bash
# Builds the collection artifact, installs it (without dependencies: Galaxy is
# unreachable here) into a throwaway collections path, and checks it there as
# a user's install would see it: ansible-doc renders every module, and
# ansible-test sanity passes.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

ansible-galaxy collection build --force --output-path "$out" "$repo" >/dev/null
artifact=$(ls "$out"/picluster-spark-*.tar.gz)
echo "[build] $(basename "$artifact"): $(du -h "$artifact" | cut -f1)"
ansible-galaxy collection install --no-deps -p "$out/collections" "$artifact" >/dev/null
installed="$out/collections/ansible_collections/picluster/spark"

# Everything a user needs is in the artifact; the test bed is not.
for path in galaxy.yml README.md meta/runtime.yml playbooks/site.yml; do
  [ -e "$installed/$path" ] || { echo "[build] the artifact lacks $path" >&2; exit 1; }
done
for path in bed molecule .venv .bed; do
  [ ! -e "$installed/$path" ] || { echo "[build] the artifact carries $path" >&2; exit 1; }
done

export ANSIBLE_COLLECTIONS_PATH="$out/collections"
for module in "$installed"/plugins/modules/*.py; do
  name="picluster.spark.$(basename "$module" .py)"
  ansible-doc -t module "$name" >/dev/null
  echo "[build] ansible-doc renders $name"
done
for role in "$installed"/roles/*/; do
  name="picluster.spark.$(basename "$role")"
  ansible-doc -t role "$name" >/dev/null
  echo "[build] ansible-doc renders the argument spec of $name"
done

cd "$installed"
# ansible-test wants a git work tree or a plain tree; the install is plain.
ansible-test sanity --venv --python 3.11 --color no
