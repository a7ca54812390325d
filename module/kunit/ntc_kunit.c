// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for ntcompat's internals, built as ntc_kunit.ko on kernels
 * with KUnit (the debug lane) and run when it is loaded after ntcompat.ko:
 * the errno/NTSTATUS table, interface classes, the handle table and handle
 * validation, dispatch of an event posted as the CPU hotplug source posts
 * it, the fan-out array after most registrations left, unregistering from
 * inside a callback, the Windows timeout mapping, the event state machine
 * and the processor index round trip.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/smp.h>

#include "ntc.h"

#include <poclass.h>

static void ntc_test_status_round_trip(struct kunit *test)
{
	static const int errs[] = {
		0, -EINVAL, -ENOMEM, -EOPNOTSUPP, -EBADRQC, -ESHUTDOWN, -EBADF,
		-EACCES, -EOVERFLOW, -ENOENT, -EIO,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errs); i++)
		KUNIT_EXPECT_EQ(test, ntc_status_to_errno(ntc_errno_to_status(errs[i])),
				errs[i]);
	KUNIT_EXPECT_EQ(test, ntc_errno_to_status(-EINVAL), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, ntc_errno_to_status(-ENOMEM), STATUS_INSUFFICIENT_RESOURCES);
	KUNIT_EXPECT_EQ(test, ntc_status_to_errno(STATUS_NO_MEMORY), -ENOMEM);
}

static void ntc_test_status_unknown(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ntc_errno_to_status(-EXDEV), STATUS_UNSUCCESSFUL);
	KUNIT_EXPECT_EQ(test, ntc_status_to_errno(STATUS_PENDING), 0);
	KUNIT_EXPECT_EQ(test, ntc_status_to_errno(STATUS_TIMEOUT), 0);
	KUNIT_EXPECT_EQ(test, ntc_status_to_errno((NTSTATUS)0xC0001234), -EIO);
}

static void ntc_test_class_from_guid(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ntc_class_from_guid(&GUID_DEVICE_PROCESSOR),
			NTC_CLASS_PROCESSOR);
	KUNIT_EXPECT_EQ(test, ntc_class_from_guid(&GUID_DEVICE_MEMORY), NTC_CLASS_MEMORY);
	KUNIT_EXPECT_EQ(test, ntc_class_from_guid(&GUID_DEVICE_INTERFACE_ARRIVAL),
			-EOPNOTSUPP);
}

/* What a test callback saw. */
struct ntc_test_seen {
	int calls;
	USHORT version, size;
	bool arrival, class_ok;
	void *handle;		/* to unregister itself, when set */
	int self_ret;
};

static NTSTATUS ntc_test_cb(PVOID NotificationStructure, PVOID Context)
{
	PDEVICE_INTERFACE_CHANGE_NOTIFICATION n = NotificationStructure;
	struct ntc_test_seen *seen = Context;

	seen->calls++;
	seen->version = n->Version;
	seen->size = n->Size;
	seen->arrival = IsEqualGUID(&n->Event, &GUID_DEVICE_INTERFACE_ARRIVAL);
	seen->class_ok = IsEqualGUID(&n->InterfaceClassGuid, &GUID_DEVICE_PROCESSOR);
	if (seen->handle)
		seen->self_ret = ntc_unregister(seen->handle, true, THIS_MODULE);
	return STATUS_UNSUCCESSFUL;	/* ignored, as on Windows */
}

static DRIVER_OBJECT ntc_test_driver = {
	.Type = IO_TYPE_DRIVER,
	.Size = sizeof(DRIVER_OBJECT),
};

/*
 * An ARRIVAL for a CPU that is online already: what cpu.c posts, and it
 * leaves ntcompat's record of online CPUs as it was.
 */
static void ntc_test_post_arrival(void)
{
	ntc_event_post_cpu(NTC_ARRIVAL, raw_smp_processor_id());
	ntc_dispatch_kick();
	ntc_dispatch_flush();
}

static void ntc_test_handles(struct kunit *test)
{
	struct ntc_test_seen seen = { };
	int local;
	void *h;

	ntc_test_driver.NtcOwner = THIS_MODULE;
	KUNIT_EXPECT_EQ(test, ntc_unregister(NULL, false, THIS_MODULE), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntc_unregister(&local, true, THIS_MODULE), -EINVAL);
	KUNIT_ASSERT_EQ(test, ntc_register(NTC_CLASS_PROCESSOR, &ntc_test_driver,
					   ntc_test_cb, &seen, false, &h), 0);
	KUNIT_EXPECT_EQ(test, ntc_unregister(h, false, THIS_MODULE), 0);
	KUNIT_EXPECT_EQ(test, ntc_unregister(h, false, THIS_MODULE), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntc_unregister(h, true, THIS_MODULE), -EINVAL);
}

