// SPDX-License-Identifier: GPL-2.0
/*
 * ntc_test_client - a ported-driver stand-in that the selftests steer.
 *
 * It registers notification callbacks in numbered slots on command, makes
 * the bad calls the tests want answered, and records every callback it
 * receives with what it could check from inside the callback, for the test
 * scripts to compare against the hotplug they caused. Through debugfs (root
 * only), in /sys/kernel/debug/ntc_test_client:
 *
 *	ctl	one command per write (see ntc_test_command())
 *	status	"<NTSTATUS> inflight_before=N inflight_after=N events_at_return=N"
 *		for the last command
 *	log	one line per callback received, oldest first
 *	ranges	MmGetPhysicalMemoryRanges(), one "start size" line per range
 *	queries	the Ke* processor queries, as "name=value" lines, made by the
 *		reading thread
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/memory.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include <ntddk.h>
#include <wdmguid.h>
#include <poclass.h>

#include "ntc_ctl.h"

#define NTC_TEST_SLOTS		256
#define NTC_TEST_RECORDS	32768
#define NTC_TEST_LINK		128

enum ntc_test_mode {
	NTC_MODE_RECORD,	/* record and return success */
	NTC_MODE_SLEEP,		/* record, then sleep sleep_ms */
	NTC_MODE_FAIL,		/* record and return STATUS_UNSUCCESSFUL */
	NTC_MODE_SELF_EX,	/* record, Ex-unregister itself, sleep sleep_ms */
	NTC_MODE_SELF,		/* record, unregister itself, sleep sleep_ms */
	NTC_MODE_BLOCK,		/* record, then wait for "release" */
	NTC_MODE_SCRIBBLE,	/* record, then break the notification's pointers */
};

struct ntc_test_slot {
	PVOID entry;		/* non-NULL while registered */
	PVOID stale;		/* the handle it had before unregistering */
	const GUID *class;
	enum ntc_test_mode mode;
	unsigned int sleep_ms;
	atomic_t inflight;
	atomic_t events;
};

struct ntc_test_record {
	int slot;		/* -1: Context was not one of ours */
	USHORT version;
	USHORT size;
	int event;		/* 0 arrival, 1 removal, 2 other */
	bool class_ok;		/* InterfaceClassGuid is the slot's class */
	bool view_ok;		/* the queries agree with the event */
	bool overlap;		/* ran while the same slot's callback ran */
	ULONG active;		/* KeQueryActiveProcessorCount() in the callback */
	KAFFINITY mask;
	char link[NTC_TEST_LINK];
};

static struct ntc_test_slot ntc_test_slots[NTC_TEST_SLOTS];
static struct ntc_test_record *ntc_test_log;
static unsigned int ntc_test_count;
static bool ntc_test_overflow;
static DEFINE_MUTEX(ntc_test_lock);
static DEFINE_SPINLOCK(ntc_test_spin);

/*
 * "memfail ERRNO": a memory notifier after ntcompat's (priority 0) fails
 * MEM_GOING_ONLINE with -ERRNO, as a later subsystem refusing the memory
 * would; 0 stops it. Where memory-notifier-error-inject is built in, it
 * was registered at boot and runs before ntcompat: this one runs after.
 */
static int ntc_test_memfail;
static bool ntc_test_memfail_registered;

static int ntc_test_mem_notify(struct notifier_block *nb, unsigned long action,
			       void *data)
{
	int err = READ_ONCE(ntc_test_memfail);

	if (action == MEM_GOING_ONLINE && err)
		return notifier_from_errno(-err);
	return NOTIFY_OK;
}

static struct notifier_block ntc_test_mem_nb = {
	.notifier_call = ntc_test_mem_notify,
	.priority = -1,
};

static int ntc_test_set_memfail(int err)
{
	if (!ntc_test_memfail_registered) {
		int ret = register_memory_notifier(&ntc_test_mem_nb);

		if (ret)
			return ret;
		ntc_test_memfail_registered = true;
	}
	WRITE_ONCE(ntc_test_memfail, err);
	return 0;
}
static DECLARE_COMPLETION(ntc_test_release);
static PDRIVER_OBJECT ntc_test_driver;
static struct dentry *ntc_test_dir;

static struct {
	NTSTATUS status;
	int inflight_before;
	int inflight_after;
	int events_at_return;
	unsigned long entry;		/* the handle a reg command got */
} ntc_test_last;

/* {01234567-89ab-cdef-0123-456789abcdef}: a class nobody implements. */
static const GUID ntc_test_bogus_guid = {
	0x01234567, 0x89ab, 0xcdef, { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef }
};

