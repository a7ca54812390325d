/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/ke_event.h - event objects (KEVENT) and the waits on them.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes.
 */
#ifndef _NTCOMPAT_NT_KE_EVENT_H
#define _NTCOMPAT_NT_KE_EVENT_H

#include <linux/list.h>

#include <ntdef.h>
#include <ntstatus.h>

#define STATUS_WAIT_0		((NTSTATUS)0x00000000L)
#define STATUS_WAIT_63		((NTSTATUS)0x0000003FL)
#define STATUS_ABANDONED_WAIT_0	((NTSTATUS)0x00000080L)
#define STATUS_USER_APC		((NTSTATUS)0x000000C0L)
#define STATUS_ALERTED		((NTSTATUS)0x00000101L)

/* The priority boost a KeSetEvent() caller may give; ignored here. */
#define IO_NO_INCREMENT		0
#define EVENT_INCREMENT		1

typedef enum _EVENT_TYPE {
	NotificationEvent,
	SynchronizationEvent,
} EVENT_TYPE;

typedef enum _KWAIT_REASON {
	Executive,
	FreePage,
	PageIn,
	PoolAllocation,
	DelayExecution,
	Suspended,
	UserRequest,
	WrExecutive,
} KWAIT_REASON;

typedef CCHAR KPROCESSOR_MODE;
#define KernelMode	0
#define UserMode	1

typedef enum _WAIT_TYPE {
	WaitAll,
	WaitAny,
} WAIT_TYPE;

#define THREAD_WAIT_OBJECTS	3
#define MAXIMUM_WAIT_OBJECTS	64

/*
 * The object header of an event. Type is the EVENT_TYPE and SignalState
 * 0 or 1, as on Windows; the rest is ntcompat's.
 *
 * N.B. Windows' DISPATCHER_HEADER is 24 bytes; this one is 32: the list of
 * waiters is a struct list_head and ntc_magic tells an initialized event
 * from stray memory.
 */
typedef struct _DISPATCHER_HEADER {
	UCHAR Type;
	UCHAR ntc_reserved[3];
	LONG SignalState;
	struct list_head WaitListHead;
	ULONG ntc_magic;
	ULONG ntc_reserved2;
} DISPATCHER_HEADER;

typedef struct _KEVENT {
	DISPATCHER_HEADER Header;
} KEVENT, *PKEVENT, *PRKEVENT;

/*
 * A wait block links a waiting thread to one object. Callers provide an
 * array of them to KeWaitForMultipleObjects() for more than
 * THREAD_WAIT_OBJECTS objects, as on Windows; its fields are ntcompat's.
 */
typedef struct _KWAIT_BLOCK {
	struct list_head WaitListEntry;
	PVOID Thread;			/* ntcompat's record of the wait */
	PVOID Object;
	USHORT WaitKey;			/* index of Object in the wait */
	USHORT ntc_reserved[3];
	ULONG_PTR ntc_reserved2;
} KWAIT_BLOCK, *PKWAIT_BLOCK, *PRKWAIT_BLOCK;

static_assert(sizeof(KWAIT_BLOCK) == 48, "KWAIT_BLOCK is 48 bytes on x64");

/**
 * KeInitializeEvent() - initialize an event
 * @Event: the caller's KEVENT, in non-paged memory
 * @Type: NotificationEvent (stays signaled, releases every waiter, until
 *	reset) or SynchronizationEvent (releases one waiter and resets itself)
 * @State: TRUE to start signaled
 *
 * N.B. A NULL @Event or an unknown @Type is logged and ignored; the event
 * stays uninitialized and every later call on it is refused.
 *
 * Context: any; no one may be waiting on the event.
 */
VOID KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State);

/**
 * KeSetEvent() - signal an event
 * @Event: an initialized event
 * @Increment: the priority boost for the released waiters
 * @Wait: TRUE if the caller goes on to wait at once
 *
 * Releases every waiter of a notification event, or the first waiter of a
 * synchronization event (which then stays not signaled); with no waiter
 * to release the event stays signaled.
 *
 * N.B. @Increment and @Wait are accepted and ignored: Linux's scheduler
 * gives no priority boosts, and @Wait only spares Windows a lock release.
 * A NULL or uninitialized @Event is logged and ignored (returns 0).
 *
 * Context: any, at DISPATCH_LEVEL (a DPC, a spin lock held) or below, and
 * hard interrupts too.
 * Return: the previous signal state (0 or 1).
 */
LONG KeSetEvent(PRKEVENT Event, LONG Increment, BOOLEAN Wait);

