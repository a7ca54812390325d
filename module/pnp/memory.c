// SPDX-License-Identifier: GPL-2.0
/*
 * Memory events from the memory hotplug notifier.
 *
 * Linux onlines memory one block at a time (128 MiB on x86-64) and calls the
 * notifier for each block, with the memory hotplug locks held. MEM_ONLINE
 * comes after the pages are in the allocator and MEM_OFFLINE after they have
 * left it, so those two, and only those, become ARRIVAL and REMOVAL: a
 * cancelled online or offline (MEM_CANCEL_*) never reached either state and
 * produces nothing. Actions are compared by name, never as bits, and unknown
 * ones are ignored.
 *
 * A block can hold holes (the first one on a PC does), so what is announced
 * is the System RAM inside the block, range by range: exactly what
 * MmGetPhysicalMemoryRanges() reports. Hot-added DIMMs fill their blocks, and
 * each block is then one range.
 */
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>

#include "ntc.h"

static int ntc_memory_arrive(u64 start, u64 size, void *arg)
{
	ntc_event_post_memory_arrival(start, size);
	return 0;
}

static int ntc_memory_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	const struct memory_notify *mn = data;
	u64 start = PFN_PHYS((u64)mn->start_pfn);
	u64 size = PFN_PHYS((u64)mn->nr_pages);

	if (action == MEM_ONLINE) {
		/* A block no System RAM resource covers is announced whole. */
		if (ntc_memory_walk_ram(start, size, ntc_memory_arrive, NULL) == -EINVAL)
			ntc_event_post_memory_arrival(start, size);
	} else if (action == MEM_OFFLINE) {
		ntc_event_post_memory_removal(start, size);
	} else {
		return NOTIFY_OK;
	}
	ntc_dispatch_kick();
	return NOTIFY_OK;
}

static struct notifier_block ntc_memory_nb = {
	.notifier_call = ntc_memory_notify,
};

static int ntc_memory_record(u64 start, u64 size, void *arg)
{
	ntc_event_record_memory(start, size);
	return 0;
}

/*
 * The notifier does not replay memory that is already online, so the record
 * starts from a scan of System RAM, taken after the notifier is in place: a
 * block onlined meanwhile is recorded by both, which the record tolerates.
 */
int ntc_memory_init(void)
{
	int ret;

	ret = register_memory_notifier(&ntc_memory_nb);
	if (ret)
		return ret;
	ntc_memory_walk_ram(0, U64_MAX, ntc_memory_record, NULL);
	return 0;
}

void ntc_memory_uninit(void)
{
	unregister_memory_notifier(&ntc_memory_nb);
}
