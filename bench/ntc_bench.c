// SPDX-License-Identifier: GPL-2.0
/*
 * ntc_bench - measures ntcompat against the raw kernel mechanisms it is
 * built on, in the same boot: a blocking notifier chain for fan-out, a bare
 * queue_work() for the latency out of hotplug context. bench/run.sh drives
 * it through /sys/kernel/debug/ntc_bench/ctl (one command per write) and
 * reads "key=value" results back from .../result.
 *
 *	regs N		hold N processor registrations (trivial callback)
 *	fanout		ns per callback of the fastest CPU event delivered to
 *			the N registrations since the last regs or fanout,
 *			and of the fastest of 20 calls of a raw blocking
 *			notifier chain of N blocks calling the same callback
 *			function
 *	latarm		time the next CPU arrival from this module's own cpuhp
 *			callback (just after ntcompat's) to a registration's
 *			callback, to a bare work item, and to a work item that
 *			first waits for the hotplug operation to end
 *	regcost M	time M Register, M Unregister, M Register and M
 *			UnregisterEx with the N registrations present
 *	block, release	hold the dispatcher in a callback, and let it go
 *	pool SIZE	ns per ExAllocatePoolWithTag + ExFreePool pair of SIZE
 *			bytes, per kmalloc + kfree pair of SIZE bytes, and of
 *			SIZE + 32 (the pool's header), in turn
 *	locks		ns per KeAcquireSpinLock/KeReleaseSpinLock pair, and
 *			per spin_lock_bh/spin_unlock_bh pair
 *	events		ns per KEVENT round trip between CPUs 0 and 1, and per
 *			complete()/wait_for_completion() round trip
 *	dpcs		queue-to-run ns of a DPC from CPU 0 to CPU 1, and of
 *			the IPI + HI tasklet it rides on
 *	pcc N		hold N processor-change callbacks (empty), which run
 *			inside every CPU online
 */
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/notifier.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <ntddk.h>
#include <wdmguid.h>
#include <poclass.h>

#include "ntc_ctl.h"

#define BENCH_MAX_REGS	20000

static PDRIVER_OBJECT bench_driver;
static struct dentry *bench_dir;
static char bench_result[256];

/* What every callback does, on both sides of a comparison. */
static unsigned long bench_calls;
static noinline void bench_work(void)
{
	WRITE_ONCE(bench_calls, bench_calls + 1);
}

/* The held registrations, and fan-out timing of the last event. */
static PVOID *bench_entries;
static unsigned int bench_nregs;
static unsigned int bench_in_event;
static u64 bench_first_ns, bench_best_ns = U64_MAX;

static NTSTATUS bench_callback(PVOID NotificationStructure, PVOID Context)
{
	bench_work();
	/* Clock reads at the first and last callback of an event only. */
	if (bench_in_event == 0)
		bench_first_ns = ktime_get_ns();
	if (++bench_in_event == bench_nregs) {
		bench_best_ns = min(bench_best_ns, ktime_get_ns() - bench_first_ns);
		bench_in_event = 0;
	}
	return STATUS_SUCCESS;
}

static int bench_set_regs(unsigned int n)
{
	NTSTATUS status;

	if (n > BENCH_MAX_REGS)
		return -EINVAL;
	while (bench_nregs < n) {
		status = IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange,
							0, &GUID_DEVICE_PROCESSOR,
							bench_driver, bench_callback,
							NULL, &bench_entries[bench_nregs]);
		if (!NT_SUCCESS(status))
			return -ENOMEM;
		bench_nregs++;
	}
	while (bench_nregs > n)
		IoUnregisterPlugPlayNotificationEx(bench_entries[--bench_nregs]);
	bench_in_event = 0;
	bench_best_ns = U64_MAX;
	return 0;
}

static PVOID *bench_pcc;
static unsigned int bench_npcc;

static VOID bench_pcc_noop(PVOID CallbackContext,
			   PKE_PROCESSOR_CHANGE_NOTIFY_CONTEXT ChangeContext,
			   PNTSTATUS OperationStatus)
{
}

