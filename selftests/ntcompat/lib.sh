# SPDX-License-Identifier: GPL-2.0
# Helpers for the ntcompat selftests (busybox sh, inside the test guest).
# The vm_* hotplug helpers come from the harness's ntc-lib.sh.

. /lib/ntc-lib.sh

NTC_MODDIR=${NTC_MODDIR:-/work/modules}
CLIENT=/sys/kernel/debug/ntc_test_client
CPU_GUID='{97fadb10-4e33-40ae-359c-8bef029dbdd0}'
MEM_GUID='{3fd0f03d-92e0-45fb-b75c-5ed8ffb01021}'
KSFT_SKIP=4

ntc_failed=0

# check DESCRIPTION CMD...: one assertion; the test fails if CMD fails.
check() {
	local desc=$1

	shift
	if "$@"; then
		echo "ok: $desc"
	else
		echo "FAIL: $desc"
		ntc_failed=1
	fi
}

# not CMD...: CMD fails.
not() {
	! "$@"
}

# has TEXT FIXED: TEXT contains the fixed string FIXED.
has() {
	echo "$1" | grep -qF -- "$2"
}

# at_least N SLOT PATTERN: the slot has N or more matching callbacks.
at_least() {
	[ "$(count_of "$2" "$3")" -ge "$1" ]
}

KMEMLEAK=/sys/kernel/debug/kmemleak

# On a kernel with kmemleak (the debug lane): anything leaked since the test
# loaded ntcompat is a failure.
check_leaks() {
	local report

	echo scan >"$KMEMLEAK"
	echo scan >"$KMEMLEAK"
	report=$(cat "$KMEMLEAK")
	[ -z "$report" ] && return 0
	echo "$report"
	return 1
}

# expect_report NAME CMD...: CMD provokes the kernel report NAME on
# purpose. The test declares it ("# ntc-vm: --expect-report NAME"), and the
# harness forgives just that one report between these two marks in the
# kernel log; a second report there, or none, is still trouble.
expect_report() {
	local name=$1 rc

	shift
	echo "ntc-vm: expect $name" >/dev/kmsg
	"$@"
	rc=$?
	echo "ntc-vm: expect end" >/dev/kmsg
	return "$rc"
}

# The test's exit status: 0 if every check passed.
finish() {
	[ -w "$KMEMLEAK" ] && check "kmemleak finds nothing leaked" check_leaks
	exit "$ntc_failed"
}

skip() {
	echo "SKIP: $*"
	exit "$KSFT_SKIP"
}

die() {
	echo "FAIL: $*"
	exit 1
}

load_ntcompat() {
	# Whatever boot left unreferenced is not this test's to report.
	[ -w "$KMEMLEAK" ] && echo clear >"$KMEMLEAK"
	insmod "$NTC_MODDIR/ntcompat.ko" || die "insmod ntcompat.ko"
}

load_client() {
	load_ntcompat
	insmod "$NTC_MODDIR/ntc_test_client.ko" || die "insmod ntc_test_client.ko"
}

# stop_driver MODULE: call a ported driver's DriverUnload, as Windows does
# when it stops a driver.
stop_driver() {
	echo 1 >"/sys/module/$1/ntcompat/stop"
}

unload_all() {
	local m

	for m in ntc_sample ntc_test_client; do
		[ -d "/sys/module/$m" ] || continue
		stop_driver $m
		rmmod $m
	done
	rmmod ntcompat
}

# ctl CMD...: send a command to the client; succeed if it returned
# STATUS_SUCCESS. The NTSTATUS is left in $ctl_status, the rest of the
# status line (inflight_before= ...) in $ctl_detail.
ctl() {
	echo "$*" >"$CLIENT/ctl" || return 1
	read -r ctl_status ctl_detail <"$CLIENT/status"
	[ "$ctl_status" = 0x00000000 ]
}

# ctl_is STATUS CMD...: the command's NTSTATUS is STATUS.
ctl_is() {
	local want=$1

	shift
	ctl "$@"
	[ "$ctl_status" = "$want" ]
}

# What the client recorded for one slot, one line per callback.
events_of() {
	grep "^slot=$1 " "$CLIENT/log"
}

count_of() {
	events_of "$1" | grep -c "$2"
}

# field NAME LINE: the value of NAME= in a log line.
field() {
	echo "$2" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"
}

