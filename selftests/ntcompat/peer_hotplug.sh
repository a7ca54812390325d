#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The kernel's own hotplug selftests, cpu-hotplug/cpu-on-off-test.sh (its
# default and its -a scope) and memory-hotplug/mem-on-off-test.sh from Debian's linux-source (with its
# memory-notifier-error-inject), pass with ntcompat and a recording client
# loaded as they pass without, and every online and offline they cause, as
# the kernel's uevents tell them, reaches the client once, in order.
. ./lib.sh

PEER=$NTC_MODDIR/peer
[ -r "$PEER/cpu-on-off-test.sh" ] && [ -r "$PEER/mem-on-off-test.sh" ] ||
	skip "the kernel's hotplug selftests are not in $PEER"

# Their bash, and the modprobe they call for the error injection module.
mkdir -p /lib64 /lib/x86_64-linux-gnu
cp "$PEER/ld-linux-x86-64.so.2" /lib64/
cp "$PEER"/lib*.so.* /lib/x86_64-linux-gnu/
cp "$PEER/bash" /bin/bash
kdir=/lib/modules/$(uname -r)
mkdir -p "$kdir"
cp "$NTC_MODDIR"/*notifier-error-inject.ko "$kdir/" 2>/dev/null
depmod

# Hardware for them to cycle: two more CPUs and a movable DIMM.
vm_cpu_add >/dev/null || die "CPU hot-add"
vm_cpu_add >/dev/null || die "CPU hot-add"
vm_dimm_add 512 >/dev/null || die "DIMM hot-add"

# peers TAG: run both; their output goes to /tmp/TAG.*, their status to
# $cpu_rc and $mem_rc.
peers() {
	bash "$PEER/cpu-on-off-test.sh" >"/tmp/$1.cpu" 2>&1 &&
		bash "$PEER/cpu-on-off-test.sh" -a >>"/tmp/$1.cpu" 2>&1
	cpu_rc=$?
	bash "$PEER/mem-on-off-test.sh" >"/tmp/$1.mem" 2>&1
	mem_rc=$?
	echo "$1 ntcompat: cpu-on-off-test.sh exit $cpu_rc, mem-on-off-test.sh exit $mem_rc"
}

peers without
check "cpu-on-off-test.sh, both scopes, passes without ntcompat" [ "$cpu_rc" = 0 ]
check "mem-on-off-test.sh passes without ntcompat" [ "$mem_rc" = 0 ]
[ "$cpu_rc$mem_rc" = 00 ] || cat /tmp/without.cpu /tmp/without.mem

load_client
check "register processor slot 0" ctl reg 0 proc
check "register memory slot 1" ctl reg 1 mem
recorder=$(ntc-uevent -l /tmp/truth) || die "ntc-uevent -l"
peers with
check "cpu-on-off-test.sh, both scopes, passes with ntcompat" [ "$cpu_rc" = 0 ]
check "mem-on-off-test.sh passes with ntcompat" [ "$mem_rc" = 0 ]
[ "$cpu_rc$mem_rc" = 00 ] || cat /tmp/with.cpu /tmp/with.mem

# What the kernel did, per device, as "device action" lines in order.
truth() {
	sed -n "s/^\(online\|offline\) \($1[0-9]*\)$/\2 \1/p" /tmp/truth
}
# What slot 0 saw: "cpuN online|offline".
seen_cpu() {
	events_of 0 | sed -n 's/.*event=\([a-z]*\) .*ACPI0007#\([0-9]*\)#.*/cpu\2 \1/p' |
		sed 's/arrival$/online/; s/removal$/offline/'
}
# What slot 1 saw, per block. One offline of a block with holes is one
# notification per piece of RAM in it: consecutive notifications for
# different pieces of one block make one transition.
seen_mem() {
	local bs

	bs=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
	events_of 1 | sed -n 's/.*event=\([a-z]*\) .*PNP0C80#\([0-9a-f]*\)+.*/\1 \2/p' |
		while read -r ev start; do
			echo "memory$((0x$start / bs)) $ev $start"
		done |
		awk '{ key = $1 " " $2 } key == prev && $3 != prevstart { prevstart = $3; next }
		     { prev = key; prevstart = $3; print key }' |
		sed 's/arrival$/online/; s/removal$/offline/'
}
# by_device: group lines by their device, keeping each device's order.
by_device() {
	awk '{ n[$1]++; print $1, n[$1], $2 }' | sort -k1,1 -k2,2n
}
settled() {
	[ "$(seen_cpu | wc -l)" -ge "$(truth cpu | wc -l)" ] &&
		[ "$(seen_mem | wc -l)" -ge "$(truth memory | wc -l)" ]
}

wait_for 60 settled
kill "$recorder"
echo "the kernel: $(truth cpu | wc -l) CPU and $(truth memory | wc -l) memory block transitions;" \
	"the client: $(seen_cpu | wc -l) and $(seen_mem | wc -l)"
check "the CPU test caused transitions" [ "$(truth cpu | wc -l)" -ge 4 ]
check "the memory test caused transitions" [ "$(truth memory | wc -l)" -ge 2 ]
check "each CPU transition reached the client once, in order" \
	[ "$(truth cpu | by_device)" = "$(seen_cpu | by_device)" ]
check "each memory block transition reached the client once, in order" \
	[ "$(truth memory | by_device)" = "$(seen_mem | by_device)" ]
if [ "$(truth memory | by_device)" != "$(seen_mem | by_device)" ]; then
	truth memory | by_device >/tmp/t
	seen_mem | by_device >/tmp/s
	diff /tmp/t /tmp/s
fi
check "the client recorded every callback" not grep -q overflow "$CLIENT/log"

unload_all
finish
