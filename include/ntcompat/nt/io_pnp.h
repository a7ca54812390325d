/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/io_pnp.h - asynchronous Plug and Play notification:
 * IoRegisterPlugPlayNotification and the two unregister calls.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes.
 */
#ifndef _NTCOMPAT_NT_IO_PNP_H
#define _NTCOMPAT_NT_IO_PNP_H

#include <linux/stddef.h>

#include <ntdef.h>
#include <ntstatus.h>
#include <guiddef.h>
#include <wdmguid.h>
#include <nt/io_driver.h>

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
 * the callback returns; copy what you keep. As on Windows, every callback
 * for one event gets the same structure: treat it as read-only. (A callback
 * that changes its pointers is logged, and the next one gets them right.)
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
 * N.B. A handle is a number, not the address of anything, and no number is
 * handed out twice while ntcompat is loaded: unregistering a handle a
 * second time fails even if a newer registration took the old one's memory.
 * N.B. Only the driver that registered may unregister: a live handle passed
 * by another driver's code is refused with STATUS_ACCESS_DENIED and the
 * registration stays (Windows takes any caller's word). The caller is known
 * by its return address; ntcompat.mk builds drivers so that it always is.
 *
 * Context: process context (PASSIVE_LEVEL); may be called from the
 * registration's own callback.
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for NULL, a handle already
 * unregistered or one that never was; STATUS_ACCESS_DENIED for another
 * driver's handle; STATUS_INVALID_DEVICE_REQUEST from atomic context.
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

#endif /* _NTCOMPAT_NT_IO_PNP_H */
