// SPDX-License-Identifier: GPL-2.0
/*
 * Pool: ExAllocatePool2, ExAllocatePoolWithTag, ExFreePool(WithTag) on the
 * kernel's slab, with poolmon's accounting.
 *
 * Each block starts with a struct ntc_pool_block in front of what the caller
 * gets. Its cookie, the header's own address xored with a constant that
 * changes when the block is freed, lets ExFreePool tell a live block from a
 * double free and from a pointer the pool never handed out, without
 * trusting the memory it points at: the cookie is read as
 * get_kernel_nofault() reads, so a wild pointer costs a log line, not an
 * oops (nor a KASAN report for a read that is out of bounds on purpose).
 *
 * Allocation and free are a kmalloc() and a kfree() as a driver would call
 * them, plus what the pool adds: a context check, the tag record's lookup,
 * the header and the counters. The fast paths make no call of their own
 * beyond the slab's: under emulation (TCG) a call and a pushf cost more
 * than the rest of the pool's work together.
 *
 * Accounting is per (tag, module that allocated): a struct ntc_pool_tag,
 * found in an RCU hash table and created on the pair's first allocation,
 * with per-CPU counters, so that neither allocation nor free takes a lock
 * or a locked instruction; readers sum the CPUs. When a driver unloads,
 * io/driver.c calls ntc_pool_driver_gone(): what it still holds is logged
 * by tag, its records without blocks are dropped, and the others stay,
 * marked unloaded, until ntcompat unloads.
 *
 * Lock order: ntc_pool_lock is innermost; it guards inserting into and
 * removing from ntc_pool_tags and the unloaded flag.
 */
#include <linux/cache.h>
#include <linux/hashtable.h>
#include <linux/llist.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#ifdef CONFIG_X86_64
#include <asm/vsyscall.h>
#endif

#include "ntc.h"

#define NTC_POOL_LIVE	0x4e54435f504f4f4cUL	/* "NTC_POOL" */
#define NTC_POOL_FREED	0x4e54435f46524545UL	/* "NTC_FREE" */

/* In front of every block; 32 bytes, so the block keeps 16-byte alignment. */
struct ntc_pool_block {
	unsigned long cookie;		/* own address ^ NTC_POOL_LIVE or _FREED */
	union {
		struct ntc_pool_tag *acct;	/* while allocated */
		struct llist_node free_node;	/* queued for a deferred vfree() */
	};
	size_t size;			/* what the caller asked for */
	u16 offset;			/* from the allocation's start to the block */
	bool vmapped;			/* vfree(), not kfree() */
	ULONG tag;
};
static_assert(sizeof(struct ntc_pool_block) == 32);

/* The blocks of one tag allocated by one module. */
struct ntc_pool_tag {
	struct hlist_node node;		/* ntc_pool_tags: RCU, ntc_pool_lock */
	ULONG tag;
	struct module *owner;		/* NULL: called through a pointer */
	bool unloaded;			/* owner gone; ntc_pool_lock */
	char owner_name[MODULE_NAME_LEN];
	struct ntc_pool_count __percpu *count;
};

static DEFINE_HASHTABLE(ntc_pool_tags, 6);
static DEFINE_SPINLOCK(ntc_pool_lock);


/* Large blocks freed where the caller may not sleep: vfree() may. */
static LLIST_HEAD(ntc_pool_deferred);

static void ntc_pool_tag_free(struct ntc_pool_tag *t)
{
	free_percpu(t->count);
	kfree(t);
}

static u32 ntc_pool_key(ULONG tag, const struct module *owner)
{
	return tag ^ hash_ptr(owner, 32);
}

/*
 * Readers hold rcu_read_lock() or, on the allocation path,
 * rcu_read_lock_sched(): preempt_disable() inline, where rcu_read_lock() is
 * a call with preemptible RCU. synchronize_rcu() waits for both.
 */
static __always_inline struct ntc_pool_tag *ntc_pool_tag_find(ULONG tag,
							      const struct module *owner)
{
	struct ntc_pool_tag *t;

	hash_for_each_possible_rcu(ntc_pool_tags, t, node, ntc_pool_key(tag, owner),
				   lockdep_is_held(&ntc_pool_lock))
		if (t->tag == tag && t->owner == owner && !READ_ONCE(t->unloaded))
			return t;
	return NULL;
}