static int bench_set_pcc(unsigned int n)
{
	if (n > BENCH_MAX_REGS)
		return -EINVAL;
	while (bench_npcc < n) {
		bench_pcc[bench_npcc] = KeRegisterProcessorChangeCallback(bench_pcc_noop,
									  NULL, 0);
		if (!bench_pcc[bench_npcc])
			return -ENOMEM;
		bench_npcc++;
	}
	while (bench_npcc > n)
		KeDeregisterProcessorChangeCallback(bench_pcc[--bench_npcc]);
	return 0;
}

/*
 * The raw chain: as many blocks as registrations, each calling the same
 * function the registrations have, bench_callback().
 */
static BLOCKING_NOTIFIER_HEAD(bench_chain);

static int bench_notifier(struct notifier_block *nb, unsigned long action, void *data)
{
	bench_callback(NULL, NULL);
	return NOTIFY_OK;
}

#define BENCH_FANOUT_RAW_CALLS	20

/*
 * Each side's fastest run: one fan-out takes milliseconds at 10,000
 * registrations, long enough for the host to take the vCPU away in any
 * one of them, and there are few samples of ntcompat's (one per event).
 */
static int bench_fanout(void)
{
	struct notifier_block *nbs;
	unsigned int i, n = bench_nregs;
	u64 t0, raw = U64_MAX, ntc;

	if (n < 2 || bench_best_ns == U64_MAX)
		return -EINVAL;
	/* Taken before the raw run, which goes through bench_callback() too. */
	ntc = div_u64(bench_best_ns, n - 1);
	bench_in_event = 0;
	bench_best_ns = U64_MAX;
	nbs = kvcalloc(n, sizeof(*nbs), GFP_KERNEL);
	if (!nbs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		nbs[i].notifier_call = bench_notifier;
		blocking_notifier_chain_register(&bench_chain, &nbs[i]);
	}
	for (i = 0; i < BENCH_FANOUT_RAW_CALLS; i++) {
		t0 = ktime_get_ns();
		blocking_notifier_call_chain(&bench_chain, 0, NULL);
		raw = min(raw, ktime_get_ns() - t0);
		cond_resched();
	}
	for (i = 0; i < n; i++)
		blocking_notifier_chain_unregister(&bench_chain, &nbs[i]);
	kvfree(nbs);
	/* The raw runs went through bench_callback(): forget them. */
	bench_in_event = 0;
	bench_best_ns = U64_MAX;
	snprintf(bench_result, sizeof(bench_result),
		 "fanout_ntc_ns=%llu fanout_raw_ns=%llu\n", ntc, div_u64(raw, n));
	return 0;
}

/* Latency: one sample per armed CPU arrival. */
static struct workqueue_struct *bench_wq;
static PVOID bench_lat_entry;
static bool bench_lat_armed;
static u64 bench_t_cpuhp, bench_t_ntc, bench_t_raw, bench_t_rawwait;
static enum cpuhp_state bench_cpuhp;

static void bench_raw_fn(struct work_struct *w)
{
	bench_t_raw = ktime_get_ns();
}
static DECLARE_WORK(bench_raw, bench_raw_fn);

/* The floor for "deliver once the hotplug operation is over". */
static void bench_rawwait_fn(struct work_struct *w)
{
	cpus_read_lock();
	cpus_read_unlock();
	bench_t_rawwait = ktime_get_ns();
}
static DECLARE_WORK(bench_rawwait, bench_rawwait_fn);

static int bench_cpu_online(unsigned int cpu)
{
	if (READ_ONCE(bench_lat_armed)) {
		bench_t_cpuhp = ktime_get_ns();
		queue_work(bench_wq, &bench_raw);
		queue_work(system_unbound_wq, &bench_rawwait);
	}
	return 0;
}

static NTSTATUS bench_lat_callback(PVOID NotificationStructure, PVOID Context)
{
	PDEVICE_INTERFACE_CHANGE_NOTIFICATION n = NotificationStructure;

	if (READ_ONCE(bench_lat_armed) &&
	    IsEqualGUID(&n->Event, &GUID_DEVICE_INTERFACE_ARRIVAL)) {
		bench_t_ntc = ktime_get_ns();
		WRITE_ONCE(bench_lat_armed, false);
	}
	return STATUS_SUCCESS;
}

