/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/dbg.h - DbgPrint, DbgPrintEx and KdPrint.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes.
 */
#ifndef _NTCOMPAT_NT_DBG_H
#define _NTCOMPAT_NT_DBG_H

#include <linux/compiler_attributes.h>

#include <ntdef.h>

#define DPFLTR_ERROR_LEVEL	0
#define DPFLTR_WARNING_LEVEL	1
#define DPFLTR_TRACE_LEVEL	2
#define DPFLTR_INFO_LEVEL	3
#define DPFLTR_IHVDRIVER_ID	77

/**
 * DbgPrint() - print to the kernel log
 * @Format: printf-style format, as printk() understands it
 *
 * N.B. The format is printk's: %wZ and %ws (UTF-16 strings) are not
 * understood; the compiler checks the format.
 *
 * Return: STATUS_SUCCESS.
 */
ULONG DbgPrint(PCSTR Format, ...) __printf(1, 2);

/**
 * DbgPrintEx() - print to the kernel log at a level
 * @ComponentId: ignored
 * @Level: DPFLTR_ERROR_LEVEL (KERN_ERR), DPFLTR_WARNING_LEVEL (KERN_WARNING),
 *	DPFLTR_TRACE_LEVEL (KERN_INFO), anything else (pr_debug(), shown only
 *	when dynamic debug enables it, as Windows hides it by default)
 * @Format: printf-style format, as for DbgPrint()
 *
 * Return: STATUS_SUCCESS.
 */
ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...) __printf(3, 4);

#define KdPrint(args)		DbgPrint args
#define KdPrintEx(args)		DbgPrintEx args

#endif /* _NTCOMPAT_NT_DBG_H */
