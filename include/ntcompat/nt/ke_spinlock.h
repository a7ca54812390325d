/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/ke_spinlock.h - spin locks (KSPIN_LOCK) and in-stack queued spin
 * locks.
 *
 * A KSPIN_LOCK is a spinlock_t. Raising to DISPATCH_LEVEL, which on Windows
 * keeps DPCs off the processor, is turning bottom halves off here, which
 * keeps ntcompat's DPCs (softirqs) off: KeAcquireSpinLock() is
 * spin_lock_bh(), KeAcquireSpinLockAtDpcLevel() is spin_lock().
 *
 * Each KeInitializeSpinLock() call site is its own lockdep class, named
 * after the lock expression, the driver's file and line, so that a lockdep
 * report names the driver's locks and not ntcompat's.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes.
 */
#ifndef _NTCOMPAT_NT_KE_SPINLOCK_H
#define _NTCOMPAT_NT_KE_SPINLOCK_H

#include <linux/compiler.h>
#include <linux/irqflags.h>
#include <linux/lockdep_types.h>
#include <linux/spinlock.h>
#include <linux/stringify.h>

#include <ntdef.h>
#include <nt/ke_irql.h>

/*
 * N.B. On Windows a KSPIN_LOCK is a ULONG_PTR (8 bytes). Here it holds a
 * spinlock_t: 4 bytes on Debian's kernels, 32 with PREEMPT_RT, more with
 * lockdep. Code that stores one in a ULONG_PTR, or initializes it with 0
 * instead of KeInitializeSpinLock(), must change.
 */
typedef spinlock_t KSPIN_LOCK;
typedef KSPIN_LOCK *PKSPIN_LOCK;

typedef struct _KSPIN_LOCK_QUEUE {
	struct _KSPIN_LOCK_QUEUE *Next;
	PKSPIN_LOCK Lock;
} KSPIN_LOCK_QUEUE, *PKSPIN_LOCK_QUEUE;

typedef struct _KLOCK_QUEUE_HANDLE {
	KSPIN_LOCK_QUEUE LockQueue;
	KIRQL OldIrql;
} KLOCK_QUEUE_HANDLE, *PKLOCK_QUEUE_HANDLE;

static_assert(sizeof(KLOCK_QUEUE_HANDLE) == 24, "KLOCK_QUEUE_HANDLE is 24 bytes on x64");

/**
 * ntc_init_spin_lock() - KeInitializeSpinLock() with a lockdep class
 * @SpinLock: the lock
 * @name: the lockdep class name
 * @key: the lockdep class, one per call site
 *
 * Called by the KeInitializeSpinLock() macro; drivers do not call it.
 *
 * Context: any.
 */
VOID ntc_init_spin_lock(PKSPIN_LOCK SpinLock, const char *name,
			struct lock_class_key *key);

/**
 * KeInitializeSpinLock() - initialize a spin lock
 * @SpinLock: the lock
 *
 * A macro, so that each call site is its own lockdep class; the function of
 * the same name, used through a pointer or as (KeInitializeSpinLock)(lock),
 * puts every lock it initializes in one class.
 *
 * N.B. A NULL @SpinLock is logged and ignored.
 *
 * Context: any; the lock must not be held.
 */
VOID KeInitializeSpinLock(PKSPIN_LOCK SpinLock);
#define KeInitializeSpinLock(SpinLock)						\
	do {									\
		static struct lock_class_key __ntc_spin_key;			\
										\
		ntc_init_spin_lock((SpinLock), #SpinLock " at " __FILE__ ":"	\
				   __stringify(__LINE__), &__ntc_spin_key);	\
	} while (0)

/**
 * KeAcquireSpinLockRaiseToDpc() - raise to DISPATCH_LEVEL and take a lock
 * @SpinLock: an initialized lock
 *
 * spin_lock_bh(): no DPC runs on this processor until the release.
 *
 * N.B. With hard interrupts off (above DISPATCH_LEVEL, where Windows
 * bugchecks) the lock is taken with spin_lock() and the call logged; the
 * returned level, HIGH_LEVEL, makes KeReleaseSpinLock() match. A NULL
 * @SpinLock is logged and ignored.
 *
 * Context: at DISPATCH_LEVEL or below.
 * Return: the previous IRQL, for KeReleaseSpinLock().
 */
KIRQL KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock) __acquires(SpinLock);

/**
 * KeReleaseSpinLock() - release a lock and return to the previous IRQL
 * @SpinLock: the lock, taken by KeAcquireSpinLock()
 * @NewIrql: what KeAcquireSpinLock() returned
 *
 * N.B. Releasing a lock that is not held, or a NULL @SpinLock, is logged
 * and ignored (Windows bugchecks or corrupts the lock).
 *
 * Context: the acquirer's.
 */
VOID KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql) __releases(SpinLock);

