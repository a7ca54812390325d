// SPDX-License-Identifier: GPL-2.0
/*
 * ntc_fuzz - a ported driver that calls every routine ntcompat exports with
 * random and hostile arguments, from several threads, from DPCs and from
 * inside its own callbacks, while fuzz.sh hot-adds, unplugs and cycles CPUs
 * and memory.
 *
 * Each thread loops: it picks a routine of ntc_fuzz_table at random and one
 * of that routine's argument recipes: valid, NULL, stale, forged or another
 * driver's handles, the wrong IRQL (a KSPIN_LOCK held), every event
 * category and flag bit, every GUID ntcompat knows and random ones, and so
 * on. What Windows answers with a bug check ntcompat must answer with a
 * status, or a rate-limited log line and no harm: each call's outcome is
 * counted per routine, an NTSTATUS outside the routine's documented set
 * counts as bad, and an answer the recipe determines (NULL for paged pool at
 * DISPATCH_LEVEL, say) counts as wrong if it differs.
 *
 * The callbacks check what ntcompat promises about them. A callback's
 * Context encodes its slot and the registration's generation, so that a
 * callback knows which registration it belongs to and how that one ended:
 * a callback of a registration whose IoUnregisterPlugPlayNotificationEx()
 * or KeDeregisterProcessorChangeCallback() had returned is late, one of a
 * registration whose Register failed was never registered; a processor's
 * Complete or Failure without its Start, or a second Start, is unpaired,
 * and a Start left without either when a long-lived registration ends is
 * unfinished. KASAN, lockdep, kmemleak and the rest judge the rest.
 *
 * Through debugfs, in /sys/kernel/debug/ntc_fuzz:
 *
 *	ctl		start N | stop | veto CPU | foreign pnp|pcc VALUE
 *	routines	one line per export of ntcompat: kind, calls, outcomes
 *	report		totals and the invariant counts, key=value
 *	handles		the live notification handles, for another driver to try
 */
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include <ntddk.h>
#include <wdmguid.h>
#include <poclass.h>

#include "ntc_ctl.h"

#define FZ_MAX_THREADS	8
#define FZ_PNP_SLOTS	24
#define FZ_PCC_SLOTS	12
#define FZ_PCC_LONG	2	/* pcc slots 0 and 1: held from start to stop */
#define FZ_RING		16	/* generations remembered per slot */
#define FZ_OUTCOMES	10	/* distinct outcomes counted per routine */
#define FZ_BLOCKS	16	/* pool blocks a thread holds */
#define FZ_DPCS		8
#define FZ_EVENTS	4
#define FZ_FOREIGN	4
#define FZ_MAX_CPUS	256

/* 100 ns units, negative: relative, as drivers write timeouts. */
#define FZ_RELATIVE_US(us)	(-(LONGLONG)(us) * 10)
/* Windows' epoch, 1601, in 100 ns units before the Unix one. */
#define FZ_EPOCH_1601		116444736000000000LL

enum fz_kind {
	FZ_CALL,	/* a routine: fuzzed */
	FZ_DATA,	/* a variable: used as an argument */
	FZ_GLUE,	/* ntc_ glue behind a header macro: called through it */
	FZ_INIT,	/* called by NTC_MODULE_DRIVER() at load and unload */
};

static const char *const fz_kind_name[] = { "call", "data", "glue", "init" };

struct fz_ctx;

struct fz_outcome {
	atomic_t used;
	u32 value;
	atomic_long_t count;
};

struct fz_routine {
	const char *name;
	enum fz_kind kind;
	const void *addr;	/* what MmGetSystemRoutineAddress() must find */
	void (*fn)(struct fz_ctx *c);	/* its recipes; NULL: called by another's */
	const NTSTATUS *allowed;	/* its documented statuses, 0-ended */
	atomic_long_t calls;
	atomic64_t ns;		/* time in its recipes, on the threads */
	atomic_long_t other;	/* outcomes beyond FZ_OUTCOMES */
	struct fz_outcome out[FZ_OUTCOMES];
};

/*
 * The statuses each NTSTATUS routine may answer besides STATUS_SUCCESS,
 * from its kernel-doc and the README's bad-call tables; 0-ended.
 */
static const NTSTATUS fz_st_register[] = {
	STATUS_INVALID_PARAMETER, STATUS_NOT_SUPPORTED,
	STATUS_INVALID_DEVICE_REQUEST, STATUS_INSUFFICIENT_RESOURCES, 0 };
static const NTSTATUS fz_st_unregister[] = {
	STATUS_INVALID_PARAMETER, STATUS_ACCESS_DENIED,
	STATUS_INVALID_DEVICE_REQUEST, 0 };
static const NTSTATUS fz_st_param[] = { STATUS_INVALID_PARAMETER, 0 };
static const NTSTATUS fz_st_wait[] = {
	STATUS_TIMEOUT, STATUS_INVALID_PARAMETER,
	STATUS_INVALID_DEVICE_REQUEST, 0 };
static const NTSTATUS fz_st_delay[] = {
	STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_REQUEST, 0 };
static const NTSTATUS fz_st_success[] = { 0 };

#define FZ_ROUTINE(sym, ...)	FZ_##sym,
enum fz_id {
#include "ntc_fuzz_routines.h"
	FZ_NR,
	FZ_Interlocked = FZ_NR,	/* the inline Interlocked family, not exported */
	FZ_ALL
};
#undef FZ_ROUTINE

static struct fz_routine ntc_fuzz_table[FZ_ALL];

/*
 * Where a recipe runs: a fuzz thread (@t set) at PASSIVE_LEVEL or with a
 * KSPIN_LOCK held (@dispatch), a DPC, or a callback (@where). Inside the
 * callbacks only what a driver may do there is done (no wait for the PnP
 * dispatcher from under the CPU hotplug lock, no change of a hotplug or
 * workqueue thread's affinity); the rest is fair game everywhere.
 */
enum fz_where { FZ_THREAD, FZ_IN_DPC, FZ_IN_PCC, FZ_IN_PNP };

struct fz_thread;

struct fz_ctx {
	struct fz_thread *t;
	enum fz_where where;
	bool dispatch;
	bool holds_a;		/* fz_lock_a is held: take only fz_lock_b */
	struct fz_slot *self;	/* in a callback: its registration's slot */
};

/* Recipes that others use too: from the callbacks and DPCs. */
static void fz_io_register(struct fz_ctx *c);
static void fz_pcc_register(struct fz_ctx *c);
static void fz_pcc_deregister(struct fz_ctx *c);
static void fz_pool2(struct fz_ctx *c);
static void fz_routine_addr(struct fz_ctx *c);
static void fz_dpc_insert(struct fz_ctx *c);
static void fz_ev_set(struct fz_ctx *c);
static void fz_wait_single(struct fz_ctx *c);

/* The states of a slot, and how each generation of it ended. */
enum { FZ_FREE, FZ_BUSY, FZ_LIVE };
enum { FZ_PENDING, FZ_REGISTERED, FZ_FAILED, FZ_GONE_EX, FZ_GONE_LEGACY };

struct fz_slot {
	atomic_t state;
	PVOID handle;		/* written by ntcompat, through NotificationEntry */
	unsigned int gen;	/* the current registration's */
	atomic_t ring[FZ_RING];	/* gen << 4 | how it ended */
	unsigned long started[BITS_TO_LONGS(FZ_MAX_CPUS)];	/* pcc */
};

static struct fz_slot fz_pnp[FZ_PNP_SLOTS];
static struct fz_slot fz_pcc[FZ_PCC_SLOTS];

/* The Context of a registration that must never be called. */
#define FZ_CTX_DOOMED	((PVOID)0xf22d00d00d00d000UL)
#define FZ_CTX_MAGIC	0xf22c000000000000UL

/* Context: the slot, its generation, and for PnP the interface class. */
#define FZ_CTX_PCC	0x8000
#define FZ_CTX_MEM	0x4000
#define FZ_CTX_SLOT	0x3fff

static PVOID fz_ctx_of(bool pcc, unsigned int slot, unsigned int gen, bool mem)
{
	return (PVOID)(FZ_CTX_MAGIC | (unsigned long)gen << 16 | (pcc ? FZ_CTX_PCC : 0) |
		       (mem ? FZ_CTX_MEM : 0) | slot);
}

struct fz_thread {
	struct task_struct *task;
	unsigned int id;
	struct rnd_state rnd;
	PVOID blocks[FZ_BLOCKS];
	ULONG tags[FZ_BLOCKS];
	KSPIN_LOCK own;		/* only this thread takes it */
	KEVENT event;		/* only this thread uses it */
	GROUP_AFFINITY prev;	/* what KeSetSystemGroupAffinityThread gave */
};

struct fz_dpc {
	KDPC dpc;
	unsigned int id;
	atomic_long_t runs;
};

/* Shared: every thread and DPC takes them, fz_lock_a before fz_lock_b. */
static KSPIN_LOCK fz_lock_a, fz_lock_b;
static struct fz_dpc fz_dpcs[FZ_DPCS];
static KEVENT fz_events[FZ_EVENTS];
static LONG fz_shared32;
static LONG64 fz_shared64;
static atomic_long_t fz_incs;

static struct {
	struct mutex lock;	/* ctl */
	bool running;
	bool stopping;
	unsigned int nthreads;
	struct fz_thread *threads[FZ_MAX_THREADS];
	u64 start_ns, stop_ns;
	atomic_t veto_cpu;
	PVOID foreign_pnp[FZ_FOREIGN], foreign_pcc[FZ_FOREIGN];
	unsigned int nforeign_pnp, nforeign_pcc;
	PDRIVER_OBJECT driver;
	struct dentry *dir;
} fz;

/* The invariants (any non-zero one fails fuzz.sh) and what else is counted. */
static struct {
	atomic_long_t late, never, unpaired, unfinished, bad_status, wrong, double_success;
	atomic_long_t late_legacy, unknown_gen, vetoes, forged_hits, unmatched_success;
	atomic_long_t pnp_callbacks, pcc_callbacks, dpc_runs, registrations;
} fz_count;

#define fz_inc(what)	atomic_long_inc(&fz_count.what)

static __printf(1, 2) void fz_wrong(const char *fmt, ...)
{
	struct va_format vaf = { .fmt = fmt };
	va_list ap;

	fz_inc(wrong);
	va_start(ap, fmt);
	vaf.va = &ap;
	pr_err_ratelimited("ntc_fuzz: wrong answer: %pV\n", &vaf);
	va_end(ap);
}

static u32 fz_rand(struct fz_ctx *c)
{
	return c->t ? prandom_u32_state(&c->t->rnd) : get_random_u32();
}

static u32 fz_below(struct fz_ctx *c, u32 n)
{
	return fz_rand(c) % n;
}

static bool fz_chance(struct fz_ctx *c, u32 n)
{
	return !fz_below(c, n);
}

/* Count one call of @id and its outcome @value. */
static void fz_rec(enum fz_id id, u32 value)
{
	struct fz_routine *r = &ntc_fuzz_table[id];
	const NTSTATUS *a;
	int i;

	atomic_long_inc(&r->calls);
	if (r->allowed) {
		for (a = r->allowed; *a && *a != (NTSTATUS)value; a++)
			;
		if (!*a && value != STATUS_SUCCESS) {
			fz_inc(bad_status);
			pr_err_ratelimited("ntc_fuzz: %s answered 0x%08x, not one of its statuses\n",
					   r->name, value);
		}
	}
	for (i = 0; i < FZ_OUTCOMES; i++) {
		struct fz_outcome *o = &r->out[i];

		if (!atomic_read_acquire(&o->used)) {
			if (atomic_cmpxchg(&o->used, 0, 1) == 0) {
				o->value = value;
				atomic_long_inc(&o->count);
				atomic_set_release(&o->used, 2);
				return;
			}
		}
		while (atomic_read_acquire(&o->used) == 1)
			cpu_relax();
		if (o->value == value) {
			atomic_long_inc(&o->count);
			return;
		}
	}
	atomic_long_inc(&r->other);
}

/* A pointer-valued outcome: only whether it is NULL. */
#define fz_rec_ptr(id, p)	fz_rec(id, (p) != NULL)