static int bench_latarm(void)
{
	NTSTATUS status;

	if (!bench_lat_entry) {
		status = IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange,
							0, &GUID_DEVICE_PROCESSOR,
							bench_driver, bench_lat_callback,
							NULL, &bench_lat_entry);
		if (!NT_SUCCESS(status))
			return -ENOMEM;
	}
	bench_t_ntc = 0;
	WRITE_ONCE(bench_lat_armed, true);
	return 0;
}

static int bench_latresult(void)
{
	flush_work(&bench_raw);
	flush_work(&bench_rawwait);
	if (READ_ONCE(bench_lat_armed) || !bench_t_ntc)
		return -EAGAIN;		/* not delivered yet */
	snprintf(bench_result, sizeof(bench_result),
		 "lat_ntc_ns=%llu lat_raw_ns=%llu lat_rawwait_ns=%llu\n",
		 bench_t_ntc - bench_t_cpuhp, bench_t_raw - bench_t_cpuhp,
		 bench_t_rawwait - bench_t_cpuhp);
	IoUnregisterPlugPlayNotificationEx(bench_lat_entry);
	bench_lat_entry = NULL;
	return 0;
}

static NTSTATUS bench_noop(PVOID NotificationStructure, PVOID Context)
{
	return STATUS_SUCCESS;
}

static int bench_regcost(unsigned int m)
{
	u64 t[5];
	PVOID *e;
	unsigned int i;

	e = kvcalloc(m, sizeof(*e), GFP_KERNEL);
	if (!e || !m) {
		kvfree(e);
		return -ENOMEM;
	}
#define BENCH_REG(i) IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange, \
		0, &GUID_DEVICE_PROCESSOR, bench_driver, bench_noop, NULL, &e[i])
	t[0] = ktime_get_ns();
	for (i = 0; i < m; i++)
		BENCH_REG(i);
	t[1] = ktime_get_ns();
	for (i = 0; i < m; i++)
		IoUnregisterPlugPlayNotification(e[i]);
	t[2] = ktime_get_ns();
	for (i = 0; i < m; i++)
		BENCH_REG(i);
	t[3] = ktime_get_ns();
	for (i = 0; i < m; i++)
		IoUnregisterPlugPlayNotificationEx(e[i]);
	t[4] = ktime_get_ns();
#undef BENCH_REG
	kvfree(e);
	snprintf(bench_result, sizeof(bench_result),
		 "register_ns=%llu unregister_ns=%llu unregister_ex_ns=%llu\n",
		 div_u64(t[1] - t[0] + t[3] - t[2], 2 * m), div_u64(t[2] - t[1], m),
		 div_u64(t[4] - t[3], m));
	return 0;
}

/*
 * Where ntcompat is measured against what it maps to, each figure is the
 * median of samples taken in turn from both sides, so that both see the
 * same noise.
 */
static int bench_u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 bench_median(u64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), bench_u64_cmp, NULL);
	return v[n / 2];
}

#define BENCH_POOL_SAMPLES	201
#define BENCH_POOL_PAIRS	100

/*
 * Pool against the slab it sits on, pairs of alloc and free as a callback
 * growing an array does them; the third side prices the header alone, the
 * slab size it moves a block to. Samples are taken in turn from the three
 * sides, and each figure is their median, as for the Ke* runtime.
 */
