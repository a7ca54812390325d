#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A CPU hot-add delivers exactly one ARRIVAL to each processor registration,
# with its own Context and a correct DEVICE_INTERFACE_CHANGE_NOTIFICATION,
# and nothing to memory registrations; its unplug delivers one REMOVAL.
. ./lib.sh

load_client
check "register processor slot 0" ctl reg 0 proc
check "register processor slot 1" ctl reg 1 proc
check "register memory slot 2" ctl reg 2 mem

reply=$(vm_cpu_add) || die "CPU hot-add"
set -- $reply
qom=$1
cpu=$2
link="link=\\??\\ACPI#ACPI0007#$cpu#$CPU_GUID"
echo "hot-added CPU $cpu ($qom)"

arrived() {
	[ "$(count_of 0 event=arrival)" -ge 1 ] && [ "$(count_of 1 event=arrival)" -ge 1 ]
}
check "both processor registrations notified" wait_for 30 arrived
online=$(online_count)
for slot in 0 1; do
	line=$(events_of $slot)
	check "slot $slot: exactly one callback" [ "$(events_of $slot | wc -l)" -eq 1 ]
	check "slot $slot: Context is its own" [ -n "$line" ]
	check "slot $slot: Event is ARRIVAL" [ "$(field event "$line")" = arrival ]
	check "slot $slot: Version 1" [ "$(field version "$line")" = 1 ]
	check "slot $slot: Size 48" [ "$(field size "$line")" = 48 ]
	check "slot $slot: InterfaceClassGuid is GUID_DEVICE_PROCESSOR" \
		[ "$(field class_ok "$line")" = 1 ]
	check "slot $slot: SymbolicLinkName names CPU $cpu" has "$line" "$link"
	check "slot $slot: KeQueryActiveProcessorCount counts it ($online)" \
		[ "$(field active "$line")" -eq "$online" ]
	mask=$(field mask "$line")
	check "slot $slot: active affinity has bit $cpu" [ $((mask >> cpu & 1)) -eq 1 ]
	check "slot $slot: Ke* queries agreed with the event inside the callback" \
		[ "$(field view_ok "$line")" = 1 ]
done
check "no callback with a foreign Context" [ "$(grep -c '^slot=-1' "$CLIENT/log")" -eq 0 ]

vm_cpu_del "$qom" "$cpu" || die "CPU unplug"
removed() {
	[ "$(count_of 0 event=removal)" -ge 1 ] && [ "$(count_of 1 event=removal)" -ge 1 ]
}
check "unplug notifies both processor registrations" wait_for 30 removed
for slot in 0 1; do
	line=$(events_of $slot | grep event=removal)
	check "slot $slot: one REMOVAL naming CPU $cpu" \
		[ "$(events_of $slot | grep -c event=removal)" -eq 1 ]
	check "slot $slot: REMOVAL link" has "$line" "$link"
	check "slot $slot: CPU $cpu no longer active inside the REMOVAL callback" \
		[ "$(field view_ok "$line")" = 1 ]
done
check "memory registration saw no processor event" [ "$(count_of 2 slot)" -eq 0 ]
unload_all
finish