/* ---- generations: which registration a callback belongs to ------------ */

static void fz_ring_set(struct fz_slot *s, unsigned int gen, int end)
{
	atomic_set(&s->ring[gen % FZ_RING], gen << 4 | end);
}

/* Move generation @gen of @s from @from (or any state, if -1) to @to. */
static bool fz_ring_move(struct fz_slot *s, unsigned int gen, int from, int to)
{
	atomic_t *r = &s->ring[gen % FZ_RING];
	int old = atomic_read(r);

	do {
		if ((unsigned int)old >> 4 != gen || (from >= 0 && (old & 15) != from))
			return false;
	} while (!atomic_try_cmpxchg(r, &old, gen << 4 | to));
	return true;
}

/* Judge a callback of generation @gen of @s; true if it may act. */
static bool fz_judge(struct fz_slot *s, unsigned int gen)
{
	int v = atomic_read(&s->ring[gen % FZ_RING]);

	if ((unsigned int)v >> 4 != gen) {
		fz_inc(unknown_gen);
		return false;
	}
	switch (v & 15) {
	case FZ_FAILED:
		fz_inc(never);
		pr_err_ratelimited("ntc_fuzz: callback of a registration that failed\n");
		return false;
	case FZ_GONE_EX:
		fz_inc(late);
		pr_err_ratelimited("ntc_fuzz: callback after its unregister returned\n");
		return false;
	case FZ_GONE_LEGACY:
		fz_inc(late_legacy);
		return false;
	}
	return true;
}

/* Decode a Context; NULL for one of ours that must never be called. */
static struct fz_slot *fz_slot_of(PVOID ctx, bool pcc, unsigned int *gen)
{
	unsigned long v = (unsigned long)ctx;
	unsigned int slot = v & FZ_CTX_SLOT;

	if (ctx == FZ_CTX_DOOMED || (v & 0xffff000000000000UL) != FZ_CTX_MAGIC ||
	    !!(v & FZ_CTX_PCC) != pcc || slot >= (pcc ? FZ_PCC_SLOTS : FZ_PNP_SLOTS)) {
		fz_inc(never);
		pr_err_ratelimited("ntc_fuzz: callback with Context %lx, never registered\n", v);
		return NULL;
	}
	*gen = (v >> 16) & 0xffffffff;
	return pcc ? &fz_pcc[slot] : &fz_pnp[slot];
}

/* ---- handles ------------------------------------------------------------- */

/* A value that is no live handle of ours, or another driver's, or stale. */
static PVOID fz_forged(struct fz_ctx *c, struct fz_slot *slots, unsigned int n)
{
	unsigned long h = (unsigned long)READ_ONCE(slots[fz_below(c, n)].handle);
	int i;

	switch (fz_below(c, 8)) {
	case 0:
		return (PVOID)(unsigned long)fz_rand(c);
	case 1:
		return (PVOID)((unsigned long)fz_rand(c) << 32 | fz_rand(c));
	case 2:
		return (PVOID)(h + 1 + fz_below(c, 3));
	case 3:
		return (PVOID)(h - 1 - fz_below(c, 3));
	case 4:
		return (PVOID)&slots[0];
	case 5:
		return (PVOID)c;	/* a stack address */
	case 6:
		i = fz_below(c, FZ_FOREIGN);
		return slots == fz_pcc ? fz.foreign_pcc[i] : fz.foreign_pnp[i];
	default:
		return (PVOID)(unsigned long)fz_below(c, 4096);
	}
}

/* ---- PnP notification ------------------------------------------------------ */

static const GUID fz_guid_random = {
	0x6f4c1d2e, 0x9b3a, 0x4d5e, { 0x81, 0x72, 0x63, 0x54, 0x45, 0x36, 0x27, 0x18 } };

static DRIVER_NOTIFICATION_CALLBACK_ROUTINE fz_pnp_callback;

static void fz_pnp_gone(struct fz_slot *s, PVOID h, bool ex);

/* After a successful unregister of @h, wherever the value came from. */
static void fz_pnp_unregistered(PVOID h, bool ex)
{
	int i;

	for (i = 0; i < FZ_PNP_SLOTS; i++) {
		if (READ_ONCE(fz_pnp[i].handle) == h) {
			fz_pnp_gone(&fz_pnp[i], h, ex);
			return;
		}
	}
	/* Between ntcompat publishing it and writing NotificationEntry. */
	fz_inc(unmatched_success);
}

static void fz_pnp_gone(struct fz_slot *s, PVOID h, bool ex)
{
	unsigned int gen = READ_ONCE(s->gen);

	if (cmpxchg(&s->handle, h, NULL) != h) {
		fz_inc(double_success);
		return;
	}
	fz_ring_move(s, gen, -1, ex ? FZ_GONE_EX : FZ_GONE_LEGACY);
	atomic_cmpxchg(&s->state, FZ_LIVE, FZ_FREE);
}

static NTSTATUS fz_unreg(struct fz_ctx *c, PVOID h, bool ex)
{
	NTSTATUS st = ex ? IoUnregisterPlugPlayNotificationEx(h) :
		      IoUnregisterPlugPlayNotification(h);

	fz_rec(ex ? FZ_IoUnregisterPlugPlayNotificationEx : FZ_IoUnregisterPlugPlayNotification,
	       st);
	if (c->dispatch && st != STATUS_INVALID_DEVICE_REQUEST)
		fz_wrong("unregister at DISPATCH_LEVEL answered 0x%08x", st);
	if (st == STATUS_SUCCESS)
		fz_pnp_unregistered(h, ex);
	return st;
}

/* Unregister a live slot, or a stale, forged or foreign value. */
static void fz_unregister(struct fz_ctx *c, bool ex)
{
	struct fz_slot *s = &fz_pnp[fz_below(c, FZ_PNP_SLOTS)];
	PVOID h = READ_ONCE(s->handle);
	NTSTATUS st;

	switch (fz_below(c, 6)) {
	case 0:
		st = fz_unreg(c, NULL, ex);
		if (st != STATUS_INVALID_PARAMETER && !c->dispatch)
			fz_wrong("unregister of NULL answered 0x%08x", st);
		return;
	case 1:
		fz_unreg(c, fz_forged(c, fz_pnp, FZ_PNP_SLOTS), ex);
		return;
	case 2:
		/* A processor-change handle is no notification entry. */
		h = READ_ONCE(fz_pcc[fz_below(c, FZ_PCC_SLOTS)].handle);
		if (h) {
			st = fz_unreg(c, h, ex);
			if (st == STATUS_SUCCESS)
				fz_wrong("a processor-change handle unregistered a notification");
		}
		return;
	case 3:
		if (fz.nforeign_pnp) {
			h = fz.foreign_pnp[fz_below(c, fz.nforeign_pnp)];
			st = fz_unreg(c, h, ex);
			if (st != STATUS_ACCESS_DENIED && !c->dispatch)
				fz_wrong("another driver's handle answered 0x%08x", st);
		}
		return;
	default:
		if (h)
			fz_unreg(c, h, ex);
	}
}

static void fz_io_unregister(struct fz_ctx *c)
{
	fz_unregister(c, false);
}

static void fz_io_unregister_ex(struct fz_ctx *c)
{
	fz_unregister(c, true);
}

/* What the PnP callbacks do: what drivers do there, and worse. */
static void fz_pnp_inside(struct fz_ctx *c, struct fz_slot *self)
{
	switch (fz_below(c, 8)) {
	case 0:
		fz_unreg(c, READ_ONCE(self->handle), true);
		break;
	case 1:
		fz_unreg(c, READ_ONCE(self->handle), false);
		break;
	case 2:
		/*
		 * Another registration's: legacy, which does not wait. Two
		 * callbacks unregistering each other with the Ex call would
		 * wait for each other, on Windows too.
		 */
		fz_unregister(c, false);
		break;
	case 3:
		fz_pcc_register(c);
		break;
	case 4:
		fz_pcc_deregister(c);
		break;
	case 5:
		if (fz_chance(c, 8))
			fz_io_register(c);
		break;
	default:
		fz_ev_set(c);
		fz_pool2(c);
	}
}

static NTSTATUS fz_pnp_callback(PVOID NotificationStructure, PVOID Context)
{
	PDEVICE_INTERFACE_CHANGE_NOTIFICATION n = NotificationStructure;
	struct fz_ctx c = { .where = FZ_IN_PNP };
	struct fz_slot *s;
	unsigned int gen;

	fz_inc(pnp_callbacks);
	s = fz_slot_of(Context, false, &gen);
	if (!s || !fz_judge(s, gen))
		return STATUS_SUCCESS;
	c.self = s;
	if (n->Version != 1 || n->Size != sizeof(*n) ||
	    (memcmp(&n->Event, &GUID_DEVICE_INTERFACE_ARRIVAL, sizeof(GUID)) &&
	     memcmp(&n->Event, &GUID_DEVICE_INTERFACE_REMOVAL, sizeof(GUID))))
		fz_wrong("notification version %u size %u", n->Version, n->Size);
	if (memcmp(&n->InterfaceClassGuid, (unsigned long)Context & FZ_CTX_MEM ?
		   &GUID_DEVICE_MEMORY : &GUID_DEVICE_PROCESSOR, sizeof(GUID)))
		fz_wrong("notification of another interface class");
	if (KeGetCurrentIrql() != PASSIVE_LEVEL)
		fz_wrong("notification callback at IRQL %u", KeGetCurrentIrql());
	if (!READ_ONCE(fz.stopping) && fz_chance(&c, 2))
		fz_pnp_inside(&c, s);
	return fz_chance(&c, 4) ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS;
}

static const GUID *fz_pick_guid(struct fz_ctx *c, enum fz_id *id)
{
	switch (fz_below(c, 6)) {
	case 0:
		*id = FZ_GUID_DEVICE_MEMORY;
		return &GUID_DEVICE_MEMORY;
	case 1:
		*id = FZ_GUID_DEVICE_INTERFACE_ARRIVAL;
		return &GUID_DEVICE_INTERFACE_ARRIVAL;
	case 2:
		*id = FZ_GUID_DEVICE_INTERFACE_REMOVAL;
		return &GUID_DEVICE_INTERFACE_REMOVAL;
	case 3:
		*id = FZ_NR;
		return &fz_guid_random;
	default:
		*id = FZ_GUID_DEVICE_PROCESSOR;
		return &GUID_DEVICE_PROCESSOR;
	}
}

static bool fz_class_ok(const GUID *g)
{
	return g == &GUID_DEVICE_PROCESSOR || g == &GUID_DEVICE_MEMORY;
}

static NTSTATUS fz_register(IO_NOTIFICATION_EVENT_CATEGORY cat, ULONG flags, const GUID *g,
			    PDRIVER_OBJECT drv, PDRIVER_NOTIFICATION_CALLBACK_ROUTINE cb,
			    PVOID ctx, PVOID *entry)
{
	NTSTATUS st = IoRegisterPlugPlayNotification(cat, flags, g, drv, cb, ctx, entry);

	fz_rec(FZ_IoRegisterPlugPlayNotification, st);
	return st;
}

/* A recipe that must fail with @want (or any failure, if 0). */
static void fz_register_bad(struct fz_ctx *c, IO_NOTIFICATION_EVENT_CATEGORY cat, ULONG flags,
			    const GUID *g, PDRIVER_OBJECT drv,
			    PDRIVER_NOTIFICATION_CALLBACK_ROUTINE cb, bool null_entry,
			    NTSTATUS want)
{
	PVOID h = NULL;
	NTSTATUS st;

	st = fz_register(cat, flags, g, drv, cb, FZ_CTX_DOOMED, null_entry ? NULL : &h);
	if (c->dispatch)
		want = STATUS_INVALID_DEVICE_REQUEST;
	if (NT_SUCCESS(st) || (want && st != want))
		fz_wrong("bad Register (category %d flags %#x) answered 0x%08x, not 0x%08x",
			 cat, flags, st, want);
	if (NT_SUCCESS(st) && h)
		IoUnregisterPlugPlayNotificationEx(h);
}

