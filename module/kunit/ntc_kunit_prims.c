// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the pure parts of the primitives, built as
 * ntc_kunit_prims.ko beside ntc_kunit.ko: the one pool-flags-to-gfp mapping
 * and the POOL_TYPE conversion, the pool's accounting and block layout, and
 * the Interlocked operations, alone and raced on every CPU; and moving a
 * thread onto a CPU that went down after its mask was checked.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/smp.h>

#include "ntc.h"

#define NTC_KUNIT_TAG	0x74696e4b	/* 'tinK', "Knit" in the pool file */

static void ntc_test_pool_gfp(struct kunit *test)
{
	gfp_t gfp = 0;

	KUNIT_EXPECT_EQ(test, ntc_pool_gfp(POOL_FLAG_NON_PAGED, false, &gfp), 0);
	KUNIT_EXPECT_EQ(test, gfp, GFP_KERNEL | __GFP_NOWARN | __GFP_ZERO);
	KUNIT_EXPECT_EQ(test, ntc_pool_gfp(POOL_FLAG_NON_PAGED, true, &gfp), 0);
	KUNIT_EXPECT_EQ(test, gfp, GFP_ATOMIC | __GFP_NOWARN | __GFP_ZERO);
	KUNIT_EXPECT_EQ(test, ntc_pool_gfp(POOL_FLAG_PAGED | POOL_FLAG_UNINITIALIZED,
					   false, &gfp), 0);
	KUNIT_EXPECT_EQ(test, gfp, GFP_KERNEL | __GFP_NOWARN);
	/* Known required modifiers and unknown optional flags pass. */
	KUNIT_EXPECT_EQ(test, ntc_pool_gfp(POOL_FLAG_NON_PAGED | POOL_FLAG_USE_QUOTA |
					   POOL_FLAG_SESSION | POOL_FLAG_CACHE_ALIGNED |
					   POOL_FLAG_RAISE_ON_FAILURE | POOL_FLAG_SPECIAL_POOL |
					   (1ULL << 63), true, &gfp), 0);
	KUNIT_EXPECT_EQ(test, ntc_pool_gfp(POOL_FLAG_PAGED, true, &gfp), -EBADRQC);
	KUNIT_EXPECT_EQ(test, ntc_pool_gfp(POOL_FLAG_NON_PAGED_EXECUTE, false, &gfp),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, ntc_pool_gfp(0, false, &gfp), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntc_pool_gfp(POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED, false, &gfp),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ntc_pool_gfp(POOL_FLAG_NON_PAGED | POOL_FLAG_RESERVED1, false,
					   &gfp), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntc_pool_gfp(POOL_FLAG_NON_PAGED | (1ULL << 31), false, &gfp),
			-EINVAL);
}

static void ntc_test_pool_types(struct kunit *test)
{
	static const struct {
		int type;
		POOL_FLAGS flags;
	} ok[] = {
		{ NonPagedPool, POOL_FLAG_NON_PAGED },
		{ NonPagedPoolNx, POOL_FLAG_NON_PAGED },
		{ NonPagedPoolMustSucceed, POOL_FLAG_NON_PAGED },
		{ PagedPool, POOL_FLAG_PAGED },
		{ NonPagedPoolCacheAligned, POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED },
		{ NonPagedPoolNxCacheAligned, POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED },
		{ PagedPoolCacheAligned, POOL_FLAG_PAGED | POOL_FLAG_CACHE_ALIGNED },
		{ PagedPoolSession, POOL_FLAG_PAGED | POOL_FLAG_SESSION },
		{ NonPagedPoolSessionNx, POOL_FLAG_NON_PAGED | POOL_FLAG_SESSION },
		{ PagedPool | POOL_RAISE_IF_ALLOCATION_FAILURE,
		  POOL_FLAG_PAGED | POOL_FLAG_RAISE_ON_FAILURE },
		{ NonPagedPool | POOL_QUOTA_FAIL_INSTEAD_OF_RAISE, POOL_FLAG_NON_PAGED },
	};
	static const int bad[] = {
		DontUseThisType, MaxPoolType, DontUseThisTypeSession, PagedPool | NonPagedPoolNx,
		1024, -1,
	};
	POOL_FLAGS flags;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		KUNIT_EXPECT_EQ(test, ntc_pool_type_flags(ok[i].type, &flags), 0);
		KUNIT_EXPECT_EQ(test, flags, ok[i].flags | POOL_FLAG_UNINITIALIZED);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ(test, ntc_pool_type_flags(bad[i], &flags), -EINVAL);
}

