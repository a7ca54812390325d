// SPDX-License-Identifier: GPL-2.0
/*
 * Synchronous processor-change notification: KeRegisterProcessorChangeCallback
 * and KeDeregisterProcessorChangeCallback, on two CPU hotplug states.
 *
 * Windows calls every registration with Start before a processor runs, then
 * with Complete once it is online and schedulable, or with Failure if the
 * add failed after Start; a Start may veto, which fails the add. Linux's
 * hotplug state machine has the two places this needs, and one state of each
 * serves every registration (the dynamic slots are few; the kernel has 20
 * prepare and 30 online ones on 6.1):
 *
 *  - Start: a CPUHP_BP_PREPARE_DYN state. It runs on the control CPU, in the
 *    thread bringing the CPU up, before the CPU is started, and may sleep and
 *    allocate. If it fails, the kernel rolls the bring-up back and the CPU
 *    stays offline (and its QEMU device plugged): a veto really fails the
 *    add. Its teardown runs when a later state of the bring-up fails (and on
 *    every offline, once the CPU is dead): that is where a started CPU gets
 *    Failure. A failing state's own teardown is not called, so a veto sends
 *    Failure from the startup itself. Every Start thus ends in Complete or
 *    Failure, never in nothing.
 *  - Complete: a CPUHP_AP_ONLINE_DYN state. It runs on the new CPU, in its
 *    hotplug thread, once the CPU is online and its per-CPU workqueues and
 *    kernel threads work: a work item queued on it, or a kthread bound to
 *    it, runs there from inside the callback. (The CPU becomes active, and
 *    ordinary threads can be moved onto it, only at CPUHP_AP_ACTIVE, after
 *    the dynamic states.) The asynchronous ARRIVAL is posted from the same
 *    section, but pnp/dispatch.c delivers it only after the whole hotplug
 *    operation ended, so Complete comes first whatever order the two dynamic
 *    states run in.
 *
 * Both run with the CPU hotplug lock held for writing, by the control thread,
 * which the new CPU's hotplug thread works for. Register takes it for
 * reading, which serialises it against a hotplug operation as Windows'
 * processor-change lock does: an ADD_EXISTING replay never overlaps a
 * hot-add, and no registration gets a Complete without its Start. Nothing
 * in here may take the hotplug lock while a callback runs, or wait for
 * something that does; so a call made from inside a callback (recognised by
 * its thread) never takes a lock: Register and the Deregister of the
 * running registration are refused (Windows deadlocks there), the
 * Deregister of another registration only marks it dead, and the walk
 * frees it when done.
 *
 * Locks, in the order they are taken:
 *
 *	cpu_hotplug_lock	(the kernel's) held for writing by the hotplug
 *				callbacks, for reading by Register
 *	ntc_pcc_lock		(mutex) the registrations, which CPUs are
 *				started; held across every callback, so that
 *				Deregister waits for a running one
 *	ntc_handles' xa_lock	(spinlock, handle.c)
 *
 * A processor's index (NtNumber) is its Linux CPU number: stable while the
 * CPU goes offline and comes back, and the number KeGetCurrentProcessorNumberEx()
 * and the asynchronous API's link names use. Linux gives a hot-added CPU the
 * lowest free number, so while no CPU is offline the new index is the count
 * of active processors before it, as on Windows. Each online is announced
 * again: Linux resets a CPU that went offline, and a driver must set it up
 * again (see the N.B. in ke_processor_change.h).
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "ntc.h"
#include "ntc_trace.h"

/**
 * struct ntc_pcc_reg - one KeRegisterProcessorChangeCallback()
 * @handle: its handle, published from registration until deregistered
 * @node: on ntc_pcc_regs, in registration order; under ntc_pcc_lock
 * @callback: the driver's callback; immutable
 * @context: its CallbackContext; immutable
 * @owner: the driver's module, referenced while registered
 * @dead: deregistered from inside a callback; freed after the walk
 * @calls: callbacks made, under ntc_pcc_lock
 * @vetoes: Starts it vetoed, under ntc_pcc_lock
 */
struct ntc_pcc_reg {
	struct ntc_handle handle;
	struct list_head node;
	PPROCESSOR_CALLBACK_FUNCTION callback;
	void *context;
	struct module *owner;
	bool dead;
	unsigned long calls;
	unsigned long vetoes;
};

