#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Windows driver source as it is written compiles with W=1 and not one
# warning, against every installed lane's kernel headers (6.1 and 6.12 at
# least: Linux 6.8 and later warn about missing prototypes by default),
# from a directory holding only the source and a two-line Kbuild. The
# driver is MSVC-style throughout: DriverEntry and DriverUnload without
# prototypes, #pragma alloc_text/code_seg/warning, role-type declarations,
# SAL, __declspec, FORCEINLINE, C_ASSERT after statements, multi-character
# pool tags, L"" strings, IO_NO_INCREMENT, POOL_TYPE, Interlocked, ASSERT;
# and <intrin.h>'s __cpuid wins over the kernel's in a file that includes
# it before, and in one that includes it after, the <linux/...> headers,
# while the kernel's own cpuid helpers keep working in both.
. tests/host/lib.sh
scratch msvc-source
d=$TMP/drv
mkdir "$d"

cat >"$d/msvc_driver.c" <<'C'
// SPDX-License-Identifier: GPL-2.0
#include <ntddk.h>
#include <wdmguid.h>
#include <poclass.h>

#pragma warning(push)
#pragma warning(disable: 4201)
#pragma code_seg("PAGE")
#pragma code_seg()
#pragma warning(pop)

#define SAMPLE_TAG 'lpmX'

typedef struct DECLSPEC_ALIGN(16) _SAMPLE_CONTEXT {
	LONG volatile Arrivals;
	PVOID Entry;
	unsigned __int64 Stamp;
} SAMPLE_CONTEXT, *PSAMPLE_CONTEXT;

C_ASSERT(sizeof(SAMPLE_CONTEXT) % 16 == 0);

DRIVER_NOTIFICATION_CALLBACK_ROUTINE SampleCallback;
static PSAMPLE_CONTEXT Sample;
static POOL_TYPE SamplePool = NonPagedPoolNx;

#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, DriverUnload)
#pragma alloc_text(PAGE, SampleCallback)

FORCEINLINE
BOOLEAN
SampleIsArrival(_In_ PDEVICE_INTERFACE_CHANGE_NOTIFICATION Notification)
{
	return IsEqualGUID(&Notification->Event, &GUID_DEVICE_INTERFACE_ARRIVAL);
}

__declspec(noinline)
_IRQL_requires_max_(PASSIVE_LEVEL)
ULONG
SampleCount(VOID)
{
	return KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS);
}

_Use_decl_annotations_
NTSTATUS
SampleCallback(PVOID NotificationStructure, PVOID Context)
{
	PSAMPLE_CONTEXT Ctx = Context;

	PAGED_CODE();
	__analysis_assume(Ctx != NULL);
	if (SampleIsArrival(NotificationStructure))
		InterlockedIncrement(&Ctx->Arrivals);
	KeMemoryBarrier();
	return STATUS_SUCCESS;
}

VOID
DriverUnload(_In_ PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	PAGED_CODE();
	IoUnregisterPlugPlayNotificationEx(Sample->Entry);
	ExFreePoolWithTag(Sample, SAMPLE_TAG);
}

NTSTATUS
DriverEntry(_In_ PDRIVER_OBJECT DriverObject, _In_ PUNICODE_STRING RegistryPath)
{
	UNICODE_STRING Name;
	NTSTATUS Status;

	UNREFERENCED_PARAMETER(RegistryPath);
	Sample = ExAllocatePoolWithTag(SamplePool, sizeof(*Sample), SAMPLE_TAG);
	if (Sample == NULL)
		return STATUS_INSUFFICIENT_RESOURCES;
	RtlZeroMemory(Sample, sizeof(*Sample));
	C_ASSERT(IO_NO_INCREMENT == 0);
	RtlInitUnicodeString(&Name, L"KeQueryActiveProcessorCountEx");
	ASSERT(MmGetSystemRoutineAddress(&Name) != NULL);
	DbgPrint("msvc_driver: %u processors\n", SampleCount());
	Status = IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange,
						PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
						(PVOID)&GUID_DEVICE_PROCESSOR, DriverObject,
						SampleCallback, Sample, &Sample->Entry);
	if (!NT_SUCCESS(Status)) {
		ExFreePoolWithTag(Sample, SAMPLE_TAG);
		return Status;
	}
	DriverObject->DriverUnload = DriverUnload;
	return STATUS_SUCCESS;
}

NTC_MODULE_DRIVER(DriverEntry);
MODULE_LICENSE("GPL");
C

# intrin.h first, then the kernel's headers (and wdm.h).
cat >"$d/intrin_first.c" <<'C'
// SPDX-License-Identifier: GPL-2.0
#include <intrin.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/smp.h>
#include <asm/processor.h>
#include <wdm.h>

static int __init intrin_first_init(void)
{
	int Info[4];

	__cpuid(Info, 0);
	__cpuidex(Info, 7, 0);
	_ReadWriteBarrier();
	_mm_pause();
	return cpuid_eax(0) == (unsigned int)Info[0] ? 0 : -EINVAL;
}
module_init(intrin_first_init);
MODULE_LICENSE("GPL");
C

# The kernel's headers first, intrin.h last.
cat >"$d/intrin_last.c" <<'C'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/kernel.h>
#include <asm/processor.h>
#include <wdm.h>
#include <intrin.h>

static int __init intrin_last_init(void)
{
	int Info[4];
	unsigned int eax = 0, ebx, ecx = 0, edx;

	__cpuid(Info, 1);
	cpuid(0, &eax, &ebx, &ecx, &edx);
	return __readmsr(0x1b) && eax ? 0 : -EINVAL;
}
module_init(intrin_last_init);
MODULE_LICENSE("GPL");
C
printf 'obj-m := msvc_driver.o intrin_first.o intrin_last.o\ninclude %s\n' \
	"$PWD/ntcompat.mk" >"$d/Kbuild"

lanes=0
for lane in $(scripts/kernel-release --lanes); do
	rel=$(scripts/kernel-release "$lane")
	kdir=/lib/modules/$rel/build
	if [ -z "$rel" ] || [ ! -d "$kdir" ]; then
		echo "lane $lane: no headers installed, not built"
		continue
	fi
	rm -f "$d"/*.o "$d"/.*.cmd
	# The objects alone: modpost would want ntcompat built for $rel.
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$kdir" M="$d" W=1 \
		msvc_driver.o intrin_first.o intrin_last.o >"$TMP/$lane.log" 2>&1 || {
		cat "$TMP/$lane.log"
		fail "lane $lane ($rel): the build failed"
	}
	n=$(grep -c '^  CC \[M\]' "$TMP/$lane.log")
	if grep -iE 'warning:|error:' "$TMP/$lane.log"; then
		fail "lane $lane ($rel): the build warned"
	fi
	[ "$n" -eq 3 ] || fail "lane $lane ($rel): $n of 3 files compiled"
	echo "lane $lane ($rel): 3 files, W=1, no warning"
	lanes=$((lanes + 1))
done
[ "$lanes" -gt 0 ] || fail "no kernel headers to build against"