static int ntc_test_slot_of(PVOID Context)
{
	uintptr_t off = (uintptr_t)Context - (uintptr_t)ntc_test_slots;

	if ((uintptr_t)Context < (uintptr_t)ntc_test_slots ||
	    off >= sizeof(ntc_test_slots) || off % sizeof(ntc_test_slots[0]))
		return -1;
	return off / sizeof(ntc_test_slots[0]);
}

/* Does MmGetPhysicalMemoryRanges() hold [start, start + len) entirely? */
static bool ntc_test_ranges_hold(u64 start, u64 len, bool *any_overlap)
{
	PPHYSICAL_MEMORY_RANGE r = MmGetPhysicalMemoryRanges();
	bool held = false;
	int i;

	*any_overlap = false;
	if (!r)
		return false;
	for (i = 0; r[i].BaseAddress.QuadPart || r[i].NumberOfBytes.QuadPart; i++) {
		u64 s = r[i].BaseAddress.QuadPart, e = s + r[i].NumberOfBytes.QuadPart;

		if (s <= start && start + len <= e)
			held = true;
		if (s < start + len && start < e)
			*any_overlap = true;
	}
	ExFreePool(r);
	return held;
}

/*
 * Check from inside the callback that the system already looks as the
 * event says: a processor that arrived is active, one removed is not;
 * memory that arrived is in the physical ranges, memory removed is not.
 */
static bool ntc_test_view_ok(const struct ntc_test_record *r)
{
	unsigned long long start, len;
	PROCESSOR_NUMBER pn;
	unsigned int cpu;
	bool overlap;

	if (sscanf(r->link, "\\??\\ACPI#ACPI0007#%u#", &cpu) == 1) {
		bool active = cpu < MAXIMUM_PROC_PER_GROUP && (r->mask >> cpu & 1);

		if (cpu >= MAXIMUM_PROC_PER_GROUP ||
		    !NT_SUCCESS(KeGetProcessorNumberFromIndex(cpu, &pn)) ||
		    pn.Group != 0 || pn.Number != cpu ||
		    KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS) != r->active ||
		    KeQueryMaximumProcessorCountEx(ALL_PROCESSOR_GROUPS) < r->active)
			return false;
		return r->event == 0 ? active : !active;
	}
	if (sscanf(r->link, "\\??\\ACPI#PNP0C80#%llx+%llx#", &start, &len) == 2) {
		bool held = ntc_test_ranges_hold(start, len, &overlap);

		return r->event == 0 ? held : !overlap;
	}
	return false;
}

static NTSTATUS ntc_test_callback(PVOID NotificationStructure, PVOID Context)
{
	PDEVICE_INTERFACE_CHANGE_NOTIFICATION n = NotificationStructure;
	int slot = ntc_test_slot_of(Context);
	struct ntc_test_slot *s = slot >= 0 ? &ntc_test_slots[slot] : NULL;
	struct ntc_test_record r = { .slot = slot };
	NTSTATUS status = STATUS_SUCCESS;
	unsigned int i, len;

	if (s)
		r.overlap = atomic_inc_return(&s->inflight) > 1;
	r.version = n->Version;
	r.size = n->Size;
	if (IsEqualGUID(&n->Event, &GUID_DEVICE_INTERFACE_ARRIVAL))
		r.event = 0;
	else if (IsEqualGUID(&n->Event, &GUID_DEVICE_INTERFACE_REMOVAL))
		r.event = 1;
	else
		r.event = 2;
	r.class_ok = s && IsEqualGUID(&n->InterfaceClassGuid, s->class);
	r.active = KeQueryActiveProcessorCount(&r.mask);
	len = n->SymbolicLinkName ? n->SymbolicLinkName->Length / sizeof(WCHAR) : 0;
	len = min_t(unsigned int, len, NTC_TEST_LINK - 1);
	for (i = 0; i < len; i++) {
		WCHAR c = n->SymbolicLinkName->Buffer[i];

		r.link[i] = c > 0x20 && c < 0x7f ? c : '?';
	}
	r.view_ok = ntc_test_view_ok(&r);

	mutex_lock(&ntc_test_lock);
	if (ntc_test_count < NTC_TEST_RECORDS)
		ntc_test_log[ntc_test_count++] = r;
	else
		ntc_test_overflow = true;
	mutex_unlock(&ntc_test_lock);

	if (s) {
		atomic_inc(&s->events);
		switch (s->mode) {
		case NTC_MODE_SLEEP:
			msleep(s->sleep_ms);
			break;
		case NTC_MODE_FAIL:
			status = STATUS_UNSUCCESSFUL;
			break;
		case NTC_MODE_BLOCK:
			wait_for_completion(&ntc_test_release);
			break;
		case NTC_MODE_SCRIBBLE:
			/* As a buggy driver would; the next one must not care. */
			n->SymbolicLinkName->Buffer = NULL;
			n->SymbolicLinkName = NULL;
			break;
		case NTC_MODE_SELF_EX:
		case NTC_MODE_SELF:
			if (s->entry) {
				PVOID entry = s->entry;

				s->entry = NULL;
				s->stale = entry;
				status = s->mode == NTC_MODE_SELF_EX ?
					IoUnregisterPlugPlayNotificationEx(entry) :
					IoUnregisterPlugPlayNotification(entry);
				WRITE_ONCE(ntc_test_last.status, status);
				/* Time for a grace period: a free would be done. */
				if (s->sleep_ms)
					msleep(s->sleep_ms);
			}
			break;
		default:
			break;
		}
		atomic_dec(&s->inflight);
	}
	return status;
}