static void ntc_test_dispatch(struct kunit *test)
{
	struct ntc_test_seen proc = { }, mem = { };
	void *hp, *hm;

	ntc_test_driver.NtcOwner = THIS_MODULE;
	KUNIT_ASSERT_EQ(test, ntc_register(NTC_CLASS_PROCESSOR, &ntc_test_driver,
					   ntc_test_cb, &proc, false, &hp), 0);
	KUNIT_ASSERT_EQ(test, ntc_register(NTC_CLASS_MEMORY, &ntc_test_driver,
					   ntc_test_cb, &mem, false, &hm), 0);
	ntc_test_post_arrival();
	KUNIT_EXPECT_EQ(test, proc.calls, 1);
	KUNIT_EXPECT_EQ(test, proc.version, 1);
	KUNIT_EXPECT_EQ(test, proc.size, 48);
	KUNIT_EXPECT_TRUE(test, proc.arrival);
	KUNIT_EXPECT_TRUE(test, proc.class_ok);
	KUNIT_EXPECT_EQ(test, mem.calls, 0);

	KUNIT_EXPECT_EQ(test, ntc_unregister(hp, true, THIS_MODULE), 0);
	ntc_test_post_arrival();
	KUNIT_EXPECT_EQ(test, proc.calls, 1);
	KUNIT_EXPECT_EQ(test, ntc_unregister(hm, true, THIS_MODULE), 0);
}

static void ntc_test_unregister_in_callback(struct kunit *test)
{
	struct ntc_test_seen seen = { };
	void *h;

	ntc_test_driver.NtcOwner = THIS_MODULE;
	KUNIT_ASSERT_EQ(test, ntc_register(NTC_CLASS_PROCESSOR, &ntc_test_driver,
					   ntc_test_cb, &seen, false, &h), 0);
	seen.handle = h;
	ntc_test_post_arrival();	/* deadlocks here if Ex waits for itself */
	KUNIT_EXPECT_EQ(test, seen.calls, 1);
	KUNIT_EXPECT_EQ(test, seen.self_ret, 0);
	ntc_test_post_arrival();
	KUNIT_EXPECT_EQ(test, seen.calls, 1);
	KUNIT_EXPECT_EQ(test, ntc_unregister(h, true, THIS_MODULE), -EINVAL);
}

static void ntc_test_include_existing(struct kunit *test)
{
	struct ntc_test_seen seen = { };
	void *h;

	ntc_test_driver.NtcOwner = THIS_MODULE;
	KUNIT_ASSERT_EQ(test, ntc_register(NTC_CLASS_PROCESSOR, &ntc_test_driver,
					   ntc_test_cb, &seen, true, &h), 0);
	KUNIT_EXPECT_EQ(test, seen.calls, (int)num_online_cpus());
	KUNIT_EXPECT_EQ(test, ntc_unregister(h, true, THIS_MODULE), 0);
}

/* Values only grow, and a handle is found only by its kind and owner. */
static void ntc_test_handle_table(struct kunit *test)
{
	struct ntc_handle a = { }, b = { };
	struct module *other = (struct module *)&a;	/* any other owner */

	KUNIT_ASSERT_EQ(test, ntc_handle_publish(&a, NTC_HANDLE_PNP, THIS_MODULE), 0);
	KUNIT_ASSERT_EQ(test, ntc_handle_publish(&b, NTC_HANDLE_PNP, THIS_MODULE), 0);
	KUNIT_EXPECT_GT(test, b.value, a.value);
	KUNIT_EXPECT_NE(test, a.value, 0UL);
	KUNIT_EXPECT_PTR_EQ(test, ntc_handle_take((void *)a.value, NTC_HANDLE_PNP, other),
			    ERR_PTR(-EACCES));
	KUNIT_EXPECT_PTR_EQ(test, ntc_handle_take((void *)a.value, 0, THIS_MODULE),
			    ERR_PTR(-EINVAL));
	KUNIT_EXPECT_PTR_EQ(test, ntc_handle_take((void *)a.value, NTC_HANDLE_PNP,
						  THIS_MODULE), &a);
	KUNIT_EXPECT_PTR_EQ(test, ntc_handle_take((void *)a.value, NTC_HANDLE_PNP,
						  THIS_MODULE), ERR_PTR(-EINVAL));
	ntc_handle_unpublish(&b);
	KUNIT_EXPECT_PTR_EQ(test, ntc_handle_take((void *)b.value, NTC_HANDLE_PNP,
						  THIS_MODULE), ERR_PTR(-EINVAL));
}

