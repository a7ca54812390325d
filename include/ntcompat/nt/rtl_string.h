/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/rtl_string.h - counted UTF-16 strings: RtlInitUnicodeString.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes. Wide
 * literals (L"...") are UTF-16 in a driver built with ntcompat.mk, which
 * passes -fshort-wchar, as on Windows.
 */
#ifndef _NTCOMPAT_NT_RTL_STRING_H
#define _NTCOMPAT_NT_RTL_STRING_H

#include <ntdef.h>

/* The longest Length a UNICODE_STRING can have with room for a NUL. */
#define UNICODE_STRING_MAX_BYTES	((USHORT)65534)

/*
 * A UNICODE_STRING initialiser for a wide literal, without the NUL in
 * Length, as in Windows' wdm.h.
 */
#define RTL_CONSTANT_STRING(s)						\
	{ sizeof(s) - sizeof((s)[0]), sizeof(s), (PWSTR)(s) }
#define DECLARE_CONST_UNICODE_STRING(_var, _string)			\
	const UNICODE_STRING _var = RTL_CONSTANT_STRING(_string)

/**
 * RtlInitUnicodeString() - point a UNICODE_STRING at a NUL-terminated string
 * @DestinationString: the string to fill in
 * @SourceString: a NUL-terminated UTF-16 string, or NULL for an empty one
 *
 * Buffer is @SourceString itself, nothing is copied; Length is its length
 * in bytes without the NUL, MaximumLength with it. A string longer than
 * UNICODE_STRING_MAX_BYTES is cut to that, as Windows does.
 *
 * N.B. A NULL @DestinationString is answered with a rate-limited log line
 * naming the caller, and nothing is written.
 *
 * Context: any.
 */
VOID RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString);

#endif /* _NTCOMPAT_NT_RTL_STRING_H */