static const GUID *ntc_test_class(const char *class)
{
	if (!strcmp(class, "proc"))
		return &GUID_DEVICE_PROCESSOR;
	if (!strcmp(class, "mem"))
		return &GUID_DEVICE_MEMORY;
	if (!strcmp(class, "bogus"))
		return &ntc_test_bogus_guid;
	return NULL;	/* "null" */
}

/* @how: "reg", or one of the bad-argument variants. */
static NTSTATUS ntc_test_register(const char *how, unsigned int slot,
				  const char *class, ULONG flags, int category)
{
	struct ntc_test_slot *s = &ntc_test_slots[slot];
	PDRIVER_NOTIFICATION_CALLBACK_ROUTINE cb = ntc_test_callback;
	PDRIVER_OBJECT driver = ntc_test_driver;
	PVOID *entry = &s->entry;
	DRIVER_OBJECT fake;
	NTSTATUS status;

	if (s->entry)
		return STATUS_INVALID_PARAMETER;
	s->class = ntc_test_class(class);
	if (!strcmp(how, "regnull"))
		entry = NULL;
	else if (!strcmp(how, "regnocb"))
		cb = NULL;
	else if (!strcmp(how, "regnodrv"))
		driver = NULL;
	else if (!strcmp(how, "regfakedrv")) {
		/* Looks right, but no loaded driver owns it. */
		fake = *ntc_test_driver;
		driver = &fake;
	}

	atomic_set(&s->events, 0);
	status = IoRegisterPlugPlayNotification(category, flags, s->class, driver,
						cb, s, entry);
	ntc_test_last.events_at_return = atomic_read(&s->events);
	if (entry)
		ntc_test_last.entry = (unsigned long)*entry;
	return status;
}

static NTSTATUS ntc_test_unregister(PVOID entry, bool ex)
{
	return ex ? IoUnregisterPlugPlayNotificationEx(entry) :
		IoUnregisterPlugPlayNotification(entry);
}

static NTSTATUS ntc_test_unregister_slot(unsigned int slot, bool ex)
{
	struct ntc_test_slot *s = &ntc_test_slots[slot];
	PVOID entry = s->entry;
	NTSTATUS status;

	ntc_test_last.inflight_before = atomic_read(&s->inflight);
	status = ntc_test_unregister(entry, ex);
	ntc_test_last.inflight_after = atomic_read(&s->inflight);
	if (NT_SUCCESS(status)) {
		s->entry = NULL;
		s->stale = entry;
	}
	return status;
}

/* Make a call from atomic context: it must be refused, not sleep. */
static NTSTATUS ntc_test_atomic(const char *what, unsigned int slot)
{
	struct ntc_test_slot *s = &ntc_test_slots[slot];
	NTSTATUS status;
	PVOID entry = NULL;

	spin_lock(&ntc_test_spin);
	if (!strcmp(what, "reg"))
		status = IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange,
							0, &GUID_DEVICE_PROCESSOR,
							ntc_test_driver,
							ntc_test_callback, s, &entry);
	else
		status = ntc_test_unregister(s->entry, !strcmp(what, "unregex"));
	spin_unlock(&ntc_test_spin);
	/* Should it have been accepted after all, leave nothing behind. */
	if (entry)
		IoUnregisterPlugPlayNotificationEx(entry);
	return status;
}

