#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# virtio-mem, the memory hotplug of modern VMs besides pc-dimm: the device
# grows and shrinks by requested-size (QMP qom-set), and the guest's
# virtio_mem driver adds and removes memory blocks. Memory registrations get
# one ARRIVAL per block plugged and one REMOVAL per block unplugged, whose
# ranges tile exactly what changed, each inside MmGetPhysicalMemoryRanges
# (or outside it) during its callback; processor registrations get nothing.
. ./lib.sh

BLOCK=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
MIB=1048576

vmem=$(vm_cap vmem)
if [ -z "$vmem" ] || [ "$vmem" = none ]; then
	skip "no virtio-mem device in this guest"
fi
if ! vm_has_kmod virtio_pci || ! vm_has_kmod virtio_mem; then
	skip "this kernel has no virtio_pci or virtio_mem module"
fi
vm_load_kmod virtio_pci || die "loading virtio_pci"
vm_load_kmod virtio_mem || die "loading virtio_mem"

load_client
check "register memory slot 0" ctl reg 0 mem
check "register memory slot 1" ctl reg 1 mem
check "register processor slot 2" ctl reg 2 proc

# resize MIB: the device's whole size becomes MIB; sets $addr.
resize() {
	local reply

	reply=$(vm_vmem_resize "$vmem" "$1") || return 1
	addr=${reply% *}
	echo "$vmem: $1 MiB plugged at $addr"
}

# arrivals/removals SLOT FROM_MIB TO_MIB: the slot's ARRIVALs (REMOVALs)
# so far tile [addr + FROM, addr + TO) exactly, each block once.
arrivals() {
	covers "$1" arrival $((addr + $2 * MIB)) $((($3 - $2) * MIB))
}

removals() {
	covers "$1" removal $((addr + $2 * MIB)) $((($3 - $2) * MIB))
}

blocks_of() {
	count_of "$1" "event=$2 "
}

check "grow to 256 MiB" resize 256
for slot in 0 1; do
	check "slot $slot: ARRIVALs tile the 256 MiB plugged" wait_for 30 arrivals $slot 0 256
done
check "grow to 512 MiB" resize 512
for slot in 0 1; do
	check "slot $slot: ARRIVALs tile the 512 MiB, each block once" wait_for 30 arrivals $slot 0 512
	check "slot $slot: $((512 * MIB / BLOCK)) ARRIVALs, no REMOVAL" \
		[ "$(blocks_of $slot arrival)" -eq $((512 * MIB / BLOCK)) -a \
		  "$(blocks_of $slot removal)" -eq 0 ]
done

# virtio-mem unplugs from the top of its region.
check "shrink to 128 MiB" resize 128
for slot in 0 1; do
	check "slot $slot: REMOVALs tile the 384 MiB unplugged" wait_for 30 removals $slot 128 512
done
check "shrink to nothing" resize 0
for slot in 0 1; do
	check "slot $slot: REMOVALs tile all 512 MiB, each block once" wait_for 30 removals $slot 0 512
	check "slot $slot: as many REMOVALs as ARRIVALs" \
		[ "$(blocks_of $slot removal)" -eq "$(blocks_of $slot arrival)" ]
	check "slot $slot: every notification well formed" [ "$(events_of $slot |
		grep -v "version=1 size=48 class_ok=1 " | wc -l)" -eq 0 ]
	check "slot $slot: MmGetPhysicalMemoryRanges agreed inside every callback" \
		[ "$(events_of $slot | grep -v "view_ok=1 " | wc -l)" -eq 0 ]
	check "slot $slot: every link names GUID_DEVICE_MEMORY" [ "$(events_of $slot |
		grep -vF "#$MEM_GUID" | wc -l)" -eq 0 ]
done
check "processor registration saw no memory event" [ "$(count_of 2 slot)" -eq 0 ]

unload_all
finish
