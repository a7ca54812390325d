// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery: from the queue of posted events to the drivers' callbacks.
 *
 * One ordered work item drains the queue, so every registration sees events
 * in the order they were posted, and no registration's callback runs on two
 * threads at once (the only other caller, an INCLUDE_EXISTING replay, claims
 * the registration first; see ntc_deliver()). The dispatcher holds no lock
 * of ours while a callback runs, so a callback may register, unregister
 * (itself or others) or sleep. It does run inside an ntc_srcu read section,
 * which is what lets a driver's module exit wait for its last callback; a
 * callback must therefore not itself wait for a ported driver to unload.
 *
 * A processor event is posted from the middle of the CPU's bring-up or
 * tear-down. Before delivering it the dispatcher waits for that hotplug
 * operation to finish (cpus_read_lock() cannot be taken while one is in
 * progress), so that in an ARRIVAL callback the processor is online and
 * schedulable, and after a REMOVAL it is gone from every mask.
 */
#include <linux/cpu.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/srcu.h>
#include <linux/timekeeping.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include "ntc.h"
#include "ntc_trace.h"

/* Long enough for "\??\ACPI#PNP0C80#<16 hex>+<16 hex>#{guid}". */
#define NTC_LINK_CHARS	128

/* A notification and the string it points to, in one piece. */
struct ntc_notification {
	DEVICE_INTERFACE_CHANGE_NOTIFICATION hdr;
	UNICODE_STRING link;
	WCHAR buf[NTC_LINK_CHARS];
};

static struct workqueue_struct *ntc_wq;

/*
 * Windows never removes a processor or memory, so a driver may not expect
 * GUID_DEVICE_INTERFACE_REMOVAL; Linux does remove them. On by default,
 * since a driver that ignores the GUID loses nothing.
 */
static bool ntc_removal_events = true;
module_param_named(removal_events, ntc_removal_events, bool, 0644);
MODULE_PARM_DESC(removal_events,
		 "Deliver GUID_DEVICE_INTERFACE_REMOVAL when a CPU or memory goes offline (default: on)");

static void ntc_notification_build(struct ntc_notification *n,
				   const struct ntc_event *ev)
{
	const GUID *class = ntc_class_guid[ev->class];
	char name[NTC_LINK_CHARS];
	int len;

	if (ev->class == NTC_CLASS_PROCESSOR)
		len = scnprintf(name, sizeof(name),
				"\\??\\ACPI#ACPI0007#%u#{%pUl}", ev->cpu, class);
	else
		len = scnprintf(name, sizeof(name),
				"\\??\\ACPI#PNP0C80#%llx+%llx#{%pUl}",
				ev->mem.start, ev->mem.size, class);

	ntc_widen(n->buf, name, len);

	n->hdr.Version = 1;
	n->hdr.Size = sizeof(n->hdr);
	n->hdr.Event = ev->action == NTC_ARRIVAL ?
		GUID_DEVICE_INTERFACE_ARRIVAL : GUID_DEVICE_INTERFACE_REMOVAL;
	n->hdr.InterfaceClassGuid = *class;
	n->hdr.SymbolicLinkName = &n->link;
	n->link.Length = len * sizeof(WCHAR);
	n->link.MaximumLength = (len + 1) * sizeof(WCHAR);
	n->link.Buffer = n->buf;
}

/*
 * Claim @reg for one callback. True once the caller may proceed: *@live
 * says whether it owns the callback or the registration is gone.
 *
 * Lockless, since it runs once per callback: the cmpxchg that takes
 * cb_task and the barrier after ntc_reg_unlink() sets dead order the two
 * sides, so either an unregister sees this thread in cb_task and waits for
 * it, or this thread sees dead and does not call.
 */
static bool ntc_reg_claim(struct ntc_reg *reg, bool *live)
{
	if (cmpxchg(&reg->cb_task, NULL, current))
		return false;		/* running on another thread: wait */
	*live = !READ_ONCE(reg->dead);
	if (!*live)
		ntc_deliver_release(reg);
	return true;
}

/**
 * ntc_deliver_release() - end a claim on a registration
 * @reg: a registration the caller claimed
 *
 * Wakes IoUnregisterPlugPlayNotificationEx() callers waiting for it.
 */
void ntc_deliver_release(struct ntc_reg *reg)
{
	/*
	 * Release: whoever sees cb_task clear (an Ex unregister, the next
	 * claim) sees everything the callback did before it.
	 */
	smp_store_release(&reg->cb_task, NULL);
	/* wake_up_var() looks for waiters: order the store before that. */
	smp_mb();
	wake_up_var(reg);
}

/*
 * The dispatcher's notification for the current event, and the copy each
 * callback gets, so that a driver writing to it cannot change what the next
 * driver sees. Only the ordered workqueue's one work item touches them: they
 * are static rather than on the stack because the kernel zero-fills stack
 * arrays (INIT_STACK_ALL_ZERO), which cost more than the callback itself.
 */
static struct ntc_notification ntc_tmpl, ntc_copy;

