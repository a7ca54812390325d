// SPDX-License-Identifier: GPL-2.0
/*
 * Registrations: the whole life of one IoRegisterPlugPlayNotification(),
 * from creation to its last callback and its freeing, and the fan-out of an
 * event to every registration of its class.
 *
 * Life of a registration (struct ntc_reg):
 *
 *  1. ntc_register() allocates it, publishes its handle and, through
 *     ntc_event_begin(), appends it to its class's fan-out array with the
 *     sequence number of the first event it is owed. It is born replaying:
 *     until the INCLUDE_EXISTING replay (if any) has called back for every
 *     instance that was up and the handle has been written back to the
 *     driver, the dispatcher waits rather than call it.
 *  2. The dispatcher calls it for each event of its class from then on
 *     (ntc_reg_fan_out()), one callback at a time, in posting order.
 *  3. ntc_unregister() or ntc_unregister_driver() unpublishes the handle,
 *     marks it dead and punches its slot out of the array. No callback
 *     starts after that. The Ex variant, and a driver's unload, then wait
 *     for a callback already running on another thread.
 *  4. It is freed after an SRCU grace period: the dispatcher, the thread
 *     replaying to it and debugfs read it only inside ntc_srcu read
 *     sections, so nobody can still be looking at it.
 *
 * Each registration holds a reference on its driver's module, as Windows
 * holds one on the DRIVER_OBJECT: rmmod of a driver that has not
 * unregistered fails with "in use" instead of leaving a callback pointing
 * into freed code.
 *
 * The fan-out path costs a callback close to what a raw notifier chain
 * costs: one dense array per class holds what the walk needs (the callback
 * and its context), every callback of an event gets the same notification,
 * and the guard against calling a registration being unregistered is
 * asymmetric. The walk does not touch struct ntc_reg itself while no
 * registration is unsettled: a pointer chase per callback to a structure of
 * its own cost more than all the rest (measured: 155 against 43 ns per
 * callback). Nor does it write anything per callback: a live registration
 * is called for every delivered event of its class queued after it was
 * linked, in queueing order, so its count is the class's fanned-out events
 * less those owed before it (a count per registration, even in a word of
 * its own, cost 12 ns a callback).
 *
 * The guard. The dispatcher publishes which registration it is about to
 * call, then checks ntc_unsettled, the number of registrations dying (from
 * their unlink until they are freed) or being born (until their replay is
 * done); only if that is not zero does it look at the registration's own
 * dead and replayer. All with preemption disabled and without a barrier of
 * its own: an unregister that must wait counts the registration unsettled,
 * marks it dead, then waits for an RCU grace period, which also waits for
 * every region that had preemption disabled (RCU's flavours are one since
 * Linux 4.20) and so orders the two: either the dispatcher saw it unsettled
 * and dead, or the unregister sees it being called and waits for that call
 * to end. A dying registration stays unsettled until it is freed, after an
 * SRCU grace period, since a walk that began before its unlink may still
 * meet it in a replaced copy of the array. A birth counts before the slot
 * is published (the dispatcher's acquire of the slot count orders the two)
 * and ends after the replayer is cleared. A preempt-disabled region rather
 * than rcu_read_lock(): with preemptible RCU the latter is a call out of
 * line, which cost more than the rest of the claim. The grace period is
 * paid only by an Ex unregister that races with a fan-out in progress.
 *
 * The locks and their order are listed once, in ntc.h.
 */
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/wait.h>
#include <linux/wait_bit.h>

#include "ntc.h"
#include "ntc_trace.h"

/* One registration, as the fan-out walk needs it. */
struct ntc_slot {
	PDRIVER_NOTIFICATION_CALLBACK_ROUTINE callback;
	void *context;
	struct ntc_reg *reg;		/* NULL once unregistered: a hole */
	u64 first_seq;
};

/*
 * A class's registrations in registration order, so first_seq only grows
 * along the array. Slots are appended in place (@nr is published with
 * release); a full array is replaced by a compacted copy, and the old one
 * freed after an SRCU grace period.
 */
