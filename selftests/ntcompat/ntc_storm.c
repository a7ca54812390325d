// SPDX-License-Identifier: GPL-2.0
/*
 * ntc_storm - registrations churning while CPUs and memory come and go.
 *
 * The storm selftest cycles CPUs and memory while this driver's threads
 * register and unregister callbacks of both notification APIs as fast as
 * they can: IoRegisterPlugPlayNotification for processors and memory (half
 * of them unregistered with the Ex variant) and
 * KeRegisterProcessorChangeCallback (half of them with ADD_EXISTING). Some
 * processor-change Starts veto the bring-up. Afterwards it decides, for
 * each registration, whether it was sent exactly the events that happened
 * while it was registered, in order, once, and nothing after its Ex
 * unregister or its Deregister returned.
 *
 * What happened is known from a reference registration per class, made
 * before the storm and kept through it. It is first on ntcompat's list, so
 * it is called first for every event, and the number of events it has seen
 * names the event any later callback is being sent: the dispatcher sends one
 * event to every registration before the next. Whether an event was posted
 * before or after a Register call is bounded by two counters per class:
 * "started" is raised before a hotplug operation that may post an event and
 * "done" once that event has surely been posted. The test script brackets
 * its CPU operations with "op start" and "op done"; memory is counted by
 * this driver's own memory notifier, which runs after ntcompat's.
 *
 * Processor-change callbacks are made inside the hotplug operation, every
 * registration in turn under ntcompat's lock, which Register and Deregister
 * take too: the reference's count read before Register and after it
 * returned bound the first event exactly, and every event the reference
 * had counted before Deregister was called has reached the registration.
 * Register also holds the CPU hotplug lock, so an ADD_EXISTING replay sees
 * a stable set of online CPUs and is checked against it as it runs. A
 * veto is asked for by the reference's Start (for the CPUs the script
 * names, at random) and done by the first vetoing registration after it;
 * the script claims each vetoed bring-up when its online fails.
 *
 * In /sys/kernel/debug/ntc_storm (root only):
 *	ctl	"start THREADS", "op start", "op done", "op vetoed", "veto
 *		CPU", "claim", "stop", "settled", "finish"; a write fails with
 *		EAGAIN for "settled" until every event posted has reached
 *		every registration, and with ENOENT for "claim" if no vetoed
 *		bring-up is left unclaimed
 *	report	after "finish": whether it had settled, the figures and the
 *		violations found, one "name=value" per line
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/memory.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include <wdm.h>
#include <wdmguid.h>
#include <poclass.h>

#include "ntc_ctl.h"

#define NTC_STORM_THREADS	8
#define NTC_STORM_EVENTS	65536	/* per class, in the reference's log */
#define NTC_STORM_MAX_REGS	200000
#define NTC_STORM_LONG		32	/* registrations kept to the end */
#define NTC_STORM_LIFE_US	2000	/* longest life of the others */
#define NTC_STORM_CALL_US	500	/* longest processor-change call */

/* One event as the reference saw it. */
struct ntc_storm_event {
	u64 key;		/* CPU number, or start address of the range */
	bool removal;
	KE_PROCESSOR_CHANGE_NOTIFY_STATE state;	/* processor change */
	NTSTATUS status;	/* processor change: the Failure's Status */
};

struct ntc_storm_class {
	const char *name;
	const GUID *guid;	/* NULL: processor change */
	PVOID ref_entry;
	PVOID sentinel_entry;
	struct ntc_storm_event *log;
	unsigned int count;	/* events the reference has seen */
	unsigned int sentinel_last;
	bool sentinel_got;
	struct xarray state;	/* key -> last event seen for it, + 1 */
	unsigned int unordered;	/* a key's event repeated its previous one */
	unsigned int unparsed;
	atomic_t started;
	atomic_t done;
};

#define NTC_STORM_PCC	2	/* the processor-change class's index */

/* What the processor-change reference saw; written in its callbacks only. */
static struct {
	unsigned int calls[3];		/* per state */
	unsigned int unordered;		/* not Start then its end, same CPU */
	unsigned int bad_failure;	/* a Failure not from a veto */
	unsigned int vetoed;		/* bring-ups a registration vetoed */
	bool want_veto;			/* this Start: the next vetoer vetoes */
} ntc_storm_pcc;
static cpumask_t ntc_storm_veto_cpus;	/* the CPUs vetoes may hit */
static atomic_t ntc_storm_claimed = ATOMIC_INIT(0);
static atomic_t ntc_storm_vetoes = ATOMIC_INIT(0);	/* by registrations */

