// SPDX-License-Identifier: GPL-2.0
/*
 * Physical memory: the one walk over System RAM, and
 * MmGetPhysicalMemoryRanges().
 *
 * What memory events announce, what their record starts from and what
 * MmGetPhysicalMemoryRanges() reports are all cut by ntc_memory_walk_ram(),
 * so that a driver can match the ranges of one with the other.
 */
#include <linux/ioport.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "ntc.h"
#include <ntddk.h>

struct ntc_ram_walk {
	ntc_ram_fn *fn;
	void *arg;
};

/* Hand one System RAM resource to the walker, a memory block's part at a time. */
static int ntc_ram_split(struct resource *res, void *data)
{
	const struct ntc_ram_walk *w = data;
	u64 block = memory_block_size_bytes();
	u64 pos = res->start, end = res->end + 1;
	int ret;

	while (pos < end) {
		u64 next = min(ALIGN_DOWN(pos, block) + block, end);

		ret = w->fn(pos, next - pos, w->arg);
		if (ret)
			return ret;
		pos = next;
	}
	return 0;
}

/**
 * ntc_memory_walk_ram() - the System RAM in a physical range, in parts
 * @start: start of the range
 * @size: its length
 * @fn: called for each part of System RAM inside the range that lies in one
 *	memory block, in address order; a non-zero return stops the walk
 * @arg: passed to @fn
 *
 * The one walk over System RAM: what memory events announce, what the record
 * starts from and what MmGetPhysicalMemoryRanges() reports are cut the same
 * way.
 *
 * Return: 0, the first non-zero return of @fn, or -EINVAL if no System RAM
 * lies in the range.
 */
int ntc_memory_walk_ram(u64 start, u64 size, ntc_ram_fn *fn, void *arg)
{
	struct ntc_ram_walk w = { .fn = fn, .arg = arg };

	return walk_iomem_res_desc(IORES_DESC_NONE,
				   IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
				   start, start + size - 1, &w, ntc_ram_split);
}

struct ntc_ranges {
	PHYSICAL_MEMORY_RANGE *r;
	size_t n;		/* entries used, not counting the terminator */
	size_t cap;		/* entries allocated, counting it */
};

/* Pool, tagged as on Windows, so that ExFreePool() and poolmon know it. */
static PHYSICAL_MEMORY_RANGE *ntc_ranges_alloc(size_t n)
{
	return ExAllocatePoolWithTag(NonPagedPoolNx, array_size(n, sizeof(PHYSICAL_MEMORY_RANGE)),
				     NTC_POOL_TAG_MM_PHYS);
}

static int ntc_ranges_add(struct ntc_ranges *rs, u64 start, u64 len)
{
	PHYSICAL_MEMORY_RANGE *last = rs->n ? &rs->r[rs->n - 1] : NULL;

	if (last && last->BaseAddress.QuadPart + last->NumberOfBytes.QuadPart == start) {
		last->NumberOfBytes.QuadPart += len;
		return 0;
	}
	if (rs->n + 1 == rs->cap) {
		PHYSICAL_MEMORY_RANGE *r = ntc_ranges_alloc(rs->cap * 2);

		if (!r)
			return -ENOMEM;
		memcpy(r, rs->r, rs->n * sizeof(*r));
		ExFreePool(rs->r);
		rs->r = r;
		rs->cap *= 2;
	}
	rs->r[rs->n].BaseAddress.QuadPart = start;
	rs->r[rs->n].NumberOfBytes.QuadPart = len;
	rs->n++;
	return 0;
}

/* Keep a part of System RAM if its memory block is online. */
static int ntc_ranges_add_online(u64 start, u64 len, void *arg)
{
	if (!pfn_to_online_page(PHYS_PFN(start)))
		return 0;
	return ntc_ranges_add(arg, start, len);
}

PPHYSICAL_MEMORY_RANGE MmGetPhysicalMemoryRanges(void)
{
	struct ntc_ranges rs = { .cap = 16 };

	if (!ntc_may_sleep())
		return NULL;
	rs.r = ntc_ranges_alloc(rs.cap);
	if (!rs.r)
		return NULL;
	if (ntc_memory_walk_ram(0, U64_MAX, ntc_ranges_add_online, &rs) == -ENOMEM) {
		ExFreePool(rs.r);
		return NULL;
	}
	memset(&rs.r[rs.n], 0, sizeof(rs.r[rs.n]));
	return rs.r;
}
EXPORT_SYMBOL_NS_GPL(MmGetPhysicalMemoryRanges, NTC_EXPORT_NS);
