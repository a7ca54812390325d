/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/ke_dpc.h - deferred procedure calls (KDPC).
 *
 * A DPC runs at DISPATCH_LEVEL: here, in softirq context (bottom halves
 * off, no sleeping), on its target processor, or on the processor that
 * queued it when it has none. What happens to a DPC whose target processor
 * goes offline, which cannot happen on Windows, is in KeInsertQueueDpc()'s
 * kernel-doc.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes.
 */
#ifndef _NTCOMPAT_NT_KE_DPC_H
#define _NTCOMPAT_NT_KE_DPC_H

#include <linux/list.h>

#include <ntdef.h>
#include <ntstatus.h>
#include <nt/ke_processor.h>

struct _KDPC;

typedef VOID KDEFERRED_ROUTINE(struct _KDPC *Dpc, PVOID DeferredContext,
			       PVOID SystemArgument1, PVOID SystemArgument2);
typedef KDEFERRED_ROUTINE *PKDEFERRED_ROUTINE;

/* KDPC.Type */
#define DpcObject		0x13
#define ThreadedDpcObject	0x18

/* KeSetImportanceDpc() */
typedef enum _KDPC_IMPORTANCE {
	LowImportance,
	MediumImportance,
	HighImportance,
	MediumHighImportance,
} KDPC_IMPORTANCE;

/*
 * The KDPC, 64 bytes with DeferredRoutine, DeferredContext, the two
 * SystemArguments and DpcData at their Windows x64 offsets. Drivers treat it
 * as opaque and touch it only through the Ke*Dpc routines.
 *
 * N.B. Windows has a SINGLE_LIST_ENTRY and ProcessorHistory at offsets 8
 * and 16; here a struct list_head (the per-processor queue) takes both, and
 * the target processor is kept in ntc_target, in what is padding on
 * Windows. DpcData is non-NULL while the DPC is queued, as on Windows, but
 * points to ntcompat's per-processor queue.
 */
typedef struct _KDPC {
	union {
		ULONG TargetInfoAsUlong;
		struct {
			UCHAR Type;
			UCHAR Importance;
			USHORT Number;
		};
	};
	ULONG ntc_target;		/* processor index + 1, 0: none */
	struct list_head ntc_node;	/* in the queue of DpcData */
	PKDEFERRED_ROUTINE DeferredRoutine;
	PVOID DeferredContext;
	PVOID SystemArgument1;
	PVOID SystemArgument2;
	PVOID DpcData;
} KDPC, *PKDPC, *PRKDPC;

static_assert(sizeof(KDPC) == 64, "KDPC is 64 bytes on x64");
static_assert(offsetof(KDPC, DeferredRoutine) == 24, "KDPC layout");
static_assert(offsetof(KDPC, DpcData) == 56, "KDPC layout");

/**
 * KeInitializeDpc() - initialize a DPC object
 * @Dpc: the caller's KDPC, in non-paged memory that outlives the DPC's runs
 * @DeferredRoutine: what the DPC runs, at DISPATCH_LEVEL
 * @DeferredContext: passed to @DeferredRoutine
 *
 * The DPC starts with medium importance and no target processor (it runs
 * on the processor that queues it).
 *
 * N.B. A NULL @Dpc or @DeferredRoutine is logged and ignored (Windows
 * crashes); a DPC initialized with a NULL routine is then refused by
 * KeInsertQueueDpc().
 *
 * Context: any; the DPC must not be queued.
 */
VOID KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine,
		     PVOID DeferredContext);

/**
 * KeSetImportanceDpc() - where in the queue the DPC goes
 * @Dpc: an initialized DPC
 * @Importance: LowImportance, MediumImportance or MediumHighImportance
 *	(the end of the queue) or HighImportance (its front)
 *
 * N.B. As on Windows, importance orders the queue. Windows may also delay
 * a LowImportance DPC queued on the current processor; here every DPC asks
 * for its processor's softirq at once. An unknown @Importance is logged and
 * ignored.
 *
 * Context: any.
 */
VOID KeSetImportanceDpc(PRKDPC Dpc, KDPC_IMPORTANCE Importance);

/**
 * KeSetTargetProcessorDpc() - run the DPC on one processor of group 0
 * @Dpc: an initialized DPC
 * @Number: the processor's number, 0 to 63 (Linux CPU @Number)
 *
 * Takes effect at the next KeInsertQueueDpc().
 *
 * N.B. A @Number that is not a possible processor is logged and ignored.
 *
 * Context: any.
 */
VOID KeSetTargetProcessorDpc(PRKDPC Dpc, CCHAR Number);

/**
 * KeSetTargetProcessorDpcEx() - run the DPC on a processor of any group
 * @Dpc: an initialized DPC
 * @ProcNumber: the processor: group n, number m is Linux CPU 64n + m
 *
 * A processor that is possible but not online (one not yet hot-added) is a
 * valid target; see KeInsertQueueDpc() for what a DPC queued for it does.
 *
 * Context: any.
 * Return: STATUS_SUCCESS, or STATUS_INVALID_PARAMETER for a NULL argument
 * or a processor that cannot exist (the target is then unchanged).
 */
NTSTATUS KeSetTargetProcessorDpcEx(PKDPC Dpc, PPROCESSOR_NUMBER ProcNumber);

/**
 * KeInsertQueueDpc() - queue a DPC on its target processor
 * @Dpc: an initialized DPC
 * @SystemArgument1: passed to its routine
 * @SystemArgument2: passed to its routine
 *
 * The DPC runs once, at DISPATCH_LEVEL, on its target processor (or on the
 * current one if it has none): in softirq context there, which the queueing
 * processor requests with an IPI if it is another one. On PREEMPT_RT, which
 * runs softirqs in threads and forbids raising one from an IPI, another
 * processor's DPC runs in a work item bound to it, with bottom halves off:
 * still DISPATCH_LEVEL, still no sleeping.
 *
 * N.B. Linux takes processors offline, Windows never does. DPCs still
 * queued on a processor when it goes offline run there, in ntcompat's CPU
 * hotplug teardown, before it goes (never lost, never elsewhere). A DPC
 * queued for a processor that is offline (not yet hot-added, or gone) runs
 * on the processor that queues it instead, with a rate-limited line in the
 * kernel log naming the caller and both processors: the routine can tell
 * from KeGetCurrentProcessorNumberEx(). A NULL or uninitialized @Dpc is
 * logged and refused.
 *
 * Context: any, interrupts included.
 * Return: TRUE if the DPC was queued, FALSE if it already was (its
 * arguments are then unchanged) or was refused.
 */
BOOLEAN KeInsertQueueDpc(PRKDPC Dpc, PVOID SystemArgument1, PVOID SystemArgument2);

/**
 * KeRemoveQueueDpc() - take a DPC off its queue before it runs
 * @Dpc: an initialized DPC
 *
 * As on Windows, a DPC that has already started running is not waited for.
 *
 * Context: any.
 * Return: TRUE if it was queued (and now will not run), FALSE if not.
 */
BOOLEAN KeRemoveQueueDpc(PRKDPC Dpc);

/**
 * KeFlushQueuedDpcs() - wait until every DPC queued so far has run
 *
 * Returns once the DPCs queued on every online processor before the call
 * have run (or been removed), and any running DPC has returned; a driver
 * calls it before freeing a KDPC or unloading.
 *
 * N.B. Called at DISPATCH_LEVEL it is logged and returns at once (Windows
 * requires PASSIVE_LEVEL).
 *
 * Context: process context, may sleep.
 */
VOID KeFlushQueuedDpcs(void);

#endif /* _NTCOMPAT_NT_KE_DPC_H */
