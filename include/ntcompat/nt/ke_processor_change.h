/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/ke_processor_change.h - synchronous processor-change notification:
 * KeRegisterProcessorChangeCallback and KeDeregisterProcessorChangeCallback.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes.
 */
#ifndef _NTCOMPAT_NT_KE_PROCESSOR_CHANGE_H
#define _NTCOMPAT_NT_KE_PROCESSOR_CHANGE_H

#include <linux/build_bug.h>
#include <linux/stddef.h>

#include <ntdef.h>
#include <ntstatus.h>
#include <nt/ke_processor.h>

typedef enum _KE_PROCESSOR_CHANGE_NOTIFY_STATE {
	KeProcessorAddStartNotify = 0,
	KeProcessorAddCompleteNotify,
	KeProcessorAddFailureNotify
} KE_PROCESSOR_CHANGE_NOTIFY_STATE;

/*
 * What each call of a PROCESSOR_CALLBACK_FUNCTION is told: the same layout
 * on x86, x64 and ARM64 Windows, 16 bytes, alignment 4.
 */
typedef struct _KE_PROCESSOR_CHANGE_NOTIFY_CONTEXT {
	KE_PROCESSOR_CHANGE_NOTIFY_STATE State;
	ULONG NtNumber;
	NTSTATUS Status;
	PROCESSOR_NUMBER ProcNumber;
} KE_PROCESSOR_CHANGE_NOTIFY_CONTEXT, *PKE_PROCESSOR_CHANGE_NOTIFY_CONTEXT;

static_assert(sizeof(KE_PROCESSOR_CHANGE_NOTIFY_STATE) == 4, "a 4-byte enum");
static_assert(sizeof(KE_PROCESSOR_CHANGE_NOTIFY_CONTEXT) == 16, "Windows' size");
static_assert(__alignof__(KE_PROCESSOR_CHANGE_NOTIFY_CONTEXT) == 4, "Windows' alignment");
static_assert(offsetof(KE_PROCESSOR_CHANGE_NOTIFY_CONTEXT, State) == 0, "State");
static_assert(offsetof(KE_PROCESSOR_CHANGE_NOTIFY_CONTEXT, NtNumber) == 4, "NtNumber");
static_assert(offsetof(KE_PROCESSOR_CHANGE_NOTIFY_CONTEXT, Status) == 8, "Status");
static_assert(offsetof(KE_PROCESSOR_CHANGE_NOTIFY_CONTEXT, ProcNumber) == 12, "ProcNumber");

typedef VOID PROCESSOR_CALLBACK_FUNCTION(PVOID CallbackContext,
					 PKE_PROCESSOR_CHANGE_NOTIFY_CONTEXT ChangeContext,
					 PNTSTATUS OperationStatus);
typedef PROCESSOR_CALLBACK_FUNCTION *PPROCESSOR_CALLBACK_FUNCTION;

#define KE_PROCESSOR_CHANGE_ADD_EXISTING	1

/**
 * KeRegisterProcessorChangeCallback() - be told, synchronously, of processors
 *	being added
 * @CallbackFunction: called twice per processor: KeProcessorAddStartNotify
 *	before it runs, then KeProcessorAddCompleteNotify once it is online and
 *	schedulable, or KeProcessorAddFailureNotify if the add failed
 * @CallbackContext: passed to every call; optional
 * @Flags: KE_PROCESSOR_CHANGE_ADD_EXISTING to be called, before this returns,
 *	with Start for every active processor in index order, then Complete for
 *	each; as on Windows only bit 0 counts
 *
 * A Start callback may veto the add by storing an error in *OperationStatus,
 * if it still holds STATUS_SUCCESS: every registration still gets Start (in
 * registration order, seeing the error), then Failure with
 * ChangeContext->Status set to it, the vetoing one included; the CPU stays
 * offline. With ADD_EXISTING a veto at processor k removes the registration,
 * gives processors 0 to k-1 (not k) Failure, and this returns NULL.
 *
 * Start runs in the CPU hotplug state machine's prepare section, before
 * the processor is started, on the thread that brings it up; Complete on
 * the new processor itself, in its hotplug thread, once it is online: a
 * work item or kernel thread bound to it runs there from inside the
 * callback. Both may sleep and allocate. The hotplug operation waits for
 * them. Complete comes before the asynchronous GUID_DEVICE_PROCESSOR
 * ARRIVAL.
 *
 * N.B. Windows never takes a processor away; Linux takes CPUs offline and
 * unplugs them. Each time a CPU comes online, hot-added or onlined through
 * sysfs, every registration gets Start and Complete (or Failure) for it, so
 * a driver can set the processor up again after Linux reset it; NtNumber is
 * the Linux CPU number (see KeGetProcessorNumberFromIndex()), so a CPU that
 * comes back has the index it had, and Start may name an index the driver
 * was told of before. There is no remove state: offline is told only by the
 * asynchronous API's GUID_DEVICE_INTERFACE_REMOVAL.
 *
 * N.B. If the bring-up fails after Start for a reason of the kernel's own,
 * every registration gets Failure with ChangeContext->Status
 * STATUS_UNSUCCESSFUL (Linux does not say why). A failure after Complete is
 * an offline, as above.
 *
 * N.B. Windows deadlocks when a callback registers, or deregisters its own
 * registration; here that call returns NULL or does nothing, with one log
 * line. The callbacks run with the CPU hotplug lock held: one that waits for
 * anything that takes it or waits for a callback (cpus_read_lock(), a CPU
 * hotplug, Register or Deregister on another thread) deadlocks, as on
 * Windows a callback that waits for a thread taking the processor-change
 * lock does.
 *
 * N.B. The caller must be a driver loaded through NTC_MODULE_DRIVER(): the
 * registration holds its module, which cannot be unloaded until
 * DriverUnload deregisters (leftovers are removed, with a warning, when it
 * unloads). A NULL @CallbackFunction or a call from atomic context returns
 * NULL with one log line.
 *
 * Context: PASSIVE_LEVEL (may sleep).
 * Return: a handle for KeDeregisterProcessorChangeCallback(), or NULL.
 */
PVOID KeRegisterProcessorChangeCallback(PPROCESSOR_CALLBACK_FUNCTION CallbackFunction,
					PVOID CallbackContext, ULONG Flags);

/**
 * KeDeregisterProcessorChangeCallback() - stop being told of processors
 * @CallbackHandle: what KeRegisterProcessorChangeCallback() returned
 *
 * Returns once no call of the callback is running; from then on none
 * starts. Deregistering another registration from inside a callback works.
 *
 * N.B. Called from inside the registration's own callback it does nothing
 * but log (Windows deadlocks). A stale or made-up handle, or another
 * driver's, is logged and ignored, never dereferenced.
 *
 * Context: PASSIVE_LEVEL (may sleep).
 */
VOID KeDeregisterProcessorChangeCallback(PVOID CallbackHandle);

#endif /* _NTCOMPAT_NT_KE_PROCESSOR_CHANGE_H */
