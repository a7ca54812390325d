// SPDX-License-Identifier: GPL-2.0
/*
 * ntc_ke_test - a ported-driver stand-in for the Ke* runtime: DPCs, events
 * and waits, spin locks and thread affinity, used as Windows drivers use
 * them, with the Windows headers only; Linux appears only in the debugfs
 * glue, the clock the tests read and the helper threads (Windows would use
 * PsCreateSystemThread, which ntcompat does not have).
 *
 * /sys/kernel/debug/ntc_ke_test/ctl takes one command per write (see
 * ke_command()); /sys/kernel/debug/ntc_ke_test/result then holds its
 * findings as "key=value" words, one line, read by the ke_*.sh tests.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>

#include <wdm.h>

#include "ntc_ctl.h"

static struct dentry *ke_dir;
static char ke_result[512];
static size_t ke_len;

static __printf(1, 2) void ke_out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ke_len += vscnprintf(ke_result + ke_len, sizeof(ke_result) - ke_len, fmt, ap);
	va_end(ap);
}

/* 100 ns units, negative: relative, as drivers write timeouts. */
#define KE_RELATIVE_MS(ms)	(-(LONGLONG)(ms) * 10000)

/* --- DPCs ----------------------------------------------------------------- */

struct ke_dpc_run {
	KDPC dpc;
	KEVENT done;
	PVOID arg1_seen;
	LONG ran;
	ULONG cpu;
	KIRQL irql;
	ULONG delay_ms;		/* busy, at DISPATCH_LEVEL, before finishing */
};

static KDEFERRED_ROUTINE ke_dpc_routine;

static VOID ke_dpc_routine(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			   PVOID SystemArgument2)
{
	struct ke_dpc_run *r = DeferredContext;

	r->cpu = KeGetCurrentProcessorNumberEx(NULL);
	r->irql = KeGetCurrentIrql();
	r->arg1_seen = SystemArgument1;
	if (r->delay_ms)
		mdelay(r->delay_ms);
	WRITE_ONCE(r->ran, r->ran + 1);
	KeSetEvent(SystemArgument1, IO_NO_INCREMENT, FALSE);
}

static void ke_dpc_prepare(struct ke_dpc_run *r, ULONG cpu)
{
	PROCESSOR_NUMBER pn;

	memset(r, 0, sizeof(*r));
	r->cpu = ~0U;
	KeInitializeEvent(&r->done, NotificationEvent, FALSE);
	KeInitializeDpc(&r->dpc, ke_dpc_routine, r);
	KeSetImportanceDpc(&r->dpc, HighImportance);
	KeGetProcessorNumberFromIndex(cpu, &pn);
	ke_out("target=%u ", cpu);
	ke_out("target_status=%#x ", KeSetTargetProcessorDpcEx(&r->dpc, &pn));
}

/* What a Complete callback does: run a DPC there, wait for it on an event. */
static int ke_dpc(ULONG cpu)
{
	struct ke_dpc_run r;
	LARGE_INTEGER timeout = { .QuadPart = KE_RELATIVE_MS(10000) };
	NTSTATUS status;

	ke_dpc_prepare(&r, cpu);
	ke_out("from=%u ", KeGetCurrentProcessorNumberEx(NULL));
	ke_out("insert=%d ", KeInsertQueueDpc(&r.dpc, &r.done, NULL));
	status = KeWaitForSingleObject(&r.done, Executive, KernelMode, FALSE, &timeout);
	ke_out("wait=%#x ran=%d ran_on=%u irql=%u args_ok=%d\n", status, r.ran, r.cpu,
	       r.irql, r.arg1_seen == &r.done);
	/* Not freed (it is on the stack) while it could still run. */
	KeFlushQueuedDpcs();
	return 0;
}

/*
 * Queue semantics, deterministically: with the spin lock held no DPC runs
 * on this processor, so one queued for it stays queued until the release.
 */
