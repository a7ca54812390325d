#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A DIMM hot-add delivers ARRIVALs to memory registrations whose ranges tile
# exactly the DIMM, and nothing to processor registrations; its unplug
# delivers REMOVALs for the same ranges.
. ./lib.sh

load_client
check "register memory slot 0" ctl reg 0 mem
check "register memory slot 1" ctl reg 1 mem
check "register processor slot 2" ctl reg 2 proc

reply=$(vm_dimm_add 256) || die "DIMM hot-add"
set -- $reply
qom=$1
addr=$2
size=$3
echo "hot-added DIMM $qom at $addr, $size bytes"

check "slot 0: ARRIVALs cover the DIMM exactly" wait_for 30 covers 0 arrival "$addr" "$size"
check "slot 1: ARRIVALs cover the DIMM exactly" wait_for 30 covers 1 arrival "$addr" "$size"
for slot in 0 1; do
	check "slot $slot: every notification well formed" [ "$(events_of $slot |
		grep -v "version=1 size=48 class_ok=1 " | wc -l)" -eq 0 ]
	check "slot $slot: MmGetPhysicalMemoryRanges held each block inside its ARRIVAL" \
		[ "$(events_of $slot | grep -v "view_ok=1 " | wc -l)" -eq 0 ]
	check "slot $slot: every link names GUID_DEVICE_MEMORY" [ "$(events_of $slot |
		grep -vF "#$MEM_GUID" | wc -l)" -eq 0 ]
done
check "processor registration saw no memory event" [ "$(count_of 2 slot)" -eq 0 ]

vm_dimm_del "$qom" || die "DIMM unplug"
check "slot 0: REMOVALs cover the DIMM exactly" wait_for 30 covers 0 removal "$addr" "$size"
check "slot 1: REMOVALs cover the DIMM exactly" wait_for 30 covers 1 removal "$addr" "$size"
check "processor registration still saw no memory event" [ "$(count_of 2 slot)" -eq 0 ]
check "MmGetPhysicalMemoryRanges excluded each block inside its REMOVAL" \
	[ "$(events_of 0 | grep event=removal | grep -v "view_ok=1 " | wc -l)" -eq 0 ]
unload_all
finish
