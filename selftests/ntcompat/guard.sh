#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fan-out's guard: an Ex unregister that lands after the dispatcher has
# read a registration's slot but before it claimed it (the window the
# guard closes, held open here by the fanout_delay_ms test hook) returns,
# and the callback never comes. Without the guard the dispatcher would
# call a registration whose Ex unregister had returned. A legacy
# unregister of a slot further on is skipped too; the witness registered
# after them still gets the event.
# ntc-vm: --smp 2
. ./lib.sh

DELAY=/sys/kernel/debug/ntcompat/fanout_delay_ms
STATS=/sys/kernel/debug/ntcompat/stats
cpu=/sys/devices/system/cpu/cpu1/online

dispatched() {
	sed -n 's/^events_dispatched //p' $STATS
}

took_one() {
	[ "$(dispatched)" -gt "$before" ]
}

load_client
check "register slot 0 (to be Ex-unregistered in the window)" ctl reg 0 proc
check "register slot 1 (to be unregistered in the window)" ctl reg 1 proc
check "register witness slot 2" ctl reg 2 proc
before=$(dispatched)
echo 3000 >$DELAY
check "CPU 1 goes offline: the walk stops 3 s at each slot" sh -c "echo 0 >$cpu"
check "the dispatcher took the removal" wait_for 10 took_one
check "Ex unregister of slot 0 while the walk holds its slot" ctl unregex 0
ex_detail=$ctl_detail
check "legacy unregister of slot 1, further on" ctl unreg 1
check "  both before slot 0 was called (the window was hit)" \
	has "$ex_detail" events_at_return=0
check "the witness gets the removal" wait_for 30 at_least 1 2 event=removal
echo 0 >$DELAY
check "slot 0 got no callback after its Ex unregister returned" \
	[ "$(count_of 0 event=removal)" -eq 0 ]
check "neither did slot 1" [ "$(count_of 1 event=removal)" -eq 0 ]
echo 1 >$cpu
unload_all
finish
