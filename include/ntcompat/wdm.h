/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdm.h - the part of the Windows Driver Model that ntcompat emulates:
 * asynchronous Plug and Play notification of processor and memory hot-add
 * (IoRegisterPlugPlayNotification and friends), the processor queries a
 * notification callback makes, the DRIVER_OBJECT and debug printing.
 *
 * Everything a driver calls is named exactly as on Windows and behaves as
 * Microsoft documents it. Where Linux forces a difference, or where Windows
 * says nothing and ntcompat had to choose, the kernel-doc of the function says
 * so in an "N.B." paragraph. Linux-side glue is spelled ntc_*.
 */
#ifndef _NTCOMPAT_WDM_H
#define _NTCOMPAT_WDM_H

#include <linux/module.h>
#include <linux/init.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>

#include "ntdef.h"
#include "ntstatus.h"
#include "guiddef.h"
#include "wdmguid.h"

/*
 * ntcompat's exports live in the symbol namespace NTCOMPAT. Every file that
 * includes this header imports it, so a ported driver needs no line of its
 * own; in a module of several files each one adds the same import_ns tag,
 * which modpost and the module loader treat as one. ntcompat itself
 * defines NTC_PROVIDER, as it exports rather than imports.
 *
 * The tag is written out rather than through MODULE_IMPORT_NS(), whose
 * argument is a bare token before Linux 6.13 and a string literal from
 * then on: both expand to this same modinfo tag, so the public headers
 * need not know which kernel they are built for.
 */
#ifndef NTC_PROVIDER
MODULE_INFO(import_ns, "NTCOMPAT");
#endif

/* ---------------------------------------------------------------------- */
/* Interrupt request levels                                                */

typedef UCHAR KIRQL;
typedef UCHAR *PKIRQL;

#define PASSIVE_LEVEL	0
#define LOW_LEVEL	0
#define APC_LEVEL	1
#define DISPATCH_LEVEL	2
#define HIGH_LEVEL	15

/**
 * KeGetCurrentIrql() - the Windows IRQL that matches the Linux context
 *
 * N.B. Linux has no IRQL. Code that may sleep (process context, no spinlock,
 * no RCU read-side section, interrupts on) is reported as PASSIVE_LEVEL;
 * anything else as DISPATCH_LEVEL, the level at which Windows forbids
 * waiting.
 *
 * Return: PASSIVE_LEVEL or DISPATCH_LEVEL.
 */
static inline KIRQL KeGetCurrentIrql(void)
{
	/*
	 * Without a preempt count, spinlocks cannot be seen: trust the task.
	 * Under PREEMPT_RT a spinlock_t leaves preemption on, but its holder
	 * is in an RCU read-side section, which preemptible RCU counts.
	 */
	if (in_task() && !irqs_disabled() && !rcu_preempt_depth() &&
	    (!IS_ENABLED(CONFIG_PREEMPT_COUNT) || preemptible()))
		return PASSIVE_LEVEL;
	return DISPATCH_LEVEL;
}

/* On Windows an assertion that the caller may page fault; here, may sleep. */
#define PAGED_CODE()	might_sleep()

/* ---------------------------------------------------------------------- */
/* Processors                                                              */

typedef ULONG_PTR KAFFINITY;
typedef KAFFINITY *PKAFFINITY;

#define MAXIMUM_PROC_PER_GROUP	64
#define ALL_PROCESSOR_GROUPS	0xffff

/**
 * KeQueryActiveProcessorCount() - number of active processors, and their mask
 * @ActiveProcessors: optional; receives the affinity mask of the active
 *	processors of group 0 (logical CPUs 0 to 63)
 *
 * Computed from the live cpu_online_mask on every call, never cached, so that
 * a notification callback for a processor ARRIVAL already sees the new
 * processor. The mask is built bit by bit: hot-added CPUs leave holes, and it
 * is never assumed to be contiguous.
 *
 * N.B. As on Windows, the count covers all groups while the mask covers group
 * 0 only; on Linux a group is 64 consecutive logical CPU numbers.
 *
 * Context: any.
 * Return: the number of online logical processors.
 */
ULONG KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors);

