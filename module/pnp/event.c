// SPDX-License-Identifier: GPL-2.0
/*
 * The ordered queue of hardware changes, and the record of what is up.
 *
 * Linux hotplug callbacks post here while holding the hotplug locks, so
 * posting only allocates and links: it never calls a driver and never waits
 * for one (the source kicks the dispatcher once it has posted). Every event gets a sequence number under
 * ntc_event_lock; the same lock guards the record of which processors and
 * memory blocks have been announced, so that a registration can take "what
 * is up now" and "the first event I will be sent" as one consistent
 * snapshot. That is what lets INCLUDE_EXISTING report each instance exactly
 * once, even against a hot-add racing with the registration.
 *
 * Events come from a mempool over their own slab cache ("ntc_event", which
 * a leak makes kmem_cache_destroy() report and failslab can target): when
 * the allocator fails, the pool falls back to a reserve that the dispatcher
 * refills as it consumes events, and once that is gone too it waits for the
 * dispatcher to give one back. A hotplug operation is therefore never
 * failed, and no event is dropped, for want of memory; it is delayed only
 * if the allocator fails throughout and a callback holds the dispatcher
 * while more than the reserve's worth of events pile up.
 */
#include <linux/cpumask.h>
#include <linux/memory_hotplug.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "ntc.h"
#include "ntc_trace.h"

#define NTC_EVENT_RESERVE	64

static DEFINE_MUTEX(ntc_event_lock);
static LIST_HEAD(ntc_event_queue);	/* posted, not yet dispatched */
static struct rb_root ntc_mem_up = RB_ROOT;	/* announced memory, by address */
static size_t ntc_mem_up_count;
static struct cpumask ntc_cpus_up;	/* announced processors */
static u64 ntc_next_seq;
/* Events queued to be delivered, per class (not the suppressed ones); under ntc_event_lock. */
static unsigned long ntc_owed[NTC_NR_CLASSES];

/*
 * Windows never removes a processor or memory, so a driver may not expect
 * GUID_DEVICE_INTERFACE_REMOVAL; Linux does remove them. On by default,
 * since a driver that ignores the GUID loses nothing. Read as each event is
 * queued: a change applies to the events queued after it.
 */
static bool ntc_removal_events = true;
module_param_named(removal_events, ntc_removal_events, bool, 0644);
MODULE_PARM_DESC(removal_events,
		 "Deliver GUID_DEVICE_INTERFACE_REMOVAL when a CPU or memory goes offline (default: on)");
static struct kmem_cache *ntc_event_cache;
static mempool_t *ntc_event_pool;

static struct ntc_event *ntc_event_alloc(void)
{
	struct ntc_event *ev = mempool_alloc(ntc_event_pool, GFP_KERNEL);

	memset(ev, 0, sizeof(*ev));
	INIT_LIST_HEAD(&ev->node);
	return ev;
}

/**
 * ntc_event_free() - return an event (or memory record) to the pool
 * @ev: what ntc_event_alloc() or ntc_event_next() gave; may be NULL
 */
void ntc_event_free(struct ntc_event *ev)
{
	if (ev)
		mempool_free(ev, ntc_event_pool);
}

/* Keeps ntc_mem_up sorted and unique; false if @rec's start is there. */
static bool ntc_mem_record_add_locked(struct ntc_event *rec)
{
	struct rb_node **link = &ntc_mem_up.rb_node, *parent = NULL;
	struct ntc_event *pos;

	lockdep_assert_held(&ntc_event_lock);
	while (*link) {
		parent = *link;
		pos = rb_entry(parent, struct ntc_event, rb);
		if (rec->mem.start == pos->mem.start)
			return false;
		link = rec->mem.start < pos->mem.start ?
			&parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&rec->rb, parent, link);
	rb_insert_color(&rec->rb, &ntc_mem_up);
	ntc_mem_up_count++;
	return true;
}

/* The first record that starts at or above @start, or NULL. */
static struct ntc_event *ntc_mem_record_from_locked(u64 start)
{
	struct rb_node *node = ntc_mem_up.rb_node;
	struct ntc_event *pos, *found = NULL;

