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
export ANSIBLE_COLLECTIONS_PATH="$out/collections"
ansible-galaxy collection install --no-deps -p "$out/collections" "$artifact" >/dev/null
installed="$out/collections/ansible_collections/picluster/spark"

# Everything a user needs is in the artifact; the test bed is not.
for path in MANIFEST.json README.md meta/runtime.yml playbooks/site.yml; do
  [ -e "$installed/$path" ] || { echo "[build] the artifact lacks $path" >&2; exit 1; }
done
for path in bed molecule .venv .bed; do
  [ ! -e "$installed/$path" ] || { echo "[build] the artifact carries $path" >&2; exit 1; }
done

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

# ansible-test runs in a venv of its own with the pinned ansible-core, and
# installs each sanity test's requirements from PyPI. It fetches pip's
# bootstrap script from a host the bed cannot reach: bed/get_pip_offline.py
# stands in for it.
core=$(grep -E '^ansible-core==' "$repo/requirements-dev.txt")
sanity="$repo/.venv/sanity"
[ -x "$sanity/bin/ansible-test" ] || { python3 -m venv "$sanity" && "$sanity/bin/pip" install -q "$core"; }
pip_version=$("$sanity/bin/python" -c 'import re, ansible_test._internal.python_requirements as r, inspect
print(re.search(r"pip=.([0-9.]+).", inspect.getsource(r)).group(1))')
mkdir -p ~/.ansible/test/cache
cp "$repo/bed/get_pip_offline.py" ~/.ansible/test/cache/"get_pip_${pip_version//./_}.py"
cd "$installed"
# pylint and pep8 are left to ruff (make lint), which checks the same code in
# seconds; pylint's own venv alone costs minutes on the bed.
"$sanity/bin/ansible-test" sanity --local --requirements --python 3.11 --color no \
  --skip-test pylint --skip-test pep8
