#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every invalid call gets its documented NTSTATUS and at most one line in
# the kernel log, and leaves ntcompat working. The table is the README's.
. ./lib.sh

SUCCESS=0x00000000
INVALID_PARAMETER=0xc000000d
NOT_SUPPORTED=0xc00000bb
INVALID_DEVICE_REQUEST=0xc0000010

log_lines() {
	dmesg | grep -c 'ntcompat: '
}

# expect STATUS DESCRIPTION CMD...: the client command answers STATUS and
# logs at most one line.
expect() {
	local want=$1 desc=$2 before after

	shift 2
	before=$(log_lines)
	ctl "$@"
	after=$(log_lines)
	check "$desc: $want (got $ctl_status)" [ "$ctl_status" = "$want" ]
	check "$desc: at most one log line" [ $((after - before)) -le 1 ]
}

load_client
expect $INVALID_PARAMETER "NULL NotificationEntry" regnull 0 proc
expect $INVALID_PARAMETER "NULL CallbackRoutine" regnocb 0 proc
expect $INVALID_PARAMETER "NULL DriverObject" regnodrv 0 proc
expect $INVALID_PARAMETER "DriverObject of no loaded driver" regfakedrv 0 proc
expect $INVALID_PARAMETER "NULL interface class GUID" reg 0 null
expect $NOT_SUPPORTED "unknown interface class GUID" reg 0 bogus
for category in 0 1 3 4 99; do
	expect $NOT_SUPPORTED "event category $category" reg 0 proc 0 $category
done
expect $INVALID_PARAMETER "unknown flag bit 0x2" reg 0 proc 2
expect $INVALID_PARAMETER "INCLUDE_EXISTING on EventCategoryTargetDeviceChange" \
	reg 0 proc 1 3
expect $INVALID_DEVICE_REQUEST "Register from atomic context" atomic reg 0
expect $SUCCESS "a good registration still works" reg 0 proc
expect $INVALID_DEVICE_REQUEST "Unregister from atomic context" atomic unreg 0
expect $INVALID_DEVICE_REQUEST "UnregisterEx from atomic context" atomic unregex 0
expect $SUCCESS "the registration survived those" unregex 0
expect $INVALID_PARAMETER "unregister twice" stale 0
expect $INVALID_PARAMETER "UnregisterEx twice" staleex 0
expect $INVALID_PARAMETER "unregister NULL" unreg 1
expect $INVALID_PARAMETER "UnregisterEx NULL" unregex 1
expect $INVALID_PARAMETER "unregister a garbage handle" garbage 0
expect $INVALID_PARAMETER "UnregisterEx a garbage handle" garbageex 0

check "after all that, registering works" ctl reg 2 proc 1
check "  and INCLUDE_EXISTING still replays" has "$ctl_detail" "events_at_return=$(online_count)"
check "ntcompat refuses to unload while a driver uses it" not rmmod ntcompat
unload_all
finish