static void ntc_test_pool_accounting(struct kunit *test)
{
	long bad = atomic_long_read(&ntc_stats.bad_calls);
	struct ntc_pool_count u;
	u8 *a, *b;

	KUNIT_EXPECT_FALSE(test, ntc_pool_usage(NTC_KUNIT_TAG, THIS_MODULE, &u));
	a = ExAllocatePool2(POOL_FLAG_NON_PAGED, 10, NTC_KUNIT_TAG);
	b = ExAllocatePoolWithTag(PagedPool, 20, NTC_KUNIT_TAG);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_TRUE(test, ntc_pool_usage(NTC_KUNIT_TAG, THIS_MODULE, &u));
	KUNIT_EXPECT_EQ(test, u.allocs, 2UL);
	KUNIT_EXPECT_EQ(test, u.frees, 0UL);
	KUNIT_EXPECT_EQ(test, u.bytes, 30L);
	ExFreePoolWithTag(a, NTC_KUNIT_TAG);
	ntc_pool_usage(NTC_KUNIT_TAG, THIS_MODULE, &u);
	KUNIT_EXPECT_EQ(test, u.frees, 1UL);
	KUNIT_EXPECT_EQ(test, u.bytes, 20L);
	/* Refused frees change no count. */
	ExFreePool(a);
	ExFreePoolWithTag(b, NTC_KUNIT_TAG + 1);
	ntc_pool_usage(NTC_KUNIT_TAG, THIS_MODULE, &u);
	KUNIT_EXPECT_EQ(test, u.frees, 1UL);
	KUNIT_EXPECT_EQ(test, u.bytes, 20L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&ntc_stats.bad_calls), bad + 2);
	ExFreePool(b);
	ntc_pool_usage(NTC_KUNIT_TAG, THIS_MODULE, &u);
	KUNIT_EXPECT_EQ(test, u.allocs, u.frees);
	KUNIT_EXPECT_EQ(test, u.bytes, 0L);
	/* As when a driver unloads: a record that holds nothing goes. */
	ntc_pool_driver_gone(THIS_MODULE);
	KUNIT_EXPECT_FALSE(test, ntc_pool_usage(NTC_KUNIT_TAG, THIS_MODULE, &u));
}

static void ntc_test_pool_layout(struct kunit *test)
{
	u8 *p;
	size_t i;

	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 100, NTC_KUNIT_TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, (unsigned long)p % 16, 0UL);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, p[i], 0);
	ExFreePool(p);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, 1, NTC_KUNIT_TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, (unsigned long)p % L1_CACHE_BYTES, 0UL);
	ExFreePool(p);
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED, SIZE_MAX - 8,
						NTC_KUNIT_TAG));
	ntc_pool_driver_gone(THIS_MODULE);
}