struct ntc_storm_reg {
	struct list_head node;
	struct ntc_storm_class *cls;
	PVOID entry;
	bool ex;		/* Ex unregister; processor change: ADD_EXISTING */
	bool long_lived;
	bool vetoer;		/* processor change: vetoes when asked */
	struct task_struct *registrar;	/* the thread in its Register */
	bool returned;		/* its Unregister call has returned */
	NTSTATUS unreg_status;
	unsigned int done_before;	/* cls->done before Register */
	unsigned int started_after;	/* cls->started after Register */
	unsigned int ref_at_unreg;	/* cls->count before Unregister */
	unsigned int ref_after_unreg;	/* and after it returned */
	/* Written by its callbacks only. */
	unsigned int received;
	unsigned int first;
	unsigned int last;
	unsigned int gaps;
	unsigned int mismatched;
	unsigned int late;
	/* Its ADD_EXISTING replay: the last call, and whether it went wrong. */
	int existing_cpu;
	KE_PROCESSOR_CHANGE_NOTIFY_STATE existing_state;
	unsigned int existing_calls;
	bool existing_done;
	bool existing_bad;
};

static struct ntc_storm_class ntc_storm_classes[] = {
	{ .name = "proc", .guid = &GUID_DEVICE_PROCESSOR },
	{ .name = "mem", .guid = &GUID_DEVICE_MEMORY },
	[NTC_STORM_PCC] = { .name = "pcc" },
};

static PDRIVER_OBJECT ntc_storm_driver;
static struct dentry *ntc_storm_dir;
static DEFINE_MUTEX(ntc_storm_lock);	/* commands, the threads, the report */
static DEFINE_SPINLOCK(ntc_storm_list_lock);	/* what the threads add to */
static LIST_HEAD(ntc_storm_regs);
static struct task_struct *ntc_storm_threads[NTC_STORM_THREADS];
static unsigned int ntc_storm_nthreads;
static unsigned int ntc_storm_nregs;
static unsigned int ntc_storm_nlong;
static unsigned int ntc_storm_nlong_pcc;
static atomic_t ntc_storm_refused = ATOMIC_INIT(0);
static atomic_t ntc_storm_inflight = ATOMIC_INIT(0);
static bool ntc_storm_running;
/*
 * Clock time, as the script's /proc/uptime: under a busy TCG host the
 * guest loses ticks, and jiffies were seen at 344 s of a 600 s soak.
 */
static u64 ntc_storm_began;
static char *ntc_storm_report;
static size_t ntc_storm_report_len;

/* The CPU or memory range a notification names, and which way it went. */
static bool ntc_storm_parse(const DEVICE_INTERFACE_CHANGE_NOTIFICATION *n,
			    struct ntc_storm_event *ev)
{
	unsigned long long start, len;
	char link[96];
	unsigned int i, cpu;

	if (!n->SymbolicLinkName)
		return false;
	for (i = 0; i < sizeof(link) - 1 &&
	     i < n->SymbolicLinkName->Length / sizeof(WCHAR); i++)
		link[i] = (char)n->SymbolicLinkName->Buffer[i];
	link[i] = '\0';

	ev->removal = IsEqualGUID(&n->Event, &GUID_DEVICE_INTERFACE_REMOVAL);
	if (!ev->removal && !IsEqualGUID(&n->Event, &GUID_DEVICE_INTERFACE_ARRIVAL))
		return false;
	if (sscanf(link, "\\??\\ACPI#ACPI0007#%u#", &cpu) == 1) {
		ev->key = cpu;
		return true;
	}
	if (sscanf(link, "\\??\\ACPI#PNP0C80#%llx+%llx#", &start, &len) == 2) {
		ev->key = start;
		return true;
	}
	return false;
}

