#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The queries a hot-add callback makes answer from the live system: counts
# and masks follow CPUs as they come and go (holes included), the current
# processor is the one the caller runs on, and MmGetPhysicalMemoryRanges is
# the online System RAM, zero-terminated, growing and shrinking with a DIMM.
. ./lib.sh

q() {
	sed -n "s/^$1=//p" "$CLIENT/queries"
}
possible=$(seq 0 $(($(sed 's/.*-//' /sys/devices/system/cpu/possible))) | wc -l)

load_client
check "active count is the online count" [ "$(q active)" -eq "$(online_count)" ]
check "group 0 holds them all" [ "$(q active_group0)" -eq "$(online_count)" ]
check "group 1 is empty" [ "$(q active_group1)" -eq 0 ]
check "maximum is the $possible possible CPUs" [ "$(q maximum)" -eq "$possible" ]
check "  in all groups too" [ "$(q maximum_all)" -eq "$possible" ]
check "every possible CPU's index maps to its group and number" \
	[ "$(q valid_indexes)" -eq "$possible" ]
check "KeGetProcessorNumberFromIndex with NULL: STATUS_INVALID_PARAMETER" \
	[ "$(q null_number)" = 0xc000000d ]

reply=$(vm_cpu_add) || die "CPU hot-add"
set -- $reply
a=$2
reply=$(vm_cpu_add) || die "CPU hot-add"
set -- $reply
b=$2
check "after two hot-adds, 3 active" [ "$(q active)" -eq 3 ]
check "  mask $(printf '%#x' $((1 | 1 << a | 1 << b)))" \
	[ "$(q active_mask)" = "$(printf '%#x' $((1 | 1 << a | 1 << b)))" ]
current() {
	taskset -c "$1" cat "$CLIENT/queries" | sed -n 's/^current=//p'
}
check "on CPU $b, the current processor is $b, group 0, number $b" \
	[ "$(current "$b")" = "$b group=0 number=$b" ]
echo 0 >/sys/devices/system/cpu/cpu$a/online
check "with CPU $a offline, 2 active" [ "$(q active)" -eq 2 ]
check "  and its bit is a hole in the mask" \
	[ "$(q active_mask)" = "$(printf '%#x' $((1 | 1 << b)))" ]
echo 1 >/sys/devices/system/cpu/cpu$a/online
check "back online, 3 active again" [ "$(q active)" -eq 3 ]

# System RAM that is online, merged: what /proc/iomem says, block by block.
ram_ranges() {
	grep -i ': system ram' /proc/iomem | sed 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) .*/\1 \2/' |
		while read -r s e; do
			printf '%x %x\n' $((0x$s)) $((0x$e - 0x$s + 1))
		done
}
check "MmGetPhysicalMemoryRanges is the System RAM of /proc/iomem" \
	[ "$(cat "$CLIENT/ranges")" = "$(ram_ranges | merge_ranges)" ]
before=$(wc -l <"$CLIENT/ranges")
reply=$(vm_dimm_add 256) || die "DIMM hot-add"
set -- $reply
dimm=$1
addr=$(printf '%x' $(($2)))
size=$(printf '%x' $(($3)))
check "with a DIMM online, it is one more range: $addr $size" \
	grep -qx "$addr $size" "$CLIENT/ranges"
check "  and nothing else changed" [ "$(wc -l <"$CLIENT/ranges")" -eq $((before + 1)) ]
block=$(($2 / 0x$(cat /sys/devices/system/memory/block_size_bytes)))
echo offline >/sys/devices/system/memory/memory$block/state
check "with its first block offline, the range shrinks to the second block" \
	grep -qx "$(printf '%x %x' $(($2 + $3 / 2)) $(($3 / 2)))" "$CLIENT/ranges"
vm_dimm_del "$dimm" || die "DIMM unplug"
check "after the unplug, the ranges are as before" [ "$(wc -l <"$CLIENT/ranges")" -eq "$before" ]
unload_all
finish
