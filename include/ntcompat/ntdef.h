/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntdef.h - Windows base types, for drivers ported to Linux with ntcompat.
 *
 * Windows is LLP64: LONG and ULONG are 32 bits even on x86-64, where the C
 * "long" of Linux is 64 bits. Every type here is therefore spelled with a
 * fixed-width kernel type, never with "long". WCHAR is UTF-16, not wchar_t.
 */
#ifndef _NTCOMPAT_NTDEF_H
#define _NTCOMPAT_NTDEF_H

#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/build_bug.h>

/* Parameter annotations: documentation only, as with a non-MSVC compiler. */
#define IN
#define OUT
#define OPTIONAL
#define UNALIGNED
#define NTAPI
#define NTSYSAPI
#define NTKERNELAPI
#ifndef EXTERN_C
#define EXTERN_C extern
#endif

/* The SAL 2 annotations that WDK samples carry. */
#define _In_
#define _In_opt_
#define _Out_
#define _Out_opt_
#define _Inout_
#define _Inout_opt_
#define _In_z_
#define _In_reads_(n)
#define _In_reads_bytes_(n)
#define _Out_writes_(n)
#define _Out_writes_bytes_(n)
#define _Outptr_
#define _Outptr_result_maybenull_
#define _Ret_maybenull_
#define _Must_inspect_result_
#define _Check_return_
#define _Success_(expr)
#define _When_(expr, annotation)
#define _Use_decl_annotations_
#define _Function_class_(name)
#define _IRQL_requires_(irql)
#define _IRQL_requires_max_(irql)
#define _IRQL_requires_min_(irql)
#define _IRQL_requires_same_
#define _IRQL_raises_(irql)
#define _IRQL_saves_
#define _IRQL_restores_
#define _Dispatch_type_(type)
#define _Kernel_float_saved_
#define _Analysis_assume_(expr)
#define __drv_aliasesMem
#define __drv_allocatesMem(kind)
#define __drv_freesMem(kind)

typedef void VOID;
typedef void *PVOID;
typedef const void *PCVOID;
typedef char CHAR;
typedef char *PCHAR;
typedef char *PSTR;
typedef char *PSZ;
typedef const char *PCSTR;
typedef const char *PCSZ;
typedef u8 UCHAR;
typedef u8 *PUCHAR;
typedef u8 BOOLEAN;
typedef u8 *PBOOLEAN;
typedef s16 SHORT;
typedef s16 *PSHORT;
typedef s16 CSHORT;
typedef u16 USHORT;
typedef u16 *PUSHORT;
typedef s32 LONG;
typedef s32 *PLONG;
typedef u32 ULONG;
typedef u32 *PULONG;
typedef s64 LONGLONG;
typedef s64 *PLONGLONG;
typedef s64 LONG64;
typedef u64 ULONGLONG;
typedef u64 *PULONGLONG;
typedef u64 ULONG64;
/* Pointer-sized: 64 bits on x86-64. */
typedef signed long LONG_PTR;
typedef unsigned long ULONG_PTR;
typedef unsigned long *PULONG_PTR;
typedef unsigned long SIZE_T;
typedef unsigned long *PSIZE_T;
typedef char CCHAR;

/* UTF-16 code unit, as on Windows. */
typedef u16 WCHAR;
typedef u16 *PWCHAR;
typedef u16 *PWSTR;
typedef u16 *LPWSTR;
typedef const u16 *PCWSTR;
typedef const u16 *LPCWSTR;

#ifndef TRUE
#define TRUE	1
#endif
#ifndef FALSE
#define FALSE	0
#endif

typedef s32 NTSTATUS;
typedef s32 *PNTSTATUS;

/* Success and informational codes are non-negative. */
#define NT_SUCCESS(Status)	(((NTSTATUS)(Status)) >= 0)
#define NT_INFORMATION(Status)	((((ULONG)(Status)) >> 30) == 1)
#define NT_WARNING(Status)	((((ULONG)(Status)) >> 30) == 2)
#define NT_ERROR(Status)	((((ULONG)(Status)) >> 30) == 3)

#define UNREFERENCED_PARAMETER(P)	((void)(P))
#define DBG_UNREFERENCED_PARAMETER(P)	((void)(P))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V)	((void)(V))

typedef union _LARGE_INTEGER {
	struct {
		ULONG LowPart;
		LONG HighPart;
	};
	struct {
		ULONG LowPart;
		LONG HighPart;
	} u;
	LONGLONG QuadPart;
} LARGE_INTEGER;
typedef LARGE_INTEGER *PLARGE_INTEGER;

typedef LARGE_INTEGER PHYSICAL_ADDRESS;
typedef LARGE_INTEGER *PPHYSICAL_ADDRESS;

/* Length and MaximumLength count bytes, not characters. */
typedef struct _UNICODE_STRING {
	USHORT Length;
	USHORT MaximumLength;
	PWSTR Buffer;
} UNICODE_STRING;
typedef UNICODE_STRING *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

typedef struct _LIST_ENTRY {
	struct _LIST_ENTRY *Flink;
	struct _LIST_ENTRY *Blink;
} LIST_ENTRY;
typedef LIST_ENTRY *PLIST_ENTRY;

/* Layouts a ported driver may depend on: keep them as on Windows x64. */
static_assert(sizeof(ULONG) == 4, "ULONG is 32-bit on Windows");
static_assert(sizeof(LONG) == 4, "LONG is 32-bit on Windows");
static_assert(sizeof(WCHAR) == 2, "WCHAR is UTF-16");
static_assert(sizeof(LARGE_INTEGER) == 8, "LARGE_INTEGER is 8 bytes");
static_assert(sizeof(UNICODE_STRING) == 16, "UNICODE_STRING is 16 bytes on x64");
static_assert(offsetof(UNICODE_STRING, Buffer) == 8, "UNICODE_STRING layout");

#endif /* _NTCOMPAT_NTDEF_H */