static NTSTATUS ntc_storm_ref_callback(PVOID NotificationStructure, PVOID Context)
{
	struct ntc_storm_class *c = Context;
	struct ntc_storm_event ev;
	unsigned long index;
	void *prev;

	if (!ntc_storm_parse(NotificationStructure, &ev)) {
		c->unparsed++;
		ev.key = U64_MAX;
		ev.removal = false;
	} else {
		/* Memory is keyed by page frame, to fit an xarray index. */
		index = c->guid == &GUID_DEVICE_MEMORY ? PHYS_PFN(ev.key) : ev.key;
		prev = xa_store(&c->state, index, xa_mk_value(ev.removal + 1),
				GFP_KERNEL);
		if (xa_is_value(prev) && xa_to_value(prev) == ev.removal + 1)
			c->unordered++;
	}
	if (c->count < NTC_STORM_EVENTS)
		c->log[c->count] = ev;
	/* Later callbacks for this event read it, on this same thread. */
	WRITE_ONCE(c->count, c->count + 1);
	return STATUS_SUCCESS;
}

/*
 * The processor-change reference, called first in every walk. A walk's
 * hotplug operation holds the hotplug lock from Start to Complete or
 * Failure, so the two are neighbours in its log.
 */
static VOID ntc_storm_pcc_ref_callback(PVOID Context,
				       PKE_PROCESSOR_CHANGE_NOTIFY_CONTEXT Change,
				       PNTSTATUS OperationStatus)
{
	struct ntc_storm_class *c = Context;
	struct ntc_storm_event ev = {
		.key = Change->NtNumber,
		.state = Change->State,
		.status = Change->Status,
	};
	const struct ntc_storm_event *prev = c->count && c->count <= NTC_STORM_EVENTS ?
		&c->log[c->count - 1] : NULL;
	bool starts = ev.state == KeProcessorAddStartNotify;

	if (ev.state > KeProcessorAddFailureNotify) {
		c->unparsed++;
		ev.state = KeProcessorAddFailureNotify;
	}
	ntc_storm_pcc.calls[ev.state]++;
	if (prev && (prev->state == KeProcessorAddStartNotify) == starts)
		ntc_storm_pcc.unordered++;
	if (prev && !starts && prev->key != ev.key)
		ntc_storm_pcc.unordered++;
	if (!prev && !starts)
		ntc_storm_pcc.unordered++;
	if (ev.state == KeProcessorAddFailureNotify) {
		if (ev.status == STATUS_INSUFFICIENT_RESOURCES)
			ntc_storm_pcc.vetoed++;
		else
			ntc_storm_pcc.bad_failure++;
	}
	/* About one bring-up in eight of the CPUs named is vetoed. */
	ntc_storm_pcc.want_veto = starts && ev.key < nr_cpu_ids &&
		cpumask_test_cpu(ev.key, &ntc_storm_veto_cpus) &&
		get_random_u32() % 8 == 0;
	if (c->count < NTC_STORM_EVENTS)
		c->log[c->count] = ev;
	WRITE_ONCE(c->count, c->count + 1);
}

static NTSTATUS ntc_storm_sentinel_callback(PVOID NotificationStructure, PVOID Context)
{
	struct ntc_storm_class *c = Context;

	WRITE_ONCE(c->sentinel_last, READ_ONCE(c->count) - 1);
	WRITE_ONCE(c->sentinel_got, true);
	return STATUS_SUCCESS;
}

/* @r got the reference's event @idx: one more, and after the one before? */
static void ntc_storm_seen(struct ntc_storm_reg *r, unsigned int idx)
{
	if (r->received && idx != r->last + 1)
		r->gaps++;
	if (!r->received)
		r->first = idx;
	r->last = idx;
	r->received++;
}

static NTSTATUS ntc_storm_callback(PVOID NotificationStructure, PVOID Context)
{
	struct ntc_storm_reg *r = Context;
	struct ntc_storm_class *c = r->cls;
	unsigned int count = READ_ONCE(c->count);
	unsigned int idx = count - 1;
	struct ntc_storm_event ev;

	atomic_inc(&ntc_storm_inflight);
	/* Pairs with ntc_storm_unregister(): set once Unregister returned. */
	if (smp_load_acquire(&r->returned))
		r->late++;
	if (!count || !ntc_storm_parse(NotificationStructure, &ev) ||
	    (idx < NTC_STORM_EVENTS &&
	     (ev.key != c->log[idx].key || ev.removal != c->log[idx].removal)))
		r->mismatched++;
	ntc_storm_seen(r, idx);
	atomic_dec(&ntc_storm_inflight);
	return STATUS_SUCCESS;
}

/*
 * An ADD_EXISTING replay, made on the registering thread while Register
 * holds the hotplug lock: Start for each online CPU in order, then
 * Complete for each.
 */
