#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ntcompat loads and unloads cleanly, and takes exactly one CPU hotplug
# state however many registrations there are.
. ./lib.sh

states() {
	grep -c 'ntcompat:online' /sys/devices/system/cpu/hotplug/states
}

check "no ntcompat cpuhp state before loading" [ "$(states)" -eq 0 ]
load_client
check "one cpuhp state after loading" [ "$(states)" -eq 1 ]
for slot in 0 1 2 3 4 5 6 7; do
	check "register slot $slot" ctl reg "$slot" proc
done
for slot in 8 9 10 11; do
	check "register slot $slot" ctl reg "$slot" mem
done
check "still one cpuhp state with 12 registrations" [ "$(states)" -eq 1 ]
check "unregister slot 0" ctl unreg 0
check "unregister slot 8 (Ex)" ctl unregex 8
check "client unloads with registrations left (DriverUnload removes them)" \
	rmmod ntc_test_client
check "ntcompat unloads" rmmod ntcompat
check "no ntcompat cpuhp state after unloading" [ "$(states)" -eq 0 ]
finish
