/* SPDX-License-Identifier: GPL-2.0 */
/*
 * intrin.h - the MSVC intrinsics x86-64 drivers use: __cpuid, __cpuidex,
 * __readmsr, __rdtsc, _ReadWriteBarrier, _mm_pause and the fences.
 *
 * Linux's x86 headers have a __cpuid of their own, with another signature:
 * __cpuid(&eax, &ebx, &ecx, &edx), a macro for native_cpuid() or, with
 * paravirt, an inline function, in <asm/processor.h> (<asm/cpuid.h> from
 * 6.12, <asm/cpuid/api.h> later). The Windows form wins here: this header
 * includes those first, so that their own inline functions are compiled
 * with the kernel's __cpuid and their include guards keep them from being
 * read again, and then makes __cpuid the Windows intrinsic for the rest of
 * the file. No kernel header calls __cpuid from a macro, so a driver may
 * include <intrin.h> before or after any <linux/...> header.
 */
#ifndef _NTCOMPAT_INTRIN_H
#define _NTCOMPAT_INTRIN_H

#include <linux/compiler.h>
#include <linux/instruction_pointer.h>
#include <linux/printk.h>
#include <asm/msr.h>
#include <asm/processor.h>
/* Where newer kernels keep __cpuid (sparse knows no __has_include). */
#ifdef __has_include
#if __has_include("asm/cpuid.h")
#include <asm/cpuid.h>
#endif
#if __has_include("asm/cpuid/api.h")
#include <asm/cpuid/api.h>
#endif
#endif

/*
 * The kernel's CPUID (cpuid_count(), paravirt-aware), compiled before
 * __cpuid changes meaning.
 */
static inline void ntc_native_cpuid(int regs[4], int leaf, int subleaf)
{
	unsigned int eax, ebx, ecx, edx;

	cpuid_count(leaf, subleaf, &eax, &ebx, &ecx, &edx);
	regs[0] = eax;
	regs[1] = ebx;
	regs[2] = ecx;
	regs[3] = edx;
}

#undef __cpuid

/**
 * ntc_cpuid() - the MSVC __cpuid intrinsic
 * @CPUInfo: receives EAX, EBX, ECX and EDX
 * @FunctionId: the leaf, in EAX; ECX is 0
 *
 * Executed on the calling processor, as on Windows.
 */
static inline void ntc_cpuid(int CPUInfo[4], int FunctionId)
{
	ntc_native_cpuid(CPUInfo, FunctionId, 0);
}
#define __cpuid(CPUInfo, FunctionId)	ntc_cpuid(CPUInfo, FunctionId)

/**
 * __cpuidex() - CPUID with a sub-leaf
 * @CPUInfo: receives EAX, EBX, ECX and EDX
 * @FunctionId: the leaf, in EAX
 * @SubFunctionId: the sub-leaf, in ECX
 */
static inline void __cpuidex(int CPUInfo[4], int FunctionId, int SubFunctionId)
{
	ntc_native_cpuid(CPUInfo, FunctionId, SubFunctionId);
}

/**
 * __readmsr() - read a model-specific register
 * @Register: the MSR's number
 *
 * N.B. Reading an MSR that does not exist raises #GP, which Windows turns
 * into a bug check; here the fault is caught, logged (rate-limited, naming
 * the caller) and 0 returned.
 *
 * Return: the MSR's value, or 0.
 */
static __always_inline unsigned long long __readmsr(unsigned int Register)
{
	u32 lo, hi;

	/*
	 * rdmsr_safe() of the two halves: the 64-bit form was renamed in
	 * Linux 6.16 (rdmsrl_safe to rdmsrq_safe), this one was not.
	 */
	if (rdmsr_safe(Register, &lo, &hi)) {
		pr_warn_ratelimited("%s from %pS: MSR %#x does not exist; returning 0\n",
				    __func__, (void *)_THIS_IP_, Register);
		return 0;
	}
	return (unsigned long long)hi << 32 | lo;
}

/* The time-stamp counter. */
#define __rdtsc()		rdtsc()
/* A compiler barrier: no instruction, no reordering across it by the compiler. */
#define _ReadWriteBarrier()	barrier()
#define _ReadBarrier()		barrier()
#define _WriteBarrier()		barrier()
/* The PAUSE instruction, for spin-wait loops. */
#define _mm_pause()		cpu_relax()
#define YieldProcessor()	cpu_relax()
/* MFENCE, LFENCE, SFENCE: the caller's own barriers, with its own partners. */
#define _mm_mfence()		mb()	/* as MSVC: a full fence */
#define _mm_lfence()		rmb()	/* as MSVC: a load fence */
#define _mm_sfence()		wmb()	/* as MSVC: a store fence */

#endif /* _NTCOMPAT_INTRIN_H */