static void ntc_storm_existing(struct ntc_storm_reg *r,
			       const KE_PROCESSOR_CHANGE_NOTIFY_CONTEXT *change)
{
	unsigned int next;

	r->existing_calls++;
	if (r->existing_done) {
		r->existing_bad = true;
		return;
	}
	next = cpumask_next(r->existing_cpu, cpu_online_mask);
	if (next >= nr_cpu_ids && r->existing_state == KeProcessorAddStartNotify) {
		r->existing_state = KeProcessorAddCompleteNotify;
		next = cpumask_first(cpu_online_mask);
	}
	if (change->State != r->existing_state || change->NtNumber != next ||
	    change->Status != STATUS_SUCCESS) {
		r->existing_bad = true;
		return;
	}
	r->existing_cpu = next;
	if (next == cpumask_last(cpu_online_mask) &&
	    r->existing_state == KeProcessorAddCompleteNotify)
		r->existing_done = true;
}

static VOID ntc_storm_pcc_callback(PVOID Context,
				   PKE_PROCESSOR_CHANGE_NOTIFY_CONTEXT Change,
				   PNTSTATUS OperationStatus)
{
	struct ntc_storm_reg *r = Context;
	struct ntc_storm_class *c = r->cls;
	unsigned int count = READ_ONCE(c->count);
	unsigned int idx = count - 1;
	const struct ntc_storm_event *ev = idx < NTC_STORM_EVENTS ? &c->log[idx] : NULL;

	if (current == READ_ONCE(r->registrar)) {
		ntc_storm_existing(r, Change);
		return;
	}
	atomic_inc(&ntc_storm_inflight);
	/* Pairs with ntc_storm_unregister(): set once Deregister returned. */
	if (smp_load_acquire(&r->returned))
		r->late++;
	if (!count || (ev &&
		       (ev->key != Change->NtNumber || ev->state != Change->State ||
			ev->status != Change->Status)))
		r->mismatched++;
	ntc_storm_seen(r, idx);
	/*
	 * Calls that take as long as a life lasts: many a Deregister comes
	 * while its registration's call runs, and must wait for it.
	 */
	fsleep(get_random_u32() % NTC_STORM_CALL_US);
	/* As above: a Deregister that returned during the call is late. */
	if (smp_load_acquire(&r->returned))
		r->late++;
	/* As Windows asks: only a status that is still success is replaced. */
	if (Change->State == KeProcessorAddStartNotify && READ_ONCE(r->vetoer) &&
	    ntc_storm_pcc.want_veto && NT_SUCCESS(*OperationStatus)) {
		*OperationStatus = STATUS_INSUFFICIENT_RESOURCES;
		ntc_storm_pcc.want_veto = false;
		atomic_inc(&ntc_storm_vetoes);
	}
	atomic_dec(&ntc_storm_inflight);
}

static NTSTATUS ntc_storm_register(struct ntc_storm_reg *r)
{
	if (r->cls->guid)
		return IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange,
						      0, r->cls->guid, ntc_storm_driver,
						      ntc_storm_callback, r, &r->entry);
	r->existing_cpu = -1;
	r->existing_state = KeProcessorAddStartNotify;
	WRITE_ONCE(r->registrar, current);
	r->entry = KeRegisterProcessorChangeCallback(ntc_storm_pcc_callback, r,
						     r->ex ? KE_PROCESSOR_CHANGE_ADD_EXISTING : 0);
	WRITE_ONCE(r->registrar, NULL);
	/* A replay that ended early, or came without the flag. */
	if (r->ex != r->existing_done || (!r->ex && r->existing_calls))
		r->existing_bad = true;
	return r->entry ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
}

static void ntc_storm_unregister(struct ntc_storm_reg *r)
{
	r->ref_at_unreg = READ_ONCE(r->cls->count);
	if (!r->cls->guid) {
		KeDeregisterProcessorChangeCallback(r->entry);
		r->unreg_status = STATUS_SUCCESS;
	} else {
		r->unreg_status = r->ex ? IoUnregisterPlugPlayNotificationEx(r->entry) :
			IoUnregisterPlugPlayNotification(r->entry);
	}
	r->ref_after_unreg = READ_ONCE(r->cls->count);
	/* Pairs with the callback's acquire: a later callback is late. */
	smp_store_release(&r->returned, true);
}

