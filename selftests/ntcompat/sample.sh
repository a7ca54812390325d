#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The sample driver, written as Microsoft documents, loads through
# DriverEntry, is told of the running processors (ADD_EXISTING) and of a
# hot-added one in Start, then Complete on it, then the asynchronous
# ARRIVAL, which finds the state Complete finished; keeps that state in
# pool (a table grown in Start, an entry per processor), sees memory
# arrivals, and unloads through DriverUnload with nothing left in pool.
. ./lib.sh

sample_log() {
	dmesg | grep 'ntc_sample: '
}

# logged FIXED: the sample has logged a line containing FIXED.
logged() {
	sample_log | grep -qF -- "$1"
}

load_ntcompat
check "the sample loads (DriverEntry registers both)" \
	insmod "$NTC_MODDIR/ntc_sample.ko"
check "DriverEntry logged its registration" \
	logged 'registered for processor changes, processor and memory arrival'
check "ADD_EXISTING: Start and Complete for the boot CPU" \
	[ "$(sample_log | grep -c 'processor-change [a-z]*: processor 0')" -eq 2 ]

reply=$(vm_cpu_add) || die "CPU hot-add"
set -- $reply
qom=$1
cpu=$2
want="processor arrival: \\??\\ACPI#ACPI0007#$cpu#$CPU_GUID, $(online_count) active processors"
check "AsyncProcessorCallback saw CPU $cpu arrive" \
	wait_for 30 logged "$want"
check "the ARRIVAL found the processor's state running" \
	sh -c "dmesg | grep 'processor arrival: .*#$cpu#' | grep -q 'its state running'"
check "Start, Complete (on CPU $cpu), ARRIVAL, in that order" \
	[ "$(sample_log | grep -E "processor-change .*processor $cpu|processor arrival: .*#$cpu#" |
	     sed 's/.*ntc_sample: \([a-z-]* [a-z]*\).*/\1/' | tr '\n' ,)" = \
	  "processor-change start,processor-change complete,processor arrival," ]
check "Complete ran on the new processor" \
	logged "processor-change complete: processor $cpu, running on processor $cpu"
# Blocks the sample holds in pool: its table and an entry per processor.
pool_held() {
	set -- $(sed -n 's/^tag=Samp .*owner=ntc_sample .*allocs=\([0-9]*\) frees=\([0-9]*\) .*/\1 \2/p' \
		/sys/kernel/debug/ntcompat/pool)
	[ $# -eq 2 ] && echo $(($1 - $2))
}
held=$(pool_held)
echo "the sample holds $held pool blocks with $(online_count) processors online"
check "an entry per processor and the table, in pool" [ "$held" = $(($(online_count) + 1)) ]

reply=$(vm_dimm_add 256) || die "DIMM hot-add"
set -- $reply
dimm=$1
blocks=$(($3 / $(cat /sys/devices/system/memory/block_size_bytes | sed 's/^/0x/')))
memory_arrivals() {
	[ "$(sample_log | grep -c "memory arrival: .*PNP0C80")" -eq "$blocks" ]
}
check "AsyncMemoryCallback saw each of the DIMM's $blocks blocks arrive" \
	wait_for 30 memory_arrivals

check "rmmod refuses the sample while it is registered" not rmmod ntc_sample
check "stopping the sample runs its DriverUnload" stop_driver ntc_sample
check "DriverUnload unregistered" logged 'ntc_sample: unregistered'
check "then the sample unloads" rmmod ntc_sample
check "  having freed all its pool" not sh -c "dmesg | grep -q 'ntc_sample unloaded still holding'"

# Unplug with a witness registered, to know when the removals have been
# delivered: by then the sample would have logged them, had it still been
# registered.
insmod "$NTC_MODDIR/ntc_test_client.ko" || die "insmod ntc_test_client.ko"
check "register witness (processor)" ctl reg 0 proc
check "register witness (memory)" ctl reg 1 mem
# QEMU 7.2 takes nothing after a CPU unplug: the DIMM goes first.
vm_dimm_del "$dimm" || die "DIMM unplug"
vm_cpu_del "$qom" "$cpu" || die "CPU unplug"
check "witness saw the DIMM removal" wait_for 30 at_least "$blocks" 1 event=removal
check "witness saw the CPU removal" wait_for 30 at_least 1 0 event=removal
check "the unloaded sample got no callback" [ "$(sample_log | grep -c removal)" -eq 0 ]
unload_all
finish
