/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/ex_pool.h - pool: ExAllocatePool2, ExAllocatePoolWithTag, ExFreePool.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes.
 *
 * Every block carries its tag and the module that allocated it; root reads
 * the totals per tag and module, as poolmon shows them, in
 * /sys/kernel/debug/ntcompat/pool, and what a driver still holds when it
 * unloads is logged by tag. Linux has no pageable kernel heap: paged and
 * non-paged pool are both the kernel's slab (or vmalloc, for large blocks
 * allocated where the caller may sleep).
 */
#ifndef _NTCOMPAT_NT_EX_POOL_H
#define _NTCOMPAT_NT_EX_POOL_H

#include <linux/export.h>

#include <ntdef.h>

struct module;

/* The legacy pool types; ExAllocatePoolWithTag() takes one. */
typedef enum _POOL_TYPE {
	NonPagedPool = 0,
	NonPagedPoolExecute = 0,
	PagedPool = 1,
	NonPagedPoolMustSucceed = 2,
	DontUseThisType = 3,
	NonPagedPoolCacheAligned = 4,
	PagedPoolCacheAligned = 5,
	NonPagedPoolCacheAlignedMustS = 6,
	MaxPoolType = 7,
	NonPagedPoolBase = 0,
	NonPagedPoolBaseMustSucceed = 2,
	NonPagedPoolBaseCacheAligned = 4,
	NonPagedPoolBaseCacheAlignedMustS = 6,
	NonPagedPoolSession = 32,
	PagedPoolSession = 33,
	NonPagedPoolMustSucceedSession = 34,
	DontUseThisTypeSession = 35,
	NonPagedPoolCacheAlignedSession = 36,
	PagedPoolCacheAlignedSession = 37,
	NonPagedPoolCacheAlignedMustSSession = 38,
	NonPagedPoolNx = 512,
	NonPagedPoolNxCacheAligned = 516,
	NonPagedPoolSessionNx = 544,
} POOL_TYPE;

/* Modifiers a POOL_TYPE may carry. */
#define POOL_QUOTA_FAIL_INSTEAD_OF_RAISE	8
#define POOL_RAISE_IF_ALLOCATION_FAILURE	16

/*
 * ExAllocatePool2() flags. The low 32 bits are required flags, which must
 * all be known; the high 32 bits are optional, and unknown ones are ignored.
 */
typedef ULONG64 POOL_FLAGS;

#define POOL_FLAG_REQUIRED_START	0x0000000000000001ULL
#define POOL_FLAG_USE_QUOTA		0x0000000000000001ULL
#define POOL_FLAG_UNINITIALIZED		0x0000000000000002ULL
#define POOL_FLAG_SESSION		0x0000000000000004ULL
#define POOL_FLAG_CACHE_ALIGNED		0x0000000000000008ULL
#define POOL_FLAG_RESERVED1		0x0000000000000010ULL
#define POOL_FLAG_RAISE_ON_FAILURE	0x0000000000000020ULL
#define POOL_FLAG_NON_PAGED		0x0000000000000040ULL
#define POOL_FLAG_NON_PAGED_EXECUTE	0x0000000000000080ULL
#define POOL_FLAG_PAGED			0x0000000000000100ULL
#define POOL_FLAG_RESERVED2		0x0000000000000200ULL
#define POOL_FLAG_RESERVED3		0x0000000000000400ULL
#define POOL_FLAG_REQUIRED_END		0x0000000080000000ULL
#define POOL_FLAG_OPTIONAL_START	0x0000000100000000ULL
#define POOL_FLAG_SPECIAL_POOL		0x0000000100000000ULL
#define POOL_FLAG_OPTIONAL_END		0x8000000000000000ULL

