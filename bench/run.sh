#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, inside the guest (booted with two CPUs): measure ntcompat and
# the raw mechanisms side by side in this one boot, and print one
# "BENCH name key=value..." line per sample for bench/report.
. /lib/ntc-lib.sh

M=/work/modules
B=/sys/kernel/debug/ntc_bench
S=/sys/kernel/debug/ntcompat/stats
CPU=1
ROUNDS=${ROUNDS:-3}
CYCLES=${CYCLES:-30}

bench() {
	echo "$*" >$B/ctl
}
load() {
	insmod $M/ntcompat.ko && insmod $M/ntc_bench.ko
}
unload() {
	echo 1 >/sys/module/ntc_bench/ntcompat/stop
	rmmod ntc_bench && rmmod ntcompat
}
cycle() {
	echo 0 >/sys/devices/system/cpu/cpu$CPU/online
	echo 1 >/sys/devices/system/cpu/cpu$CPU/online
}
# Everything posted so far has been delivered once a fresh arrival has.
drain() {
	bench latarm || return 1
	cycle
	wait_for 120 bench latresult 2>/dev/null
}
# drain, then a second for the fan-out of the last event to end: the next
# offline's stop_machine must not fall in the middle of one being timed.
settle() {
	drain && sleep 1
}
slab_kb() {
	sed -n 's/^Slab: *\([0-9]*\) kB/\1/p' /proc/meminfo
}

echo "bench: $(nproc) CPUs online, cycling CPU $CPU; $ROUNDS rounds of $CYCLES cycles"

# 1. Hotplug path: the same offline/online cycles without ntcompat, then
#    with it and a growing number of registrations; rounds interleaved.
r=1
while [ $r -le "$ROUNDS" ]; do
	echo "BENCH hotplug round=$r regs=none ns=$(/work/ntc-cycle $CPU "$CYCLES")"
	load || exit 1
	for n in 0 1 100 1000 10000; do
		bench regs $n || exit 1
		drain || exit 1
		echo "BENCH hotplug round=$r regs=$n ns=$(/work/ntc-cycle $CPU "$CYCLES")"
	done
	drain
	unload || exit 1
	r=$((r + 1))
done

# 1b. Processor change: the synchronous callbacks run inside the online,
#    so CPU online time itself, with 0, 1, 100 and 1,000 empty ones.
r=1
while [ $r -le "$ROUNDS" ]; do
	echo "BENCH pcc round=$r regs=none cycles=$CYCLES ns=$(/work/ntc-cycle $CPU "$CYCLES" online)"
	load || exit 1
	for n in 0 1 100 1000; do
		bench pcc $n || exit 1
		echo "BENCH pcc round=$r regs=$n cycles=$CYCLES ns=$(/work/ntc-cycle $CPU "$CYCLES" online)"
		# What the walks themselves cost, as ntcompat times them.
		echo "BENCH pccwalk round=$r regs=$n" \
			"start_ns=$(sed -n 's/^processor_change_last_start_ns //p' $S)" \
			"complete_ns=$(sed -n 's/^processor_change_last_complete_ns //p' $S)"
	done
	bench pcc 0
	drain
	unload || exit 1
	r=$((r + 1))
done

load || exit 1
# 2. Fan-out: the fastest of six CPU events to R registrations (three
#    offline/online cycles, each settled), against the fastest of twenty calls of a raw
#    chain of R.
r=1
while [ $r -le "$ROUNDS" ]; do
	for n in 10 100 1000 10000; do
		bench regs $n && settle && settle && settle || exit 1
		bench fanout || exit 1
		echo "BENCH fanout round=$r regs=$n $(cat $B/result)"
	done
	r=$((r + 1))
done

# 3. Latency out of hotplug context, one registration.
bench regs 0
i=1
while [ $i -le $((ROUNDS * 10)) ]; do
	drain || exit 1
	echo "BENCH latency sample=$i $(cat $B/result)"
	i=$((i + 1))
done

# 4. Registration cost with 10 and with 10,000 registrations present.
r=1
while [ $r -le "$ROUNDS" ]; do
	for n in 10 10000; do
		bench regs $n && bench regcost 5000 || exit 1
		echo "BENCH regcost round=$r present=$n $(cat $B/result)"
	done
	r=$((r + 1))
done

# 4b. Reading debugfs registrations with 10 and with 10,000 present.
r=1
while [ $r -le "$ROUNDS" ]; do
	for n in 10 10000; do
		bench regs $n || exit 1
		echo "BENCH debugfs round=$r present=$n $(/work/ntc-cycle read /sys/kernel/debug/ntcompat/registrations)"
	done
	r=$((r + 1))
done

# 5. Pool against kmalloc, sizes interleaved, rounds apart.
r=1
while [ $r -le "$ROUNDS" ]; do
	for size in 64 256 1000; do
		bench pool $size || exit 1
		echo "BENCH pool round=$r size=$size $(cat $B/result)"
	done
	r=$((r + 1))
done

# 6. Memory: slab growth per registration and per queued event.
bench regs 0 && drain
before=$(slab_kb)
bench regs 10000
echo "BENCH memory what=registration count=10000 slab_kb=$(($(slab_kb) - before))"
bench regs 0 && drain
bench block
cycle
before=$(slab_kb)
/work/ntc-cycle $CPU 750 >/dev/null
echo "BENCH memory what=event count=1500 slab_kb=$(($(slab_kb) - before))"
bench release
drain

# 7. The Ke* runtime against the mechanisms it maps to.
r=1
while [ $r -le "$ROUNDS" ]; do
	for what in locks events dpcs; do
		bench $what || exit 1
		echo "BENCH ke round=$r what=$what $(cat $B/result)"
	done
	r=$((r + 1))
done

# 8. The cost of posting a memory block's event, from the first block to
#    the last of 16 GiB hot-added above all other memory, and of taking
#    them away again: the kernel's function_graph tracer times each call.
T=/sys/kernel/tracing
blocks() {
	awk -v f="$1" '$0 ~ f { for (i = 1; i < NF; i++) if ($(i + 1) == "us") {
		printf "%d\n", $i * 1000; break } }' $T/trace
}
# median FILE FROM: the median of 8 durations from line FROM on.
median() {
	tail -n +"$2" "$1" | head -n 8 | sort -n | sed -n 4p
}
memblock() {
	blocks "$2" >/tmp/blocks
	n=$(wc -l </tmp/blocks)
	[ "$n" -ge 16 ] || { echo "bench: only $n $1 blocks traced"; return 1; }
	echo "BENCH memblock what=$1 blocks=$n first_ns=$(median /tmp/blocks 1)" \
		"last_ns=$(median /tmp/blocks $((n - 7)))"
}
echo 'ntc_event_post_memory_arrival ntc_event_post_memory_removal' >$T/set_ftrace_filter || exit 1
echo function_graph >$T/current_tracer || exit 1
dimms=
for i in 1 2 3 4; do
	set -- $(vm_dimm_add 4096) || exit 1
	dimms="$dimms $1"
done
memblock online ntc_event_post_memory_arrival || exit 1
echo >$T/trace
for d in $dimms; do
	vm_dimm_del "$d" || exit 1
done
memblock offline ntc_event_post_memory_removal || exit 1
echo nop >$T/current_tracer
unload
echo "bench: done"