static int ke_dpc_queue(void)
{
	struct ke_dpc_run r;
	KSPIN_LOCK lock;
	KIRQL old;
	LARGE_INTEGER timeout = { .QuadPart = KE_RELATIVE_MS(10000) };

	KeInitializeSpinLock(&lock);
	KeAcquireSpinLock(&lock, &old);
	ke_dpc_prepare(&r, KeGetCurrentProcessorNumberEx(NULL));
	ke_out("insert1=%d ", KeInsertQueueDpc(&r.dpc, &r.done, NULL));
	ke_out("insert2=%d ", KeInsertQueueDpc(&r.dpc, NULL, NULL));
	ke_out("remove1=%d ", KeRemoveQueueDpc(&r.dpc));
	ke_out("remove2=%d ", KeRemoveQueueDpc(&r.dpc));
	ke_out("ran_while_held=%d ", r.ran);
	ke_out("insert3=%d ", KeInsertQueueDpc(&r.dpc, &r.done, NULL));
	KeReleaseSpinLock(&lock, old);
	ke_out("wait=%#x ",
	       KeWaitForSingleObject(&r.done, Executive, KernelMode, FALSE, &timeout));
	KeFlushQueuedDpcs();
	ke_out("ran=%d args_ok=%d\n", r.ran, r.arg1_seen == &r.done);
	return 0;
}

/* KeFlushQueuedDpcs() waits for a DPC that is slow to finish. */
static int ke_dpc_flush(ULONG cpu)
{
	struct ke_dpc_run r;

	ke_dpc_prepare(&r, cpu);
	r.delay_ms = 100;
	ke_out("insert=%d ", KeInsertQueueDpc(&r.dpc, &r.done, NULL));
	KeFlushQueuedDpcs();
	ke_out("ran_at_flush_return=%d\n", READ_ONCE(r.ran));
	return 0;
}

/* A DPC queued, left pending (dpc_hold), and collected by "dpccollect". */
static struct ke_dpc_run ke_pending;

static int ke_dpc_pend(ULONG cpu)
{
	ke_dpc_prepare(&ke_pending, cpu);
	ke_out("insert=%d\n", KeInsertQueueDpc(&ke_pending.dpc, &ke_pending.done, NULL));
	return 0;
}

static int ke_dpc_collect(void)
{
	LARGE_INTEGER timeout = { .QuadPart = KE_RELATIVE_MS(10000) };
	NTSTATUS status;

	status = KeWaitForSingleObject(&ke_pending.done, Executive, KernelMode, FALSE,
				       &timeout);
	ke_out("wait=%#x ran=%d ran_on=%u irql=%u\n", status, ke_pending.ran,
	       ke_pending.cpu, ke_pending.irql);
	return 0;
}

/* --- events and waits ------------------------------------------------------ */

static s64 ke_ms_since(u64 t0)
{
	return div_s64(ktime_get_ns() - t0, NSEC_PER_MSEC);
}

/* A relative, an absolute and a zero timeout on an event nobody sets. */
static int ke_timeouts(ULONG ms)
{
	KEVENT ev;
	LARGE_INTEGER t;
	NTSTATUS status;
	u64 t0;

	KeInitializeEvent(&ev, NotificationEvent, FALSE);
	t.QuadPart = KE_RELATIVE_MS(ms);
	t0 = ktime_get_ns();
	status = KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &t);
	ke_out("rel=%#x rel_ms=%lld ", status, ke_ms_since(t0));
	/* System time: 100 ns units since 1601 (KeQuerySystemTime's). */
	t.QuadPart = div_u64(ktime_get_real_ns(), 100) + 116444736000000000LL +
		     (LONGLONG)ms * 10000;
	t0 = ktime_get_ns();
	status = KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &t);
	ke_out("abs=%#x abs_ms=%lld ", status, ke_ms_since(t0));
	/* An absolute time already past: no wait. */
	t.QuadPart = 116444736000000000LL;
	t0 = ktime_get_ns();
	status = KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &t);
	ke_out("past=%#x past_ms=%lld ", status, ke_ms_since(t0));
	t.QuadPart = 0;
	ke_out("zero=%#x ", KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &t));
	KeSetEvent(&ev, IO_NO_INCREMENT, FALSE);
	ke_out("zero_set=%#x ", KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &t));
	t.QuadPart = KE_RELATIVE_MS(ms);
	t0 = ktime_get_ns();
	KeDelayExecutionThread(KernelMode, FALSE, &t);
	ke_out("delay_ms=%lld\n", ke_ms_since(t0));
	return 0;
}