static int ntc_test_set_mode(unsigned int slot, const char *mode, unsigned int ms)
{
	static const char *const names[] = {
		[NTC_MODE_RECORD] = "record",
		[NTC_MODE_SLEEP] = "sleep",
		[NTC_MODE_FAIL] = "fail",
		[NTC_MODE_SELF_EX] = "selfex",
		[NTC_MODE_SELF] = "self",
		[NTC_MODE_BLOCK] = "block",
		[NTC_MODE_SCRIBBLE] = "scribble",
	};
	struct ntc_test_slot *s = &ntc_test_slots[slot];
	unsigned int m;

	for (m = 0; m < ARRAY_SIZE(names); m++)
		if (!strcmp(mode, names[m]))
			break;
	if (m == ARRAY_SIZE(names))
		return -EINVAL;
	if (m == NTC_MODE_BLOCK)
		reinit_completion(&ntc_test_release);
	s->mode = m;
	s->sleep_ms = ms;
	return 0;
}

/*
 * Commands, one per write:
 *	reg SLOT CLASS [FLAGS [CATEGORY]]	CLASS: proc, mem, bogus, null
 *	regnull|regnocb|regnodrv|regfakedrv SLOT CLASS
 *		the same with a NULL NotificationEntry, NULL callback, NULL
 *		DriverObject, or a DriverObject no loaded driver owns
 *	unreg|unregex SLOT			the slot's live handle
 *	stale|staleex SLOT			the handle it had before
 *	garbage|garbageex SLOT			an address that never was a handle
 *	atomic reg|unreg|unregex SLOT		the call under a spinlock
 *	mode SLOT record|sleep MS|fail|selfex [MS]|self [MS]|block|scribble
 *	release					let every blocked callback return
 *	memfail ERRNO				fail MEM_GOING_ONLINE after ntcompat
 *	clear					forget the log
 */
static int ntc_test_command(const char *buf)
{
	char cmd[16] = "", a[16] = "", b[16] = "";
	unsigned int slot = 0, x = 0;
	int category = EventCategoryDeviceInterfaceChange, n;
	NTSTATUS status;

	n = sscanf(buf, "%15s %u %15s %x %d", cmd, &slot, a, &x, &category);
	if (!strcmp(cmd, "atomic") || !strcmp(cmd, "mode")) {
		n = sscanf(buf, "%15s %15s %u", cmd, a, &slot);
		if (!strcmp(cmd, "mode"))
			n = sscanf(buf, "%15s %u %15s %u", cmd, &slot, b, &x);
	}
	if (n < 1 || slot >= NTC_TEST_SLOTS)
		return -EINVAL;

	memset(&ntc_test_last, 0, sizeof(ntc_test_last));
	if (!strncmp(cmd, "reg", 3) && n >= 3)
		status = ntc_test_register(cmd, slot, a, x, category);
	else if (!strcmp(cmd, "unreg") || !strcmp(cmd, "unregex"))
		status = ntc_test_unregister_slot(slot, cmd[5] == 'e');
	else if (!strcmp(cmd, "stale") || !strcmp(cmd, "staleex"))
		status = ntc_test_unregister(ntc_test_slots[slot].stale, cmd[5] == 'e');
	else if (!strcmp(cmd, "garbage") || !strcmp(cmd, "garbageex"))
		status = ntc_test_unregister(&ntc_test_slots[slot].events, cmd[7] == 'e');
	else if (!strcmp(cmd, "atomic"))
		status = ntc_test_atomic(a, slot);
	else if (!strcmp(cmd, "mode"))
		return ntc_test_set_mode(slot, b, x);
	else if (!strcmp(cmd, "memfail"))
		return ntc_test_set_memfail(slot);
	else if (!strcmp(cmd, "release")) {
		complete_all(&ntc_test_release);
		return 0;
	} else if (!strcmp(cmd, "clear")) {
		mutex_lock(&ntc_test_lock);
		ntc_test_count = 0;
		ntc_test_overflow = false;
		mutex_unlock(&ntc_test_lock);
		status = STATUS_SUCCESS;
	} else {
		return -EINVAL;
	}
	ntc_test_last.status = status;
	return 0;
}

DEFINE_NTC_CTL(ntc_test_ctl, ntc_test_command);

static int ntc_test_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "0x%08x inflight_before=%d inflight_after=%d events_at_return=%d entry=%#lx\n",
		   (u32)ntc_test_last.status, ntc_test_last.inflight_before,
		   ntc_test_last.inflight_after, ntc_test_last.events_at_return,
		   ntc_test_last.entry);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ntc_test_status);