static int ntc_storm_thread(void *arg)
{
	while (!kthread_should_stop()) {
		u32 rnd = get_random_u32();
		struct ntc_storm_class *c =
			&ntc_storm_classes[(rnd & 0xff) % ARRAY_SIZE(ntc_storm_classes)];
		struct ntc_storm_reg *r;
		NTSTATUS status;

		if (READ_ONCE(ntc_storm_nregs) >= NTC_STORM_MAX_REGS) {
			msleep(20);
			continue;
		}
		r = kzalloc(sizeof(*r), GFP_KERNEL);
		if (!r) {
			msleep(20);
			continue;
		}
		r->cls = c;
		r->ex = rnd & 0x100;
		r->vetoer = rnd & 0x200;
		/*
		 * Processor-change callbacks are made under the lock Register
		 * takes: the reference's own count bounds them exactly.
		 */
		r->done_before = c->guid ? atomic_read(&c->done) : READ_ONCE(c->count);
		status = ntc_storm_register(r);
		r->started_after = c->guid ? atomic_read(&c->started) : READ_ONCE(c->count);
		if (!NT_SUCCESS(status)) {
			atomic_inc(&ntc_storm_refused);
			kfree(r);
			continue;
		}

		spin_lock(&ntc_storm_list_lock);
		list_add_tail(&r->node, &ntc_storm_regs);
		WRITE_ONCE(ntc_storm_nregs, ntc_storm_nregs + 1);
		if (((rnd >> 10) & 63) == 0 && ntc_storm_nlong < NTC_STORM_LONG) {
			r->long_lived = true;
			ntc_storm_nlong++;
			/* Every other one held to the end vetoes: some always can. */
			if (!c->guid)
				WRITE_ONCE(r->vetoer, !(ntc_storm_nlong_pcc++ & 1));
		}
		spin_unlock(&ntc_storm_list_lock);
		if (r->long_lived)
			continue;

		fsleep((rnd >> 16) % NTC_STORM_LIFE_US);
		ntc_storm_unregister(r);
	}
	return 0;
}

static void ntc_storm_stop_threads(void)
{
	unsigned int i;

	for (i = 0; i < ntc_storm_nthreads; i++)
		kthread_stop(ntc_storm_threads[i]);
	ntc_storm_nthreads = 0;
}

static int ntc_storm_mem_notify(struct notifier_block *nb, unsigned long action,
				void *data)
{
	struct ntc_storm_class *c = &ntc_storm_classes[1];

	if (action == MEM_GOING_ONLINE || action == MEM_GOING_OFFLINE)
		atomic_inc(&c->started);
	else if (action == MEM_ONLINE || action == MEM_OFFLINE)
		atomic_inc(&c->done);
	return NOTIFY_OK;
}

/* After ntcompat's (priority 0): "done" follows its posting. */
static struct notifier_block ntc_storm_mem_nb = {
	.notifier_call = ntc_storm_mem_notify,
	.priority = -1,
};

static int ntc_storm_start(unsigned int nthreads)
{
	struct ntc_storm_class *c;
	NTSTATUS status;
	unsigned int i;

	if (ntc_storm_running || ntc_storm_report || !nthreads ||
	    nthreads > NTC_STORM_THREADS)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(ntc_storm_classes); i++) {
		c = &ntc_storm_classes[i];
		if (!c->guid) {
			c->ref_entry = KeRegisterProcessorChangeCallback(ntc_storm_pcc_ref_callback,
									 c, 0);
			if (!c->ref_entry)
				return -EIO;
			continue;
		}
		status = IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange,
							0, c->guid, ntc_storm_driver,
							ntc_storm_ref_callback, c,
							&c->ref_entry);
		if (!NT_SUCCESS(status))
			return -EIO;
	}
	ntc_storm_began = ktime_get_ns();
	ntc_storm_running = true;
	for (i = 0; i < nthreads; i++) {
		struct task_struct *t = kthread_run(ntc_storm_thread, NULL,
						    "ntc_storm/%u", i);

		if (IS_ERR(t))
			return PTR_ERR(t);
		ntc_storm_threads[ntc_storm_nthreads++] = t;
	}
	return 0;
}

