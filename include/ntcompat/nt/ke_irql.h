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
	/*
	 * Without a preempt count, spinlocks cannot be seen: trust the task.
	 * Under PREEMPT_RT a spinlock_t leaves preemption on, but its holder
	 * is in an RCU read-side section, which preemptible RCU counts.
	 */
	if (in_task() && !irqs_disabled() && !rcu_preempt_depth() &&
	    (!IS_ENABLED(CONFIG_PREEMPT_COUNT) || preemptible()))
		return PASSIVE_LEVEL;
	return DISPATCH_LEVEL;
}

/* On Windows an assertion that the caller may page fault; here, may sleep. */
#define PAGED_CODE()	might_sleep()

#endif /* _NTCOMPAT_NT_KE_IRQL_H */
