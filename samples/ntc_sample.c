// SPDX-License-Identifier: GPL-2.0
/*
 * A driver ported from Windows: asynchronous notification of processor and
 * memory hot-add, written as Microsoft's "Registering for Asynchronous Driver
 * Notification" and "Processing an Asynchronous Driver Notification" pages
 * show it. The only Linux-specific line is NTC_MODULE_DRIVER() at the end.
 */
#include <ntddk.h>
#include <wdmguid.h>
#include <poclass.h>

DRIVER_INITIALIZE DriverEntry;
DRIVER_UNLOAD DriverUnload;

/* Prototypes for the asynchronous notification callback functions */
static NTSTATUS AsyncProcessorCallback(IN PVOID NotificationStructure,
				       IN PVOID Context);
static NTSTATUS AsyncMemoryCallback(IN PVOID NotificationStructure,
				    IN PVOID Context);

static PVOID ProcessorNotificationEntry;
static PVOID MemoryNotificationEntry;

/* Print a UNICODE_STRING with DbgPrint, which has no %wZ here. */
static const char *NarrowName(PUNICODE_STRING Name, char *Buffer, ULONG Size)
{
	ULONG i, Count = Name->Length / sizeof(WCHAR);

	if (Count >= Size)
		Count = Size - 1;
	for (i = 0; i < Count; i++)
		Buffer[i] = Name->Buffer[i] < 0x80 ? (char)Name->Buffer[i] : '?';
	Buffer[Count] = '\0';
	return Buffer;
}

static const char *EventName(PDEVICE_INTERFACE_CHANGE_NOTIFICATION Notification)
{
	if (IsEqualGUID(&Notification->Event, &GUID_DEVICE_INTERFACE_ARRIVAL))
		return "arrival";
	if (IsEqualGUID(&Notification->Event, &GUID_DEVICE_INTERFACE_REMOVAL))
		return "removal";
	return "unknown event";
}

NTSTATUS DriverEntry(IN PDRIVER_OBJECT DriverObject,
		     IN PUNICODE_STRING RegistryPath)
{
	NTSTATUS Status;

	UNREFERENCED_PARAMETER(RegistryPath);

	/* Register for asynchronous processor arrival notifications */
	Status = IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange,
						0,
						&GUID_DEVICE_PROCESSOR,
						DriverObject,
						AsyncProcessorCallback,
						NULL,
						&ProcessorNotificationEntry);
	if (!NT_SUCCESS(Status)) {
		DbgPrint("ntc_sample: processor registration failed: %#x\n", Status);
		return Status;
	}

	/* Register for asynchronous memory arrival notifications */
	Status = IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange,
						0,
						&GUID_DEVICE_MEMORY,
						DriverObject,
						AsyncMemoryCallback,
						NULL,
						&MemoryNotificationEntry);
	if (!NT_SUCCESS(Status)) {
		DbgPrint("ntc_sample: memory registration failed: %#x\n", Status);
		IoUnregisterPlugPlayNotification(ProcessorNotificationEntry);
		return Status;
	}

	DriverObject->DriverUnload = DriverUnload;
	DbgPrint("ntc_sample: registered for processor and memory arrival\n");
	return STATUS_SUCCESS;
}

VOID DriverUnload(IN PDRIVER_OBJECT DriverObject)
{
	NTSTATUS Status;

	UNREFERENCED_PARAMETER(DriverObject);

	/* Unregister for asynchronous notifications */
	Status = IoUnregisterPlugPlayNotification(ProcessorNotificationEntry);
	if (!NT_SUCCESS(Status))
		DbgPrint("ntc_sample: processor unregistration failed: %#x\n", Status);
	Status = IoUnregisterPlugPlayNotification(MemoryNotificationEntry);
	if (!NT_SUCCESS(Status))
		DbgPrint("ntc_sample: memory unregistration failed: %#x\n", Status);
	DbgPrint("ntc_sample: unregistered\n");
}

/* Asynchronous processor notification callback function */
static NTSTATUS AsyncProcessorCallback(IN PVOID NotificationStructure,
				       IN PVOID Context)
{
	PDEVICE_INTERFACE_CHANGE_NOTIFICATION Notification;
	ULONG ProcessorCount;
	KAFFINITY ActiveProcessors;
	char Name[128];

	UNREFERENCED_PARAMETER(Context);

	Notification = (PDEVICE_INTERFACE_CHANGE_NOTIFICATION)NotificationStructure;

	/*
	 * Verify that this notification is about a processor that is being
	 * added to the hardware partition.
	 */
	if (IsEqualGUID(&Notification->Event, &GUID_DEVICE_INTERFACE_ARRIVAL)) {
		/* Get the current processor count and affinity */
		ProcessorCount = KeQueryActiveProcessorCount(&ActiveProcessors);

		/*
		 * A real driver adjusts its per-processor resources, threads,
		 * DPCs and load balancing here.
		 */
		DbgPrint("ntc_sample: processor %s: %s, %u active processors, affinity %#lx\n",
			 EventName(Notification),
			 NarrowName(Notification->SymbolicLinkName, Name, sizeof(Name)),
			 ProcessorCount, ActiveProcessors);
	} else {
		DbgPrint("ntc_sample: processor %s: %s\n", EventName(Notification),
			 NarrowName(Notification->SymbolicLinkName, Name, sizeof(Name)));
	}

	/* Always return success status */
	return STATUS_SUCCESS;
}

/* Asynchronous memory notification callback function */
static NTSTATUS AsyncMemoryCallback(IN PVOID NotificationStructure,
				    IN PVOID Context)
{
	PDEVICE_INTERFACE_CHANGE_NOTIFICATION Notification;
	char Name[128];

	UNREFERENCED_PARAMETER(Context);

	Notification = (PDEVICE_INTERFACE_CHANGE_NOTIFICATION)NotificationStructure;

	/*
	 * On arrival a real driver grows its memory-dependent buffers here;
	 * this one reports which memory came.
	 */
	DbgPrint("ntc_sample: memory %s: %s\n", EventName(Notification),
		 NarrowName(Notification->SymbolicLinkName, Name, sizeof(Name)));

	/* Always return success status */
	return STATUS_SUCCESS;
}

NTC_MODULE_DRIVER(DriverEntry);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ntcompat sample: a ported Windows driver's hot-add callbacks");