static void fz_io_register(struct fz_ctx *c)
{
	unsigned int i = fz_below(c, FZ_PNP_SLOTS), gen;
	DRIVER_OBJECT forged;
	struct fz_slot *s;
	enum fz_id gid;
	const GUID *g;
	ULONG flags;
	NTSTATUS st;

	g = fz_pick_guid(c, &gid);
	if (gid != FZ_NR)
		atomic_long_inc(&ntc_fuzz_table[gid].calls);
	switch (fz_below(c, 12)) {
	case 0:
		/* Every category but interface changes, and unknown ones. */
		i = fz_chance(c, 4) ? fz_rand(c) : fz_below(c, 8);
		fz_register_bad(c, i == EventCategoryDeviceInterfaceChange ? 5 : i, 0, g,
				fz.driver, fz_pnp_callback, false, STATUS_NOT_SUPPORTED);
		return;
	case 1:
		flags = BIT(fz_below(c, 31) + 1);
		fz_register_bad(c, EventCategoryDeviceInterfaceChange, flags, g, fz.driver,
				fz_pnp_callback, false, STATUS_INVALID_PARAMETER);
		return;
	case 2:
		fz_register_bad(c, EventCategoryTargetDeviceChange,
				PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES, g,
				fz.driver, fz_pnp_callback, false, STATUS_INVALID_PARAMETER);
		return;
	case 3:
		fz_register_bad(c, EventCategoryDeviceInterfaceChange, 0, NULL, fz.driver,
				fz_pnp_callback, false, STATUS_INVALID_PARAMETER);
		return;
	case 4:
		switch (fz_below(c, 3)) {
		case 0:
			fz_register_bad(c, EventCategoryDeviceInterfaceChange, 0, g, fz.driver,
					fz_pnp_callback, true, STATUS_INVALID_PARAMETER);
			break;
		case 1:
			fz_register_bad(c, EventCategoryDeviceInterfaceChange, 0, g, fz.driver,
					NULL, false, STATUS_INVALID_PARAMETER);
			break;
		default:
			fz_register_bad(c, EventCategoryDeviceInterfaceChange, 0, g, NULL,
					fz_pnp_callback, false, STATUS_INVALID_PARAMETER);
		}
		return;
	case 5:
		/* A copy of the driver object is no loaded driver's. */
		memcpy(&forged, fz.driver, sizeof(forged));
		fz_register_bad(c, EventCategoryDeviceInterfaceChange, 0, g, &forged,
				fz_pnp_callback, false, fz_class_ok(g) ? STATUS_INVALID_PARAMETER :
				0);
		return;
	}
	if (!fz_class_ok(g)) {
		fz_register_bad(c, EventCategoryDeviceInterfaceChange, 0, g, fz.driver,
				fz_pnp_callback, false, STATUS_NOT_SUPPORTED);
		return;
	}
	s = &fz_pnp[i];
	if (atomic_cmpxchg(&s->state, FZ_FREE, FZ_BUSY) != FZ_FREE)
		return;
	gen = s->gen + 1;
	fz_ring_set(s, gen, FZ_PENDING);
	WRITE_ONCE(s->handle, NULL);
	WRITE_ONCE(s->gen, gen);
	flags = fz_chance(c, 2) ? PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES : 0;
	st = fz_register(EventCategoryDeviceInterfaceChange, flags, g, fz.driver,
			 fz_pnp_callback, fz_ctx_of(false, i, gen, g == &GUID_DEVICE_MEMORY),
			 &s->handle);
	if (!NT_SUCCESS(st)) {
		if (!c->dispatch && st != STATUS_INSUFFICIENT_RESOURCES)
			fz_wrong("Register answered 0x%08x", st);
		if (c->dispatch && st != STATUS_INVALID_DEVICE_REQUEST)
			fz_wrong("Register at DISPATCH_LEVEL answered 0x%08x", st);
		fz_ring_set(s, gen, FZ_FAILED);
		atomic_set(&s->state, FZ_FREE);
		return;
	}
	if (c->dispatch)
		fz_wrong("Register at DISPATCH_LEVEL succeeded");
	fz_inc(registrations);
	atomic_set(&s->state, FZ_LIVE);
	/* Unregistered already, from its own replay: the slot is free again. */
	if (!fz_ring_move(s, gen, FZ_PENDING, FZ_REGISTERED))
		atomic_cmpxchg(&s->state, FZ_LIVE, FZ_FREE);
}

/* ---- processor-change callbacks ---------------------------------------- */

static PROCESSOR_CALLBACK_FUNCTION fz_pcc_callback;

static void fz_pcc_inside(struct fz_ctx *c, struct fz_slot *self)
{
	switch (fz_below(c, 8)) {
	case 0:
		/* Refused: Windows deadlocks. */
		fz_pcc_register(c);
		break;
	case 1:
		KeDeregisterProcessorChangeCallback(READ_ONCE(self->handle));
		fz_rec(FZ_KeDeregisterProcessorChangeCallback, 0);
		break;
	case 2:
		fz_pcc_deregister(c);
		break;
	case 3:
		fz_dpc_insert(c);
		break;
	case 4:
		fz_routine_addr(c);
		break;
	case 5:
		fz_wait_single(c);
		break;
	default:
		fz_ev_set(c);
		fz_pool2(c);
	}
}

static VOID fz_pcc_callback(PVOID CallbackContext,
			    PKE_PROCESSOR_CHANGE_NOTIFY_CONTEXT ChangeContext,
			    PNTSTATUS OperationStatus)
{
	struct fz_ctx c = { .where = FZ_IN_PCC };
	ULONG cpu = ChangeContext->NtNumber;
	PROCESSOR_NUMBER pn;
	struct fz_slot *s;
	unsigned int gen;

	fz_inc(pcc_callbacks);
	s = fz_slot_of(CallbackContext, true, &gen);
	if (!s || !fz_judge(s, gen))
		return;
	c.self = s;
	if (cpu >= FZ_MAX_CPUS) {
		fz_wrong("processor index %u", cpu);
		return;
	}
	if (!NT_SUCCESS(KeGetProcessorNumberFromIndex(cpu, &pn)) ||
	    pn.Group != ChangeContext->ProcNumber.Group ||
	    pn.Number != ChangeContext->ProcNumber.Number)
		fz_wrong("processor %u is not its ProcNumber", cpu);
	if (gen == READ_ONCE(s->gen)) {
		switch (ChangeContext->State) {
		case KeProcessorAddStartNotify:
			if (test_and_set_bit(cpu, s->started))
				fz_inc(unpaired);
			break;
		case KeProcessorAddCompleteNotify:
		case KeProcessorAddFailureNotify:
			if (!test_and_clear_bit(cpu, s->started))
				fz_inc(unpaired);
			break;
		default:
			fz_wrong("processor-change state %d", ChangeContext->State);
		}
	}
	/* fuzz.sh asks for a veto of one online, and counts it. */
	if (ChangeContext->State == KeProcessorAddStartNotify &&
	    atomic_cmpxchg(&fz.veto_cpu, cpu, -1) == cpu) {
		*OperationStatus = STATUS_UNSUCCESSFUL;
		fz_inc(vetoes);
	}
	if (!READ_ONCE(fz.stopping) && fz_chance(&c, 2))
		fz_pcc_inside(&c, s);
}

static void fz_pcc_register(struct fz_ctx *c)
{
	unsigned int i = FZ_PCC_LONG + fz_below(c, FZ_PCC_SLOTS - FZ_PCC_LONG), gen;
	bool refused = c->dispatch || c->where == FZ_IN_PCC;
	struct fz_slot *s;
	ULONG flags;
	PVOID h;

	if (fz_chance(c, 8)) {
		h = KeRegisterProcessorChangeCallback(NULL, NULL, fz_rand(c));
		fz_rec_ptr(FZ_KeRegisterProcessorChangeCallback, h);
		if (h) {
			fz_wrong("Register of a NULL callback succeeded");
			KeDeregisterProcessorChangeCallback(h);
		}
		return;
	}
	/* Only bit 0 counts; the others are ignored, as on Windows. */
	flags = fz_chance(c, 2) ? KE_PROCESSOR_CHANGE_ADD_EXISTING : 0;
	if (fz_chance(c, 4))
		flags |= fz_rand(c) & ~1U;
	if (refused) {
		h = KeRegisterProcessorChangeCallback(fz_pcc_callback, FZ_CTX_DOOMED, flags);
		fz_rec_ptr(FZ_KeRegisterProcessorChangeCallback, h);
		if (h) {
			fz_wrong("Register from atomic context or a callback succeeded");
			KeDeregisterProcessorChangeCallback(h);
		}
		return;
	}
	s = &fz_pcc[i];
	if (atomic_cmpxchg(&s->state, FZ_FREE, FZ_BUSY) != FZ_FREE)
		return;
	gen = s->gen + 1;
	fz_ring_set(s, gen, FZ_PENDING);
	bitmap_zero(s->started, FZ_MAX_CPUS);
	WRITE_ONCE(s->gen, gen);
	h = KeRegisterProcessorChangeCallback(fz_pcc_callback, fz_ctx_of(true, i, gen, false), flags);
	fz_rec_ptr(FZ_KeRegisterProcessorChangeCallback, h);
	if (!h) {
		/* A veto in the replay, or out of memory. */
		fz_ring_set(s, gen, FZ_FAILED);
		atomic_set(&s->state, FZ_FREE);
		return;
	}
	fz_inc(registrations);
	WRITE_ONCE(s->handle, h);
	fz_ring_set(s, gen, FZ_REGISTERED);
	atomic_set(&s->state, FZ_LIVE);
}

/* Deregister a slot that this caller claimed; nobody else touches it. */
static void fz_pcc_drop(struct fz_slot *s)
{
	PVOID h = s->handle;

	KeDeregisterProcessorChangeCallback(h);
	fz_rec(FZ_KeDeregisterProcessorChangeCallback, 0);
	WRITE_ONCE(s->handle, NULL);
	fz_ring_set(s, s->gen, FZ_GONE_EX);
	atomic_set(&s->state, FZ_FREE);
}

static bool fz_is_long_lived(PVOID h)
{
	return h && (h == READ_ONCE(fz_pcc[0].handle) || h == READ_ONCE(fz_pcc[1].handle));
}

static void fz_pcc_deregister(struct fz_ctx *c)
{
	struct fz_slot *s = &fz_pcc[FZ_PCC_LONG + fz_below(c, FZ_PCC_SLOTS - FZ_PCC_LONG)];
	PVOID h;

	switch (fz_below(c, 6)) {
	case 0:
		h = fz_chance(c, 2) ? NULL : fz_forged(c, fz_pcc, FZ_PCC_SLOTS);
		if (fz_is_long_lived(h))
			return;
		break;
	case 1:
		/* A notification entry is no processor-change handle. */
		h = READ_ONCE(fz_pnp[fz_below(c, FZ_PNP_SLOTS)].handle);
		break;
	case 2:
		if (!fz.nforeign_pcc)
			return;
		h = fz.foreign_pcc[fz_below(c, fz.nforeign_pcc)];
		break;
	case 3:
		/* Racing the owner: no bookkeeping, see fz_pcc_drop(). */
		h = READ_ONCE(s->handle);
		break;
	default:
		/* Its own, from inside its callback, is refused: not counted. */
		if (c->dispatch || s == c->self ||
		    atomic_cmpxchg(&s->state, FZ_LIVE, FZ_BUSY) != FZ_LIVE)
			return;
		fz_pcc_drop(s);
		return;
	}
	KeDeregisterProcessorChangeCallback(h);
	fz_rec(FZ_KeDeregisterProcessorChangeCallback, 0);
}

/* ---- processors ------------------------------------------------------------ */

static PROCESSOR_NUMBER fz_proc_number(struct fz_ctx *c)
{
	PROCESSOR_NUMBER pn = { 0 };

	pn.Group = fz_chance(c, 4) ? fz_below(c, 4) : 0;
	pn.Number = fz_chance(c, 8) ? fz_rand(c) : fz_below(c, nr_cpu_ids + 2);
	pn.Reserved = fz_chance(c, 16) ? 1 : 0;
	return pn;
}

static bool fz_possible(unsigned int cpu)
{
	return cpu < nr_cpu_ids && cpu_possible(cpu);
}

