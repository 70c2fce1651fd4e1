#!/usr/bin/env bash
# Starts and stops one test VM from the image bed/vm/build.sh made.
#
#   bed/vm/vm.sh start --dir DIR --name NAME --ssh-port PORT --lan ADDR/PREFIX[,ADDR/PREFIX]
#                      --lan-mac MAC --mcast GROUP:PORT --key PUBKEY_FILE [--image DIR] [--memory MB]
#   bed/vm/vm.sh stop --dir DIR
#
# A VM is qemu under TCG (KVM is unusable on these hosts) on a qcow2 overlay of
# the shared raw image, with two NICs:
#   eth0  user-mode network, isolated (restrict=on); only SSH from 127.0.0.1:PORT
#   eth1  a private L2 shared by the VMs of one scenario: a multicast socket on
#         127.0.0.1 (GROUP:PORT per scenario keeps parallel scenarios apart)
# DIR holds the overlay, the pid file, the serial console log and a monitor
# socket. stop kills qemu (a graceful poweroff can hang on a dead NFS server)
# and removes those files.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

die() { printf 'vm: ERROR: %s\n' "$*" >&2; exit 1; }

cmd="${1:-}"
shift || true
dir="" name="" ssh_port="" lan="" lan_mac="" mcast="" key="" memory=512
image="${PICLUSTER_VM_DIR:-$repo/.bed/vm}/current"
while (($#)); do
    case "$1" in
        --dir) dir="$2" ;;
        --name) name="$2" ;;
        --ssh-port) ssh_port="$2" ;;
        --lan) lan="$2" ;;
        --lan-mac) lan_mac="$2" ;;
        --mcast) mcast="$2" ;;
        --key) key="$2" ;;
        --image) image="$2" ;;
        --memory) memory="$2" ;;
        *) die "unknown argument $1" ;;
    esac
    shift 2
done
[[ -n "$dir" ]] || die "--dir is required"

# The pid is only trusted while it still names our qemu (pids get reused).
running_pid() {
    local pid
    [[ -f "$dir/qemu.pid" ]] || return 1
    pid="$(cat "$dir/qemu.pid")"
    [[ -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$dir/qemu.pid" || return 1
    echo "$pid"
}

case "$cmd" in
start)
    for v in name ssh_port lan lan_mac mcast key; do
        [[ -n "${!v}" ]] || die "--${v//_/-} is required"
    done
    [[ "$name" =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "bad VM name '$name'"
    [[ -f "$image/recipe" ]] || die "no VM image at $image; run bed/vm/build.sh (as root) first"
    [[ -r "$key" ]] || die "cannot read public key $key"
    if pid="$(running_pid)"; then
        echo "vm $name already running (pid $pid)"
        exit 0
    fi
    mkdir -p "$dir"
    rm -f "$dir/overlay.qcow2" "$dir/console.log" "$dir/monitor.sock"
    qemu-img create -q -f qcow2 -F raw -b "$(readlink -f "$image")/rootfs.raw" "$dir/overlay.qcow2"
    key_b64="$(base64 -w0 <"$key")"
    # `-cpu max` advertises SVM and power states: loading kvm or cpufreq
    # drivers inside the emulated guest only costs boot time.
    skip_modules=kvm,kvm_amd,kvm_intel,powernow_k8,acpi_cpufreq
    qemu-system-x86_64 \
        -name "$name" \
        -accel tcg,thread=multi,tb-size=256 -cpu max -smp 1 -m "$memory" \
        -nodefaults -no-user-config -display none \
        -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
        -append "root=/dev/vda rw console=ttyS0 quiet modprobe.blacklist=$skip_modules net.ifnames=0 systemd.hostname=$name picluster.lan=$lan picluster.ssh_key=$key_b64" \
        -drive "file=$dir/overlay.qcow2,if=virtio,format=qcow2,cache=unsafe" \
        -netdev "user,id=mgmt,restrict=on,hostfwd=tcp:127.0.0.1:$ssh_port-:22" \
        -device virtio-net-pci,netdev=mgmt,romfile= \
        -netdev "socket,id=lan,mcast=$mcast,localaddr=127.0.0.1" \
        -device "virtio-net-pci,netdev=lan,mac=$lan_mac,romfile=" \
        -serial "file:$dir/console.log" \
        -monitor "unix:$dir/monitor.sock,server,nowait" \
        -pidfile "$dir/qemu.pid" -daemonize
    echo "vm $name started (pid $(cat "$dir/qemu.pid"), ssh 127.0.0.1:$ssh_port)"
    ;;
stop)
    if pid="$(running_pid)"; then
        kill "$pid"
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -9 "$pid"
        fi
        echo "vm in $dir stopped"
    fi
    # Only what start made; DIR itself goes only if nothing else is in it.
    rm -f "$dir/overlay.qcow2" "$dir/console.log" "$dir/monitor.sock" "$dir/qemu.pid"
    rmdir "$dir" 2>/dev/null || true
    ;;
*)
    die "usage: $0 start|stop --dir DIR ... (see the header of this script)"
    ;;
esac
