// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred procedure calls.
 *
 * Each CPU has a queue of KDPCs and a tasklet (a HI softirq) that runs
 * them. A DPC for another CPU is put on that CPU's queue and the CPU is
 * kicked with an IPI whose handler schedules the tasklet there, so the DPC
 * runs when the IPI returns, in softirq context: DISPATCH_LEVEL, as on
 * Windows, and with no context switch on the way. (A bound work item would
 * cost a wake-up and a switch to a kworker; an IPI alone would run the
 * routine in hard interrupt context, above DISPATCH_LEVEL, where a
 * KSPIN_LOCK cannot be taken on PREEMPT_RT.) Only an empty queue is kicked,
 * as Windows requests a DPC interrupt only for the first one.
 *
 * PREEMPT_RT forbids raising a softirq from an IPI's function call (the
 * kernel warns when one is, in do_softirq_post_smp_call_flush()), and runs
 * every softirq in a thread anyway: there the kick is a work item bound to
 * the target CPU, which runs the queue with bottom halves off, at
 * DISPATCH_LEVEL as a softirq would.
 *
 * CPU hotplug: ntcompat's one cpuhp state (pnp/cpu.c) calls
 * ntc_dpc_cpu_online() and ntc_dpc_cpu_offline() on the CPU coming or
 * going. Going, the CPU runs what is still queued for it, on itself, and
 * its queue is closed; a DPC queued for a closed queue runs on the queueing
 * CPU instead, and is logged (see KeInsertQueueDpc()'s kernel-doc).
 */
#include <linux/bottom_half.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/smp.h>
#include <linux/workqueue.h>

#include "ntc.h"

struct ntc_dpc_queue {
	raw_spinlock_t lock;
	struct list_head dpcs;
	bool open;			/* the CPU runs DPCs: see above */
	unsigned int cpu;
	struct tasklet_struct tasklet;
	call_single_data_t csd;		/* the kick; in flight while kicked */
	atomic_t kicked;
	struct work_struct work;	/* the kick on PREEMPT_RT */
};

static DEFINE_PER_CPU(struct ntc_dpc_queue, ntc_dpc_queues);

/* KDPC.ntc_target: the target's index + 1, or none. */
#define NTC_DPC_ANY	0

/* Run every DPC on @q, oldest first; in softirq context or BHs off. */
static void ntc_dpc_run_queue(struct ntc_dpc_queue *q)
{
	unsigned long flags;
	PKDEFERRED_ROUTINE routine;
	PVOID ctx, a1, a2;
	PKDPC dpc;

	raw_spin_lock_irqsave(&q->lock, flags);
	while (!list_empty(&q->dpcs)) {
		dpc = list_first_entry(&q->dpcs, KDPC, ntc_node);
		list_del_init(&dpc->ntc_node);
		/*
		 * Everything the routine needs is read before the DPC is
		 * marked dequeued: from then on it may be queued again, or
		 * freed by a driver that saw it run.
		 */
		routine = dpc->DeferredRoutine;
		ctx = dpc->DeferredContext;
		a1 = dpc->SystemArgument1;
		a2 = dpc->SystemArgument2;
		WRITE_ONCE(dpc->DpcData, NULL);
		raw_spin_unlock_irqrestore(&q->lock, flags);
		routine(dpc, ctx, a1, a2);
		raw_spin_lock_irqsave(&q->lock, flags);
	}
	raw_spin_unlock_irqrestore(&q->lock, flags);
}

/*
 * dpc_hold (0600, for ke_dpc.sh): while set, queued DPCs are not run, so
 * that a test can leave one pending on a CPU it takes offline; only that
 * CPU's teardown runs them then. Clearing it kicks every queue.
 */
static bool ntc_dpc_hold;

static void ntc_dpc_kick(struct ntc_dpc_queue *q);

static int ntc_dpc_hold_set(const char *val, const struct kernel_param *kp)
{
	unsigned int cpu;
	int ret;

	ret = param_set_bool(val, kp);
	if (ret || READ_ONCE(ntc_dpc_hold))
		return ret;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct ntc_dpc_queue *q = per_cpu_ptr(&ntc_dpc_queues, cpu);

		local_bh_disable();
		if (!list_empty_careful(&q->dpcs))
			ntc_dpc_kick(q);
		local_bh_enable();
	}
	cpus_read_unlock();
	return 0;
}

