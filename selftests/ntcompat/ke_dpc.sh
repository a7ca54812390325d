#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# DPCs and thread affinity on a really hot-added CPU: a DPC targeted at it
# runs there at DISPATCH_LEVEL and sets the KEVENT its queuer waits on; a
# thread moved onto it runs there and comes back. Queue semantics (FALSE
# when already queued, remove), KeFlushQueuedDpcs, and what a DPC for a CPU
# that goes offline does: one pending there runs there before it goes, one
# queued for it once it is offline runs elsewhere, logged.
. ./lib.sh
. ./ke_lib.sh

load_ke
reply=$(vm_cpu_add) || die "CPU hot-add"
set -- $reply
cpu=$2
echo "hot-added CPU $cpu"

# Queued from CPU 0, so that "where it ran" tells the target from the queuer.
ke_on 0 dpc "$cpu"
check "DPC for the new CPU: targeted" is target_status 0x0
check "  queued from CPU 0" is from 0
check "  queued" is insert 1
check "  its event was set: the wait ended with STATUS_SUCCESS" is wait 0x0
check "  it ran once" is ran 1
check "  on CPU $cpu" is ran_on "$cpu"
check "  at DISPATCH_LEVEL" is irql 2
check "  with the SystemArgument1 it was queued with" is args_ok 1

ke_on 0 affinity "$cpu"
check "a thread on CPU 0" is before 0
check "  KeSetSystemGroupAffinityThread moves it onto CPU $cpu" is on "$cpu"
check "  and hands back its previous affinity, group 0" is prev_group 0
check "  which was CPU 0 (taskset)" is prev_mask 0x1
check "  nested onto CPU 0" is nested_on 0
check "  KeRevertToUserGroupAffinityThread goes back to CPU $cpu" is reverted_on "$cpu"
check "  an empty mask zeroes the previous affinity" is empty_prev 0x0/0
check "  a group that does not exist zeroes it and changes nothing" is badgroup_prev 0x0
check "  the thread stayed on CPU $cpu" is still_on "$cpu"
check "  a zeroed previous affinity restores the thread's own" is own_restored 1
check "  one group active, one possible" is groups 1/1
check "  group 0's active mask has CPU $cpu" [ $(($(kv group0) >> cpu & 1)) -eq 1 ]

ke dpcqueue
check "KeInsertQueueDpc queues" is insert1 1
check "  and answers FALSE while already queued" is insert2 0
check "  KeRemoveQueueDpc takes it off (TRUE)" is remove1 1
check "  and answers FALSE when it is not queued" is remove2 0
check "  nothing ran at DISPATCH_LEVEL on the queuing CPU" is ran_while_held 0
check "  queued again, it ran once, after the lock's release" is ran 1
check "  with the arguments of the insert that queued it" is args_ok 1

ke_on 0 dpcflush "$cpu"
check "KeFlushQueuedDpcs returns after a slow DPC on CPU $cpu ran" is ran_at_flush_return 1

# Pending on a CPU when it goes offline: run there, by the teardown.
echo 1 >/sys/module/ntcompat/parameters/dpc_hold
ke_on 0 dpcpend "$cpu"
check "a DPC for CPU $cpu queued while DPCs are held" is insert 1
sleep 0.5
ke dpccollect
check "  has not run yet" is ran 0
echo 0 >/sys/devices/system/cpu/cpu$cpu/online
ke dpccollect
check "CPU $cpu offline: the pending DPC ran" is ran 1
check "  on CPU $cpu itself, before it went" is ran_on "$cpu"
check "  at DISPATCH_LEVEL" is irql 2
echo 0 >/sys/module/ntcompat/parameters/dpc_hold

ke_on 0 dpc "$cpu"
check "a DPC for offline CPU $cpu is still queued" is insert 1
check "  and runs, setting its event" is wait 0x0
check "  on another CPU" [ "$(kv ran_on)" != "$cpu" ]
check "  and the log says so, naming the driver" \
	logged "targets offline processor $cpu: runs on another"
check "  and the driver's routine" logged "DPC ke_dpc_routine [ntc_ke_test]"

echo 1 >/sys/devices/system/cpu/cpu$cpu/online
ke_on 0 dpc "$cpu"
check "back online, a DPC runs on CPU $cpu again" is ran_on "$cpu"
unload_ke
finish