/**
 * KeResetEvent() - set an event to not signaled
 * @Event: an initialized event
 *
 * N.B. A NULL or uninitialized @Event is logged and ignored (returns 0).
 *
 * Context: any.
 * Return: the previous signal state (0 or 1).
 */
LONG KeResetEvent(PRKEVENT Event);

/**
 * KeClearEvent() - set an event to not signaled
 * @Event: an initialized event
 *
 * As KeResetEvent(), without the previous state.
 *
 * Context: any.
 */
VOID KeClearEvent(PRKEVENT Event);

/**
 * KeReadStateEvent() - an event's signal state
 * @Event: an initialized event
 *
 * Context: any.
 * Return: 1 if signaled, else 0 (also for a NULL or uninitialized @Event,
 * which is logged).
 */
LONG KeReadStateEvent(PRKEVENT Event);

/**
 * KeWaitForSingleObject() - wait for an event to be signaled
 * @Object: a KEVENT
 * @WaitReason: Executive, as drivers pass it; ignored
 * @WaitMode: KernelMode or UserMode; ignored
 * @Alertable: ignored, see below
 * @Timeout: NULL to wait for ever; otherwise, in 100 ns units, a negative
 *	value is relative to now, a positive one an absolute system time
 *	(since 1601-01-01 UTC, followed if the clock is set), and zero tests
 *	the state without waiting
 *
 * Satisfying the wait resets a synchronization event.
 *
 * N.B. Only events can be waited on: any other object is refused with
 * STATUS_INVALID_PARAMETER (as is an uninitialized event), never waited
 * on blindly. There are no APCs, so an alertable wait never ends with
 * STATUS_USER_APC or STATUS_ALERTED. The wait is not interruptible by a
 * signal and, like an idle kernel thread, is not counted in the load
 * average or reported by the hung task detector. Where Windows bugchecks
 * on a non-zero @Timeout at DISPATCH_LEVEL this returns
 * STATUS_INVALID_DEVICE_REQUEST and logs the caller.
 *
 * Context: process context, or at DISPATCH_LEVEL with a zero @Timeout.
 * Return: STATUS_SUCCESS (STATUS_WAIT_0), STATUS_TIMEOUT, or the error
 * above.
 */
NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason,
			       KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
			       PLARGE_INTEGER Timeout);

/**
 * KeWaitForMultipleObjects() - wait for several events
 * @Count: how many objects, 1 to MAXIMUM_WAIT_OBJECTS (64)
 * @Object: the array of @Count KEVENT pointers
 * @WaitType: WaitAll (every event signaled at the same moment) or WaitAny
 * @WaitReason: ignored
 * @WaitMode: ignored
 * @Alertable: ignored, as for KeWaitForSingleObject()
 * @Timeout: as for KeWaitForSingleObject()
 * @WaitBlockArray: @Count wait blocks, required when @Count exceeds
 *	THREAD_WAIT_OBJECTS (3), optional otherwise
 *
 * A WaitAll wait is satisfied atomically: every synchronization event in
 * it is reset together. A WaitAny wait is satisfied by the signaled event
 * with the lowest index, and only that one is reset.
 *
 * N.B. As KeWaitForSingleObject(). A @Count of 0 or above 64, a missing
 * @WaitBlockArray, a NULL or repeated object or an unknown @WaitType is
 * refused with STATUS_INVALID_PARAMETER (Windows bugchecks).
 *
 * Context: process context, or at DISPATCH_LEVEL with a zero @Timeout.
 * Return: STATUS_WAIT_0 + the index of the event that satisfied a WaitAny
 * wait, STATUS_SUCCESS for WaitAll, STATUS_TIMEOUT, or an error above.
 */
NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType,
				  KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
				  BOOLEAN Alertable, PLARGE_INTEGER Timeout,
				  PKWAIT_BLOCK WaitBlockArray);

/**
 * KeDelayExecutionThread() - sleep for an interval
 * @WaitMode: ignored
 * @Alertable: ignored (no APCs)
 * @Interval: as a wait's Timeout: negative is relative, positive absolute,
 *	in 100 ns units; zero yields the processor
 *
 * N.B. A NULL @Interval, or a call from DISPATCH_LEVEL (Windows bugchecks),
 * is logged and answered with STATUS_INVALID_PARAMETER or
 * STATUS_INVALID_DEVICE_REQUEST.
 *
 * Context: process context.
 * Return: STATUS_SUCCESS, or an error above.
 */
NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
				PLARGE_INTEGER Interval);

#endif /* _NTCOMPAT_NT_KE_EVENT_H */
