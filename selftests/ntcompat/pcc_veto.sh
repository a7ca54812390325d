#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A veto in Start fails a real hot-add: the CPU stays offline, an online
# through sysfs fails with the veto's errno, QEMU keeps the device; every
# registration still gets Start in order, later ones seeing the error, then
# Failure with the status; no Complete and no async ARRIVAL. Without the
# veto the same CPU comes up. ADD_EXISTING as on Windows: Start for every
# active processor, then Complete for each, before Register returns; a veto
# at processor k removes the registration, gives Failure to 0..k-1 only
# and returns NULL; only bit 0 of Flags counts.
. ./lib.sh
. ./pcc_lib.sh

DBG=/sys/kernel/debug/ntcompat
load_pcc
insmod "$NTC_MODDIR/ntc_test_client.ko" || die "insmod ntc_test_client.ko"
check "async processor registration" ctl reg 0 proc
for slot in 0 1 2; do
	check "register slot $slot" pcc_reg $slot 0
done
pcc veto 1 $STATUS_INSUFFICIENT_RESOURCES

cpu=$(online_count)
qid=$(host_req cpu-add) || die "CPU hot-add"
echo "hot-added $qid, CPU $cpu expected"
failed() {
	[ "$(ncalls 2 failure)" -ge 1 ]
}
check "every registration told of the failure" wait_for 60 failed
sleep 1
check "the vetoed CPU $cpu is present" [ -d /sys/devices/system/cpu/cpu$cpu ]
check "and offline" [ "$(cat /sys/devices/system/cpu/cpu$cpu/online)" = 0 ]
check "QEMU still has the device" [ "$(host_req cpu-plugged "$qid")" = 1 ]
check "calls: Start in registration order, then Failure for each" \
	[ "$(order | tr '\n' ' ')" = "0:start:$cpu 1:start:$cpu 2:start:$cpu 0:failure:$cpu 1:failure:$cpu 2:failure:$cpu " ]
check "the registration after the veto saw it in *OperationStatus" \
	[ "$(field opstatus "$(calls 2 start)")" = $STATUS_INSUFFICIENT_RESOURCES ]
check "those before it saw STATUS_SUCCESS" \
	[ "$(field opstatus "$(calls 0 start)") $(field opstatus "$(calls 1 start)")" = \
	  "0x00000000 0x00000000" ]
for slot in 0 1 2; do
	check "slot $slot: Failure's Status is the veto" \
		[ "$(field ctxstatus "$(calls $slot failure)")" = $STATUS_INSUFFICIENT_RESOURCES ]
done
check "debugfs: slot 1 vetoed once" \
	[ "$(sed -n 2p "$DBG/processor_change" | grep -c 'calls=2 vetoes=1')" -eq 1 ]
check "stats count one veto" [ "$(pcc_stat processor_change_vetoes)" = 1 ]

pcc clear
check "online through sysfs fails with ENOMEM" \
	not sh -c "echo 1 >/sys/devices/system/cpu/cpu$cpu/online 2>/tmp/err"
cat /tmp/err
check "the error is the veto's" grep -q "llocate memory" /tmp/err
check "the retry was vetoed in turn" [ "$(ncalls 1 failure)" -eq 1 ]
check "still offline" [ "$(cat /sys/devices/system/cpu/cpu$cpu/online)" = 0 ]
check "no async ARRIVAL for a vetoed CPU" [ "$(count_of 0 event=arrival)" -eq 0 ]

pcc veto 1 0
pcc clear
check "without the veto the CPU comes online" \
	sh -c "echo 1 >/sys/devices/system/cpu/cpu$cpu/online"
check "Start then Complete for each" \
	[ "$(order | tr '\n' ' ')" = "0:start:$cpu 1:start:$cpu 2:start:$cpu 0:complete:$cpu 1:complete:$cpu 2:complete:$cpu " ]
check "and the async ARRIVAL" wait_for 30 sh -c "grep -q event=arrival $CLIENT/log"

# ADD_EXISTING, now with CPUs 0..$cpu active.
pcc clear
check "ADD_EXISTING: registered" pcc_reg 3 1
want=""
for i in $(seq 0 "$cpu"); do want="${want}3:start:$i "; done
for i in $(seq 0 "$cpu"); do want="${want}3:complete:$i "; done
check "ADD_EXISTING: Start for each processor by index, then Complete for each" \
	[ "$(order | tr '\n' ' ')" = "$want" ]
check "ADD_EXISTING: all made before Register returned" \
	[ "$(grep -c existing=1 "$PCC/log")" -eq $((2 * (cpu + 1))) ]
check "ADD_EXISTING: Start sees each processor online" \
	[ "$(calls 3 start | grep -c online=1)" -eq $((cpu + 1)) ]

pcc clear
check "flags 2 behaves as 0: registered" pcc_reg 4 2
check "flags 2: no call" [ ! -s "$PCC/log" ]
check "flags 3 behaves as 1: registered" pcc_reg 5 3
check "flags 3: calls for each processor" [ "$(ncalls 5)" -eq $((2 * (cpu + 1))) ]

pcc clear
pcc veto 6 $STATUS_INSUFFICIENT_RESOURCES "$cpu"
pcc reg 6 1
check "ADD_EXISTING vetoed at processor $cpu: Register returns NULL" \
	[ "$pcc_status" = $STATUS_UNSUCCESSFUL ]
want=""
for i in $(seq 0 "$cpu"); do want="${want}6:start:$i "; done
for i in $(seq 0 $((cpu - 1))); do want="${want}6:failure:$i "; done
check "vetoed: Start up to $cpu, then Failure for 0..$((cpu - 1)) only" \
	[ "$(order | tr '\n' ' ')" = "$want" ]
check "vetoed: Failure's Status is the veto" \
	[ "$(calls 6 failure | grep -c "ctxstatus=$STATUS_INSUFFICIENT_RESOURCES")" -eq "$cpu" ]
check "vetoed: the registration is gone" \
	[ "$(grep -c owner=ntc_pcc_test "$DBG/processor_change")" -eq 6 ]
check "vetoed: the module holds no reference for it" \
	[ "$(cat /sys/module/ntc_pcc_test/refcnt)" -eq 6 ]

check "DriverUnload deregisters; then it unloads" unload_pcc
stop_driver ntc_test_client && rmmod ntc_test_client
rmmod ntcompat
finish