/* Set/reset/read, and how each kind releases waiters. */
struct ke_waiter {
	PKEVENT ev;
	NTSTATUS status;
	struct completion done;
};

static atomic_t ke_woken;

static int ke_waiter_fn(void *arg)
{
	struct ke_waiter *w = arg;
	LARGE_INTEGER t = { .QuadPart = KE_RELATIVE_MS(5000) };

	w->status = KeWaitForSingleObject(w->ev, Executive, KernelMode, FALSE, &t);
	if (w->status == STATUS_SUCCESS)
		atomic_inc(&ke_woken);
	complete(&w->done);
	return 0;
}

/* Two waiters on @ev; after one KeSetEvent(), how many woke. */
static int ke_release(PKEVENT ev, int *after_one, int *after_two)
{
	struct ke_waiter w[2];
	int i;

	atomic_set(&ke_woken, 0);
	for (i = 0; i < 2; i++) {
		w[i].ev = ev;
		init_completion(&w[i].done);
		if (IS_ERR(kthread_run(ke_waiter_fn, &w[i], "ke_waiter%d", i)))
			return -ENOMEM;
	}
	msleep(300);		/* both asleep in the wait */
	KeSetEvent(ev, IO_NO_INCREMENT, FALSE);
	msleep(300);
	*after_one = atomic_read(&ke_woken);
	KeSetEvent(ev, IO_NO_INCREMENT, FALSE);
	for (i = 0; i < 2; i++)
		wait_for_completion(&w[i].done);
	*after_two = atomic_read(&ke_woken);
	return 0;
}

static int ke_events(void)
{
	KEVENT n, s;
	int one, two;

	KeInitializeEvent(&n, NotificationEvent, TRUE);
	KeInitializeEvent(&s, SynchronizationEvent, FALSE);
	ke_out("n_init=%d ", KeReadStateEvent(&n));
	ke_out("n_reset=%d ", KeResetEvent(&n));
	ke_out("n_after_reset=%d ", KeReadStateEvent(&n));
	ke_out("n_set=%d ", KeSetEvent(&n, IO_NO_INCREMENT, FALSE));
	ke_out("n_set_again=%d ", KeSetEvent(&n, IO_NO_INCREMENT, FALSE));
	KeClearEvent(&n);
	ke_out("n_after_clear=%d ", KeReadStateEvent(&n));
	if (ke_release(&n, &one, &two))
		return -ENOMEM;
	ke_out("n_woken_by_one_set=%d n_state=%d ", one, KeReadStateEvent(&n));
	if (ke_release(&s, &one, &two))
		return -ENOMEM;
	ke_out("s_woken_by_one_set=%d s_woken_by_two=%d s_state=%d\n", one, two,
	       KeReadStateEvent(&s));
	return 0;
}

