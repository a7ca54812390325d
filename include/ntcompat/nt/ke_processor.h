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

typedef struct _GROUP_AFFINITY {
	KAFFINITY Mask;
	USHORT Group;
	USHORT Reserved[3];
} GROUP_AFFINITY, *PGROUP_AFFINITY;

static_assert(sizeof(GROUP_AFFINITY) == 16, "GROUP_AFFINITY is 16 bytes on x64");
static_assert(sizeof(PROCESSOR_NUMBER) == 4, "PROCESSOR_NUMBER is 4 bytes");

/**
 * KeSetSystemGroupAffinityThread() - run the calling thread on processors
 * of one group
 * @Affinity: the group and the mask of its processors to run on
 * @PreviousAffinity: optional; receives the thread's affinity before, for
 *	KeRevertToUserGroupAffinityThread()
 *
 * The thread has moved onto one of the processors when the call returns.
 * As documented, a group that does not exist, a mask with no active
 * processor in it, or non-zero Reserved fields change nothing, and then
 * *@PreviousAffinity is zeroed.
 *
 * N.B. Linux can only move a thread where it may sleep: called at
 * DISPATCH_LEVEL, or with a NULL @Affinity, the call is logged and changes
 * nothing (*@PreviousAffinity zeroed). "Active" is Linux's active mask: a
 * processor that is online but not yet schedulable (during its hot-add,
 * before the CPU hotplug operation ends) does not count, nor does one that
 * starts going offline during the call: if all of the mask's do, nothing
 * changes, as for a mask with none active. The previous affinity is
 * reported as the group of the first processor the thread could run on
 * and its processors in that group; a thread allowed on several groups
 * comes back to all of them only through a zeroed previous affinity.
 *
 * Context: process context.
 */
VOID KeSetSystemGroupAffinityThread(PGROUP_AFFINITY Affinity,
				    PGROUP_AFFINITY PreviousAffinity);

/**
 * KeRevertToUserGroupAffinityThread() - undo
 * KeSetSystemGroupAffinityThread()
 * @PreviousAffinity: what KeSetSystemGroupAffinityThread() returned; a
 *	zeroed one means the thread's own affinity, the one it had before
 *	its first KeSetSystem*AffinityThread*() call
 *
 * N.B. A NULL or invalid @PreviousAffinity, or a call at DISPATCH_LEVEL, is
 * logged and changes nothing.
 *
 * Context: process context.
 */
VOID KeRevertToUserGroupAffinityThread(PGROUP_AFFINITY PreviousAffinity);

/**
 * KeSetSystemAffinityThreadEx() - run the calling thread on processors of
 * group 0
 * @Affinity: the mask of processors 0 to 63
 *
 * As KeSetSystemGroupAffinityThread() for group 0.
 *
 * N.B. As there; an @Affinity with no active processor changes nothing and
 * returns 0.
 *
 * Context: process context.
 * Return: the thread's previous group 0 affinity, or 0 if it was not
 * changed.
 */
KAFFINITY KeSetSystemAffinityThreadEx(KAFFINITY Affinity);

/**
 * KeRevertToUserAffinityThreadEx() - undo KeSetSystemAffinityThreadEx()
 * @Affinity: what it returned; 0 means the thread's own affinity
 *
 * N.B. As KeRevertToUserGroupAffinityThread().
 *
 * Context: process context.
 */
VOID KeRevertToUserAffinityThreadEx(KAFFINITY Affinity);

/**
 * KeQueryActiveGroupCount() - how many groups have active processors
 *
 * N.B. Group n is Linux CPUs 64n to 64n + 63; this is the highest group
 * with an online CPU, plus one.
 *
 * Context: any.
 * Return: the number of active groups.
 */
USHORT KeQueryActiveGroupCount(void);

/**
 * KeQueryMaximumGroupCount() - how many groups there can be
 *
 * Context: any.
 * Return: the number of groups the possible CPUs fill.
 */
USHORT KeQueryMaximumGroupCount(void);

/**
 * KeQueryGroupAffinity() - the active processors of a group
 * @GroupNumber: a group
 *
 * Live, like KeQueryActiveProcessorCount().
 *
 * Context: any.
 * Return: their mask, 0 for a group with none or that does not exist.
 */
KAFFINITY KeQueryGroupAffinity(USHORT GroupNumber);

/**
 * KeQueryHighestNodeNumber() - the highest NUMA node number
 *
 * N.B. Linux's node numbers, which may have holes; a machine without NUMA
 * has node 0 only.
 *
 * Context: any.
 * Return: the highest possible node number.
 */
USHORT KeQueryHighestNodeNumber(void);

/**
 * KeGetCurrentNodeNumber() - the NUMA node of the current processor
 *
 * Context: any; stale at once unless the caller cannot migrate.
 * Return: its node number.
 */
USHORT KeGetCurrentNodeNumber(void);

/**
 * KeQueryNodeActiveAffinity() - the active processors of a NUMA node
 * @NodeNumber: a node
 * @Affinity: optional; receives the group of the node's first active
 *	processor and the node's active processors in that group
 * @Count: optional; receives the number of the node's active processors
 *
 * A node that does not exist, or has no active processor, gets a zeroed
 * affinity and a count of 0.
 *
 * N.B. Windows keeps a node within one group; a Linux node can span
 * groups, and then the mask is that of its first group only while the
 * count covers them all.
 *
 * Context: any.
 */
VOID KeQueryNodeActiveAffinity(USHORT NodeNumber, PGROUP_AFFINITY Affinity,
			       PUSHORT Count);

#endif /* _NTCOMPAT_NT_KE_PROCESSOR_H */
