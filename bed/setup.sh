#!/usr/bin/env bash
# Sets up the test bed on a Debian host, idempotently:
#   - the programs in bed/controller-tools (rsync, ssh, docker.io, qemu-user-static,
#     debootstrap, ...): installs what is missing, then fails naming what still is
#   - a Docker engine (started in the background when none answers)
#   - qemu binfmt handlers for arm64 and armhf
#   - the SSH key the harness uses to reach the nodes
#   - the node images picluster/node:{arm64,armhf,amd64}, built from Debian's mirror
#
# On a machine where Docker and binfmt are already set up it uses them and only
# reports what is missing. A rerun with nothing changed takes seconds.
#
# Usage: sudo bed/setup.sh [ARCH...]     (default: arm64 armhf amd64)
# Env:   BED_MIRROR (default http://deb.debian.org/debian), BED_SUITE (default bookworm)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
state="$repo/.bed"
mirror=${BED_MIRROR:-http://deb.debian.org/debian}
suite=${BED_SUITE:-bookworm}
archs=("$@")
[ ${#archs[@]} -gt 0 ] || archs=(arm64 armhf amd64)

say() { printf '[bed] %s\n' "$*"; }
die() { printf '[bed] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (it installs packages, starts dockerd and runs debootstrap): run it with sudo"
command -v apt-get >/dev/null || die "needs a Debian-family host with apt-get"

# --- Controller programs ---------------------------------------------------
# The list is bed/controller-tools; a host with a working engine from elsewhere
# (Docker Desktop, docker-ce) keeps it and needs no dockerd of Debian's.
# shellcheck source=bed/tools.sh
. "$here/tools.sh"
if docker info >/dev/null 2>&1; then
  ensure_tools --skip dockerd controller bed
else
  ensure_tools controller bed
fi

# --- Docker engine -----------------------------------------------------------
if docker info >/dev/null 2>&1; then
  say "docker engine answers"
else
  [ -x /usr/sbin/dockerd ] || die "no Docker engine answers and /usr/sbin/dockerd is missing"
  say "starting dockerd in the background (log: /var/log/picluster-dockerd.log)"
  # No systemd as PID 1 on the bed hosts, so the engine is started directly.
  # setsid: the engine outlives the shell (and the CI job) that started it.
  setsid nohup /usr/sbin/dockerd >/var/log/picluster-dockerd.log 2>&1 </dev/null &
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || die "dockerd did not answer within 60 s; see /var/log/picluster-dockerd.log"
fi

# --- ARM emulation -------------------------------------------------------------
binfmt=/proc/sys/fs/binfmt_misc
if [ ! -e "$binfmt/register" ]; then
  mount -t binfmt_misc binfmt_misc "$binfmt" || die "cannot mount binfmt_misc"
fi
# Nodes run sudo, a setuid program: the kernel must take credentials from the
# ARM binary, not from qemu, so the handlers need the C flag ('credentials');
# F lets containers use the host's qemu. Debian registers them with PF only.
register_with_credentials() {
  local handler=$1 spec=/usr/share/binfmts/$1 magic mask interpreter
  [ -f "$spec" ] || die "binfmt handler $handler lacks the C flag and $spec is missing to re-register it"
  interpreter=$(awk '$1 == "interpreter" {print $2}' "$spec")
  magic=$(awk '$1 == "magic" {print $2}' "$spec")
  mask=$(awk '$1 == "mask" {print $2}' "$spec")
  echo -1 > "$binfmt/$handler"
  printf ':%s:M:0:%s:%s:%s:POCF' "$handler" "$magic" "$mask" "$interpreter" > "$binfmt/register"
  say "binfmt: re-registered $handler with flags POCF"
}
for handler in qemu-aarch64 qemu-arm; do
  if [ ! -e "$binfmt/$handler" ]; then
    update-binfmts --enable "$handler" >/dev/null 2>&1 || true
  fi
  [ -e "$binfmt/$handler" ] || die "binfmt handler $handler is not registered (install qemu-user-static and binfmt-support)"
  flags=$(awk '$1 == "flags:" {print $2}' "$binfmt/$handler")
  case $flags in
    *F*C*|*C*F*) ;;
    *) register_with_credentials "$handler" ;;
  esac
  flags=$(awk '$1 == "flags:" {print $2}' "$binfmt/$handler")
  case $flags in
    *F*C*|*C*F*) ;;
    *) die "binfmt handler $handler has flags '$flags'; the bed needs F and C" ;;
  esac
done
say "binfmt: qemu-aarch64 and qemu-arm registered"

# --- SSH key for the harness ---------------------------------------------------
mkdir -p "$state/ssh"
chmod 700 "$state/ssh"
if [ ! -f "$state/ssh/id_ed25519" ]; then
  ssh-keygen -q -t ed25519 -N '' -C picluster-bed -f "$state/ssh/id_ed25519"
  say "generated the harness SSH key $state/ssh/id_ed25519"
fi

# --- Node images ---------------------------------------------------------------
"$here/images/build.sh" "$mirror" "$suite" "${archs[@]}"