/* The first allocation of (@tag, @owner): its record. */
static noinline struct ntc_pool_tag *ntc_pool_tag_new(ULONG tag, struct module *owner,
						      gfp_t gfp)
{
	struct ntc_pool_tag *t, *new;
	unsigned long flags;

	new = kzalloc(sizeof(*new), gfp);
	if (!new)
		return NULL;
	new->count = alloc_percpu_gfp(struct ntc_pool_count, gfp);
	if (!new->count) {
		kfree(new);
		return NULL;
	}
	new->tag = tag;
	new->owner = owner;
	strscpy(new->owner_name, owner ? module_name(owner) : "-",
		sizeof(new->owner_name));

	spin_lock_irqsave(&ntc_pool_lock, flags);
	t = ntc_pool_tag_find(tag, owner);
	if (!t) {
		hash_add_rcu(ntc_pool_tags, &new->node, ntc_pool_key(tag, owner));
		t = new;
		new = NULL;
	}
	spin_unlock_irqrestore(&ntc_pool_lock, flags);
	if (new)
		ntc_pool_tag_free(new);
	return t;
}

/*
 * The record of (@tag, @owner), created on first use. It is never freed
 * while its owner can allocate: only ntc_pool_driver_gone() and
 * ntc_pool_uninit() free records.
 */
static __always_inline struct ntc_pool_tag *ntc_pool_tag_get(ULONG tag,
							     struct module *owner,
							     gfp_t gfp)
{
	struct ntc_pool_tag *t;

	rcu_read_lock_sched();
	t = ntc_pool_tag_find(tag, owner);
	rcu_read_unlock_sched();
	if (likely(t))
		return t;
	return ntc_pool_tag_new(tag, owner, gfp);
}

static void ntc_pool_tag_sum(const struct ntc_pool_tag *t, struct ntc_pool_count *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct ntc_pool_count *c = per_cpu_ptr(t->count, cpu);

		sum->allocs += READ_ONCE(c->allocs);
		sum->frees += READ_ONCE(c->frees);
		sum->bytes += READ_ONCE(c->bytes);
	}
}

/* The pool kind of each base type (the low three bits); 0: refused. */
static const u16 ntc_pool_base_flags[8] = {
	/* Executable on Windows unless Nx; never on Linux. */
	[NonPagedPool] = POOL_FLAG_NON_PAGED,
	[PagedPool] = POOL_FLAG_PAGED,
	[NonPagedPoolMustSucceed] = POOL_FLAG_NON_PAGED,
	[NonPagedPoolCacheAligned] = POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED,
	[PagedPoolCacheAligned] = POOL_FLAG_PAGED | POOL_FLAG_CACHE_ALIGNED,
	[NonPagedPoolCacheAlignedMustS] = POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED,
};

/*
 * The mappings below are always inline in the allocation path, which would
 * otherwise pay a call for each, and written with few branches: under TCG
 * every one ends a translated block. The exported names are for the KUnit
 * suite.
 */
static __always_inline int __ntc_pool_type_flags(POOL_TYPE type, POOL_FLAGS *flags)
{
	unsigned int t = type;
	POOL_FLAGS f = ntc_pool_base_flags[t & 7];

	/* Unknown bits, no pool kind, or an executable paged pool (never). */
	if (unlikely((t & ~(7U | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE |
			    POOL_RAISE_IF_ALLOCATION_FAILURE | NonPagedPoolSession |
			    NonPagedPoolNx)) ||
		     !f || ((f & POOL_FLAG_PAGED) && (t & NonPagedPoolNx))))
		return -EINVAL;
	f |= POOL_FLAG_UNINITIALIZED;
	if (t & POOL_RAISE_IF_ALLOCATION_FAILURE)
		f |= POOL_FLAG_RAISE_ON_FAILURE;
	if (t & NonPagedPoolSession)
		f |= POOL_FLAG_SESSION;
	*flags = f;
	return 0;
}

/**
 * ntc_pool_type_flags() - the ExAllocatePool2() flags of a legacy pool type
 * @type: a POOL_TYPE, with its modifier bits
 * @flags: receives the POOL_FLAG_* equivalent, POOL_FLAG_UNINITIALIZED
 *	included (ExAllocatePoolWithTag() does not zero)
 *
 * Return: 0, or -EINVAL for DontUseThisType and unknown types or bits.
 */