struct ntc_fanout {
	unsigned int nr;		/* slots used, holes included */
	unsigned int cap;
	struct rcu_head rcu;
	struct ntc_slot slot[];
};

#define NTC_FANOUT_MIN	16

DEFINE_STATIC_SRCU(ntc_srcu);
static DEFINE_MUTEX(ntc_reg_lock);
static struct ntc_fanout __rcu *ntc_fanout[NTC_NR_CLASSES];
static unsigned int ntc_live[NTC_NR_CLASSES];	/* under ntc_reg_lock */
static unsigned int ntc_holes[NTC_NR_CLASSES];	/* under ntc_reg_lock */
/* Events fanned out per class: written by the dispatcher only. */
static unsigned long ntc_fanned[NTC_NR_CLASSES];

/* The dispatcher's side of the claim; see the comment at the top. */
static struct task_struct *ntc_dispatcher;	/* while it fans out */
static struct ntc_reg *ntc_calling;		/* whose callback it runs */
static atomic_t ntc_waiters = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(ntc_calling_wq);
/* Registrations being born or dying; see the comment at the top. */
static atomic_t ntc_unsettled = ATOMIC_INIT(0);

/*
 * A test hook (debugfs fanout_delay_ms): the walk sleeps this long between
 * reading a slot and claiming its registration, which is the window the
 * guard closes, so that guard.sh can unregister in it at will.
 */
u32 ntc_fanout_delay_ms;

static struct ntc_fanout *ntc_fanout_locked(enum ntc_class class)
{
	return rcu_dereference_protected(ntc_fanout[class],
					 lockdep_is_held(&ntc_reg_lock));
}

static void ntc_fanout_free(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct ntc_fanout, rcu));
}

/*
 * Make room for one more slot in @class's array, by replacing it with a
 * compacted copy with room to grow. Also used to squeeze holes out.
 */
