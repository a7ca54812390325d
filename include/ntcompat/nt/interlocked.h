/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/interlocked.h - the Interlocked* operations and KeMemoryBarrier.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes.
 *
 * On Windows these are compiler intrinsics; here they are inline functions
 * on the compiler's __atomic builtins, each a full barrier as on Windows
 * (sequentially consistent, a locked instruction on x86). The 32-bit forms
 * take LONG (32 bits, as on Windows), the 64-bit ones LONG64. Like the
 * intrinsics they are not exported, and MmGetSystemRoutineAddress() does
 * not know them.
 */
#ifndef _NTCOMPAT_NT_INTERLOCKED_H
#define _NTCOMPAT_NT_INTERLOCKED_H

#include <asm/barrier.h>

#include <ntdef.h>

/* The order every Interlocked operation has on Windows. */
#define NTC_INTERLOCKED_ORDER	__ATOMIC_SEQ_CST

/**
 * InterlockedIncrement() - add one, atomically
 * @Addend: the variable
 *
 * Return: the incremented value.
 */
static inline LONG InterlockedIncrement(LONG volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, NTC_INTERLOCKED_ORDER);
}

/**
 * InterlockedDecrement() - subtract one, atomically
 * @Addend: the variable
 *
 * Return: the decremented value.
 */
static inline LONG InterlockedDecrement(LONG volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, NTC_INTERLOCKED_ORDER);
}

/**
 * InterlockedExchange() - store a value, atomically
 * @Target: the variable
 * @Value: its new value
 *
 * Return: the value it had.
 */
static inline LONG InterlockedExchange(LONG volatile *Target, LONG Value)
{
	return __atomic_exchange_n(Target, Value, NTC_INTERLOCKED_ORDER);
}

/**
 * InterlockedCompareExchange() - store a value if the variable holds another
 * @Destination: the variable
 * @ExChange: stored if *@Destination equals @Comperand
 * @Comperand: the value compared with
 *
 * Return: the value *@Destination had; equal to @Comperand if it was set.
 */
static inline LONG InterlockedCompareExchange(LONG volatile *Destination,
					      LONG ExChange, LONG Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, false,
				    NTC_INTERLOCKED_ORDER, NTC_INTERLOCKED_ORDER);
	return Comperand;
}

/**
 * InterlockedExchangeAdd() - add a value, atomically
 * @Addend: the variable
 * @Value: what to add
 *
 * Return: the value it had before.
 */
static inline LONG InterlockedExchangeAdd(LONG volatile *Addend, LONG Value)
{
	return __atomic_fetch_add(Addend, Value, NTC_INTERLOCKED_ORDER);
}

#define InterlockedAdd(Addend, Value)	(InterlockedExchangeAdd(Addend, Value) + (Value))

/**
 * InterlockedAnd() - and in a mask, atomically
 * @Destination: the variable
 * @Value: the mask
 *
 * Return: the value it had before.
 */
static inline LONG InterlockedAnd(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_and(Destination, Value, NTC_INTERLOCKED_ORDER);
}

/**
 * InterlockedOr() - or in bits, atomically
 * @Destination: the variable
 * @Value: the bits
 *
 * Return: the value it had before.
 */
static inline LONG InterlockedOr(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_or(Destination, Value, NTC_INTERLOCKED_ORDER);
}

/**
 * InterlockedXor() - toggle bits, atomically
 * @Destination: the variable
 * @Value: the bits
 *
 * Return: the value it had before.
 */
static inline LONG InterlockedXor(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_xor(Destination, Value, NTC_INTERLOCKED_ORDER);
}

/**
 * InterlockedIncrement64() - InterlockedIncrement() on 64 bits
 * @Addend: the variable
 *
 * Return: the incremented value.
 */
static inline LONG64 InterlockedIncrement64(LONG64 volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, NTC_INTERLOCKED_ORDER);
}

/**
 * InterlockedDecrement64() - InterlockedDecrement() on 64 bits
 * @Addend: the variable
 *
 * Return: the decremented value.
 */
static inline LONG64 InterlockedDecrement64(LONG64 volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, NTC_INTERLOCKED_ORDER);
}

/**
 * InterlockedExchange64() - InterlockedExchange() on 64 bits
 * @Target: the variable
 * @Value: its new value
 *
 * Return: the value it had.
 */
static inline LONG64 InterlockedExchange64(LONG64 volatile *Target, LONG64 Value)
{
	return __atomic_exchange_n(Target, Value, NTC_INTERLOCKED_ORDER);
}

/**
 * InterlockedCompareExchange64() - InterlockedCompareExchange() on 64 bits
 * @Destination: the variable
 * @ExChange: stored if *@Destination equals @Comperand
 * @Comperand: the value compared with
 *
 * Return: the value *@Destination had.
 */
static inline LONG64 InterlockedCompareExchange64(LONG64 volatile *Destination,
						  LONG64 ExChange, LONG64 Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, false,
				    NTC_INTERLOCKED_ORDER, NTC_INTERLOCKED_ORDER);
	return Comperand;
}

/**
 * InterlockedExchangeAdd64() - InterlockedExchangeAdd() on 64 bits
 * @Addend: the variable
 * @Value: what to add
 *
 * Return: the value it had before.
 */
static inline LONG64 InterlockedExchangeAdd64(LONG64 volatile *Addend, LONG64 Value)
{
	return __atomic_fetch_add(Addend, Value, NTC_INTERLOCKED_ORDER);
}

#define InterlockedAdd64(Addend, Value)	(InterlockedExchangeAdd64(Addend, Value) + (Value))

/**
 * InterlockedAnd64() - InterlockedAnd() on 64 bits
 * @Destination: the variable
 * @Value: the mask
 *
 * Return: the value it had before.
 */
static inline LONG64 InterlockedAnd64(LONG64 volatile *Destination, LONG64 Value)
{
	return __atomic_fetch_and(Destination, Value, NTC_INTERLOCKED_ORDER);
}

/**
 * InterlockedOr64() - InterlockedOr() on 64 bits
 * @Destination: the variable
 * @Value: the bits
 *
 * Return: the value it had before.
 */
static inline LONG64 InterlockedOr64(LONG64 volatile *Destination, LONG64 Value)
{
	return __atomic_fetch_or(Destination, Value, NTC_INTERLOCKED_ORDER);
}

/**
 * InterlockedExchangePointer() - store a pointer, atomically
 * @Target: the pointer variable
 * @Value: its new value
 *
 * Return: the pointer it held.
 */
static inline PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value)
{
	return __atomic_exchange_n(Target, Value, NTC_INTERLOCKED_ORDER);
}

/**
 * InterlockedCompareExchangePointer() - store a pointer if it holds another
 * @Destination: the pointer variable
 * @Exchange: stored if *@Destination equals @Comperand
 * @Comperand: the pointer compared with
 *
 * Return: the pointer *@Destination held.
 */
static inline PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination,
						      PVOID Exchange, PVOID Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, Exchange, false,
				    NTC_INTERLOCKED_ORDER, NTC_INTERLOCKED_ORDER);
	return Comperand;
}

/*
 * KeMemoryBarrier() orders every memory access before it against every one
 * after it, on this processor and for the compiler: smp_mb(), which pairs
 * with the other side's barrier. KeMemoryBarrierWithoutFence() orders them
 * for the compiler only.
 */
#define KeMemoryBarrier()		smp_mb()
#define KeMemoryBarrierWithoutFence()	barrier()

#endif /* _NTCOMPAT_NT_INTERLOCKED_H */
