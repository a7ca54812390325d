/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/ke_processor.h - processor indexes and groups, and the processor
 * queries.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes.
 */
#ifndef _NTCOMPAT_NT_KE_PROCESSOR_H
#define _NTCOMPAT_NT_KE_PROCESSOR_H

#include <ntdef.h>
#include <ntstatus.h>

typedef ULONG_PTR KAFFINITY;
typedef KAFFINITY *PKAFFINITY;

#define MAXIMUM_PROC_PER_GROUP	64
#define ALL_PROCESSOR_GROUPS	0xffff
#define INVALID_PROCESSOR_INDEX	0xffffffff

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
 * KeGetProcessorIndexFromNumber() - processor index of a group and number
 * @ProcNumber: a processor's group and number within the group
 *
 * The inverse of KeGetProcessorNumberFromIndex(): the round trip holds for
 * every possible processor, from the Start callback of a hot-added one on.
 *
 * N.B. As for KeGetProcessorNumberFromIndex(), the index is the Linux CPU
 * number, stable while the CPU goes offline and comes back.
 *
 * Context: any.
 * Return: the index, or INVALID_PROCESSOR_INDEX if @ProcNumber is NULL, has
 * Reserved set, or names no possible processor.
 */
ULONG KeGetProcessorIndexFromNumber(PPROCESSOR_NUMBER ProcNumber);

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

#endif /* _NTCOMPAT_NT_KE_PROCESSOR_H */