int ntc_pool_type_flags(POOL_TYPE type, POOL_FLAGS *flags)
{
	return __ntc_pool_type_flags(type, flags);
}
NTC_EXPORT_FOR_KUNIT(ntc_pool_type_flags);

#define NTC_POOL_KNOWN	(POOL_FLAG_USE_QUOTA | POOL_FLAG_UNINITIALIZED |		\
			 POOL_FLAG_SESSION | POOL_FLAG_CACHE_ALIGNED |			\
			 POOL_FLAG_RAISE_ON_FAILURE | POOL_FLAG_NON_PAGED |		\
			 POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED)
#define NTC_POOL_KINDS	(POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE |		\
			 POOL_FLAG_PAGED)

static __always_inline int __ntc_pool_gfp(POOL_FLAGS flags, bool atomic, gfp_t *gfp)
{
	POOL_FLAGS required = flags & 0xffffffffULL;
	POOL_FLAGS kind = flags & NTC_POOL_KINDS;

	/* One test for what is allowed; the refusals are told apart after it. */
	if (unlikely((required & ~NTC_POOL_KNOWN) ||
		     (kind != POOL_FLAG_NON_PAGED && (kind != POOL_FLAG_PAGED || atomic)))) {
		if ((required & ~NTC_POOL_KNOWN) || !kind || (kind & (kind - 1)))
			return -EINVAL;
		if (kind == POOL_FLAG_NON_PAGED_EXECUTE)
			return -EOPNOTSUPP;
		return -EBADRQC;
	}
	*gfp = (atomic ? GFP_ATOMIC : GFP_KERNEL) | __GFP_NOWARN;
	if (!(flags & POOL_FLAG_UNINITIALIZED))
		*gfp |= __GFP_ZERO;
	return 0;
}

/**
 * ntc_pool_gfp() - the one mapping from pool flags and context to gfp flags
 * @flags: POOL_FLAG_* as ExAllocatePool2() takes them
 * @atomic: the caller may not sleep (KeGetCurrentIrql() is DISPATCH_LEVEL)
 * @gfp: receives the allocation flags
 *
 * Non-paged pool where the caller may not sleep is GFP_ATOMIC: Windows
 * serves DISPATCH_LEVEL from the same pool as PASSIVE_LEVEL, and the atomic
 * reserves are what comes closest. Everything is __GFP_NOWARN: a pool
 * allocation that fails returns NULL to a driver that checks for it, with
 * no splat, as on Windows. Optional flags (the high 32 bits) are ignored.
 *
 * Return: 0; -EINVAL for unknown required flags or not exactly one pool kind;
 * -EOPNOTSUPP for executable pool; -EBADRQC for paged pool where the caller
 * may not sleep.
 */
int ntc_pool_gfp(POOL_FLAGS flags, bool atomic, gfp_t *gfp)
{
	return __ntc_pool_gfp(flags, atomic, gfp);
}
NTC_EXPORT_FOR_KUNIT(ntc_pool_gfp);

static const char *ntc_pool_refusal(int err)
{
	switch (err) {
	case -EOPNOTSUPP:
		return "executable pool does not exist on Linux";
	case -EBADRQC:
		return "paged pool where the caller may not sleep";
	default:
		return "unknown or contradictory pool flags";
	}
}

static __always_inline void *ntc_pool_alloc_flags(const char *fn, POOL_FLAGS flags,
						  SIZE_T size, ULONG tag,
						  struct module *owner, void *caller)
{
	size_t align = flags & POOL_FLAG_CACHE_ALIGNED ? L1_CACHE_BYTES : 0;
	bool atomic = KeGetCurrentIrql() != PASSIVE_LEVEL;
	bool vmapped = false;
	struct ntc_pool_block *b;
	struct ntc_pool_tag *t;
	size_t total;
	void *base;
	gfp_t gfp;
	int err;

