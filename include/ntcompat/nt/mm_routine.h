/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/mm_routine.h - MmGetSystemRoutineAddress: finding a routine by name at
 * run time, as drivers for several Windows versions look up the optional
 * ones (KeQueryActiveProcessorCountEx, KeRegisterProcessorChangeCallback...).
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes.
 */
#ifndef _NTCOMPAT_NT_MM_ROUTINE_H
#define _NTCOMPAT_NT_MM_ROUTINE_H

#include <ntdef.h>

/**
 * MmGetSystemRoutineAddress() - the address of a routine ntcompat exports
 * @SystemRoutineName: its name, as on Windows ("ExAllocatePool2")
 *
 * The table is the module's own export table: every Windows routine (and
 * variable, such as the GUIDs) that ntcompat exports is found, whichever
 * file exports it, and nothing else is: not the Linux glue (ntc_*), not the
 * kernel's own symbols, not routines Windows has and ntcompat does not.
 *
 * N.B. A NULL or malformed string (odd Length, Length above MaximumLength,
 * NULL Buffer) and a call where the caller may not sleep are answered with
 * NULL and a rate-limited log line; Windows requires PASSIVE_LEVEL too. A
 * name that cannot be a symbol (empty, not ASCII letters, digits and
 * underscores, 128 characters or more) is simply not found. Routines that are macros or inline here, as
 * the Interlocked* intrinsics, have no address to return, as on x64
 * Windows. On Linux 6.6 and later the kernel itself logs a line when the
 * name is one of its own exports that is not GPL.
 *
 * Context: process context, may sleep (PASSIVE_LEVEL).
 * Return: the routine's address, or NULL.
 */
PVOID MmGetSystemRoutineAddress(PUNICODE_STRING SystemRoutineName);

#endif /* _NTCOMPAT_NT_MM_ROUTINE_H */
