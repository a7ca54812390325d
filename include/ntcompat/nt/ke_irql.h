/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/ke_irql.h - Windows interrupt request levels (KIRQL), mapped onto the
 * Linux context.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes.
 */
#ifndef _NTCOMPAT_NT_KE_IRQL_H
#define _NTCOMPAT_NT_KE_IRQL_H

#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>

#include <ntdef.h>

typedef UCHAR KIRQL;
typedef UCHAR *PKIRQL;

#define PASSIVE_LEVEL	0
#define LOW_LEVEL	0
#define APC_LEVEL	1
#define DISPATCH_LEVEL	2
#define HIGH_LEVEL	15

/*
 * The IRQL for a caller that has just seen hard interrupts on: the mapping
 * behind KeGetCurrentIrql(), for the paths (spin locks, pool) that must
 * test irqs_disabled() anyway and should not test it twice. That test is a
 * pushf, which TCG emulates with a helper call and a hypervisor may trap.
 *
 * Without a preempt count, spinlocks cannot be seen: trust the task. Under
 * PREEMPT_RT a spinlock_t leaves preemption on, but its holder is in an RCU
 * read-side section, which preemptible RCU counts. With hard interrupts on,
 * a zero preempt count is what preemptible() tests.
 */
static __always_inline KIRQL ntc_irql_irqs_on(void)
{
	/* Or-ed, not ||: one test instead of a branch for each. */
	bool atomic = in_task() == 0;

	atomic |= rcu_preempt_depth() != 0;
	atomic |= IS_ENABLED(CONFIG_PREEMPT_COUNT) && preempt_count() != 0;

	return atomic ? DISPATCH_LEVEL : PASSIVE_LEVEL;
}

/**
 * KeGetCurrentIrql() - the Windows IRQL that matches the Linux context
 *
 * N.B. Linux has no IRQL. Code that may sleep (process context, no spinlock,
 * no RCU read-side section, interrupts on) is reported as PASSIVE_LEVEL;
 * anything else as DISPATCH_LEVEL, the level at which Windows forbids
 * waiting. That includes a DPC's routine, which runs in softirq context
 * (or, on a processor going offline, with bottom halves off), and the
 * holder of a KSPIN_LOCK.
 *
 * Return: PASSIVE_LEVEL or DISPATCH_LEVEL.
 */
static inline KIRQL KeGetCurrentIrql(void)
{
	if (irqs_disabled())
		return DISPATCH_LEVEL;
	return ntc_irql_irqs_on();
}

/* On Windows an assertion that the caller may page fault; here, may sleep. */
#define PAGED_CODE()	might_sleep()

#endif /* _NTCOMPAT_NT_KE_IRQL_H */
