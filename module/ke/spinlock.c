// SPDX-License-Identifier: GPL-2.0
/*
 * Spin locks: a KSPIN_LOCK is a spinlock_t (see nt/ke_spinlock.h). The
 * common KeAcquireSpinLock()/KeReleaseSpinLock() pair is inline there and
 * calls the routines here only for what it does not handle itself.
 *
 * DISPATCH_LEVEL keeps DPCs off the processor on Windows; here DPCs are
 * softirqs, so raising to it is local_bh_disable() and KeAcquireSpinLock()
 * is spin_lock_bh(). The KIRQL handed back says how the lock was taken, so
 * that the release undoes exactly that: PASSIVE_LEVEL or DISPATCH_LEVEL
 * (bottom halves to enable again), or HIGH_LEVEL for a caller that had
 * hard interrupts off, which Windows forbids and which spin_unlock_bh()
 * cannot be called in.
 */
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>

#include "ntc.h"

/*
 * sparse follows lock contexts per function: the paths that refuse a bad
 * call take or drop none, and say so with __acquire()/__release() so that
 * every path of an acquiring (releasing) function counts one.
 */

VOID ntc_init_spin_lock(PKSPIN_LOCK SpinLock, const char *name,
			struct lock_class_key *key)
{
	if (!SpinLock) {
		ntc_ke_bad_call("NULL SpinLock");
		return;
	}
	spin_lock_init(SpinLock);
	lockdep_set_class_and_name(SpinLock, key, name);
}
EXPORT_SYMBOL_NS_GPL(ntc_init_spin_lock, NTC_EXPORT_NS);

/* For calls through a pointer: one class for all of them. */
static struct lock_class_key ntc_spin_key;

VOID (KeInitializeSpinLock)(PKSPIN_LOCK SpinLock)
{
	if (!SpinLock) {
		ntc_ke_bad_call("NULL SpinLock");
		return;
	}
	spin_lock_init(SpinLock);
	lockdep_set_class_and_name(SpinLock, &ntc_spin_key, "KSPIN_LOCK");
}
EXPORT_SYMBOL_NS_GPL(KeInitializeSpinLock, NTC_EXPORT_NS);

/* Take @lock as the IRQL returned says; expanded where the driver called. */
#define ntc_spin_acquire(lock)						\
	({								\
		KIRQL __old;						\
									\
		if (unlikely(in_hardirq() || irqs_disabled())) {	\
			ntc_ke_bad_call("called above DISPATCH_LEVEL");	\
			spin_lock(lock);				\
			__old = HIGH_LEVEL;				\
		} else {						\
			__old = ntc_irql_irqs_on();			\
			spin_lock_bh(lock);				\
		}							\
		__old;							\
	})

#define ntc_spin_release(lock, irql)					\
	do {								\
		if (unlikely(!ntc_spin_is_locked(lock))) {		\
			ntc_ke_bad_call("lock %p is not held", lock);	\
			__release(lock);				\
			break;						\
		}							\
		if ((irql) == HIGH_LEVEL)				\
			spin_unlock(lock);				\
		else							\
			spin_unlock_bh(lock);				\
	} while (0)

KIRQL (KeAcquireSpinLockRaiseToDpc)(PKSPIN_LOCK SpinLock)
	__acquires(SpinLock)
{
	if (!SpinLock) {
		ntc_ke_bad_call("NULL SpinLock");
		__acquire(SpinLock);
		return KeGetCurrentIrql();
	}
	return ntc_spin_acquire(SpinLock);
}
EXPORT_SYMBOL_NS_GPL(KeAcquireSpinLockRaiseToDpc, NTC_EXPORT_NS);

VOID (KeReleaseSpinLock)(PKSPIN_LOCK SpinLock, KIRQL NewIrql)
	__releases(SpinLock)
{
	if (!SpinLock) {
		ntc_ke_bad_call("NULL SpinLock");
		__release(SpinLock);
		return;
	}
	ntc_spin_release(SpinLock, NewIrql);
}
EXPORT_SYMBOL_NS_GPL(KeReleaseSpinLock, NTC_EXPORT_NS);

