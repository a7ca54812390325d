#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES replays every online
# processor and memory block before Register returns; flags 0 replays
# nothing; and a hot-add racing with registrations reaches each exactly once.
. ./lib.sh

INCLUDE_EXISTING=1
online_cpus() {
	local IFS=, r lo hi c

	for r in $(cat /sys/devices/system/cpu/online); do
		lo=${r%-*}
		hi=${r#*-}
		c=$lo
		while [ "$c" -le "$hi" ]; do
			echo "$c"
			c=$((c + 1))
		done
	done
}
online_blocks() {
	grep -l '^online' /sys/devices/system/memory/memory*/state | wc -l
}
# The slot's memory ARRIVALs, adjacent ones merged: "start size" in hex.
merged_ranges() {
	local s l ms= ml=0

	for r in $(mem_ranges "$1" arrival | tr ' ' ':'); do
		s=$((0x${r%:*}))
		l=$((0x${r#*:}))
		if [ -n "$ms" ] && [ $((ms + ml)) -eq "$s" ]; then
			ml=$((ml + l))
			continue
		fi
		[ -n "$ms" ] && printf '%x %x\n' "$ms" "$ml"
		ms=$s
		ml=$l
	done
	[ -n "$ms" ] && printf '%x %x\n' "$ms" "$ml"
}
physical_ranges() {
	cat "$CLIENT/ranges"
}
# How many distinct memory blocks the slot's ranges touch.
blocks_of() {
	local bs r

	bs=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
	for r in $(mem_ranges "$1" arrival | tr ' ' ':'); do
		echo $((0x${r%:*} / bs))
	done | sort -u | wc -l
}

# exactly_once SLOT: each online CPU arrived exactly once, nothing else.
exactly_once() {
	local c

	for c in $(online_cpus); do
		[ "$(events_of "$1" | grep -c "event=arrival .*ACPI0007#$c#")" -eq 1 ] || return 1
	done
	[ "$(events_of "$1" | wc -l)" -eq "$(online_cpus | wc -l)" ]
}

load_client
ncpu=$(online_cpus | wc -l)
nmem=$(online_blocks)
check "processor registration with INCLUDE_EXISTING" ctl reg 0 proc $INCLUDE_EXISTING
check "  all $ncpu online processors replayed before it returned" \
	has "$ctl_detail" "events_at_return=$ncpu"
check "  each exactly once" exactly_once 0
check "memory registration with INCLUDE_EXISTING" ctl reg 1 mem $INCLUDE_EXISTING
nrep=$(events_of 1 | wc -l)
check "  replayed before it returned ($nrep ranges)" \
	has "$ctl_detail" "events_at_return=$nrep"
check "  the replayed ranges tile MmGetPhysicalMemoryRanges exactly" \
	[ "$(merged_ranges 1)" = "$(physical_ranges)" ]
check "  and cover all $nmem online memory blocks" [ "$(blocks_of 1)" -eq "$nmem" ]
check "  each range was inside MmGetPhysicalMemoryRanges in its callback" \
	[ "$(events_of 1 | grep -v "view_ok=1 " | wc -l)" -eq 0 ]
check "registration with flags 0" ctl reg 2 proc 0
check "  replays nothing" has "$ctl_detail" "events_at_return=0"

# Registrations racing a hot-add: whichever side of it each one falls on,
# it must see the new CPU once, by replay or by event, never twice.
vm_cpu_add >/tmp/cpu-add.out &
adder=$!
slot=10
while [ $slot -lt 60 ]; do
	ctl reg $slot proc $INCLUDE_EXISTING || echo "registering slot $slot failed: $ctl_status"
	slot=$((slot + 1))
done
wait $adder || die "CPU hot-add"
set -- $(cat /tmp/cpu-add.out)
qom=$1
cpu=$2
# Once slot 59, registered last, has its events, every earlier one has too.
check "CPU $cpu hot-added during 50 registrations" wait_for 30 exactly_once 59
bad=
slot=10
while [ $slot -lt 60 ]; do
	exactly_once $slot || bad="$bad $slot"
	slot=$((slot + 1))
done
check "every racing registration saw every CPU exactly once${bad:+ (not:$bad)}" [ -z "$bad" ]
check "the flags-0 registration saw the new CPU as an event" \
	wait_for 30 at_least 1 2 "ACPI0007#$cpu#"
vm_cpu_del "$qom" "$cpu" || die "CPU unplug"
unload_all
finish