typedef struct _PROCESSOR_NUMBER {
	USHORT Group;
	UCHAR Number;
	UCHAR Reserved;
} PROCESSOR_NUMBER;
typedef PROCESSOR_NUMBER *PPROCESSOR_NUMBER;

/**
 * KeQueryActiveProcessorCountEx() - number of active processors in a group
 * @GroupNumber: a processor group, or ALL_PROCESSOR_GROUPS
 *
 * Live, like KeQueryActiveProcessorCount().
 *
 * Context: any.
 * Return: the number of online logical processors in the group (0 for a
 * group with none), or in all groups.
 */
ULONG KeQueryActiveProcessorCountEx(USHORT GroupNumber);

/**
 * KeQueryMaximumProcessorCount() - how many processors group 0 can hold
 *
 * N.B. Linux's possible CPUs stand for Windows' maximum: every processor that
 * is or can be hot-added, capped at 64 for group 0.
 *
 * Context: any.
 * Return: the number of possible logical processors in group 0.
 */
ULONG KeQueryMaximumProcessorCount(void);

/**
 * KeQueryMaximumProcessorCountEx() - how many processors a group can hold
 * @GroupNumber: a processor group, or ALL_PROCESSOR_GROUPS
 *
 * Context: any.
 * Return: the number of possible logical processors in the group, or in all.
 */
ULONG KeQueryMaximumProcessorCountEx(USHORT GroupNumber);

/**
 * KeGetProcessorNumberFromIndex() - group and number of a processor index
 * @ProcIndex: a system-wide processor index
 * @ProcNumber: receives its group and number within the group
 *
 * N.B. The processor index is the Linux logical CPU number; group n holds
 * CPUs 64n to 64n + 63. Indexes of possible but offline processors are valid,
 * as on Windows; hot-added processors may leave gaps.
 *
 * Context: any.
 * Return: STATUS_SUCCESS, or STATUS_INVALID_PARAMETER for an index that is
 * not a possible processor or a NULL @ProcNumber.
 */
NTSTATUS KeGetProcessorNumberFromIndex(ULONG ProcIndex, PPROCESSOR_NUMBER ProcNumber);

/**
 * KeGetCurrentProcessorNumberEx() - the processor the caller runs on
 * @ProcNumber: optional; receives its group and number
 *
 * As on Windows, the answer may be stale at once unless the caller cannot
 * migrate (DISPATCH_LEVEL, here preemption disabled).
 *
 * Context: any.
 * Return: its system-wide processor index.
 */
ULONG KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber);

/* ---------------------------------------------------------------------- */
/* Memory                                                                  */

/**
 * ExFreePool() - free memory that ntcompat allocated for the caller
 * @P: what MmGetPhysicalMemoryRanges() returned; NULL is ignored
 *
 * N.B. Only memory that ntcompat hands out may be freed with this; there is
 * no ExAllocatePool here.
 *
 * Context: process context.
 */
VOID ExFreePool(PVOID P);
#define ExFreePoolWithTag(P, Tag)	ExFreePool(P)

/* ---------------------------------------------------------------------- */
/* Driver object                                                           */

struct _DEVICE_OBJECT;
struct _IRP;
struct _DRIVER_OBJECT;

typedef struct _DEVICE_OBJECT DEVICE_OBJECT;
typedef struct _DEVICE_OBJECT *PDEVICE_OBJECT;
typedef struct _IRP IRP;
typedef struct _IRP *PIRP;

typedef NTSTATUS DRIVER_INITIALIZE(struct _DRIVER_OBJECT *DriverObject,
				   PUNICODE_STRING RegistryPath);
typedef DRIVER_INITIALIZE *PDRIVER_INITIALIZE;
typedef VOID DRIVER_UNLOAD(struct _DRIVER_OBJECT *DriverObject);
typedef DRIVER_UNLOAD *PDRIVER_UNLOAD;
typedef NTSTATUS DRIVER_DISPATCH(PDEVICE_OBJECT DeviceObject, PIRP Irp);
typedef DRIVER_DISPATCH *PDRIVER_DISPATCH;
typedef VOID DRIVER_STARTIO(PDEVICE_OBJECT DeviceObject, PIRP Irp);
typedef DRIVER_STARTIO *PDRIVER_STARTIO;