VOID KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock)
	__acquires(SpinLock)
{
	if (!SpinLock) {
		ntc_ke_bad_call("NULL SpinLock");
		__acquire(SpinLock);
		return;
	}
	if (KeGetCurrentIrql() == PASSIVE_LEVEL)
		ntc_ke_bad_call("called at PASSIVE_LEVEL");
	spin_lock(SpinLock);
}
EXPORT_SYMBOL_NS_GPL(KeAcquireSpinLockAtDpcLevel, NTC_EXPORT_NS);

VOID KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock)
	__releases(SpinLock)
{
	if (!SpinLock) {
		ntc_ke_bad_call("NULL SpinLock");
		__release(SpinLock);
		return;
	}
	ntc_spin_release(SpinLock, HIGH_LEVEL);
}
EXPORT_SYMBOL_NS_GPL(KeReleaseSpinLockFromDpcLevel, NTC_EXPORT_NS);

VOID KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle)
	__acquires(SpinLock)
{
	if (!SpinLock || !LockHandle) {
		ntc_ke_bad_call("NULL %s", SpinLock ? "LockHandle" : "SpinLock");
		__acquire(SpinLock);
		return;
	}
	LockHandle->LockQueue.Next = NULL;
	LockHandle->OldIrql = ntc_spin_acquire(SpinLock);
	LockHandle->LockQueue.Lock = SpinLock;
}
EXPORT_SYMBOL_NS_GPL(KeAcquireInStackQueuedSpinLock, NTC_EXPORT_NS);

VOID KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle)
	__releases(LockHandle->LockQueue.Lock)
{
	PKSPIN_LOCK lock = LockHandle ? LockHandle->LockQueue.Lock : NULL;

	if (!lock) {
		ntc_ke_bad_call("LockHandle %p holds no lock", LockHandle);
		__release(lock);
		return;
	}
	/* A second release of the same handle finds no lock. */
	LockHandle->LockQueue.Lock = NULL;
	ntc_spin_release(lock, LockHandle->OldIrql);
}
EXPORT_SYMBOL_NS_GPL(KeReleaseInStackQueuedSpinLock, NTC_EXPORT_NS);

VOID KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock,
					      PKLOCK_QUEUE_HANDLE LockHandle)
	__acquires(SpinLock)
{
	if (!SpinLock || !LockHandle) {
		ntc_ke_bad_call("NULL %s", SpinLock ? "LockHandle" : "SpinLock");
		__acquire(SpinLock);
		return;
	}
	if (KeGetCurrentIrql() == PASSIVE_LEVEL)
		ntc_ke_bad_call("called at PASSIVE_LEVEL");
	spin_lock(SpinLock);
	LockHandle->LockQueue.Next = NULL;
	LockHandle->LockQueue.Lock = SpinLock;
	LockHandle->OldIrql = HIGH_LEVEL;
}
EXPORT_SYMBOL_NS_GPL(KeAcquireInStackQueuedSpinLockAtDpcLevel, NTC_EXPORT_NS);

VOID KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE LockHandle)
	__releases(LockHandle->LockQueue.Lock)
{
	PKSPIN_LOCK lock = LockHandle ? LockHandle->LockQueue.Lock : NULL;

	if (!lock) {
		ntc_ke_bad_call("LockHandle %p holds no lock", LockHandle);
		__release(lock);
		return;
	}
	LockHandle->LockQueue.Lock = NULL;
	ntc_spin_release(lock, HIGH_LEVEL);
}
EXPORT_SYMBOL_NS_GPL(KeReleaseInStackQueuedSpinLockFromDpcLevel, NTC_EXPORT_NS);

BOOLEAN KeTestSpinLock(PKSPIN_LOCK SpinLock)
{
	if (!SpinLock) {
		ntc_ke_bad_call("NULL SpinLock");
		return TRUE;
	}
	return !ntc_spin_is_locked(SpinLock);
}
EXPORT_SYMBOL_NS_GPL(KeTestSpinLock, NTC_EXPORT_NS);