/*
 * @latency is the event's, from its queueing to the start of its fan-out:
 * the clock is read once per event, not per callback. In the benchmark's
 * guest, whose clocksource is an emulated HPET, a clock read per callback
 * (even local_clock()) cost more than all the rest of a callback's
 * overhead. Only while the ntc_callback tracepoint is on is each callback
 * timed, for its own latency and duration.
 *
 * The counters are plain: the dispatcher alone writes the global ones, and
 * the claim on @reg makes it the only writer of @reg's.
 */
static void ntc_notify(struct ntc_reg *reg, const struct ntc_event *ev,
		       u64 latency)
{
	bool timed = trace_ntc_callback_enabled();
	NTSTATUS status;
	u64 start = 0;

	memcpy(&ntc_copy, &ntc_tmpl, offsetof(struct ntc_notification, buf) +
	       ntc_tmpl.link.MaximumLength);
	ntc_copy.hdr.SymbolicLinkName = &ntc_copy.link;
	ntc_copy.link.Buffer = ntc_copy.buf;
	if (timed)
		start = ktime_get_ns();
	status = reg->callback(&ntc_copy.hdr, reg->context);
	ntc_stat_inc(reg->delivered);
	WRITE_ONCE(reg->last_latency_ns, latency);
	ntc_stat_inc(ntc_stats.callbacks);
	if (timed)
		trace_ntc_callback(reg, ev, false, start - ev->queued_ns,
				   ktime_get_ns() - start, status);
}

/**
 * ntc_deliver_call() - call a claimed registration's callback for one event
 * @reg: the registration, claimed by the caller, who is in an ntc_srcu read
 *	section
 * @ev: the event
 *
 * The driver's return value is ignored, as Windows ignores it for arrival
 * and removal.
 *
 * Context: process context, may sleep.
 */
void ntc_deliver_call(struct ntc_reg *reg, const struct ntc_event *ev)
{
	struct ntc_notification n;
	bool timed = trace_ntc_callback_enabled();
	NTSTATUS status;
	u64 start = 0;

	ntc_notification_build(&n, ev);
	if (timed)
		start = ktime_get_ns();
	status = reg->callback(&n.hdr, reg->context);
	ntc_stat_inc(reg->delivered);
	atomic_long_inc(&ntc_stats.replayed);
	if (timed)
		trace_ntc_callback(reg, ev, true, 0, ktime_get_ns() - start,
				   status);
}

/*
 * Deliver to @reg: wait while its callback runs on another thread (an
 * INCLUDE_EXISTING replay), and skip it if it has been unregistered.
 */
static void ntc_deliver(struct ntc_reg *reg, const struct ntc_event *ev,
			u64 latency)
{
	bool live;

	if (WARN_ON_ONCE(reg->magic != NTC_REG_MAGIC))
		return;
	wait_var_event(reg, ntc_reg_claim(reg, &live));
	if (!live)
		return;
	ntc_notify(reg, ev, latency);
	ntc_deliver_release(reg);
}

static void ntc_dispatch_event(const struct ntc_event *ev)
{
	struct ntc_reg *reg;
	u64 latency;
	int idx;

	if (ev->action == NTC_REMOVAL && !READ_ONCE(ntc_removal_events)) {
		ntc_stat_inc(ntc_stats.suppressed);
		return;
	}
	latency = ktime_get_ns() - ev->queued_ns;
	if (latency > ntc_stats.max_latency_ns)
		WRITE_ONCE(ntc_stats.max_latency_ns, latency);
	ntc_notification_build(&ntc_tmpl, ev);
	idx = srcu_read_lock(&ntc_srcu);
	list_for_each_entry_srcu(reg, &ntc_class_regs[ev->class], class_node,
				 srcu_read_lock_held(&ntc_srcu)) {
		if (ev->seq >= reg->first_seq)
			ntc_deliver(reg, ev, latency);
	}
	srcu_read_unlock(&ntc_srcu, idx);
}

static void ntc_dispatch_work(struct work_struct *work)
{
	struct ntc_event *ev, copy;

	while ((ev = ntc_event_next())) {
		/*
		 * Give the event back before waiting for the hotplug
		 * operation: should that operation be waiting for the pool's
		 * reserve, this is what lets it finish.
		 */
		copy = *ev;
		ntc_event_free(ev);
		ntc_stat_inc(ntc_stats.dispatched);
		if (copy.class == NTC_CLASS_PROCESSOR) {
			cpus_read_lock();
			cpus_read_unlock();
		}
		ntc_dispatch_event(&copy);
		cond_resched();
	}
}

static DECLARE_WORK(ntc_dispatch, ntc_dispatch_work);

/* Context: any process context; called when an event is posted. */
void ntc_dispatch_kick(void)
{
	queue_work(ntc_wq, &ntc_dispatch);
}

/* Wait until every event posted so far has been delivered. */
void ntc_dispatch_flush(void)
{
	flush_work(&ntc_dispatch);
}
NTC_EXPORT_FOR_KUNIT(ntc_dispatch_flush);

int ntc_dispatch_init(void)
{
	ntc_wq = alloc_ordered_workqueue("ntcompat", 0);
	return ntc_wq ? 0 : -ENOMEM;
}

/* Context: every event source is unhooked. */
void ntc_dispatch_uninit(void)
{
	destroy_workqueue(ntc_wq);
}