#define IO_TYPE_DRIVER			4
#define IRP_MJ_MAXIMUM_FUNCTION		0x1b

typedef struct _DRIVER_EXTENSION {
	struct _DRIVER_OBJECT *DriverObject;
	PVOID AddDevice;
	ULONG Count;
	UNICODE_STRING ServiceKeyName;
} DRIVER_EXTENSION;
typedef DRIVER_EXTENSION *PDRIVER_EXTENSION;

/*
 * The Windows fields, in Windows order, followed by ntcompat's own. Only
 * Type, Size, DriverName, DriverExtension, DriverInit and DriverUnload mean
 * anything here; the I/O fields exist so that ported code compiles.
 */
typedef struct _DRIVER_OBJECT {
	CSHORT Type;
	CSHORT Size;
	PDEVICE_OBJECT DeviceObject;
	ULONG Flags;
	PVOID DriverStart;
	ULONG DriverSize;
	PVOID DriverSection;
	PDRIVER_EXTENSION DriverExtension;
	UNICODE_STRING DriverName;
	PUNICODE_STRING HardwareDatabase;
	PVOID FastIoDispatch;
	PDRIVER_INITIALIZE DriverInit;
	PDRIVER_STARTIO DriverStartIo;
	PDRIVER_UNLOAD DriverUnload;
	PDRIVER_DISPATCH MajorFunction[IRP_MJ_MAXIMUM_FUNCTION + 1];

	/* ntcompat: not part of the Windows structure. */
	struct module *NtcOwner;
	DRIVER_EXTENSION NtcExtension;
	UNICODE_STRING NtcRegistryPath;
} DRIVER_OBJECT;
typedef DRIVER_OBJECT *PDRIVER_OBJECT;

int ntc_driver_load(PDRIVER_OBJECT DriverObject, struct module *owner,
		    PDRIVER_INITIALIZE entry);
void ntc_driver_unload(PDRIVER_OBJECT DriverObject);

/**
 * NTC_MODULE_DRIVER() - make a Windows DriverEntry the module's init and exit
 * @DriverEntryRoutine: the driver's DRIVER_INITIALIZE routine
 *
 * One line replaces module_init() and module_exit() in a ported driver:
 *
 *	NTC_MODULE_DRIVER(DriverEntry);
 *
 * Loading the module calls DriverEntry(DriverObject, RegistryPath) with a
 * DRIVER_OBJECT owned by the module; a failing NTSTATUS fails insmod with the
 * matching errno.
 *
 * Stopping the driver, as Windows' service control manager would, calls
 * DriverObject->DriverUnload:
 *
 *	echo 1 > /sys/module/<module>/ntcompat/stop
 *
 * As on Windows, a driver with live notification registrations cannot be
 * unloaded: each holds a reference on the module, and rmmod fails with
 * "in use" until DriverUnload (or anything else) has unregistered them. A
 * driver that holds no registration is stopped by rmmod itself, which then
 * calls DriverUnload from the module exit. scripts/ntc-unload does both steps.
 *
 * N.B. Windows will not stop a driver whose DriverUnload is NULL; neither
 * will the stop switch (it fails with EPERM). rmmod of such a driver works
 * once it holds no registration.
 */
#define NTC_MODULE_DRIVER(DriverEntryRoutine)				\
	static DRIVER_OBJECT __ntc_driver_object;			\
	static int __init __ntc_driver_init(void)			\
	{								\
		return ntc_driver_load(&__ntc_driver_object, THIS_MODULE, \
				       DriverEntryRoutine);		\
	}								\
	module_init(__ntc_driver_init);					\
	static void __exit __ntc_driver_exit(void)			\
	{								\
		ntc_driver_unload(&__ntc_driver_object);		\
	}								\
	module_exit(__ntc_driver_exit)

/* ---------------------------------------------------------------------- */
/* Plug and Play notification                                              */

typedef enum _IO_NOTIFICATION_EVENT_CATEGORY {
	EventCategoryReserved,
	EventCategoryHardwareProfileChange,
	EventCategoryDeviceInterfaceChange,
	EventCategoryTargetDeviceChange,
	EventCategoryKernelSoftRestart,
} IO_NOTIFICATION_EVENT_CATEGORY;