/*
 * Whether a lock is held at all: not an assertion about the caller (that
 * is lockdep_assert_held()), but the check behind the answer to a driver
 * releasing a lock nobody holds, on every kernel.
 */
#define ntc_spin_is_locked	spin_is_locked

/*
 * The pair drivers call most is inline: a spin_lock_bh() pair in the
 * driver's own function, behind the checks its bad-call answers need; the
 * unusual cases (NULL, interrupts off, a lock not held) go to the exported
 * routines, which answer them. Written as macros, so that the routines
 * keep their names for calls through a pointer.
 */
static __always_inline KIRQL ntc_spin_acquire_dpc(PKSPIN_LOCK SpinLock)
	__acquires(SpinLock)
{
	KIRQL old;

	if (unlikely(!SpinLock || irqs_disabled()))
		return KeAcquireSpinLockRaiseToDpc(SpinLock);
	old = ntc_irql_irqs_on();
	spin_lock_bh(SpinLock);
	return old;
}

static __always_inline VOID ntc_spin_release_dpc(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
	__releases(SpinLock)
{
	if (unlikely(!SpinLock || NewIrql == HIGH_LEVEL || !ntc_spin_is_locked(SpinLock))) {
		KeReleaseSpinLock(SpinLock, NewIrql);
		return;
	}
	spin_unlock_bh(SpinLock);
}

#define KeAcquireSpinLockRaiseToDpc(SpinLock)	ntc_spin_acquire_dpc(SpinLock)
#define KeReleaseSpinLock(SpinLock, NewIrql)	ntc_spin_release_dpc(SpinLock, NewIrql)
/* As on Windows, the IRQL comes back through a pointer. */
#define KeAcquireSpinLock(SpinLock, OldIrql)				\
	(*(OldIrql) = ntc_spin_acquire_dpc(SpinLock))

/**
 * KeAcquireSpinLockAtDpcLevel() - take a lock at DISPATCH_LEVEL
 * @SpinLock: an initialized lock
 *
 * spin_lock(): for callers already at DISPATCH_LEVEL (in a DPC, or holding
 * another spin lock).
 *
 * N.B. Called at PASSIVE_LEVEL, where a DPC taking the same lock on this
 * processor would deadlock (on Windows too), it is logged, and the lock is
 * still taken with spin_lock(): lockdep, where the kernel has it, then
 * reports the inconsistent use. A NULL @SpinLock is logged and ignored.
 *
 * Context: DISPATCH_LEVEL.
 */
VOID KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);

/**
 * KeReleaseSpinLockFromDpcLevel() - release a lock taken at DISPATCH_LEVEL
 * @SpinLock: the lock
 *
 * N.B. As KeReleaseSpinLock().
 *
 * Context: DISPATCH_LEVEL.
 */
VOID KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock);

/**
 * KeAcquireInStackQueuedSpinLock() - take a lock, queued
 * @SpinLock: an initialized lock
 * @LockHandle: the caller's handle, on its stack, until the release
 *
 * N.B. Windows keeps queued acquirers in a list in their handles (an MCS
 * lock); Linux's spinlock_t is a queued lock of its own (qspinlock, MCS
 * too), so the handle only records the lock and the IRQL. NULL arguments
 * are logged and ignored.
 *
 * Context: at DISPATCH_LEVEL or below.
 */
VOID KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle);

/**
 * KeReleaseInStackQueuedSpinLock() - release a queued lock
 * @LockHandle: the handle given to KeAcquireInStackQueuedSpinLock()
 *
 * N.B. A handle that holds no lock is logged and ignored.
 *
 * Context: the acquirer's.
 */
VOID KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle);

/**
 * KeAcquireInStackQueuedSpinLockAtDpcLevel() - take a lock, queued, at
 * DISPATCH_LEVEL
 * @SpinLock: an initialized lock
 * @LockHandle: the caller's handle
 *
 * As KeAcquireSpinLockAtDpcLevel().
 *
 * Context: DISPATCH_LEVEL.
 */
VOID KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock,
					      PKLOCK_QUEUE_HANDLE LockHandle);

/**
 * KeReleaseInStackQueuedSpinLockFromDpcLevel() - release a queued lock
 * taken at DISPATCH_LEVEL
 * @LockHandle: the handle
 *
 * Context: DISPATCH_LEVEL.
 */
VOID KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle);

/**
 * KeTestSpinLock() - whether a lock looks free
 * @SpinLock: an initialized lock
 *
 * A hint for spinning before trying again, as on Windows: the answer may
 * be stale at once.
 *
 * Context: any.
 * Return: TRUE if the lock is not held (or @SpinLock is NULL, which is
 * logged), FALSE if it is.
 */
BOOLEAN KeTestSpinLock(PKSPIN_LOCK SpinLock);

#endif /* _NTCOMPAT_NT_KE_SPINLOCK_H */
