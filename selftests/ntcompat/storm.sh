#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A storm: CPUs hot-added, then cycled offline and online hundreds of times
# through sysfs, while a third CPU is hot-added and unplugged over QMP
# round after round, and DIMMs are hot-added, their blocks cycled and the
# DIMMs unplugged; meanwhile ntc_storm's threads register and unregister
# callbacks without pause: PnP ones, legacy and Ex, and processor-change
# ones, with and without ADD_EXISTING, some of whose Starts veto the sysfs
# onlines at random. Afterwards each registration must have been sent
# exactly the events that happened while it was registered, in order,
# once, and nothing after its Ex unregister or Deregister returned
# (ntc_storm.c says how it knows); an online may fail only where it was
# vetoed, and a vetoed one posts no ARRIVAL.
#
# ntc.soak_seconds=N on the kernel command line (make soak) makes it a
# soak: the CPUs are cycled, and DIMM rounds go on, for N seconds.
#
# QEMU 7.2 cannot hot-add after a CPU unplug: there, no device_add rounds,
# and the CPUs are unplugged once, at the end, after the last DIMM.
. ./lib.sh

STORM=/sys/kernel/debug/ntc_storm
CPU_CYCLES=${NTC_STORM_CPU_CYCLES:-120}	# per CPU, two CPUs
CPU_ROUNDS=${NTC_STORM_CPU_ROUNDS:-12}	# device_add, device_del of a third
DIMM_ROUNDS=${NTC_STORM_DIMM_ROUNDS:-3}
DIMM_MIB=256
BLOCK_CYCLES=2				# per block, per round
THREADS=3
# The debug kernel (KASAN, lockdep, kmemleak) runs about ten times slower
# under TCG: a smaller storm keeps its lane inside its time.
# There, too, a vCPU was seen to stop answering IPIs after another was
# unplugged (QEMU 7.2, TCG), hanging the guest: its CPUs end offline
# through sysfs instead of unplugged.
CPU_UNPLUG=1
if [ -e "$KMEMLEAK" ]; then
	CPU_CYCLES=${NTC_STORM_CPU_CYCLES:-50}
	CPU_ROUNDS=0
	THREADS=2
	CPU_UNPLUG=
	# 7.x's debug kernel, its one vCPU busy with the threads, was seen to
	# take more than vm_cpu_add's 30 s to bring a hot-added CPU up.
	NTC_HOTPLUG_WAIT=180
fi
SOAK_SECONDS=$(sed -n 's/.*ntc\.soak_seconds=\([0-9]*\).*/\1/p' /proc/cmdline)
DIMM_MAX_ROUNDS=30	# a soak's, within the address space QEMU gives
if [ "$CPU_ROUNDS" -gt 0 ] && [ "$(vm_cap cpu_readd)" != 1 ]; then
	echo "QEMU $(vm_cap qemu) cannot hot-add after a CPU unplug: no device_add rounds"
	CPU_ROUNDS=0
fi

storm() {
	echo "$*" >"$STORM/ctl"
}

# op CMD...: a CPU operation the storm driver counts as one event.
op() {
	storm op start
	"$@" || return 1
	storm op done
}

set_cpu() {
	echo "$2" >"/sys/devices/system/cpu/cpu$1/online"
}

set_block() {
	echo "$2" >"/sys/devices/system/memory/memory$1/state"
}

# Hundredths of a second since boot.
now_cs() {
	local up rest

	read -r up rest </proc/uptime
	echo "${up%.*}${up#*.}"
}

# more N LIMIT: another round after N of them: N < LIMIT, or in a soak,
# while its time lasts.
more() {
	if [ -n "$SOAK_SECONDS" ]; then
		[ "$(now_cs)" -lt "$deadline" ]
	else
		[ "$1" -lt "$2" ]
	fi
}

