#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Each registration sees a CPU's arrivals and removals in the order they
# happened; one registration's callbacks never overlap; a callback that
# blocks holds up no hotplug operation, and one that fails stops no
# delivery, nor does one that breaks the notification it shares with the
# others. Masks follow the CPUs actually online, holes included.
#
# QEMU 7.2 cannot hot-add after a CPU unplug, so the CPU comes and goes
# through sysfs after its hot-add: the same cpuhp path, driven by the guest.
. ./lib.sh

load_client
check "register slot 0 (records)" ctl reg 0 proc
check "register slot 1 (fails every callback)" ctl reg 1 proc
ctl mode 1 fail
check "register slot 2 (blocks in its first callback)" ctl reg 2 proc
ctl mode 2 block
check "register memory slot 3" ctl reg 3 mem
check "register slot 4 (breaks the notification it is given)" ctl reg 4 proc
ctl mode 4 scribble
check "register slot 5 (records, after slot 4)" ctl reg 5 proc

reply=$(vm_cpu_add) || die "CPU hot-add"
set -- $reply
a=$1
cpu=$2
check "slot 2 is blocked inside its callback" wait_for 30 at_least 1 2 event=arrival
# Hotplug operations while slot 2's callback is stuck: each would hang if
# hotplug waited for callbacks (and the harness would time out).
set_online() {
	echo "$2" >/sys/devices/system/cpu/cpu$1/online
}
check "offline CPU $cpu while a callback blocks" set_online "$cpu" 0
check "online it again" set_online "$cpu" 1
check "offline it again" set_online "$cpu" 0
reply=$(vm_cpu_add) || die "CPU hot-add while a callback blocks"
set -- $reply
b=$2
check "hot-add CPU $b while a callback blocks" [ -n "$b" ]
reply=$(vm_dimm_add 128) || die "DIMM hot-add while a callback blocks"
set -- $reply
check "hot-add a DIMM while a callback blocks" [ -n "$1" ]
ctl release

# sequence SLOT CPU: the slot's events for that CPU, in order.
sequence() {
	events_of "$1" | grep "ACPI0007#$2#" | sed 's/.*event=\([a-z]*\) .*/\1/' | tr '\n' ' '
}
want="arrival removal arrival removal "
for slot in 0 1 2 4 5; do
	check "slot $slot: all five events delivered" wait_for 30 at_least 5 $slot ACPI0007
	check "slot $slot: CPU $cpu seen as: $want" [ "$(sequence $slot "$cpu")" = "$want" ]
	check "slot $slot: then CPU $b arrived" [ "$(sequence $slot "$b")" = "arrival " ]
done
check "slot 4's scribbling was logged" sh -c "dmesg | grep -q 'changed the notification'"
check "no callback overlapped another of its registration" \
	[ "$(grep -c 'overlap=1' "$CLIENT/log")" -eq 0 ]
check "memory slot 3 got the DIMM" wait_for 30 at_least 1 3 PNP0C80
check "  and no processor event" [ "$(count_of 3 ACPI0007)" -eq 0 ]

# Holes: CPUs 0 and $b online, $cpu offline.
ctl clear
check "onlining CPU $cpu delivers an ARRIVAL" set_online "$cpu" 1
check "  which arrives" wait_for 30 at_least 1 0 "event=arrival .*ACPI0007#$cpu#"
check "offlining CPU $cpu delivers a REMOVAL" set_online "$cpu" 0
check "  which arrives" wait_for 30 at_least 1 0 "event=removal .*ACPI0007#$cpu#"
line=$(events_of 0 | grep "event=removal .*ACPI0007#$cpu#")
want_mask=$(printf '%#x' $(((1 << b) | 1)))
check "inside that REMOVAL the affinity mask has a hole: $want_mask" \
	[ "$(field mask "$line")" = "$want_mask" ]
check "  and 2 processors are active" [ "$(field active "$line")" -eq 2 ]
unload_all
finish
