#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# After IoUnregisterPlugPlayNotification(Ex) returns, that registration gets
# nothing more, while the others go on receiving.
. ./lib.sh

load_client
check "register processor slot 0" ctl reg 0 proc
check "register processor slot 1" ctl reg 1 proc
check "register memory slot 2" ctl reg 2 mem
check "register memory slot 3" ctl reg 3 mem
check "unregister processor slot 0" ctl unreg 0
check "unregister memory slot 2 (Ex)" ctl unregex 2

reply=$(vm_cpu_add) || die "CPU hot-add"
set -- $reply
qom=$1
cpu=$2
check "live processor slot 1 notified" wait_for 30 at_least 1 1 event=arrival
reply=$(vm_dimm_add 128) || die "DIMM hot-add"
set -- $reply
dimm=$1
addr=$2
size=$3
check "live memory slot 3 notified" wait_for 30 covers 3 arrival "$addr" "$size"
check "unregistered slot 0 got nothing" [ "$(count_of 0 slot)" -eq 0 ]
check "unregistered slot 2 got nothing" [ "$(count_of 2 slot)" -eq 0 ]

# Now the other way round, with witnesses registered to know when the
# removals have been delivered.
check "unregister processor slot 1 (Ex)" ctl unregex 1
check "unregister memory slot 3" ctl unreg 3
check "register witness 4 (processor)" ctl reg 4 proc
check "register witness 5 (memory)" ctl reg 5 mem
# QEMU 7.2 takes nothing after a CPU unplug: the DIMM goes first.
vm_dimm_del "$dimm" || die "DIMM unplug"
vm_cpu_del "$qom" "$cpu" || die "CPU unplug"
check "witness 4 saw the CPU removal" wait_for 30 at_least 1 4 event=removal
check "witness 5 saw the DIMM removal" wait_for 30 covers 5 removal "$addr" "$size"
check "slot 1 got nothing after unregistering" [ "$(count_of 1 event=removal)" -eq 0 ]
check "slot 3 got nothing after unregistering" [ "$(count_of 3 event=removal)" -eq 0 ]
unload_all
finish
