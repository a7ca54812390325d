// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the pure parts of the primitives, built as
 * ntc_kunit_prims.ko beside ntc_kunit.ko: the one pool-flags-to-gfp mapping
 * and the POOL_TYPE conversion, the pool's accounting and block layout, and
 * the Interlocked operations, alone and raced on every CPU.
 */
#include <kunit/test.h>
#include <linux/module.h>
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

static struct kunit_case ntc_prims_cases[] = {
	KUNIT_CASE(ntc_test_pool_gfp),
	KUNIT_CASE(ntc_test_pool_types),
	KUNIT_CASE(ntc_test_pool_accounting),
	KUNIT_CASE(ntc_test_pool_layout),
	KUNIT_CASE(ntc_test_interlocked),
	KUNIT_CASE(ntc_test_interlocked_race),
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
