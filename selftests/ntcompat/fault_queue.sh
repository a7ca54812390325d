#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Allocation failure while CPU and memory events are being queued neither
# loses an event nor fails the hotplug operation: with failslab failing
# every allocation from ntcompat's event cache, CPUs are cycled and a DIMM
# hot-added, first while a callback holds the dispatcher (the pool's
# reserve carries them), then while it runs freely. Needs failslab, and the
# cache marked for it with slub_debug=A,ntc_event on the command line (the
# debug lane does it; Linux 6.1 cannot mark a cache later). Debian's
# kernels have no failslab.
. ./lib.sh

FAILSLAB=/sys/kernel/debug/failslab
[ -d $FAILSLAB ] || skip "the kernel has no failslab"
load_client
CACHE=/sys/kernel/slab/ntc_event/failslab
[ "$(cat $CACHE 2>/dev/null)" = 1 ] ||
	die "ntcompat's ntc_event cache is not marked for failslab: boot with slub_debug=A,ntc_event"

check "register processor slot 0, which will block" ctl reg 0 proc
ctl mode 0 block
check "register processor slot 1" ctl reg 1 proc
check "register memory slot 2" ctl reg 2 mem

TIMES=1000000
echo Y >$FAILSLAB/cache-filter
echo N >$FAILSLAB/ignore-gfp-wait
echo 0 >$FAILSLAB/verbose
echo 0 >$FAILSLAB/space
echo 1 >$FAILSLAB/interval
echo 100 >$FAILSLAB/probability
echo $TIMES >$FAILSLAB/times

set_cpu() {
	echo "$2" >"/sys/devices/system/cpu/cpu$1/online"
}
# cycle CPU N: N offline/online cycles of CPU, every write must succeed.
cycle() {
	local i

	for i in $(seq "$2"); do
		set_cpu "$1" 0 && set_cpu "$1" 1 || return 1
	done
}

reply=$(vm_cpu_add) || die "CPU hot-add with allocations failing"
set -- $reply
cpu=$2
check "slot 0 holds the dispatcher in its callback" wait_for 30 at_least 1 0 event=arrival
# 20 cycles and a 2-block DIMM: 44 allocations, inside the reserve of 64.
check "20 cycles of CPU $cpu succeed, every allocation failing" cycle "$cpu" 20
reply=$(vm_dimm_add 256) || die "DIMM hot-add with allocations failing"
set -- $reply
dimm=$1
injected=$((TIMES - $(cat $FAILSLAB/times)))
echo "failslab failed $injected allocations from ntc_event"
check "the allocations did fail" [ "$injected" -ge 40 ]
reserve=$(sed -n 's/^event_reserve_left //p' /sys/kernel/debug/ntcompat/stats)
check "  and the pool's reserve carried the events (left: $reserve of 64)" \
	[ "$reserve" -le 24 ]
check "  and nothing was delivered past the blocked callback" [ "$(count_of 1 slot)" -eq 0 ]
ctl release
check "slot 1 gets all 41 CPU events once released" wait_for 60 at_least 41 1 ACPI0007
check "slot 2 gets the DIMM's 2 blocks" wait_for 60 at_least 2 2 event=arrival

# The dispatcher runs freely now; allocations still fail.
ctl mode 0 record
check "50 more cycles succeed" cycle "$cpu" 50
check "slot 1 gets all 141 CPU events" wait_for 120 at_least 141 1 ACPI0007
injected=$((TIMES - $(cat $FAILSLAB/times)))
echo "failslab failed $injected allocations from ntc_event in all"
check "  which failed too" [ "$injected" -ge 140 ]
echo 0 >$FAILSLAB/probability

# Every event, in order: arrival, then removal/arrival pairs.
want=$(echo arrival; for i in $(seq 70); do echo removal; echo arrival; done)
for slot in 0 1; do
	check "slot $slot: exactly 141 events, alternating, in order" [ "$(events_of $slot |
		sed 's/.*event=\([a-z]*\) .*/\1/')" = "$want" ]
done
check "slot 2: the DIMM's blocks arrived once each" [ "$(count_of 2 slot)" -eq 2 ]
check "the DIMM is unplugged" vm_dimm_del "$dimm"
check "  and its blocks are removed" wait_for 60 at_least 2 2 event=removal

unload_all
finish