	err = __ntc_pool_gfp(flags, atomic, &gfp);
	if (unlikely(err)) {
		ntc_bad_call_from(caller, fn, "flags %#llx refused: %s", flags,
				  ntc_pool_refusal(err));
		return NULL;
	}
	if (unlikely(check_add_overflow(size, sizeof(*b) + align, &total)))
		goto fail;
	t = ntc_pool_tag_get(tag, owner, gfp & ~__GFP_ZERO);
	if (unlikely(!t))
		goto fail;
	/* kvmalloc() is kmalloc() up to a page, two calls deeper. */
	if (likely(total <= PAGE_SIZE)) {
		base = kmalloc(total, gfp);
	} else {
		base = kvmalloc(total, gfp);
		vmapped = is_vmalloc_addr(base);
	}
	if (unlikely(!base))
		goto fail;
	b = base;
	if (align)
		b = PTR_ALIGN((void *)(b + 1), align) - sizeof(*b);
	b->cookie = (unsigned long)b ^ NTC_POOL_LIVE;
	b->acct = t;
	b->size = size;
	b->offset = (void *)(b + 1) - base;
	b->vmapped = vmapped;
	b->tag = tag;
	this_cpu_inc(t->count->allocs);
	this_cpu_add(t->count->bytes, size);
	return b + 1;

fail:
	if (flags & POOL_FLAG_RAISE_ON_FAILURE)
		ntc_bad_call_from(caller, fn,
				  "%zu bytes failed; POOL_FLAG_RAISE_ON_FAILURE cannot raise here, returning NULL",
				  size);
	return NULL;
}

static __always_inline void *ntc_pool_alloc_legacy(const char *fn, POOL_TYPE type,
						   SIZE_T size, ULONG tag,
						   struct module *owner, void *caller)
{
	POOL_FLAGS flags;

	if (unlikely(__ntc_pool_type_flags(type, &flags))) {
		ntc_bad_call_from(caller, fn, "pool type %d refused", type);
		return NULL;
	}
	return ntc_pool_alloc_flags(fn, flags, size, tag, owner, caller);
}

/**
 * ntc_pool_alloc() - ExAllocatePool2() as a driver's source calls it
 * @flags: as for ExAllocatePool2()
 * @size: as for ExAllocatePool2()
 * @tag: as for ExAllocatePool2()
 * @owner: the calling module (THIS_MODULE), which the block is counted under
 *
 * Context: as ExAllocatePool2().
 * Return: as ExAllocatePool2().
 */
PVOID ntc_pool_alloc(POOL_FLAGS flags, SIZE_T size, ULONG tag, struct module *owner)
{
	return ntc_pool_alloc_flags("ExAllocatePool2", flags, size, tag, owner,
				    __builtin_return_address(0));
}
EXPORT_SYMBOL_NS_GPL(ntc_pool_alloc, NTC_EXPORT_NS);

/**
 * ntc_pool_alloc_type() - ExAllocatePoolWithTag() as a driver's source calls it
 * @type: as for ExAllocatePoolWithTag()
 * @size: as for ExAllocatePoolWithTag()
 * @tag: as for ExAllocatePoolWithTag()
 * @owner: the calling module (THIS_MODULE), which the block is counted under
 *
 * Context: as ExAllocatePoolWithTag().
 * Return: as ExAllocatePoolWithTag().
 */
PVOID ntc_pool_alloc_type(POOL_TYPE type, SIZE_T size, ULONG tag, struct module *owner)
{
	return ntc_pool_alloc_legacy("ExAllocatePoolWithTag", type, size, tag, owner,
				     __builtin_return_address(0));
}
EXPORT_SYMBOL_NS_GPL(ntc_pool_alloc_type, NTC_EXPORT_NS);

/* The routines themselves, for pointers: the header's macros hide them. */
PVOID (ExAllocatePool2)(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag)
{
	return ntc_pool_alloc_flags(__func__, Flags, NumberOfBytes, Tag, NULL,
				    __builtin_return_address(0));
}
EXPORT_SYMBOL_NS_GPL(ExAllocatePool2, NTC_EXPORT_NS);

PVOID (ExAllocatePoolWithTag)(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
	return ntc_pool_alloc_legacy(__func__, PoolType, NumberOfBytes, Tag, NULL,
				     __builtin_return_address(0));
}
EXPORT_SYMBOL_NS_GPL(ExAllocatePoolWithTag, NTC_EXPORT_NS);

