#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# REMOVAL is delivered when a CPU or memory block goes offline, unless the
# removal_events module parameter turns it off; an online that is cancelled
# (memory-notifier-error-inject failing MEM_GOING_ONLINE) leaves no ARRIVAL.
. ./lib.sh

PARAM=/sys/module/ntcompat/parameters/removal_events
load_client
check "removal_events defaults to on" [ "$(cat $PARAM)" = Y ]
check "register processor slot 0" ctl reg 0 proc
check "register memory slot 1" ctl reg 1 mem

reply=$(vm_cpu_add) || die "CPU hot-add"
set -- $reply
cpu=$2
check "ARRIVAL of CPU $cpu" wait_for 30 at_least 1 0 event=arrival
echo 0 >"$PARAM"
echo 0 >/sys/devices/system/cpu/cpu$cpu/online
echo 1 >/sys/devices/system/cpu/cpu$cpu/online
# The second ARRIVAL comes after the (suppressed) REMOVAL would have.
check "with removal_events off, the CPU's return is still an ARRIVAL" \
	wait_for 30 at_least 2 0 event=arrival
check "  and its offline was not delivered" [ "$(count_of 0 event=removal)" -eq 0 ]
echo 1 >"$PARAM"
echo 0 >/sys/devices/system/cpu/cpu$cpu/online
check "with removal_events on, offlining delivers a REMOVAL" \
	wait_for 30 at_least 1 0 event=removal
echo 1 >/sys/devices/system/cpu/cpu$cpu/online
check "and onlining an ARRIVAL, in that order" wait_for 30 at_least 3 0 event=arrival
check "  the order is arrival, arrival, removal, arrival" [ "$(events_of 0 |
	sed 's/.*event=\([a-z]*\) .*/\1/' | tr '\n' ' ')" = "arrival arrival removal arrival " ]

# A cancelled online: inject -ENOMEM into MEM_GOING_ONLINE.
INJECT=/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error
# A module on Debian's kernels, built in on the debug lane's.
inserted=
if [ ! -e "$INJECT" ]; then
	if ! insmod "$NTC_MODDIR/notifier-error-inject.ko" ||
	   ! insmod "$NTC_MODDIR/memory-notifier-error-inject.ko"; then
		unload_all
		skip "memory-notifier-error-inject is not available"
	fi
	inserted=1
fi
echo -12 >"$INJECT"
dimm_add_refused
echo 0 >"$INJECT"
check "onlining it by hand, without injection, works" sh -c "echo online_movable >$node/state"
check "  and delivers its only ARRIVAL" wait_for 30 at_least 1 1 event=arrival
check "  exactly one, with no REMOVAL" [ "$(count_of 1 slot)" -eq 1 ]
dimm_del_removal 1
inject_unload
unload_all
finish
