// SPDX-License-Identifier: GPL-2.0
/*
 * ntc_prims_test - the primitives a hot-add callback calls (pool, the
 * Interlocked operations, the Rtl memory and string routines, ASSERT,
 * intrin.h, MmGetSystemRoutineAddress), driven by prims.sh.
 *
 * Written as Windows source is, against the Windows headers only: SAL,
 * role-type declarations, #pragma alloc_text, multi-character pool tags,
 * routines without prototypes. Only the debugfs glue is Linux: in
 * /sys/kernel/debug/ntc_prims_test, "ctl" takes one command per write (see
 * PrimsCommand()) and "result" holds the last command's outcome: "ok ..."
 * or "FAIL: <the check that failed>".
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>

#include <ntddk.h>
#include <intrin.h>

#include "ntc_ctl.h"

#define PRIMS_TAG	('kaeL')	/* poolmon shows "Leak" */
#define PRIMS_SLOTS	64

DRIVER_INITIALIZE DriverEntry;
DRIVER_UNLOAD PrimsUnload;

#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, PrimsUnload)

static PVOID PrimsHeld[PRIMS_SLOTS];
static ULONG PrimsHeldCount;
static BOOLEAN PrimsLeakAtUnload;
static char PrimsResult[160];
static struct dentry *PrimsDir;
static DEFINE_SPINLOCK(PrimsSpin);	/* for DISPATCH_LEVEL: Linux glue */

C_ASSERT(sizeof(LONG) == 4);
C_ASSERT(FIELD_OFFSET(UNICODE_STRING, Buffer) == 8);

/*
 * CHECK(cond): false, and the first failure of the command recorded, if
 * cond does not hold; the command then gives up (see PrimsCommand()).
 */
static BOOLEAN PrimsFailed;

static BOOLEAN PrimsCheck(BOOLEAN Ok, _In_z_ const char *What, int Line)
{
	if (!Ok && !PrimsFailed) {
		snprintf(PrimsResult, sizeof(PrimsResult), "FAIL: %s (line %d)", What, Line);
		PrimsFailed = TRUE;
	}
	return Ok;
}
#define CHECK(cond)	PrimsCheck(!!(cond), #cond, __LINE__)

static VOID PrimsOk(_In_z_ const char *What)
{
	snprintf(PrimsResult, sizeof(PrimsResult), "ok %s", What);
}

/* Hold Count blocks of Size bytes under PRIMS_TAG. */
_Use_decl_annotations_
NTSTATUS PrimsAlloc(ULONG Count, SIZE_T Size)
{
	ULONG i;

	for (i = 0; i < Count; i++) {
		PUCHAR p;

		if (!CHECK(PrimsHeldCount < PRIMS_SLOTS))
			return STATUS_UNSUCCESSFUL;
		p = ExAllocatePoolWithTag(NonPagedPoolNx, Size, PRIMS_TAG);
		if (!CHECK(p != NULL))
			return STATUS_UNSUCCESSFUL;
		if (!CHECK(((ULONG_PTR)p & 15) == 0))
			return STATUS_UNSUCCESSFUL;
		RtlFillMemory(p, Size, 0xa5);
		PrimsHeld[PrimsHeldCount++] = p;
	}
	PrimsOk("alloc");
	return STATUS_SUCCESS;
}

NTSTATUS PrimsFree(ULONG Count)
{
	while (Count-- && PrimsHeldCount)
		ExFreePoolWithTag(PrimsHeld[--PrimsHeldCount], PRIMS_TAG);
	PrimsOk("free");
	return STATUS_SUCCESS;
}

/*
 * One block of Size bytes under Tag, freed at once, for fault_alloc.sh,
 * which fails the allocations inside in turn: NULL is an answer here, not
 * a failed check; a block that came back must be whole and zeroed.
 */
NTSTATUS PrimsPoolTag(SIZE_T Size, ULONG Tag)
{
	PUCHAR p = ExAllocatePool2(POOL_FLAG_NON_PAGED, Size, Tag);
	SIZE_T i;

	if (p) {
		for (i = 0; i < Size; i++)
			if (!CHECK(p[i] == 0))
				return STATUS_UNSUCCESSFUL;
		RtlFillMemory(p, Size, 0xa5);
		ExFreePoolWithTag(p, Tag);
	}
	snprintf(PrimsResult, sizeof(PrimsResult), "ok pooltag got=%d", p != NULL);
	return STATUS_SUCCESS;
}