static int ke_multi(void)
{
	KEVENT ev[4];
	PVOID objs[4] = { &ev[0], &ev[1], &ev[2], &ev[3] };
	KWAIT_BLOCK blocks[4];
	LARGE_INTEGER t = { .QuadPart = KE_RELATIVE_MS(200) };
	struct ke_dpc_run r;
	int i;

	for (i = 0; i < 4; i++)
		KeInitializeEvent(&ev[i], SynchronizationEvent, FALSE);
	ke_out("any_none=%#x ", KeWaitForMultipleObjects(3, objs, WaitAny, Executive,
							  KernelMode, FALSE, &t, NULL));
	/* Set from a DPC, as a driver does. */
	ke_dpc_prepare(&r, KeGetCurrentProcessorNumberEx(NULL));
	KeInsertQueueDpc(&r.dpc, &ev[2], NULL);
	t.QuadPart = KE_RELATIVE_MS(10000);
	ke_out("any_2=%#x ", KeWaitForMultipleObjects(4, objs, WaitAny, Executive,
						       KernelMode, FALSE, &t, blocks));
	KeFlushQueuedDpcs();
	ke_out("any_2_consumed=%d ", KeReadStateEvent(&ev[2]));
	KeSetEvent(&ev[1], IO_NO_INCREMENT, FALSE);
	KeSetEvent(&ev[3], IO_NO_INCREMENT, FALSE);
	ke_out("any_lowest=%#x ", KeWaitForMultipleObjects(4, objs, WaitAny, Executive,
							    KernelMode, FALSE, &t, blocks));
	ke_out("any_3_left=%d ", KeReadStateEvent(&ev[3]));
	KeResetEvent(&ev[3]);
	KeSetEvent(&ev[0], IO_NO_INCREMENT, FALSE);
	t.QuadPart = KE_RELATIVE_MS(200);
	ke_out("all_partial=%#x ", KeWaitForMultipleObjects(2, objs, WaitAll, Executive,
							     KernelMode, FALSE, &t, NULL));
	ke_out("all_partial_kept=%d ", KeReadStateEvent(&ev[0]));
	KeSetEvent(&ev[1], IO_NO_INCREMENT, FALSE);
	ke_out("all=%#x ", KeWaitForMultipleObjects(2, objs, WaitAll, Executive,
						     KernelMode, FALSE, &t, NULL));
	ke_out("all_consumed=%d\n", KeReadStateEvent(&ev[0]) + KeReadStateEvent(&ev[1]));
	return 0;
}

/* --- spin locks -------------------------------------------------------------- */

static int ke_locks(void)
{
	KSPIN_LOCK lock;
	KLOCK_QUEUE_HANDLE h;
	KEVENT ev;
	LARGE_INTEGER zero = { .QuadPart = 0 };
	LARGE_INTEGER later = { .QuadPart = KE_RELATIVE_MS(10) };
	KIRQL old, inner;

	KeInitializeSpinLock(&lock);
	KeInitializeEvent(&ev, NotificationEvent, FALSE);
	ke_out("free=%d ", KeTestSpinLock(&lock));
	KeAcquireSpinLock(&lock, &old);
	ke_out("old=%u held_irql=%u held=%d ", old, KeGetCurrentIrql(), !KeTestSpinLock(&lock));
	/* At DISPATCH_LEVEL: a zero timeout is allowed, any other refused. */
	ke_out("zero_wait=%#x ", KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &zero));
	ke_out("wait_at_dpc=%#x ",
	       KeWaitForSingleObject(&ev, Executive, KernelMode, FALSE, &later));
	ke_out("delay_at_dpc=%#x ", KeDelayExecutionThread(KernelMode, FALSE, &later));
	KeReleaseSpinLock(&lock, old);
	ke_out("after_irql=%u ", KeGetCurrentIrql());
	inner = KeAcquireSpinLockRaiseToDpc(&lock);
	KeReleaseSpinLock(&lock, inner);
	KeAcquireInStackQueuedSpinLock(&lock, &h);
	ke_out("queued_held=%d ", !KeTestSpinLock(&lock));
	KeReleaseInStackQueuedSpinLock(&h);
	ke_out("queued_free=%d\n", KeTestSpinLock(&lock));
	return 0;
}

/*
 * Two locks taken in both orders: lockdep reports a possible deadlock,
 * naming both locks by their KeInitializeSpinLock() lines in this file.
 */
