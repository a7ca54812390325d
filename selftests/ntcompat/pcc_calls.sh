#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Calls that deadlock on Windows or are simply wrong, answered here: from
# inside a callback, Register returns NULL and a Deregister of the running
# registration does nothing (one log line each), while a Deregister of
# another registration works; a Deregister returns only after a running
# call of that callback finished; NULL callback, atomic context, stale,
# made-up and another driver's handles are refused. Callbacks that
# allocate, sleep, queue work and wait for it run inside the hotplug
# operation (lockdep watches on the debug lane). A driver's leftovers are
# removed when it unloads.
. ./lib.sh
. ./pcc_lib.sh

DBG=/sys/kernel/debug/ntcompat
load_pcc
bad0=$(pcc_stat bad_calls)
for slot in 0 1 2 3 4 5; do
	check "register slot $slot" pcc_reg $slot 0
done
pcc mode 0 3		# registers from inside
pcc mode 1 4		# deregisters itself from inside
pcc mode 2 5 3		# deregisters slot 3 from inside
pcc mode 4 2		# allocates, sleeps, queues work and waits
pcc mode 5 6		# Complete sleeps 2 s

dmesg -c >/dev/null
# Hot-add in the background: slot 5's Complete holds the operation.
(vm_cpu_add >/tmp/added) &
check "slot 5's slow Complete is running" \
	wait_for 60 sh -c "[ \"\$(cat $PCC/running)\" = 5 ]"
pcc dereg 5
dereg_ns=$(field dereg_ns " $pcc_detail")
end_ns=$(field slow_end_ns " $pcc_detail")
check "Deregister returned after the running call ended" \
	[ "$end_ns" -gt 0 ] && [ "$dereg_ns" -ge "$end_ns" ]
wait
read -r qom cpu </tmp/added || die "CPU hot-add"
echo "hot-added CPU $cpu ($qom)"

check "Register from inside a callback returned NULL" \
	[ "$(calls 0 | grep -c inside=reg_null)" -eq 2 ]
check "self-Deregister from inside did nothing: slot 1 got Complete" \
	[ "$(ncalls 1 complete "$cpu")" -eq 1 ]
check "slot 1 is still registered" \
	[ "$(grep -c 'calls=2 vetoes=0' "$DBG/processor_change")" -ge 2 ]
check "Deregister of another from inside: slot 3 got no call" [ "$(ncalls 3)" -eq 0 ]
check "the busy callbacks ran both phases" [ "$(calls 4 | grep -c inside=busy)" -eq 2 ]
check "slot 5 got Start and its Complete" [ "$(ncalls 5)" -eq 2 ]
log=$(dmesg)
check "one log line for each refused Register" \
	[ "$(echo "$log" | grep -c 'KeRegisterProcessorChangeCallback from .*inside a processor-change callback')" -eq 2 ]
check "one log line for each refused self-Deregister" \
	[ "$(echo "$log" | grep -c 'deregistered from inside its own callback')" -eq 2 ]
check "registrations left: 0, 1, 2, 4" \
	[ "$(grep -c owner=ntc_pcc_test "$DBG/processor_change")" -eq 4 ]

dmesg -c >/dev/null
pcc bad null
check "NULL CallbackFunction: NULL" [ "$pcc_status" = 0x00000000 ]
pcc bad atomic
check "Register and Deregister in atomic context: NULL, nothing done" \
	[ "$pcc_status" = 0x00000000 ]
pcc bad garbage
pcc stale 3
pcc stale 5
log=$(dmesg)
echo "$log"
check "NULL callback logged" has "$log" "NULL CallbackFunction"
check "atomic context logged for both" \
	[ "$(echo "$log" | grep -c 'from atomic context')" -eq 2 ]
check "made-up and stale handles logged" \
	[ "$(echo "$log" | grep -c 'is not a live callback handle')" -eq 5 ]
check "stats count every refused call" \
	[ "$(pcc_stat bad_calls)" -eq $((bad0 + 4 + 1 + 2 + 5)) ]
check "nothing changed: four registrations" \
	[ "$(grep -c owner=ntc_pcc_test "$DBG/processor_change")" -eq 4 ]

# Another driver's live handle: ntc_peer's Deregister of one of ours is
# logged and does nothing.
insmod "$NTC_MODDIR/ntc_peer.ko" || die "insmod ntc_peer.ko"
theirs=$(sed -n 's/^owner=ntc_pcc_test handle=\(0x[0-9a-f]*\) .*/\1/p' \
	"$DBG/processor_change" | head -n 1)
dmesg -c >/dev/null
echo "dereg $theirs" >/sys/kernel/debug/ntc_peer/ctl
check "another driver's Deregister of our $theirs is logged" \
	has "$(dmesg)" "$theirs is another driver's callback handle"
check "  and did nothing: four registrations" \
	[ "$(grep -c owner=ntc_pcc_test "$DBG/processor_change")" -eq 4 ]
check "  $theirs among them" grep -q "handle=$theirs " "$DBG/processor_change"
stop_driver ntc_peer
rmmod ntc_peer

# Leftovers at unload:
pcc mode 0 0
pcc mode 1 0
check "registered, rmmod refuses" not rmmod ntc_pcc_test
check "DriverUnload deregisters; then it unloads" unload_pcc
rmmod ntcompat
finish
