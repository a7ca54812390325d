// SPDX-License-Identifier: GPL-2.0
/*
 * ntc_pcc_test - a ported driver that the processor-change selftests steer.
 *
 * It registers KeRegisterProcessorChangeCallback() in numbered slots on
 * command, vetoes, does inside its callbacks what real drivers do there
 * (allocate, sleep, queue work on the new processor and wait for it, start a
 * thread bound to it) or what they must not (register, deregister), and
 * records every call with what it could check from inside. Through debugfs,
 * in /sys/kernel/debug/ntc_pcc_test:
 *
 *	ctl	one command per write (see ntc_pcc_command())
 *	status	"<NTSTATUS> <detail>" of the last command
 *	log	one line per callback, oldest first
 *	running	the slot whose slow callback is running, or -1
 */
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include <wdm.h>

#include "ntc_ctl.h"

#define NTC_PCC_SLOTS	16
#define NTC_PCC_LINES	4096
#define NTC_PCC_LINE	200

enum ntc_pcc_mode {
	NTC_PCC_PLAIN,		/* record only */
	NTC_PCC_BOUND,		/* Complete: work and a kthread on the new CPU */
	NTC_PCC_BUSY,		/* allocate, sleep, queue work and wait */
	NTC_PCC_REG,		/* try to register from inside */
	NTC_PCC_SELF,		/* try to deregister itself from inside */
	NTC_PCC_OTHER,		/* deregister slot @arg from inside */
	NTC_PCC_SLOW,		/* Complete sleeps 2 s, flagged in "running" */
};

struct ntc_pcc_slot {
	PVOID handle;
	PVOID stale;
	enum ntc_pcc_mode mode;
	int arg;
	NTSTATUS veto;		/* stored in Start, if still success */
	int veto_at;		/* only for this NtNumber; -1: any */
	u64 slow_end_ns;
};

static struct ntc_pcc_slot ntc_pcc_slots[NTC_PCC_SLOTS];
static char (*ntc_pcc_log)[NTC_PCC_LINE];
static unsigned int ntc_pcc_nlines;
static DEFINE_SPINLOCK(ntc_pcc_log_lock);
static DEFINE_MUTEX(ntc_pcc_ctl_lock);
static int ntc_pcc_running = -1;
static bool ntc_pcc_registering;	/* inside the ctl's Register call */
static char ntc_pcc_status[NTC_PCC_LINE];
static struct dentry *ntc_pcc_dir;

static void ntc_pcc_record(const char *fmt, ...) __printf(1, 2);
static void ntc_pcc_record(const char *fmt, ...)
{
	va_list ap;

	spin_lock(&ntc_pcc_log_lock);
	if (ntc_pcc_nlines < NTC_PCC_LINES) {
		va_start(ap, fmt);
		vsnprintf(ntc_pcc_log[ntc_pcc_nlines++], NTC_PCC_LINE, fmt, ap);
		va_end(ap);
	}
	spin_unlock(&ntc_pcc_log_lock);
}

struct ntc_pcc_probe {
	struct work_struct work;
	struct completion done;
	int cpu;
};

static void ntc_pcc_probe_work(struct work_struct *work)
{
	struct ntc_pcc_probe *p = container_of(work, struct ntc_pcc_probe, work);

	p->cpu = raw_smp_processor_id();
}

static int ntc_pcc_probe_thread(void *arg)
{
	struct ntc_pcc_probe *p = arg;

	p->cpu = raw_smp_processor_id();
	complete(&p->done);
	return 0;
}

/* Where a work item queued on @cpu, and a kthread bound to it, really ran. */
static void ntc_pcc_run_on(unsigned int cpu, int *wq_cpu, int *kt_cpu)
{
	struct ntc_pcc_probe p = { .cpu = -1 };
	struct task_struct *t;

	INIT_WORK_ONSTACK(&p.work, ntc_pcc_probe_work);
	queue_work_on(cpu, system_highpri_wq, &p.work);
	flush_work(&p.work);
	destroy_work_on_stack(&p.work);
	*wq_cpu = p.cpu;

	p.cpu = -1;
	init_completion(&p.done);
	t = kthread_create_on_cpu(ntc_pcc_probe_thread, &p, cpu, "ntc_pcc/%u");
	if (IS_ERR(t)) {
		*kt_cpu = -2;
		return;
	}
	wake_up_process(t);
	wait_for_completion(&p.done);
	*kt_cpu = p.cpu;
}

