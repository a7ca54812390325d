/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntc.h - ntcompat's internal interfaces.
 *
 * An event travels top to bottom through pnp/, the notification engine:
 *
 *	pnp/cpu.c, pnp/memory.c	Linux hotplug callbacks: record, post, return
 *	pnp/event.c		the ordered queue of posted events
 *	pnp/dispatch.c		process context: fan an event out to callbacks
 *	pnp/registration.c	who is registered, handles, unregistering
 *
 * and the edge that drivers see is pnp/io_pnp.c (the Io* calls),
 * ke/processor.c (the Ke* processor queries), mm/physical.c (System RAM
 * and MmGetPhysicalMemoryRanges), ex/pool.c, io/driver.c (DRIVER_OBJECT,
 * stopping a driver), rtl/dbgprint.c and rtl/status.c (errno <-> NTSTATUS).
 * introspect.c shows it all to root: debugfs files, counters and the
 * tracepoints of ntc_trace.h.
 */
#ifndef _NTC_H
#define _NTC_H

#include <linux/atomic.h>
#include <linux/export.h>
#include <linux/kconfig.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/ktime.h>
#include <linux/types.h>

/*
 * ntcompat exports into NTCOMPAT; it does not import it (see wdm.h). Hence
 * this header comes before any Windows header.
 */
#ifdef _NTCOMPAT_WDM_H
#error "include ntc.h before the Windows headers"
#endif
#define NTC_PROVIDER
#include <wdm.h>

#include "compat/ntc_compat.h"

/* The namespace of every export, as this kernel spells namespaces. */
#define NTC_EXPORT_NS	NTC_NS(NTCOMPAT)

/*
 * The internals the KUnit suite (ntc_kunit.ko) drives directly, exported
 * only on kernels built with KUnit, in their own namespace.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#define NTC_EXPORT_FOR_KUNIT(sym)	EXPORT_SYMBOL_NS_GPL(sym, NTC_NS(NTCOMPAT_KUNIT))
#else
#define NTC_EXPORT_FOR_KUNIT(sym)
#endif

enum ntc_class {
	NTC_CLASS_PROCESSOR,
	NTC_CLASS_MEMORY,
	NTC_NR_CLASSES,
};

enum ntc_action {
	NTC_ARRIVAL,
	NTC_REMOVAL,
};

/* One hardware change, as posted by a Linux hotplug callback. */
struct ntc_event {
	struct list_head node;
	u64 seq;
	u64 queued_ns;			/* ktime_get_ns() when queued */
	enum ntc_class class;
	enum ntc_action action;
	union {
		unsigned int cpu;
		struct {
			u64 start;
			u64 size;
		} mem;
	};
};

#define NTC_REG_MAGIC	0x4e544352	/* "NTCR" */

/* One IoRegisterPlugPlayNotification(). The handle is its address. */
struct ntc_reg {
	u32 magic;
	enum ntc_class class;
	bool dead;			/* unregistered: never call again */
	u64 first_seq;			/* first event this registration gets */
	PDRIVER_NOTIFICATION_CALLBACK_ROUTINE callback;
	void *context;
	PDRIVER_OBJECT driver;
	struct module *owner;		/* the driver's, referenced */
	struct hlist_node handle_node;	/* ntc_handles, under ntc_reg_lock */
	struct list_head class_node;	/* ntc_class_regs[], RCU (SRCU) */
	struct task_struct *cb_task;	/* who runs the callback now */
	/* Written only by the thread that holds the claim (cb_task). */
	unsigned long delivered;	/* callbacks made, replays included */
	u64 last_latency_ns;		/* the last event's, see ntc_notify() */
	struct rcu_head rcu;
};

/* What was up when a registration asked for INCLUDE_EXISTING. */
struct ntc_snapshot {
	size_t count;
	struct ntc_event *items;	/* ARRIVAL events, kvfree() them */
};

/*
 * Global counters, for /sys/kernel/debug/ntcompat/stats. Each plain field
 * has one writer at a time, named here, and is read with READ_ONCE().
 */
struct ntc_stats {
	/* Under ntc_event_lock: events queued, by class and action. */
	unsigned long queued[NTC_NR_CLASSES][2];
	/* By the dispatcher only. */
	unsigned long dispatched;	/* taken off the queue */
	unsigned long suppressed;	/* REMOVALs dropped: removal_events=0 */
	unsigned long callbacks;	/* callbacks for queued events */
	u64 max_latency_ns;		/* queueing to start of fan-out */
	/* Under ntc_reg_lock. */
	unsigned long registered;	/* registrations ever made */
	unsigned long unregistered;
	/* Anywhere. */
	atomic_long_t replayed;		/* INCLUDE_EXISTING callbacks */
	atomic_long_t bad_calls;	/* calls refused by the API edge */
};

extern struct ntc_stats ntc_stats;

/* Count one more in a counter with a single writer at a time. */
#define ntc_stat_inc(counter)	WRITE_ONCE(counter, (counter) + 1)

