/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/io_driver.h - DRIVER_OBJECT, and DriverEntry and DriverUnload as a
 * Linux module's init and exit.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes.
 */
#ifndef _NTCOMPAT_NT_IO_DRIVER_H
#define _NTCOMPAT_NT_IO_DRIVER_H

#include <linux/init.h>
#include <linux/module.h>

#include <ntdef.h>
#include <ntstatus.h>

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
/* The priority boost IoCompleteRequest() callers pass. */
#define IO_NO_INCREMENT			0
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

#endif /* _NTCOMPAT_NT_IO_DRIVER_H */
