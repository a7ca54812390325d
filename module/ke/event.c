// SPDX-License-Identifier: GPL-2.0
/*
 * Event objects.
 *
 * Every event and every wait on events is under one lock, as Windows'
 * dispatcher database long was: a WaitAll wait must see, and reset, all of
 * its events at one moment, which per-event locks could only give with a
 * lock order over the caller's array. The lock is held for a few list
 * operations, never across a wake-up's scheduling, and is a raw spinlock
 * with interrupts off: KeSetEvent() may be called from anywhere, hard
 * interrupts and PREEMPT_RT's atomic sections included.
 *
 * Waiting (ke/wait.c) puts one wait block per event on the event's
 * WaitListHead; signaling walks that list in order and satisfies whom it
 * can.
 */
#include <linux/module.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>

#include "ntc.h"

DEFINE_RAW_SPINLOCK(ntc_dispatcher_lock);

/* "NTEV": KeInitializeEvent() ran on this memory. */
#define NTC_KEVENT_MAGIC	0x4e544556

bool ntc_kevent_valid(const KEVENT *ev)
{
	return ev && READ_ONCE(ev->Header.ntc_magic) == NTC_KEVENT_MAGIC;
}
NTC_EXPORT_FOR_KUNIT(ntc_kevent_valid);

/*
 * Whether @w can be satisfied now; if so, satisfy it: consume the
 * synchronization events it takes and set its status. Under the lock.
 */
bool ntc_wait_try(struct ntc_wait *w)
{
	ULONG i;

	if (w->type == WaitAny) {
		for (i = 0; i < w->count; i++) {
			PKEVENT ev = w->objects[i];

			if (ev->Header.SignalState) {
				if (ev->Header.Type == SynchronizationEvent)
					ev->Header.SignalState = 0;
				w->status = STATUS_WAIT_0 + i;
				return true;
			}
		}
		return false;
	}
	for (i = 0; i < w->count; i++)
		if (!w->objects[i]->Header.SignalState)
			return false;
	for (i = 0; i < w->count; i++)
		if (w->objects[i]->Header.Type == SynchronizationEvent)
			w->objects[i]->Header.SignalState = 0;
	w->status = STATUS_SUCCESS;
	return true;
}

/* Take @w's wait blocks off their events. Under the lock. */
void ntc_wait_dequeue(struct ntc_wait *w)
{
	ULONG i;

	for (i = 0; i < w->count; i++)
		list_del_init(&w->blocks[i].WaitListEntry);
}

/* Satisfy whom @ev's signal can satisfy, in wait order. Under the lock. */
static void ntc_kevent_signaled(PKEVENT ev)
{
	PKWAIT_BLOCK b, next;

	list_for_each_entry_safe(b, next, &ev->Header.WaitListHead, WaitListEntry) {
		struct ntc_wait *w = b->Thread;

		if (!ev->Header.SignalState)
			break;		/* a synchronization event, consumed */
		if (!ntc_wait_try(w))
			continue;	/* WaitAll, on events not all signaled */
		/* @next may be one of @w's blocks only on another event. */
		ntc_wait_dequeue(w);
		w->done = true;
		wake_up_process(w->task);
	}
}

VOID KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State)
{
	if (!Event || (Type != NotificationEvent && Type != SynchronizationEvent)) {
		ntc_ke_bad_call("%s", Event ? "unknown event Type" : "NULL Event");
		return;
	}
	memset(Event, 0, sizeof(*Event));
	Event->Header.Type = Type;
	Event->Header.SignalState = !!State;
	INIT_LIST_HEAD(&Event->Header.WaitListHead);
	/* Published last: a racing call sees a whole event or none. */
	smp_store_release(&Event->Header.ntc_magic, NTC_KEVENT_MAGIC);
}
EXPORT_SYMBOL_NS_GPL(KeInitializeEvent, NTC_EXPORT_NS);

LONG KeSetEvent(PRKEVENT Event, LONG Increment, BOOLEAN Wait)
{
	unsigned long flags;
	LONG prev;

	if (!ntc_kevent_valid(Event)) {
		ntc_ke_bad_call("%s Event", Event ? "uninitialized" : "NULL");
		return 0;
	}
	raw_spin_lock_irqsave(&ntc_dispatcher_lock, flags);
	prev = Event->Header.SignalState;
	Event->Header.SignalState = 1;
	if (!prev)
		ntc_kevent_signaled(Event);
	raw_spin_unlock_irqrestore(&ntc_dispatcher_lock, flags);
	return prev;
}
EXPORT_SYMBOL_NS_GPL(KeSetEvent, NTC_EXPORT_NS);

LONG KeResetEvent(PRKEVENT Event)
{
	unsigned long flags;
	LONG prev;

	if (!ntc_kevent_valid(Event)) {
		ntc_ke_bad_call("%s Event", Event ? "uninitialized" : "NULL");
		return 0;
	}
	raw_spin_lock_irqsave(&ntc_dispatcher_lock, flags);
	prev = Event->Header.SignalState;
	Event->Header.SignalState = 0;
	raw_spin_unlock_irqrestore(&ntc_dispatcher_lock, flags);
	return prev;
}
EXPORT_SYMBOL_NS_GPL(KeResetEvent, NTC_EXPORT_NS);

VOID KeClearEvent(PRKEVENT Event)
{
	if (!ntc_kevent_valid(Event)) {
		ntc_ke_bad_call("%s Event", Event ? "uninitialized" : "NULL");
		return;
	}
	/* As on Windows, a plain store: no waiter can be affected. */
	WRITE_ONCE(Event->Header.SignalState, 0);
}
EXPORT_SYMBOL_NS_GPL(KeClearEvent, NTC_EXPORT_NS);

LONG KeReadStateEvent(PRKEVENT Event)
{
	if (!ntc_kevent_valid(Event)) {
		ntc_ke_bad_call("%s Event", Event ? "uninitialized" : "NULL");
		return 0;
	}
	return READ_ONCE(Event->Header.SignalState);
}
EXPORT_SYMBOL_NS_GPL(KeReadStateEvent, NTC_EXPORT_NS);