# online CPU: an online that a processor-change Start may veto, tried
# until it is not. A failure is expected only where the storm driver saw a
# veto (it posts no event then); any other is a failure.
online() {
	local try

	for try in 1 2 3 4 5 6 7 8 9 10; do
		storm op start
		if set_cpu "$1" 1 2>/dev/null; then
			storm op done
			return 0
		fi
		storm op vetoed
		storm claim 2>/dev/null || {
			echo "CPU $1: the online failed, and nothing vetoed it"
			return 1
		}
	done
	echo "CPU $1: vetoed $try times in a row"
	return 1
}

# The CPU side: the CPUs given, cycled CPU_CYCLES times each (in a soak,
# until its time is up). The count is left in /tmp/storm-cycles.
cpu_storm() {
	local i=0 cpu

	while more "$i" "$CPU_CYCLES"; do
		i=$((i + 1))
		for cpu in "$@"; do
			op set_cpu "$cpu" 0 || { echo "cycle $i: CPU $cpu offline failed"; return 1; }
			online "$cpu" || { echo "cycle $i: CPU $cpu online failed"; return 1; }
		done
		echo "$i" >/tmp/storm-cycles
		if [ $((i % 40)) -eq 0 ]; then
			echo "sysfs cycles: $i, $(($(now_cs) / 100)) s since boot"
		fi
	done
}

secs() {
	printf '%d.%02d' $(($1 / 100)) $(($1 % 100))
}

cpu_add_op() {
	vm_cpu_add >/tmp/storm-round
}

# The QMP side: CPU_ROUNDS times, a CPU hot-added (device_add) and, once
# online, unplugged (device_del). Each is one event.
cpu_rounds() {
	local round t0 t1 t2 qid cpu start_cs

	start_cs=$(now_cs)
	echo 0 >/tmp/storm-rounds-cs
	for round in $(seq "$CPU_ROUNDS"); do
		t0=$(now_cs)
		op cpu_add_op || return 1
		read -r qid cpu </tmp/storm-round
		t1=$(now_cs)
		op vm_cpu_del "$qid" "$cpu" || return 1
		t2=$(now_cs)
		echo "CPU round $round/$CPU_ROUNDS: device_add $qid, CPU $cpu online" \
			"in $(secs $((t1 - t0))) s; device_del, gone in $(secs $((t2 - t1))) s"
	done
	echo $(($(now_cs) - start_cs)) >/tmp/storm-rounds-cs
}

# The memory side: DIMM_ROUNDS DIMMs (in a soak, as many as its time
# allows), each hot-added, its blocks cycled, and unplugged, except the
# last, left for after the storm. Memory events are counted by the storm
# driver's own memory notifier. The count is left in /tmp/storm-dimms.
mem_storm() {
	local round=0 reply qid first last i b

	while [ "$round" -lt "$DIMM_MAX_ROUNDS" ]; do
		round=$((round + 1))
		reply=$(vm_dimm_add $DIMM_MIB) || return 1
		qid=${reply%% *}
		read -r first last <"/tmp/.ntc-$qid"
		for i in $(seq "$BLOCK_CYCLES"); do
			for b in $(seq "$first" "$last"); do
				set_block "$b" offline || return 1
				set_block "$b" online_movable || return 1
			done
		done
		echo "$round" >/tmp/storm-dimms
		if ! more "$round" "$DIMM_ROUNDS" || [ "$round" -eq "$DIMM_MAX_ROUNDS" ]; then
			echo "$qid" >/tmp/storm-last-dimm
			return 0
		fi
		vm_dimm_del "$qid" || return 1
	done
}

# Two CPUs for the sysfs cycles and one per round: QEMU aborts on a
# hot-add past maxcpus - smp in a guest's life.
vm_plan_cpu_adds $((2 + CPU_ROUNDS)) || die "not enough CPU hot-adds left"