static KSPIN_LOCK ke_lock_a, ke_lock_b;

/* Not inlined: ke_lockdep.sh looks for this function in the report. */
static noinline int ke_lock_order(void)
{
	KIRQL old;

	KeInitializeSpinLock(&ke_lock_a);
	KeInitializeSpinLock(&ke_lock_b);
	KeAcquireSpinLock(&ke_lock_a, &old);
	KeAcquireSpinLockAtDpcLevel(&ke_lock_b);
	KeReleaseSpinLockFromDpcLevel(&ke_lock_b);
	KeReleaseSpinLock(&ke_lock_a, old);
	KeAcquireSpinLock(&ke_lock_b, &old);
	KeAcquireSpinLockAtDpcLevel(&ke_lock_a);
	KeReleaseSpinLockFromDpcLevel(&ke_lock_a);
	KeReleaseSpinLock(&ke_lock_b, old);
	ke_out("inverted=1\n");
	return 0;
}

/* --- affinity ---------------------------------------------------------------- */

static int ke_affinity(ULONG cpu)
{
	GROUP_AFFINITY ga = { 0 }, prev, prev2, empty = { 0 }, bogus;
	PROCESSOR_NUMBER pn;
	ULONG before = KeGetCurrentProcessorNumberEx(NULL);

	KeGetProcessorNumberFromIndex(cpu, &pn);
	ga.Group = pn.Group;
	ga.Mask = (KAFFINITY)1 << pn.Number;
	KeSetSystemGroupAffinityThread(&ga, &prev);
	ke_out("before=%u on=%u prev_group=%u prev_mask=%#lx ", before,
	       KeGetCurrentProcessorNumberEx(NULL), prev.Group, prev.Mask);
	/* Nested, then back to the thread's own affinity with a zeroed one. */
	ga.Group = 0;
	ga.Mask = 1;
	KeSetSystemGroupAffinityThread(&ga, &prev2);
	ke_out("nested_on=%u nested_prev=%#lx ", KeGetCurrentProcessorNumberEx(NULL),
	       prev2.Mask);
	KeRevertToUserGroupAffinityThread(&prev2);
	ke_out("reverted_on=%u ", KeGetCurrentProcessorNumberEx(NULL));
	/* The invalid ones change nothing and zero the previous affinity. */
	KeSetSystemGroupAffinityThread(&empty, &bogus);
	ke_out("empty_prev=%#lx/%u ", bogus.Mask, bogus.Group);
	bogus.Group = 0;
	bogus.Mask = 0;
	ga.Group = 1000;
	ga.Mask = 1;
	KeSetSystemGroupAffinityThread(&ga, &bogus);
	ke_out("badgroup_prev=%#lx still_on=%u ", bogus.Mask,
	       KeGetCurrentProcessorNumberEx(NULL));
	KeRevertToUserGroupAffinityThread(&empty);
	ke_out("own_restored=%d ", KeSetSystemAffinityThreadEx(1) == prev.Mask);
	KeRevertToUserAffinityThreadEx(0);
	ke_out("groups=%u/%u group0=%#lx node=%u highest_node=%u\n",
	       KeQueryActiveGroupCount(), KeQueryMaximumGroupCount(),
	       KeQueryGroupAffinity(0), KeGetCurrentNodeNumber(),
	       KeQueryHighestNodeNumber());
	return 0;
}

/*
 * Onto CPU and back, once, for fault_alloc.sh, which fails the allocations
 * inside in turn: either the thread moved and the previous affinity came
 * back, or nothing changed and it came back zeroed (the answer to a call
 * that cannot be done). The writer's affinity afterwards is the script's
 * to check.
 */
static int ke_affinity_once(ULONG cpu)
{
	GROUP_AFFINITY ga = { .Mask = (KAFFINITY)1 << cpu }, prev;

	KeSetSystemGroupAffinityThread(&ga, &prev);
	ke_out("on=%u prev_group=%u prev_mask=%#lx\n",
	       KeGetCurrentProcessorNumberEx(NULL), prev.Group, prev.Mask);
	KeRevertToUserGroupAffinityThread(&prev);
	return 0;
}