#define NTC_TEST_REGS	64

static unsigned int ntc_test_order[NTC_TEST_REGS], ntc_test_ncalls;

static NTSTATUS ntc_test_order_cb(PVOID NotificationStructure, PVOID Context)
{
	if (ntc_test_ncalls < NTC_TEST_REGS)
		ntc_test_order[ntc_test_ncalls] = (uintptr_t)Context;
	ntc_test_ncalls++;
	return STATUS_SUCCESS;
}

/*
 * Unregistering most of many registrations squeezes the holes out of the
 * fan-out array: the survivors still get one callback each, in the order
 * they registered, and the others none.
 */
static void ntc_test_fanout_holes(struct kunit *test)
{
	void *h[NTC_TEST_REGS];
	unsigned int i, n = 0;

	ntc_test_driver.NtcOwner = THIS_MODULE;
	for (i = 0; i < NTC_TEST_REGS; i++)
		KUNIT_ASSERT_EQ(test, ntc_register(NTC_CLASS_PROCESSOR, &ntc_test_driver,
						   ntc_test_order_cb, (void *)(uintptr_t)i,
						   false, &h[i]), 0);
	for (i = 0; i < NTC_TEST_REGS; i++)
		if (i % 4)
			KUNIT_EXPECT_EQ(test, ntc_unregister(h[i], i & 1, THIS_MODULE), 0);
	ntc_test_ncalls = 0;
	ntc_test_post_arrival();
	KUNIT_EXPECT_EQ(test, ntc_test_ncalls, NTC_TEST_REGS / 4);
	for (i = 0; i < NTC_TEST_REGS; i += 4) {
		KUNIT_EXPECT_EQ(test, ntc_test_order[n++], i);
		KUNIT_EXPECT_EQ(test, ntc_unregister(h[i], true, THIS_MODULE), 0);
	}
}


/* The one mapping of Windows timeouts: 100 ns units, sign picks the kind. */
static void ntc_test_timeout(struct kunit *test)
{
	struct ntc_timeout to;
	LARGE_INTEGER t;

	ntc_timeout_from_nt(NULL, &to);
	KUNIT_EXPECT_TRUE(test, to.infinite);
	t.QuadPart = 0;
	ntc_timeout_from_nt(&t, &to);
	KUNIT_EXPECT_TRUE(test, to.poll);
	KUNIT_EXPECT_FALSE(test, to.infinite);
	t.QuadPart = -10000;			/* 1 ms from now */
	ntc_timeout_from_nt(&t, &to);
	KUNIT_EXPECT_TRUE(test, to.relative);
	KUNIT_EXPECT_FALSE(test, to.poll);
	KUNIT_EXPECT_EQ(test, to.value, 1000000);
	t.QuadPart = -1;			/* 100 ns */
	ntc_timeout_from_nt(&t, &to);
	KUNIT_EXPECT_EQ(test, to.value, 100);
	t.QuadPart = S64_MIN;			/* negating it would overflow */
	ntc_timeout_from_nt(&t, &to);
	KUNIT_EXPECT_TRUE(test, to.relative);
	KUNIT_EXPECT_EQ(test, to.value, KTIME_MAX);
	/* 1970-01-01 00:00:01 UTC as Windows counts from 1601. */
	t.QuadPart = 116444736000000000LL + 10000000;
	ntc_timeout_from_nt(&t, &to);
	KUNIT_EXPECT_FALSE(test, to.relative);
	KUNIT_EXPECT_EQ(test, to.value, NSEC_PER_SEC);
	t.QuadPart = 1;				/* 1601: long past */
	ntc_timeout_from_nt(&t, &to);
	KUNIT_EXPECT_FALSE(test, to.relative);
	KUNIT_EXPECT_EQ(test, to.value, 0);
	t.QuadPart = S64_MAX;			/* beyond ktime_t */
	ntc_timeout_from_nt(&t, &to);
	KUNIT_EXPECT_EQ(test, to.value, KTIME_MAX);
}

