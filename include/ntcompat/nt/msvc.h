/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/msvc.h - the Microsoft C extensions Windows drivers are written in,
 * spelled for GCC: __declspec, __forceinline and FORCEINLINE, the sized
 * integer keywords, calling conventions, C_ASSERT and the structure macros
 * of ntdef.h (FIELD_OFFSET, CONTAINING_RECORD, RTL_NUMBER_OF).
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes. What a
 * header cannot answer, ntcompat.mk does with compiler flags: pragmas GCC
 * does not know (alloc_text, code_seg, warning) are ignored, multi-character
 * pool tags ('Xmpl') are accepted, L"..." is UTF-16, and functions need no
 * prototype (DriverEntry). See docs/porting.md.
 */
#ifndef _NTCOMPAT_NT_MSVC_H
#define _NTCOMPAT_NT_MSVC_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/stddef.h>

/*
 * __declspec(x) becomes __ntc_declspec_x: the forms drivers use map onto
 * GCC attributes, or to nothing where Linux has no such thing (sections,
 * DLL linkage). A form not listed here fails to compile, rather than being
 * dropped silently.
 */
#define __declspec(x)				__ntc_declspec_##x
#define __ntc_declspec_align(n)			__aligned(n)
#define __ntc_declspec_noinline			noinline
#define __ntc_declspec_noreturn			__noreturn
#define __ntc_declspec_selectany		__weak
#define __ntc_declspec_deprecated		__deprecated
#define __ntc_declspec_nothrow
#define __ntc_declspec_novtable
#define __ntc_declspec_noalias
#define __ntc_declspec_restrict
#define __ntc_declspec_dllimport
#define __ntc_declspec_dllexport
#define __ntc_declspec_allocate(section)
#define __ntc_declspec_code_seg(section)
#define __ntc_declspec_safebuffers

#define DECLSPEC_ALIGN(x)		__declspec(align(x))
#define DECLSPEC_CACHEALIGN		DECLSPEC_ALIGN(SMP_CACHE_BYTES)
#define DECLSPEC_NOINLINE		__declspec(noinline)
#define DECLSPEC_NORETURN		__declspec(noreturn)
#define DECLSPEC_SELECTANY		__declspec(selectany)
#define DECLSPEC_DEPRECATED		__declspec(deprecated)
#define DECLSPEC_NOTHROW		__declspec(nothrow)
#define DECLSPEC_IMPORT			__declspec(dllimport)
#define DECLSPEC_EXPORT			__declspec(dllexport)

#define __forceinline			__always_inline
#define FORCEINLINE			__forceinline
#define NOINLINE			__declspec(noinline)

/* x86-64 has one calling convention. */
#define __stdcall
#define __cdecl
#define __fastcall
#define __clrcall
#define __vectorcall
#define __ptr64
#define __unaligned
#define STDCALL
#define FASTCALL
#define NTAPI_INLINE

/* The sized integer keywords of MSVC. */
#define __int8				char
#define __int16				short
#define __int32				int
#define __int64				long long

/* MSVC's no-op: its arguments are not evaluated. */
#define __noop(...)			((void)0)

/*
 * A compile-time assertion, at file scope or in a block. N.B. In a block
 * after statements, as Windows code often has it, it is a declaration
 * after a statement: ntcompat.mk lets the kernel's warning about that go.
 */
#define C_ASSERT(e)			static_assert(e, #e)

#define FIELD_OFFSET(type, field)	((LONG)offsetof(type, field))
#define UFIELD_OFFSET(type, field)	((ULONG)offsetof(type, field))
#define RTL_FIELD_SIZE(type, field)	(sizeof(((type *)0)->field))
#define RTL_SIZEOF_THROUGH_FIELD(type, field)				\
	(FIELD_OFFSET(type, field) + RTL_FIELD_SIZE(type, field))
#define RTL_NUMBER_OF(A)		ARRAY_SIZE(A)
#define RTL_NUMBER_OF_V1(A)		(sizeof(A) / sizeof((A)[0]))
#define RTL_NUMBER_OF_V2(A)		ARRAY_SIZE(A)
#define ARRAYSIZE(A)			ARRAY_SIZE(A)
#define _ARRAYSIZE(A)			RTL_NUMBER_OF_V1(A)
#define CONTAINING_RECORD(address, type, field)				\
	((type *)((char *)(address) - offsetof(type, field)))

#define ALIGN_DOWN_BY(length, alignment)				\
	((ULONG_PTR)(length) & ~((ULONG_PTR)(alignment) - 1))
#define ALIGN_UP_BY(length, alignment)					\
	(ALIGN_DOWN_BY(((ULONG_PTR)(length) + (alignment) - 1), alignment))
#define ALIGN_DOWN_POINTER_BY(address, alignment)			\
	((PVOID)ALIGN_DOWN_BY(address, alignment))
#define ALIGN_UP_POINTER_BY(address, alignment)				\
	((PVOID)ALIGN_UP_BY(address, alignment))

#endif /* _NTCOMPAT_NT_MSVC_H */
