# SPDX-License-Identifier: GPL-2.0
"""ntcompat's QEMU harness: scripts/ntc-vm and scripts/ntc-qmp are its
command lines.

    qmp        the QMP client
    hotplug    CPU, DIMM and virtio-mem hotplug, one unplug policy, the
               CPU budget QEMU allows
    initramfs  the guest's initramfs
    kernel     the guest kernel: fast boot through its PVH entry
    vm         a guest: QEMU, its console, its control port, its requests
"""