static void fz_index_from_number(struct fz_ctx *c)
{
	PROCESSOR_NUMBER pn = fz_proc_number(c);
	bool null = fz_chance(c, 16);
	ULONG want = INVALID_PROCESSOR_INDEX, idx;

	if (!null && !pn.Reserved && pn.Number < MAXIMUM_PROC_PER_GROUP &&
	    fz_possible(pn.Group * MAXIMUM_PROC_PER_GROUP + pn.Number))
		want = pn.Group * MAXIMUM_PROC_PER_GROUP + pn.Number;
	idx = KeGetProcessorIndexFromNumber(null ? NULL : &pn);
	fz_rec(FZ_KeGetProcessorIndexFromNumber, idx == INVALID_PROCESSOR_INDEX);
	if (idx != want)
		fz_wrong("index of %u:%u is %u, not %u", pn.Group, pn.Number, idx, want);
}

static void fz_number_from_index(struct fz_ctx *c)
{
	ULONG idx = fz_chance(c, 8) ? fz_rand(c) : fz_below(c, nr_cpu_ids + 2);
	PROCESSOR_NUMBER pn;
	bool null = fz_chance(c, 16);
	NTSTATUS st;

	st = KeGetProcessorNumberFromIndex(idx, null ? NULL : &pn);
	fz_rec(FZ_KeGetProcessorNumberFromIndex, st);
	if (NT_SUCCESS(st) != (!null && fz_possible(idx)))
		fz_wrong("number of index %u: 0x%08x", idx, st);
	if (NT_SUCCESS(st) && KeGetProcessorIndexFromNumber(&pn) != idx)
		fz_wrong("index %u does not round-trip", idx);
}

static void fz_current_number(struct fz_ctx *c)
{
	PROCESSOR_NUMBER pn;
	ULONG cpu;

	if (fz_chance(c, 4)) {
		cpu = KeGetCurrentProcessorNumberEx(NULL);
		fz_rec(FZ_KeGetCurrentProcessorNumberEx, 0);
		return;
	}
	preempt_disable();
	cpu = KeGetCurrentProcessorNumberEx(&pn);
	if (cpu != smp_processor_id() || pn.Group * MAXIMUM_PROC_PER_GROUP + pn.Number != cpu)
		fz_wrong("current processor %u", cpu);
	preempt_enable();
	fz_rec(FZ_KeGetCurrentProcessorNumberEx, 1);
}

static USHORT fz_group(struct fz_ctx *c)
{
	switch (fz_below(c, 4)) {
	case 0:
		return ALL_PROCESSOR_GROUPS;
	case 1:
		return fz_rand(c);
	default:
		return fz_below(c, 3);
	}
}

static void fz_active_count(struct fz_ctx *c)
{
	KAFFINITY a = 0;
	ULONG n = KeQueryActiveProcessorCount(fz_chance(c, 2) ? NULL : &a);

	fz_rec(FZ_KeQueryActiveProcessorCount, n == 0);
	if (!n || n > nr_cpu_ids)
		fz_wrong("%u active processors", n);
}

static void fz_active_count_ex(struct fz_ctx *c)
{
	USHORT g = fz_group(c);
	ULONG n = KeQueryActiveProcessorCountEx(g);

	fz_rec(FZ_KeQueryActiveProcessorCountEx, n == 0);
	if (n > nr_cpu_ids || (g == 0 && !n))
		fz_wrong("%u active processors in group %u", n, g);
}

static void fz_max_count(struct fz_ctx *c)
{
	ULONG n = KeQueryMaximumProcessorCount();

	fz_rec(FZ_KeQueryMaximumProcessorCount, n == 0);
	if (!n)
		fz_wrong("no processor at all");
}

static void fz_max_count_ex(struct fz_ctx *c)
{
	USHORT g = fz_group(c);
	ULONG n = KeQueryMaximumProcessorCountEx(g);

	fz_rec(FZ_KeQueryMaximumProcessorCountEx, n == 0);
	if (n > nr_cpu_ids)
		fz_wrong("%u possible processors in group %u", n, g);
}

static void fz_groups_active(struct fz_ctx *c)
{
	fz_rec(FZ_KeQueryActiveGroupCount, KeQueryActiveGroupCount());
}

static void fz_groups_max(struct fz_ctx *c)
{
	fz_rec(FZ_KeQueryMaximumGroupCount, KeQueryMaximumGroupCount());
}

static void fz_group_affinity(struct fz_ctx *c)
{
	fz_rec(FZ_KeQueryGroupAffinity, KeQueryGroupAffinity(fz_group(c)) != 0);
}

static void fz_node_highest(struct fz_ctx *c)
{
	fz_rec(FZ_KeQueryHighestNodeNumber, KeQueryHighestNodeNumber());
}

static void fz_node_current(struct fz_ctx *c)
{
	fz_rec(FZ_KeGetCurrentNodeNumber, KeGetCurrentNodeNumber());
}

static void fz_node_affinity(struct fz_ctx *c)
{
	GROUP_AFFINITY ga;
	USHORT count = 0;

	KeQueryNodeActiveAffinity(fz_chance(c, 2) ? 0 : fz_rand(c),
				  fz_chance(c, 4) ? NULL : &ga, fz_chance(c, 4) ? NULL : &count);
	fz_rec(FZ_KeQueryNodeActiveAffinity, count != 0);
}

/* Affinity: only a fuzz thread's own, never a callback's or DPC's thread. */
static void fz_group_aff(struct fz_ctx *c)
{
	GROUP_AFFINITY ga = { 0 };

	if (!c->t)
		return;
	ga.Group = fz_chance(c, 8) ? fz_below(c, 4) : 0;
	ga.Mask = fz_chance(c, 8) ? 0 : BIT(fz_below(c, min(nr_cpu_ids, 64U)));
	if (fz_chance(c, 16))
		ga.Reserved[0] = 1;
	KeSetSystemGroupAffinityThread(fz_chance(c, 16) ? NULL : &ga,
				       fz_chance(c, 8) ? NULL : &c->t->prev);
	fz_rec(FZ_KeSetSystemGroupAffinityThread, 0);
}

static void fz_group_revert(struct fz_ctx *c)
{
	if (!c->t)
		return;
	KeRevertToUserGroupAffinityThread(fz_chance(c, 16) ? NULL : &c->t->prev);
	fz_rec(FZ_KeRevertToUserGroupAffinityThread, 0);
	memset(&c->t->prev, 0, sizeof(c->t->prev));
}

static void fz_aff_ex(struct fz_ctx *c)
{
	KAFFINITY old;

	if (!c->t)
		return;
	old = KeSetSystemAffinityThreadEx(fz_chance(c, 4) ? fz_rand(c) :
					  BIT(fz_below(c, min(nr_cpu_ids, 64U))));
	fz_rec(FZ_KeSetSystemAffinityThreadEx, old != 0);
	if (fz_chance(c, 2)) {
		KeRevertToUserAffinityThreadEx(old);
		fz_rec(FZ_KeRevertToUserAffinityThreadEx, 0);
	}
}

static void fz_aff_revert_ex(struct fz_ctx *c)
{
	if (!c->t)
		return;
	KeRevertToUserAffinityThreadEx(fz_chance(c, 2) ? 0 : fz_rand(c));
	fz_rec(FZ_KeRevertToUserAffinityThreadEx, 0);
}

/* ---- pool -------------------------------------------------------------------- */

static char fz_static_buf[64] __aligned(16);

static SIZE_T fz_size(struct fz_ctx *c)
{
	switch (fz_below(c, 16)) {
	case 0:
		return 0;
	case 1:
		return SIZE_MAX - fz_below(c, 64);	/* overflows with the header */
	case 2:
		return c->dispatch ? 4096 : 65536 + fz_below(c, 200000);
	default:
		return 1 + fz_below(c, 512);
	}
}

static POOL_FLAGS fz_pool_flags(struct fz_ctx *c)
{
	static const POOL_FLAGS known[] = {
		POOL_FLAG_USE_QUOTA, POOL_FLAG_UNINITIALIZED, POOL_FLAG_SESSION,
		POOL_FLAG_CACHE_ALIGNED, POOL_FLAG_RAISE_ON_FAILURE, POOL_FLAG_SPECIAL_POOL,
	};
	POOL_FLAGS f = fz_chance(c, 3) ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED;

	if (fz_chance(c, 2))
		f |= known[fz_below(c, ARRAY_SIZE(known))];
	switch (fz_below(c, 16)) {
	case 0:
		return f | BIT_ULL(fz_below(c, 64));	/* any bit, known or not */
	case 1:
		return POOL_FLAG_NON_PAGED_EXECUTE;
	case 2:
		return POOL_FLAG_PAGED | POOL_FLAG_NON_PAGED;
	case 3:
		return f & ~(POOL_FLAG_PAGED | POOL_FLAG_NON_PAGED);
	}
	return f;
}

/* Keep @p in the thread's table, or free it at once. */
static void fz_keep(struct fz_ctx *c, PVOID p, ULONG tag)
{
	unsigned int i;

	if (!p)
		return;
	if ((unsigned long)p % 16)
		fz_wrong("pool block %p is not 16-byte aligned", p);
	if (c->t) {
		i = fz_below(c, FZ_BLOCKS);
		if (!c->t->blocks[i]) {
			c->t->blocks[i] = p;
			c->t->tags[i] = tag;
			return;
		}
	}
	ExFreePoolWithTag(p, tag);
	fz_rec(FZ_ExFreePoolWithTag, 0);
}

static ULONG fz_tag(struct fz_ctx *c)
{
	static const ULONG tags[] = { 'zzuF', 'ZzuF', 0, 0xffffffff, ' ' };

	return tags[fz_below(c, ARRAY_SIZE(tags))];
}

static bool fz_pool_valid(POOL_FLAGS f, SIZE_T size, bool dispatch)
{
	POOL_FLAGS kind = f & (POOL_FLAG_PAGED | POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE);

	if ((u32)f & ~(u32)(POOL_FLAG_USE_QUOTA | POOL_FLAG_UNINITIALIZED | POOL_FLAG_SESSION |
			     POOL_FLAG_CACHE_ALIGNED | POOL_FLAG_RAISE_ON_FAILURE |
			     POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED))
		return false;
	if (kind != POOL_FLAG_PAGED && kind != POOL_FLAG_NON_PAGED)
		return false;
	if (kind == POOL_FLAG_PAGED && dispatch)
		return false;
	return size < 1024 * 1024;
}

static void fz_pool2(struct fz_ctx *c)
{
	POOL_FLAGS f = fz_pool_flags(c);
	SIZE_T size = fz_size(c);
	ULONG tag = fz_tag(c);
	bool dispatch = KeGetCurrentIrql() != PASSIVE_LEVEL;
	bool macro = fz_chance(c, 2);
	PUCHAR p;

	/* The macro counts the block under this module, the function under none. */
	p = macro ? ExAllocatePool2(f, size, tag) : (ExAllocatePool2)(f, size, tag);
	fz_rec_ptr(macro ? FZ_ntc_pool_alloc : FZ_ExAllocatePool2, p);
	if (p && !fz_pool_valid(f, size, dispatch))
		fz_wrong("ExAllocatePool2(%#llx, %zu) at IRQL %u gave a block", f, size,
			 KeGetCurrentIrql());
	if (p && !(f & POOL_FLAG_UNINITIALIZED) && size && (p[0] || p[size - 1]))
		fz_wrong("ExAllocatePool2 did not zero");
	if (p && size)
		p[size - 1] = 0xa5;
	fz_keep(c, p, tag);
}

static POOL_TYPE fz_pool_type(struct fz_ctx *c)
{
	static const POOL_TYPE types[] = {
		NonPagedPool, NonPagedPoolNx, PagedPool, NonPagedPoolCacheAligned,
		PagedPoolCacheAligned, NonPagedPoolMustSucceed, NonPagedPoolSession,
		PagedPoolSession, NonPagedPoolNxCacheAligned, DontUseThisType,
	};

	if (fz_chance(c, 8))
		return fz_rand(c);
	return types[fz_below(c, ARRAY_SIZE(types))] |
	       (fz_chance(c, 8) ? POOL_RAISE_IF_ALLOCATION_FAILURE : 0);
}