/* --- bad calls ------------------------------------------------------------- */

static VOID ke_nop_routine(PKDPC Dpc, PVOID Ctx, PVOID A1, PVOID A2)
{
}

static int ke_bad(void)
{
	KEVENT ev, stray;
	KDPC dpc, stray_dpc;
	KSPIN_LOCK lock;
	KLOCK_QUEUE_HANDLE h;
	PVOID objs[2] = { &ev, &ev };
	PROCESSOR_NUMBER pn = { .Group = 0, .Number = 63 };
	GROUP_AFFINITY prev;
	LARGE_INTEGER t = { .QuadPart = 0 };

	memset(&stray, 0x5a, sizeof(stray));
	memset(&stray_dpc, 0, sizeof(stray_dpc));
	KeInitializeEvent(&ev, NotificationEvent, FALSE);
	KeInitializeEvent(NULL, NotificationEvent, FALSE);
	KeInitializeEvent(&stray, 7, FALSE);
	ke_out("set_null=%d ", KeSetEvent(NULL, 0, FALSE));
	ke_out("set_stray=%d ", KeSetEvent(&stray, 0, FALSE));
	ke_out("wait_null=%#x ", KeWaitForSingleObject(NULL, Executive, KernelMode, FALSE, &t));
	ke_out("wait_stray=%#x ",
	       KeWaitForSingleObject(&stray, Executive, KernelMode, FALSE, &t));
	ke_out("multi_0=%#x ", KeWaitForMultipleObjects(0, objs, WaitAny, Executive,
							 KernelMode, FALSE, &t, NULL));
	ke_out("multi_65=%#x ", KeWaitForMultipleObjects(65, objs, WaitAny, Executive,
							  KernelMode, FALSE, &t, NULL));
	ke_out("multi_noblocks=%#x ", KeWaitForMultipleObjects(4, objs, WaitAny, Executive,
								KernelMode, FALSE, &t, NULL));
	ke_out("multi_repeat=%#x ", KeWaitForMultipleObjects(2, objs, WaitAll, Executive,
							      KernelMode, FALSE, &t, NULL));
	ke_out("multi_type=%#x ", KeWaitForMultipleObjects(1, objs, 9, Executive,
							    KernelMode, FALSE, &t, NULL));
	ke_out("delay_null=%#x ", KeDelayExecutionThread(KernelMode, FALSE, NULL));
	KeInitializeDpc(NULL, ke_nop_routine, NULL);
	KeInitializeDpc(&dpc, NULL, NULL);
	ke_out("insert_null=%d ", KeInsertQueueDpc(NULL, NULL, NULL));
	ke_out("insert_noroutine=%d ", KeInsertQueueDpc(&dpc, NULL, NULL));
	ke_out("insert_stray=%d ", KeInsertQueueDpc(&stray_dpc, NULL, NULL));
	ke_out("remove_stray=%d ", KeRemoveQueueDpc(&stray_dpc));
	KeInitializeDpc(&dpc, ke_nop_routine, NULL);
	KeSetImportanceDpc(&dpc, 42);
	KeSetTargetProcessorDpc(&dpc, 100);
	ke_out("target_null=%#x ", KeSetTargetProcessorDpcEx(&dpc, NULL));
	ke_out("target_63=%#x ", KeSetTargetProcessorDpcEx(&dpc, &pn));
	pn.Group = 9;
	pn.Number = 0;
	ke_out("target_group9=%#x ", KeSetTargetProcessorDpcEx(&dpc, &pn));
	KeInitializeSpinLock(&lock);
	__acquire(&lock);	/* for sparse: not held, a deliberate bad call */
	KeReleaseSpinLock(&lock, PASSIVE_LEVEL);
	KeReleaseSpinLockFromDpcLevel(&lock);
	KeAcquireInStackQueuedSpinLock(&lock, &h);
	KeReleaseInStackQueuedSpinLock(&h);
	KeReleaseInStackQueuedSpinLock(&h);
	ke_out("lock_free_after=%d ", KeTestSpinLock(&lock));
	KeAcquireSpinLock(NULL, &h.OldIrql);
	KeReleaseSpinLock(NULL, PASSIVE_LEVEL);
	KeSetSystemGroupAffinityThread(NULL, &prev);
	ke_out("affinity_null_prev=%#lx ", prev.Mask);
	KeRevertToUserGroupAffinityThread(NULL);
	ke_out("survived=1\n");
	return 0;
}