static void ntc_test_interlocked(struct kunit *test)
{
	LONG v = 0x7fffffff;
	LONG64 w = 1;
	PVOID p = NULL;

	KUNIT_EXPECT_EQ(test, InterlockedIncrement(&v), (LONG)0x80000000);
	KUNIT_EXPECT_EQ(test, InterlockedDecrement(&v), 0x7fffffff);
	KUNIT_EXPECT_EQ(test, InterlockedExchange(&v, 3), 0x7fffffff);
	KUNIT_EXPECT_EQ(test, InterlockedCompareExchange(&v, 4, 2), 3);
	KUNIT_EXPECT_EQ(test, v, 3);
	KUNIT_EXPECT_EQ(test, InterlockedCompareExchange(&v, 4, 3), 3);
	KUNIT_EXPECT_EQ(test, v, 4);
	KUNIT_EXPECT_EQ(test, InterlockedExchangeAdd(&v, -5), 4);
	KUNIT_EXPECT_EQ(test, v, -1);
	KUNIT_EXPECT_EQ(test, InterlockedAnd(&v, 0xf0), -1);
	KUNIT_EXPECT_EQ(test, InterlockedOr(&v, 0x0f), 0xf0);
	KUNIT_EXPECT_EQ(test, v, 0xff);
	KUNIT_EXPECT_EQ(test, InterlockedExchangeAdd64(&w, 1LL << 40), 1LL);
	KUNIT_EXPECT_EQ(test, InterlockedCompareExchange64(&w, 0, (1LL << 40) + 1),
			(1LL << 40) + 1);
	KUNIT_EXPECT_EQ(test, w, 0LL);
	KUNIT_EXPECT_EQ(test, InterlockedDecrement64(&w), -1LL);
	KUNIT_EXPECT_PTR_EQ(test, InterlockedExchangePointer(&p, &v), NULL);
	KUNIT_EXPECT_PTR_EQ(test, InterlockedCompareExchangePointer(&p, &w, NULL), &v);
	KUNIT_EXPECT_PTR_EQ(test, InterlockedCompareExchangePointer(&p, &w, &v), &v);
	KUNIT_EXPECT_PTR_EQ(test, p, &w);
}

#define NTC_RACE_ROUNDS	20000

static void ntc_race(void *arg)
{
	LONG *v = arg;
	int i;

	for (i = 0; i < NTC_RACE_ROUNDS; i++) {
		InterlockedIncrement(&v[0]);
		InterlockedExchangeAdd(&v[1], 2);
		InterlockedOr(&v[2], 1 << smp_processor_id() % 31);
	}
}

/* Every online CPU at once (IPIs run together): no increment may be lost. */
static void ntc_test_interlocked_race(struct kunit *test)
{
	LONG v[3] = { 0 };
	LONG cpus = 0;
	int cpu;

	on_each_cpu(ntc_race, v, 1);
	for_each_online_cpu(cpu)
		cpus |= 1 << cpu % 31;
	KUNIT_EXPECT_EQ(test, v[0], NTC_RACE_ROUNDS * (LONG)num_online_cpus());
	KUNIT_EXPECT_EQ(test, v[1], 2 * NTC_RACE_ROUNDS * (LONG)num_online_cpus());
	KUNIT_EXPECT_EQ(test, v[2], cpus);
}

/*
 * A CPU held in the middle of going offline: online, no longer active,
 * by a hotplug state of the test's own whose teardown waits for @release.
 */
static struct ntc_hold {
	unsigned int cpu;
	int offline;			/* remove_cpu()'s answer */
	struct completion entered, release, done;
} ntc_hold;

static int ntc_hold_teardown(unsigned int cpu)
{
	if (cpu == ntc_hold.cpu) {
		complete(&ntc_hold.entered);
		wait_for_completion_timeout(&ntc_hold.release, 60 * HZ);
	}
	return 0;
}

static int ntc_hold_offline(void *unused)
{
	ntc_hold.offline = remove_cpu(ntc_hold.cpu);
	complete(&ntc_hold.done);
	return 0;
}

/* The caller runs on a CPU of @mask, and may run on no other. */
static bool ntc_kept_to(const struct cpumask *mask)
{
	bool ok;

	preempt_disable();
	ok = cpumask_test_cpu(smp_processor_id(), mask) &&
	     cpumask_subset(current->cpus_ptr, mask);
	preempt_enable();
	return ok;
}

/*
 * The window between ntc_affinity_to_mask()'s check and the move, held
 * open: a thread asks for a CPU that is online but going down, which
 * set_cpus_allowed_ptr() accepts for a kernel thread and cannot move it
 * onto. Alone, it must be refused; with CPU 0 beside it, the thread must
 * end on CPU 0, whichever of the two the kernel tries first. kunit.sh
 * hot-adds the CPUs: the last online is held, the thread starts on the
 * one before, in neither mask.
 */