/* The flags and types ExAllocatePool2 and ExAllocatePoolWithTag take or refuse. */
NTSTATUS PrimsFlags(VOID)
{
	PVOID (*Pool2)(POOL_FLAGS, SIZE_T, ULONG) = ExAllocatePool2;
	PUCHAR p;
	SIZE_T i;

	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 200, 'ores');
	if (!CHECK(p != NULL))
		return STATUS_UNSUCCESSFUL;
	for (i = 0; i < 200; i++)
		if (!CHECK(p[i] == 0))
			return STATUS_UNSUCCESSFUL;
	ExFreePoolWithTag(p, 'ores');
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, 10, 'ngla');
	if (!CHECK(p != NULL && ((ULONG_PTR)p & (SMP_CACHE_BYTES - 1)) == 0))
		return STATUS_UNSUCCESSFUL;
	ExFreePool(p);
	/* Optional flags Windows does not know yet are ignored. */
	p = ExAllocatePool2(POOL_FLAG_PAGED | (1ULL << 40), 0, 'orez');
	if (!CHECK(p != NULL))
		return STATUS_UNSUCCESSFUL;
	ExFreePool(p);
	if (!CHECK(ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_RESERVED2, 8, 'dab1') == NULL))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED, 8, 'dab2') == NULL))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(ExAllocatePool2(POOL_FLAG_UNINITIALIZED, 8, 'dab3') == NULL))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 8, 'dab4') == NULL))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(ExAllocatePoolWithTag(DontUseThisType, 8, 'dab5') == NULL))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(ExAllocatePoolWithTag((POOL_TYPE)7, 8, 'dab6') == NULL))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(ExAllocatePoolWithTag(NonPagedPool, (SIZE_T)-1, 'dab7') == NULL))
		return STATUS_UNSUCCESSFUL;
	/* Through a pointer, as MmGetSystemRoutineAddress gives it. */
	p = Pool2(POOL_FLAG_NON_PAGED, 24, 'rtnP');
	if (!CHECK(p != NULL && p[23] == 0))
		return STATUS_UNSUCCESSFUL;
	ExFreePool(p);
	p = ExAllocatePool(PagedPool, 16);
	if (!CHECK(p != NULL))
		return STATUS_UNSUCCESSFUL;
	ExFreePoolWithTag(p, 'enoN');
	PrimsOk("flags");
	return STATUS_SUCCESS;
}

/* Pool where the caller may not sleep, as in a DPC or under a spin lock. */
NTSTATUS PrimsAtomic(VOID)
{
	PVOID NonPaged, Paged, Big;

	Big = ExAllocatePoolWithTag(PagedPool, 8 << 20, 'giBP');
	if (!CHECK(Big != NULL))
		return STATUS_UNSUCCESSFUL;
	spin_lock(&PrimsSpin);
	NonPaged = ExAllocatePoolWithTag(NonPagedPoolNx, 64, 'imtA');
	Paged = ExAllocatePoolWithTag(PagedPool, 64, 'gpmA');
	ExFreePool(Big);	/* vmalloc'd: deferred, not freed here */
	ExFreePool(NonPaged);
	spin_unlock(&PrimsSpin);
	if (!CHECK(KeGetCurrentIrql() == PASSIVE_LEVEL))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(NonPaged != NULL))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(Paged == NULL))
		return STATUS_UNSUCCESSFUL;
	PrimsOk("atomic");
	return STATUS_SUCCESS;
}

NTSTATUS PrimsRanges(BOOLEAN WithTag)
{
	PPHYSICAL_MEMORY_RANGE r = MmGetPhysicalMemoryRanges();
	ULONG n = 0;

	if (!CHECK(r != NULL))
		return STATUS_UNSUCCESSFUL;
	while (r[n].BaseAddress.QuadPart || r[n].NumberOfBytes.QuadPart)
		n++;
	if (!CHECK(n > 0))
		return STATUS_UNSUCCESSFUL;
	if (WithTag)
		ExFreePoolWithTag(r, 'hPmM');
	else
		ExFreePool(r);
	snprintf(PrimsResult, sizeof(PrimsResult), "ok ranges=%u", n);
	return STATUS_SUCCESS;
}