/* --- the ctl file ---------------------------------------------------------- */

/*
 *	dpc CPU		run a DPC on CPU, wait for it on an event
 *	dpcqueue	insert twice, remove twice, insert: FALSE/TRUE answers
 *	dpcflush CPU	KeFlushQueuedDpcs() waits for a slow DPC on CPU
 *	dpcpend CPU	queue a DPC for CPU and return; dpccollect waits for it
 *	timeouts MS	relative, absolute, past and zero timeouts, and a delay
 *	events		state machine, and who a set releases
 *	multi		WaitAny and WaitAll
 *	locks		spin locks, and the waits refused while one is held
 *	lockorder	take two locks in both orders (for lockdep)
 *	affinity CPU	move onto CPU and back
 *	affonce CPU	move onto CPU and back once, nothing checked
 *	bad		every bad call, answered
 */
static int ke_command(const char *buf)
{
	char cmd[16];
	unsigned int n = 0;

	if (sscanf(buf, "%15s %u", cmd, &n) < 1)
		return -EINVAL;
	ke_len = 0;
	ke_result[0] = '\0';
	if (!strcmp(cmd, "dpc"))
		return ke_dpc(n);
	if (!strcmp(cmd, "dpcqueue"))
		return ke_dpc_queue();
	if (!strcmp(cmd, "dpcflush"))
		return ke_dpc_flush(n);
	if (!strcmp(cmd, "dpcpend"))
		return ke_dpc_pend(n);
	if (!strcmp(cmd, "dpccollect"))
		return ke_dpc_collect();
	if (!strcmp(cmd, "timeouts"))
		return ke_timeouts(n);
	if (!strcmp(cmd, "events"))
		return ke_events();
	if (!strcmp(cmd, "multi"))
		return ke_multi();
	if (!strcmp(cmd, "locks"))
		return ke_locks();
	if (!strcmp(cmd, "lockorder"))
		return ke_lock_order();
	if (!strcmp(cmd, "affinity"))
		return ke_affinity(n);
	if (!strcmp(cmd, "affonce") && n < MAXIMUM_PROC_PER_GROUP)
		return ke_affinity_once(n);
	if (!strcmp(cmd, "bad"))
		return ke_bad();
	return -EINVAL;
}

DEFINE_NTC_CTL(ke_ctl, ke_command);

static int ke_result_show(struct seq_file *m, void *v)
{
	seq_puts(m, ke_result);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ke_result);

DRIVER_INITIALIZE DriverEntry;
DRIVER_UNLOAD DriverUnload;

VOID DriverUnload(PDRIVER_OBJECT DriverObject)
{
	debugfs_remove_recursive(ke_dir);
	KeFlushQueuedDpcs();
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	ke_dir = debugfs_create_dir("ntc_ke_test", NULL);
	debugfs_create_file("ctl", 0200, ke_dir, NULL, &ke_ctl_fops);
	debugfs_create_file("result", 0400, ke_dir, NULL, &ke_result_fops);
	DriverObject->DriverUnload = DriverUnload;
	return STATUS_SUCCESS;
}

NTC_MODULE_DRIVER(DriverEntry);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ntcompat selftest driver for DPCs, events, waits, spin locks, affinity");