/* What real Start handlers do: grow an array, wait for a work item. */
static void ntc_pcc_busy(void)
{
	struct ntc_pcc_probe p = { .cpu = -1 };
	void *mem = kmalloc(4096, GFP_KERNEL);

	usleep_range(1000, 2000);
	INIT_WORK_ONSTACK(&p.work, ntc_pcc_probe_work);
	queue_work(system_unbound_wq, &p.work);
	flush_work(&p.work);
	destroy_work_on_stack(&p.work);
	kfree(mem);
}

static PROCESSOR_CALLBACK_FUNCTION ntc_pcc_callback;

static const char *ntc_pcc_inside(struct ntc_pcc_slot *s)
{
	PVOID h;

	switch (s->mode) {
	case NTC_PCC_REG:
		h = KeRegisterProcessorChangeCallback(ntc_pcc_callback, s, 0);
		return h ? "reg_got_handle" : "reg_null";
	case NTC_PCC_SELF:
		KeDeregisterProcessorChangeCallback(s->handle);
		return "self_dereg";
	case NTC_PCC_OTHER:
		if (s->arg < 0 || s->arg >= NTC_PCC_SLOTS || !ntc_pcc_slots[s->arg].handle)
			return "other_none";
		KeDeregisterProcessorChangeCallback(ntc_pcc_slots[s->arg].handle);
		ntc_pcc_slots[s->arg].stale = ntc_pcc_slots[s->arg].handle;
		ntc_pcc_slots[s->arg].handle = NULL;
		return "other_dereg";
	case NTC_PCC_BUSY:
		ntc_pcc_busy();
		return "busy";
	default:
		return "-";
	}
}

static const char *const ntc_pcc_names[] = { "start", "complete", "failure" };

static VOID ntc_pcc_callback(PVOID CallbackContext,
			     PKE_PROCESSOR_CHANGE_NOTIFY_CONTEXT ChangeContext,
			     PNTSTATUS OperationStatus)
{
	struct ntc_pcc_slot *s = CallbackContext;
	int slot = s - ntc_pcc_slots, wq_cpu = -1, kt_cpu = -1;
	KE_PROCESSOR_CHANGE_NOTIFY_CONTEXT c = *ChangeContext;
	NTSTATUS in = *OperationStatus;
	PROCESSOR_NUMBER pn = { 0 };
	const char *inside;
	bool roundtrip;

	roundtrip = NT_SUCCESS(KeGetProcessorNumberFromIndex(c.NtNumber, &pn)) &&
		    pn.Group == c.ProcNumber.Group && pn.Number == c.ProcNumber.Number &&
		    KeGetProcessorIndexFromNumber(&c.ProcNumber) == c.NtNumber;
	inside = ntc_pcc_inside(s);
	if (c.State == KeProcessorAddCompleteNotify && s->mode == NTC_PCC_BOUND)
		ntc_pcc_run_on(c.NtNumber, &wq_cpu, &kt_cpu);
	if (c.State == KeProcessorAddCompleteNotify && s->mode == NTC_PCC_SLOW &&
	    !READ_ONCE(ntc_pcc_registering)) {
		WRITE_ONCE(ntc_pcc_running, slot);
		msleep(2000);
		WRITE_ONCE(s->slow_end_ns, ktime_get_ns());
		WRITE_ONCE(ntc_pcc_running, -1);
	}
	if (c.State == KeProcessorAddStartNotify && !NT_SUCCESS(s->veto) &&
	    (s->veto_at < 0 || s->veto_at == c.NtNumber) && NT_SUCCESS(*OperationStatus))
		*OperationStatus = s->veto;
	ntc_pcc_record("slot=%d state=%s cpu=%u group=%u number=%u ctxstatus=0x%08x opstatus=0x%08x roundtrip=%d active=%u online=%d irql=%u existing=%d this_cpu=%d wq_cpu=%d kt_cpu=%d inside=%s\n",
		       slot, c.State < 3 ? ntc_pcc_names[c.State] : "?", c.NtNumber,
		       c.ProcNumber.Group, c.ProcNumber.Number, c.Status, in, roundtrip,
		       KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS),
		       cpu_online(c.NtNumber), KeGetCurrentIrql(),
		       READ_ONCE(ntc_pcc_registering), raw_smp_processor_id(),
		       wq_cpu, kt_cpu, inside);
}

