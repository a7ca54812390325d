// SPDX-License-Identifier: GPL-2.0
/*
 * A driver ported from Windows: synchronous and asynchronous notification of
 * processor hot-add, and asynchronous notification of memory hot-add, written
 * as Microsoft's "Registering for Synchronous Driver Notification",
 * "Registering for Asynchronous Driver Notification" and the matching
 * "Processing ..." pages show it: per-processor state is set up in the
 * processor-change callback's Start, finished in its Complete (or released
 * in Failure), and the asynchronous ARRIVAL, which comes after, finds it
 * ready. The only Linux-specific line is NTC_MODULE_DRIVER() at the end.
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

static PROCESSOR_CALLBACK_FUNCTION ProcessorChangeCallback;

static PVOID ProcessorNotificationEntry;
static PVOID MemoryNotificationEntry;
static PVOID ProcessorChangeHandle;

/*
 * Per-processor state, by processor index, from pool: Start grows the
 * table to the new index and allocates the processor's entry, Complete
 * finishes it, Failure frees it. Start and Complete run one processor at a
 * time, inside the hotplug operation; ProcessorLock is for the
 * asynchronous callback, which reads the table from another thread.
 */
#define SAMPLE_POOL_TAG ((ULONG)'pmaS')	/* "Samp" in poolmon */

enum PROCESSOR_STATE {
	ProcessorUnknown,
	ProcessorStarting,	/* Start set it up */
	ProcessorRunning	/* Complete finished it, on the processor itself */
};

struct PROCESSOR_DATA {
	enum PROCESSOR_STATE State;
};

static struct PROCESSOR_DATA **ProcessorTable;
static ULONG ProcessorTableSize;
static KSPIN_LOCK ProcessorLock;

static const char *const ProcessorStateName[] = { "unknown", "starting", "running" };

/* Make room for the entry of processor Index; called from Start only. */
static NTSTATUS GrowProcessorTable(ULONG Index)
{
	struct PROCESSOR_DATA **NewTable, **OldTable;
	ULONG NewSize;
	KIRQL OldIrql;

	if (Index < ProcessorTableSize)
		return STATUS_SUCCESS;
	NewSize = Index + 1 > 2 * ProcessorTableSize ? Index + 1 : 2 * ProcessorTableSize;
	NewTable = ExAllocatePool2(POOL_FLAG_NON_PAGED, NewSize * sizeof(*NewTable),
				   SAMPLE_POOL_TAG);
	if (!NewTable)
		return STATUS_INSUFFICIENT_RESOURCES;

	KeAcquireSpinLock(&ProcessorLock, &OldIrql);
	if (ProcessorTableSize)
		RtlCopyMemory(NewTable, ProcessorTable, ProcessorTableSize * sizeof(*NewTable));
	OldTable = ProcessorTable;
	ProcessorTable = NewTable;
	ProcessorTableSize = NewSize;
	KeReleaseSpinLock(&ProcessorLock, OldIrql);

	if (OldTable)
		ExFreePoolWithTag(OldTable, SAMPLE_POOL_TAG);
	return STATUS_SUCCESS;
}

/* Put Data in Index's entry; return what was there. */
static struct PROCESSOR_DATA *SetProcessorData(ULONG Index, struct PROCESSOR_DATA *Data)
{
	struct PROCESSOR_DATA *Old;
	KIRQL OldIrql;

	KeAcquireSpinLock(&ProcessorLock, &OldIrql);
	Old = ProcessorTable[Index];
	ProcessorTable[Index] = Data;
	KeReleaseSpinLock(&ProcessorLock, OldIrql);
	return Old;
}

static enum PROCESSOR_STATE ProcessorStateOf(LONG Index)
{
	enum PROCESSOR_STATE State = ProcessorUnknown;
	KIRQL OldIrql;

	KeAcquireSpinLock(&ProcessorLock, &OldIrql);
	if (Index >= 0 && (ULONG)Index < ProcessorTableSize && ProcessorTable[Index])
		State = ProcessorTable[Index]->State;
	KeReleaseSpinLock(&ProcessorLock, OldIrql);
	return State;
}

static VOID FreeProcessorTable(VOID)
{
	ULONG i;

	for (i = 0; i < ProcessorTableSize; i++)
		if (ProcessorTable[i])
			ExFreePoolWithTag(ProcessorTable[i], SAMPLE_POOL_TAG);
	if (ProcessorTable)
		ExFreePoolWithTag(ProcessorTable, SAMPLE_POOL_TAG);
	ProcessorTable = NULL;
	ProcessorTableSize = 0;
}

