#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A bring-up that the kernel itself fails after Start (failure injected
# through /sys/devices/system/cpu/cpuN/hotplug/fail at ntcompat's Complete
# state) ends in Failure for every registration, with STATUS_UNSUCCESSFUL,
# never in a Start with nothing after it; the next online works. Needs
# the fail file, which Linux gives only CPUs present at boot: a second
# boot CPU is used, and the test skips where the file is absent.
# ntc-vm: --smp 2
. ./lib.sh
. ./pcc_lib.sh

cpu=1
sys=/sys/devices/system/cpu/cpu$cpu
[ -e $sys/hotplug/fail ] || skip "no $sys/hotplug/fail in this kernel"
load_pcc
check "register slot 0" pcc_reg 0 0
check "register slot 1" pcc_reg 1 0
check "offline CPU $cpu" sh -c "echo 0 >$sys/online"
state=$(cpuhp_state_of ntcompat:pcc-complete)
echo "ntcompat:pcc-complete is state $state"
check "inject a failure at the Complete state" sh -c "echo $state >$sys/hotplug/fail"
pcc clear
check "the online fails" not sh -c "echo 1 >$sys/online"
check "CPU $cpu is offline" [ "$(cat $sys/online)" = 0 ]
check "Start, then Failure for each: nothing left hanging" \
	[ "$(order | tr '\n' ' ')" = "0:start:$cpu 1:start:$cpu 0:failure:$cpu 1:failure:$cpu " ]
check "Failure's Status is STATUS_UNSUCCESSFUL" \
	[ "$(grep -c "state=failure .*ctxstatus=$STATUS_UNSUCCESSFUL" "$PCC/log")" -eq 2 ]
pcc clear
check "the next online works" sh -c "echo 1 >$sys/online"
check "Start, then Complete for each" \
	[ "$(order | tr '\n' ' ')" = "0:start:$cpu 1:start:$cpu 0:complete:$cpu 1:complete:$cpu " ]
check "DriverUnload deregisters; then it unloads" unload_pcc
rmmod ntcompat
finish
