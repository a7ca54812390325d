// SPDX-License-Identifier: GPL-2.0
/*
 * Thread affinity, groups and NUMA nodes.
 *
 * Group n is Linux CPUs 64n to 64n + 63, as for the processor queries. A
 * thread's "own" affinity, the one a zeroed previous affinity reverts to,
 * is the mask it had before its first KeSetSystem*AffinityThread*() call;
 * Linux keeps no such thing, so ntcompat records it, per thread, from that
 * first call until the thread is back on it. A record holds a reference
 * on its task; records a driver never reverted are freed at unload.
 */
#include <linux/cpumask.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/topology.h>

#include "ntc.h"

struct ntc_affinity {
	struct hlist_node node;
	struct task_struct *task;
	cpumask_var_t own;
};

static DEFINE_MUTEX(ntc_affinity_lock);
static DEFINE_HASHTABLE(ntc_affinities, 6);

static struct ntc_affinity *ntc_affinity_find(struct task_struct *task)
{
	struct ntc_affinity *a;

	hash_for_each_possible(ntc_affinities, a, node, (unsigned long)task)
		if (a->task == task)
			return a;
	return NULL;
}

static void ntc_affinity_free(struct ntc_affinity *a)
{
	hash_del(&a->node);
	put_task_struct(a->task);
	free_cpumask_var(a->own);
	kfree(a);
}

/* @mask's CPUs in @group, as a KAFFINITY. */
static KAFFINITY ntc_group_mask(const struct cpumask *mask, unsigned int group)
{
	unsigned int cpu, first = group * MAXIMUM_PROC_PER_GROUP;
	KAFFINITY m = 0;

	for_each_cpu(cpu, mask) {
		if (cpu < first)
			continue;
		if (cpu >= first + MAXIMUM_PROC_PER_GROUP)
			break;
		m |= (KAFFINITY)1 << (cpu - first);
	}
	return m;
}

/* The CPUs of a group affinity; false if none is active or it is malformed. */
static bool ntc_affinity_to_mask(const GROUP_AFFINITY *ga, struct cpumask *mask)
{
	unsigned int bit, cpu;

	if (ga->Reserved[0] || ga->Reserved[1] || ga->Reserved[2])
		return false;
	cpumask_clear(mask);
	for (bit = 0; bit < MAXIMUM_PROC_PER_GROUP; bit++) {
		if (!(ga->Mask & ((KAFFINITY)1 << bit)))
			continue;
		cpu = ga->Group * MAXIMUM_PROC_PER_GROUP + bit;
		if (cpu < nr_cpu_ids && cpu_active(cpu))
			cpumask_set_cpu(cpu, mask);
	}
	return !cpumask_empty(mask);
}

/* The calling thread's affinity, as Windows reports it (see the header). */
static void ntc_current_affinity(GROUP_AFFINITY *ga)
{
	unsigned int first = cpumask_first(current->cpus_ptr);

	memset(ga, 0, sizeof(*ga));
	if (first >= nr_cpu_ids)
		return;
	ga->Group = first / MAXIMUM_PROC_PER_GROUP;
	ga->Mask = ntc_group_mask(current->cpus_ptr, ga->Group);
}

/*
 * @mask (active CPUs only, see ntc_affinity_to_mask()) is the thread's
 * own affinity as far as the active CPUs go: what a driver reverting to
 * the previous affinity it was given asks for, since that names the
 * processors a group mask can, not the CPUs Linux may bring up later.
 */
static bool ntc_affinity_is_own(const struct ntc_affinity *a,
				const struct cpumask *mask)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpu_active_mask)
		if (cpumask_test_cpu(cpu, a->own) != cpumask_test_cpu(cpu, mask))
			return false;
	return true;
}

/* The caller's mask is @mask, and it runs on one of its CPUs. */
static bool ntc_runs_on(const struct cpumask *mask)
{
	bool ok;

	preempt_disable();
	ok = cpumask_test_cpu(smp_processor_id(), mask) &&
	     cpumask_equal(current->cpus_ptr, mask);
	preempt_enable();
	return ok;
}

/*
 * Give the caller @mask and move it there. set_cpus_allowed_ptr() lets a
 * kernel thread have a CPU that is still online but already going down,
 * and then cannot move it there: the thread goes on running where it was,
 * outside its new mask (PREEMPT_RT's migrate_enable() warns of that), or,
 * if it slept meanwhile, its wake-up finds no CPU of the mask it may run
 * on and the kernel widens the mask to every CPU. Then try what of @mask
 * is still active; each try loses the CPU that went down under the one
 * before. 0, or a negative errno with the thread's mask not @mask.
 */