/**
 * ExAllocatePool2() - allocate pool memory, zeroed
 * @Flags: exactly one of POOL_FLAG_NON_PAGED and POOL_FLAG_PAGED, and any of
 *	POOL_FLAG_UNINITIALIZED (do not zero), POOL_FLAG_CACHE_ALIGNED,
 *	POOL_FLAG_USE_QUOTA, POOL_FLAG_SESSION, POOL_FLAG_RAISE_ON_FAILURE
 * @NumberOfBytes: the size; 0 gives a valid block of no bytes
 * @Tag: the pool tag, usually a character literal such as 'Xmpl'
 *
 * The block is aligned to 16 bytes (to the cache line with
 * POOL_FLAG_CACHE_ALIGNED) and counted under @Tag and the calling module in
 * /sys/kernel/debug/ntcompat/pool until it is freed. Where the caller may
 * not sleep (KeGetCurrentIrql() is DISPATCH_LEVEL), non-paged pool is
 * allocated without sleeping, from the atomic reserves.
 *
 * N.B. Unknown required flags, none or two of the pool kinds, and
 * POOL_FLAG_NON_PAGED_EXECUTE (kernel heap is never executable on Linux)
 * return NULL, as does paged pool at DISPATCH_LEVEL, which Windows answers
 * with a bug check. POOL_FLAG_RAISE_ON_FAILURE cannot raise (there is no
 * structured exception handling): a failure returns NULL and is logged.
 * Quota, session and special pool do not exist here and are ignored. Called
 * through a pointer (MmGetSystemRoutineAddress()), the block is counted
 * under no module (owner "-") and not reported when the driver unloads.
 *
 * Context: any context but hard interrupts and NMI; paged pool only where
 * the caller may sleep.
 * Return: the block, or NULL.
 */
PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag);

/**
 * ExAllocatePoolWithTag() - allocate pool memory, not zeroed
 * @PoolType: NonPagedPool, NonPagedPoolNx, PagedPool, their CacheAligned,
 *	Session and MustSucceed forms, with POOL_RAISE_IF_ALLOCATION_FAILURE or
 *	POOL_QUOTA_FAIL_INSTEAD_OF_RAISE
 * @NumberOfBytes: the size
 * @Tag: the pool tag
 *
 * The same allocator as ExAllocatePool2(), given @PoolType's flags and
 * POOL_FLAG_UNINITIALIZED.
 *
 * N.B. NonPagedPool is executable on Windows; here no pool is, and
 * NonPagedPool is NonPagedPoolNx. MustSucceed types can fail like any other
 * (Windows no longer honours them either). DontUseThisType and unknown
 * types return NULL.
 *
 * Context: as ExAllocatePool2().
 * Return: the block, or NULL.
 */
PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);

/**
 * ExAllocatePool() - allocate pool memory under the tag 'enoN'
 * @PoolType: as for ExAllocatePoolWithTag()
 * @NumberOfBytes: the size
 *
 * As on Windows, ExAllocatePoolWithTag() with the tag 'enoN' (poolmon and
 * the pool file show it as "None").
 *
 * Context: as ExAllocatePool2().
 * Return: the block, or NULL.
 */
PVOID ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes);

/**
 * ExFreePoolWithTag() - free a pool block, checking its tag
 * @P: a block from any of the ExAllocatePool* routines or from
 *	MmGetPhysicalMemoryRanges()
 * @Tag: the tag it was allocated with
 *
 * N.B. Where Windows bug checks, this logs one rate-limited line naming the
 * caller and frees nothing: a block freed twice (while its memory has not
 * been reused), a pointer that is not the start of a pool block, and a tag
 * other than the block's. NULL is ignored. A freed block whose memory was
 * allocated again cannot be told from the new block. Freeing a large paged
 * block (vmalloc) where the caller may not sleep is deferred to a worker.
 *
 * Context: any context but hard interrupts and NMI.
 */
VOID ExFreePoolWithTag(PVOID P, ULONG Tag);

/**
 * ExFreePool() - free a pool block
 * @P: as for ExFreePoolWithTag()
 *
 * ExFreePoolWithTag() without the tag check.
 *
 * Context: as ExFreePoolWithTag().
 */
VOID ExFreePool(PVOID P);

/*
 * What the ExAllocatePool* calls in a driver's source compile to: the same
 * allocator, told which module calls, so that its blocks are counted under
 * it. The functions above are what a pointer to the routine reaches.
 */
PVOID ntc_pool_alloc(POOL_FLAGS flags, SIZE_T size, ULONG tag,
		     struct module *owner);
PVOID ntc_pool_alloc_type(POOL_TYPE type, SIZE_T size, ULONG tag,
			  struct module *owner);

#define ExAllocatePool2(Flags, NumberOfBytes, Tag)			\
	ntc_pool_alloc(Flags, NumberOfBytes, Tag, THIS_MODULE)
#define ExAllocatePoolWithTag(PoolType, NumberOfBytes, Tag)		\
	ntc_pool_alloc_type(PoolType, NumberOfBytes, Tag, THIS_MODULE)
#define ExAllocatePool(PoolType, NumberOfBytes)				\
	ntc_pool_alloc_type(PoolType, NumberOfBytes, 0x656e6f4e /* 'enoN' */, \
			    THIS_MODULE)

#endif /* _NTCOMPAT_NT_EX_POOL_H */