static int bench_pool(unsigned int size)
{
	static u64 ntc[BENCH_POOL_SAMPLES], raw[BENCH_POOL_SAMPLES],
		   hdr[BENCH_POOL_SAMPLES];
	unsigned int i, j;
	void *p;
	u64 t0;

	if (!size || size > PAGE_SIZE)
		return -EINVAL;
	for (i = 0; i < BENCH_POOL_SAMPLES; i++) {
		t0 = ktime_get_ns();
		for (j = 0; j < BENCH_POOL_PAIRS; j++) {
			p = ExAllocatePoolWithTag(NonPagedPoolNx, size, 'hcnB');
			OPTIMIZER_HIDE_VAR(p);
			ExFreePool(p);
		}
		ntc[i] = ktime_get_ns() - t0;
		t0 = ktime_get_ns();
		for (j = 0; j < BENCH_POOL_PAIRS; j++) {
			p = kmalloc(size, GFP_KERNEL);
			OPTIMIZER_HIDE_VAR(p);
			kfree(p);
		}
		raw[i] = ktime_get_ns() - t0;
		t0 = ktime_get_ns();
		for (j = 0; j < BENCH_POOL_PAIRS; j++) {
			p = kmalloc(size + 32, GFP_KERNEL);
			OPTIMIZER_HIDE_VAR(p);
			kfree(p);
		}
		hdr[i] = ktime_get_ns() - t0;
		cond_resched();
	}
	snprintf(bench_result, sizeof(bench_result),
		 "pool_ntc_ns=%llu pool_raw_ns=%llu pool_rawhdr_ns=%llu\n",
		 div_u64(bench_median(ntc, BENCH_POOL_SAMPLES), BENCH_POOL_PAIRS),
		 div_u64(bench_median(raw, BENCH_POOL_SAMPLES), BENCH_POOL_PAIRS),
		 div_u64(bench_median(hdr, BENCH_POOL_SAMPLES), BENCH_POOL_PAIRS));
	return 0;
}

/* A callback that holds the dispatcher, for measuring queued events. */
static DECLARE_COMPLETION(bench_release);
static PVOID bench_block_entry;

static NTSTATUS bench_block_callback(PVOID NotificationStructure, PVOID Context)
{
	wait_for_completion(&bench_release);
	return STATUS_SUCCESS;
}

#define BENCH_KE_SAMPLES	201
#define BENCH_LOCK_ITERS	1000

/* A spin lock acquire/release pair: KeAcquireSpinLock against spin_lock_bh. */
static int bench_locks(void)
{
	static u64 ntc[BENCH_KE_SAMPLES], raw[BENCH_KE_SAMPLES];
	static KSPIN_LOCK lock;
	static spinlock_t raw_lock;
	unsigned int i, j;
	KIRQL old;
	u64 t0;

	KeInitializeSpinLock(&lock);
	spin_lock_init(&raw_lock);
	for (i = 0; i < BENCH_KE_SAMPLES; i++) {
		t0 = ktime_get_ns();
		for (j = 0; j < BENCH_LOCK_ITERS; j++) {
			KeAcquireSpinLock(&lock, &old);
			bench_work();
			KeReleaseSpinLock(&lock, old);
		}
		ntc[i] = ktime_get_ns() - t0;
		t0 = ktime_get_ns();
		for (j = 0; j < BENCH_LOCK_ITERS; j++) {
			spin_lock_bh(&raw_lock);
			bench_work();
			spin_unlock_bh(&raw_lock);
		}
		raw[i] = ktime_get_ns() - t0;
		cond_resched();
	}
	snprintf(bench_result, sizeof(bench_result), "lock_ntc_ns=%llu lock_raw_ns=%llu\n",
		 div_u64(bench_median(ntc, BENCH_KE_SAMPLES), BENCH_LOCK_ITERS),
		 div_u64(bench_median(raw, BENCH_KE_SAMPLES), BENCH_LOCK_ITERS));
	return 0;
}

/*
 * Event round trip: this thread sets "ping" and waits for "pong", a thread
 * on the other CPU waits for ping and sets pong; against the same with two
 * completions.
 */
static KEVENT bench_ping, bench_pong;
static struct completion bench_cping, bench_cpong;
static unsigned int bench_rounds;
static bool bench_use_events;

static int bench_ponger(void *arg)
{
	unsigned int i;

	for (i = 0; i < bench_rounds; i++) {
		if (bench_use_events) {
			KeWaitForSingleObject(&bench_ping, Executive, KernelMode, FALSE, NULL);
			KeSetEvent(&bench_pong, IO_NO_INCREMENT, FALSE);
		} else {
			wait_for_completion(&bench_cping);
			complete(&bench_cpong);
		}
	}
	return 0;
}