int ntc_affinity_move(const struct cpumask *mask)
{
	cpumask_var_t left;
	unsigned int tries;
	int ret;

	ret = set_cpus_allowed_ptr(current, mask);
	if (ret || ntc_runs_on(mask))
		return ret;
	if (!alloc_cpumask_var(&left, GFP_KERNEL))
		return -ENOMEM;
	ret = -EAGAIN;
	for (tries = 0; tries < nr_cpu_ids; tries++) {
		if (!cpumask_and(left, mask, cpu_active_mask) ||
		    set_cpus_allowed_ptr(current, left))
			break;
		if (ntc_runs_on(left)) {
			ret = 0;
			break;
		}
	}
	free_cpumask_var(left);
	return ret;
}
NTC_EXPORT_FOR_KUNIT(ntc_affinity_move);

/*
 * Move the caller onto @mask, recording its own affinity first if this is
 * its first change. 0 or a negative errno (nothing changed).
 */
static int ntc_affinity_set(const struct cpumask *mask)
{
	struct ntc_affinity *a;
	cpumask_var_t before;
	int ret;

	if (!alloc_cpumask_var(&before, GFP_KERNEL))
		return -ENOMEM;
	mutex_lock(&ntc_affinity_lock);
	a = ntc_affinity_find(current);
	if (!a) {
		a = kzalloc(sizeof(*a), GFP_KERNEL);
		if (!a || !zalloc_cpumask_var(&a->own, GFP_KERNEL)) {
			kfree(a);
			ret = -ENOMEM;
			goto out;
		}
		cpumask_copy(a->own, current->cpus_ptr);
		a->task = get_task_struct(current);
		hash_add(ntc_affinities, &a->node, (unsigned long)current);
	}
	/* Its own, whole: the CPUs not yet present included. */
	if (ntc_affinity_is_own(a, mask))
		mask = a->own;
	cpumask_copy(before, current->cpus_ptr);
	ret = ntc_affinity_move(mask);
	/* All of @mask went down meanwhile: back where it was, on a CPU it had. */
	if (ret)
		set_cpus_allowed_ptr(current, before);
	/* Back on its own mask (or never off it): nothing to remember. */
	if (cpumask_equal(current->cpus_ptr, a->own))
		ntc_affinity_free(a);
out:
	mutex_unlock(&ntc_affinity_lock);
	free_cpumask_var(before);
	return ret;
}

/* Back to the caller's own affinity, if it has left it. */
static void ntc_affinity_revert_own(void)
{
	struct ntc_affinity *a;

	mutex_lock(&ntc_affinity_lock);
	a = ntc_affinity_find(current);
	if (a) {
		ntc_affinity_move(a->own);
		ntc_affinity_free(a);
	}
	mutex_unlock(&ntc_affinity_lock);
}

VOID KeSetSystemGroupAffinityThread(PGROUP_AFFINITY Affinity,
				    PGROUP_AFFINITY PreviousAffinity)
{
	GROUP_AFFINITY prev;
	cpumask_var_t mask;

	memset(&prev, 0, sizeof(prev));
	if (!Affinity || KeGetCurrentIrql() != PASSIVE_LEVEL) {
		ntc_ke_bad_call("%s", Affinity ? "called at DISPATCH_LEVEL" : "NULL Affinity");
		goto out;
	}
	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		goto out;
	/* The documented answer to an invalid affinity: no change, zeroes. */
	if (ntc_affinity_to_mask(Affinity, mask)) {
		ntc_current_affinity(&prev);
		if (ntc_affinity_set(mask))
			memset(&prev, 0, sizeof(prev));
	}
	free_cpumask_var(mask);
out:
	if (PreviousAffinity)
		*PreviousAffinity = prev;
}
EXPORT_SYMBOL_NS_GPL(KeSetSystemGroupAffinityThread, NTC_EXPORT_NS);

VOID KeRevertToUserGroupAffinityThread(PGROUP_AFFINITY PreviousAffinity)
{
	cpumask_var_t mask;

	if (!PreviousAffinity || KeGetCurrentIrql() != PASSIVE_LEVEL) {
		ntc_ke_bad_call("%s", PreviousAffinity ? "called at DISPATCH_LEVEL" :
				"NULL PreviousAffinity");
		return;
	}
	if (!PreviousAffinity->Mask) {
		ntc_affinity_revert_own();
		return;
	}
	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return;
	if (ntc_affinity_to_mask(PreviousAffinity, mask))
		ntc_affinity_set(mask);
	else
		ntc_ke_bad_call("no active processor in group %u mask %#lx",
				PreviousAffinity->Group, PreviousAffinity->Mask);
	free_cpumask_var(mask);
}
EXPORT_SYMBOL_NS_GPL(KeRevertToUserGroupAffinityThread, NTC_EXPORT_NS);

