// SPDX-License-Identifier: GPL-2.0
/*
 * Waits on events, and timeouts.
 *
 * A waiter links one wait block per event into the events' lists (see
 * ke/event.c), sleeps, and is satisfied and woken by KeSetEvent(), or
 * wakes at its timeout and unlinks itself; both under the dispatcher lock,
 * so exactly one of them decides the outcome.
 *
 * Windows timeouts are in 100 ns units: negative is relative, positive an
 * absolute system time counted from 1601-01-01 UTC, zero "do not wait".
 * ntc_timeout_from_nt() is the one conversion; relative timeouts become an
 * expiry on CLOCK_MONOTONIC, absolute ones run on CLOCK_REALTIME, so that
 * they follow a change of the clock as Windows' do.
 */
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>

#include "ntc.h"

/* 1601-01-01 to 1970-01-01, in 100 ns units. */
#define NTC_EPOCH_DELTA		116444736000000000LL
#define NTC_NS_PER_UNIT		100

/**
 * ntc_timeout_from_nt() - the one mapping of a Windows timeout
 * @timeout: NULL (no timeout), or 100 ns units: negative relative, positive
 *	absolute since 1601, zero for no wait
 * @to: receives the timeout as an hrtimer interval or expiry
 *
 * Intervals and times beyond what ktime_t holds (about 292 years) saturate
 * to KTIME_MAX, which is as good as no timeout; an absolute time before
 * 1970 is in the past, 0 on CLOCK_REALTIME.
 */
void ntc_timeout_from_nt(const LARGE_INTEGER *timeout, struct ntc_timeout *to)
{
	LONGLONG t;

	memset(to, 0, sizeof(*to));
	if (!timeout) {
		to->infinite = true;
		return;
	}
	t = timeout->QuadPart;
	if (t == 0) {
		to->poll = true;
		to->relative = true;
		return;
	}
	if (t < 0) {
		to->relative = true;
		/* -t overflows for LLONG_MIN: compare before negating. */
		to->value = t < -(KTIME_MAX / NTC_NS_PER_UNIT) ? KTIME_MAX :
			    -t * NTC_NS_PER_UNIT;
		return;
	}
	if (t <= NTC_EPOCH_DELTA)
		to->value = 0;
	else if (t - NTC_EPOCH_DELTA > KTIME_MAX / NTC_NS_PER_UNIT)
		to->value = KTIME_MAX;
	else
		to->value = (t - NTC_EPOCH_DELTA) * NTC_NS_PER_UNIT;
}
NTC_EXPORT_FOR_KUNIT(ntc_timeout_from_nt);

/* Sleep until @w is satisfied or @to expires. Process context. */
static NTSTATUS ntc_wait_sleep(struct ntc_wait *w, const struct ntc_timeout *to)
{
	clockid_t clock = to->relative ? CLOCK_MONOTONIC : CLOCK_REALTIME;
	ktime_t expires = to->relative ? ktime_add_safe(ktime_get(), to->value) :
			  to->value;
	unsigned long flags;
	bool satisfied;
	NTSTATUS status;
	ULONG i;
	int ret;

	/* A poll may come at DISPATCH_LEVEL, interrupts off. */
	raw_spin_lock_irqsave(&ntc_dispatcher_lock, flags);
	satisfied = ntc_wait_try(w);
	if (satisfied || to->poll) {
		raw_spin_unlock_irqrestore(&ntc_dispatcher_lock, flags);
		return satisfied ? w->status : STATUS_TIMEOUT;
	}
	/* Not a poll: at PASSIVE_LEVEL, so interrupts were on. */
	for (i = 0; i < w->count; i++) {
		w->blocks[i].Thread = w;
		w->blocks[i].Object = w->objects[i];
		w->blocks[i].WaitKey = i;
		list_add_tail(&w->blocks[i].WaitListEntry,
			      &w->objects[i]->Header.WaitListHead);
	}
	for (;;) {
		/* Before the unlock: a KeSetEvent() after it wakes us. */
		set_current_state(TASK_IDLE);
		raw_spin_unlock_irq(&ntc_dispatcher_lock);
		if (to->infinite) {
			schedule();
			ret = -EINTR;
		} else {
			ret = schedule_hrtimeout_range_clock(&expires, 0, HRTIMER_MODE_ABS,
							     clock);
		}
		raw_spin_lock_irq(&ntc_dispatcher_lock);
		if (w->done) {
			status = w->status;
			break;
		}
		if (!ret) {
			ntc_wait_dequeue(w);
			status = STATUS_TIMEOUT;
			break;
		}
	}
	raw_spin_unlock_irq(&ntc_dispatcher_lock);
	__set_current_state(TASK_RUNNING);
	return status;
}