/* One bad free; prims.sh checks that it was answered, and how. */
NTSTATUS PrimsBadFree(_In_z_ const char *How)
{
	static UCHAR NotPool[64];
	UCHAR OnStack[64];
	PUCHAR p;

	if (!strcmp(How, "double")) {
		p = ExAllocatePoolWithTag(NonPagedPoolNx, 32, 'lbuD');
		if (!CHECK(p != NULL))
			return STATUS_UNSUCCESSFUL;
		ExFreePoolWithTag(p, 'lbuD');
		ExFreePoolWithTag(p, 'lbuD');
	} else if (!strcmp(How, "interior")) {
		p = ExAllocatePoolWithTag(NonPagedPoolNx, 64, 'tnnI');
		if (!CHECK(p != NULL))
			return STATUS_UNSUCCESSFUL;
		ExFreePool(p + 8);
		ExFreePool(p);
	} else if (!strcmp(How, "tag")) {
		p = ExAllocatePoolWithTag(NonPagedPoolNx, 64, 'gaTW');
		if (!CHECK(p != NULL))
			return STATUS_UNSUCCESSFUL;
		ExFreePoolWithTag(p, 'gaTX');
		ExFreePoolWithTag(p, 'gaTW');
	} else if (!strcmp(How, "static")) {
		ExFreePool(NotPool + 32);
	} else if (!strcmp(How, "stack")) {
		ExFreePool(OnStack + 32);
	} else if (!strcmp(How, "wild")) {
		ExFreePool((PVOID)(ULONG_PTR)0x10);
		ExFreePool((PVOID)(ULONG_PTR)0xdead000000000000ULL);
	} else {
		return STATUS_INVALID_PARAMETER;
	}
	PrimsOk(How);
	return STATUS_SUCCESS;
}

NTSTATUS PrimsInterlocked(VOID)
{
	LONG v = 5;
	LONG64 w = 0x100000000LL;
	PVOID ptr = NULL;
	PVOID a = PrimsHeld, b = &PrimsHeldCount;

	if (!CHECK(InterlockedIncrement(&v) == 6))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedDecrement(&v) == 5))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedExchange(&v, 9) == 5 && v == 9))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedCompareExchange(&v, 1, 8) == 9 && v == 9))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedCompareExchange(&v, 1, 9) == 9 && v == 1))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedExchangeAdd(&v, 10) == 1 && v == 11))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedAdd(&v, 1) == 12))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedAnd(&v, 6) == 12 && v == 4))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedOr(&v, 3) == 4 && v == 7))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedXor(&v, 5) == 7 && v == 2))
		return STATUS_UNSUCCESSFUL;
	v = 0x7fffffff;
	CHECK(InterlockedIncrement(&v) == (LONG)0x80000000);	/* 32 bits wrap */
	if (!CHECK(InterlockedIncrement64(&w) == 0x100000001LL))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedDecrement64(&w) == 0x100000000LL))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedExchange64(&w, -1) == 0x100000000LL && w == -1))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedCompareExchange64(&w, 3, -1) == -1 && w == 3))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedExchangeAdd64(&w, 0x100000000LL) == 3 && w == 0x100000003LL))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedAnd64(&w, 0x100000001LL) == 0x100000003LL && w == 0x100000001LL))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedOr64(&w, 6) == 0x100000001LL && w == 0x100000007LL))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedExchangePointer(&ptr, a) == NULL && ptr == a))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedCompareExchangePointer(&ptr, b, NULL) == a && ptr == a))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(InterlockedCompareExchangePointer(&ptr, b, a) == a && ptr == b))
		return STATUS_UNSUCCESSFUL;
	KeMemoryBarrier();
	_ReadWriteBarrier();
	PrimsOk("interlocked");
	return STATUS_SUCCESS;
}

