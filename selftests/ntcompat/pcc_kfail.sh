#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A bring-up that the kernel itself fails after ntcompat's states, failure
# injected through /sys/devices/system/cpu/cpuN/hotplug/fail. At ntcompat's
# Complete state (after its asynchronous state): every processor-change
# registration gets Failure, with STATUS_UNSUCCESSFUL, never a Start with
# nothing after it. At sched:active, after all of ntcompat's states: Start
# and Complete, then nothing, as for an online and an offline. Either way
# the ARRIVAL queued for the CPU is followed by its REMOVAL (or never
# delivered), the next online works, and nothing leaks. Needs the fail
# file, which Linux gives only CPUs present at boot: a second boot CPU is
# used, and the test skips where the file is absent.
# ntc-vm: --smp 2
. ./lib.sh
. ./pcc_lib.sh

cpu=1
sys=/sys/devices/system/cpu/cpu$cpu
[ -e $sys/hotplug/fail ] || skip "no $sys/hotplug/fail in this kernel"
load_client
insmod "$NTC_MODDIR/ntc_pcc_test.ko" || die "insmod ntc_pcc_test.ko"
check "register slot 0" pcc_reg 0 0
check "register slot 1" pcc_reg 1 0
check "register an asynchronous processor registration" ctl reg 0 proc

# offline: CPU $cpu goes offline, its REMOVAL delivered, the log cleared.
offline() {
	ctl clear
	echo 0 >$sys/online || return 1
	wait_for 30 at_least 1 0 event=removal || return 1
	ctl clear
}
check "offline CPU $cpu" offline

# cpu_events: the asynchronous events of CPU $cpu, in delivery order.
cpu_events() {
	events_of 0 | grep "ACPI0007#$cpu#" | sed 's/.* event=\([a-z]*\) .*/\1/' |
		tr '\n' ' '
}

# The ARRIVAL of the next, working online comes after whatever the failed
# one left queued: then the failed one's events are all in.
failed_then_online() {
	case $(cpu_events) in
	"arrival removal arrival " | "arrival ")
		echo "CPU $cpu's events: $(cpu_events)"
		return 0 ;;
	esac
	echo "CPU $cpu's events: $(cpu_events)"
	return 1
}

fail_at() {
	echo "$1 is state $2"
	check "inject a failure at $1" sh -c "echo $2 >$sys/hotplug/fail"
	pcc clear
	check "the online fails" not sh -c "echo 1 >$sys/online"
	check "CPU $cpu is offline" [ "$(cat $sys/online)" = 0 ]
}

# After a failed online: the next one works, with Start and Complete for
# each, and the asynchronous ARRIVAL queued for the failed one was followed
# by its REMOVAL.
online_again() {
	pcc clear
	check "the next online works" sh -c "echo 1 >$sys/online"
	check "Start, then Complete for each" \
		[ "$(order | tr '\n' ' ')" = "0:start:$cpu 1:start:$cpu 0:complete:$cpu 1:complete:$cpu " ]
	check "the ARRIVAL queued for the failed online was followed by its REMOVAL" \
		wait_for 30 failed_then_online
}

state=$(cpuhp_state_of ntcompat:pcc-complete)
async=$(cpuhp_state_of ntcompat:online)
check "ntcompat's Complete state comes after its asynchronous one" \
	[ "$state" -gt "$async" ]
fail_at ntcompat:pcc-complete "$state"
check "Start, then Failure for each: nothing left hanging" \
	[ "$(order | tr '\n' ' ')" = "0:start:$cpu 1:start:$cpu 0:failure:$cpu 1:failure:$cpu " ]
check "Failure's Status is STATUS_UNSUCCESSFUL" \
	[ "$(grep -c "state=failure .*ctxstatus=$STATUS_UNSUCCESSFUL" "$PCC/log")" -eq 2 ]
online_again

check "offline CPU $cpu again" offline
late=$(cpuhp_state_of sched:active)
check "sched:active comes after ntcompat's states" [ "$late" -gt "$state" ]
fail_at sched:active "$late"
check "Start, then Complete for each, and nothing after: the CPU went as offline" \
	[ "$(order | tr '\n' ' ')" = "0:start:$cpu 1:start:$cpu 0:complete:$cpu 1:complete:$cpu " ]
online_again

check "DriverUnload deregisters; then it unloads" unload_pcc
unload_all
finish