static const struct kernel_param_ops ntc_dpc_hold_ops = {
	.set = ntc_dpc_hold_set,
	.get = param_get_bool,
};
module_param_cb(dpc_hold, &ntc_dpc_hold_ops, &ntc_dpc_hold, 0600);
MODULE_PARM_DESC(dpc_hold, "test only: leave queued DPCs queued until cleared or offline");

static void ntc_dpc_tasklet(struct tasklet_struct *t)
{
	struct ntc_dpc_queue *q = from_tasklet(q, t, tasklet);

	atomic_set(&q->kicked, 0);
	if (READ_ONCE(ntc_dpc_hold))
		return;
	/*
	 * A tasklet left pending on a CPU that died is run by another CPU
	 * (takeover_tasklets()); the dead CPU's queue was emptied before it
	 * went, so there is nothing to run on its behalf.
	 */
	ntc_dpc_run_queue(q);
}

/* PREEMPT_RT's kick, on the target CPU. */
static void ntc_dpc_work(struct work_struct *work)
{
	struct ntc_dpc_queue *q = container_of(work, struct ntc_dpc_queue, work);

	if (READ_ONCE(ntc_dpc_hold))
		return;
	local_bh_disable();
	ntc_dpc_run_queue(q);
	local_bh_enable();
}

/* The IPI's handler, on the target CPU: ask for the softirq. */
static void ntc_dpc_kick_fn(void *info)
{
	struct ntc_dpc_queue *q = info;

	tasklet_hi_schedule(&q->tasklet);
}

/*
 * Ask @q's CPU to run its queue. The caller keeps that CPU online: it holds
 * @q's lock, with the queue open, or the hotplug lock.
 */
static void ntc_dpc_kick(struct ntc_dpc_queue *q)
{
	if (q->cpu == raw_smp_processor_id()) {
		tasklet_hi_schedule(&q->tasklet);
		return;
	}
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		queue_work_on(q->cpu, system_highpri_wq, &q->work);
		return;
	}
	/* One IPI in flight at a time: its handler reschedules. */
	if (atomic_xchg(&q->kicked, 1))
		return;
	if (smp_call_function_single_async(q->cpu, &q->csd))
		atomic_set(&q->kicked, 0);	/* gone; the teardown ran it */
}

/*
 * Queue @dpc on @q if it is open. Return 1 if queued (and kicked if it was
 * the first), 0 if the DPC already was queued, -ENODEV if @q is closed.
 */
static int ntc_dpc_enqueue(struct ntc_dpc_queue *q, PKDPC dpc, PVOID a1, PVOID a2)
{
	unsigned long flags;
	bool first;

	raw_spin_lock_irqsave(&q->lock, flags);
	if (!q->open) {
		raw_spin_unlock_irqrestore(&q->lock, flags);
		return -ENODEV;
	}
	/* Atomic against another inserter, which holds another queue's lock. */
	if (cmpxchg(&dpc->DpcData, NULL, (PVOID)q)) {
		raw_spin_unlock_irqrestore(&q->lock, flags);
		return 0;
	}
	dpc->SystemArgument1 = a1;
	dpc->SystemArgument2 = a2;
	first = list_empty(&q->dpcs);
	if (dpc->Importance == HighImportance)
		list_add(&dpc->ntc_node, &q->dpcs);
	else
		list_add_tail(&dpc->ntc_node, &q->dpcs);
	/*
	 * Under the lock, with the queue open: the kick is on its way before
	 * the CPU's teardown can close the queue (which waits for this lock)
	 * and cancel a pending kick.
	 */
	if (first)
		ntc_dpc_kick(q);
	raw_spin_unlock_irqrestore(&q->lock, flags);
	return 1;
}

static bool ntc_dpc_valid(PKDPC dpc)
{
	return dpc && dpc->Type == DpcObject && dpc->DeferredRoutine;
}

VOID KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext)
{
	if (!Dpc) {
		ntc_ke_bad_call("NULL Dpc");
		return;
	}
	memset(Dpc, 0, sizeof(*Dpc));
	INIT_LIST_HEAD(&Dpc->ntc_node);
	if (!DeferredRoutine) {
		ntc_ke_bad_call("NULL DeferredRoutine");
		return;
	}
	Dpc->Type = DpcObject;
	Dpc->Importance = MediumImportance;
	Dpc->ntc_target = NTC_DPC_ANY;
	Dpc->DeferredRoutine = DeferredRoutine;
	Dpc->DeferredContext = DeferredContext;
}
EXPORT_SYMBOL_NS_GPL(KeInitializeDpc, NTC_EXPORT_NS);