static int ntc_test_log_show(struct seq_file *m, void *v)
{
	static const char *const events[] = { "arrival", "removal", "other" };
	const struct ntc_test_record *r;
	unsigned int i;

	mutex_lock(&ntc_test_lock);
	for (i = 0; i < ntc_test_count; i++) {
		r = &ntc_test_log[i];
		seq_printf(m, "slot=%d event=%s version=%u size=%u class_ok=%d view_ok=%d overlap=%d active=%u mask=%#lx link=%s\n",
			   r->slot, events[r->event], r->version, r->size,
			   r->class_ok, r->view_ok, r->overlap, r->active, r->mask,
			   r->link);
	}
	if (ntc_test_overflow)
		seq_puts(m, "overflow\n");
	mutex_unlock(&ntc_test_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ntc_test_log);

static int ntc_test_ranges_show(struct seq_file *m, void *v)
{
	PPHYSICAL_MEMORY_RANGE r = MmGetPhysicalMemoryRanges();
	int i;

	if (!r)
		return -ENOMEM;
	for (i = 0; r[i].BaseAddress.QuadPart || r[i].NumberOfBytes.QuadPart; i++)
		seq_printf(m, "%llx %llx\n", r[i].BaseAddress.QuadPart,
			   r[i].NumberOfBytes.QuadPart);
	ExFreePool(r);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ntc_test_ranges);

static int ntc_test_queries_show(struct seq_file *m, void *v)
{
	PROCESSOR_NUMBER pn, cur;
	KAFFINITY mask;
	ULONG index, i;

	seq_printf(m, "active=%u\n", KeQueryActiveProcessorCount(&mask));
	seq_printf(m, "active_mask=%#lx\n", mask);
	seq_printf(m, "active_group0=%u\n", KeQueryActiveProcessorCountEx(0));
	seq_printf(m, "active_group1=%u\n", KeQueryActiveProcessorCountEx(1));
	seq_printf(m, "active_all=%u\n",
		   KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS));
	seq_printf(m, "maximum=%u\n", KeQueryMaximumProcessorCount());
	seq_printf(m, "maximum_all=%u\n",
		   KeQueryMaximumProcessorCountEx(ALL_PROCESSOR_GROUPS));
	/* Pinned by the reader (taskset): the answer cannot go stale. */
	index = KeGetCurrentProcessorNumberEx(&cur);
	seq_printf(m, "current=%u group=%u number=%u\n", index, cur.Group, cur.Number);
	for (i = 0; i < 4096; i++) {
		if (!NT_SUCCESS(KeGetProcessorNumberFromIndex(i, &pn)))
			break;
		if (pn.Group != i / 64 || pn.Number != i % 64)
			break;
	}
	seq_printf(m, "valid_indexes=%u\n", i);
	seq_printf(m, "null_number=0x%08x\n", (u32)KeGetProcessorNumberFromIndex(0, NULL));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ntc_test_queries);

DRIVER_INITIALIZE DriverEntry;
DRIVER_UNLOAD DriverUnload;

VOID DriverUnload(PDRIVER_OBJECT DriverObject)
{
	unsigned int slot;

	debugfs_remove_recursive(ntc_test_dir);
	if (ntc_test_memfail_registered)
		unregister_memory_notifier(&ntc_test_mem_nb);
	complete_all(&ntc_test_release);
	for (slot = 0; slot < NTC_TEST_SLOTS; slot++)
		if (ntc_test_slots[slot].entry)
			ntc_test_unregister_slot(slot, true);
	kvfree(ntc_test_log);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	ntc_test_log = kvcalloc(NTC_TEST_RECORDS, sizeof(*ntc_test_log), GFP_KERNEL);
	if (!ntc_test_log)
		return STATUS_INSUFFICIENT_RESOURCES;
	ntc_test_driver = DriverObject;
	ntc_test_dir = debugfs_create_dir("ntc_test_client", NULL);
	debugfs_create_file("ctl", 0200, ntc_test_dir, NULL, &ntc_test_ctl_fops);
	debugfs_create_file("status", 0400, ntc_test_dir, NULL, &ntc_test_status_fops);
	debugfs_create_file("log", 0400, ntc_test_dir, NULL, &ntc_test_log_fops);
	debugfs_create_file("ranges", 0400, ntc_test_dir, NULL, &ntc_test_ranges_fops);
	debugfs_create_file("queries", 0400, ntc_test_dir, NULL, &ntc_test_queries_fops);
	DriverObject->DriverUnload = DriverUnload;
	return STATUS_SUCCESS;
}

NTC_MODULE_DRIVER(DriverEntry);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ntcompat selftest client: records the notifications it receives");