static int ntc_fanout_resize_locked(enum ntc_class class, unsigned int cap)
{
	struct ntc_fanout *old = ntc_fanout_locked(class), *new;
	unsigned int i;

	lockdep_assert_held(&ntc_reg_lock);
	new = kvmalloc(struct_size(new, slot, cap), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	new->cap = cap;
	new->nr = 0;
	for (i = 0; old && i < old->nr; i++) {
		struct ntc_reg *reg = old->slot[i].reg;

		if (!reg)
			continue;
		reg->slot = new->nr;
		new->slot[new->nr++] = old->slot[i];
	}
	ntc_holes[class] = 0;
	rcu_assign_pointer(ntc_fanout[class], new);
	if (old)
		call_srcu(&ntc_srcu, &old->rcu, ntc_fanout_free);
	return 0;
}

static int ntc_fanout_reserve_locked(enum ntc_class class)
{
	struct ntc_fanout *fo = ntc_fanout_locked(class);

	if (fo && fo->nr < fo->cap)
		return 0;
	return ntc_fanout_resize_locked(class, max(NTC_FANOUT_MIN,
						   2 * (ntc_live[class] + 1)));
}

/*
 * ntc_event_begin()'s link step, under ntc_reg_lock and ntc_event_lock:
 * @reg gets the next event's number, the count of its class's events owed
 * to the registrations before it, and the slot that
 * ntc_fanout_reserve_locked() made room for.
 */
static void ntc_reg_link_locked(void *arg, u64 first_seq, unsigned long owed)
{
	struct ntc_reg *reg = arg;
	struct ntc_fanout *fo = ntc_fanout_locked(reg->class);
	struct ntc_slot *s = &fo->slot[fo->nr];

	lockdep_assert_held(&ntc_reg_lock);
	ntc_event_assert_held();
	reg->first_seq = first_seq;
	reg->owed_before = owed;
	reg->slot = fo->nr;
	s->callback = reg->callback;
	s->context = reg->context;
	s->reg = reg;
	s->first_seq = first_seq;
	/* Pairs with the dispatcher's acquire: the slot before the count. */
	smp_store_release(&fo->nr, fo->nr + 1);
	ntc_live[reg->class]++;
}

/*
 * @reg is unpublished already: no callback starts after this. Its slot
 * becomes a hole, until ntc_fanout_squeeze_locked().
 */
static void ntc_reg_unlink_locked(struct ntc_reg *reg)
{
	struct ntc_fanout *fo = ntc_fanout_locked(reg->class);

	lockdep_assert_held(&ntc_reg_lock);
	atomic_inc(&ntc_unsettled);
	/* Unsettled before dead: the dispatcher checks in the other order. */
	smp_mb__after_atomic();
	WRITE_ONCE(reg->dead, true);
	WRITE_ONCE(fo->slot[reg->slot].reg, NULL);
	ntc_live[reg->class]--;
	ntc_holes[reg->class]++;
	ntc_stat_inc(ntc_stats.unregistered);
}

/*
 * Squeeze the holes out of @class's array once they outnumber the living,
 * so that neither the walk nor the memory grows with registrations long
 * gone. If memory for the copy is short, the holes just stay.
 */
static void ntc_fanout_squeeze_locked(enum ntc_class class)
{
	lockdep_assert_held(&ntc_reg_lock);
	if (ntc_holes[class] > NTC_FANOUT_MIN && ntc_holes[class] > ntc_live[class])
		ntc_fanout_resize_locked(class, max(NTC_FANOUT_MIN,
						    2 * ntc_live[class]));
}

/*
 * Call @reg's callback with @n: the one place a driver's notification
 * callback is called, for queued events and for replays alike. The caller
 * has the claim on @reg (it is the dispatcher, or the replaying thread).
 * @reg and @ev are only for the tracepoint: the dispatcher's walk passes
 * what its slot holds and touches @reg no further.
 */
static __always_inline void ntc_reg_call(struct ntc_reg *reg,
					 PDRIVER_NOTIFICATION_CALLBACK_ROUTINE callback,
					 void *context, struct ntc_notification *n,
					 const struct ntc_event *ev, bool replay)
{
	NTSTATUS status;
	u64 start = 0;

	if (!trace_ntc_callback_enabled()) {
		callback(&n->hdr, context);
	} else {
		start = ktime_get_ns();
		status = callback(&n->hdr, context);
		trace_ntc_callback(reg, ev, replay, replay ? 0 : start - ev->queued_ns,
				   ktime_get_ns() - start, status);
	}
	/* What one driver scribbled on must not send the next one astray. */
	if (unlikely(n->hdr.SymbolicLinkName != &n->link || n->link.Buffer != n->buf)) {
		pr_warn_ratelimited("%ps changed the notification it was given; restored\n",
				    callback);
		ntc_notification_build(n, ev);
	}
}

/* End the dispatcher's claim on a registration, and wake an Ex waiter. */
static __always_inline void ntc_reg_exit(void)
{
	int waiters;

	preempt_disable();
	/* Release: a waiter that sees NULL sees all the callback did. */
	smp_store_release(&ntc_calling, NULL);
	waiters = atomic_read(&ntc_waiters);
	preempt_enable();
	if (unlikely(waiters))
		wake_up_all(&ntc_calling_wq);
}

/*
 * The dispatcher's claim on @reg for one callback: true if it may call.
 * The fast path is a store and a load with preemption disabled, the region
 * an Ex unregister's grace period waits for; @reg itself is read only while
 * some registration is unsettled.
 */
static __always_inline bool ntc_reg_enter(struct ntc_reg *reg)
{
	bool dead;
	struct task_struct *replayer;

	for (;;) {
		preempt_disable();
		WRITE_ONCE(ntc_calling, reg);
		/* Acquire, paired with ntc_reg_born(): its replay is done. */
		if (likely(!atomic_read_acquire(&ntc_unsettled))) {
			preempt_enable();
			return true;
		}
		dead = READ_ONCE(reg->dead);
		replayer = READ_ONCE(reg->replayer);
		preempt_enable();
		if (likely(!dead && !replayer))
			return true;
		ntc_reg_exit();
		if (dead)
			return false;
		/* Still replaying (or being born): let it finish first. */
		wait_var_event(reg, !READ_ONCE(reg->replayer));
	}
}

/**
 * ntc_reg_fan_out() - deliver one event to every registration of its class
 * @ev: the event, taken off the queue
 * @n: its notification, built once; every callback gets it
 *
 * Called by the dispatcher only: one event at a time, in posting order.
 * Registrations made after @ev was posted are skipped, as are those
 * unregistered by the time their turn comes.
 *
 * Context: process context, may sleep (the callbacks may).
 * Return: how many callbacks were made.
 */
unsigned int ntc_reg_fan_out(const struct ntc_event *ev, struct ntc_notification *n)
{
	const struct ntc_slot *s, *end;
	const u64 seq = ev->seq;
	struct ntc_fanout *fo;
	unsigned int calls = 0;
	struct ntc_reg *reg;
	int idx;

	idx = srcu_read_lock(&ntc_srcu);
	fo = srcu_dereference(ntc_fanout[ev->class], &ntc_srcu);
	if (!fo)
		goto out;
	/* Acquire, paired with ntc_reg_link_locked(): the slots before the count. */
	end = fo->slot + smp_load_acquire(&fo->nr);
	WRITE_ONCE(ntc_dispatcher, current);
	/* Pairs with the barrier in ntc_reg_wait_idle(). */
	smp_mb();
	for (s = fo->slot; s < end && s->first_seq <= seq; s++) {
		reg = READ_ONCE(s->reg);
		if (!reg)
			continue;
		if (unlikely(READ_ONCE(ntc_fanout_delay_ms)))
			msleep(READ_ONCE(ntc_fanout_delay_ms));
		if (!ntc_reg_enter(reg))
			continue;
		ntc_reg_call(reg, s->callback, s->context, n, ev, false);
		ntc_reg_exit();
		calls++;
	}
	/* Release: whoever sees NULL sees every callback of it finished. */
	smp_store_release(&ntc_dispatcher, NULL);
out:
	srcu_read_unlock(&ntc_srcu, idx);
	ntc_stat_inc(ntc_fanned[ev->class]);
	return calls;
}

/* No callback of @reg runs on another thread once this returns true. */
static bool ntc_reg_replay_done(struct ntc_reg *reg)
{
	struct task_struct *task = READ_ONCE(reg->replayer);

	return !task || task == current;
}

/*
 * After @reg was marked dead: wait until no callback of it runs on another
 * thread. From inside one of the dispatcher's callbacks nothing else of the
 * dispatcher's runs, and the dispatcher never calls a registration that is
 * still replaying; so the grace period is needed only against a fan-out
 * running on another thread.
 */
static void ntc_reg_wait_idle(struct ntc_reg *reg)
{
	struct task_struct *dispatcher;

	wait_var_event(reg, ntc_reg_replay_done(reg));
	/* Pairs with the barrier in ntc_reg_fan_out(): dead, then dispatcher. */
	smp_mb();
	/* Acquire, paired with the release at the end of a fan-out. */
	dispatcher = smp_load_acquire(&ntc_dispatcher);
	if (!dispatcher || dispatcher == current)
		return;
	atomic_inc(&ntc_waiters);
	synchronize_rcu();
	/* Acquire, paired with ntc_reg_exit()'s release. */
	wait_event(ntc_calling_wq, smp_load_acquire(&ntc_calling) != reg);
	atomic_dec(&ntc_waiters);
}

/* No walk can meet it any more, in any copy of the array: settled. */
static void ntc_reg_free(struct rcu_head *rcu)
{
	struct ntc_reg *reg = container_of(rcu, struct ntc_reg, rcu);

	atomic_dec(&ntc_unsettled);
	kfree(reg);
}

/*
 * Let go of @reg, which is unlinked: wait for a callback running on another
 * thread if asked, drop the driver's module and free it once no reader can
 * see it. Without the wait a callback may still be running in the driver:
 * the driver's module exit waits for it (ntc_driver_unload()).
 */
static void ntc_reg_retire(struct ntc_reg *reg, bool wait)
{
	if (wait)
		ntc_reg_wait_idle(reg);
	module_put(reg->owner);
	call_srcu(&ntc_srcu, &reg->rcu, ntc_reg_free);
}

/* The end of the birth claim: the dispatcher may call @reg from now on. */
static void ntc_reg_born(struct ntc_reg *reg)
{
	/* Release: the dispatcher sees the replay's callbacks done. */
	smp_store_release(&reg->replayer, NULL);
	/* wake_up_var() looks for waiters, and the count is read with acquire. */
	smp_mb();
	atomic_dec(&ntc_unsettled);
	wake_up_var(reg);
}

/* Replay @snap to @reg, which this thread has claimed since its birth. */
static void ntc_replay(struct ntc_reg *reg, const struct ntc_snapshot *snap)
{
	struct ntc_notification n;
	size_t i;

	for (i = 0; i < snap->count && !READ_ONCE(reg->dead); i++) {
		ntc_notification_build(&n, &snap->items[i]);
		ntc_reg_call(reg, reg->callback, reg->context, &n, &snap->items[i], true);
		ntc_stat_inc(reg->replayed);
		atomic_long_inc(&ntc_stats.replayed);
	}
}

/**
 * ntc_register() - add a registration
 * @class: the interface class
 * @driver: the registering driver's object, already validated
 * @callback: the driver's callback
 * @context: its context
 * @include_existing: replay what is up now before returning
 * @handle: receives the handle; written before any replay, so that a
 *	callback may unregister through it
 *
 * Context: process context, may sleep.
 * Return: 0, -ENOMEM, or -ENOENT if the driver's module is being removed.
 */
int ntc_register(enum ntc_class class, PDRIVER_OBJECT driver,
		 PDRIVER_NOTIFICATION_CALLBACK_ROUTINE callback,
		 void *context, bool include_existing, void **handle)
{
	struct ntc_snapshot snap = { };
	struct ntc_reg *reg;
	int ret, idx;

	reg = kzalloc(sizeof(*reg), GFP_KERNEL);
	if (!reg)
		return -ENOMEM;
	reg->owner = driver->NtcOwner;
	if (!try_module_get(reg->owner)) {
		kfree(reg);
		return -ENOENT;
	}
	reg->class = class;
	reg->callback = callback;
	reg->context = context;
	reg->driver = driver;
	reg->replayer = current;
	/* Born: unsettled before the slot is published (see the top). */
	atomic_inc(&ntc_unsettled);

	mutex_lock(&ntc_reg_lock);
	ret = ntc_handle_publish(&reg->handle, NTC_HANDLE_PNP, reg->owner);
	if (ret)
		goto err_unlock;
	ret = ntc_fanout_reserve_locked(class);
	if (!ret)
		ret = ntc_event_begin(class, include_existing ? &snap : NULL,
				      ntc_reg_link_locked, reg);
	if (ret) {
		ntc_handle_unpublish(&reg->handle);
		goto err_unlock;
	}
	ntc_stat_inc(ntc_stats.registered);
	mutex_unlock(&ntc_reg_lock);

	/*
	 * From here another thread, or a replayed callback, may unregister
	 * @reg through its handle, and only an Ex unregister on another
	 * thread waits for the replay. So this thread reads @reg inside an
	 * ntc_srcu read section until it is done with it: @reg, freed an SRCU
	 * grace period after its unregister, outlives the replay.
	 */
	*handle = (void *)reg->handle.value;
	idx = srcu_read_lock(&ntc_srcu);
	if (include_existing)
		ntc_replay(reg, &snap);
	ntc_reg_born(reg);
	srcu_read_unlock(&ntc_srcu, idx);
	kvfree(snap.items);
	return 0;

err_unlock:
	mutex_unlock(&ntc_reg_lock);
	atomic_dec(&ntc_unsettled);
	kvfree(snap.items);
	module_put(reg->owner);
	kfree(reg);
	return ret;
}
NTC_EXPORT_FOR_KUNIT(ntc_register);

/**
 * ntc_unregister() - remove a registration by handle
 * @handle: what ntc_register() returned, or anything else
 * @wait: wait for a callback running on another thread (the Ex variant)
 * @caller: the module making the call; only the owner's calls are obeyed
 *
 * Context: process context, may sleep.
 * Return: 0, -EINVAL if @handle is not a live registration, or -EACCES if
 * it is another module's.
 */
int ntc_unregister(void *handle, bool wait, const struct module *caller)
{
	struct ntc_handle *h;
	struct ntc_reg *reg;

	mutex_lock(&ntc_reg_lock);
	h = ntc_handle_take(handle, NTC_HANDLE_PNP, caller);
	if (IS_ERR(h)) {
		mutex_unlock(&ntc_reg_lock);
		return PTR_ERR(h);
	}
	reg = container_of(h, struct ntc_reg, handle);
	ntc_reg_unlink_locked(reg);
	ntc_fanout_squeeze_locked(reg->class);
	mutex_unlock(&ntc_reg_lock);
	ntc_reg_retire(reg, wait);
	return 0;
}
NTC_EXPORT_FOR_KUNIT(ntc_unregister);

/**
 * ntc_unregister_driver() - remove every registration of a driver
 * @driver: the driver object
 *
 * Used when a driver's DriverEntry fails, or its module exit finds
 * registrations (made from DriverUnload itself: any other keeps the module
 * from unloading): their callbacks would otherwise run in freed module text.
 * Waits for running callbacks.
 *
 * Context: process context, may sleep.
 * Return: how many registrations were removed.
 */
unsigned int ntc_unregister_driver(PDRIVER_OBJECT driver)
{
	struct ntc_reg *reg, *tmp;
	struct ntc_fanout *fo;
	unsigned int class, i, n = 0;
	LIST_HEAD(gone);

	mutex_lock(&ntc_reg_lock);
	for (class = 0; class < NTC_NR_CLASSES; class++) {
		fo = ntc_fanout_locked(class);
		for (i = 0; fo && i < fo->nr; i++) {
			reg = fo->slot[i].reg;
			if (!reg || reg->driver != driver)
				continue;
			ntc_handle_unpublish(&reg->handle);
			ntc_reg_unlink_locked(reg);
			list_add_tail(&reg->gone, &gone);
			n++;
		}
		ntc_fanout_squeeze_locked(class);
	}
	mutex_unlock(&ntc_reg_lock);

	/* Wait outside the lock: the callbacks may be registering. */
	list_for_each_entry_safe(reg, tmp, &gone, gone)
		ntc_reg_retire(reg, true);
	return n;
}

/**
 * ntc_reg_barrier() - wait until no callback of a gone driver can run
 *
 * Every callback runs inside an ntc_srcu read section, so once this
 * returns none that started before it is still running.
 *
 * Context: process context, may sleep.
 */
void ntc_reg_barrier(void)
{
	synchronize_srcu(&ntc_srcu);
}

/*
 * /sys/kernel/debug/ntcompat/registrations: the live registrations, one per
 * line, processor ones first, each class in registration order. The reader
 * stays in an ntc_srcu read section from start to stop, so nothing it
 * prints is freed under it and no driver module it names can finish
 * unloading; it takes no lock the registering or hotplug paths need, and
 * each line costs the same however many there are. A position is a class
 * and a slot in that class's array.
 */
struct ntc_reg_iter {
	int srcu_idx;
};

#define NTC_POS_CLASS_SHIFT	32

static struct ntc_reg *ntc_reg_seq_find(loff_t *pos)
{
	unsigned int class = *pos >> NTC_POS_CLASS_SHIFT;
	unsigned int i = *pos & U32_MAX;
	struct ntc_fanout *fo;
	struct ntc_reg *reg;

	for (; class < NTC_NR_CLASSES; class++, i = 0) {
		fo = srcu_dereference(ntc_fanout[class], &ntc_srcu);
		/* Acquire, paired with ntc_reg_link_locked(), as in the fan-out. */
		for (; fo && i < smp_load_acquire(&fo->nr); i++) {
			reg = READ_ONCE(fo->slot[i].reg);
			if (reg) {
				*pos = ((loff_t)class << NTC_POS_CLASS_SHIFT) | i;
				return reg;
			}
		}
	}
	*pos = (loff_t)NTC_NR_CLASSES << NTC_POS_CLASS_SHIFT;
	return NULL;
}

/* seq_file calls stop after every start, whatever start returned. */
static void *ntc_reg_seq_start(struct seq_file *m, loff_t *pos)
	__acquires(&ntc_srcu)
{
	struct ntc_reg_iter *it = m->private;

	it->srcu_idx = srcu_read_lock(&ntc_srcu);
	return ntc_reg_seq_find(pos);
}

static void *ntc_reg_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return ntc_reg_seq_find(pos);
}

