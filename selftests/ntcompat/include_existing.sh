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
	mem_ranges "$1" arrival | merge_ranges
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

# not_once FIRST LAST: the slots in FIRST..LAST that did not get exactly
# one ARRIVAL for each online CPU and nothing else (one pass over the log).
not_once() {
	awk -v first="$1" -v last="$2" -v cpus="$(online_cpus | tr '\n' ' ')" '
	BEGIN { n = split(cpus, cpu, " ") }
	$1 ~ /^slot=/ {
		s = substr($1, 6) + 0
		if (s < first || s > last)
			next
		total[s]++
		if ($2 == "event=arrival" && match($0, /ACPI0007#[0-9]+#/))
			seen[s, substr($0, RSTART + 9, RLENGTH - 10)]++
	}
	END {
		for (s = first; s <= last; s++) {
			ok = total[s] == n
			for (i = 1; i <= n; i++)
				if (seen[s, cpu[i]] != 1)
					ok = 0
			if (!ok)
				printf " %d", s
		}
	}' "$CLIENT/log"
}

# exactly_once SLOT: each online CPU arrived exactly once, nothing else.
exactly_once() {
	[ -z "$(not_once "$1" "$1")" ]
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

# A replayed callback that unregisters its own registration, then takes
# its time, ends the replay there: the registration stays allocated until
# the replay is over (the debug lane's KASAN sees a use after free if not).
check "  there is more than one range to replay" [ "$nrep" -gt 1 ]
slot=4
for how in self selfex; do
	ctl mode $slot $how 200
	check "memory registration whose first replayed callback unregisters it ($how)" \
		ctl reg $slot mem $INCLUDE_EXISTING
	check "  the replay ended with that callback" [ "$(events_of $slot | wc -l)" -eq 1 ]
	slot=$((slot + 1))
done

# A hot-add whose event is still being dispatched (slot 3 holds the
# dispatcher inside its callback) while registrations come in: each must see
# the new CPU once, by replay, and not again from that event.
ctl mode 3 block
check "register slot 3 (blocks the dispatcher)" ctl reg 3 proc
reply=$(vm_cpu_add) || die "CPU hot-add"
set -- $reply
cpu=$2
check "the dispatcher is inside slot 3's callback for CPU $cpu" \
	wait_for 30 at_least 1 3 "ACPI0007#$cpu#"
slot=10
while [ $slot -lt 30 ]; do
	ctl reg $slot proc $INCLUDE_EXISTING || echo "registering slot $slot: $ctl_status"
	slot=$((slot + 1))
done
ctl release
check "the held event reached the flags-0 registration" \
	wait_for 30 at_least 1 2 "ACPI0007#$cpu#"
bad=$(not_once 10 29)
check "registrations during its dispatch saw CPU $cpu exactly once${bad:+ (not:$bad)}" \
	[ -z "$bad" ]

# Registrations racing a hot-add from start to finish: whichever side of it
# each one falls on, it must see the new CPU once, never twice.
vm_cpu_add >/tmp/cpu-add.out &
adder=$!
slot=30
while [ $slot -lt 200 ] && kill -0 $adder 2>/dev/null; do
	echo "reg $slot proc $INCLUDE_EXISTING" >"$CLIENT/ctl"
	slot=$((slot + 1))
done
wait $adder || die "CPU hot-add"
last=$((slot - 1))
set -- $(cat /tmp/cpu-add.out)
cpu=$2
echo "registered slots 30..$last while CPU $cpu was hot-added"
# Once the last slot has its events, every earlier one has too.
check "CPU $cpu hot-added during $((last - 29)) registrations" wait_for 30 exactly_once $last
bad=$(not_once 30 "$last")
check "every racing registration saw every CPU exactly once${bad:+ (not:$bad)}" [ -z "$bad" ]
unload_all
finish
