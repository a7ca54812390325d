#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ntcompat loads and unloads cleanly, and takes exactly one CPU hotplug
# state however many registrations there are. A driver with registrations
# cannot be unloaded until stopping it runs DriverUnload, and ntcompat not
# while a driver is loaded.
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
check "rmmod of a driver with registrations fails cleanly" not rmmod ntc_test_client
check "  its registrations still work" ctl reg 12 proc 1
check "ntcompat refuses to unload under it" not rmmod ntcompat
check "stopping the driver runs DriverUnload" stop_driver ntc_test_client
check "  which unregistered everything: the client is gone from debugfs" \
	[ ! -e "$CLIENT/ctl" ]
check "stopping it twice is harmless" stop_driver ntc_test_client
check "now rmmod of the driver succeeds" rmmod ntc_test_client
check "a driver without registrations unloads with plain rmmod" \
	sh -c "insmod $NTC_MODDIR/ntc_test_client.ko && rmmod ntc_test_client"
check "ntcompat unloads" rmmod ntcompat
check "no ntcompat cpuhp state after unloading" [ "$(states)" -eq 0 ]
finish
