// SPDX-License-Identifier: GPL-2.0
/*
 * The processor and memory queries that a notification callback makes.
 *
 * All are computed from the live kernel state at each call. (ndiswrapper
 * counted processors once at load and built a contiguous mask, and so got
 * both wrong after the first hot-add.)
 */
#include <linux/cpumask.h>
#include <linux/module.h>

#include "ntc.h"

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
EXPORT_SYMBOL_GPL(KeQueryActiveProcessorCount);