static int ntc_pcc_slot_arg(const char *cmd, const char *fmt, int *slot, int *a, int *b)
{
	int n = sscanf(cmd, fmt, slot, a, b);

	if (n < 1 || *slot < 0 || *slot >= NTC_PCC_SLOTS)
		return -EINVAL;
	return n;
}

static void ntc_pcc_set_status(NTSTATUS st, const char *fmt, ...) __printf(2, 3);
static void ntc_pcc_set_status(NTSTATUS st, const char *fmt, ...)
{
	int n = snprintf(ntc_pcc_status, sizeof(ntc_pcc_status), "0x%08x ", st);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ntc_pcc_status + n, sizeof(ntc_pcc_status) - n, fmt, ap);
	va_end(ap);
}

/* Held around the atomic-context calls; static, so lockdep knows its class. */
static DEFINE_SPINLOCK(ntc_pcc_atomic_lock);

static int ntc_pcc_bad(const char *what)
{
	unsigned long flags;
	PVOID h = NULL;

	if (!strcmp(what, "null")) {
		h = KeRegisterProcessorChangeCallback(NULL, NULL, 0);
	} else if (!strcmp(what, "atomic")) {
		spin_lock_irqsave(&ntc_pcc_atomic_lock, flags);
		h = KeRegisterProcessorChangeCallback(ntc_pcc_callback, &ntc_pcc_slots[0], 0);
		KeDeregisterProcessorChangeCallback((PVOID)1);
		spin_unlock_irqrestore(&ntc_pcc_atomic_lock, flags);
	} else if (!strcmp(what, "garbage")) {
		KeDeregisterProcessorChangeCallback((PVOID)0x12345678);
		KeDeregisterProcessorChangeCallback(NULL);
		KeDeregisterProcessorChangeCallback(&ntc_pcc_slots[0]);
	} else {
		return -EINVAL;
	}
	ntc_pcc_set_status(h ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS, "handle=%p", h);
	return 0;
}

/*
 * Commands:
 *	reg S FLAGS		register slot S with Flags
 *	dereg S			deregister it; "stale S" deregisters its old handle
 *	veto S STATUS [IDX]	Start stores STATUS (only for NtNumber IDX)
 *	mode S M [ARG]		M: 0 plain, 1 bound, 2 busy, 3 reg, 4 self,
 *				5 other (ARG: the slot), 6 slow
 *	bad null|atomic|garbage	the calls that must be refused
 *	clear			empty the log
 */