static void fz_pool_tag(struct fz_ctx *c)
{
	POOL_TYPE type = fz_pool_type(c);
	SIZE_T size = fz_size(c);
	ULONG tag = fz_tag(c);
	bool macro = fz_chance(c, 2);
	PVOID p;

	p = macro ? ExAllocatePoolWithTag(type, size, tag) : (ExAllocatePoolWithTag)(type, size, tag);
	fz_rec_ptr(macro ? FZ_ntc_pool_alloc_type : FZ_ExAllocatePoolWithTag, p);
	if (p && (type & 7) == DontUseThisType)
		fz_wrong("ExAllocatePoolWithTag(DontUseThisType) gave a block");
	fz_keep(c, p, tag);
}

static void fz_pool(struct fz_ctx *c)
{
	POOL_TYPE type = fz_pool_type(c);
	SIZE_T size = fz_size(c);
	bool macro = fz_chance(c, 2);
	PVOID p;

	p = macro ? ExAllocatePool(type, size) : (ExAllocatePool)(type, size);
	fz_rec_ptr(macro ? FZ_ntc_pool_alloc_type : FZ_ExAllocatePool, p);
	fz_keep(c, p, 'enoN');
}

/*
 * What ExFreePool must refuse without harm: pointers into a live block, on
 * the stack, in static data, misaligned, small or non-canonical. A block
 * freed twice is freed twice at once, interrupts off, so that nothing can
 * have reused its memory in between: then the second free must be refused.
 */
static void fz_free_bad(struct fz_ctx *c, bool tagged)
{
	u8 stack[64] __aligned(16);
	unsigned long flags;
	PUCHAR p = NULL;
	unsigned int i;

	if (c->t) {
		i = fz_below(c, FZ_BLOCKS);
		p = c->t->blocks[i];
	}
	switch (fz_below(c, 7)) {
	case 0:
		/* On PREEMPT_RT the slab may sleep: no frees with interrupts off. */
		if (c->dispatch || IS_ENABLED(CONFIG_PREEMPT_RT))
			return;
		p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16 + fz_below(c, 256), 'bDzF');
		fz_rec_ptr(FZ_ntc_pool_alloc, p);
		if (!p)
			return;
		local_irq_save(flags);
		ExFreePoolWithTag(p, 'bDzF');
		if (tagged)
			ExFreePoolWithTag(p, 'bDzF');
		else
			ExFreePool(p);
		local_irq_restore(flags);
		fz_rec(FZ_ExFreePoolWithTag, 0);
		fz_rec(tagged ? FZ_ExFreePoolWithTag : FZ_ExFreePool, 1);
		return;
	case 1:
		if (!p)
			return;
		p += 1 + fz_below(c, 31);
		break;
	case 2:
		p = stack + fz_below(c, 2) * 16;
		break;
	case 3:
		p = fz_static_buf + 32;
		break;
	case 4:
		p = (PUCHAR)(unsigned long)fz_below(c, 65536);
		break;
	case 5:
		p = (PUCHAR)(0xdead000000000000UL + fz_below(c, 65536) * 16);
		break;
	default:
		p = NULL;
	}
	if (tagged)
		ExFreePoolWithTag(p, fz_tag(c));
	else
		ExFreePool(p);
	fz_rec(tagged ? FZ_ExFreePoolWithTag : FZ_ExFreePool, 1);
}

static void fz_free_one(struct fz_ctx *c, bool tagged)
{
	unsigned int i = fz_below(c, FZ_BLOCKS);
	PVOID p = c->t ? c->t->blocks[i] : NULL;
	ULONG tag;

	if (!p || fz_chance(c, 4)) {
		fz_free_bad(c, tagged);
		return;
	}
	tag = c->t->tags[i];
	if (tagged && fz_chance(c, 4)) {
		/* A wrong tag: refused, the block stays. */
		ExFreePoolWithTag(p, tag ^ 0x20);
		fz_rec(FZ_ExFreePoolWithTag, 1);
		return;
	}
	c->t->blocks[i] = NULL;
	if (tagged)
		ExFreePoolWithTag(p, tag);
	else
		ExFreePool(p);
	fz_rec(tagged ? FZ_ExFreePoolWithTag : FZ_ExFreePool, 0);
}

static void fz_free_tag(struct fz_ctx *c)
{
	fz_free_one(c, true);
}

static void fz_free(struct fz_ctx *c)
{
	fz_free_one(c, false);
}

static void fz_phys_ranges(struct fz_ctx *c)
{
	PPHYSICAL_MEMORY_RANGE r = MmGetPhysicalMemoryRanges();
	unsigned int n = 0;

	fz_rec_ptr(FZ_MmGetPhysicalMemoryRanges, r);
	if (!r) {
		if (!c->dispatch)
			fz_wrong("no physical memory ranges");
		return;
	}
	if (c->dispatch)
		fz_wrong("MmGetPhysicalMemoryRanges at DISPATCH_LEVEL gave ranges");
	while (r[n].BaseAddress.QuadPart || r[n].NumberOfBytes.QuadPart)
		n++;
	if (!n)
		fz_wrong("physical memory ranges are empty");
	if (fz_chance(c, 2)) {
		ExFreePool(r);
		fz_rec(FZ_ExFreePool, 0);
	} else {
		ExFreePoolWithTag(r, 'hPmM');
		fz_rec(FZ_ExFreePoolWithTag, 0);
	}
}

/* ---- Rtl, routine lookup, DbgPrint -------------------------------------- */

static void fz_rtl_compare(struct fz_ctx *c)
{
	u8 a[32], b[32];
	SIZE_T n = fz_below(c, sizeof(a) + 1), same;

	memset(a, 0x5a, sizeof(a));
	memcpy(b, a, sizeof(b));
	if (n)
		b[fz_below(c, n)] ^= 1;
	switch (fz_below(c, 4)) {
	case 0:
		same = RtlCompareMemory(NULL, b, n);
		if (same)
			fz_wrong("RtlCompareMemory(NULL) is %zu", same);
		break;
	case 1:
		same = RtlCompareMemory(a, NULL, n);
		if (same)
			fz_wrong("RtlCompareMemory(, NULL) is %zu", same);
		break;
	default:
		same = RtlCompareMemory(a, b, n);
		if (n && same >= n)
			fz_wrong("RtlCompareMemory missed a difference");
	}
	fz_rec(FZ_RtlCompareMemory, same == n);
}

static const WCHAR fz_wname[] = L"IoRegisterPlugPlayNotification";

static void fz_rtl_init_us(struct fz_ctx *c)
{
	UNICODE_STRING us;

	switch (fz_below(c, 3)) {
	case 0:
		RtlInitUnicodeString(NULL, fz_wname);
		break;
	case 1:
		RtlInitUnicodeString(&us, NULL);
		if (us.Length || us.Buffer)
			fz_wrong("RtlInitUnicodeString(NULL) has a length");
		break;
	default:
		RtlInitUnicodeString(&us, fz_wname);
		if (us.Length != sizeof(fz_wname) - sizeof(WCHAR) ||
		    us.MaximumLength != sizeof(fz_wname))
			fz_wrong("RtlInitUnicodeString: length %u max %u", us.Length,
				 us.MaximumLength);
	}
	fz_rec(FZ_RtlInitUnicodeString, 0);
}

static void fz_routine_addr(struct fz_ctx *c)
{
	static const char *const others[] = {
		"printk", "kmalloc", "ntc_register", "ntc_pool_alloc", "__fentry__",
		"KeBugCheckEx", "ZwCreateFile", "", "Ke", "InterlockedIncrement",
	};
	unsigned int i = fz_below(c, FZ_NR), j, len;
	const void *want = NULL;
	const char *name;
	WCHAR buf[64];
	UNICODE_STRING us;
	PVOID addr;

	switch (fz_below(c, 4)) {
	case 0:
		name = others[fz_below(c, ARRAY_SIZE(others))];
		break;
	case 1:
		for (j = 0; j < 12; j++)
			buf[j] = 0x21 + fz_below(c, 0x5e);	/* printable, random */
		len = 12;
		goto lookup;
	default:
		name = ntc_fuzz_table[i].name;
		if (ntc_fuzz_table[i].kind == FZ_CALL || ntc_fuzz_table[i].kind == FZ_DATA)
			want = ntc_fuzz_table[i].addr;
	}
	len = min(strlen(name), ARRAY_SIZE(buf));
	for (j = 0; j < len; j++)
		buf[j] = name[j];
lookup:
	us.Buffer = buf;
	us.Length = len * sizeof(WCHAR);
	us.MaximumLength = sizeof(buf);
	switch (fz_below(c, 12)) {
	case 0:
		addr = MmGetSystemRoutineAddress(NULL);
		want = NULL;
		break;
	case 1:
		us.Length |= 1;		/* odd */
		want = NULL;
		goto call;
	case 2:
		us.MaximumLength = us.Length - 2;
		want = NULL;
		goto call;
	case 3:
		us.Buffer = NULL;
		want = NULL;
		goto call;
	default:
call:
		addr = MmGetSystemRoutineAddress(&us);
	}
	if (c->dispatch || c->where == FZ_IN_DPC)
		want = NULL;
	fz_rec_ptr(FZ_MmGetSystemRoutineAddress, addr);
	if (addr != want && !(len == 0 && !addr))
		fz_wrong("MmGetSystemRoutineAddress: %p, not %p", addr, want);
}

static void fz_dbgprint(struct fz_ctx *c)
{
	static DEFINE_RATELIMIT_STATE(rs, HZ, 1);

	/* Once a second: the console is slow, and it would be most of the run. */
	if (!__ratelimit(&rs))
		return;
	fz_rec(FZ_DbgPrint, DbgPrint("ntc_fuzz: DbgPrint %d %s %p %%\n", fz_rand(c), "str", c));
}

static void fz_dbgprint_ex(struct fz_ctx *c)
{
	ULONG level = fz_chance(c, 1024) ? fz_below(c, 3) : 3 + fz_below(c, 64);

	fz_rec(FZ_DbgPrintEx, DbgPrintEx(fz_chance(c, 2) ? DPFLTR_IHVDRIVER_ID : fz_rand(c),
					 level, "ntc_fuzz: DbgPrintEx level %u %08x\n", level,
					 fz_rand(c)));
}

/* ---- DPCs ------------------------------------------------------------------- */

static void fz_dispatch_call(struct fz_ctx *c);

static KDEFERRED_ROUTINE fz_dpc_routine;

static VOID fz_dpc_routine(PKDPC Dpc, PVOID DeferredContext, PVOID SystemArgument1,
			   PVOID SystemArgument2)
{
	struct fz_dpc *d = DeferredContext;
	struct fz_ctx c = { .where = FZ_IN_DPC, .dispatch = true };

	atomic_long_inc(&d->runs);
	fz_inc(dpc_runs);
	if (KeGetCurrentIrql() != DISPATCH_LEVEL)
		fz_wrong("DPC at IRQL %u", KeGetCurrentIrql());
	if (SystemArgument1 != (PVOID)d || Dpc != &d->dpc)
		fz_wrong("DPC %u: arguments %p %p", d->id, Dpc, SystemArgument1);
	if (READ_ONCE(fz.stopping))
		return;
	fz_dispatch_call(&c);
	if (fz_chance(&c, 4))
		fz_dpc_insert(&c);
}

static struct fz_dpc *fz_pick_dpc(struct fz_ctx *c)
{
	return &fz_dpcs[fz_below(c, FZ_DPCS)];
}

/* The shared DPCs are initialized once; only scratch ones here. */
static void fz_dpc_init(struct fz_ctx *c)
{
	KDPC scratch;

	switch (fz_below(c, 3)) {
	case 0:
		KeInitializeDpc(NULL, fz_dpc_routine, NULL);
		break;
	case 1:
		KeInitializeDpc(&scratch, NULL, NULL);
		/* No routine: it must not be queued. */
		if (KeInsertQueueDpc(&scratch, NULL, NULL))
			fz_wrong("a DPC without a routine was queued");
		fz_rec(FZ_KeInsertQueueDpc, 0);
		break;
	default:
		KeInitializeDpc(&scratch, fz_dpc_routine, NULL);
		KeSetImportanceDpc(&scratch, fz_below(c, 4));
		fz_rec(FZ_KeSetImportanceDpc, 0);
		if (KeRemoveQueueDpc(&scratch))
			fz_wrong("an unqueued DPC was removed");
		fz_rec(FZ_KeRemoveQueueDpc, 0);
	}
	fz_rec(FZ_KeInitializeDpc, 0);
}

