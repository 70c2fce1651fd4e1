#!/usr/bin/env bash
# Build a Spark test archive shaped like the official Apache binary tarball.
#
#   bed/spark-archive.sh [VERSION ...]        (default: 3.5.9 4.1.4)
#
# apache.org is unreachable on the test bed, but the PyPI `pyspark` sdist carries
# the distribution's jars, bin/, part of sbin/ and python/lib/*.zip. This script
# downloads that sdist once (pip checks it against PyPI's hash), lays it out as
# spark-<ver>-bin-hadoop3/ and writes
#   .bed/spark/spark-<ver>-bin-hadoop3.tgz
#   .bed/spark/spark-<ver>-bin-hadoop3.tgz.sha512   ("<sha512>  <name>", as
#                                                    `shasum -a 512` writes it)
# Both files are written under temporary names and renamed into place, the
# .sha512 last, so an interrupted run leaves nothing that looks complete.
# A rerun whose archive matches its .sha512 does nothing.
#
# Differences from the official tarball, on purpose or by necessity:
# - sbin/ holds only what the sdist ships (spark-config.sh, spark-daemon.sh,
#   start/stop-history-server.sh); services run bin/spark-class directly.
# - conf/ holds short templates written here, not Apache's.
# - no R/, yarn/, kubernetes/, examples jar.
#
# Environment: PICLUSTER_BED_DIR (default: <repo>/.bed), PYTHON (interpreter
# with pip), PICLUSTER_SPARK_REBUILD_ZIPS=1 to rebuild python/lib/*.zip from
# the sdist's pyspark package and PyPI's py4j even when the sdist ships them.
set -euo pipefail

readonly DEFAULT_VERSIONS=(3.5.9 4.1.4)
readonly HADOOP_PROFILE=hadoop3

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bed_dir=${PICLUSTER_BED_DIR:-$repo_root/.bed}
cache_dir=$bed_dir/cache/pypi
out_dir=$bed_dir/spark

if [[ -z ${PYTHON:-} ]]; then
  if [[ -x $repo_root/.venv/bin/python ]]; then
    PYTHON=$repo_root/.venv/bin/python
  else
    PYTHON=python3
  fi
fi

log() { printf 'spark-archive: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
  cat >&2 <<EOF
usage: $0 [VERSION ...]
Builds $out_dir/spark-<VERSION>-bin-$HADOOP_PROFILE.tgz(.sha512)
from the PyPI pyspark sdist. Default versions: ${DEFAULT_VERSIONS[*]}.
EOF
}