load_ntcompat
insmod "$NTC_MODDIR/ntc_storm.ko" || die "insmod ntc_storm.ko"
start=$(ntc_uptime)
check "the storm starts: references registered, $THREADS threads churning" \
	storm start "$THREADS"

qids=
cpus=
for i in 1 2; do
	storm op start
	reply=$(vm_cpu_add) || die "CPU hot-add $i"
	storm op done
	set -- $reply
	qids="$qids $1"
	cpus="$cpus $2"
done
# Vetoes only where the script expects them: the sysfs onlines.
for cpu in $cpus; do
	storm veto "$cpu"
done
if [ -n "$SOAK_SECONDS" ]; then
	echo "CPUs$cpus hot-added; a soak: cycling them for $SOAK_SECONDS s"
else
	echo "CPUs$cpus hot-added; cycling them $CPU_CYCLES times each"
fi
deadline=$(($(now_cs) + ${SOAK_SECONDS:-0} * 100))

mem_storm >/tmp/storm-mem.log 2>&1 &
mem_pid=$!
cpu_rounds &
rounds_pid=$!
# shellcheck disable=SC2086 # one argument per CPU
check "offline/online cycles of CPUs$cpus${SOAK_SECONDS:+ for $SOAK_SECONDS s}" cpu_storm $cpus
read -r CPU_CYCLES </tmp/storm-cycles
check "$CPU_ROUNDS CPU device_add/device_del rounds" wait "$rounds_pid"
read -r rounds_cs </tmp/storm-rounds-cs
check "DIMM rounds, each block cycled $BLOCK_CYCLES times" wait "$mem_pid"
read -r DIMM_ROUNDS </tmp/storm-dimms
cat /tmp/storm-mem.log

check "the threads stop" storm stop
# The last events: the DIMM first, then the CPUs (QEMU's order).
read -r dimm </tmp/storm-last-dimm
check "the last DIMM is unplugged" vm_dimm_del "$dimm"
set -- $cpus
for qid in $qids; do
	storm op start
	if [ -n "$CPU_UNPLUG" ]; then
		check "CPU $1 is unplugged" vm_cpu_del "$qid" "$1"
	else
		check "CPU $1 goes offline" set_cpu "$1" 0
	fi
	storm op done
	shift
done
check "every event reaches every registration" wait_for 120 storm settled
check "the storm driver judges each registration" storm finish
report=$(cat "$STORM/report")
echo "$report" | tr '\n' ' '
echo
value() {
	echo "$report" | sed -n "s/^$1=//p"
}
echo "storm: $(value seconds) s, $(value proc_events) CPU events," \
	"$(value mem_events) memory events, $(value pcc_events) processor-change events," \
	"$(value registrations) registrations ($(value ex) Ex, $(value legacy) legacy," \
	"$(value pcc) processor-change of which $(value pcc_existing) ADD_EXISTING," \
	"$(value long_lived) held to the end), $(value callbacks) callbacks;" \
	"wall time $(($(ntc_uptime) - start)) s"
echo "storm: $((2 * CPU_CYCLES)) sysfs cycles, $(value pcc_starts) processor-change Starts," \
	"$(value vetoes) vetoed (the online failing: $(value claimed));" \
	"$CPU_ROUNDS CPU device_add/device_del rounds over QMP in $(secs "$rounds_cs") s;" \
	"$DIMM_ROUNDS DIMM rounds"

# Every transition is one event: two hot-adds, the cycles, the rounds' adds
# and unplugs, two unplugs; per DIMM block, its arrival, its cycles and its
# removal.
blocks=$((DIMM_MIB * 1048576 / 0x$(cat /sys/devices/system/memory/block_size_bytes)))
cpu_events=$((2 + 4 * CPU_CYCLES + 2 * CPU_ROUNDS + 2))
mem_events=$((DIMM_ROUNDS * blocks * (2 + 2 * BLOCK_CYCLES)))
# Processor change: per online, Start then Complete, or Start then Failure
# where vetoed; every vetoed online failed and was claimed.
onlines=$((2 + 2 * CPU_CYCLES + CPU_ROUNDS))
vetoes=$(value vetoes)
check "every Register succeeded" [ "$(value refused)" = 0 ]
check "pcc: the reference got a Complete per online ($onlines)" \
	[ "$(value pcc_completes)" = "$onlines" ]