static void ntc_test_affinity_dying_cpu(struct kunit *test)
{
	struct ntc_hold *h = &ntc_hold;
	unsigned int cpu, start, round;
	struct task_struct *task;
	cpumask_var_t own, two;
	int state, ret;

	cpu = cpumask_last(cpu_online_mask);
	start = cpumask_next(0, cpu_online_mask);
	if (!cpu_online(0) || start >= cpu)
		kunit_skip(test, "needs CPU 0 and two more online");
	if (!alloc_cpumask_var(&own, GFP_KERNEL))
		kunit_skip(test, "no memory");
	if (!alloc_cpumask_var(&two, GFP_KERNEL)) {
		free_cpumask_var(own);
		kunit_skip(test, "no memory");
	}
	cpumask_copy(own, current->cpus_ptr);
	cpumask_copy(two, cpumask_of(0));
	cpumask_set_cpu(cpu, two);

	h->cpu = cpu;
	init_completion(&h->entered);
	init_completion(&h->release);
	init_completion(&h->done);
	state = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "ntc_kunit:hold",
					  NULL, ntc_hold_teardown);
	KUNIT_ASSERT_GE(test, state, 0);
	task = kthread_run(ntc_hold_offline, NULL, "ntc_kunit_hold");
	if (IS_ERR(task)) {
		KUNIT_FAIL(test, "no thread to take CPU %u down", cpu);
		goto out_state;
	}
	if (!wait_for_completion_timeout(&h->entered, 60 * HZ)) {
		KUNIT_FAIL(test, "CPU %u's teardown never reached the hold", cpu);
		goto out_cpu;
	}
	KUNIT_EXPECT_TRUE(test, cpu_online(cpu));
	KUNIT_EXPECT_FALSE(test, cpu_active(cpu));

	ret = ntc_affinity_move(cpumask_of(cpu));
	KUNIT_EXPECT_EQ_MSG(test, ret, -EAGAIN, "moved onto CPU %u alone", cpu);
	KUNIT_EXPECT_NE(test, raw_smp_processor_id(), cpu);

	/* Each round from @start; the kernel's pick of the two rotates. */
	for (round = 0; round < 4; round++) {
		ret = set_cpus_allowed_ptr(current, cpumask_of(start));
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "round %u: onto CPU %u", round, start);
		if (ret)
			break;
		ret = ntc_affinity_move(two);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "round %u", round);
		KUNIT_EXPECT_TRUE_MSG(test, ntc_kept_to(two),
				      "round %u: on CPU %u, mask %*pbl", round,
				      raw_smp_processor_id(), cpumask_pr_args(current->cpus_ptr));
		KUNIT_EXPECT_EQ_MSG(test, raw_smp_processor_id(), 0, "round %u", round);
	}
out_cpu:
	complete(&h->release);
	if (wait_for_completion_timeout(&h->done, 60 * HZ)) {
		KUNIT_EXPECT_EQ(test, h->offline, 0);
		KUNIT_EXPECT_EQ(test, add_cpu(cpu), 0);
	} else {
		KUNIT_FAIL(test, "CPU %u never went down", cpu);
	}
out_state:
	cpuhp_remove_state_nocalls(state);
	set_cpus_allowed_ptr(current, own);
	free_cpumask_var(two);
	free_cpumask_var(own);
}

static struct kunit_case ntc_prims_cases[] = {
	KUNIT_CASE(ntc_test_pool_gfp),
	KUNIT_CASE(ntc_test_pool_types),
	KUNIT_CASE(ntc_test_pool_accounting),
	KUNIT_CASE(ntc_test_pool_layout),
	KUNIT_CASE(ntc_test_interlocked),
	KUNIT_CASE(ntc_test_interlocked_race),
	KUNIT_CASE(ntc_test_affinity_dying_cpu),
	{}
};

static struct kunit_suite ntc_prims_suite = {
	.name = "ntcompat_prims",
	.test_cases = ntc_prims_cases,
};
kunit_test_suite(ntc_prims_suite);

MODULE_IMPORT_NS(NTC_NS(NTCOMPAT_KUNIT));
MODULE_IMPORT_NS(NTC_EXPORT_NS);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for ntcompat's primitives");