PVOID (ExAllocatePool)(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
	return ntc_pool_alloc_legacy(__func__, PoolType, NumberOfBytes,
				     NTC_POOL_TAG_NONE, NULL, __builtin_return_address(0));
}
EXPORT_SYMBOL_NS_GPL(ExAllocatePool, NTC_EXPORT_NS);

static void ntc_pool_free_deferred(struct work_struct *work)
{
	struct llist_node *node = llist_del_all(&ntc_pool_deferred), *next;
	struct ntc_pool_block *b;

	llist_for_each_safe(node, next, node) {
		b = container_of(node, struct ntc_pool_block, free_node);
		vfree((void *)(b + 1) - b->offset);
	}
}
static DECLARE_WORK(ntc_pool_free_work, ntc_pool_free_deferred);

/*
 * The cookie in front of @p, which may point anywhere: false if it cannot
 * be read. On x86-64 this is get_kernel_nofault() without its two calls
 * (copy_from_kernel_nofault() and copy_from_kernel_nofault_allowed()): the
 * same refusals, then the same exception-table read. User addresses would
 * oops under SMAP instead of faulting quietly, the vsyscall page may not be
 * handled, and a non-canonical address is a #GP, which the fixup answers
 * with a warning.
 */
static __always_inline bool ntc_pool_read_cookie(const unsigned long *src,
						 unsigned long *cookie)
{
#ifdef CONFIG_X86_64
	unsigned long vaddr = (unsigned long)src;

	if (unlikely(vaddr < TASK_SIZE_MAX + PAGE_SIZE || is_vsyscall_vaddr(vaddr) ||
		     !__is_canonical_address(vaddr, boot_cpu_data.x86_virt_bits)))
		return false;
	pagefault_disable();
	__get_kernel_nofault(cookie, src, unsigned long, fault);
	pagefault_enable();
	return true;
fault:
	pagefault_enable();
	return false;
#else
	return !get_kernel_nofault(*cookie, src);
#endif
}

static __always_inline void ntc_pool_free(const char *fn, void *p, ULONG tag,
					  bool check_tag, void *caller)
{
	unsigned long addr = (unsigned long)p - sizeof(struct ntc_pool_block);
	struct ntc_pool_block *b = (struct ntc_pool_block *)addr;
	struct ntc_pool_tag *acct;
	unsigned long cookie;
	void *base;

	if (!p)
		return;
	if (unlikely(!ntc_pool_read_cookie(&b->cookie, &cookie)))
		cookie = 0;
	if (unlikely(cookie != (addr ^ NTC_POOL_LIVE))) {
		ntc_bad_call_from(caller, fn, "%p is %s; nothing freed", p,
				  cookie == (addr ^ NTC_POOL_FREED) ?
				  "already freed" : "not a pool block");
		return;
	}
	if (unlikely(check_tag && b->tag != tag)) {
		ntc_bad_call_from(caller, fn, "%p has tag %#x, not %#x; nothing freed",
				  p, b->tag, tag);
		return;
	}
	b->cookie = addr ^ NTC_POOL_FREED;
	acct = b->acct;
	this_cpu_inc(acct->count->frees);
	this_cpu_sub(acct->count->bytes, b->size);
	base = p - b->offset;
	if (likely(!b->vmapped)) {
		kfree(base);
		return;
	}
	if (KeGetCurrentIrql() != PASSIVE_LEVEL) {
		if (llist_add(&b->free_node, &ntc_pool_deferred))
			schedule_work(&ntc_pool_free_work);
		return;
	}
	vfree(base);
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag)
{
	ntc_pool_free(__func__, P, Tag, true, __builtin_return_address(0));
}
EXPORT_SYMBOL_NS_GPL(ExFreePoolWithTag, NTC_EXPORT_NS);

VOID ExFreePool(PVOID P)
{
	ntc_pool_free(__func__, P, 0, false, __builtin_return_address(0));
}
EXPORT_SYMBOL_NS_GPL(ExFreePool, NTC_EXPORT_NS);

/**
 * ntc_pool_usage() - what a module holds under a tag
 * @tag: the pool tag
 * @owner: the module, or NULL for blocks allocated through a pointer
 * @usage: receives the allocations, frees and bytes in use
 *
 * Return: true if the module ever allocated under @tag.
 */