/* rtl/status.c */
NTSTATUS ntc_errno_to_status(int err);
int ntc_status_to_errno(NTSTATUS status);

/* rtl/guid.c */
extern const GUID *const ntc_class_guid[NTC_NR_CLASSES];
extern const char *const ntc_class_name[NTC_NR_CLASSES];
int ntc_class_from_guid(const GUID *guid);

/* pnp/event.c */
int ntc_event_init(void);
void ntc_event_uninit(void);
void ntc_event_post_cpu(enum ntc_action action, unsigned int cpu);
void ntc_event_post_memory_arrival(u64 start, u64 size);
void ntc_event_post_memory_removal(u64 start, u64 size);
struct ntc_event *ntc_event_next(void);
void ntc_event_free(struct ntc_event *ev);
int ntc_event_begin_registration(struct ntc_reg *reg, struct ntc_snapshot *snap);
void ntc_event_record_memory(u64 start, u64 size);
int ntc_event_reserve_left(void);

/* pnp/cpu.c */
int ntc_cpu_init(void);
void ntc_cpu_uninit(void);

/* pnp/memory.c */
int ntc_memory_init(void);
void ntc_memory_uninit(void);

/* mm/physical.c */
typedef int ntc_ram_fn(u64 start, u64 size, void *arg);
int ntc_memory_walk_ram(u64 start, u64 size, ntc_ram_fn *fn, void *arg);

/* pnp/dispatch.c */
int ntc_dispatch_init(void);
void ntc_dispatch_uninit(void);
void ntc_dispatch_kick(void);
void ntc_dispatch_flush(void);
void ntc_deliver_call(struct ntc_reg *reg, const struct ntc_event *ev);
void ntc_deliver_release(struct ntc_reg *reg);

/* pnp/registration.c */
extern struct srcu_struct ntc_srcu;
extern struct list_head ntc_class_regs[NTC_NR_CLASSES];
void ntc_registration_uninit(void);
int ntc_register(enum ntc_class class, PDRIVER_OBJECT driver,
		 PDRIVER_NOTIFICATION_CALLBACK_ROUTINE callback,
		 void *context, bool include_existing, void **handle);
int ntc_unregister(void *handle, bool wait);
unsigned int ntc_unregister_driver(PDRIVER_OBJECT driver);
extern const struct seq_operations ntc_reg_seq_ops;

/* rtl/unicode.c */
void ntc_widen(WCHAR *dst, const char *src, size_t len);
int ntc_unicode_printf(UNICODE_STRING *us, const char *fmt, ...) __printf(2, 3);

/* io/driver.c */
bool ntc_driver_is_known(PDRIVER_OBJECT driver);

/* introspect.c */
void ntc_introspect_init(void);
void ntc_introspect_uninit(void);

/* pnp/io_pnp.c */
bool ntc_may_sleep(void);
void ntc_shutdown_begin(void);
bool ntc_shutting_down(void);

/*
 * ke/: DPCs, events and waits, spin locks, affinity. A bad call from a
 * driver is logged, rate-limited, naming its caller: expand this only in
 * the exported function the driver called.
 */
#define ntc_ke_bad_call(fmt, ...)					\
	do {								\
		atomic_long_inc(&ntc_stats.bad_calls);			\
		pr_warn_ratelimited("%s from %pS: " fmt "\n", __func__,	\
				    __builtin_return_address(0),	\
				    ##__VA_ARGS__);			\
	} while (0)

/* ke/dpc.c; the cpuhp callbacks of pnp/cpu.c call the _cpu_ hooks. */
void ntc_dpc_init(void);
void ntc_dpc_uninit(void);
void ntc_dpc_cpu_online(unsigned int cpu);
void ntc_dpc_cpu_offline(unsigned int cpu);

/* ke/event.c: the dispatcher lock, over every event and wait. */
struct ntc_wait {			/* one waiting thread, on its stack */
	struct task_struct *task;
	WAIT_TYPE type;
	ULONG count;
	PKEVENT *objects;
	PKWAIT_BLOCK blocks;		/* one per object */
	NTSTATUS status;		/* once done */
	bool done;
};
extern raw_spinlock_t ntc_dispatcher_lock;
bool ntc_kevent_valid(const KEVENT *ev);
bool ntc_wait_try(struct ntc_wait *w);
void ntc_wait_dequeue(struct ntc_wait *w);

/* ke/wait.c: a Windows timeout (100 ns units), as an hrtimer expiry. */
struct ntc_timeout {
	bool infinite;			/* no timeout given */
	bool poll;			/* zero: do not wait */
	bool relative;			/* else absolute on CLOCK_REALTIME */
	ktime_t value;			/* the interval or the expiry */
};
void ntc_timeout_from_nt(const LARGE_INTEGER *timeout, struct ntc_timeout *to);

/* ke/affinity.c */
void ntc_affinity_uninit(void);

#endif /* _NTC_H */