static void fz_dpc_importance(struct fz_ctx *c)
{
	u8 junk[sizeof(KDPC)];

	switch (fz_below(c, 4)) {
	case 0:
		KeSetImportanceDpc(NULL, HighImportance);
		break;
	case 1:
		memset(junk, 0xa5, sizeof(junk));	/* never initialized */
		KeSetImportanceDpc((PKDPC)junk, LowImportance);
		break;
	default:
		KeSetImportanceDpc(&fz_pick_dpc(c)->dpc,
				   fz_chance(c, 4) ? fz_rand(c) : fz_below(c, 4));
	}
	fz_rec(FZ_KeSetImportanceDpc, 0);
}

/* A processor: any, one that may be going offline, or none at all. */
static unsigned int fz_cpu(struct fz_ctx *c)
{
	switch (fz_below(c, 8)) {
	case 0:
		return fz_rand(c);
	case 1:
		return nr_cpu_ids + fz_below(c, 4);
	default:
		return fz_below(c, nr_cpu_ids);
	}
}

static void fz_dpc_target(struct fz_ctx *c)
{
	KeSetTargetProcessorDpc(fz_chance(c, 16) ? NULL : &fz_pick_dpc(c)->dpc, (CCHAR)fz_cpu(c));
	fz_rec(FZ_KeSetTargetProcessorDpc, 0);
}

static void fz_dpc_target_ex(struct fz_ctx *c)
{
	PROCESSOR_NUMBER pn;
	unsigned int cpu = fz_cpu(c);
	bool null = fz_chance(c, 16);
	NTSTATUS st;

	pn.Group = cpu / MAXIMUM_PROC_PER_GROUP;
	pn.Number = cpu % MAXIMUM_PROC_PER_GROUP;
	pn.Reserved = fz_chance(c, 16);
	if (fz_chance(c, 16))
		pn.Number = 64 + fz_below(c, 192);
	st = KeSetTargetProcessorDpcEx(&fz_pick_dpc(c)->dpc, null ? NULL : &pn);
	fz_rec(FZ_KeSetTargetProcessorDpcEx, st);
	/* The processor the fields name: Group is 16 bits of the index. */
	cpu = pn.Group * MAXIMUM_PROC_PER_GROUP + pn.Number;
	if (NT_SUCCESS(st) && (null || pn.Reserved || pn.Number >= 64 || !fz_possible(cpu)))
		fz_wrong("KeSetTargetProcessorDpcEx(%u) succeeded", cpu);
}

static void fz_dpc_insert(struct fz_ctx *c)
{
	struct fz_dpc *d = fz_pick_dpc(c);
	u8 junk[sizeof(KDPC)];
	BOOLEAN queued;

	switch (fz_below(c, 8)) {
	case 0:
		queued = KeInsertQueueDpc(NULL, NULL, NULL);
		break;
	case 1:
		memset(junk, 0, sizeof(junk));
		queued = KeInsertQueueDpc((PKDPC)junk, NULL, NULL);
		break;
	default:
		queued = KeInsertQueueDpc(&d->dpc, d, (PVOID)(unsigned long)fz_rand(c));
		fz_rec(FZ_KeInsertQueueDpc, queued);
		return;
	}
	fz_rec(FZ_KeInsertQueueDpc, queued);
	if (queued)
		fz_wrong("a NULL or uninitialized DPC was queued");
}

static void fz_dpc_remove(struct fz_ctx *c)
{
	u8 junk[sizeof(KDPC)];
	BOOLEAN removed;

	switch (fz_below(c, 8)) {
	case 0:
		removed = KeRemoveQueueDpc(NULL);
		break;
	case 1:
		memset(junk, 0x5a, sizeof(junk));
		removed = KeRemoveQueueDpc((PKDPC)junk);
		break;
	default:
		fz_rec(FZ_KeRemoveQueueDpc, KeRemoveQueueDpc(&fz_pick_dpc(c)->dpc));
		return;
	}
	fz_rec(FZ_KeRemoveQueueDpc, removed);
	if (removed)
		fz_wrong("a NULL or uninitialized DPC was removed");
}

static void fz_dpc_flush(struct fz_ctx *c)
{
	/* Waits for every CPU: not too often. */
	if (!c->dispatch && !fz_chance(c, 8))
		return;
	KeFlushQueuedDpcs();
	fz_rec(FZ_KeFlushQueuedDpcs, c->dispatch);
}

/* ---- events and waits ------------------------------------------------------- */

static PKEVENT fz_event(struct fz_ctx *c, u8 *junk)
{
	switch (fz_below(c, 16)) {
	case 0:
		return NULL;
	case 1:
		memset(junk, 0xa5, sizeof(KEVENT));	/* never initialized */
		return (PKEVENT)junk;
	case 2:
		if (c->t)
			return &c->t->event;
		fallthrough;
	default:
		return &fz_events[fz_below(c, FZ_EVENTS)];
	}
}

static void fz_ev_init(struct fz_ctx *c)
{
	KEVENT scratch;

	switch (fz_below(c, 4)) {
	case 0:
		KeInitializeEvent(NULL, NotificationEvent, FALSE);
		break;
	case 1:
		KeInitializeEvent(&scratch, 2 + fz_below(c, 100), FALSE);
		if (KeReadStateEvent(&scratch))
			fz_wrong("an event of an unknown type is signaled");
		fz_rec(FZ_KeReadStateEvent, 0);
		break;
	default:
		/* Only its own: nobody waits on it while this thread does not. */
		if (!c->t)
			return;
		KeInitializeEvent(&c->t->event, fz_below(c, 2), fz_below(c, 2));
	}
	fz_rec(FZ_KeInitializeEvent, 0);
}

static void fz_ev_set(struct fz_ctx *c)
{
	u8 junk[sizeof(KEVENT)];

	fz_rec(FZ_KeSetEvent, KeSetEvent(fz_event(c, junk), fz_rand(c), fz_below(c, 2)) != 0);
}

static void fz_ev_reset(struct fz_ctx *c)
{
	u8 junk[sizeof(KEVENT)];

	fz_rec(FZ_KeResetEvent, KeResetEvent(fz_event(c, junk)) != 0);
}

static void fz_ev_clear(struct fz_ctx *c)
{
	u8 junk[sizeof(KEVENT)];

	KeClearEvent(fz_event(c, junk));
	fz_rec(FZ_KeClearEvent, 0);
}

static void fz_ev_read(struct fz_ctx *c)
{
	u8 junk[sizeof(KEVENT)];

	fz_rec(FZ_KeReadStateEvent, KeReadStateEvent(fz_event(c, junk)) != 0);
}

/*
 * A timeout: none (forever), zero, relative, or absolute, short or past.
 * @nonzero: whether it is surely not zero; an absolute time may have
 * passed by the time the wait reads it, and then is one.
 */
static PLARGE_INTEGER fz_timeout(struct fz_ctx *c, PLARGE_INTEGER t, bool *nonzero)
{
	LONGLONG now = ktime_get_real_ns() / 100 + FZ_EPOCH_1601;

	*nonzero = false;
	switch (fz_below(c, 8)) {
	case 0:
		/* Forever: only where it must be refused. */
		if (!c->dispatch)
			break;
		*nonzero = true;
		return NULL;
	case 1:
		t->QuadPart = now - fz_below(c, 100000);	/* absolute, past */
		return t;
	case 2:
		t->QuadPart = now + 10 * fz_below(c, 500);	/* absolute, < 5 ms */
		return t;
	case 3:
		t->QuadPart = FZ_RELATIVE_US(1 + fz_below(c, 300));
		*nonzero = true;
		return t;
	}
	t->QuadPart = 0;
	return t;
}

static void fz_wait_single(struct fz_ctx *c)
{
	u8 junk[sizeof(KEVENT)];
	PKEVENT ev = fz_event(c, junk);
	LARGE_INTEGER t;
	bool nonzero;
	PLARGE_INTEGER to = fz_timeout(c, &t, &nonzero);
	NTSTATUS st;

	st = KeWaitForSingleObject(ev, fz_below(c, 40), KernelMode, fz_below(c, 2), to);
	fz_rec(FZ_KeWaitForSingleObject, st);
	if (c->dispatch && nonzero && ev && (PUCHAR)ev != junk &&
	    st != STATUS_INVALID_DEVICE_REQUEST)
		fz_wrong("a wait at DISPATCH_LEVEL answered 0x%08x", st);
	if ((!ev || (PUCHAR)ev == junk) && st != STATUS_INVALID_PARAMETER &&
	    st != STATUS_INVALID_DEVICE_REQUEST)
		fz_wrong("a wait on no event answered 0x%08x", st);
}

static void fz_wait_multi(struct fz_ctx *c)
{
	PVOID objs[FZ_EVENTS];
	KWAIT_BLOCK blocks[FZ_EVENTS];
	ULONG n = 1 + fz_below(c, FZ_EVENTS), i;
	WAIT_TYPE type = fz_chance(c, 16) ? 2 + fz_below(c, 8) : fz_below(c, 2);
	bool dup = n > 1 && fz_chance(c, 8), noblocks = fz_chance(c, 4), bad, nonzero;
	LARGE_INTEGER t;
	PLARGE_INTEGER to = fz_timeout(c, &t, &nonzero);
	NTSTATUS st;

	for (i = 0; i < n; i++)
		objs[i] = &fz_events[(i + n) % FZ_EVENTS];
	if (dup)
		objs[n - 1] = objs[0];
	/* Counts the array does not have: refused before it is read. */
	if (fz_chance(c, 16))
		n = fz_chance(c, 2) ? 0 : 65 + fz_below(c, 1000);
	st = KeWaitForMultipleObjects(n, objs, type, Executive, KernelMode, FALSE, to,
				      noblocks ? NULL : blocks);
	fz_rec(FZ_KeWaitForMultipleObjects, st);
	bad = n == 0 || n > 64 || type > WaitAny || dup ||
	      (noblocks && n > THREAD_WAIT_OBJECTS);
	if (st != STATUS_TIMEOUT && st != STATUS_INVALID_PARAMETER &&
	    st != STATUS_INVALID_DEVICE_REQUEST &&
	    !(st == STATUS_SUCCESS || (type == WaitAny && (ULONG)st < n))) {
		fz_inc(bad_status);
		pr_err_ratelimited("ntc_fuzz: KeWaitForMultipleObjects answered 0x%08x\n", st);
	}
	if (bad && st != STATUS_INVALID_PARAMETER && !(c->dispatch && nonzero &&
						       st == STATUS_INVALID_DEVICE_REQUEST))
		fz_wrong("KeWaitForMultipleObjects(%u, type %d%s) answered 0x%08x", n, type,
			 dup ? ", twice" : "", st);
}

static void fz_delay(struct fz_ctx *c)
{
	LARGE_INTEGER t = { .QuadPart = FZ_RELATIVE_US(fz_below(c, 100)) };
	bool null = fz_chance(c, 8);
	NTSTATUS st;

	if (fz_chance(c, 4))
		t.QuadPart = ktime_get_real_ns() / 100 + FZ_EPOCH_1601 + fz_below(c, 500);
	st = KeDelayExecutionThread(KernelMode, fz_below(c, 2), null ? NULL : &t);
	fz_rec(FZ_KeDelayExecutionThread, st);
	if (null && st != STATUS_INVALID_PARAMETER && st != STATUS_INVALID_DEVICE_REQUEST)
		fz_wrong("KeDelayExecutionThread(NULL) answered 0x%08x", st);
	if (c->dispatch && !null && st != STATUS_INVALID_DEVICE_REQUEST)
		fz_wrong("KeDelayExecutionThread at DISPATCH_LEVEL answered 0x%08x", st);
}