#define PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES	0x00000001

typedef NTSTATUS DRIVER_NOTIFICATION_CALLBACK_ROUTINE(PVOID NotificationStructure,
						      PVOID Context);
typedef DRIVER_NOTIFICATION_CALLBACK_ROUTINE *PDRIVER_NOTIFICATION_CALLBACK_ROUTINE;

typedef struct _PLUGPLAY_NOTIFICATION_HEADER {
	USHORT Version;
	USHORT Size;
	GUID Event;
} PLUGPLAY_NOTIFICATION_HEADER;
typedef PLUGPLAY_NOTIFICATION_HEADER *PPLUGPLAY_NOTIFICATION_HEADER;

/*
 * What a callback registered for EventCategoryDeviceInterfaceChange gets as
 * NotificationStructure. It and the string it points to are valid only until
 * the callback returns; copy what you keep.
 */
typedef struct _DEVICE_INTERFACE_CHANGE_NOTIFICATION {
	USHORT Version;
	USHORT Size;
	GUID Event;
	GUID InterfaceClassGuid;
	PUNICODE_STRING SymbolicLinkName;
} DEVICE_INTERFACE_CHANGE_NOTIFICATION;
typedef DEVICE_INTERFACE_CHANGE_NOTIFICATION *PDEVICE_INTERFACE_CHANGE_NOTIFICATION;

static_assert(sizeof(PLUGPLAY_NOTIFICATION_HEADER) == 20, "Windows x64 layout");
static_assert(sizeof(DEVICE_INTERFACE_CHANGE_NOTIFICATION) == 48, "Windows x64 layout");
static_assert(offsetof(DEVICE_INTERFACE_CHANGE_NOTIFICATION, InterfaceClassGuid) == 20,
	      "Windows x64 layout");
static_assert(offsetof(DEVICE_INTERFACE_CHANGE_NOTIFICATION, SymbolicLinkName) == 40,
	      "Windows x64 layout");

/**
 * IoRegisterPlugPlayNotification() - register a callback for hot-add events
 * @EventCategory: must be EventCategoryDeviceInterfaceChange
 * @EventCategoryFlags: 0, or PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES
 * @EventCategoryData: the interface class: &GUID_DEVICE_PROCESSOR or
 *	&GUID_DEVICE_MEMORY
 * @DriverObject: the caller's DRIVER_OBJECT (see NTC_MODULE_DRIVER())
 * @CallbackRoutine: called with a DEVICE_INTERFACE_CHANGE_NOTIFICATION
 * @Context: passed back to @CallbackRoutine unchanged
 * @NotificationEntry: receives the handle for the unregister calls; written
 *	only on success
 *
 * After success, every processor that comes online (GUID_DEVICE_PROCESSOR) or
 * every memory block that comes online (GUID_DEVICE_MEMORY) reaches
 * @CallbackRoutine as an ARRIVAL, in process context (PASSIVE_LEVEL) from
 * ntcompat's workqueue, some time after the hot-add completed: inside the
 * callback the new processor is already counted by
 * KeQueryActiveProcessorCount(), the new memory is already allocatable.
 * SymbolicLinkName names the instance:
 *
 *	\??\ACPI#ACPI0007#<cpu>#{97fadb10-4e33-40ae-359c-8bef029dbdd0}
 *	\??\ACPI#PNP0C80#<start>+<length>#{3fd0f03d-92e0-45fb-b75c-5ed8ffb01021}
 *
 * where <cpu> is the Linux logical CPU number in decimal and <start>,
 * <length> are the physical range in lower-case hexadecimal without 0x.
 * One registration's callbacks never run concurrently, and every
 * registration sees events in the order they happened.
 *
 * N.B. Linux takes processors and memory offline, Windows does not: such an
 * event reaches the callback as GUID_DEVICE_INTERFACE_REMOVAL.
 * N.B. Memory is announced per Linux memory block (128 MiB on x86-64), as
 * Linux onlines it, not per DIMM.
 * N.B. EventCategoryData is declared const here (PVOID on Windows) so that
 * Microsoft's example, which passes &GUID_DEVICE_PROCESSOR, builds without a
 * warning; passing a PVOID works as before.
 * N.B. Only EventCategoryDeviceInterfaceChange with the two GUIDs above is
 * implemented; anything else fails, it is never accepted silently.
 *
 * Context: process context, may sleep (PASSIVE_LEVEL).
 * Each registration holds a reference on the driver's module until it is
 * unregistered: rmmod of the driver fails meanwhile (see NTC_MODULE_DRIVER()).
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_DEVICE_REQUEST when called from
 * atomic context; STATUS_NOT_SUPPORTED for another category (with flags 0) or
 * an interface class other than the two above; STATUS_INVALID_PARAMETER for a
 * NULL argument, unknown flag bits, flags on another category, or a
 * DriverObject that no loaded driver owns; STATUS_INSUFFICIENT_RESOURCES when
 * out of memory; STATUS_DELETE_PENDING while the driver's module is being
 * removed; STATUS_DEVICE_NOT_READY while ntcompat is unloading.
 */