online_count() {
	local n=0 list r lo hi IFS=,

	read -r list </sys/devices/system/cpu/online
	for r in $list; do
		lo=${r%-*}
		hi=${r#*-}
		n=$((n + hi - lo + 1))
	done
	echo "$n"
}

# fail_nth_setup: skip unless the kernel has failslab and fail-nth (the
# debug lane); let failslab fail sleeping allocations too, quietly.
fail_nth_setup() {
	FAILSLAB=/sys/kernel/debug/failslab
	[ -w /proc/self/fail-nth ] && [ -d $FAILSLAB ] ||
		skip "the kernel has no failslab or fail-nth"
	echo N >$FAILSLAB/ignore-gfp-wait
	echo 0 >$FAILSLAB/verbose
}

# fail_nth N FD CMD: write CMD to FD, a test driver's ctl file opened
# beforehand (an open spends fault-injection points), with the Nth
# fault-injection point of CMD failing. The driver starts the countdown
# inside the write (ntc_ctl.h's "fail-nth N"): set from here, through
# /proc/self/fail-nth, the shell's own allocations before the write (its
# heap growing, a page fault) would take points, a varying number.
# Leaves in $left what remains of the countdown: not 0 means the call had
# fewer than N points, so every one has been tried. Opening fail-nth to
# read it has points of its own: if the countdown ran out there, the open
# failed, and the call had fewer than N too.
fail_nth() {
	echo "fail-nth $1 $3" >&"$2"
	read -r left </proc/self/fail-nth 2>/dev/null || left=after
	echo 0 >/proc/self/fail-nth 2>/dev/null
}

# dimm_add_refused: hot-add a 128 MiB DIMM while a memory notifier refuses
# onlines, and check that the guest's online of its block was refused and
# cancelled. Sets dimm (the QOM id), addr (its address) and node (its
# block's sysfs directory).
dimm_add_refused() {
	local reply block

	reply=$(host_req dimm-add 128) || die "DIMM hot-add"
	set -- $reply
	dimm=$1
	addr=$2
	block=$(printf '%d' "0x$(cat /sys/devices/system/memory/block_size_bytes)")
	node=/sys/devices/system/memory/memory$((addr / block))
	check "the DIMM's block appears and onlining it is refused" \
		wait_for 30 _online_refused
	check "  its online was cancelled (it stays offline)" [ "$(cat "$node/state")" = offline ]
}

# dimm_del_removal SLOT: unplug the DIMM dimm_add_refused added; the
# slot's REMOVAL follows.
dimm_del_removal() {
	host_req dimm-del "$dimm" >/dev/null || die "DIMM unplug"
	check "the unplug delivers its REMOVAL" wait_for 30 at_least 1 "$1" event=removal
}

# inject_unload: unload memory-notifier-error-inject if the test loaded it
# (inserted=1).
inject_unload() {
	if [ -n "$inserted" ]; then
		rmmod memory_notifier_error_inject
		rmmod notifier_error_inject
	fi
}

_online_refused() {
	dmesg | grep -q "ntc-uevent: .*/${node##*/}: state=online_movable failed"
}

# mem_ranges SLOT EVENT: "start size" in hex, one per line, sorted, from the
# link names of the slot's memory notifications of that kind.
mem_ranges() {
	events_of "$1" | grep "event=$2 " |
		sed -n 's/.*link=\\??\\ACPI#PNP0C80#\([0-9a-f]*\)+\([0-9a-f]*\)#.*/\1 \2/p' |
		while read -r s l; do
			printf '%016x %x\n' "$((0x$s))" "$((0x$l))"
		done | sort
}

# merge_ranges: read "start size" hex lines sorted by start, print them with
# adjacent ranges merged.
merge_ranges() {
	local s l ms= ml=0

	while read -r s l; do
		s=$((0x$s))
		l=$((0x$l))
		if [ -n "$ms" ] && [ $((ms + ml)) -eq "$s" ]; then
			ml=$((ml + l))
			continue
		fi
		[ -n "$ms" ] && printf '%x %x\n' "$ms" "$ml"
		ms=$s
		ml=$l
	done
	[ -n "$ms" ] && printf '%x %x\n' "$ms" "$ml"
}

# covers SLOT EVENT ADDR SIZE: the slot's ranges of that kind tile
# [ADDR, ADDR + SIZE) exactly: contiguous, no overlap, nothing outside.
covers() {
	local next=$(($3)) end=$(($3 + $4)) s l n=0

	for s in $(mem_ranges "$1" "$2" | tr ' ' ':'); do
		l=$((0x${s#*:}))
		s=$((0x${s%:*}))
		[ "$s" -eq "$next" ] || return 1
		next=$((s + l))
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] && [ "$next" -eq "$end" ]
}