static int ntc_pcc_command_locked(const char *cmd)
{
	int slot, a = 0, b = -1;
	struct ntc_pcc_slot *s;
	u64 t;

	if (!strncmp(cmd, "bad ", 4)) {
		char what[16];

		if (sscanf(cmd + 4, "%15s", what) != 1)
			return -EINVAL;
		return ntc_pcc_bad(what);
	}
	if (!strncmp(cmd, "clear", 5)) {
		spin_lock(&ntc_pcc_log_lock);
		ntc_pcc_nlines = 0;
		spin_unlock(&ntc_pcc_log_lock);
		return 0;
	}
	if (sscanf(cmd, "reg %d %i", &slot, &a) == 2 && slot >= 0 && slot < NTC_PCC_SLOTS) {
		s = &ntc_pcc_slots[slot];
		WRITE_ONCE(ntc_pcc_registering, true);
		s->handle = KeRegisterProcessorChangeCallback(ntc_pcc_callback, s, a);
		WRITE_ONCE(ntc_pcc_registering, false);
		ntc_pcc_set_status(s->handle ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL,
				   "handle=%p", s->handle);
		return 0;
	}
	if (ntc_pcc_slot_arg(cmd, "dereg %d", &slot, &a, &b) == 1) {
		s = &ntc_pcc_slots[slot];
		KeDeregisterProcessorChangeCallback(s->handle);
		t = ktime_get_ns();
		ntc_pcc_set_status(STATUS_SUCCESS, "dereg_ns=%llu slow_end_ns=%llu", t,
				   READ_ONCE(s->slow_end_ns));
		s->stale = s->handle;
		s->handle = NULL;
		return 0;
	}
	if (ntc_pcc_slot_arg(cmd, "stale %d", &slot, &a, &b) == 1) {
		KeDeregisterProcessorChangeCallback(ntc_pcc_slots[slot].stale);
		ntc_pcc_set_status(STATUS_SUCCESS, "-");
		return 0;
	}
	if (ntc_pcc_slot_arg(cmd, "veto %d %i %d", &slot, &a, &b) >= 2) {
		ntc_pcc_slots[slot].veto = a;
		ntc_pcc_slots[slot].veto_at = b;
		return 0;
	}
	if (ntc_pcc_slot_arg(cmd, "mode %d %d %d", &slot, &a, &b) >= 2) {
		ntc_pcc_slots[slot].mode = a;
		ntc_pcc_slots[slot].arg = b;
		return 0;
	}
	return -EINVAL;
}

/*
 * The ctl lock is not held across the hotplug path (callbacks never take
 * it), so a "dereg" may run while another slot's callback sleeps.
 */
static int ntc_pcc_command(const char *cmd)
{
	int ret;

	mutex_lock(&ntc_pcc_ctl_lock);
	ret = ntc_pcc_command_locked(cmd);
	mutex_unlock(&ntc_pcc_ctl_lock);
	return ret;
}
DEFINE_NTC_CTL(ntc_pcc_ctl, ntc_pcc_command);

static int ntc_pcc_log_show(struct seq_file *m, void *v)
{
	unsigned int i, n;

	spin_lock(&ntc_pcc_log_lock);
	n = ntc_pcc_nlines;
	spin_unlock(&ntc_pcc_log_lock);
	for (i = 0; i < n; i++)
		seq_puts(m, ntc_pcc_log[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ntc_pcc_log);

static int ntc_pcc_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", ntc_pcc_status);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ntc_pcc_status);

static int ntc_pcc_running_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", READ_ONCE(ntc_pcc_running));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ntc_pcc_running);

DRIVER_INITIALIZE DriverEntry;
DRIVER_UNLOAD DriverUnload;

/* As a Windows driver must: deregister everything before unloading. */
VOID DriverUnload(PDRIVER_OBJECT DriverObject)
{
	int i;

	UNREFERENCED_PARAMETER(DriverObject);
	debugfs_remove_recursive(ntc_pcc_dir);
	for (i = 0; i < NTC_PCC_SLOTS; i++)
		if (ntc_pcc_slots[i].handle)
			KeDeregisterProcessorChangeCallback(ntc_pcc_slots[i].handle);
	vfree(ntc_pcc_log);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	int i;

	UNREFERENCED_PARAMETER(RegistryPath);
	ntc_pcc_log = vzalloc(sizeof(*ntc_pcc_log) * NTC_PCC_LINES);
	if (!ntc_pcc_log)
		return STATUS_INSUFFICIENT_RESOURCES;
	for (i = 0; i < NTC_PCC_SLOTS; i++)
		ntc_pcc_slots[i].veto_at = -1;
	ntc_pcc_dir = debugfs_create_dir("ntc_pcc_test", NULL);
	debugfs_create_file("ctl", 0200, ntc_pcc_dir, NULL, &ntc_pcc_ctl_fops);
	debugfs_create_file("status", 0400, ntc_pcc_dir, NULL, &ntc_pcc_status_fops);
	debugfs_create_file("log", 0400, ntc_pcc_dir, NULL, &ntc_pcc_log_fops);
	debugfs_create_file("running", 0400, ntc_pcc_dir, NULL, &ntc_pcc_running_fops);
	DriverObject->DriverUnload = DriverUnload;
	return STATUS_SUCCESS;
}

NTC_MODULE_DRIVER(DriverEntry);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ntcompat selftest driver: processor-change callbacks");
