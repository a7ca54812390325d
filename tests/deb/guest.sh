#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In a guest booted from a chroot's kernel: the packaged ntcompat.ko and the
# sample driver built against the installed ntcompat.mk load, the sample's
# callbacks fire for a hot-added CPU and a hot-added DIMM, and the packaged
# ntc-unload stops and unloads it.
# shellcheck source=/dev/null # the guest's, from scripts/guest/
. /lib/ntc-lib.sh
M=/work/modules
seen() { dmesg | grep -c "ntc_sample: $1"; }

insmod $M/ntcompat.ko || exit 1
insmod $M/ntc_sample.ko || exit 1
# shellcheck disable=SC2046 # "<qom id> <cpu>"
set -- $(vm_cpu_add) || exit 1
cpu=$2
wait_for 30 sh -c "dmesg | grep -q 'ntc_sample: processor arrival: .*#ACPI0007#$cpu#'" ||
	{ echo "no processor arrival for CPU $cpu"; exit 1; }
vm_dimm_add 256 >/dev/null || exit 1
# shellcheck disable=SC2016 # for the inner shell
wait_for 30 sh -c '[ "$(dmesg | grep -c "ntc_sample: memory arrival")" -eq 2 ]' ||
	{ echo "not two memory arrivals for a 256 MiB DIMM"; exit 1; }
sh /work/ntc-unload ntc_sample || exit 1
if [ -e /sys/module/ntc_sample ] || [ "$(seen unregistered)" -ne 1 ]; then
	echo "ntc-unload did not stop and unload the sample"
	exit 1
fi
version=$(cat /sys/module/ntcompat/version)
rmmod ntcompat || exit 1
echo "guest: ntcompat $version and the sample loaded; arrivals for CPU $cpu and" \
	"$(seen 'memory arrival') memory blocks; ntc-unload stopped and unloaded it"