NTSTATUS PrimsRtl(VOID)
{
	UCHAR x[16], y[16];
	UNICODE_STRING us;
	DECLARE_CONST_UNICODE_STRING(Constant, L"Ke");
	ULONG i;

	RtlZeroMemory(x, sizeof(x));
	for (i = 0; i < sizeof(x); i++)
		if (!CHECK(x[i] == 0))
			return STATUS_UNSUCCESSFUL;
	RtlFillMemory(y, sizeof(y), 0x5a);
	if (!CHECK(y[0] == 0x5a && y[15] == 0x5a))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(RtlCompareMemory(x, y, sizeof(x)) == 0))
		return STATUS_UNSUCCESSFUL;
	RtlCopyMemory(x, y, 8);
	if (!CHECK(RtlCompareMemory(x, y, sizeof(x)) == 8))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(RtlEqualMemory(x, y, 8) && !RtlEqualMemory(x, y, 9)))
		return STATUS_UNSUCCESSFUL;
	for (i = 0; i < sizeof(x); i++)
		x[i] = (UCHAR)i;
	RtlMoveMemory(x + 1, x, 8);		/* overlapping */
	if (!CHECK(x[0] == 0 && x[1] == 0 && x[8] == 7 && x[9] == 9))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(RtlCompareMemory(x, x, sizeof(x)) == sizeof(x)))
		return STATUS_UNSUCCESSFUL;
	CHECK(RtlCompareMemory(NULL, x, 4) == 0);	/* answered, logged */
	RtlInitUnicodeString(&us, L"MmGetSystemRoutineAddress");
	if (!CHECK(us.Length == 25 * sizeof(WCHAR) && us.MaximumLength == 26 * sizeof(WCHAR)))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(us.Buffer[0] == 'M' && us.Buffer[24] == 's'))
		return STATUS_UNSUCCESSFUL;
	RtlInitUnicodeString(&us, NULL);
	if (!CHECK(us.Length == 0 && us.MaximumLength == 0 && us.Buffer == NULL))
		return STATUS_UNSUCCESSFUL;
	RtlInitUnicodeString(NULL, L"x");	/* answered, logged */
	if (!CHECK(Constant.Length == 4 && Constant.MaximumLength == 6))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(sizeof(L"x"[0]) == sizeof(WCHAR)))
		return STATUS_UNSUCCESSFUL;
	PrimsOk("rtl");
	return STATUS_SUCCESS;
}

/* Every assertion fails twice: each site must log once. */
NTSTATUS PrimsAssert(VOID)
{
	ULONG i, Verified = 0;

	for (i = 0; i < 2; i++) {
		ASSERT(i == 7);
		NT_ASSERT(i == 8);
		ASSERTMSG("the prims test asked for it", i == 9);
		if (!NT_VERIFY(i == 10))
			Verified++;
	}
	if (!CHECK(Verified == 2))
		return STATUS_UNSUCCESSFUL;
	PrimsOk("assert");
	return STATUS_SUCCESS;
}

/*
 * __cpuid, __cpuidex, __readmsr; the vendor goes to the result line. QEMU's
 * TCG reads an MSR that does not exist as 0 rather than faulting, so the
 * logged answer to that fault is not seen there.
 */
NTSTATUS PrimsCpuid(VOID)
{
	int Info[4], Ext[4];
	char Vendor[13];
	ULONG64 ApicBase;

	__cpuid(Info, 0);
	if (!CHECK(Info[0] >= 1))
		return STATUS_UNSUCCESSFUL;
	memcpy(Vendor, &Info[1], 4);
	memcpy(Vendor + 4, &Info[3], 4);
	memcpy(Vendor + 8, &Info[2], 4);
	Vendor[12] = '\0';
	__cpuidex(Ext, 1, 0);
	if (!CHECK(Ext[0] != 0))
		return STATUS_UNSUCCESSFUL;
	ApicBase = __readmsr(0x1b);	/* IA32_APIC_BASE */
	CHECK(ApicBase & (1 << 11));	/* the APIC is enabled */
	_mm_pause();
	CHECK(__readmsr(0x12345678) == 0);	/* no such MSR: answered, logged */
	snprintf(PrimsResult, sizeof(PrimsResult), "ok vendor=%s maxleaf=%d", Vendor, Info[0]);
	return STATUS_SUCCESS;
}

/* "routine NAME [ADDR]": MmGetSystemRoutineAddress(NAME) is ADDR, or NULL. */
NTSTATUS PrimsRoutine(_In_z_ const char *Name, ULONG_PTR Expected)
{
	WCHAR Wide[64];
	UNICODE_STRING us;
	PVOID Found;
	ULONG i;

	for (i = 0; Name[i] && i < RTL_NUMBER_OF(Wide) - 1; i++)
		Wide[i] = Name[i];
	Wide[i] = 0;
	RtlInitUnicodeString(&us, Wide);
	Found = MmGetSystemRoutineAddress(&us);
	if (!CHECK((ULONG_PTR)Found == Expected))
		return STATUS_UNSUCCESSFUL;
	PrimsOk("routine");
	return STATUS_SUCCESS;
}