VOID KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance)
{
	if (!ntc_dpc_valid(Dpc) || (unsigned int)Importance > MediumHighImportance) {
		ntc_ke_bad_call("%s", !ntc_dpc_valid(Dpc) ? "uninitialized Dpc" :
				"unknown Importance");
		return;
	}
	Dpc->Importance = Importance;
}
EXPORT_SYMBOL_NS_GPL(KeSetImportanceDpc, NTC_EXPORT_NS);

VOID KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number)
{
	unsigned int cpu = (UCHAR)Number;

	if (!ntc_dpc_valid(Dpc) || cpu >= MAXIMUM_PROC_PER_GROUP ||
	    cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
		ntc_ke_bad_call("%s", !ntc_dpc_valid(Dpc) ? "uninitialized Dpc" :
				"no such processor");
		return;
	}
	Dpc->ntc_target = cpu + 1;
	Dpc->Number = cpu;
}
EXPORT_SYMBOL_NS_GPL(KeSetTargetProcessorDpc, NTC_EXPORT_NS);

NTSTATUS KeSetTargetProcessorDpcEx(PKDPC Dpc, PPROCESSOR_NUMBER ProcNumber)
{
	unsigned int cpu;

	if (!ntc_dpc_valid(Dpc) || !ProcNumber) {
		ntc_ke_bad_call("%s", !ProcNumber ? "NULL ProcNumber" : "uninitialized Dpc");
		return ntc_errno_to_status(-EINVAL);
	}
	cpu = ProcNumber->Group * MAXIMUM_PROC_PER_GROUP + ProcNumber->Number;
	if (ProcNumber->Number >= MAXIMUM_PROC_PER_GROUP || ProcNumber->Reserved ||
	    cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return ntc_errno_to_status(-EINVAL);
	Dpc->ntc_target = cpu + 1;
	Dpc->Number = cpu;
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_NS_GPL(KeSetTargetProcessorDpcEx, NTC_EXPORT_NS);

BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2)
{
	unsigned int cpu, here, other;
	unsigned long flags;
	bool bh, redirected;
	int ret;

	if (!ntc_dpc_valid(Dpc)) {
		ntc_ke_bad_call("%s Dpc", Dpc ? "uninitialized" : "NULL");
		return FALSE;
	}
	/*
	 * With bottom halves off, a softirq raised for this CPU runs at
	 * local_bh_enable(), not later in ksoftirqd. Not possible in hard
	 * interrupt context, which runs it on its way out anyway.
	 */
	bh = !in_hardirq() && !irqs_disabled();
	if (bh)
		local_bh_disable();
	/* Not migrating between choosing "here" and queueing on it. */
	local_irq_save(flags);
	here = smp_processor_id();
	cpu = Dpc->ntc_target == NTC_DPC_ANY ? here : Dpc->ntc_target - 1;
	ret = ntc_dpc_enqueue(per_cpu_ptr(&ntc_dpc_queues, cpu), Dpc,
			      SystemArgument1, SystemArgument2);
	/*
	 * A closed queue: its CPU is offline, or this one is on its way out
	 * (a later teardown step, or an interrupt, queueing for it).
	 */
	redirected = ret == -ENODEV;
	if (redirected && cpu != here)
		ret = ntc_dpc_enqueue(per_cpu_ptr(&ntc_dpc_queues, here), Dpc,
				      SystemArgument1, SystemArgument2);
	for_each_cpu(other, cpu_active_mask) {
		if (ret != -ENODEV)
			break;
		ret = ntc_dpc_enqueue(per_cpu_ptr(&ntc_dpc_queues, other), Dpc,
				      SystemArgument1, SystemArgument2);
	}
	local_irq_restore(flags);
	if (bh)
		local_bh_enable();
	if (redirected && ret > 0 && Dpc->ntc_target != NTC_DPC_ANY) {
		ntc_ke_bad_call("DPC %ps targets offline processor %u: runs on another",
				Dpc->DeferredRoutine, cpu);
	}
	return ret > 0;
}
EXPORT_SYMBOL_NS_GPL(KeInsertQueueDpc, NTC_EXPORT_NS);

BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc)
{
	struct ntc_dpc_queue *q;
	unsigned long flags;
	bool removed = false;

	if (!ntc_dpc_valid(Dpc)) {
		ntc_ke_bad_call("%s Dpc", Dpc ? "uninitialized" : "NULL");
		return FALSE;
	}
	q = READ_ONCE(Dpc->DpcData);
	if (!q)
		return FALSE;
	raw_spin_lock_irqsave(&q->lock, flags);
	/* It may have run, and been queued elsewhere, meanwhile. */
	if (READ_ONCE(Dpc->DpcData) == q) {
		list_del_init(&Dpc->ntc_node);
		WRITE_ONCE(Dpc->DpcData, NULL);
		removed = true;
	}
	raw_spin_unlock_irqrestore(&q->lock, flags);
	return removed;
}
EXPORT_SYMBOL_NS_GPL(KeRemoveQueueDpc, NTC_EXPORT_NS);