/* ---- spin locks ----------------------------------------------------------- */

/*
 * Lock order, so that lockdep has nothing to say about the fuzzer itself:
 * fz_lock_a, then fz_lock_b; a thread's own lock alone. The DPC-level
 * forms only where the caller is at DISPATCH_LEVEL already.
 */
static PKSPIN_LOCK fz_lock(struct fz_ctx *c)
{
	if (c->holds_a || fz_chance(c, 2))
		return &fz_lock_b;
	return &fz_lock_a;
}

static void fz_spin_init(struct fz_ctx *c)
{
	KSPIN_LOCK scratch;

	switch (fz_below(c, 3)) {
	case 0:
		(KeInitializeSpinLock)(NULL);
		fz_rec(FZ_KeInitializeSpinLock, 0);
		break;
	case 1:
		(KeInitializeSpinLock)(&scratch);
		fz_rec(FZ_KeInitializeSpinLock, 1);
		if (!KeTestSpinLock(&scratch))
			fz_wrong("a new lock is held");
		fz_rec(FZ_KeTestSpinLock, 1);
		break;
	default:
		if (!c->t || c->dispatch)
			return;
		KeInitializeSpinLock(&c->t->own);
		fz_rec(FZ_ntc_init_spin_lock, 0);
	}
}

static void fz_spin_raise(struct fz_ctx *c)
{
	PKSPIN_LOCK l = fz_lock(c);
	KIRQL old;

	if (fz_chance(c, 16)) {
		old = (KeAcquireSpinLockRaiseToDpc)(NULL);
		fz_rec(FZ_KeAcquireSpinLockRaiseToDpc, 0);
		(KeReleaseSpinLock)(NULL, old);
		fz_rec(FZ_KeReleaseSpinLock, 0);
		return;
	}
	old = (KeAcquireSpinLockRaiseToDpc)(l);
	fz_rec(FZ_KeAcquireSpinLockRaiseToDpc, old);
	if (KeGetCurrentIrql() != DISPATCH_LEVEL || KeTestSpinLock(l))
		fz_wrong("KeAcquireSpinLockRaiseToDpc: IRQL %u", KeGetCurrentIrql());
	fz_rec(FZ_KeTestSpinLock, 0);
	(KeReleaseSpinLock)(l, old);
	fz_rec(FZ_KeReleaseSpinLock, old);
	if (KeGetCurrentIrql() != old)
		fz_wrong("KeReleaseSpinLock left IRQL %u, not %u", KeGetCurrentIrql(), old);
}

/*
 * Releases of a lock nobody holds: only this thread's own lock. Each is a
 * deliberate bad call: where the routine is annotated, sparse is told of
 * a hold there is not.
 */
static void fz_spin_release(struct fz_ctx *c)
{
	if (!c->t) {
		__acquire(NULL);
		(KeReleaseSpinLock)(NULL, PASSIVE_LEVEL);
		fz_rec(FZ_KeReleaseSpinLock, 0);
		return;
	}
	switch (fz_below(c, 3)) {
	case 0:
		__acquire(&c->t->own);
		(KeReleaseSpinLock)(&c->t->own, KeGetCurrentIrql());
		fz_rec(FZ_KeReleaseSpinLock, 1);
		break;
	case 1:
		KeReleaseSpinLockFromDpcLevel(&c->t->own);
		fz_rec(FZ_KeReleaseSpinLockFromDpcLevel, 1);
		break;
	default:
		KeReleaseSpinLockFromDpcLevel(NULL);
		fz_rec(FZ_KeReleaseSpinLockFromDpcLevel, 0);
	}
	if (!KeTestSpinLock(&c->t->own))
		fz_wrong("a release of a free lock left it held");
	fz_rec(FZ_KeTestSpinLock, 1);
}

/* A pair at DPC level on @l, with the IRQL at DISPATCH_LEVEL already. */
static void fz_spin_dpc_pair(PKSPIN_LOCK l)
{
	KeAcquireSpinLockAtDpcLevel(l);
	fz_rec(FZ_KeAcquireSpinLockAtDpcLevel, 1);
	KeReleaseSpinLockFromDpcLevel(l);
	fz_rec(FZ_KeReleaseSpinLockFromDpcLevel, 0);
}

static void fz_spin_dpc(struct fz_ctx *c)
{
	PKSPIN_LOCK l = fz_lock(c);
	KIRQL old;

	if (fz_chance(c, 16)) {
		KeAcquireSpinLockAtDpcLevel(NULL);
		fz_rec(FZ_KeAcquireSpinLockAtDpcLevel, 0);
		return;
	}
	if (c->dispatch) {
		fz_spin_dpc_pair(l);
		return;
	}
	KeAcquireSpinLock(&fz_lock_a, &old);	/* to DISPATCH_LEVEL */
	fz_spin_dpc_pair(&fz_lock_b);
	KeReleaseSpinLock(&fz_lock_a, old);
}

static void fz_queued(struct fz_ctx *c)
{
	KLOCK_QUEUE_HANDLE q;

	if (fz_chance(c, 16)) {
		KeAcquireInStackQueuedSpinLock(fz_chance(c, 2) ? NULL : fz_lock(c), NULL);
		fz_rec(FZ_KeAcquireInStackQueuedSpinLock, 0);
		KeReleaseInStackQueuedSpinLock(NULL);
		fz_rec(FZ_KeReleaseInStackQueuedSpinLock, 0);
		return;
	}
	KeAcquireInStackQueuedSpinLock(fz_lock(c), &q);
	fz_rec(FZ_KeAcquireInStackQueuedSpinLock, 1);
	KeReleaseInStackQueuedSpinLock(&q);
	fz_rec(FZ_KeReleaseInStackQueuedSpinLock, 1);
	/* The second release through the same handle finds no lock. */
	if (fz_chance(c, 4)) {
		KeReleaseInStackQueuedSpinLock(&q);
		fz_rec(FZ_KeReleaseInStackQueuedSpinLock, 2);
	}
}

static void fz_queued_dpc(struct fz_ctx *c)
{
	KLOCK_QUEUE_HANDLE q, qa;

	if (fz_chance(c, 16)) {
		KeAcquireInStackQueuedSpinLockAtDpcLevel(NULL, &q);
		fz_rec(FZ_KeAcquireInStackQueuedSpinLockAtDpcLevel, 0);
		KeReleaseInStackQueuedSpinLockFromDpcLevel(NULL);
		fz_rec(FZ_KeReleaseInStackQueuedSpinLockFromDpcLevel, 0);
		return;
	}
	if (!c->dispatch)
		KeAcquireInStackQueuedSpinLock(&fz_lock_a, &qa);
	KeAcquireInStackQueuedSpinLockAtDpcLevel(c->dispatch ? fz_lock(c) : &fz_lock_b, &q);
	fz_rec(FZ_KeAcquireInStackQueuedSpinLockAtDpcLevel, 1);
	KeReleaseInStackQueuedSpinLockFromDpcLevel(&q);
	fz_rec(FZ_KeReleaseInStackQueuedSpinLockFromDpcLevel, 1);
	if (fz_chance(c, 4)) {
		KeReleaseInStackQueuedSpinLockFromDpcLevel(&q);
		fz_rec(FZ_KeReleaseInStackQueuedSpinLockFromDpcLevel, 2);
	}
	if (!c->dispatch)
		KeReleaseInStackQueuedSpinLock(&qa);
}

static void fz_spin_test(struct fz_ctx *c)
{
	fz_rec(FZ_KeTestSpinLock, KeTestSpinLock(fz_chance(c, 8) ? NULL : fz_lock(c)));
}

/* ---- Interlocked -------------------------------------------------------------- */

static void fz_interlocked(struct fz_ctx *c)
{
	LONG v = fz_rand(c);
	PVOID p = NULL;

	InterlockedIncrement(&fz_shared32);
	InterlockedIncrement64(&fz_shared64);
	atomic_long_inc(&fz_incs);
	InterlockedExchangeAdd(&fz_shared32, v);
	InterlockedExchangeAdd(&fz_shared32, -v);
	InterlockedOr64(&fz_shared64, 0);
	InterlockedAnd(&fz_shared32, ~0);
	InterlockedXor(&fz_shared32, 0);
	if (InterlockedCompareExchangePointer(&p, c, NULL) != NULL || p != c)
		fz_wrong("InterlockedCompareExchangePointer");
	fz_rec(FZ_Interlocked, 0);
}

/* ---- the threads ------------------------------------------------------------- */

/* What may run at DISPATCH_LEVEL: in a DPC, or with fz_lock_a held. */
static const enum fz_id fz_dispatch_ids[] = {
	FZ_IoRegisterPlugPlayNotification, FZ_IoUnregisterPlugPlayNotification,
	FZ_IoUnregisterPlugPlayNotificationEx, FZ_KeRegisterProcessorChangeCallback,
	FZ_KeDeregisterProcessorChangeCallback, FZ_KeGetProcessorIndexFromNumber,
	FZ_KeGetProcessorNumberFromIndex, FZ_KeQueryActiveProcessorCountEx,
	FZ_MmGetPhysicalMemoryRanges, FZ_ExAllocatePool2, FZ_ExAllocatePoolWithTag,
	FZ_ExFreePoolWithTag, FZ_ExFreePool, FZ_MmGetSystemRoutineAddress,
	FZ_KeSetTargetProcessorDpc, FZ_KeSetTargetProcessorDpcEx, FZ_KeInsertQueueDpc,
	FZ_KeRemoveQueueDpc, FZ_KeFlushQueuedDpcs, FZ_KeSetEvent, FZ_KeResetEvent,
	FZ_KeReadStateEvent, FZ_KeWaitForSingleObject, FZ_KeWaitForMultipleObjects,
	FZ_KeDelayExecutionThread, FZ_KeAcquireSpinLockRaiseToDpc,
	FZ_KeAcquireSpinLockAtDpcLevel, FZ_KeAcquireInStackQueuedSpinLock,
	FZ_KeAcquireInStackQueuedSpinLockAtDpcLevel, FZ_KeTestSpinLock,
	FZ_KeSetSystemGroupAffinityThread, FZ_KeSetSystemAffinityThreadEx,
	FZ_KeQueryNodeActiveAffinity, FZ_RtlCompareMemory, FZ_Interlocked,
};

static void fz_dispatch_call(struct fz_ctx *c)
{
	enum fz_id id = fz_dispatch_ids[fz_below(c, ARRAY_SIZE(fz_dispatch_ids))];

	ntc_fuzz_table[id].fn(c);
}

/*
 * The routines that sleep, wait for other CPUs or a grace period, or move
 * the thread: picked a quarter as often as the rest, so that they do not
 * take most of the run (fuzz.sh prints the time each took).
 */
static const enum fz_id fz_slow_ids[] = {
	FZ_KeRegisterProcessorChangeCallback, FZ_KeDeregisterProcessorChangeCallback,
	FZ_KeDelayExecutionThread, FZ_KeFlushQueuedDpcs, FZ_KeSetSystemGroupAffinityThread,
	FZ_KeRevertToUserGroupAffinityThread, FZ_KeSetSystemAffinityThreadEx,
	FZ_KeRevertToUserAffinityThreadEx, FZ_KeWaitForSingleObject,
	FZ_KeWaitForMultipleObjects, FZ_IoRegisterPlugPlayNotification,
};
#define FZ_FAST_WEIGHT	4

static enum fz_id *fz_callable;
static unsigned int fz_ncallable;

static int fz_thread_fn(void *arg)
{
	struct fz_thread *t = arg;
	struct fz_ctx c = { .t = t, .where = FZ_THREAD };
	unsigned int i;
	KIRQL old;

	set_user_nice(current, 10);
	while (!kthread_should_stop()) {
		if (fz_chance(&c, 8)) {
			/* The wrong IRQL: a KSPIN_LOCK held. */
			KeAcquireSpinLock(&fz_lock_a, &old);
			c.dispatch = c.holds_a = true;
			fz_dispatch_call(&c);
			c.dispatch = c.holds_a = false;
			KeReleaseSpinLock(&fz_lock_a, old);
		} else {
			struct fz_routine *r = &ntc_fuzz_table[fz_callable[fz_below(&c,
								      fz_ncallable)]];
			u64 t0 = local_clock();

			r->fn(&c);
			atomic64_add(local_clock() - t0, &r->ns);
		}
		cond_resched();
	}
	memset(&t->prev, 0, sizeof(t->prev));
	KeRevertToUserGroupAffinityThread(&t->prev);
	fz_rec(FZ_KeRevertToUserGroupAffinityThread, 0);
	for (i = 0; i < FZ_BLOCKS; i++) {
		if (t->blocks[i]) {
			ExFreePoolWithTag(t->blocks[i], t->tags[i]);
			fz_rec(FZ_ExFreePoolWithTag, 0);
			t->blocks[i] = NULL;
		}
	}
	return 0;
}