NTSTATUS IoRegisterPlugPlayNotification(IO_NOTIFICATION_EVENT_CATEGORY EventCategory,
					ULONG EventCategoryFlags,
					const VOID *EventCategoryData,
					PDRIVER_OBJECT DriverObject,
					PDRIVER_NOTIFICATION_CALLBACK_ROUTINE CallbackRoutine,
					PVOID Context,
					PVOID *NotificationEntry);

/**
 * IoUnregisterPlugPlayNotification() - remove a registration, without waiting
 * @NotificationEntry: a handle from IoRegisterPlugPlayNotification()
 *
 * No callback for the registration starts after this returns. As on Windows
 * it does not wait for a callback already running; unlike Windows, that
 * callback can never touch freed memory, and the handle is checked before it
 * is used, so a stale or made-up handle is an error rather than a crash.
 *
 * Context: process context (PASSIVE_LEVEL); may be called from the
 * registration's own callback.
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for NULL, a handle already
 * unregistered or one that never was; STATUS_INVALID_DEVICE_REQUEST from
 * atomic context.
 */
NTSTATUS IoUnregisterPlugPlayNotification(PVOID NotificationEntry);

/**
 * IoUnregisterPlugPlayNotificationEx() - remove a registration and wait
 * @NotificationEntry: a handle from IoRegisterPlugPlayNotification()
 *
 * When this returns, no callback for the registration is running or will
 * run: it waits for one in progress on another thread. Called from inside the
 * registration's own callback it does not wait for itself (which would
 * deadlock); the callback that called it is the last one.
 *
 * Context: process context (PASSIVE_LEVEL). Do not hold a lock that the
 * callback takes.
 * Return: as IoUnregisterPlugPlayNotification().
 */
NTSTATUS IoUnregisterPlugPlayNotificationEx(PVOID NotificationEntry);

/* ---------------------------------------------------------------------- */
/* Debug output                                                            */

#define DPFLTR_ERROR_LEVEL	0
#define DPFLTR_WARNING_LEVEL	1
#define DPFLTR_TRACE_LEVEL	2
#define DPFLTR_INFO_LEVEL	3
#define DPFLTR_IHVDRIVER_ID	77

/**
 * DbgPrint() - print to the kernel log
 * @Format: printf-style format, as printk() understands it
 *
 * N.B. The format is printk's: %wZ and %ws (UTF-16 strings) are not
 * understood; the compiler checks the format.
 *
 * Return: STATUS_SUCCESS.
 */
ULONG DbgPrint(PCSTR Format, ...) __printf(1, 2);

/**
 * DbgPrintEx() - print to the kernel log at a level
 * @ComponentId: ignored
 * @Level: DPFLTR_ERROR_LEVEL (KERN_ERR), DPFLTR_WARNING_LEVEL (KERN_WARNING),
 *	DPFLTR_TRACE_LEVEL (KERN_INFO), anything else (pr_debug(), shown only
 *	when dynamic debug enables it, as Windows hides it by default)
 * @Format: printf-style format, as for DbgPrint()
 *
 * Return: STATUS_SUCCESS.
 */
ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...) __printf(3, 4);

#define KdPrint(args)		DbgPrint args
#define KdPrintEx(args)		DbgPrintEx args

#endif /* _NTCOMPAT_WDM_H */
