/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/ex_pool.h - pool: freeing what ntcompat allocated.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes.
 */
#ifndef _NTCOMPAT_NT_EX_POOL_H
#define _NTCOMPAT_NT_EX_POOL_H

#include <ntdef.h>

/**
 * ExFreePool() - free memory that ntcompat allocated for the caller
 * @P: what MmGetPhysicalMemoryRanges() returned; NULL is ignored
 *
 * N.B. Only memory that ntcompat hands out may be freed with this; there is
 * no ExAllocatePool here.
 *
 * Context: process context.
 */
VOID ExFreePool(PVOID P);
#define ExFreePoolWithTag(P, Tag)	ExFreePool(P)

#endif /* _NTCOMPAT_NT_EX_POOL_H */
