/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/rtl_memory.h - RtlZeroMemory, RtlCopyMemory and the other memory
 * routines.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes. As in
 * Microsoft's wdm.h, all but RtlCompareMemory are macros over the C
 * library's functions, here the kernel's.
 */
#ifndef _NTCOMPAT_NT_RTL_MEMORY_H
#define _NTCOMPAT_NT_RTL_MEMORY_H

#include <linux/string.h>

#include <ntdef.h>

#define RtlEqualMemory(Destination, Source, Length)			\
	(!memcmp((Destination), (Source), (Length)))
#define RtlMoveMemory(Destination, Source, Length)			\
	memmove((Destination), (Source), (Length))
#define RtlCopyMemory(Destination, Source, Length)			\
	memcpy((Destination), (Source), (Length))
#define RtlFillMemory(Destination, Length, Fill)			\
	memset((Destination), (Fill), (Length))
#define RtlZeroMemory(Destination, Length)				\
	memset((Destination), 0, (Length))
#define RtlSecureZeroMemory(Destination, Length)			\
	memzero_explicit((Destination), (Length))

/**
 * RtlCompareMemory() - how many leading bytes two buffers share
 * @Source1: a buffer
 * @Source2: another
 * @Length: how many bytes to compare
 *
 * N.B. As on Windows, a NULL buffer with a non-zero @Length is the
 * caller's bug; here it is answered with 0 and a rate-limited log line
 * instead of a fault.
 *
 * Context: any.
 * Return: the number of bytes, from the start, that are equal: @Length if
 * the buffers are the same.
 */
SIZE_T RtlCompareMemory(const VOID *Source1, const VOID *Source2, SIZE_T Length);

#endif /* _NTCOMPAT_NT_RTL_MEMORY_H */