static u64 bench_pingpong(bool events, unsigned int cpu)
{
	struct task_struct *t;
	unsigned int i;
	u64 t0;

	bench_use_events = events;
	bench_rounds = 200;
	KeInitializeEvent(&bench_ping, SynchronizationEvent, FALSE);
	KeInitializeEvent(&bench_pong, SynchronizationEvent, FALSE);
	init_completion(&bench_cping);
	init_completion(&bench_cpong);
	t = kthread_create(bench_ponger, NULL, "ntc_bench_pong");
	if (IS_ERR(t))
		return 0;
	kthread_bind(t, cpu);
	wake_up_process(t);
	t0 = ktime_get_ns();
	for (i = 0; i < bench_rounds; i++) {
		if (events) {
			KeSetEvent(&bench_ping, IO_NO_INCREMENT, FALSE);
			KeWaitForSingleObject(&bench_pong, Executive, KernelMode, FALSE, NULL);
		} else {
			complete(&bench_cping);
			wait_for_completion(&bench_cpong);
		}
	}
	return div_u64(ktime_get_ns() - t0, bench_rounds);
}

#define BENCH_EVENT_ROUNDS	5

static int bench_events(void)
{
	u64 ntc[BENCH_EVENT_ROUNDS], raw[BENCH_EVENT_ROUNDS];
	KAFFINITY prev;
	unsigned int i;

	if (num_online_cpus() < 2)
		return -EINVAL;
	/* This thread on CPU 0, the other side on CPU 1. */
	prev = KeSetSystemAffinityThreadEx(1);
	for (i = 0; i < BENCH_EVENT_ROUNDS; i++) {
		ntc[i] = bench_pingpong(true, 1);
		raw[i] = bench_pingpong(false, 1);
	}
	KeRevertToUserAffinityThreadEx(prev);
	snprintf(bench_result, sizeof(bench_result),
		 "event_ntc_ns=%llu event_raw_ns=%llu\n",
		 bench_median(ntc, BENCH_EVENT_ROUNDS), bench_median(raw, BENCH_EVENT_ROUNDS));
	return 0;
}

/*
 * A targeted DPC's queue-to-run latency, from CPU 0 to CPU 1, against the
 * mechanism it rides on: an IPI (smp_call_function_single_async) whose
 * handler schedules a HI tasklet there.
 */
static u64 bench_t_queued, bench_t_ran;
static struct completion bench_ran;

static VOID bench_dpc_fn(PKDPC Dpc, PVOID Ctx, PVOID A1, PVOID A2)
{
	bench_t_ran = ktime_get_ns();
	complete(&bench_ran);
}

static void bench_tasklet_fn(struct tasklet_struct *t)
{
	bench_t_ran = ktime_get_ns();
	complete(&bench_ran);
}
static DECLARE_TASKLET(bench_tasklet, bench_tasklet_fn);

static void bench_ipi_fn(void *info)
{
	tasklet_hi_schedule(&bench_tasklet);
}

static int bench_dpcs(void)
{
	static u64 ntc[BENCH_KE_SAMPLES], raw[BENCH_KE_SAMPLES];
	static call_single_data_t csd = CSD_INIT(bench_ipi_fn, NULL);
	PROCESSOR_NUMBER pn = { .Group = 0, .Number = 1 };
	KDPC dpc;
	KAFFINITY prev;
	unsigned int i;

	if (num_online_cpus() < 2)
		return -EINVAL;
	KeInitializeDpc(&dpc, bench_dpc_fn, NULL);
	KeSetImportanceDpc(&dpc, HighImportance);
	KeSetTargetProcessorDpcEx(&dpc, &pn);
	prev = KeSetSystemAffinityThreadEx(1);
	for (i = 0; i < BENCH_KE_SAMPLES; i++) {
		init_completion(&bench_ran);
		bench_t_queued = ktime_get_ns();
		KeInsertQueueDpc(&dpc, NULL, NULL);
		wait_for_completion(&bench_ran);
		ntc[i] = bench_t_ran - bench_t_queued;
		init_completion(&bench_ran);
		bench_t_queued = ktime_get_ns();
		smp_call_function_single_async(1, &csd);
		wait_for_completion(&bench_ran);
		raw[i] = bench_t_ran - bench_t_queued;
	}
	KeFlushQueuedDpcs();
	tasklet_kill(&bench_tasklet);
	KeRevertToUserAffinityThreadEx(prev);
	snprintf(bench_result, sizeof(bench_result), "dpc_ntc_ns=%llu dpc_raw_ns=%llu\n",
		 bench_median(ntc, BENCH_KE_SAMPLES), bench_median(raw, BENCH_KE_SAMPLES));
	return 0;
}

