/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/mm_physical.h - the physical memory the system uses.
 *
 * Included by ntddk.h, which is what a driver includes.
 */
#ifndef _NTCOMPAT_NT_MM_PHYSICAL_H
#define _NTCOMPAT_NT_MM_PHYSICAL_H

#include <ntdef.h>

typedef struct _PHYSICAL_MEMORY_RANGE {
	PHYSICAL_ADDRESS BaseAddress;
	LARGE_INTEGER NumberOfBytes;
} PHYSICAL_MEMORY_RANGE;
typedef PHYSICAL_MEMORY_RANGE *PPHYSICAL_MEMORY_RANGE;

/**
 * MmGetPhysicalMemoryRanges() - the physical memory the system is using
 *
 * Computed live from System RAM that is online: inside a memory ARRIVAL
 * callback the new block is included, inside a REMOVAL it is not. Adjacent
 * ranges are merged. The array ends with an entry whose BaseAddress and
 * NumberOfBytes are both zero.
 *
 * Context: process context, may sleep (PASSIVE_LEVEL).
 * Return: the array, which the caller frees with ExFreePool(), or NULL when
 * out of memory or called from atomic context.
 */
PPHYSICAL_MEMORY_RANGE MmGetPhysicalMemoryRanges(void);

#endif /* _NTCOMPAT_NT_MM_PHYSICAL_H */