bool ntc_pool_usage(ULONG tag, const struct module *owner, struct ntc_pool_count *usage)
{
	struct ntc_pool_tag *t;

	rcu_read_lock();
	t = ntc_pool_tag_find(tag, owner);
	if (t)
		ntc_pool_tag_sum(t, usage);
	rcu_read_unlock();
	return t != NULL;
}
NTC_EXPORT_FOR_KUNIT(ntc_pool_usage);

/* The tag as poolmon prints it: its bytes in memory order. */
static void ntc_pool_tag_name(ULONG tag, char name[5])
{
	int i;

	for (i = 0; i < 4; i++) {
		char c = (tag >> (8 * i)) & 0xff;

		name[i] = c >= 0x20 && c < 0x7f ? c : '.';
	}
	name[4] = '\0';
}

static int ntc_pool_show(struct seq_file *m, void *v)
{
	struct ntc_pool_count sum;
	struct ntc_pool_tag *t;
	char name[5];
	int bkt;

	rcu_read_lock();
	hash_for_each_rcu(ntc_pool_tags, bkt, t, node) {
		ntc_pool_tag_sum(t, &sum);
		ntc_pool_tag_name(t->tag, name);
		seq_printf(m, "tag=%s value=%#010x owner=%s%s allocs=%lu frees=%lu bytes=%ld\n",
			   name, t->tag, t->owner_name,
			   READ_ONCE(t->unloaded) ? "(unloaded)" : "",
			   sum.allocs, sum.frees, sum.bytes);
	}
	rcu_read_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ntc_pool);
const struct file_operations *const ntc_pool_file = &ntc_pool_fops;

/* Log what @t still holds; true if it holds nothing. */
static bool ntc_pool_report(const struct ntc_pool_tag *t, const char *when)
{
	struct ntc_pool_count sum;
	char name[5];

	ntc_pool_tag_sum(t, &sum);
	if (sum.allocs == sum.frees)
		return true;
	ntc_pool_tag_name(t->tag, name);
	pr_warn("%s %s still holding %lu pool block(s), %ld bytes, tagged '%s' (%#010x)\n",
		t->owner_name, when, sum.allocs - sum.frees, sum.bytes, name, t->tag);
	return false;
}

/**
 * ntc_pool_driver_gone() - a driver unloads: report what it still holds
 * @owner: its module, whose code and name are still there
 *
 * Called from the driver's module exit, after DriverUnload. Its records
 * that hold no block are freed; the others are kept, marked unloaded, so
 * that another module may still free their blocks, and a module loaded
 * later at the same address gets records of its own.
 *
 * Context: process context.
 */
void ntc_pool_driver_gone(struct module *owner)
{
	struct ntc_pool_tag *t, *dead[16];
	struct hlist_node *tmp;
	unsigned long flags;
	unsigned int n;
	int bkt;

	do {
		n = 0;
		spin_lock_irqsave(&ntc_pool_lock, flags);
		hash_for_each_safe(ntc_pool_tags, bkt, tmp, t, node) {
			if (t->owner != owner || t->unloaded)
				continue;
			if (!ntc_pool_report(t, "unloaded")) {
				WRITE_ONCE(t->unloaded, true);
				continue;
			}
			hash_del_rcu(&t->node);
			dead[n++] = t;
			if (n == ARRAY_SIZE(dead))
				break;
		}
		spin_unlock_irqrestore(&ntc_pool_lock, flags);
		if (!n)
			break;
		synchronize_rcu();
		while (n)
			ntc_pool_tag_free(dead[--n]);
	} while (true);
}
NTC_EXPORT_FOR_KUNIT(ntc_pool_driver_gone);

/**
 * ntc_pool_uninit() - ntcompat unloads: report blocks never freed
 *
 * Every driver is gone by then; what is left is logged by tag and owner,
 * and the records go (the blocks themselves are the drivers' leaks).
 */
void ntc_pool_uninit(void)
{
	struct ntc_pool_tag *t;
	struct hlist_node *tmp;
	int bkt;

	flush_work(&ntc_pool_free_work);
	hash_for_each_safe(ntc_pool_tags, bkt, tmp, t, node) {
		ntc_pool_report(t, t->unloaded ? "(unloaded) was" : "is");
		hash_del(&t->node);
		ntc_pool_tag_free(t);
	}
}