static int bench_command(const char *buf)
{
	char cmd[16];
	unsigned int n = 0;
	NTSTATUS status;

	if (sscanf(buf, "%15s %u", cmd, &n) < 1)
		return -EINVAL;
	bench_result[0] = '\0';
	if (!strcmp(cmd, "regs"))
		return bench_set_regs(n);
	if (!strcmp(cmd, "pcc"))
		return bench_set_pcc(n);
	if (!strcmp(cmd, "fanout"))
		return bench_fanout();
	if (!strcmp(cmd, "latarm"))
		return bench_latarm();
	if (!strcmp(cmd, "latresult"))
		return bench_latresult();
	if (!strcmp(cmd, "regcost"))
		return bench_regcost(n);
	if (!strcmp(cmd, "pool"))
		return bench_pool(n);
	if (!strcmp(cmd, "locks"))
		return bench_locks();
	if (!strcmp(cmd, "events"))
		return bench_events();
	if (!strcmp(cmd, "dpcs"))
		return bench_dpcs();
	if (!strcmp(cmd, "block") && !bench_block_entry) {
		reinit_completion(&bench_release);
		status = IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange,
							0, &GUID_DEVICE_PROCESSOR,
							bench_driver, bench_block_callback,
							NULL, &bench_block_entry);
		return NT_SUCCESS(status) ? 0 : -ENOMEM;
	}
	if (!strcmp(cmd, "release") && bench_block_entry) {
		complete_all(&bench_release);
		IoUnregisterPlugPlayNotificationEx(bench_block_entry);
		bench_block_entry = NULL;
		return 0;
	}
	return -EINVAL;
}

DEFINE_NTC_CTL(bench_ctl, bench_command);

static int bench_result_show(struct seq_file *m, void *v)
{
	seq_puts(m, bench_result);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bench_result);

DRIVER_INITIALIZE DriverEntry;
DRIVER_UNLOAD DriverUnload;

VOID DriverUnload(PDRIVER_OBJECT DriverObject)
{
	debugfs_remove_recursive(bench_dir);
	cpuhp_remove_state_nocalls(bench_cpuhp);
	if (bench_block_entry) {
		complete_all(&bench_release);
		IoUnregisterPlugPlayNotificationEx(bench_block_entry);
	}
	if (bench_lat_entry)
		IoUnregisterPlugPlayNotificationEx(bench_lat_entry);
	bench_set_regs(0);
	bench_set_pcc(0);
	destroy_workqueue(bench_wq);
	kvfree(bench_entries);
	kvfree(bench_pcc);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	int ret;

	bench_driver = DriverObject;
	bench_entries = kvcalloc(BENCH_MAX_REGS, sizeof(*bench_entries), GFP_KERNEL);
	bench_pcc = kvcalloc(BENCH_MAX_REGS, sizeof(*bench_pcc), GFP_KERNEL);
	/* Ordered and unbound, like ntcompat's own dispatcher. */
	bench_wq = alloc_ordered_workqueue("ntc_bench", 0);
	if (!bench_entries || !bench_pcc || !bench_wq)
		goto err;
	/* Allocated after ntcompat's state, so it runs just after it. */
	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "ntc_bench:online",
					bench_cpu_online, NULL);
	if (ret < 0)
		goto err;
	bench_cpuhp = ret;
	bench_dir = debugfs_create_dir("ntc_bench", NULL);
	debugfs_create_file("ctl", 0200, bench_dir, NULL, &bench_ctl_fops);
	debugfs_create_file("result", 0400, bench_dir, NULL, &bench_result_fops);
	DriverObject->DriverUnload = DriverUnload;
	return STATUS_SUCCESS;
err:
	if (bench_wq)
		destroy_workqueue(bench_wq);
	kvfree(bench_entries);
	kvfree(bench_pcc);
	return STATUS_INSUFFICIENT_RESOURCES;
}

NTC_MODULE_DRIVER(DriverEntry);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ntcompat benchmarks against the raw kernel mechanisms");