/* Malformed names: NULL, an odd Length, Length past MaximumLength, atomic. */
NTSTATUS PrimsRoutineBad(VOID)
{
	UNICODE_STRING us = RTL_CONSTANT_STRING(L"ExFreePool");
	PVOID Found;

	if (!CHECK(MmGetSystemRoutineAddress(&us) == (PVOID)ExFreePool))
		return STATUS_UNSUCCESSFUL;
	if (!CHECK(MmGetSystemRoutineAddress(NULL) == NULL))
		return STATUS_UNSUCCESSFUL;
	us.Length = 3;
	if (!CHECK(MmGetSystemRoutineAddress(&us) == NULL))
		return STATUS_UNSUCCESSFUL;
	us.Length = us.MaximumLength + 2;
	if (!CHECK(MmGetSystemRoutineAddress(&us) == NULL))
		return STATUS_UNSUCCESSFUL;
	us.Length = 2;
	us.Buffer = NULL;
	if (!CHECK(MmGetSystemRoutineAddress(&us) == NULL))
		return STATUS_UNSUCCESSFUL;
	us = (UNICODE_STRING)RTL_CONSTANT_STRING(L"ExFreePool");
	spin_lock(&PrimsSpin);
	Found = MmGetSystemRoutineAddress(&us);
	spin_unlock(&PrimsSpin);
	if (!CHECK(Found == NULL))
		return STATUS_UNSUCCESSFUL;
	PrimsOk("routine_bad");
	return STATUS_SUCCESS;
}

/* "CMD [ARG [VALUE]]"; VALUE in C notation (0x... for addresses). */
int PrimsCommand(const char *Line)
{
	char Cmd[16], Arg[64] = "", Num[24] = "0";
	unsigned long long Value;
	unsigned int Count;
	NTSTATUS Status;

	if (sscanf(Line, "%15s %63s %23s", Cmd, Arg, Num) < 1 || kstrtoull(Num, 0, &Value))
		return -EINVAL;
	if (kstrtouint(Arg, 10, &Count))
		Count = 0;
	PrimsResult[0] = '\0';
	PrimsFailed = FALSE;
	if (!strcmp(Cmd, "alloc"))
		Status = PrimsAlloc(Count, (SIZE_T)Value);
	else if (!strcmp(Cmd, "free"))
		Status = PrimsFree(Count);
	else if (!strcmp(Cmd, "pooltag"))
		Status = PrimsPoolTag(Count, (ULONG)Value);
	else if (!strcmp(Cmd, "flags"))
		Status = PrimsFlags();
	else if (!strcmp(Cmd, "atomic"))
		Status = PrimsAtomic();
	else if (!strcmp(Cmd, "ranges"))
		Status = PrimsRanges(!strcmp(Arg, "tag"));
	else if (!strcmp(Cmd, "badfree"))
		Status = PrimsBadFree(Arg);
	else if (!strcmp(Cmd, "interlocked"))
		Status = PrimsInterlocked();
	else if (!strcmp(Cmd, "rtl"))
		Status = PrimsRtl();
	else if (!strcmp(Cmd, "assert"))
		Status = PrimsAssert();
	else if (!strcmp(Cmd, "cpuid"))
		Status = PrimsCpuid();
	else if (!strcmp(Cmd, "routine"))
		Status = PrimsRoutine(Arg, (ULONG_PTR)Value);
	else if (!strcmp(Cmd, "routine_bad"))
		Status = PrimsRoutineBad();
	else if (!strcmp(Cmd, "leak")) {
		PrimsLeakAtUnload = TRUE;
		PrimsOk("leak");
		Status = STATUS_SUCCESS;
	} else
		return -EINVAL;
	return NT_SUCCESS(Status) ? 0 : -EIO;
}

DEFINE_NTC_CTL(prims_ctl, PrimsCommand);

static int prims_result_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", PrimsResult);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(prims_result);

_Use_decl_annotations_
VOID PrimsUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	PAGED_CODE();
	debugfs_remove_recursive(PrimsDir);
	if (!PrimsLeakAtUnload)
		PrimsFree(PRIMS_SLOTS);
}

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	UNREFERENCED_PARAMETER(RegistryPath);
	PrimsDir = debugfs_create_dir("ntc_prims_test", NULL);
	debugfs_create_file("ctl", 0200, PrimsDir, NULL, &prims_ctl_fops);
	debugfs_create_file("result", 0400, PrimsDir, NULL, &prims_result_fops);
	DriverObject->DriverUnload = PrimsUnload;
	return STATUS_SUCCESS;
}

NTC_MODULE_DRIVER(DriverEntry);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ntcompat selftest driver: pool, Interlocked, Rtl, intrin.h, routine lookup");
