// SPDX-License-Identifier: GPL-2.0
/*
 * The processor queries that a notification callback makes.
 *
 * All are computed from the live kernel state at each call. (ndiswrapper
 * counted processors once at load and built a contiguous mask, and so got
 * both wrong after the first hot-add.) Masks are built bit by bit: CPUs that
 * were hot-added, or taken offline, leave holes.
 *
 * Windows groups hold 64 processors; group n here is Linux CPUs 64n to
 * 64n + 63, and a processor's index is its Linux CPU number.
 */
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/smp.h>

#include "ntc.h"

/* How many CPUs of @mask are in @group (ALL_PROCESSOR_GROUPS: all of them). */
static ULONG ntc_group_weight(const struct cpumask *mask, USHORT group)
{
	unsigned int cpu;
	ULONG n = 0;

	if (group == ALL_PROCESSOR_GROUPS)
		return cpumask_weight(mask);
	for_each_cpu(cpu, mask)
		if (cpu / MAXIMUM_PROC_PER_GROUP == group)
			n++;
	return n;
}

ULONG KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors)
{
	unsigned int cpu;

	if (ActiveProcessors) {
		KAFFINITY mask = 0;

		for_each_online_cpu(cpu) {
			if (cpu >= MAXIMUM_PROC_PER_GROUP)
				break;
			mask |= (KAFFINITY)1 << cpu;
		}
		*ActiveProcessors = mask;
	}
	return num_online_cpus();
}
EXPORT_SYMBOL_NS_GPL(KeQueryActiveProcessorCount, NTC_EXPORT_NS);

ULONG KeQueryActiveProcessorCountEx(USHORT GroupNumber)
{
	return ntc_group_weight(cpu_online_mask, GroupNumber);
}
EXPORT_SYMBOL_NS_GPL(KeQueryActiveProcessorCountEx, NTC_EXPORT_NS);

ULONG KeQueryMaximumProcessorCount(void)
{
	return ntc_group_weight(cpu_possible_mask, 0);
}
EXPORT_SYMBOL_NS_GPL(KeQueryMaximumProcessorCount, NTC_EXPORT_NS);

ULONG KeQueryMaximumProcessorCountEx(USHORT GroupNumber)
{
	return ntc_group_weight(cpu_possible_mask, GroupNumber);
}
EXPORT_SYMBOL_NS_GPL(KeQueryMaximumProcessorCountEx, NTC_EXPORT_NS);

NTSTATUS KeGetProcessorNumberFromIndex(ULONG ProcIndex, PPROCESSOR_NUMBER ProcNumber)
{
	if (!ProcNumber || ProcIndex >= nr_cpu_ids || !cpu_possible(ProcIndex))
		return ntc_errno_to_status(-EINVAL);
	ProcNumber->Group = ProcIndex / MAXIMUM_PROC_PER_GROUP;
	ProcNumber->Number = ProcIndex % MAXIMUM_PROC_PER_GROUP;
	ProcNumber->Reserved = 0;
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_NS_GPL(KeGetProcessorNumberFromIndex, NTC_EXPORT_NS);

ULONG KeGetProcessorIndexFromNumber(PPROCESSOR_NUMBER ProcNumber)
{
	ULONG index;

	if (!ProcNumber || ProcNumber->Reserved ||
	    ProcNumber->Number >= MAXIMUM_PROC_PER_GROUP)
		return INVALID_PROCESSOR_INDEX;
	index = (ULONG)ProcNumber->Group * MAXIMUM_PROC_PER_GROUP + ProcNumber->Number;
	if (index >= nr_cpu_ids || !cpu_possible(index))
		return INVALID_PROCESSOR_INDEX;
	return index;
}
EXPORT_SYMBOL_NS_GPL(KeGetProcessorIndexFromNumber, NTC_EXPORT_NS);

ULONG KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber)
{
	ULONG cpu = raw_smp_processor_id();

	if (ProcNumber)
		KeGetProcessorNumberFromIndex(cpu, ProcNumber);
	return cpu;
}
EXPORT_SYMBOL_NS_GPL(KeGetCurrentProcessorNumberEx, NTC_EXPORT_NS);