static DEFINE_MUTEX(ntc_pcc_lock);
static LIST_HEAD(ntc_pcc_regs);
/* CPUs that got Start and not yet Complete or Failure. */
static struct cpumask ntc_pcc_started;
/* The thread calling callbacks, and whose; written under ntc_pcc_lock. */
static struct task_struct *ntc_pcc_caller;
static struct ntc_pcc_reg *ntc_pcc_running;
static enum cpuhp_state ntc_pcc_prepare_state, ntc_pcc_online_state;

struct ntc_pcc_stats ntc_pcc_stats;

static const char *const ntc_pcc_state_name[] = {
	[KeProcessorAddStartNotify] = "start",
	[KeProcessorAddCompleteNotify] = "complete",
	[KeProcessorAddFailureNotify] = "failure",
};

/* Called in the exported functions, so that the driver is named. */
#define ntc_pcc_bad_call(fn, fmt, ...)					\
	do {								\
		atomic_long_inc(&ntc_stats.bad_calls);			\
		pr_warn_ratelimited("%s from %pS: " fmt "\n", fn,	\
				    __builtin_return_address(0),	\
				    ##__VA_ARGS__);			\
	} while (0)

static bool ntc_pcc_in_callback(void)
{
	return READ_ONCE(ntc_pcc_caller) == current;
}

/*
 * Make one call. Each gets its own copy of the change context, so a driver
 * that writes to it (Windows forbids that) misleads nobody else.
 */
static void ntc_pcc_call(struct ntc_pcc_reg *reg, KE_PROCESSOR_CHANGE_NOTIFY_STATE state,
			 unsigned int cpu, NTSTATUS failure, NTSTATUS *status,
			 bool existing)
{
	KE_PROCESSOR_CHANGE_NOTIFY_CONTEXT ctx = {
		.State = state,
		.NtNumber = cpu,
		.Status = failure,
	};
	NTSTATUS before = *status;
	u64 start = 0;

	lockdep_assert_held(&ntc_pcc_lock);
	KeGetProcessorNumberFromIndex(cpu, &ctx.ProcNumber);
	ntc_pcc_running = reg;
	if (trace_ntc_processor_change_enabled())
		start = ktime_get_ns();
	reg->callback(reg->context, &ctx, status);
	if (start)
		trace_ntc_processor_change(module_name(reg->owner), reg->callback,
					   reg->context, state, cpu, before,
					   *status, ktime_get_ns() - start, existing);
	ntc_pcc_running = NULL;
	reg->calls++;
	ntc_stat_inc(ntc_pcc_stats.calls[state]);
	if (state == KeProcessorAddStartNotify && NT_SUCCESS(before) &&
	    !NT_SUCCESS(*status)) {
		reg->vetoes++;
		ntc_stat_inc(ntc_pcc_stats.vetoes);
		pr_info_ratelimited("%ps vetoed processor %u: %#010x\n",
				    reg->callback, cpu, *status);
	}
}

/* Call every live registration, in registration order, with one status. */
static void ntc_pcc_walk_locked(KE_PROCESSOR_CHANGE_NOTIFY_STATE state,
				unsigned int cpu, NTSTATUS failure, NTSTATUS *status)
{
	struct ntc_pcc_reg *reg;

	lockdep_assert_held(&ntc_pcc_lock);
	list_for_each_entry(reg, &ntc_pcc_regs, node)
		if (!reg->dead)
			ntc_pcc_call(reg, state, cpu, failure, status, false);
}

static void ntc_pcc_free(struct ntc_pcc_reg *reg)
{
	module_put(reg->owner);
	kfree(reg);
}

/* Free what callbacks deregistered while the walk ran. */
static void ntc_pcc_reap_locked(void)
{
	struct ntc_pcc_reg *reg, *tmp;

	lockdep_assert_held(&ntc_pcc_lock);
	list_for_each_entry_safe(reg, tmp, &ntc_pcc_regs, node) {
		if (!reg->dead)
			continue;
		list_del(&reg->node);
		ntc_pcc_free(reg);
	}
}

static void ntc_pcc_begin(void)
{
	mutex_lock(&ntc_pcc_lock);
	WRITE_ONCE(ntc_pcc_caller, current);
}

static void ntc_pcc_end(void)
{
	WRITE_ONCE(ntc_pcc_caller, NULL);
	ntc_pcc_reap_locked();
	mutex_unlock(&ntc_pcc_lock);
}

/* Tell every registration that the add of @cpu failed with @why. */
static void ntc_pcc_fail_locked(unsigned int cpu, NTSTATUS why)
{
	NTSTATUS status = why;

	ntc_pcc_walk_locked(KeProcessorAddFailureNotify, cpu, why, &status);
}

/* CPUHP_BP_PREPARE_DYN startup: Start, on the control CPU. */
static int ntc_pcc_prepare(unsigned int cpu)
{
	NTSTATUS status = STATUS_SUCCESS;
	u64 t0 = ktime_get_ns();

	ntc_pcc_begin();
	ntc_pcc_walk_locked(KeProcessorAddStartNotify, cpu, STATUS_SUCCESS, &status);
	if (NT_SUCCESS(status))
		cpumask_set_cpu(cpu, &ntc_pcc_started);
	else
		ntc_pcc_fail_locked(cpu, status);
	WRITE_ONCE(ntc_pcc_stats.last_start_ns, ktime_get_ns() - t0);
	ntc_pcc_end();
	return NT_SUCCESS(status) ? 0 : ntc_status_to_errno(status);
}

/*
 * CPUHP_BP_PREPARE_DYN teardown: on the control CPU, after a later state
 * of the bring-up failed (or after an offline, when nothing is started).
 */
static int ntc_pcc_dead(unsigned int cpu)
{
	ntc_pcc_begin();
	if (cpumask_test_and_clear_cpu(cpu, &ntc_pcc_started))
		ntc_pcc_fail_locked(cpu, STATUS_UNSUCCESSFUL);
	ntc_pcc_end();
	return 0;
}

/* CPUHP_AP_ONLINE_DYN startup: Complete, on the new CPU. */
static int ntc_pcc_online(unsigned int cpu)
{
	NTSTATUS status = STATUS_SUCCESS;
	u64 t0 = ktime_get_ns();

	ntc_pcc_begin();
	if (cpumask_test_and_clear_cpu(cpu, &ntc_pcc_started))
		ntc_pcc_walk_locked(KeProcessorAddCompleteNotify, cpu,
				    STATUS_SUCCESS, &status);
	WRITE_ONCE(ntc_pcc_stats.last_complete_ns, ktime_get_ns() - t0);
	ntc_pcc_end();
	return 0;
}

/*
 * KE_PROCESSOR_CHANGE_ADD_EXISTING, as Windows does it: Start for every
 * active processor in index order, the status reset before each; then
 * Complete for each, the status carried from one to the next. A veto at
 * processor k removes @reg first, then gives processors before k Failure.
 * Return: 0, or -ECANCELED after a veto.
 */
static int ntc_pcc_add_existing_locked(struct ntc_pcc_reg *reg)
{
	NTSTATUS status = STATUS_SUCCESS, veto;
	unsigned int cpu, vetoed = nr_cpu_ids;

	lockdep_assert_held(&ntc_pcc_lock);	/* and cpus_read_lock(), not exported to check */
	for_each_online_cpu(cpu) {
		status = STATUS_SUCCESS;
		ntc_pcc_call(reg, KeProcessorAddStartNotify, cpu, STATUS_SUCCESS,
			     &status, true);
		if (!NT_SUCCESS(status)) {
			vetoed = cpu;
			break;
		}
	}
	if (vetoed == nr_cpu_ids) {
		status = STATUS_SUCCESS;
		for_each_online_cpu(cpu)
			ntc_pcc_call(reg, KeProcessorAddCompleteNotify, cpu,
				     STATUS_SUCCESS, &status, true);
		return 0;
	}
	veto = status;
	ntc_handle_unpublish(&reg->handle);
	list_del(&reg->node);
	for_each_online_cpu(cpu) {
		if (cpu == vetoed)
			break;
		ntc_pcc_call(reg, KeProcessorAddFailureNotify, cpu, veto, &status, true);
	}
	return -ECANCELED;
}

static int ntc_pcc_register(struct module *owner, PPROCESSOR_CALLBACK_FUNCTION callback,
			    void *context, bool existing, void **handle)
{
	struct ntc_pcc_reg *reg;
	int ret;

	reg = kzalloc(sizeof(*reg), GFP_KERNEL);
	if (!reg)
		return -ENOMEM;
	if (!try_module_get(owner)) {
		kfree(reg);
		return -ENOENT;
	}
	reg->owner = owner;
	reg->callback = callback;
	reg->context = context;

	cpus_read_lock();
	ntc_pcc_begin();
	ret = ntc_handle_publish(&reg->handle, NTC_HANDLE_PROCESSOR_CHANGE, owner);
	if (!ret) {
		list_add_tail(&reg->node, &ntc_pcc_regs);
		if (existing)
			ret = ntc_pcc_add_existing_locked(reg);
	}
	if (!ret) {
		ntc_stat_inc(ntc_pcc_stats.registered);
		*handle = (void *)reg->handle.value;
	}
	ntc_pcc_end();
	cpus_read_unlock();
	if (ret)
		ntc_pcc_free(reg);
	return ret;
}

/*
 * From inside a callback this thread holds ntc_pcc_lock already and the
 * walk is under way: mark the registration dead, the walk frees it.
 * Return: 0, -EDEADLK for the registration whose callback is running,
 * -EINVAL or -EACCES (see ntc_handle_take()).
 */
static int ntc_pcc_deregister(void *handle, struct module *caller)
{
	bool inside = ntc_pcc_in_callback();
	struct ntc_pcc_reg *reg;
	struct ntc_handle *h;
	int ret = 0;

	if (!inside)
		mutex_lock(&ntc_pcc_lock);
	lockdep_assert_held(&ntc_pcc_lock);
	if (inside && ntc_pcc_running &&
	    (unsigned long)handle == ntc_pcc_running->handle.value) {
		ret = -EDEADLK;
		goto out;
	}
	h = ntc_handle_take(handle, NTC_HANDLE_PROCESSOR_CHANGE, caller);
	if (IS_ERR(h)) {
		ret = PTR_ERR(h);
		goto out;
	}
	reg = container_of(h, struct ntc_pcc_reg, handle);
	ntc_stat_inc(ntc_pcc_stats.deregistered);
	if (inside) {
		reg->dead = true;
	} else {
		list_del(&reg->node);
		ntc_pcc_free(reg);
	}
out:
	if (!inside)
		mutex_unlock(&ntc_pcc_lock);
	return ret;
}

PVOID KeRegisterProcessorChangeCallback(PPROCESSOR_CALLBACK_FUNCTION CallbackFunction,
					PVOID CallbackContext, ULONG Flags)
{
	struct module *owner;
	void *handle = NULL;
	int ret;

	if (!ntc_may_sleep()) {
		ntc_pcc_bad_call(__func__, "called from atomic context");
		return NULL;
	}
	if (!CallbackFunction) {
		ntc_pcc_bad_call(__func__, "NULL CallbackFunction");
		return NULL;
	}
	if (ntc_pcc_in_callback()) {
		ntc_pcc_bad_call(__func__, "called from inside a processor-change callback (deadlocks on Windows)");
		return NULL;
	}
	owner = ntc_caller_module(_RET_IP_);
	if (!owner) {
		ntc_pcc_bad_call(__func__, "caller is not a driver loaded through NTC_MODULE_DRIVER()");
		return NULL;
	}
	if (ntc_shutting_down())
		return NULL;
	/* As on Windows, only bit 0 of Flags is looked at. */
	ret = ntc_pcc_register(owner, CallbackFunction, CallbackContext,
			       Flags & KE_PROCESSOR_CHANGE_ADD_EXISTING, &handle);
	if (ret && ret != -ECANCELED)
		pr_info_ratelimited("%s from %pS failed: %#010x\n", __func__,
				    __builtin_return_address(0), ntc_errno_to_status(ret));
	return handle;
}
EXPORT_SYMBOL_NS_GPL(KeRegisterProcessorChangeCallback, NTC_EXPORT_NS);

VOID KeDeregisterProcessorChangeCallback(PVOID CallbackHandle)
{
	int ret;

	if (!ntc_may_sleep()) {
		ntc_pcc_bad_call(__func__, "called from atomic context");
		return;
	}
	ret = ntc_pcc_deregister(CallbackHandle, ntc_caller_module(_RET_IP_));
	/* Handles are numbers, not addresses: printed as they are. */
	if (ret == -EDEADLK)
		ntc_pcc_bad_call(__func__, "%#lx deregistered from inside its own callback (deadlocks on Windows); ignored",
				 (unsigned long)CallbackHandle);
	else if (ret == -EACCES)
		ntc_pcc_bad_call(__func__, "%#lx is another driver's callback handle",
				 (unsigned long)CallbackHandle);
	else if (ret)
		ntc_pcc_bad_call(__func__, "%#lx is not a live callback handle",
				 (unsigned long)CallbackHandle);
}
EXPORT_SYMBOL_NS_GPL(KeDeregisterProcessorChangeCallback, NTC_EXPORT_NS);

/**
 * ntc_pcc_unregister_driver() - remove what a driver left registered
 * @owner: the driver's module, being unloaded
 *
 * Context: process context, not from inside a processor-change callback.
 * Return: how many registrations were removed.
 */
unsigned int ntc_pcc_unregister_driver(struct module *owner)
{
	struct ntc_pcc_reg *reg, *tmp;
	unsigned int n = 0;

	mutex_lock(&ntc_pcc_lock);
	list_for_each_entry_safe(reg, tmp, &ntc_pcc_regs, node) {
		if (reg->owner != owner)
			continue;
		ntc_handle_unpublish(&reg->handle);
		list_del(&reg->node);
		ntc_pcc_free(reg);
		ntc_stat_inc(ntc_pcc_stats.deregistered);
		n++;
	}
	mutex_unlock(&ntc_pcc_lock);
	return n;
}

/*
 * /sys/kernel/debug/ntcompat/processor_change: one line per registration,
 * in registration order (the order of the calls). The reader holds
 * ntc_pcc_lock from start to stop (seq_file calls stop after every start),
 * so it waits while callbacks run and nothing it prints goes away under it.
 */
static void *ntc_pcc_seq_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&ntc_pcc_lock);
	return seq_list_start(&ntc_pcc_regs, *pos);
}