check "pcc: a Start per online tried ($onlines + $vetoes vetoed)" \
	[ "$(value pcc_starts)" = $((onlines + vetoes)) ]
check "pcc: a Failure per veto, each with the veto's status" \
	[ "$(value pcc_failures)" = "$vetoes" -a "$(value pcc_vetoed)" = "$vetoes" \
	  -a "$(value pcc_failures_unvetoed)" = 0 ]
check "pcc: every vetoed online failed, and no other did" [ "$(value claimed)" = "$vetoes" ]
# One in eight: with 80 sysfs onlines, none is vetoed once in 40,000 runs.
[ $((2 * CPU_CYCLES)) -ge 80 ] &&
	check "pcc: some onlines were vetoed" [ "$vetoes" -gt 0 ]
check "pcc: each Start followed by its CPU's Complete or Failure" \
	[ "$(value pcc_order_bad)" = 0 -a "$(value pcc_unparsed)" = 0 ]
check "pcc: registrations, with and without ADD_EXISTING, vetoing and not" \
	[ "$(value pcc)" -gt "$(value pcc_existing)" -a "$(value pcc_existing)" -gt 0 \
	  -a "$(value pcc_vetoers)" -gt 0 ]
check "pcc: every ADD_EXISTING replay was Start, then Complete, per online CPU" \
	[ "$(value existing_bad)" = 0 ]
check "pcc: no callback after its Deregister returned" [ "$(value late_pcc)" = 0 ]
check "pcc: the reference's log held every event" [ "$(value pcc_overflow)" = 0 ]
check "the reference got all $cpu_events CPU events, none for a vetoed online" [ "$(value proc_events)" = "$cpu_events" ]
check "the reference got all $mem_events memory events" [ "$(value mem_events)" = "$mem_events" ]
check "at least 1000 registrations, both kinds of unregister" \
	[ "$(value registrations)" -ge 1000 -a "$(value ex)" -gt 0 -a "$(value legacy)" -gt 0 ]
[ -n "$SOAK_SECONDS" ] &&
	check "the soak lasted its $SOAK_SECONDS s" [ "$(value seconds)" -ge "$SOAK_SECONDS" ]
check "registrations held to the end" [ "$(value long_lived)" -gt 0 ]
for what in proc mem; do
	check "$what: no event unparsed, none repeated for its instance" \
		[ "$(value ${what}_unparsed)" = 0 -a "$(value ${what}_unordered)" = 0 ]
	check "$what: the reference's log held every event" [ "$(value ${what}_overflow)" = 0 ]
done
check "no registration got an event posted before its Register" [ "$(value early)" = 0 ]
check "none missed events after its Register" [ "$(value missed_head)" = 0 ]
check "none missed events before its Unregister" [ "$(value missed_tail)" = 0 ]
check "none that should have got events got none" [ "$(value missed_all)" = 0 ]
check "none got an event after its Unregister" [ "$(value beyond)" = 0 ]
check "none skipped or repeated an event" [ "$(value gaps)" = 0 ]
check "each got the events the reference got" [ "$(value mismatched)" = 0 ]
check "no callback ran after its Ex unregister returned" [ "$(value late_ex)" = 0 ]
check "at most one callback after a legacy unregister returned" [ "$(value late_legacy)" = 0 ]
check "every Unregister succeeded" [ "$(value unreg_failed)" = 0 ]

stop_driver ntc_storm
check "ntc_storm unloads" rmmod ntc_storm
check "ntcompat unloads" rmmod ntcompat
finish