# Print the hash recorded in a .sha512 file. Accepts the GNU / shasum form
# ("<hex>  <name>") and the older gpg --print-md form ("<name>: 4A3B 5C... "
# in groups, possibly wrapped over several lines).
read_sha512_file() {
  local file=$1 text
  text=$(tr -d '\r' <"$file")
  if [[ $text =~ ^[[:space:]]*([0-9a-fA-F]{128})([[:space:]]|$) ]]; then
    printf '%s\n' "${BASH_REMATCH[1],,}"
    return 0
  fi
  # gpg form: drop "<name>:" then all whitespace.
  text=${text#*: }
  text=$(printf '%s' "$text" | tr -d ' \t\n')
  if [[ $text =~ ^[0-9a-fA-F]{128}$ ]]; then
    printf '%s\n' "${text,,}"
    return 0
  fi
  return 1
}

archive_is_good() {
  local tgz=$1 want have
  [[ -f $tgz && -f $tgz.sha512 ]] || return 1
  want=$(read_sha512_file "$tgz.sha512") || return 1
  have=$(sha512sum "$tgz" | cut -d' ' -f1)
  [[ $want == "$have" ]]
}

fetch_sdist() {
  local version=$1 sdist=$cache_dir/pyspark-$1.tar.gz tmp
  if [[ -f $sdist ]] && gzip -t "$sdist" 2>/dev/null; then
    printf '%s\n' "$sdist"
    return 0
  fi
  mkdir -p "$cache_dir"
  tmp=$(mktemp -d "$cache_dir/.download.XXXXXX")
  log "downloading pyspark==$version sdist from PyPI"
  # --no-binary keeps pip on the sdist (the wheel lacks deps/ and lib/);
  # pip verifies the file against the hash PyPI publishes for it.
  if ! "$PYTHON" -m pip download --quiet --no-deps --no-binary :all: \
      --dest "$tmp" "pyspark==$version" >&2; then
    rm -rf "$tmp"
    die "pip could not download pyspark==$version"
  fi
  [[ -f $tmp/pyspark-$version.tar.gz ]] || { rm -rf "$tmp"; die "pip saved no pyspark-$version.tar.gz"; }
  mv "$tmp/pyspark-$version.tar.gz" "$sdist"
  rm -rf "$tmp"
  printf '%s\n' "$sdist"
}

# Check that a zip is whole and holds <package>/__init__.py at its top.
zip_has_package() {
  "$PYTHON" - "$1" "$2" <<'EOF'
import sys, zipfile
path, pkg = sys.argv[1], sys.argv[2]
try:
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        names = set(z.namelist())
except (OSError, zipfile.BadZipFile) as exc:
    sys.exit(f"{path}: {exc}")
if bad is not None:
    sys.exit(f"{path}: corrupt member {bad}")
if f"{pkg}/__init__.py" not in names:
    sys.exit(f"{path}: no {pkg}/__init__.py")
EOF
}

# zip DIR/PKG into OUT with PKG/ at the top, sorted, fixed timestamps.
zip_package() {
  "$PYTHON" - "$1" "$2" "$3" <<'EOF'
import os, sys, zipfile
base, pkg, out = sys.argv[1:4]
entries = []
for root, dirs, files in os.walk(os.path.join(base, pkg)):
    dirs[:] = sorted(d for d in dirs if d != "__pycache__")
    for name in sorted(files):
        if name.endswith((".pyc", ".pyo")):
            continue
        full = os.path.join(root, name)
        entries.append((os.path.relpath(full, base), full))
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for arc, full in entries:
        info = zipfile.ZipInfo(arc, date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(full, "rb") as fh:
            z.writestr(info, fh.read())
EOF
}

# Rebuild python/lib/pyspark.zip and py4j-<ver>-src.zip from sources.
rebuild_python_zips() {
  local src=$1 dest=$2 py4j_version=$3 py4j_dir
  log "rebuilding python/lib zips (pyspark from the sdist, py4j==$py4j_version from PyPI)"
  zip_package "$src" pyspark "$dest/python/lib/pyspark.zip"
  py4j_dir=$cache_dir/py4j-$py4j_version
  if [[ ! -f $py4j_dir/py4j/__init__.py ]]; then
    local tmp
    tmp=$(mktemp -d "$cache_dir/.py4j.XXXXXX")
    "$PYTHON" -m pip download --quiet --no-deps --no-binary :all: \
      --dest "$tmp" "py4j==$py4j_version" >&2 || { rm -rf "$tmp"; die "pip could not download py4j==$py4j_version"; }
    mkdir -p "$tmp/x"
    tar -xzf "$tmp/py4j-$py4j_version.tar.gz" -C "$tmp/x"
    [[ -f $tmp/x/py4j-$py4j_version/src/py4j/__init__.py ]] || { rm -rf "$tmp"; die "py4j sdist has no src/py4j"; }
    rm -rf "$py4j_dir"
    mv "$tmp/x/py4j-$py4j_version/src" "$py4j_dir"
    rm -rf "$tmp"
  fi
  zip_package "$py4j_dir" py4j "$dest/python/lib/py4j-$py4j_version-src.zip"
}

write_conf_templates() {
  local conf=$1
  mkdir -p "$conf"
  cat >"$conf/spark-env.sh.template" <<'EOF'
#!/usr/bin/env bash
# Copy to spark-env.sh; sourced by bin/load-spark-env.sh.
# Test archive template (picluster.spark bed), not Apache's text.
# SPARK_LOCAL_IP=        address this node binds to
# SPARK_MASTER_HOST=     address the master binds to
# SPARK_WORKER_CORES=    cores a worker offers
# SPARK_WORKER_MEMORY=   memory a worker offers (e.g. 1g)
# SPARK_DAEMON_MEMORY=   heap of the master/worker daemons (e.g. 256m)
EOF
  cat >"$conf/spark-defaults.conf.template" <<'EOF'
# Copy to spark-defaults.conf; read by spark-submit.
# Test archive template (picluster.spark bed), not Apache's text.
# spark.master            spark://master:7077
# spark.executor.memory   512m
EOF
  cat >"$conf/log4j2.properties.template" <<'EOF'
# Copy to log4j2.properties to change logging.
# Test archive template (picluster.spark bed), not Apache's text.
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
EOF
  cat >"$conf/workers.template" <<'EOF'
# One worker host per line (used by sbin scripts; not by systemd units).
localhost
EOF
  chmod 0755 "$conf/spark-env.sh.template"
}

build_one() {
  local version=$1 lock_fd
  [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "not a Spark version: '$version' (want e.g. 3.5.9)"
  local name=spark-$version-bin-$HADOOP_PROFILE
  local tgz=$out_dir/$name.tgz

  if archive_is_good "$tgz"; then
    log "$tgz is up to date"
    return 0
  fi

  mkdir -p "$out_dir"
  # One build per version at a time; a second caller waits, then finds it done.
  exec {lock_fd}>"$out_dir/.lock-$version"
  flock "$lock_fd"
  if archive_is_good "$tgz"; then
    log "$tgz is up to date"
    exec {lock_fd}>&-
    return 0
  fi
  # Under the lock, leftovers of a killed run can go.
  rm -rf "$out_dir/.build-$version".*

  local sdist
  sdist=$(fetch_sdist "$version")
  local work
  work=$(mktemp -d "$out_dir/.build-$version.XXXXXX")
  # shellcheck disable=SC2064  # expand $work now: it is local
  trap "rm -rf '$work'" EXIT
  # shellcheck disable=SC2064
  trap "rm -rf '$work'; exit 130" INT TERM

  log "unpacking $(basename "$sdist")"
  tar -xzf "$sdist" -C "$work"
  local src=$work/pyspark-$version
  [[ -d $src/deps/jars && -d $src/deps/bin ]] || die "$sdist has no deps/jars or deps/bin"

  local dest=$work/$name
  mkdir -p "$dest/python/lib" "$dest/examples/src/main"
  mv "$src/deps/bin" "$dest/bin"
  mv "$src/deps/jars" "$dest/jars"
  mv "$src/deps/sbin" "$dest/sbin"
  [[ -d $src/deps/data ]] && mv "$src/deps/data" "$dest/data"
  [[ -d $src/deps/licenses ]] && mv "$src/deps/licenses" "$dest/licenses"
  [[ -d $src/deps/examples ]] && mv "$src/deps/examples" "$dest/examples/src/main/python"
  local f
  for f in README.md LICENSE NOTICE; do
    [[ -f $src/$f ]] && cp "$src/$f" "$dest/$f"
  done
  chmod 0755 "$dest"/bin/* "$dest"/sbin/*.sh
  # Source tree of the Python API, as in the official python/ directory.
  cp -r "$src/pyspark" "$dest/python/pyspark"
  find "$dest/python" -name __pycache__ -prune -exec rm -rf {} +

  local jars py4j_jar py4j_version
  jars=("$dest"/jars/py4j-*.jar)
  [[ -f ${jars[0]} ]] || die "$sdist has no py4j jar"
  py4j_jar=${jars[0]##*/}
  py4j_version=${py4j_jar#py4j-}
  py4j_version=${py4j_version%.jar}
  if [[ ${PICLUSTER_SPARK_REBUILD_ZIPS:-0} != 1 \
        && -f $src/lib/pyspark.zip && -f $src/lib/py4j-$py4j_version-src.zip ]]; then
    # The sdist carries the very zips the official build puts in python/lib.
    cp "$src/lib/pyspark.zip" "$src/lib/py4j-$py4j_version-src.zip" "$dest/python/lib/"
  else
    rebuild_python_zips "$src" "$dest" "$py4j_version"
  fi
  zip_has_package "$dest/python/lib/pyspark.zip" pyspark
  zip_has_package "$dest/python/lib/py4j-$py4j_version-src.zip" py4j

  local hadoop_jar hadoop_version
  jars=("$dest"/jars/hadoop-client-api-*.jar)
  [[ -f ${jars[0]} ]] || die "no hadoop-client-api jar: not a $HADOOP_PROFILE build"
  hadoop_jar=${jars[0]##*/}
  hadoop_version=${hadoop_jar#hadoop-client-api-}
  hadoop_version=${hadoop_version%.jar}
  # The launcher looks for RELEASE to use jars/ rather than a source build.
  printf 'Spark %s built for Hadoop %s\nBuild flags: test archive assembled from the PyPI pyspark==%s sdist (picluster.spark bed)\n' \
    "$version" "$hadoop_version" "$version" >"$dest/RELEASE"
  write_conf_templates "$dest/conf"

  # Reproducible: sorted names, fixed owner, times no later than the sdist's.
  local epoch
  epoch=$(stat -c %Y "$src/PKG-INFO")
  log "packing $name.tgz"
  (cd "$work" && tar --sort=name --owner=0 --group=0 --numeric-owner \
      --mtime="@$epoch" --clamp-mtime -cf - "$name") \
    | nice -n 10 gzip -n -6 >"$work/$name.tgz"
  (cd "$work" && sha512sum "$name.tgz") >"$work/$name.tgz.sha512"

  mv -f "$work/$name.tgz" "$tgz"
  mv -f "$work/$name.tgz.sha512" "$tgz.sha512"
  rm -rf "$work"
  trap - EXIT INT TERM
  exec {lock_fd}>&-
  archive_is_good "$tgz" || die "$tgz does not match its .sha512 after writing"
  log "wrote $tgz ($(du -m "$tgz" | cut -f1) MB)"
}

main() {
  case ${1:-} in
    -h|--help) usage; return 0 ;;
  esac
  local versions=("$@")
  ((${#versions[@]})) || versions=("${DEFAULT_VERSIONS[@]}")
  local v
  for v in "${versions[@]}"; do
    build_one "$v"
  done
}

main "$@"
