#!/bin/sh
# shellcheck shell=dash disable=SC2086 # replies are split on purpose
# Smoke test of the ntc-vm harness itself, and an example guest script:
# hot-add two CPUs and a 256 MiB DIMM, check that they are online, unplug
# them all.
#
#   scripts/ntc-vm --kernel /boot/vmlinuz-<release> \
#           --run scripts/guest/smoke.sh

# shellcheck source=ntc-lib.sh
. /lib/ntc-lib.sh

fail() {
	echo "FAIL: $*"
	exit 1
}

# Milliseconds since boot, for the timings printed below.
now_ms() {
	local up rest

	read -r up rest </proc/uptime
	# Two decimals; the 1 in front keeps "08" from reading as octal.
	echo $((${up%.*} * 1000 + 1${up#*.}0 - 1000))
}

# timed NAME CMD...: run CMD (output in $result), print how long it took.
timed() {
	local name=$1 t0

	shift
	t0=$(now_ms)
	result=$("$@") || fail "$name"
	echo "time $name: $(($(now_ms) - t0)) ms"
}

echo "online cpus: $(cat /sys/devices/system/cpu/online)"

timed cpu-add vm_cpu_add
set -- $result
cpu_a=$1 num_a=$2
timed cpu-add vm_cpu_add
set -- $result
cpu_b=$1 num_b=$2
echo "added $cpu_a as cpu$num_a, $cpu_b as cpu$num_b"
echo "online cpus: $(cat /sys/devices/system/cpu/online)"
for n in $num_a $num_b; do
	[ "$(cat /sys/devices/system/cpu/cpu$n/online)" = 1 ] || fail "cpu$n offline"
done

free_before=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)
timed dimm-add vm_dimm_add 256
set -- $result
dimm=$1
echo "added $dimm at $2, size $3"
free_after=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)
echo "MemTotal: $free_before kB -> $free_after kB"
[ $((free_after - free_before)) -eq $((256 * 1024)) ] ||
	fail "MemTotal did not grow by 256 MiB"
movable=$(grep -l Movable /sys/devices/system/memory/memory*/valid_zones |
	wc -l)
echo "blocks in ZONE_MOVABLE: $movable"
[ "$movable" -eq 2 ] || fail "the DIMM's two blocks are not movable"

# CPU unplugs last: QEMU 7.2 under TCG breaks on hotplug after one, and
# ntc-vm refuses any but further CPU unplugs then.
timed dimm-del vm_dimm_del "$dimm"
timed cpu-del vm_cpu_del "$cpu_b" "$num_b"
timed cpu-del vm_cpu_del "$cpu_a" "$num_a"
echo "online cpus: $(cat /sys/devices/system/cpu/online)"
[ "$(cat /sys/devices/system/cpu/online)" = 0 ] || fail "CPUs left online"
[ "$(awk '/MemTotal/ { print $2 }' /proc/meminfo)" = "$free_before" ] ||
	fail "MemTotal did not shrink back"
echo "PASS"