/* Synchronous processor-change callback function */
static VOID ProcessorChangeCallback(IN PVOID CallbackContext,
				    IN PKE_PROCESSOR_CHANGE_NOTIFY_CONTEXT ChangeContext,
				    IN OUT PNTSTATUS OperationStatus)
{
	ULONG Index = ChangeContext->NtNumber;
	struct PROCESSOR_DATA *Data;
	NTSTATUS Status;
	KIRQL OldIrql;

	UNREFERENCED_PARAMETER(CallbackContext);

	switch (ChangeContext->State) {
	case KeProcessorAddStartNotify:
		/* Before the processor runs: allocate its resources. */
		Status = GrowProcessorTable(Index);
		Data = NT_SUCCESS(Status) ?
		       ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(*Data), SAMPLE_POOL_TAG) :
		       NULL;
		if (!Data) {
			/* Going on would be fatal: veto, unless someone already did. */
			if (NT_SUCCESS(*OperationStatus))
				*OperationStatus = STATUS_INSUFFICIENT_RESOURCES;
			return;
		}
		Data->State = ProcessorStarting;
		/* An entry left from before: Linux announces a processor again on each online. */
		Data = SetProcessorData(Index, Data);
		if (Data)
			ExFreePoolWithTag(Data, SAMPLE_POOL_TAG);
		DbgPrint("ntc_sample: processor-change start: processor %u (group %u, number %u)\n",
			 Index, ChangeContext->ProcNumber.Group, ChangeContext->ProcNumber.Number);
		break;
	case KeProcessorAddCompleteNotify:
		/* The processor is running threads: finish its setup there. */
		KeAcquireSpinLock(&ProcessorLock, &OldIrql);
		if (Index < ProcessorTableSize && ProcessorTable[Index])
			ProcessorTable[Index]->State = ProcessorRunning;
		KeReleaseSpinLock(&ProcessorLock, OldIrql);
		DbgPrint("ntc_sample: processor-change complete: processor %u, running on processor %u\n",
			 Index, KeGetCurrentProcessorNumberEx(NULL));
		break;
	case KeProcessorAddFailureNotify:
		/* The add failed after Start: free what Start allocated. */
		if (Index < ProcessorTableSize) {
			Data = SetProcessorData(Index, NULL);
			if (Data)
				ExFreePoolWithTag(Data, SAMPLE_POOL_TAG);
		}
		DbgPrint("ntc_sample: processor-change failure: processor %u, status %#x\n",
			 Index, ChangeContext->Status);
		break;
	}
}

/* Which processor an asynchronous link name is about, or -1. */
static LONG ProcessorOfLink(PUNICODE_STRING Name)
{
	static const char Prefix[] = "\\??\\ACPI#ACPI0007#";
	ULONG i, Count = Name->Length / sizeof(WCHAR);
	LONG Index = 0;

	for (i = 0; i < sizeof(Prefix) - 1; i++)
		if (i >= Count || Name->Buffer[i] != Prefix[i])
			return -1;
	for (; i < Count && Name->Buffer[i] >= '0' && Name->Buffer[i] <= '9'; i++)
		Index = Index * 10 + (Name->Buffer[i] - '0');
	return Index;
}

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

	KeInitializeSpinLock(&ProcessorLock);

	/*
	 * Register for synchronous processor-change notifications, and be
	 * told of the processors already running before this returns.
	 */
	ProcessorChangeHandle = KeRegisterProcessorChangeCallback(ProcessorChangeCallback,
								  NULL,
								  KE_PROCESSOR_CHANGE_ADD_EXISTING);
	if (!ProcessorChangeHandle) {
		DbgPrint("ntc_sample: processor-change registration failed\n");
		FreeProcessorTable();
		return STATUS_UNSUCCESSFUL;
	}

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
		KeDeregisterProcessorChangeCallback(ProcessorChangeHandle);
		FreeProcessorTable();
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
		KeDeregisterProcessorChangeCallback(ProcessorChangeHandle);
		FreeProcessorTable();
		return Status;
	}

	DriverObject->DriverUnload = DriverUnload;
	DbgPrint("ntc_sample: registered for processor changes, processor and memory arrival\n");
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
	KeDeregisterProcessorChangeCallback(ProcessorChangeHandle);
	/* No callback runs after the calls above returned. */
	FreeProcessorTable();
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
	LONG Index;

	UNREFERENCED_PARAMETER(Context);

	Notification = (PDEVICE_INTERFACE_CHANGE_NOTIFICATION)NotificationStructure;
	Index = ProcessorOfLink(Notification->SymbolicLinkName);

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
		DbgPrint("ntc_sample: processor %s: %s, %u active processors, affinity %#lx, its state %s\n",
			 EventName(Notification),
			 NarrowName(Notification->SymbolicLinkName, Name, sizeof(Name)),
			 ProcessorCount, ActiveProcessors,
			 ProcessorStateName[ProcessorStateOf(Index)]);
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