/* The threads stop; a sentinel goes last on each list for "settled". */
static int ntc_storm_stop(void)
{
	struct ntc_storm_class *c;
	unsigned int i;

	if (!ntc_storm_running || ntc_storm_classes[0].sentinel_entry)
		return -EINVAL;
	ntc_storm_stop_threads();
	/* Processor-change calls are over when the operation returns. */
	for (i = 0; i < NTC_STORM_PCC; i++) {
		c = &ntc_storm_classes[i];
		if (!NT_SUCCESS(IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange,
							       0, c->guid, ntc_storm_driver,
							       ntc_storm_sentinel_callback,
							       c, &c->sentinel_entry)))
			return -EIO;
	}
	return 0;
}

/*
 * Every event surely posted has reached the reference, and the last one
 * has reached the sentinel, which comes after every other registration.
 */
static bool ntc_storm_settled(void)
{
	unsigned int i;

	for (i = 0; i < NTC_STORM_PCC; i++) {
		struct ntc_storm_class *c = &ntc_storm_classes[i];
		unsigned int count = READ_ONCE(c->count);

		if (!c->sentinel_entry || count != atomic_read(&c->done) ||
		    (count && (!READ_ONCE(c->sentinel_got) ||
			       READ_ONCE(c->sentinel_last) != count - 1)))
			return false;
	}
	return true;
}

/*
 * A legacy unregister does not wait for the callback in flight, and the
 * dispatcher may have just claimed one: let it leave its record before the
 * record is freed.
 */
static void ntc_storm_wait_inflight(void)
{
	do {
		msleep(20);
	} while (atomic_read(&ntc_storm_inflight));
}

struct ntc_storm_verdict {
	unsigned int regs, ex, legacy, long_lived, callbacks;
	unsigned int early;		/* got an event posted before Register */
	unsigned int missed_head;	/* skipped events after Register */
	unsigned int missed_tail;	/* skipped events before Unregister */
	unsigned int missed_all;	/* got nothing, but should have */
	unsigned int beyond;		/* got an event past its Unregister */
	unsigned int gaps, mismatched, late_ex, late_legacy, unreg_failed;
	unsigned int pcc, pcc_existing, pcc_vetoers, existing_bad, late_pcc;
};

static void ntc_storm_judge(struct ntc_storm_reg *r, struct ntc_storm_verdict *v)
{
	bool pcc = !r->cls->guid;
	unsigned int until = r->ref_at_unreg;
	/*
	 * The last event surely delivered before Unregister was called:
	 * until - 2 for PnP, whose dispatcher may be on until - 1 still;
	 * for processor change, whose Deregister waits for the walk,
	 * until - 1.
	 */
	unsigned int slack = pcc ? 1 : 2;

	v->regs++;
	v->callbacks += r->received + r->existing_calls;
	if (pcc) {
		v->pcc++;
		v->pcc_existing += r->ex;
		v->pcc_vetoers += r->vetoer;
		v->existing_bad += r->existing_bad;
	} else if (r->ex) {
		v->ex++;
	} else {
		v->legacy++;
	}
	/*
	 * Held to the end: everything up to the last event, which the
	 * sentinel after it has seen.
	 */
	if (r->long_lived) {
		v->long_lived++;
		if (!pcc)
			until = r->ref_after_unreg + 1;
	}
	/*
	 * Events from started_after on were posted after Register returned;
	 * events up to until - slack had reached every registration before
	 * Unregister was called.
	 */
	if (r->received) {
		if (r->first < r->done_before)
			v->early++;
		if (r->first > r->started_after)
			v->missed_head++;
		if (until >= slack && r->last < until - slack &&
		    until - slack >= r->started_after)
			v->missed_tail++;
		if (r->last >= r->ref_after_unreg)
			v->beyond++;
	} else if (until >= r->started_after + slack) {
		v->missed_all++;
	}
	if (r->gaps)
		v->gaps++;
	if (r->mismatched)
		v->mismatched++;
	/* Legacy unregister may return with one callback still running. */
	if (pcc) {
		if (r->late)
			v->late_pcc++;
	} else if (r->ex ? r->late : r->late > 1) {
		if (r->ex)
			v->late_ex++;
		else
			v->late_legacy++;
	}
	if (!NT_SUCCESS(r->unreg_status))
		v->unreg_failed++;
}

