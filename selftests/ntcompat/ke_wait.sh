#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Events and waits: the event state machine, who a set releases, WaitAny
# and WaitAll, relative, absolute, past and zero timeouts measured against
# the clock, spin locks and the waits refused while one is held, and every
# bad call answered without an oops.
. ./lib.sh
. ./ke_lib.sh

load_ke
ke timeouts 200
check "relative timeout: STATUS_TIMEOUT" is rel 0x102
check "  after 200 ms (within 200..1500)" between rel_ms 200 1500
check "absolute timeout: STATUS_TIMEOUT" is abs 0x102
check "  after 200 ms (within 190..1500; the wall clock's)" between abs_ms 190 1500
check "absolute time in the past: STATUS_TIMEOUT at once" is past 0x102
check "  (under 100 ms)" between past_ms 0 100
check "zero timeout, not signaled: STATUS_TIMEOUT" is zero 0x102
check "zero timeout, signaled: STATUS_SUCCESS" is zero_set 0x0
check "KeDelayExecutionThread sleeps 200 ms (200..1500)" between delay_ms 200 1500

ke events
check "notification event initialized signaled" is n_init 1
check "KeResetEvent returns the previous state" is n_reset 1
check "  and resets" is n_after_reset 0
check "KeSetEvent returns the previous state (0)" is n_set 0
check "  (1 when already set)" is n_set_again 1
check "KeClearEvent clears" is n_after_clear 0
check "one set of a notification event releases both waiters" is n_woken_by_one_set 2
check "  and it stays signaled" is n_state 1
check "one set of a synchronization event releases one of two waiters" \
	is s_woken_by_one_set 1
check "  a second set the other" is s_woken_by_two 2
check "  and it ends not signaled (consumed by the waits)" is s_state 0

ke multi
check "WaitAny, nothing signaled: STATUS_TIMEOUT" is any_none 0x102
check "WaitAny on 4 events (wait blocks given), event 2 set from a DPC: STATUS_WAIT_2" \
	is any_2 0x2
check "  the synchronization event was consumed" is any_2_consumed 0
check "WaitAny with events 1 and 3 set: the lowest, STATUS_WAIT_1" is any_lowest 0x1
check "  event 3 left signaled" is any_3_left 1
check "WaitAll with one of two set: STATUS_TIMEOUT" is all_partial 0x102
check "  and the set one is not consumed" is all_partial_kept 1
check "WaitAll with both set: STATUS_SUCCESS" is all 0x0
check "  both consumed together" is all_consumed 0

ke locks
check "a new spin lock is free (KeTestSpinLock)" is free 1
check "KeAcquireSpinLock from PASSIVE_LEVEL: OldIrql 0" is old 0
check "  holding it, KeGetCurrentIrql is DISPATCH_LEVEL" is held_irql 2
check "  and it is held" is held 1
check "  a zero-timeout wait is allowed there" is zero_wait 0x102
check "  a non-zero one is refused: STATUS_INVALID_DEVICE_REQUEST" \
	is wait_at_dpc 0xc0000010
check "  so is KeDelayExecutionThread" is delay_at_dpc 0xc0000010
check "after the release, PASSIVE_LEVEL again" is after_irql 0
check "in-stack queued lock held, then free" is queued_held 1
check "  (free after the release)" is queued_free 1

ke bad
check "KeSetEvent(NULL), of stray memory: 0" is set_null 0
check "  (stray)" is set_stray 0
check "wait on NULL: STATUS_INVALID_PARAMETER" is wait_null 0xc000000d
check "wait on stray memory: STATUS_INVALID_PARAMETER" is wait_stray 0xc000000d
for k in multi_0 multi_65 multi_noblocks multi_repeat multi_type delay_null; do
	check "$k: STATUS_INVALID_PARAMETER" is $k 0xc000000d
done
check "KeInsertQueueDpc(NULL): FALSE" is insert_null 0
check "  of a DPC with no routine: FALSE" is insert_noroutine 0
check "  of an uninitialized DPC: FALSE" is insert_stray 0
check "KeRemoveQueueDpc of an uninitialized DPC: FALSE" is remove_stray 0
check "KeSetTargetProcessorDpcEx(NULL): STATUS_INVALID_PARAMETER" is target_null 0xc000000d
check "  to a processor that cannot exist" is target_63 0xc000000d
check "  to group 9" is target_group9 0xc000000d
check "releases of an unheld lock, twice through a handle: the lock still works" \
	is lock_free_after 1
check "KeSetSystemGroupAffinityThread(NULL): previous affinity zeroed" \
	is affinity_null_prev 0x0
check "every bad call returned" is survived 1
check "the bad calls were logged, naming the driver" logged "KeSetEvent from ke_bad"
check "  and what was wrong" logged "KeReleaseSpinLock from ke_bad"
unload_ke
finish