/* A DPC at the end of a queue: all before it, and the running one, ran. */
struct ntc_dpc_marker {
	KDPC dpc;
	struct completion done;
};

static VOID ntc_dpc_marker_fn(PKDPC dpc, PVOID ctx, PVOID a1, PVOID a2)
{
	complete(&((struct ntc_dpc_marker *)ctx)->done);
}

VOID KeFlushQueuedDpcs(void)
{
	struct ntc_dpc_marker m;
	unsigned int cpu;

	if (KeGetCurrentIrql() != PASSIVE_LEVEL) {
		ntc_ke_bad_call("called at DISPATCH_LEVEL");
		return;
	}
	KeInitializeDpc(&m.dpc, ntc_dpc_marker_fn, &m);
	KeSetImportanceDpc(&m.dpc, LowImportance);
	/* A CPU that goes offline meanwhile runs its queue as it goes. */
	for_each_online_cpu(cpu) {
		struct ntc_dpc_queue *q = per_cpu_ptr(&ntc_dpc_queues, cpu);
		unsigned long flags;

		init_completion(&m.done);
		local_irq_save(flags);
		if (ntc_dpc_enqueue(q, &m.dpc, NULL, NULL) <= 0)
			complete(&m.done);	/* closed: already emptied */
		local_irq_restore(flags);
		wait_for_completion(&m.done);
	}
}
EXPORT_SYMBOL_NS_GPL(KeFlushQueuedDpcs, NTC_EXPORT_NS);

/* From ntcompat's cpuhp startup, on @cpu, once it is online. */
void ntc_dpc_cpu_online(unsigned int cpu)
{
	struct ntc_dpc_queue *q = per_cpu_ptr(&ntc_dpc_queues, cpu);

	raw_spin_lock_irq(&q->lock);
	q->open = true;
	raw_spin_unlock_irq(&q->lock);
}

/*
 * From ntcompat's cpuhp teardown, on @cpu, while it is still online: run
 * what is queued for it here, at DISPATCH_LEVEL, then close its queue, so
 * that nothing queued for it is lost or run elsewhere unnoticed.
 */
void ntc_dpc_cpu_offline(unsigned int cpu)
{
	struct ntc_dpc_queue *q = per_cpu_ptr(&ntc_dpc_queues, cpu);
	unsigned long flags;

	local_bh_disable();
	ntc_dpc_run_queue(q);
	raw_spin_lock_irqsave(&q->lock, flags);
	/* A routine may have queued more for this CPU: run that too. */
	while (!list_empty(&q->dpcs)) {
		raw_spin_unlock_irqrestore(&q->lock, flags);
		ntc_dpc_run_queue(q);
		raw_spin_lock_irqsave(&q->lock, flags);
	}
	q->open = false;
	raw_spin_unlock_irqrestore(&q->lock, flags);
	local_bh_enable();
	/*
	 * PREEMPT_RT's kick, if one is pending, has nothing left to run: gone
	 * before the CPU, so that it never runs elsewhere for a queue that
	 * opens again when the CPU comes back.
	 */
	cancel_work_sync(&q->work);
}

/* Before the cpuhp state is installed (it opens the online CPUs' queues). */
void ntc_dpc_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct ntc_dpc_queue *q = per_cpu_ptr(&ntc_dpc_queues, cpu);

		raw_spin_lock_init(&q->lock);
		INIT_LIST_HEAD(&q->dpcs);
		q->cpu = cpu;
		tasklet_setup(&q->tasklet, ntc_dpc_tasklet);
		INIT_CSD(&q->csd, ntc_dpc_kick_fn, q);
		INIT_WORK(&q->work, ntc_dpc_work);
	}
}

/*
 * At unload, after the cpuhp state is gone: no driver is left to queue a
 * DPC, but one may still be in flight (a driver that never flushed).
 */
void ntc_dpc_uninit(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct ntc_dpc_queue *q = per_cpu_ptr(&ntc_dpc_queues, cpu);

		while (atomic_read(&q->kicked))
			usleep_range(1000, 2000);
		cancel_work_sync(&q->work);
		tasklet_kill(&q->tasklet);
	}
}