	lockdep_assert_held(&ntc_event_lock);
	while (node) {
		pos = rb_entry(node, struct ntc_event, rb);
		if (pos->mem.start >= start) {
			found = pos;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return found;
}

static struct ntc_event *ntc_mem_record_next(struct ntc_event *rec)
{
	struct rb_node *node = rb_next(&rec->rb);

	return node ? rb_entry(node, struct ntc_event, rb) : NULL;
}

/* Queues @ev as the next event. */
static void ntc_event_queue_locked(struct ntc_event *ev)
{
	lockdep_assert_held(&ntc_event_lock);
	ev->seq = ntc_next_seq++;
	ev->queued_ns = ktime_get_ns();
	ev->suppressed = ev->action == NTC_REMOVAL && !READ_ONCE(ntc_removal_events);
	if (!ev->suppressed)
		ntc_owed[ev->class]++;
	list_add_tail(&ev->node, &ntc_event_queue);
	ntc_stat_inc(ntc_stats.queued[ev->class][ev->action]);
	trace_ntc_event_queued(ev);
}

/**
 * ntc_event_post_cpu() - queue a processor's arrival or removal
 * @action: NTC_ARRIVAL or NTC_REMOVAL
 * @cpu: the logical CPU
 *
 * Context: process context, may sleep; called from cpuhp callbacks with the
 * hotplug lock held. Never fails.
 */
void ntc_event_post_cpu(enum ntc_action action, unsigned int cpu)
{
	struct ntc_event *ev = ntc_event_alloc();

	ev->class = NTC_CLASS_PROCESSOR;
	ev->action = action;
	ev->cpu = cpu;
	mutex_lock(&ntc_event_lock);
	if (action == NTC_ARRIVAL)
		cpumask_set_cpu(cpu, &ntc_cpus_up);
	else
		cpumask_clear_cpu(cpu, &ntc_cpus_up);
	ntc_event_queue_locked(ev);
	mutex_unlock(&ntc_event_lock);
}
NTC_EXPORT_FOR_KUNIT(ntc_event_post_cpu);

/**
 * ntc_event_post_memory_arrival() - queue the arrival of a memory range
 * @start: physical start
 * @size: length in bytes
 *
 * The range is recorded as up, so that its removal can be reported with the
 * same bounds and INCLUDE_EXISTING can replay it.
 *
 * Context: process context, may sleep; called from the memory notifier with
 * the memory hotplug locks held. Never fails.
 */
void ntc_event_post_memory_arrival(u64 start, u64 size)
{
	struct ntc_event *ev = ntc_event_alloc();
	struct ntc_event *rec = ntc_event_alloc();

	ev->class = NTC_CLASS_MEMORY;
	ev->action = NTC_ARRIVAL;
	ev->mem.start = start;
	ev->mem.size = size;
	rec->class = NTC_CLASS_MEMORY;
	rec->mem = ev->mem;

	mutex_lock(&ntc_event_lock);
	if (ntc_mem_record_add_locked(rec))
		rec = NULL;
	ntc_event_queue_locked(ev);
	mutex_unlock(&ntc_event_lock);
	ntc_event_free(rec);
}

/**
 * ntc_event_post_memory_removal() - queue the removal of recorded memory
 * @start: physical start of the block going offline
 * @size: its length
 *
 * Every recorded range inside the block becomes a REMOVAL with the bounds
 * its ARRIVAL had; the record itself becomes the event, so nothing is
 * allocated.
 *
 * Context: as ntc_event_post_memory_arrival().
 */
void ntc_event_post_memory_removal(u64 start, u64 size)
{
	struct ntc_event *rec, *next;

	mutex_lock(&ntc_event_lock);
	for (rec = ntc_mem_record_from_locked(start);
	     rec && rec->mem.start - start < size; rec = next) {
		next = ntc_mem_record_next(rec);
		rb_erase(&rec->rb, &ntc_mem_up);
		ntc_mem_up_count--;
		rec->action = NTC_REMOVAL;
		INIT_LIST_HEAD(&rec->node);
		ntc_event_queue_locked(rec);
	}
	mutex_unlock(&ntc_event_lock);
}

/**
 * ntc_event_record_memory() - note memory that was online before ntcompat
 * @start: physical start of a part of System RAM inside one memory block
 * @size: its length
 *
 * Records the range as up, if its block is online, without posting an
 * event: nobody is registered yet, and INCLUDE_EXISTING registrations will
 * find it in the record. The block is tested under ntc_event_lock: Linux
 * marks memory offline before the MEM_OFFLINE notifier runs, so a block seen
 * online here has its REMOVAL (and the end of its record) still to come.
 */
void ntc_event_record_memory(u64 start, u64 size)
{
	struct ntc_event *rec = ntc_event_alloc();

	rec->class = NTC_CLASS_MEMORY;
	rec->mem.start = start;
	rec->mem.size = size;
	mutex_lock(&ntc_event_lock);
	if (pfn_to_online_page(PHYS_PFN(start)) && ntc_mem_record_add_locked(rec))
		rec = NULL;
	mutex_unlock(&ntc_event_lock);
	ntc_event_free(rec);
}

/**
 * ntc_event_next() - take the oldest posted event off the queue
 *
 * Return: the event, which the caller frees with ntc_event_free(), or NULL.
 */
struct ntc_event *ntc_event_next(void)
{
	struct ntc_event *ev;

	mutex_lock(&ntc_event_lock);
	ev = list_first_entry_or_null(&ntc_event_queue, struct ntc_event, node);
	if (ev)
		list_del_init(&ev->node);
	mutex_unlock(&ntc_event_lock);
	return ev;
}

/* How many instances of @class are up. */
static size_t ntc_event_count_up_locked(enum ntc_class class)
{
	lockdep_assert_held(&ntc_event_lock);
	return class == NTC_CLASS_PROCESSOR ? cpumask_weight(&ntc_cpus_up) :
		ntc_mem_up_count;
}

/* Copy what is up of @class into @snap, which has room for it. */
static void ntc_event_snapshot_locked(enum ntc_class class,
				      struct ntc_snapshot *snap)
{
	struct ntc_event *rec, *item;
	unsigned int cpu;

	lockdep_assert_held(&ntc_event_lock);
	snap->count = 0;
	if (class == NTC_CLASS_PROCESSOR) {
		for_each_cpu(cpu, &ntc_cpus_up)
			snap->items[snap->count++].cpu = cpu;
	} else {
		for (rec = ntc_mem_record_from_locked(0); rec;
		     rec = ntc_mem_record_next(rec))
			snap->items[snap->count++].mem = rec->mem;
	}
	for (item = snap->items; item < snap->items + snap->count; item++) {
		item->class = class;
		item->action = NTC_ARRIVAL;
	}
}

/**
 * ntc_event_begin() - start receiving events, atomically with what is up
 * @class: the interface class
 * @snap: if not NULL, receives what is up now, to replay; kvfree() its items
 * @link: called under the queue's lock with the sequence number of the next
 *	event to be posted and how many events of @class queued so far are to
 *	be delivered; it must make its registration visible to the dispatcher
 *	and may not sleep on anything the hotplug path holds
 * @arg: passed to @link
 *
 * Under one lock, the snapshot is taken and @link learns the first event it
 * will be sent, so every instance reaches the registration exactly once, by
 * replay or by event. The snapshot is allocated before that lock is taken,
 * since the hotplug path takes it: a hot-add that makes it too small in the
 * meantime costs one more try.
 *
 * Context: process context, may sleep.
 * Return: 0, or -ENOMEM (then @link was not called).
 */
int ntc_event_begin(enum ntc_class class, struct ntc_snapshot *snap,
		    void (*link)(void *arg, u64 first_seq, unsigned long owed),
		    void *arg)
{
	size_t room = 0;

	for (;;) {
		mutex_lock(&ntc_event_lock);
		if (!snap || ntc_event_count_up_locked(class) <= room)
			break;
		room = ntc_event_count_up_locked(class) + 8;
		mutex_unlock(&ntc_event_lock);
		kvfree(snap->items);
		snap->items = kvcalloc(room, sizeof(*snap->items), GFP_KERNEL);
		if (!snap->items)
			return -ENOMEM;
	}
	if (snap)
		ntc_event_snapshot_locked(class, snap);
	link(arg, ntc_next_seq, ntc_owed[class]);
	mutex_unlock(&ntc_event_lock);
	return 0;
}

/* For the link step of ntc_event_begin(), which runs under the lock. */
void ntc_event_assert_held(void)
{
	lockdep_assert_held(&ntc_event_lock);
}

/* How much of the pool's reserve is left; less than full after a shortage. */
int ntc_event_reserve_left(void)
{
	return READ_ONCE(ntc_event_pool->curr_nr);
}

int ntc_event_init(void)
{
	ntc_event_cache = KMEM_CACHE(ntc_event, 0);
	if (!ntc_event_cache)
		return -ENOMEM;
	ntc_event_pool = mempool_create_slab_pool(NTC_EVENT_RESERVE, ntc_event_cache);
	if (!ntc_event_pool) {
		kmem_cache_destroy(ntc_event_cache);
		return -ENOMEM;
	}
	return 0;
}

/* Context: every source is unhooked and the dispatcher has stopped. */
void ntc_event_uninit(void)
{
	struct ntc_event *ev, *tmp;

	list_for_each_entry_safe(ev, tmp, &ntc_event_queue, node)
		mempool_free(ev, ntc_event_pool);
	rbtree_postorder_for_each_entry_safe(ev, tmp, &ntc_mem_up, rb)
		mempool_free(ev, ntc_event_pool);
	INIT_LIST_HEAD(&ntc_event_queue);
	ntc_mem_up = RB_ROOT;
	ntc_mem_up_count = 0;
	mempool_destroy(ntc_event_pool);
	kmem_cache_destroy(ntc_event_cache);
}
