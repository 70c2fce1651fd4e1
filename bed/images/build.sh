#!/usr/bin/env bash
# Builds the bed's node images from Debian's mirror, one per architecture:
#   picluster/node:<arch>          the image the scenarios use
#   picluster/node:<arch>-<hash>   the same, named by a hash of its recipe
# A recipe whose hash tag exists is not rebuilt. An image is tagged only after
# its rootfs was complete and a container of it ran its own architecture, so
# an interrupted or failed build never leaves an image tagged as good.
#
# Usage (root): build.sh MIRROR SUITE ARCH...
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
mirror=$1 suite=$2
shift 2
work="$repo/.bed/build"
cache="$repo/.bed/cache/debootstrap"
# The classic builder records the --platform architecture; BuildKit is absent.
export DOCKER_BUILDKIT=0

say() { printf '[bed] %s\n' "$*"; }
die() { printf '[bed] ERROR: %s\n' "$*" >&2; exit 1; }

# What the node images hold. Nothing a role installs itself goes here:
# no Java, no rsync, no Spark, no time sync.
packages=systemd,systemd-sysv,dbus,openssh-server,python3,python3-apt,sudo,iproute2,ca-certificates

platform_of() {
  case $1 in
    arm64) echo linux/arm64 ;;
    armhf) echo linux/arm/v7 ;;
    amd64) echo linux/amd64 ;;
    *) die "unknown architecture '$1' (use arm64, armhf or amd64)" ;;
  esac
}

mirror_reachable() {
  curl -fsS --max-time 20 -o /dev/null "$mirror/dists/$suite/Release"
}

uname_of() {
  case $1 in arm64) echo aarch64 ;; armhf) echo armv7l ;; amd64) echo x86_64 ;; esac
}

# An interrupted debootstrap can leave /proc or /sys mounted in its rootfs:
# unmount before anything below it is removed.
unmount_below() {
  findmnt -rn -o TARGET | grep "^$1/" | sort -r | while read -r m; do umount -l "$m"; done || true
}

# What makes an image: its rootfs recipe, not how this script drives the build.
recipe_hash() {
  { cat "$here/configure.sh" "$here/Dockerfile"; echo "$suite $1 $packages"; } \
    | sha256sum | cut -c1-12
}

build_one() {
  local arch=$1 platform hash tag dir started
  platform=$(platform_of "$arch")
  hash=$(recipe_hash "$arch")
  tag="picluster/node:$arch-$hash"
  if docker image inspect "$tag" >/dev/null 2>&1; then
    docker tag "$tag" "picluster/node:$arch"
    say "$arch: $tag is up to date"
    return 0
  fi
  mirror_reachable || die "$arch: cannot reach the Debian mirror $mirror (dists/$suite/Release); no image was built"
  started=$(date +%s)
  dir="$work/$arch"
  unmount_below "$dir"
  rm -rf "$dir"
  mkdir -p "$dir/rootfs" "$cache/$arch"
  say "$arch: debootstrap $suite (log: $dir.log)"
  if ! debootstrap --arch="$arch" --variant=minbase --include="$packages" \
      --cache-dir="$cache/$arch" "$suite" "$dir/rootfs" "$mirror" >"$dir.log" 2>&1; then
    tail -n 5 "$dir.log" >&2
    die "$arch: debootstrap from $mirror failed (see $dir.log); no image was tagged"
  fi
  cp "$here/configure.sh" "$dir/rootfs/tmp/configure.sh"
  chroot "$dir/rootfs" /bin/sh /tmp/configure.sh >>"$dir.log" 2>&1 \
    || die "$arch: configuring the rootfs failed (see $dir.log); no image was tagged"
  rm -f "$dir/rootfs/tmp/configure.sh"
  tar -C "$dir/rootfs" --numeric-owner -cf "$dir/rootfs.tar" .
  rm -rf "$dir/rootfs"
  cp "$here/Dockerfile" "$dir/Dockerfile"
  docker build -q --platform "$platform" --label "picluster.recipe=$hash" \
    -t "$tag-candidate" "$dir" >/dev/null || die "$arch: docker build failed"
  local seen
  seen=$(docker run --rm --platform "$platform" --entrypoint /bin/uname "$tag-candidate" -m)
  [ "$seen" = "$(uname_of "$arch")" ] || die "$arch: the image runs as '$seen', not $(uname_of "$arch")"
  docker tag "$tag-candidate" "$tag"
  docker tag "$tag" "picluster/node:$arch"
  docker rmi "$tag-candidate" >/dev/null
  rm -rf "$dir"
  say "$arch: built $tag in $(( $(date +%s) - started )) s ($(docker image inspect -f '{{.Size}}' "$tag" | numfmt --to=iec))"
}

mkdir -p "$work"
# Builds run side by side: each is mostly emulated CPU work in its own rootfs.
pids=()
for arch in "$@"; do
  build_one "$arch" &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do
  wait "$pid" || failed=1
done
[ "$failed" -eq 0 ] || die "an image build failed"
