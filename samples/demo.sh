#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the guest: load ntcompat and the sample driver, hot-add
# two CPUs and a 256 MiB DIMM, unplug them, and summarise what the sample's
# callbacks saw (synchronous processor-change Start and Complete first, then
# the asynchronous arrivals). The host prints the sample's kernel log lines as they come.
. /lib/ntc-lib.sh

M=/work/modules
say() { echo "demo: $*"; }
count() { dmesg | grep -c "ntc_sample: $1"; }
fail() {
	say "FAILED: $*"
	exit 1
}

insmod $M/ntcompat.ko || fail "insmod ntcompat.ko"
insmod $M/ntc_sample.ko || fail "insmod ntc_sample.ko"
say "ntcompat and the sample driver are loaded; CPUs online: $(cat /sys/devices/system/cpu/online)"

set -- $(vm_cpu_add) || fail "CPU hot-add"
q1=$1 c1=$2
say "hot-added CPU $c1"
set -- $(vm_cpu_add) || fail "CPU hot-add"
q2=$1 c2=$2
say "hot-added CPU $c2; CPUs online: $(cat /sys/devices/system/cpu/online)"
set -- $(vm_dimm_add 256) || fail "DIMM hot-add"
dimm=$1
say "hot-added a 256 MiB DIMM at $2 (two 128 MiB memory blocks)"

# Callbacks are asynchronous: let them land before unplugging.
arrived() {
	[ "$(count 'processor arrival')" -eq 2 ] && [ "$(count 'memory arrival')" -eq 2 ]
}
wait_for 30 arrived || fail "the arrivals did not all reach the sample"

# QEMU 7.2 takes nothing after a CPU unplug: the DIMM goes first.
vm_dimm_del "$dimm" || fail "DIMM unplug"
say "unplugged the DIMM"
vm_cpu_del "$q2" "$c2" || fail "CPU unplug"
say "unplugged CPU $c2"
vm_cpu_del "$q1" "$c1" || fail "CPU unplug"
say "unplugged CPU $c1"
removed() {
	[ "$(count 'processor removal')" -eq 2 ] && [ "$(count 'memory removal')" -eq 2 ]
}
wait_for 30 removed || fail "the removals did not all reach the sample"
# Stop the driver as Windows would (DriverUnload unregisters), then unload.
echo 1 >/sys/module/ntc_sample/ntcompat/stop || fail "stopping the sample"
rmmod ntc_sample && rmmod ntcompat || fail "unloading"

say "summary: the sample driver's callbacks saw" \
	"$(count 'processor-change start') processor-change Starts," \
	"$(count 'processor-change complete') Completes," \
	"$(count 'processor arrival') processor arrivals," \
	"$(count 'processor removal') processor removals," \
	"$(count 'memory arrival') memory arrivals and" \
	"$(count 'memory removal') memory removals, then unloaded cleanly"
