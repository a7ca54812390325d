// SPDX-License-Identifier: GPL-2.0
/*
 * Registrations and their handles.
 *
 * A handle is the registration's address, but it is never dereferenced
 * before it has been found in ntc_handles: a stale, repeated or made-up
 * handle is an error, not a wild pointer. Registrations live on an RCU list
 * per interface class that the dispatcher walks under SRCU (callbacks may
 * sleep); an unregistered one is unlinked at once and freed after an SRCU
 * grace period, so a callback still running on it never sees freed memory.
 *
 * Each registration holds a reference on its driver's module, as Windows
 * holds one on the DRIVER_OBJECT: rmmod of a driver that has not
 * unregistered fails with "in use" instead of leaving a callback pointing
 * into freed code.
 *
 * Lock order: ntc_reg_lock, then ntc_event_lock (event.c).
 */
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>

#include "ntc.h"

DEFINE_SRCU(ntc_srcu);
struct list_head ntc_class_regs[NTC_NR_CLASSES] = {
	LIST_HEAD_INIT(ntc_class_regs[NTC_CLASS_PROCESSOR]),
	LIST_HEAD_INIT(ntc_class_regs[NTC_CLASS_MEMORY]),
};

static DEFINE_MUTEX(ntc_reg_lock);
static DEFINE_HASHTABLE(ntc_handles, 10);

static struct ntc_reg *ntc_reg_find(void *handle)
{
	struct ntc_reg *reg;

	lockdep_assert_held(&ntc_reg_lock);
	hash_for_each_possible(ntc_handles, reg, handle_node, (unsigned long)handle)
		if (reg == handle)
			return reg;
	return NULL;
}

static void ntc_reg_free(struct rcu_head *rcu)
{
	struct ntc_reg *reg = container_of(rcu, struct ntc_reg, rcu);

	reg->magic = 0;
	kfree(reg);
}

/* Replay @snap to @reg, which the caller has claimed. */
static void ntc_replay(struct ntc_reg *reg, const struct ntc_snapshot *snap)
{
	size_t i;

	for (i = 0; i < snap->count && !READ_ONCE(reg->dead); i++)
		ntc_deliver_call(reg, &snap->items[i]);
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
	reg->magic = NTC_REG_MAGIC;
	reg->class = class;
	reg->callback = callback;
	reg->context = context;
	reg->driver = driver;
	/*
	 * Claimed from birth: the dispatcher cannot call it before the replay
	 * below has delivered everything that was already up.
	 */
	reg->cb_task = current;

	/*
	 * Once the handle is out, another thread (or a replayed callback) may
	 * unregister it: the read section keeps @reg alive until released.
	 */
	idx = srcu_read_lock(&ntc_srcu);
	mutex_lock(&ntc_reg_lock);
	ret = ntc_event_begin_registration(reg, include_existing ? &snap : NULL);
	if (ret) {
		mutex_unlock(&ntc_reg_lock);
		srcu_read_unlock(&ntc_srcu, idx);
		module_put(reg->owner);
		kfree(reg);
		return ret;
	}
	hash_add(ntc_handles, &reg->handle_node, (unsigned long)reg);
	ntc_stat_inc(ntc_stats.registered);
	mutex_unlock(&ntc_reg_lock);

	*handle = reg;
	if (include_existing) {
		ntc_replay(reg, &snap);
		kvfree(snap.items);
	}
	ntc_deliver_release(reg);
	srcu_read_unlock(&ntc_srcu, idx);
	return 0;
}
NTC_EXPORT_FOR_KUNIT(ntc_register);

/* Caller holds ntc_reg_lock. Unlinks @reg; later callbacks will not run. */
static void ntc_reg_unlink(struct ntc_reg *reg)
{
	hash_del(&reg->handle_node);
	list_del_rcu(&reg->class_node);
	ntc_stat_inc(ntc_stats.unregistered);
	WRITE_ONCE(reg->dead, true);
	/* Pairs with the cmpxchg in ntc_reg_claim() (dispatch.c). */
	smp_mb();
}

/* No callback of @reg is running, unless on this very thread. */
static bool ntc_reg_quiet(struct ntc_reg *reg)
{
	struct task_struct *task = READ_ONCE(reg->cb_task);

	return !task || task == current;
}

