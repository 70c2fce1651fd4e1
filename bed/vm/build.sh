#!/usr/bin/env bash
# Builds the amd64 Debian bookworm VM image that the NFS scenario boots under
# qemu (TCG): a raw ext4 root filesystem plus the kernel and initrd taken out
# of it (the VMs boot with -kernel/-initrd; each VM runs on a qcow2 overlay).
#
# Usage: bed/vm/build.sh          (as root; prints the image directory last)
#
# The image is tagged by a hash of this recipe (this script and files/), so a
# changed recipe builds a new image and an unchanged one is reused. A build
# happens in a temporary directory that is renamed into place only when it is
# complete: an interrupted build never leaves a half image that looks good.
#
# Environment:
#   PICLUSTER_VM_DIR   where images live (default: <repo>/.bed/vm)
#   PICLUSTER_MIRROR   Debian mirror (default: http://deb.debian.org/debian)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
vm_dir="${PICLUSTER_VM_DIR:-$repo/.bed/vm}"
mirror="${PICLUSTER_MIRROR:-http://deb.debian.org/debian}"
suite=bookworm
image_size=3G

# Packages of the guest. The kernel is Debian's cloud flavour: virtio built
# in, NFS client and server as modules, small.
packages=(
    systemd-sysv udev dbus kmod libnss-myhostname
    linux-image-cloud-amd64 initramfs-tools
    nfs-kernel-server nfs-common
    openssh-server python3 python3-apt sudo acl
    # pi_base's compressed swap in RAM, which containers cannot show.
    zram-tools
    iproute2 iputils-ping procps netbase
)

log() { printf 'vm-image: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap, chroot and mkfs need it); try: sudo $0"

recipe_hash() {
    {
        printf '%s\n' "$suite" "$mirror" "$image_size" "${packages[@]}"
        cat "$here/build.sh"
        find "$here/files" -type f -print0 | sort -z | xargs -0 sha256sum | sed "s|$here/||"
    } | sha256sum | cut -c1-16
}

hash="$(recipe_hash)"
final="$vm_dir/images/$hash"

# Host tools (the "vm" lines of bed/controller-tools); install only what is missing.
say() { log "$@"; }
# shellcheck source=bed/tools.sh
. "$here/../tools.sh"
ensure_tools vm

mkdir -p "$vm_dir/images"
# One build at a time; a second caller waits and then finds the image ready.
exec 9>"$vm_dir/.build.lock"
flock 9

publish_current() {
    ln -sfn "images/$hash" "$vm_dir/current.new"
    mv -T "$vm_dir/current.new" "$vm_dir/current"
}

# Leftovers of builds that were killed outright (not ours: we hold the lock).
for stale in "$vm_dir"/images/.build-*; do
    [[ -e "$stale" ]] || continue
    for m in proc sys dev/pts dev; do
        mountpoint -q "$stale/rootfs/$m" 2>/dev/null && umount -l "$stale/rootfs/$m"
    done
    rm -rf --one-file-system "$stale"
done

if [[ -f "$final/recipe" ]]; then
    log "image $hash is up to date (cached)"
    publish_current
    echo "$final"
    exit 0
fi

curl -fsS --max-time 30 -o /dev/null "$mirror/dists/$suite/Release" \
    || die "Debian mirror $mirror is unreachable (set PICLUSTER_MIRROR to one that answers)"

work="$(mktemp -d "$vm_dir/images/.build-$hash-XXXXXX")"
chmod 0755 "$work"
cleanup() {
    # Unmount anything debootstrap or the chroot left mounted before removing.
    local m
    for m in proc sys dev/pts dev; do
        mountpoint -q "$work/rootfs/$m" 2>/dev/null && umount -l "$work/rootfs/$m"
    done
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT

root="$work/rootfs"
start=$SECONDS
log "debootstrap $suite amd64 into $root"
include="$(IFS=,; echo "${packages[*]}")"
debootstrap --arch=amd64 --variant=minbase --include="$include" "$suite" "$root" "$mirror" \
    >"$work/debootstrap.log" 2>&1 || {
    tail -n 30 "$work/debootstrap.log" >&2
    die "debootstrap failed (log above)"
}
log "debootstrap done in $((SECONDS - start)) s"

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

# Admin user as on the bed's Pis: `pi`, sudo without password, password locked.
in_root useradd --create-home --shell /bin/bash --groups sudo pi
in_root passwd --lock pi >/dev/null
printf 'pi ALL=(ALL) NOPASSWD: ALL\n' >"$root/etc/sudoers.d/pi"
chmod 0440 "$root/etc/sudoers.d/pi"

printf '/dev/vda / ext4 defaults,noatime 0 0\n' >"$root/etc/fstab"
printf 'localhost\n' >"$root/etc/hostname"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
# The VMs have no outside network (user-mode NIC with restrict=on): no resolver.
printf '# test VM: no name server\n' >"$root/etc/resolv.conf"
# An empty machine-id makes every VM generate its own on first boot.
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
rm -f "$root"/etc/ssh/ssh_host_*

install -m 0755 "$here/files/picluster-seed" "$root/usr/local/sbin/picluster-seed"
install -m 0644 "$here/files/picluster-seed.service" "$root/etc/systemd/system/picluster-seed.service"
install -m 0644 "$here/files/20-mgmt.network" "$root/etc/systemd/network/20-mgmt.network"
install -m 0644 "$here/files/sshd-picluster.conf" "$root/etc/ssh/sshd_config.d/picluster.conf"

in_root systemctl enable picluster-seed.service systemd-networkd.service >/dev/null 2>&1
# The role under test decides where the NFS server runs.
in_root systemctl disable nfs-server.service >/dev/null 2>&1 || true
# Boot time matters under emulation: nothing periodic, no scrubbing.
in_root systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
    fstrim.timer >/dev/null 2>&1
in_root apt-get clean
# No package lists: the VMs have no way out anyway, and an apt cache of only
# the installed packages keeps each apt module run short under emulation.
find "$root/var/lib/apt/lists" -maxdepth 1 -type f -delete

kernel="$(find "$root/boot" -maxdepth 1 -name 'vmlinuz-*' | sort -V | tail -n 1)"
initrd="$(find "$root/boot" -maxdepth 1 -name 'initrd.img-*' | sort -V | tail -n 1)"
[[ -n "$kernel" && -n "$initrd" ]] || die "kernel or initrd missing in the rootfs"
cp "$kernel" "$work/vmlinuz"
cp "$initrd" "$work/initrd.img"

log "making the ext4 image ($image_size)"
mkfs.ext4 -q -F -L picluster-root -d "$root" "$work/rootfs.raw" "$image_size"

{
    printf 'hash=%s\nsuite=%s\nmirror=%s\nkernel=%s\nbuilt=%s\n' \
        "$hash" "$suite" "$mirror" "$(basename "$kernel")" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$work/recipe.tmp"
rm -rf --one-file-system "$root" "$work/debootstrap.log"
mv "$work/recipe.tmp" "$work/recipe"
mv -T "$work" "$final"
trap - EXIT
publish_current
# Older images: a running VM keeps its open backing file alive, so removing is safe.
for old in "$vm_dir"/images/*; do
    [[ "$old" == "$final" ]] || rm -rf --one-file-system "$old"
done
log "image $hash built in $((SECONDS - start)) s"
echo "$final"
