#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# IoUnregisterPlugPlayNotificationEx waits for a callback running on another
# thread and not for its own caller; the legacy call does not wait (as on
# Windows) yet nothing breaks; a handle already unregistered, NULL, or one
# that never was, is refused with STATUS_INVALID_PARAMETER.
. ./lib.sh

INVALID=0xc000000d
load_client
check "register slot 0 (will sleep 3 s in its callback)" ctl reg 0 proc
ctl mode 0 sleep 3000
check "register slot 1 (legacy-unregistered while sleeping)" ctl reg 1 proc
ctl mode 1 sleep 3000
check "register slot 2 (Ex-unregisters itself in its callback)" ctl reg 2 proc
ctl mode 2 selfex
check "register slot 3 (unregisters itself in its callback)" ctl reg 3 proc
ctl mode 3 self
check "register witness slot 4" ctl reg 4 proc

reply=$(vm_cpu_add) || die "CPU hot-add"
set -- $reply
qom=$1
cpu=$2
check "slot 0's callback has started" wait_for 30 at_least 1 0 event=arrival
check "Ex from another thread succeeds" ctl unregex 0
check "  it was called while the callback ran" has "$ctl_detail" inflight_before=1
check "  and returned only after the callback did" has "$ctl_detail" inflight_after=0
check "slot 1's callback has started" wait_for 30 at_least 1 1 event=arrival
check "legacy unregister during the callback succeeds" ctl unreg 1
check "  without waiting for it, as on Windows" has "$ctl_detail" inflight_after=1
check "the dispatcher went on to slot 4" wait_for 30 at_least 1 4 event=arrival
check "Ex inside its own callback returned (no deadlock)" at_least 1 2 event=arrival
check "the legacy call inside its own callback returned" at_least 1 3 event=arrival

vm_cpu_del "$qom" "$cpu" || die "CPU unplug"
check "witness slot 4 saw the removal" wait_for 30 at_least 1 4 event=removal
for slot in 0 1 2 3; do
	check "slot $slot got nothing after unregistering" \
		[ "$(count_of $slot event=removal)" -eq 0 ]
done

check "unregistering slot 0 again: STATUS_INVALID_PARAMETER" ctl_is $INVALID stale 0
check "  and with Ex" ctl_is $INVALID staleex 0
check "slot 2's handle after it Ex-unregistered itself: refused" ctl_is $INVALID stale 2
check "slot 3's handle after it unregistered itself: refused" ctl_is $INVALID staleex 3
check "NULL: STATUS_INVALID_PARAMETER" ctl_is $INVALID unreg 9
check "  and with Ex" ctl_is $INVALID unregex 9
check "an address that never was a handle: refused" ctl_is $INVALID garbage 4
check "  and with Ex" ctl_is $INVALID garbageex 4
check "the live slot 4 still unregisters" ctl unregex 4
unload_all
finish
