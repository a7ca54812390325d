#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Allocation failure in the calls of the processor-change, pool and
# affinity APIs, as fault_register.sh does for Register: failslab's
# fail-nth fails the 1st, 2nd, ... fault-injection point of one call, until
# the call has fewer points than that. Each time the call gives its
# documented answer (KeRegisterProcessorChangeCallback NULL and no
# callback, with or without ADD_EXISTING; ExAllocatePool2 NULL, its tag's
# record absent or empty, for a first allocation of the tag and a large
# block; KeSetSystemGroupAffinityThread no move and a zeroed previous
# affinity), leaves nothing registered or held, and works when tried again;
# kmemleak (in finish) finds nothing leaked. DPCs and waits allocate
# nothing: those calls reach no fault-injection point. Needs failslab and
# /proc/self/fail-nth (the debug lane); a skip elsewhere.
# ntc-vm: --smp 2
. ./lib.sh
. ./pcc_lib.sh
. ./ke_lib.sh

fail_nth_setup
MAX_POINTS=50

load_pcc
insmod "$NTC_MODDIR/ntc_prims_test.ko" || die "insmod ntc_prims_test.ko"
insmod "$NTC_MODDIR/ntc_ke_test.ko" || die "insmod ntc_ke_test.ko"
PRIMS=/sys/kernel/debug/ntc_prims_test
POOL=/sys/kernel/debug/ntcompat/pool
# Opened once: opening a file would spend fault-injection points.
exec 3>"$PCC/ctl" 4>"$PRIMS/ctl" 5>"$KE/ctl"

# --- KeRegisterProcessorChangeCallback --------------------------------------
# No registration of this driver left in ntcompat's list.
none_registered() {
	! grep -q owner=ntc_pcc_test /sys/kernel/debug/ntcompat/processor_change
}

no_trace() {
	[ "$(ncalls 0)" -eq 0 ] && none_registered
}

cpus=$(online_count)
for flags in 0 1; do
	n=1 failures=0 left=0
	while [ "$left" = 0 ] && [ $n -le $MAX_POINTS ]; do
		pcc clear
		fail_nth $n 3 "reg 0 $flags"
		read -r pcc_status pcc_detail <"$PCC/status"
		if [ "$pcc_status" = 0x00000000 ]; then
			# A point whose failure is absorbed: registered.
			check "flags $flags, point $n absorbed: registered, replayed" \
				[ "$(ncalls 0)" -eq $((flags * 2 * cpus)) ]
			pcc dereg 0
		else
			failures=$((failures + 1))
			check "flags $flags, point $n failing: NULL" \
				[ "$pcc_status" = "$STATUS_UNSUCCESSFUL" ]
			check "  no callback, nothing registered" no_trace
		fi
		n=$((n + 1))
	done
	check "flags $flags: all $((n - 2)) injection points tried, $failures refused" \
		[ "$left" != 0 ]
	check "  at least one allocation failure reached Register" [ "$failures" -ge 1 ]
	pcc clear
	check "  then Register works: $((flags * 2 * cpus)) replayed calls" \
		pcc_reg 0 $flags
	check "  and they came" [ "$(ncalls 0)" -eq $((flags * 2 * cpus)) ]
	pcc dereg 0
	check "  Deregister leaves nothing registered" none_registered
done

# --- ExAllocatePool2: the tag's record, made on its first allocation ---------
# record TAG: the (tag, ntc_prims_test) record's counts, or nothing.
record() {
	sed -n "s/.* value=$1 owner=ntc_prims_test allocs=\([0-9]*\) frees=\([0-9]*\) bytes=\([-0-9]*\).*/\1 \2 \3/p" "$POOL"
}

for size in 64 65536; do
	n=1 failures=0 left=0
	while [ "$left" = 0 ] && [ $n -le $MAX_POINTS ]; do
		# A new tag each time: its record is made in the call.
		tag=$(printf '0x%08x' $((0x46610000 + (size > 4096) * 0x100 + n)))
		fail_nth $n 4 "pooltag $size $tag"
		result=$(cat "$PRIMS/result")
		case $result in
		"ok pooltag got=1")
			check "$size bytes, point $n absorbed: allocated and freed" \
				[ "$(record "$tag")" = "1 1 0" ]
			;;
		"ok pooltag got=0")
			failures=$((failures + 1))
			check "$size bytes, point $n failing: NULL, the record absent or empty" \
				[ -z "$(record "$tag")" -o "$(record "$tag")" = "0 0 0" ]
			echo "pooltag $size $tag" >"$PRIMS/ctl"
			check "  and the next allocation under the tag works, counted" \
				[ "$(cat "$PRIMS/result")" = "ok pooltag got=1" -a \
				  "$(record "$tag")" = "1 1 0" ]
			;;
		*)
			check "$size bytes, point $n: an answer ($result)" false
			;;
		esac
		n=$((n + 1))
	done
	check "$size bytes: all $((n - 2)) injection points tried, $failures gave NULL" \
		[ "$left" != 0 ]
	check "  at least one allocation failure reached ExAllocatePool2" [ "$failures" -ge 1 ]
done

# --- KeSetSystemGroupAffinityThread: the record of the thread's own ----------
# The writer's affinity as the kernel keeps it (all possible CPUs, not only
# the two present), which a revert to the previous affinity must restore.
allowed() {
	sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/$$/status
}
own=$(allowed)
echo "the writer's own affinity: CPUs $own"

n=1 failures=0 left=0
while [ "$left" = 0 ] && [ $n -le $MAX_POINTS ]; do
	fail_nth $n 5 "affonce 1"
	result=$(cat "$KE/result")
	case $result in
	*" prev_group=0 prev_mask=0x0")
		failures=$((failures + 1))
		;;
	"on=1 prev_group=0 prev_mask=0x"*)
		;;
	*)
		check "point $n: moved with its previous affinity, or not at all ($result)" false
		;;
	esac
	check "point $n: the thread is back on its own affinity" [ "$(allowed)" = "$own" ]
	n=$((n + 1))
done
check "affinity: all $((n - 2)) injection points tried, $failures refused" [ "$left" != 0 ]
check "  at least one allocation failure reached KeSetSystemGroupAffinityThread" \
	[ "$failures" -ge 1 ]
echo "affonce 1" >&5
result=$(cat "$KE/result")
check "  then it moves the thread ($result)" has "$result" "on=1 "
check "  and the revert restores its own affinity" [ "$(allowed)" = "$own" ]

# --- DPCs and waits: no allocation at all ------------------------------------
# As many points as a command ntc_ke_test refuses at once: those of the
# rest of the write and of the open that reads the countdown back. What
# the shell does between the two may take more (7.x's debug kernel was
# seen to use 12 and 28 in turn for the same command, while the countdown
# still started before the write), so each count is the fewest of three.
fewest_points() {
	local most=0 i

	for i in 1 2 3; do
		fail_nth 100 5 "$1"
		[ "$left" -gt "$most" ] && most=$left
	done
	left=$most
}
fewest_points nothing
base=$left
for cmd in "dpc 1" dpcqueue multi; do
	fewest_points "$cmd"
	check "$cmd reaches no fault-injection point ($((100 - left)) as for no call)" \
		[ "$left" = "$base" ]
	check "  and does its work" ke $cmd
done

exec 3>&- 4>&- 5>&-
check "DriverUnload deregisters; then it unloads" unload_pcc
rmmod ntc_prims_test
rmmod ntc_ke_test
rmmod ntcompat
finish