static int ntc_storm_finish(void)
{
	struct ntc_storm_verdict v = {};
	struct ntc_storm_reg *r, *tmp;
	unsigned int i, len = 0, size = 4096;
	bool settled;
	char *buf;

	if (!ntc_storm_running || !ntc_storm_classes[0].sentinel_entry)
		return -EINVAL;
	buf = kvzalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	/* Judged even if it never settled, to show what went wrong. */
	settled = ntc_storm_settled();
	list_for_each_entry(r, &ntc_storm_regs, node)
		if (r->long_lived)
			ntc_storm_unregister(r);
	ntc_storm_wait_inflight();
	list_for_each_entry_safe(r, tmp, &ntc_storm_regs, node) {
		ntc_storm_judge(r, &v);
		list_del(&r->node);
		kfree(r);
	}
	len += scnprintf(buf + len, size - len, "settled=%d\n", settled);
	len += scnprintf(buf + len, size - len,
			 "seconds=%u\nregistrations=%u\nex=%u\nlegacy=%u\nlong_lived=%u\ncallbacks=%u\nrefused=%d\n",
			 (unsigned int)div_u64(ktime_get_ns() - ntc_storm_began, NSEC_PER_SEC),
			 v.regs, v.ex, v.legacy, v.long_lived, v.callbacks,
			 atomic_read(&ntc_storm_refused));
	len += scnprintf(buf + len, size - len,
			 "early=%u\nmissed_head=%u\nmissed_tail=%u\nmissed_all=%u\nbeyond=%u\ngaps=%u\nmismatched=%u\nlate_ex=%u\nlate_legacy=%u\nunreg_failed=%u\n",
			 v.early, v.missed_head, v.missed_tail, v.missed_all,
			 v.beyond, v.gaps, v.mismatched, v.late_ex,
			 v.late_legacy, v.unreg_failed);
	len += scnprintf(buf + len, size - len,
			 "pcc=%u\npcc_existing=%u\npcc_vetoers=%u\nexisting_bad=%u\nlate_pcc=%u\n",
			 v.pcc, v.pcc_existing, v.pcc_vetoers, v.existing_bad, v.late_pcc);
	len += scnprintf(buf + len, size - len,
			 "pcc_starts=%u\npcc_completes=%u\npcc_failures=%u\npcc_order_bad=%u\npcc_failures_unvetoed=%u\npcc_vetoed=%u\nvetoes=%d\nclaimed=%d\n",
			 ntc_storm_pcc.calls[KeProcessorAddStartNotify],
			 ntc_storm_pcc.calls[KeProcessorAddCompleteNotify],
			 ntc_storm_pcc.calls[KeProcessorAddFailureNotify],
			 ntc_storm_pcc.unordered, ntc_storm_pcc.bad_failure,
			 ntc_storm_pcc.vetoed, atomic_read(&ntc_storm_vetoes),
			 atomic_read(&ntc_storm_claimed));
	for (i = 0; i < ARRAY_SIZE(ntc_storm_classes); i++) {
		struct ntc_storm_class *c = &ntc_storm_classes[i];

		len += scnprintf(buf + len, size - len,
				 "%s_events=%u\n%s_cancelled=%d\n%s_unordered=%u\n%s_unparsed=%u\n%s_overflow=%d\n",
				 c->name, c->count, c->name,
				 atomic_read(&c->started) - atomic_read(&c->done),
				 c->name, c->unordered, c->name, c->unparsed,
				 c->name, c->count > NTC_STORM_EVENTS);
	}
	ntc_storm_report = buf;
	ntc_storm_report_len = len;
	ntc_storm_running = false;
	return 0;
}

static int ntc_storm_parse_command(const char *cmd)
{
	unsigned int n;

	if (sscanf(cmd, "start %u", &n) == 1)
		return ntc_storm_start(n);
	/* CPU operations, bracketed by the script. */
	if (sysfs_streq(cmd, "op start")) {
		atomic_inc(&ntc_storm_classes[0].started);
		return 0;
	}
	if (sysfs_streq(cmd, "op done")) {
		atomic_inc(&ntc_storm_classes[0].done);
		return 0;
	}
	/* The online was vetoed: it posted no event, none is to come. */
	if (sysfs_streq(cmd, "op vetoed")) {
		atomic_dec(&ntc_storm_classes[0].started);
		return 0;
	}
	if (sscanf(cmd, "veto %u", &n) == 1) {
		if (n >= nr_cpu_ids)
			return -EINVAL;
		cpumask_set_cpu(n, &ntc_storm_veto_cpus);
		return 0;
	}
	/* An online failed: a bring-up vetoed and not yet claimed explains it. */
	if (sysfs_streq(cmd, "claim")) {
		if (atomic_read(&ntc_storm_claimed) >= READ_ONCE(ntc_storm_pcc.vetoed))
			return -ENOENT;
		atomic_inc(&ntc_storm_claimed);
		return 0;
	}
	if (sysfs_streq(cmd, "stop"))
		return ntc_storm_stop();
	if (sysfs_streq(cmd, "settled"))
		return ntc_storm_settled() ? 0 : -EAGAIN;
	if (sysfs_streq(cmd, "finish"))
		return ntc_storm_finish();
	return -EINVAL;
}