/* The event state machine, through zero-timeout waits (no sleeping). */
static void ntc_test_event_states(struct kunit *test)
{
	LARGE_INTEGER zero = { .QuadPart = 0 };
	KEVENT n, s, stray;
	PVOID both[2] = { &n, &s };

	memset(&stray, 0, sizeof(stray));
	KUNIT_EXPECT_FALSE(test, ntc_kevent_valid(&stray));
	KeInitializeEvent(&n, NotificationEvent, FALSE);
	KeInitializeEvent(&s, SynchronizationEvent, TRUE);
	KUNIT_EXPECT_TRUE(test, ntc_kevent_valid(&n));
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&n, Executive, KernelMode, FALSE, &zero),
			STATUS_TIMEOUT);
	/* A synchronization event is consumed by the wait it satisfies. */
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&s, Executive, KernelMode, FALSE, &zero),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&s), 0);
	/* A notification event is not. */
	KUNIT_EXPECT_EQ(test, KeSetEvent(&n, IO_NO_INCREMENT, FALSE), 0);
	KUNIT_EXPECT_EQ(test, KeWaitForSingleObject(&n, Executive, KernelMode, FALSE, &zero),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&n), 1);
	/* WaitAll takes both or neither. */
	KUNIT_EXPECT_EQ(test, KeWaitForMultipleObjects(2, both, WaitAll, Executive, KernelMode,
						       FALSE, &zero, NULL), STATUS_TIMEOUT);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&n), 1);
	KeSetEvent(&s, IO_NO_INCREMENT, FALSE);
	KUNIT_EXPECT_EQ(test, KeWaitForMultipleObjects(2, both, WaitAll, Executive, KernelMode,
						       FALSE, &zero, NULL), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&s), 0);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&n), 1);
	/* WaitAny: the lowest signaled index. */
	KeSetEvent(&s, IO_NO_INCREMENT, FALSE);
	KUNIT_EXPECT_EQ(test, KeWaitForMultipleObjects(2, both, WaitAny, Executive, KernelMode,
						       FALSE, &zero, NULL), STATUS_WAIT_0);
	KeResetEvent(&n);
	KUNIT_EXPECT_EQ(test, KeWaitForMultipleObjects(2, both, WaitAny, Executive, KernelMode,
						       FALSE, &zero, NULL), STATUS_WAIT_0 + 1);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&s), 0);
}

/* Index to number and back, for every possible CPU; garbage is refused. */
static void ntc_test_processor_index(struct kunit *test)
{
	PROCESSOR_NUMBER pn;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		KUNIT_ASSERT_EQ(test, KeGetProcessorNumberFromIndex(cpu, &pn), STATUS_SUCCESS);
		KUNIT_EXPECT_EQ(test, pn.Group * MAXIMUM_PROC_PER_GROUP + pn.Number, cpu);
		KUNIT_EXPECT_EQ(test, KeGetProcessorIndexFromNumber(&pn), cpu);
	}
	KUNIT_EXPECT_EQ(test, KeGetProcessorNumberFromIndex(nr_cpu_ids, &pn),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, KeGetProcessorIndexFromNumber(NULL), INVALID_PROCESSOR_INDEX);
	pn = (PROCESSOR_NUMBER){ .Group = 0, .Number = 0, .Reserved = 1 };
	KUNIT_EXPECT_EQ(test, KeGetProcessorIndexFromNumber(&pn), INVALID_PROCESSOR_INDEX);
	pn = (PROCESSOR_NUMBER){ .Group = 0, .Number = MAXIMUM_PROC_PER_GROUP };
	KUNIT_EXPECT_EQ(test, KeGetProcessorIndexFromNumber(&pn), INVALID_PROCESSOR_INDEX);
	pn = (PROCESSOR_NUMBER){ .Group = nr_cpu_ids / MAXIMUM_PROC_PER_GROUP + 1 };
	KUNIT_EXPECT_EQ(test, KeGetProcessorIndexFromNumber(&pn), INVALID_PROCESSOR_INDEX);
}

static struct kunit_case ntc_test_cases[] = {
	KUNIT_CASE(ntc_test_status_round_trip),
	KUNIT_CASE(ntc_test_status_unknown),
	KUNIT_CASE(ntc_test_class_from_guid),
	KUNIT_CASE(ntc_test_handles),
	KUNIT_CASE(ntc_test_dispatch),
	KUNIT_CASE(ntc_test_unregister_in_callback),
	KUNIT_CASE(ntc_test_include_existing),
	KUNIT_CASE(ntc_test_handle_table),
	KUNIT_CASE(ntc_test_fanout_holes),
	KUNIT_CASE(ntc_test_timeout),
	KUNIT_CASE(ntc_test_event_states),
	KUNIT_CASE(ntc_test_processor_index),
	{}
};

static struct kunit_suite ntc_test_suite = {
	.name = "ntcompat",
	.test_cases = ntc_test_cases,
};
kunit_test_suite(ntc_test_suite);

MODULE_IMPORT_NS(NTC_NS(NTCOMPAT_KUNIT));
/* The GUIDs; ntc.h, unlike wdm.h alone, does not import the namespace. */
MODULE_IMPORT_NS(NTC_EXPORT_NS);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for ntcompat's internals");
