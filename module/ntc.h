/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntc.h - ntcompat's internal interfaces.
 *
 * An event travels top to bottom through pnp/, the notification engine:
 *
 *	pnp/cpu.c, pnp/memory.c	Linux hotplug callbacks: post, kick, return
 *	pnp/event.c		the ordered queue of posted events, and the
 *				record of what is up
 *	pnp/dispatch.c		process context: take an event off the queue,
 *				build its notification (pnp/notification.c)
 *	pnp/registration.c	a registration's whole life, and the fan-out
 *				of an event to the registrations
 *
 * handle.c gives every handle a driver holds (registration.c's, and any
 * later kind's), and checks it on every call.
 * and the edge that drivers see is pnp/io_pnp.c (the Io* calls),
 * ke/processor.c (the Ke* processor queries), ke/processor_change.c
 * (KeRegisterProcessorChangeCallback, called from inside the CPU hotplug
 * operation on two cpuhp states of its own), mm/physical.c (System RAM
 * and MmGetPhysicalMemoryRanges), ex/pool.c, io/driver.c (DRIVER_OBJECT,
 * stopping a driver), rtl/dbgprint.c and rtl/status.c (errno <-> NTSTATUS).
 * introspect.c shows it all to root: debugfs files, counters and the
 * tracepoints of ntc_trace.h.
 */

#ifndef _NTC_H
#define _NTC_H

/*
 * Locks, outermost first; a lock is only ever taken with those above it
 * held, never below:
 *
 *	ntc_driver.stop_lock	(mutex, io/driver.c) one driver's stop: held
 *				while its DriverUnload runs, which may call
 *				anything below
 *	cpu_hotplug_lock	(the kernel's) held for writing around the
 *				processor-change callbacks, for reading by
 *				KeRegisterProcessorChangeCallback
 *	ntc_pcc_lock		(mutex, ke/processor_change.c) the
 *				processor-change registrations; held across
 *				each of their callbacks, which may call
 *				anything below
 *	ntc_affinity_lock	(mutex, ke/affinity.c) the threads' recorded
 *				affinities
 *	ntc_driver_lock		(mutex, io/driver.c) the list of loaded
 *				drivers; taken and dropped before the
 *				registration lock, never inside it
 *	ntc_reg_lock		(mutex, pnp/registration.c) the fan-out
 *				arrays' layout, live and hole counts, each
 *				registration's slot and dead flag; never taken
 *				on the hotplug path, so it may allocate
 *	ntc_event_lock		(mutex, pnp/event.c) the event queue, sequence
 *				numbers and the record of what is up; the
 *				hotplug path takes it, so nothing allocates
 *				under it
 *	ntc_handles' xa_lock	(spinlock, handle.c) the handle table
 *	ntc_pool_lock		(spinlock, ex/pool.c) the tag records; innermost
 *	ntc_dispatcher_lock	(raw spinlock, ke/event.c) every KEVENT and
 *				wait; innermost, taken from DPCs too
 *	a CPU's DPC queue lock	(raw spinlock, ke/dpc.c); innermost
 *
 * Not locks, but what keeps things alive: ntc_srcu read sections
 * (registrations, fan-out arrays, a driver's code until its module exit
 * has waited), and RCU grace periods, which order the dispatcher's claim
 * on a registration against an Ex unregister (pnp/registration.c).
 */

#include <linux/atomic.h>
#include <linux/export.h>
#include <linux/kconfig.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
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
 * only on kernels built with KUnit, in their own namespace. Elsewhere the
 * name is still checked, so that a misspelt one fails every build, not
 * only the debug lane's.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#define NTC_EXPORT_FOR_KUNIT(sym)	EXPORT_SYMBOL_NS_GPL(sym, NTC_NS(NTCOMPAT_KUNIT))
#else
#define NTC_EXPORT_FOR_KUNIT(sym)	static_assert(__same_type(sym, sym))
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

/*
 * One hardware change, as posted by a Linux hotplug callback; or, while on
 * the record of announced memory (pnp/event.c), one range that is up.
 */
struct ntc_event {
	union {
		struct list_head node;	/* on the queue */
		struct rb_node rb;	/* on the memory record */
	};
	u64 seq;
	u64 queued_ns;			/* ktime_get_ns() when queued */
	enum ntc_class class;
	enum ntc_action action;
	bool suppressed;		/* a REMOVAL queued with removal_events=0 */
	union {
		unsigned int cpu;
		struct {
			u64 start;
			u64 size;
		} mem;
	};
};

enum ntc_handle_kind {
	NTC_HANDLE_PNP = 1,		/* IoRegisterPlugPlayNotification() */
	NTC_HANDLE_PROCESSOR_CHANGE,	/* KeRegisterProcessorChangeCallback() */
};

/**
 * struct ntc_handle - what a driver's handle value stands for (handle.c)
 * @value: the value the driver holds; never reused while ntcompat is loaded
 * @kind: the kind of object it is embedded in
 * @owner: the module it was handed to; only that module may use it
 */
struct ntc_handle {
	unsigned long value;
	enum ntc_handle_kind kind;
	struct module *owner;
};

/**
 * struct ntc_reg - one IoRegisterPlugPlayNotification()
 *
 * pnp/registration.c owns it from allocation to freeing, and is the only
 * file that reads or writes its members; the tracepoint reads the
 * immutable ones.
 *
 * @handle: its handle, published in the handle table while registered
 * @class: the interface class; immutable
 * @callback: the driver's callback; immutable
 * @context: its Context; immutable
 * @driver: the registering driver's object; immutable
 * @owner: the driver's module, referenced from registration to retirement
 * @first_seq: the first event it is owed; written before it is visible
 * @slot: its index in its class's fan-out array; under ntc_reg_lock
 * @dead: set under ntc_reg_lock when unregistered; read locklessly by the
 *	replay before each callback, and by the dispatcher while any
 *	registration is unsettled (pnp/registration.c)
 * @replayer: the thread that registered it, until its replay is done and
 *	its handle written back; the dispatcher does not call it before
 * @owed_before: how many of its class's delivered events were queued
 *	before its first: its count of queued events' callbacks is the
 *	class's fanned-out count less this (ntc_reg_delivered()), so that the
 *	dispatcher's walk need not write anything per callback; immutable
 * @replayed: INCLUDE_EXISTING callbacks made; written by the replayer only
 * @gone: on a local list while ntc_unregister_driver() retires it
 * @rcu: frees it after an SRCU grace period (once off that list)
 */
struct ntc_reg {
	struct ntc_handle handle;
	enum ntc_class class;
	PDRIVER_NOTIFICATION_CALLBACK_ROUTINE callback;
	void *context;
	PDRIVER_OBJECT driver;
	struct module *owner;
	u64 first_seq;
	unsigned int slot;
	bool dead;
	struct task_struct *replayer;
	unsigned long owed_before;
	unsigned long replayed;
	union {
		struct list_head gone;
		struct rcu_head rcu;
	};
};

/* Long enough for "\??\ACPI#PNP0C80#<16 hex>+<16 hex>#{guid}". */
#define NTC_LINK_CHARS	128

/* A notification and the string it points to, in one piece. */
struct ntc_notification {
	DEVICE_INTERFACE_CHANGE_NOTIFICATION hdr;
	UNICODE_STRING link;
	WCHAR buf[NTC_LINK_CHARS];
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
	u64 last_latency_ns[NTC_NR_CLASSES];	/* the last event's */
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

/*
 * A refused call: counted for the stats file and logged, rate-limited,
 * naming the driver's call site. ntc_bad_call() must be expanded in the
 * exported routine the driver called, whose return address is then the
 * driver's; a routine handed its caller uses ntc_bad_call_from().
 */
#define ntc_bad_call_from(caller, fn, fmt, ...)				\
	do {								\
		atomic_long_inc(&ntc_stats.bad_calls);			\
		pr_warn_ratelimited("%s from %pS: " fmt "\n", fn,	\
				    caller, ##__VA_ARGS__);		\
	} while (0)
#define ntc_bad_call(fn, fmt, ...)					\
	ntc_bad_call_from(__builtin_return_address(0), fn, fmt, ##__VA_ARGS__)

/* rtl/status.c */
NTSTATUS ntc_errno_to_status(int err);
int ntc_status_to_errno(NTSTATUS status);

/* rtl/guid.c */
extern const GUID *const ntc_class_guid[NTC_NR_CLASSES];
extern const char *const ntc_class_name[NTC_NR_CLASSES];
int ntc_class_from_guid(const GUID *guid);

/* handle.c */
int ntc_handle_publish(struct ntc_handle *h, enum ntc_handle_kind kind,
		       struct module *owner);
struct ntc_handle *ntc_handle_take(const void *value, enum ntc_handle_kind kind,
				   const struct module *caller);
void ntc_handle_unpublish(struct ntc_handle *h);

/* pnp/event.c */
int ntc_event_init(void);
void ntc_event_uninit(void);
void ntc_event_post_cpu(enum ntc_action action, unsigned int cpu);
void ntc_event_post_memory_arrival(u64 start, u64 size);
void ntc_event_post_memory_removal(u64 start, u64 size);
struct ntc_event *ntc_event_next(void);
void ntc_event_free(struct ntc_event *ev);
int ntc_event_begin(enum ntc_class class, struct ntc_snapshot *snap,
		    void (*link)(void *arg, u64 first_seq, unsigned long owed),
		    void *arg);
void ntc_event_assert_held(void);
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

/* pnp/notification.c */
void ntc_notification_build(struct ntc_notification *n,
			    const struct ntc_event *ev);

/* pnp/dispatch.c */
int ntc_dispatch_init(void);
void ntc_dispatch_uninit(void);
void ntc_dispatch_kick(void);
void ntc_dispatch_flush(void);

/* pnp/registration.c */
void ntc_registration_uninit(void);
int ntc_register(enum ntc_class class, PDRIVER_OBJECT driver,
		 PDRIVER_NOTIFICATION_CALLBACK_ROUTINE callback,
		 void *context, bool include_existing, void **handle);
int ntc_unregister(void *handle, bool wait, const struct module *caller);
unsigned int ntc_unregister_driver(PDRIVER_OBJECT driver);
unsigned int ntc_reg_fan_out(const struct ntc_event *ev, struct ntc_notification *n);
extern u32 ntc_fanout_delay_ms;
void ntc_reg_barrier(void);
struct inode;
struct file;
int ntc_reg_seq_open(struct inode *inode, struct file *file);

/* rtl/unicode.c */
void ntc_widen(WCHAR *dst, const char *src, size_t len);
int ntc_unicode_printf(UNICODE_STRING *us, const char *fmt, ...) __printf(2, 3);

/* io/driver.c */
bool ntc_driver_is_known(PDRIVER_OBJECT driver);
struct module *ntc_caller_module(unsigned long ip);

/*
 * ke/processor_change.c: the synchronous processor-change callbacks.
 * Counters for /sys/kernel/debug/ntcompat/stats, written under its lock.
 */
struct ntc_pcc_stats {
	unsigned long calls[3];		/* by KE_PROCESSOR_CHANGE_NOTIFY_STATE */
	unsigned long vetoes;
	unsigned long registered;
	unsigned long deregistered;
	u64 last_start_ns;		/* the last hotplug Start walk */
	u64 last_complete_ns;		/* the last hotplug Complete walk */
};

extern struct ntc_pcc_stats ntc_pcc_stats;

int ntc_pcc_init(void);
void ntc_pcc_uninit(void);
unsigned int ntc_pcc_unregister_driver(struct module *owner);
int ntc_pcc_seq_open(struct inode *inode, struct file *file);
const char *ntc_pcc_state_names(unsigned int state);

/* introspect.c */
void ntc_introspect_init(void);
void ntc_introspect_uninit(void);

/* pnp/io_pnp.c */
bool ntc_may_sleep(void);
void ntc_shutdown_begin(void);
bool ntc_shutting_down(void);

/*
 * The primitives: pool (ex/pool.c), routine lookup (mm/sysroutine.c) and
 * the Rtl routines of rtl/memory.c and rtl/string.c.
 */


/* Tags ntcompat allocates under: 'enoN' and 'hPmM', as on Windows. */
#define NTC_POOL_TAG_NONE	0x656e6f4e
#define NTC_POOL_TAG_MM_PHYS	0x68506d4d

/* One CPU's counts of a (tag, module) pair, or their sum. */
struct ntc_pool_count {
	unsigned long allocs;
	unsigned long frees;
	long bytes;			/* a CPU's share may be negative */
};

/* ex/pool.c */
int ntc_pool_type_flags(POOL_TYPE type, POOL_FLAGS *flags);
int ntc_pool_gfp(POOL_FLAGS flags, bool atomic, gfp_t *gfp);
bool ntc_pool_usage(ULONG tag, const struct module *owner, struct ntc_pool_count *usage);
void ntc_pool_driver_gone(struct module *owner);
void ntc_pool_uninit(void);
extern const struct file_operations *const ntc_pool_file;

/*
 * ke/: DPCs, events and waits, spin locks, affinity. A bad call is
 * ntc_bad_call(__func__, ...), expanded in the exported routine.
 */
#define ntc_ke_bad_call(fmt, ...)	ntc_bad_call(__func__, fmt, ##__VA_ARGS__)

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
struct cpumask;
int ntc_affinity_move(const struct cpumask *mask);
void ntc_affinity_uninit(void);

#endif /* _NTC_H */