static int ntc_storm_command(const char *cmd)
{
	int ret;

	mutex_lock(&ntc_storm_lock);
	ret = ntc_storm_parse_command(cmd);
	mutex_unlock(&ntc_storm_lock);
	return ret;
}

DEFINE_NTC_CTL(ntc_storm_ctl, ntc_storm_command);

static int ntc_storm_report_show(struct seq_file *m, void *v)
{
	mutex_lock(&ntc_storm_lock);
	if (ntc_storm_report)
		seq_write(m, ntc_storm_report, ntc_storm_report_len);
	mutex_unlock(&ntc_storm_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ntc_storm_report);

DRIVER_INITIALIZE DriverEntry;
DRIVER_UNLOAD DriverUnload;

static void ntc_storm_unregister_class(struct ntc_storm_class *c, PVOID *entry)
{
	if (*entry && c->guid)
		IoUnregisterPlugPlayNotificationEx(*entry);
	else if (*entry)
		KeDeregisterProcessorChangeCallback(*entry);
	*entry = NULL;
}

VOID DriverUnload(PDRIVER_OBJECT DriverObject)
{
	struct ntc_storm_reg *r, *tmp;
	unsigned int i;

	debugfs_remove_recursive(ntc_storm_dir);
	unregister_memory_notifier(&ntc_storm_mem_nb);
	mutex_lock(&ntc_storm_lock);
	ntc_storm_stop_threads();
	/* A storm that was never finished: leave nothing registered. */
	list_for_each_entry(r, &ntc_storm_regs, node) {
		if (!r->returned) {
			r->ex = true;
			ntc_storm_unregister(r);
		}
	}
	for (i = 0; i < ARRAY_SIZE(ntc_storm_classes); i++) {
		struct ntc_storm_class *c = &ntc_storm_classes[i];

		ntc_storm_unregister_class(c, &c->ref_entry);
		ntc_storm_unregister_class(c, &c->sentinel_entry);
	}
	ntc_storm_wait_inflight();
	list_for_each_entry_safe(r, tmp, &ntc_storm_regs, node) {
		list_del(&r->node);
		kfree(r);
	}
	for (i = 0; i < ARRAY_SIZE(ntc_storm_classes); i++) {
		xa_destroy(&ntc_storm_classes[i].state);
		vfree(ntc_storm_classes[i].log);
	}
	kvfree(ntc_storm_report);
	mutex_unlock(&ntc_storm_lock);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ntc_storm_classes); i++) {
		struct ntc_storm_class *c = &ntc_storm_classes[i];

		xa_init(&c->state);
		c->log = vmalloc(array_size(NTC_STORM_EVENTS, sizeof(*c->log)));
		if (!c->log) {
			while (i--)
				vfree(ntc_storm_classes[i].log);
			return STATUS_INSUFFICIENT_RESOURCES;
		}
	}
	if (register_memory_notifier(&ntc_storm_mem_nb)) {
		for (i = 0; i < ARRAY_SIZE(ntc_storm_classes); i++)
			vfree(ntc_storm_classes[i].log);
		return STATUS_UNSUCCESSFUL;
	}
	ntc_storm_driver = DriverObject;
	ntc_storm_dir = debugfs_create_dir("ntc_storm", NULL);
	debugfs_create_file("ctl", 0200, ntc_storm_dir, NULL, &ntc_storm_ctl_fops);
	debugfs_create_file("report", 0400, ntc_storm_dir, NULL, &ntc_storm_report_fops);
	DriverObject->DriverUnload = DriverUnload;
	return STATUS_SUCCESS;
}

NTC_MODULE_DRIVER(DriverEntry);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ntcompat selftest: registrations of both APIs churning through a hotplug storm");
