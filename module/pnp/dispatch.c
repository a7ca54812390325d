// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery: from the queue of posted events to the drivers' callbacks.
 *
 * One ordered work item drains the queue, so every registration sees events
 * in the order they were posted, and no registration's callback runs on two
 * threads at once (the only other caller, an INCLUDE_EXISTING replay, keeps
 * the dispatcher off its registration until it is done). The dispatcher
 * holds no lock of ours while a callback runs, so a callback may register,
 * unregister (itself or others) or sleep. It does run inside an SRCU read
 * section (pnp/registration.c), which is what lets a driver's module exit
 * wait for its last callback; a callback must therefore not itself wait for
 * a ported driver to unload.
 *
 * A processor event is posted from the middle of the CPU's bring-up or
 * tear-down. Before delivering it the dispatcher waits for that hotplug
 * operation to finish (cpus_read_lock() cannot be taken while one is in
 * progress), so that in an ARRIVAL callback the processor is online and
 * schedulable, and after a REMOVAL it is gone from every mask.
 */
#include <linux/cpu.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "ntc.h"

static struct workqueue_struct *ntc_wq;

/*
 * The notification of the event being delivered: only the ordered
 * workqueue's one work item touches it. Static rather than on the stack
 * because the kernel zero-fills stack arrays (INIT_STACK_ALL_ZERO), which
 * would cost more per event than building it.
 */
static struct ntc_notification ntc_current;

/*
 * The latency recorded is the event's, from its queueing to the start of
 * its fan-out: the clock is read once per event, not per callback. In the
 * benchmark's guest, whose clocksource is an emulated HPET, a clock read
 * per callback cost more than all the rest of a callback's overhead. Only
 * while the ntc_callback tracepoint is on is each callback timed.
 */
static void ntc_dispatch_event(const struct ntc_event *ev)
{
	u64 latency;

	if (ev->suppressed) {
		ntc_stat_inc(ntc_stats.suppressed);
		return;
	}
	latency = ktime_get_ns() - ev->queued_ns;
	if (latency > ntc_stats.max_latency_ns)
		WRITE_ONCE(ntc_stats.max_latency_ns, latency);
	WRITE_ONCE(ntc_stats.last_latency_ns[ev->class], latency);
	ntc_notification_build(&ntc_current, ev);
	WRITE_ONCE(ntc_stats.callbacks,
		   ntc_stats.callbacks + ntc_reg_fan_out(ev, &ntc_current));
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

/* Context: any process context; called after an event is posted. */
void ntc_dispatch_kick(void)
{
	queue_work(ntc_wq, &ntc_dispatch);
}
NTC_EXPORT_FOR_KUNIT(ntc_dispatch_kick);

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
