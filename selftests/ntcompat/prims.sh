#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The primitives hot-add callbacks call, through ntc_prims_test.ko, a driver
# written against the Windows headers only: pool and its accounting in
# /sys/kernel/debug/ntcompat/pool, the leak report when a driver unloads,
# ExFreePool of MmGetPhysicalMemoryRanges' block, bad frees and bad
# allocations answered (one log line naming the caller, a bad_calls count,
# no crash), pool where the caller may not sleep, the Interlocked results,
# the Rtl memory and string routines, ASSERT, intrin.h, and
# MmGetSystemRoutineAddress against every export of ntcompat.
. ./lib.sh

P=/sys/kernel/debug/ntc_prims_test
POOL=/sys/kernel/debug/ntcompat/pool
STATS=/sys/kernel/debug/ntcompat/stats

# prims CMD...: run a command of the driver; succeed if its result is "ok".
prims() {
	echo "$*" >"$P/ctl" 2>/dev/null
	result=$(cat "$P/result")
	case $result in
	ok*) return 0 ;;
	esac
	echo "$* -> $result"
	return 1
}
# pool_is TAG OWNER COUNTS: the pool file's line for TAG and OWNER ends so.
pool_is() {
	grep -q "^tag=$1 value=0x[0-9a-f]* owner=$2 $3\$" "$POOL" ||
		{ grep "^tag=$1 " "$POOL"; return 1; }
}
bad_calls() {
	sed -n 's/^bad_calls //p' "$STATS"
}
# answered N CMD...: the command gives N more bad calls and logs a line.
answered() {
	local n=$1 before

	shift
	dmesg -c >/dev/null
	before=$(bad_calls)
	prims "$@" && [ $(($(bad_calls) - before)) -eq "$n" ]
}
logged() {
	dmesg | grep -q -- "$1" || { dmesg | tail -n 5; return 1; }
}

load_ntcompat
insmod "$NTC_MODDIR/ntc_prims_test.ko" || die "insmod ntc_prims_test.ko"
check "the pool file is root's alone (0400)" [ "$(stat -c %a "$POOL")" = 400 ]

# Allocated first, leaked at the end: kmemleak reports only blocks older
# than 5 s.
check "three 100-byte blocks allocated" prims alloc 3 100
check "they show under their tag (in memory order, as poolmon) and module" \
	pool_is Leak ntc_prims_test "allocs=3 frees=0 bytes=300"
check "one freed" prims free 1
check "the counts follow" pool_is Leak ntc_prims_test "allocs=3 frees=1 bytes=200"

check "ExFreePool frees MmGetPhysicalMemoryRanges' block" prims ranges
check "ExFreePoolWithTag(.., 'hPmM') frees it too" prims ranges tag
check "the ranges are pool tagged MmPh, all freed" \
	sh -c "grep '^tag=MmPh value=0x68506d4d owner=ntcompat ' $POOL | grep -q 'bytes=0\$'"

check "ExAllocatePool2 zeroes, aligns, takes optional flags; six bad flags and types refused" \
	answered 6 flags
check "each refusal names the caller" logged "ExAllocatePool2 from PrimsFlags+"
check "a pointer to ExAllocatePool2 counts under no module" pool_is Pntr - "allocs=1 frees=1 bytes=0"
check "ExAllocatePool is tag None" pool_is None ntc_prims_test "allocs=1 frees=1 bytes=0"

check "under a spin lock: non-paged pool works, paged pool is refused" answered 1 atomic
check "the refusal says why" logged "paged pool where the caller may not sleep"
check "a vmalloc'd block freed under the lock is freed later" \
	wait_for 10 pool_is PBig ntc_prims_test "allocs=1 frees=1 bytes=0"

check "a double free is answered" answered 1 badfree double
# A kernel that poisons freed memory (the debug lane's slub_debug) wipes the
# block's cookie too: there the second free is "not a pool block".
check "as a double free, naming the caller" \
	logged "ExFreePoolWithTag from PrimsBadFree+.* \(is already freed\|is not a pool block\); nothing freed"
check "the block was freed once" pool_is Dubl ntc_prims_test "allocs=1 frees=1 bytes=0"
check "a pointer inside a block is answered" answered 1 badfree interior
check "as not a pool block" logged "ExFreePool from PrimsBadFree+.* is not a pool block"
check "the block itself is then freed" pool_is Innt ntc_prims_test "allocs=1 frees=1 bytes=0"
check "a wrong tag is answered, the block kept" answered 1 badfree tag
check "naming both tags" logged "has tag 0x67615457, not 0x67615458"
check "then freed with its own tag" pool_is WTag ntc_prims_test "allocs=1 frees=1 bytes=0"
check "a static buffer is answered" answered 1 badfree static
check "a stack buffer is answered" answered 1 badfree stack
check "a small and a non-canonical pointer are answered" answered 2 badfree wild

check "Interlocked* and their 64-bit and pointer forms" prims interlocked
check "Rtl memory and string routines; two NULL arguments answered" answered 2 rtl
check "RtlInitUnicodeString(NULL) names its caller" logged "RtlInitUnicodeString from PrimsRtl+"