/* ---- start, stop ----------------------------------------------------------- */

static void fz_stop_threads(void)
{
	unsigned int i;

	for (i = 0; i < fz.nthreads; i++) {
		kthread_stop(fz.threads[i]->task);
		put_task_struct(fz.threads[i]->task);
		kfree(fz.threads[i]);
		fz.threads[i] = NULL;
	}
	fz.nthreads = 0;
}

static int fz_start(unsigned int n)
{
	struct fz_ctx c = { 0 };
	struct task_struct *task;
	struct fz_thread *t;
	unsigned int i;

	if (fz.running || !n || n > FZ_MAX_THREADS)
		return -EINVAL;
	WRITE_ONCE(fz.stopping, false);
	/* Held from start to stop: every Start of theirs must end. */
	for (i = 0; i < FZ_PCC_LONG; i++) {
		struct fz_slot *s = &fz_pcc[i];

		s->gen++;
		fz_ring_set(s, s->gen, FZ_PENDING);
		bitmap_zero(s->started, FZ_MAX_CPUS);
		s->handle = KeRegisterProcessorChangeCallback(fz_pcc_callback,
							      fz_ctx_of(true, i, s->gen, false),
							      i ? KE_PROCESSOR_CHANGE_ADD_EXISTING : 0);
		fz_rec_ptr(FZ_KeRegisterProcessorChangeCallback, s->handle);
		if (!s->handle)
			return -ENOMEM;
		fz_ring_set(s, s->gen, FZ_REGISTERED);
		atomic_set(&s->state, FZ_LIVE);
	}
	for (i = 0; i < FZ_DPCS; i++)
		fz_dpc_insert(&c);
	fz.start_ns = ktime_get_ns();
	for (i = 0; i < n; i++) {
		t = kzalloc(sizeof(*t), GFP_KERNEL);
		if (!t)
			break;
		t->id = i;
		prandom_seed_state(&t->rnd, get_random_u64());
		KeInitializeSpinLock(&t->own);
		KeInitializeEvent(&t->event, SynchronizationEvent, FALSE);
		task = kthread_create(fz_thread_fn, t, "ntc_fuzz/%u", i);
		if (IS_ERR(task)) {
			kfree(t);
			break;
		}
		/* Half of them on CPU 0, which never goes offline. */
		if (i % 2)
			kthread_bind(task, 0);
		get_task_struct(task);
		t->task = task;
		fz.threads[fz.nthreads++] = t;
		wake_up_process(task);
	}
	fz.running = true;
	return fz.nthreads == n ? 0 : -ENOMEM;
}

static void fz_stop(void)
{
	unsigned int i, j;
	int round;

	if (!fz.running)
		return;
	atomic_set(&fz.veto_cpu, -1);
	/* DPCs and callbacks stop doing more once they see this. */
	WRITE_ONCE(fz.stopping, true);
	fz_stop_threads();
	fz.stop_ns = ktime_get_ns();
	/*
	 * A callback that looked before may still register: a few rounds,
	 * each after the callbacks and DPCs in flight had time to end.
	 */
	for (round = 0; round < 3; round++) {
		for (i = 0; i < FZ_DPCS; i++)
			KeRemoveQueueDpc(&fz_dpcs[i].dpc);
		KeFlushQueuedDpcs();
		for (i = 0; i < FZ_PNP_SLOTS; i++) {
			PVOID h = READ_ONCE(fz_pnp[i].handle);

			if (h && IoUnregisterPlugPlayNotificationEx(h) == STATUS_SUCCESS)
				fz_pnp_unregistered(h, true);
		}
		for (i = FZ_PCC_LONG; i < FZ_PCC_SLOTS; i++)
			if (atomic_cmpxchg(&fz_pcc[i].state, FZ_LIVE, FZ_BUSY) == FZ_LIVE)
				fz_pcc_drop(&fz_pcc[i]);
		msleep(100);
	}
	for (i = 0; i < FZ_PCC_LONG; i++) {
		struct fz_slot *s = &fz_pcc[i];

		if (atomic_read(&s->state) != FZ_LIVE)
			continue;
		for_each_set_bit(j, s->started, FZ_MAX_CPUS) {
			fz_inc(unfinished);
			pr_err("ntc_fuzz: processor %u got Start and nothing after it\n", j);
		}
		atomic_set(&s->state, FZ_BUSY);
		fz_pcc_drop(s);
	}
	fz.running = false;
}

/* ---- debugfs ----------------------------------------------------------------- */

static int fz_command(const char *cmd)
{
	unsigned long v;
	unsigned int n;
	int cpu, ret = 0;
	char kind[4];

	mutex_lock(&fz.lock);
	if (sscanf(cmd, "start %u", &n) == 1) {
		ret = fz_start(n);
	} else if (!strncmp(cmd, "stop", 4)) {
		fz_stop();
	} else if (sscanf(cmd, "veto %d", &cpu) == 1) {
		atomic_set(&fz.veto_cpu, cpu);
	} else if (sscanf(cmd, "foreign %3s %lx", kind, &v) == 2 && !strcmp(kind, "pnp") &&
		   fz.nforeign_pnp < FZ_FOREIGN) {
		fz.foreign_pnp[fz.nforeign_pnp++] = (PVOID)v;
	} else if (sscanf(cmd, "foreign %3s %lx", kind, &v) == 2 && !strcmp(kind, "pcc") &&
		   fz.nforeign_pcc < FZ_FOREIGN) {
		fz.foreign_pcc[fz.nforeign_pcc++] = (PVOID)v;
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&fz.lock);
	return ret;
}
DEFINE_NTC_CTL(fz_ctl, fz_command);

static int fz_routines_show(struct seq_file *m, void *v)
{
	unsigned int i, j;

	for (i = 0; i < FZ_ALL; i++) {
		struct fz_routine *r = &ntc_fuzz_table[i];

		seq_printf(m, "%s %s calls=%ld us=%lld", r->name, fz_kind_name[r->kind],
			   atomic_long_read(&r->calls), atomic64_read(&r->ns) / 1000);
		for (j = 0; j < FZ_OUTCOMES; j++)
			if (atomic_read_acquire(&r->out[j].used) == 2)
				seq_printf(m, " %s%x=%ld", r->allowed ? "0x" : "",
					   r->out[j].value, atomic_long_read(&r->out[j].count));
		if (atomic_long_read(&r->other))
			seq_printf(m, " other=%ld", atomic_long_read(&r->other));
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fz_routines);

static int fz_report_show(struct seq_file *m, void *v)
{
	u64 end = fz.running ? ktime_get_ns() : fz.stop_ns;
	long total = 0, dpcs = 0;
	unsigned int i;

	for (i = 0; i < FZ_ALL; i++)
		total += atomic_long_read(&ntc_fuzz_table[i].calls);
	for (i = 0; i < FZ_DPCS; i++)
		dpcs += atomic_long_read(&fz_dpcs[i].runs);
	seq_printf(m, "running=%d\nthreads=%u\nseconds=%u\ncalls=%ld\n", fz.running,
		   fz.nthreads, (unsigned int)div_u64(end - fz.start_ns, NSEC_PER_SEC), total);
#define FZ_SHOW(what) seq_printf(m, #what "=%ld\n", atomic_long_read(&fz_count.what))
	FZ_SHOW(late);
	FZ_SHOW(never);
	FZ_SHOW(unpaired);
	FZ_SHOW(unfinished);
	FZ_SHOW(bad_status);
	FZ_SHOW(wrong);
	FZ_SHOW(double_success);
	FZ_SHOW(late_legacy);
	FZ_SHOW(unknown_gen);
	FZ_SHOW(vetoes);
	FZ_SHOW(unmatched_success);
	FZ_SHOW(pnp_callbacks);
	FZ_SHOW(pcc_callbacks);
	FZ_SHOW(registrations);
#undef FZ_SHOW
	seq_printf(m, "dpc_runs=%ld\n", dpcs);
	/* Each InterlockedIncrement was counted once, whatever raced it. */
	seq_printf(m, "interlocked_lost=%lld\n",
		   (long long)atomic_long_read(&fz_incs) - READ_ONCE(fz_shared64));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fz_report);

static int fz_handles_show(struct seq_file *m, void *v)
{
	unsigned int i;

	for (i = 0; i < FZ_PNP_SLOTS; i++) {
		PVOID h = READ_ONCE(fz_pnp[i].handle);

		if (h && atomic_read(&fz_pnp[i].state) == FZ_LIVE)
			seq_printf(m, "%lx\n", (unsigned long)h);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fz_handles);

/* The inline Interlocked family: no export, but fuzzed and counted too. */
#define FZ_ROUTINE(sym, k, f, st)					\
	[FZ_##sym] = { .name = #sym, .kind = k, .addr = (const void *)&(sym),	\
		       .fn = f, .allowed = st },
static struct fz_routine ntc_fuzz_table[FZ_ALL] = {
#include "ntc_fuzz_routines.h"
	[FZ_Interlocked] = { .name = "Interlocked*", .kind = FZ_CALL, .fn = fz_interlocked },
};
#undef FZ_ROUTINE

DRIVER_INITIALIZE DriverEntry;
DRIVER_UNLOAD DriverUnload;

VOID DriverUnload(PDRIVER_OBJECT DriverObject)
{
	debugfs_remove_recursive(fz.dir);
	mutex_lock(&fz.lock);
	fz_stop();
	mutex_unlock(&fz.lock);
	kfree(fz_callable);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	enum fz_id *ids;
	unsigned int i, j, w, n = 0;

	mutex_init(&fz.lock);
	atomic_set(&fz.veto_cpu, -1);
	fz.driver = DriverObject;
	atomic_long_inc(&ntc_fuzz_table[FZ_ntc_driver_load].calls);
	ids = kcalloc(FZ_ALL * FZ_FAST_WEIGHT, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return STATUS_INSUFFICIENT_RESOURCES;
	for (i = 0; i < FZ_ALL; i++) {
		if (!ntc_fuzz_table[i].fn)
			continue;
		w = FZ_FAST_WEIGHT;
		for (j = 0; j < ARRAY_SIZE(fz_slow_ids); j++)
			if (fz_slow_ids[j] == i)
				w = 1;
		while (w--)
			ids[n++] = i;
	}
	fz_callable = ids;
	fz_ncallable = n;
	KeInitializeSpinLock(&fz_lock_a);
	KeInitializeSpinLock(&fz_lock_b);
	for (i = 0; i < FZ_DPCS; i++) {
		fz_dpcs[i].id = i;
		KeInitializeDpc(&fz_dpcs[i].dpc, fz_dpc_routine, &fz_dpcs[i]);
	}
	for (i = 0; i < FZ_EVENTS; i++)
		KeInitializeEvent(&fz_events[i], i % 2 ? SynchronizationEvent : NotificationEvent,
				  FALSE);
	fz.dir = debugfs_create_dir("ntc_fuzz", NULL);
	debugfs_create_file("ctl", 0200, fz.dir, NULL, &fz_ctl_fops);
	debugfs_create_file("routines", 0400, fz.dir, NULL, &fz_routines_fops);
	debugfs_create_file("report", 0400, fz.dir, NULL, &fz_report_fops);
	debugfs_create_file("handles", 0400, fz.dir, NULL, &fz_handles_fops);
	DriverObject->DriverUnload = DriverUnload;
	return STATUS_SUCCESS;
}

NTC_MODULE_DRIVER(DriverEntry);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ntcompat selftest driver: a fuzzer over every export");