/*
 * Check the arguments shared by both waits. Expanded in the exported
 * functions, so that a bad call names the driver.
 */
#define ntc_wait_check(to, timeout)					\
	({								\
		NTSTATUS __st = STATUS_SUCCESS;				\
									\
		ntc_timeout_from_nt(timeout, to);			\
		if (!(to)->poll && KeGetCurrentIrql() != PASSIVE_LEVEL) { \
			ntc_ke_bad_call("non-zero timeout at DISPATCH_LEVEL"); \
			__st = ntc_errno_to_status(-EBADRQC);		\
		}							\
		__st;							\
	})

NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason,
			       KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
			       PLARGE_INTEGER Timeout)
{
	PKEVENT ev = Object;
	KWAIT_BLOCK block;
	struct ntc_wait w = {
		.task = current, .type = WaitAny, .count = 1,
		.objects = &ev, .blocks = &block,
	};
	struct ntc_timeout to;
	NTSTATUS status;

	if (!ntc_kevent_valid(ev)) {
		ntc_ke_bad_call("%s", ev ? "not an initialized KEVENT" : "NULL Object");
		return ntc_errno_to_status(-EINVAL);
	}
	status = ntc_wait_check(&to, Timeout);
	if (!NT_SUCCESS(status))
		return status;
	return ntc_wait_sleep(&w, &to);
}
EXPORT_SYMBOL_NS_GPL(KeWaitForSingleObject, NTC_EXPORT_NS);

NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
				  KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
				  BOOLEAN Alertable, PLARGE_INTEGER Timeout,
				  PKWAIT_BLOCK WaitBlockArray)
{
	KWAIT_BLOCK own[THREAD_WAIT_OBJECTS];
	struct ntc_wait w = {
		.task = current, .type = WaitType, .count = Count,
		.objects = (PKEVENT *)Object,
		.blocks = WaitBlockArray ? WaitBlockArray : own,
	};
	struct ntc_timeout to;
	NTSTATUS status;
	ULONG i, j;

	if (!Count || Count > MAXIMUM_WAIT_OBJECTS || !Object ||
	    (Count > THREAD_WAIT_OBJECTS && !WaitBlockArray) ||
	    (WaitType != WaitAll && WaitType != WaitAny)) {
		ntc_ke_bad_call("Count %u, Object %p, WaitType %d, WaitBlockArray %p",
				Count, Object, WaitType, WaitBlockArray);
		return ntc_errno_to_status(-EINVAL);
	}
	for (i = 0; i < Count; i++) {
		if (!ntc_kevent_valid(Object[i])) {
			ntc_ke_bad_call("Object[%u] is not an initialized KEVENT", i);
			return ntc_errno_to_status(-EINVAL);
		}
		/* One wait block per event: the same event twice is refused. */
		for (j = 0; j < i; j++) {
			if (Object[j] == Object[i]) {
				ntc_ke_bad_call("Object[%u] repeats Object[%u]", i, j);
				return ntc_errno_to_status(-EINVAL);
			}
		}
	}
	status = ntc_wait_check(&to, Timeout);
	if (!NT_SUCCESS(status))
		return status;
	return ntc_wait_sleep(&w, &to);
}
EXPORT_SYMBOL_NS_GPL(KeWaitForMultipleObjects, NTC_EXPORT_NS);

NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
				PLARGE_INTEGER Interval)
{
	struct ntc_timeout to;
	ktime_t expires;

	if (!Interval) {
		ntc_ke_bad_call("NULL Interval");
		return ntc_errno_to_status(-EINVAL);
	}
	if (KeGetCurrentIrql() != PASSIVE_LEVEL) {
		ntc_ke_bad_call("called at DISPATCH_LEVEL");
		return ntc_errno_to_status(-EBADRQC);
	}
	ntc_timeout_from_nt(Interval, &to);
	if (to.poll) {
		cond_resched();
		return STATUS_SUCCESS;
	}
	expires = to.relative ? ktime_add_safe(ktime_get(), to.value) : to.value;
	do {
		set_current_state(TASK_IDLE);
	} while (schedule_hrtimeout_range_clock(&expires, 0, HRTIMER_MODE_ABS,
						to.relative ? CLOCK_MONOTONIC :
						CLOCK_REALTIME));
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_NS_GPL(KeDelayExecutionThread, NTC_EXPORT_NS);