static void *ntc_pcc_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &ntc_pcc_regs, pos);
}

static void ntc_pcc_seq_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&ntc_pcc_lock);
}

static int ntc_pcc_seq_show(struct seq_file *m, void *v)
{
	const struct ntc_pcc_reg *reg = list_entry(v, struct ntc_pcc_reg, node);

	seq_printf(m, "owner=%s handle=%#lx context=%p calls=%lu vetoes=%lu callback=%pS\n",
		   module_name(reg->owner), reg->handle.value, reg->context,
		   reg->calls, reg->vetoes, reg->callback);
	return 0;
}

static const struct seq_operations ntc_pcc_seq_ops = {
	.start = ntc_pcc_seq_start,
	.next = ntc_pcc_seq_next,
	.stop = ntc_pcc_seq_stop,
	.show = ntc_pcc_seq_show,
};

/**
 * ntc_pcc_seq_open() - open the debugfs view of the registrations
 * @inode: its inode
 * @file: the file being opened
 *
 * Return: 0 or a negative errno.
 */
int ntc_pcc_seq_open(struct inode *inode, struct file *file)
{
	return seq_open(file, &ntc_pcc_seq_ops);
}

/**
 * ntc_pcc_state_names() - the names of the three states, for the stats
 * @state: a KE_PROCESSOR_CHANGE_NOTIFY_STATE
 *
 * Return: "start", "complete" or "failure".
 */
const char *ntc_pcc_state_names(unsigned int state)
{
	return ntc_pcc_state_name[state];
}

/*
 * Without calls: the processors that are up now were never announced to
 * anybody, and an ADD_EXISTING registration replays them itself.
 */
int ntc_pcc_init(void)
{
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "ntcompat:pcc-start",
					ntc_pcc_prepare, ntc_pcc_dead);
	if (ret < 0)
		return ret;
	ntc_pcc_prepare_state = ret;
	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "ntcompat:pcc-complete",
					ntc_pcc_online, NULL);
	if (ret < 0) {
		cpuhp_remove_state_nocalls(ntc_pcc_prepare_state);
		return ret;
	}
	ntc_pcc_online_state = ret;
	return 0;
}

/* Every driver is gone, so no registration is left. */
void ntc_pcc_uninit(void)
{
	cpuhp_remove_state_nocalls(ntc_pcc_online_state);
	cpuhp_remove_state_nocalls(ntc_pcc_prepare_state);
	WARN_ON(!list_empty(&ntc_pcc_regs));
}