static void ntc_reg_seq_stop(struct seq_file *m, void *v)
	__releases(&ntc_srcu)
{
	struct ntc_reg_iter *it = m->private;

	srcu_read_unlock(&ntc_srcu, it->srcu_idx);
}

/*
 * Handles are numbers, printed as they are; other pointers with %p, hashed
 * as everywhere else in the kernel's output.
 */
/*
 * The callbacks @reg, a live registration, has been sent: its replay's, and
 * one for each event of its class fanned out since those owed before it. An
 * event being fanned out is counted once its walk is over.
 */
static unsigned long ntc_reg_delivered(const struct ntc_reg *reg)
{
	unsigned long fanned = READ_ONCE(ntc_fanned[reg->class]);

	return READ_ONCE(reg->replayed) +
		(fanned > reg->owed_before ? fanned - reg->owed_before : 0);
}

static int ntc_reg_seq_show(struct seq_file *m, void *v)
{
	const struct ntc_reg *reg = v;

	seq_printf(m, "owner=%s category=EventCategoryDeviceInterfaceChange class=%s handle=%#lx context=%p delivered=%lu last_event_latency_ns=%llu callback=%pS\n",
		   module_name(reg->owner), ntc_class_name[reg->class],
		   reg->handle.value, reg->context, ntc_reg_delivered(reg),
		   READ_ONCE(ntc_stats.last_latency_ns[reg->class]), reg->callback);
	return 0;
}

static const struct seq_operations ntc_reg_seq_ops = {
	.start = ntc_reg_seq_start,
	.next = ntc_reg_seq_next,
	.stop = ntc_reg_seq_stop,
	.show = ntc_reg_seq_show,
};

/**
 * ntc_reg_seq_open() - open the debugfs view of the registrations
 * @inode: its inode
 * @file: the file being opened
 *
 * Return: 0 or a negative errno.
 */
int ntc_reg_seq_open(struct inode *inode, struct file *file)
{
	return seq_open_private(file, &ntc_reg_seq_ops, sizeof(struct ntc_reg_iter));
}

/* Context: no driver can call in any more (every user module is gone). */
void ntc_registration_uninit(void)
{
	struct ntc_fanout *fo;
	unsigned int class;

	srcu_barrier(&ntc_srcu);
	mutex_lock(&ntc_reg_lock);
	for (class = 0; class < NTC_NR_CLASSES; class++) {
		fo = ntc_fanout_locked(class);
		RCU_INIT_POINTER(ntc_fanout[class], NULL);
		kvfree(fo);
	}
	mutex_unlock(&ntc_reg_lock);
}