dmesg -c >/dev/null
check "failing ASSERTs do not stop the driver" prims assert
for e in "i == 7" "i == 8" "i == 9: the prims test asked for it" "i == 10"; do
	check "assertion '$e' logged once for two failures" \
		[ "$(dmesg | grep -c "assertion failed: $e\$")" -eq 1 ]
done

check "__cpuid, __cpuidex, __readmsr" prims cpuid
vendor=$(sed -n 's/^vendor_id[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
check "__cpuid(0) gives the CPU's vendor ($vendor)" has "$result" "vendor=$vendor "

# Every symbol ntcompat exports, as the kernel's export table has it, and
# where kallsyms says it is. Windows names resolve to that address; the
# Linux glue (ntc_*) does not.
# kallsyms is read once: it is long, and the guest is slow.
grep '\[ntcompat\]$' /proc/kallsyms >/tmp/ntcompat.syms
awk 'sub(/^__ksymtab_/, "", $3) { print $3 }' /tmp/ntcompat.syms | sort -u >/tmp/exports
n=0 glue=0 bad=
while read -r sym; do
	addr=$(awk -v s="$sym" '$3 == s { print $1; exit }' /tmp/ntcompat.syms)
	case $sym in
	ntc_*) want=0; glue=$((glue + 1)) ;;
	*) want=0x$addr; n=$((n + 1)) ;;
	esac
	prims routine "$sym" "$want" >/dev/null || bad="$bad $sym"
done </tmp/exports
echo "routine lookup: $n Windows exports, $glue ntc_ exports"
check "MmGetSystemRoutineAddress finds every Windows export at its address, and no ntc_ one" \
	[ -z "$bad" ]
[ -n "$bad" ] && echo "wrong:$bad"
for sym in ExAllocatePool2 ExFreePoolWithTag MmGetSystemRoutineAddress \
	RtlInitUnicodeString KeQueryActiveProcessorCountEx IoRegisterPlugPlayNotification; do
	check "$sym is among them" grep -qx "$sym" /tmp/exports
done
check "the export list covers more than the pool" [ "$n" -ge 20 ]
for sym in printk kmalloc KeBugCheckEx exallocatepool2 ExAllocatePool2X ntc_pool_alloc; do
	check "MmGetSystemRoutineAddress($sym) is NULL" prims routine "$sym" 0
done
check "NULL, odd, overlong and bufferless names, and atomic context, answered" \
	answered 5 routine_bad

# Unloading with two blocks held: the leak is reported by tag.
dmesg -c >/dev/null
check "the driver is told to keep its blocks" prims leak
stop_driver ntc_prims_test && rmmod ntc_prims_test
check "its unload reports what it leaked, by tag" \
	logged "ntc_prims_test unloaded still holding 2 pool block(s), 200 bytes, tagged 'Leak' (0x6b61654c)"
check "only that tag is reported" [ "$(dmesg | grep -c 'still holding')" -eq 1 ]
check "the record stays, marked unloaded" \
	pool_is Leak "ntc_prims_test(unloaded)" "allocs=3 frees=1 bytes=200"
check "records that hold nothing are dropped" not grep -q 'owner=ntc_prims_test ' "$POOL"

insmod "$NTC_MODDIR/ntc_prims_test.ko" || die "reload ntc_prims_test.ko"
check "reloaded, its blocks count afresh" sh -c "echo 'alloc 1 8' >$P/ctl" 
check "under a record of its own" pool_is Leak ntc_prims_test "allocs=1 frees=0 bytes=8"
dmesg -c >/dev/null
stop_driver ntc_prims_test && rmmod ntc_prims_test
check "a driver that frees everything unloads without a report" not logged "still holding"

# The two leaked blocks are real leaks, and kmemleak sees them: expected
# here, so they are taken out of the report before finish() looks. Where
# SLUB serves kmalloc from per-CPU sheaves (7.x), a sheaf keeps a pointer
# to each object it handed out until a free overwrites that slot, and
# kmemleak, which scans sheaves, may take a leaked block for a referenced
# one: there it must report no more than the two.
if [ -w "$KMEMLEAK" ]; then
	# The scan logs "N new suspected memory leaks", which the harness
	# counts as trouble: keep this expected one off the console.
	read -r level rest </proc/sys/kernel/printk
	echo 1 >/proc/sys/kernel/printk
	echo scan >"$KMEMLEAK"
	echo scan >"$KMEMLEAK"
	echo "$level" >/proc/sys/kernel/printk
	found=$(grep -c '^unreferenced object' "$KMEMLEAK")
	if grep -qsv '^0$' /sys/kernel/slab/kmalloc-*/sheaf_capacity; then
		check "kmemleak finds no more than the two leaked blocks ($found)" \
			[ "$found" -le 2 ]
	else
		check "kmemleak finds the two leaked blocks" [ "$found" -eq 2 ]
	fi
	check "  each allocated through the pool" \
		[ "$(grep -c 'ntc_pool_alloc\|ExAllocatePool' "$KMEMLEAK")" -ge "$found" ]
	echo clear >"$KMEMLEAK"
fi
dmesg -c >/dev/null
rmmod ntcompat
check "ntcompat's unload reports them once more" \
	logged "ntc_prims_test (unloaded) was still holding 2 pool block(s), 200 bytes, tagged 'Leak'"
finish
