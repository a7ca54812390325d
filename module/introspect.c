// SPDX-License-Identifier: GPL-2.0
/*
 * What ntcompat is doing, for root: two debugfs files and the tracepoints.
 *
 *	/sys/kernel/debug/ntcompat/registrations
 *		one line per live registration: owner module, category,
 *		class GUID by name, handle and Context (hashed, as %p prints
 *		them), callbacks delivered, the latency of the last event it
 *		got (queued to the start of its fan-out), and the callback by
 *		symbol
 *	/sys/kernel/debug/ntcompat/stats
 *		the global counters, one "name value" line each
 *	/sys/kernel/debug/ntcompat/processor_change
 *		one line per KeRegisterProcessorChangeCallback(), in call
 *		order: owner, handle, Context, calls made, vetoes, callback
 *	/sys/kernel/tracing/events/ntcompat/
 *		ntc_event_queued, ntc_callback and ntc_processor_change
 *		(ntc_trace.h)
 *
 * Both files are mode 0400 in debugfs, itself root-only. Nothing here is
 * on the hotplug or dispatch path: the counters are kept where they are
 * counted, and this file only reads them.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "ntc.h"

#define CREATE_TRACE_POINTS
#include "ntc_trace.h"

struct ntc_stats ntc_stats = {
	.replayed = ATOMIC_LONG_INIT(0),
	.bad_calls = ATOMIC_LONG_INIT(0),
};
/* The primitives' suite counts the bad calls it makes. */
NTC_EXPORT_FOR_KUNIT(ntc_stats);

static struct dentry *ntc_debugfs_dir;

static int ntc_registrations_open(struct inode *inode, struct file *file)
{
	return ntc_reg_seq_open(inode, file);
}

static const struct file_operations ntc_registrations_fops = {
	.owner = THIS_MODULE,
	.open = ntc_registrations_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

static int ntc_pcc_open(struct inode *inode, struct file *file)
{
	return ntc_pcc_seq_open(inode, file);
}

static const struct file_operations ntc_pcc_fops = {
	.owner = THIS_MODULE,
	.open = ntc_pcc_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release,
};

static void ntc_pcc_stats_show(struct seq_file *m)
{
	unsigned long n;
	unsigned int s;

	for (s = 0; s < ARRAY_SIZE(ntc_pcc_stats.calls); s++)
		seq_printf(m, "processor_change_calls_%s %lu\n", ntc_pcc_state_names(s),
			   READ_ONCE(ntc_pcc_stats.calls[s]));
	seq_printf(m, "processor_change_vetoes %lu\n", READ_ONCE(ntc_pcc_stats.vetoes));
	n = READ_ONCE(ntc_pcc_stats.registered);
	seq_printf(m, "processor_change_registrations_live %lu\n",
		   n - min(n, READ_ONCE(ntc_pcc_stats.deregistered)));
	seq_printf(m, "processor_change_last_start_ns %llu\n",
		   READ_ONCE(ntc_pcc_stats.last_start_ns));
	seq_printf(m, "processor_change_last_complete_ns %llu\n",
		   READ_ONCE(ntc_pcc_stats.last_complete_ns));
}

static int ntc_stats_show(struct seq_file *m, void *v)
{
	static const char *const action[] = {
		[NTC_ARRIVAL] = "arrival",
		[NTC_REMOVAL] = "removal",
	};
	static const char *const class[] = {
		[NTC_CLASS_PROCESSOR] = "processor",
		[NTC_CLASS_MEMORY] = "memory",
	};
	unsigned long queued = 0, registered, dispatched, n;
	int c, a;

	for (c = 0; c < NTC_NR_CLASSES; c++) {
		for (a = NTC_ARRIVAL; a <= NTC_REMOVAL; a++) {
			n = READ_ONCE(ntc_stats.queued[c][a]);
			queued += n;
			seq_printf(m, "events_queued_%s_%s %lu\n", class[c],
				   action[a], n);
		}
	}
	dispatched = READ_ONCE(ntc_stats.dispatched);
	seq_printf(m, "events_dispatched %lu\n", dispatched);
	/* Read apart from each other: never let the difference go negative. */
	seq_printf(m, "events_pending %lu\n",
		   queued > dispatched ? queued - dispatched : 0);
	seq_printf(m, "events_suppressed %lu\n", READ_ONCE(ntc_stats.suppressed));
	seq_printf(m, "callbacks_delivered %lu\n", READ_ONCE(ntc_stats.callbacks));
	seq_printf(m, "callbacks_replayed %ld\n",
		   atomic_long_read(&ntc_stats.replayed));
	seq_printf(m, "event_latency_max_ns %llu\n",
		   READ_ONCE(ntc_stats.max_latency_ns));
	registered = READ_ONCE(ntc_stats.registered);
	n = READ_ONCE(ntc_stats.unregistered);
	seq_printf(m, "registrations_live %lu\n",
		   registered > n ? registered - n : 0);
	seq_printf(m, "registrations_total %lu\n", registered);
	seq_printf(m, "bad_calls %ld\n", atomic_long_read(&ntc_stats.bad_calls));
	seq_printf(m, "event_reserve_left %d\n", ntc_event_reserve_left());
	ntc_pcc_stats_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ntc_stats);

/*
 * Like every debugfs user, ntcompat works the same without it: a failure
 * here is not an error, and debugfs_remove_recursive() takes what exists.
 */
void ntc_introspect_init(void)
{
	ntc_debugfs_dir = debugfs_create_dir("ntcompat", NULL);
	debugfs_create_file("registrations", 0400, ntc_debugfs_dir, NULL,
			    &ntc_registrations_fops);
	debugfs_create_file("stats", 0400, ntc_debugfs_dir, NULL,
			    &ntc_stats_fops);
	debugfs_create_file("pool", 0400, ntc_debugfs_dir, NULL, ntc_pool_file);
	debugfs_create_file("processor_change", 0400, ntc_debugfs_dir, NULL,
			    &ntc_pcc_fops);
	debugfs_create_u32("fanout_delay_ms", 0600, ntc_debugfs_dir,
			   &ntc_fanout_delay_ms);
}

/* Returns once no reader is left in either file. */
void ntc_introspect_uninit(void)
{
	debugfs_remove_recursive(ntc_debugfs_dir);
}
