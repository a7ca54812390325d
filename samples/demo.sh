#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the guest: load ntcompat and the sample driver, hot-add
# two CPUs and a 256 MiB DIMM, unplug them, and summarise what the sample's
# callbacks saw. The host prints the sample's kernel log lines as they come.
. /lib/ntc-lib.sh

M=/work/modules
say() { echo "demo: $*"; }
sample_lines() { dmesg | grep -c "ntc_sample: $1" ; }

insmod $M/ntcompat.ko || exit 1
insmod $M/ntc_sample.ko || exit 1
say "ntcompat and the sample driver are loaded; $(cat /sys/devices/system/cpu/online) online"

set -- $(vm_cpu_add) || exit 1
q1=$1 c1=$2
say "hot-added CPU $c1"
set -- $(vm_cpu_add) || exit 1
q2=$1 c2=$2
say "hot-added CPU $c2; online now: $(cat /sys/devices/system/cpu/online)"
set -- $(vm_dimm_add 256) || exit 1
dimm=$1
say "hot-added a 256 MiB DIMM at $2"

# Callbacks are asynchronous: let them land before unplugging.
arrived() {
	[ "$(sample_lines 'processor arrival')" -ge 2 ] &&
		[ "$(sample_lines 'memory arrival')" -ge 2 ]
}
wait_for 30 arrived

vm_cpu_del "$q2" "$c2" && say "unplugged CPU $c2"
vm_cpu_del "$q1" "$c1" && say "unplugged CPU $c1"
vm_dimm_del "$dimm" && say "unplugged the DIMM"
removed() {
	[ "$(sample_lines 'processor removal')" -ge 2 ] &&
		[ "$(sample_lines 'memory removal')" -ge 2 ]
}
wait_for 30 removed
rmmod ntc_sample && rmmod ntcompat

say "summary: processor arrivals $(sample_lines 'processor arrival')," \
	"processor removals $(sample_lines 'processor removal')," \
	"memory arrivals $(sample_lines 'memory arrival')," \
	"memory removals $(sample_lines 'memory removal')"
[ "$(sample_lines 'processor arrival')" -eq 2 ] && [ "$(sample_lines 'memory arrival')" -ge 2 ]
