"""pi_base's compressed swap in RAM, on the VMs' real kernel (the containers cannot show it)."""

import pytest
from conftest import MASTER, WORKERS, node


@pytest.mark.parametrize("name", [MASTER, *WORKERS])
def test_compressed_swap_in_ram_is_on_and_sized_for_the_node(name):
    host = node(name)
    assert host.check_output("systemctl is-enabled zramswap") == "enabled"
    swaps = host.check_output("sudo swapon --show=NAME,TYPE,PRIO --noheadings --bytes").split()
    assert swaps[:3] == ["/dev/zram0", "partition", "100"], swaps
    algorithm, disksize = host.check_output(
        "sudo zramctl --output ALGORITHM,DISKSIZE --noheadings --bytes /dev/zram0"
    ).split()
    assert algorithm == "lz4"
    # pi_base_zram_swap_percent: half the node's RAM.
    memtotal_kb = int(host.check_output("awk '/^MemTotal:/ {print $2}' /proc/meminfo"))
    assert abs(int(disksize) - memtotal_kb * 1024 // 2) <= 4 * 1024 * 1024, (disksize, memtotal_kb)