/*
 * Wait for a callback running on another thread, if asked, then let go of
 * the driver and free @reg once no callback can be looking at it. Without
 * the wait a callback may still be running in the driver: the driver's
 * module exit waits for it (ntc_driver_unload()).
 */
static void ntc_reg_retire(struct ntc_reg *reg, bool wait)
{
	if (wait)
		wait_var_event(reg, ntc_reg_quiet(reg));
	module_put(reg->owner);
	call_srcu(&ntc_srcu, &reg->rcu, ntc_reg_free);
}

/**
 * ntc_unregister() - remove a registration by handle
 * @handle: what ntc_register() returned, or anything else
 * @wait: wait for a callback running on another thread (the Ex variant)
 *
 * Context: process context, may sleep.
 * Return: 0, or -EINVAL if @handle is not a live registration.
 */
int ntc_unregister(void *handle, bool wait)
{
	struct ntc_reg *reg;

	mutex_lock(&ntc_reg_lock);
	reg = ntc_reg_find(handle);
	if (reg)
		ntc_reg_unlink(reg);
	mutex_unlock(&ntc_reg_lock);
	if (!reg)
		return -EINVAL;
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
	struct ntc_reg *reg;
	struct hlist_node *tmp;
	unsigned int bkt, n = 0;
	HLIST_HEAD(gone);

	mutex_lock(&ntc_reg_lock);
	hash_for_each_safe(ntc_handles, bkt, tmp, reg, handle_node) {
		if (reg->driver != driver)
			continue;
		ntc_reg_unlink(reg);
		hlist_add_head(&reg->handle_node, &gone);
		n++;
	}
	mutex_unlock(&ntc_reg_lock);

	/* Wait outside the lock: the callbacks may be registering. */
	hlist_for_each_entry_safe(reg, tmp, &gone, handle_node)
		ntc_reg_retire(reg, true);
	return n;
}

/*
 * /sys/kernel/debug/ntcompat/registrations: the live registrations, one per
 * line, processor ones first, each class in registration order. The reader
 * holds ntc_reg_lock from start to stop, so every registration it prints is
 * linked, its module referenced, and none is freed under it; the counters
 * written by the dispatcher meanwhile are read as they are.
 */
static struct ntc_reg *ntc_reg_seq_at(loff_t pos)
{
	struct ntc_reg *reg;
	int class;

	for (class = 0; class < NTC_NR_CLASSES; class++)
		list_for_each_entry(reg, &ntc_class_regs[class], class_node)
			if (pos-- == 0)
				return reg;
	return NULL;
}

/* seq_file calls stop after every start, whatever start returned. */
static void *ntc_reg_seq_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&ntc_reg_lock);
	return ntc_reg_seq_at(*pos);
}

static void *ntc_reg_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct ntc_reg *reg = v;
	int class;

	++*pos;
	if (!list_is_last(&reg->class_node, &ntc_class_regs[reg->class]))
		return list_next_entry(reg, class_node);
	for (class = reg->class + 1; class < NTC_NR_CLASSES; class++)
		if (!list_empty(&ntc_class_regs[class]))
			return list_first_entry(&ntc_class_regs[class],
						struct ntc_reg, class_node);
	return NULL;
}

static void ntc_reg_seq_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&ntc_reg_lock);
}

/* Pointers with %p, hashed as everywhere else in the kernel's output. */
static int ntc_reg_seq_show(struct seq_file *m, void *v)
{
	const struct ntc_reg *reg = v;

	seq_printf(m, "owner=%s category=EventCategoryDeviceInterfaceChange class=%s handle=%p context=%p delivered=%lu last_event_latency_ns=%llu callback=%pS\n",
		   module_name(reg->owner), ntc_class_name[reg->class], reg,
		   reg->context, READ_ONCE(reg->delivered),
		   READ_ONCE(reg->last_latency_ns), reg->callback);
	return 0;
}

const struct seq_operations ntc_reg_seq_ops = {
	.start = ntc_reg_seq_start,
	.next = ntc_reg_seq_next,
	.stop = ntc_reg_seq_stop,
	.show = ntc_reg_seq_show,
};

/* Context: no driver can call in any more (every user module is gone). */
void ntc_registration_uninit(void)
{
	srcu_barrier(&ntc_srcu);
}
