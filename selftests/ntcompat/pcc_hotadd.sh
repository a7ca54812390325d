#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# KeRegisterProcessorChangeCallback on a real CPU hot-add: every
# registration gets Start before the CPU runs (it is not online yet, its
# index is the count of active processors before it, the index and number
# round-trip), in registration order, then Complete on the new CPU once
# it is online, where a work item queued on it and a kthread bound to it
# run; Complete comes before the asynchronous ARRIVAL. A sysfs offline gives
# no call; the online that follows gives Start and Complete with the same
# index. debugfs and the tracepoint show each registration and call.
. ./lib.sh
. ./pcc_lib.sh

DBG=/sys/kernel/debug/ntcompat
TRACE=/sys/kernel/tracing
load_pcc
insmod "$NTC_MODDIR/ntc_test_client.ko" || die "insmod ntc_test_client.ko"
check "async processor registration" ctl reg 0 proc
check "register slot 0" pcc_reg 0 0
check "register slot 1, bound to the new CPU in Complete" pcc_reg 1 0
pcc mode 1 1
check "register slot 2, allocating, sleeping, waiting for work" pcc_reg 2 0
pcc mode 2 2
check "no call at registration without ADD_EXISTING" [ ! -s "$PCC/log" ]
check "debugfs lists three registrations" \
	[ "$(grep -c owner=ntc_pcc_test "$DBG/processor_change")" -eq 3 ]
if [ -d $TRACE/events/ntcompat/ntc_processor_change ]; then
	echo 1 >$TRACE/events/ntcompat/enable
	tracing=1
fi

before=$(online_count)
reply=$(vm_cpu_add) || die "CPU hot-add"
set -- $reply
qom=$1
cpu=$2
echo "hot-added CPU $cpu ($qom), $before active before"
check "the async ARRIVAL came" wait_for 30 sh -c "grep -q 'event=arrival' $CLIENT/log"
check "the new index is the count of processors before it" [ "$cpu" -eq "$before" ]
for slot in 0 1 2; do
	check "slot $slot: one Start for CPU $cpu" [ "$(ncalls $slot start "$cpu")" -eq 1 ]
	check "slot $slot: one Complete for CPU $cpu" [ "$(ncalls $slot complete "$cpu")" -eq 1 ]
	check "slot $slot: no Failure" [ "$(ncalls $slot failure)" -eq 0 ]
	s=$(calls $slot start "$cpu")
	check "slot $slot: Start before the CPU is online" [ "$(field online "$s")" = 0 ]
	check "slot $slot: Start: active count excludes it" [ "$(field active "$s")" -eq "$before" ]
	check "slot $slot: Start: index and number round-trip" [ "$(field roundtrip "$s")" = 1 ]
	check "slot $slot: Start: group 0, number $cpu" \
		[ "$(field group "$s") $(field number "$s")" = "0 $cpu" ]
	check "slot $slot: Start: PASSIVE_LEVEL, status 0" \
		[ "$(field irql "$s") $(field ctxstatus "$s") $(field opstatus "$s")" = \
		  "0 0x00000000 0x00000000" ]
	c=$(calls $slot complete "$cpu")
	check "slot $slot: Complete: the CPU is online" [ "$(field online "$c")" = 1 ]
	check "slot $slot: Complete: active count includes it" \
		[ "$(field active "$c")" -eq $((before + 1)) ]
	check "slot $slot: Complete runs on the new CPU" [ "$(field this_cpu "$c")" = "$cpu" ]
done
c=$(calls 1 complete "$cpu")
check "a work item queued on the new CPU ran there, inside Complete" \
	[ "$(field wq_cpu "$c")" = "$cpu" ]
check "a kthread bound to the new CPU ran there, inside Complete" \
	[ "$(field kt_cpu "$c")" = "$cpu" ]
check "calls in registration order, every Start before any Complete" \
	[ "$(order | tr '\n' ' ')" = "0:start:$cpu 1:start:$cpu 2:start:$cpu 0:complete:$cpu 1:complete:$cpu 2:complete:$cpu " ]
check "debugfs: each registration made two calls, vetoed none" \
	[ "$(grep -c 'calls=2 vetoes=0 callback=ntc_pcc_callback' "$DBG/processor_change")" -eq 3 ]
check "stats: three Starts, three Completes" \
	[ "$(pcc_stat processor_change_calls_start) $(pcc_stat processor_change_calls_complete)" = "3 3" ]
if [ -n "$tracing" ]; then
	t=$(grep -E 'ntc_processor_change|ntc_callback' $TRACE/trace)
	echo "$t" | head -8
	check "trace: one line per call" \
		[ "$(echo "$t" | grep -c "ntc_processor_change: owner=ntc_pcc_test state=[a-z]* index=$cpu ")" -eq 6 ]
	check "trace: the last Complete before the async ARRIVAL" \
		[ "$(echo "$t" | grep -E 'state=complete|event=arrival' | tail -n 1 | grep -c ntc_callback)" -eq 1 ]
	check "trace: duration and status shown" \
		has "$(echo "$t" | grep state=start | head -n 1)" "status_out=0x00000000 veto=0 existing=0 duration_ns="
fi

# Windows never takes a processor away; Linux's offline tells nothing here,
# and the online after it announces the processor again, same index.
pcc clear
echo 0 >/sys/devices/system/cpu/cpu$cpu/online || die "offline CPU $cpu"
check "offline: no processor-change call" [ ! -s "$PCC/log" ]
echo 1 >/sys/devices/system/cpu/cpu$cpu/online || die "online CPU $cpu"
check "online again: Start and Complete, same index, for each" \
	[ "$(order | tr '\n' ' ')" = "0:start:$cpu 1:start:$cpu 2:start:$cpu 0:complete:$cpu 1:complete:$cpu 2:complete:$cpu " ]
c=$(calls 1 complete "$cpu")
check "online again: bound work and kthread ran on it" \
	[ "$(field wq_cpu "$c") $(field kt_cpu "$c")" = "$cpu $cpu" ]

check "registered, the driver cannot be unloaded" not rmmod ntc_pcc_test
check "the module is held by its three registrations" \
	[ "$(cat /sys/module/ntc_pcc_test/refcnt)" -eq 3 ]
check "DriverUnload deregisters; then it unloads" unload_pcc
check "debugfs lists none" [ ! -s "$DBG/processor_change" ]
stop_driver ntc_test_client && rmmod ntc_test_client
rmmod ntcompat
finish