KAFFINITY KeSetSystemAffinityThreadEx(KAFFINITY Affinity)
{
	GROUP_AFFINITY ga = { .Mask = Affinity }, prev;

	if (KeGetCurrentIrql() != PASSIVE_LEVEL) {
		ntc_ke_bad_call("called at DISPATCH_LEVEL");
		return 0;
	}
	KeSetSystemGroupAffinityThread(&ga, &prev);
	return prev.Group == 0 ? prev.Mask : 0;
}
EXPORT_SYMBOL_NS_GPL(KeSetSystemAffinityThreadEx, NTC_EXPORT_NS);

VOID KeRevertToUserAffinityThreadEx(KAFFINITY Affinity)
{
	GROUP_AFFINITY ga = { .Mask = Affinity };

	if (KeGetCurrentIrql() != PASSIVE_LEVEL) {
		ntc_ke_bad_call("called at DISPATCH_LEVEL");
		return;
	}
	KeRevertToUserGroupAffinityThread(&ga);
}
EXPORT_SYMBOL_NS_GPL(KeRevertToUserAffinityThreadEx, NTC_EXPORT_NS);

USHORT KeQueryActiveGroupCount(void)
{
	unsigned int cpu, last = 0;

	for_each_online_cpu(cpu)
		last = cpu;
	return last / MAXIMUM_PROC_PER_GROUP + 1;
}
EXPORT_SYMBOL_NS_GPL(KeQueryActiveGroupCount, NTC_EXPORT_NS);

USHORT KeQueryMaximumGroupCount(void)
{
	return DIV_ROUND_UP(nr_cpu_ids, MAXIMUM_PROC_PER_GROUP);
}
EXPORT_SYMBOL_NS_GPL(KeQueryMaximumGroupCount, NTC_EXPORT_NS);

KAFFINITY KeQueryGroupAffinity(USHORT GroupNumber)
{
	return ntc_group_mask(cpu_online_mask, GroupNumber);
}
EXPORT_SYMBOL_NS_GPL(KeQueryGroupAffinity, NTC_EXPORT_NS);

USHORT KeQueryHighestNodeNumber(void)
{
	unsigned int node, last = 0;

	for_each_node(node)
		last = node;
	return last;
}
EXPORT_SYMBOL_NS_GPL(KeQueryHighestNodeNumber, NTC_EXPORT_NS);

USHORT KeGetCurrentNodeNumber(void)
{
	return cpu_to_node(raw_smp_processor_id());
}
EXPORT_SYMBOL_NS_GPL(KeGetCurrentNodeNumber, NTC_EXPORT_NS);

VOID KeQueryNodeActiveAffinity(USHORT NodeNumber, PGROUP_AFFINITY Affinity, PUSHORT Count)
{
	unsigned int cpu, first = nr_cpu_ids, n = 0;

	if (NodeNumber < nr_node_ids && node_online(NodeNumber)) {
		for_each_cpu_and(cpu, cpumask_of_node(NodeNumber), cpu_online_mask) {
			if (first == nr_cpu_ids)
				first = cpu;
			n++;
		}
	}
	if (Affinity) {
		memset(Affinity, 0, sizeof(*Affinity));
		if (n) {
			Affinity->Group = first / MAXIMUM_PROC_PER_GROUP;
			Affinity->Mask = ntc_group_mask(cpumask_of_node(NodeNumber),
							Affinity->Group) &
					 ntc_group_mask(cpu_online_mask, Affinity->Group);
		}
	}
	if (Count)
		*Count = n;
}
EXPORT_SYMBOL_NS_GPL(KeQueryNodeActiveAffinity, NTC_EXPORT_NS);

/* At unload: threads that never reverted keep their affinity. */
void ntc_affinity_uninit(void)
{
	struct ntc_affinity *a;
	struct hlist_node *tmp;
	unsigned int bkt;

	mutex_lock(&ntc_affinity_lock);
	hash_for_each_safe(ntc_affinities, bkt, tmp, a, node)
		ntc_affinity_free(a);
	mutex_unlock(&ntc_affinity_lock);
}
