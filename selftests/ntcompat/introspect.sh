#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What root sees of ntcompat, checked against a real CPU hot-add and what
# the client recorded: the tracepoints (one ntc_event_queued per event, one
# ntc_callback per registration with its fields), the debugfs list of
# registrations (owner, class, callback symbol, hashed Context, delivered
# count, latency) and counters, both root-only; an unregistered
# registration leaves the list and gets no more callbacks.
. ./lib.sh

DBG=/sys/kernel/debug/ntcompat
EVENTS=/sys/kernel/tracing/events/ntcompat
TRACE=/sys/kernel/tracing/trace
STATUS_UNSUCCESSFUL=0xc0000001

[ -d /sys/kernel/tracing/events ] || skip "no tracefs in this kernel"
# %p prints "(____ptrval____)" until the kernel's random pool is ready. A
# blocking read makes it ready (from jitter entropy) in a second or two;
# the pointer-hashing key follows shortly after (waited for below).
head -c 1 /dev/random >/dev/null
load_client

# stat_of NAME: a counter from the stats file.
stat_of() {
	sed -n "s/^$1 //p" "$DBG/stats"
}

# regs [CLASS]: the registrations list, or its lines for one class.
regs() {
	grep "class=${1:-GUID_DEVICE_}" "$DBG/registrations"
}

# nobody_reads FILE: uid 65534 can read it. (Run as /bin/cat: asked to
# start /bin/busybox, start-stop-daemon would find it running already.)
nobody_reads() {
	start-stop-daemon -S -c nobody:nogroup -x /bin/cat -- "$1" >/dev/null 2>&1
}

# The guest has no user database; start-stop-daemon needs one.
mkdir -p /etc
[ -e /etc/passwd ] || echo 'nobody:x:65534:65534:nobody:/:/bin/false' >/etc/passwd
[ -e /etc/group ] || echo 'nogroup:x:65534:' >/etc/group

check "uid 65534 can read a world-readable file" nobody_reads /proc/version

for f in registrations stats; do
	check "$f is mode 0400, owned by root" \
		[ "$(stat -c '%a %u %g' "$DBG/$f")" = "400 0 0" ]
	check "$f is readable by root" cat "$DBG/$f" >/dev/null
	check "$f is not readable by uid 65534" not nobody_reads "$DBG/$f"
done
check "no registration listed before any is made" [ -z "$(regs)" ]

echo >"$TRACE"
echo 1 >"$EVENTS/enable" || die "enable the ntcompat tracepoints"

before=$(online_count)
check "register processor slot 0" ctl reg 0 proc
h0=$(field entry " $ctl_detail")
check "register processor slot 1, whose callback fails" ctl reg 1 proc
ctl mode 1 fail
check "register memory slot 2" ctl reg 2 mem
check "register processor slot 3 with INCLUDE_EXISTING" ctl reg 3 proc 1
check "a bad call is refused" not ctl garbage 0
check "pointers are hashed by now" \
	wait_for 10 sh -c "! grep -q ptrval $DBG/registrations"

# Lines are per class, in registration order: slots 0, 1, 3, then 2.
check "four registrations listed" [ "$(regs | wc -l)" -eq 4 ]
check "three processor registrations" [ "$(regs GUID_DEVICE_PROCESSOR | wc -l)" -eq 3 ]
check "one memory registration" [ "$(regs GUID_DEVICE_MEMORY | wc -l)" -eq 1 ]
i=0
for slot in 0 1 3 2; do
	i=$((i + 1))
	line=$(sed -n "${i}p" "$DBG/registrations")
	eval "reg$slot=\$line"
	check "slot $slot: owner is the client" [ "$(field owner " $line")" = ntc_test_client ]
	check "slot $slot: category" \
		[ "$(field category "$line")" = EventCategoryDeviceInterfaceChange ]
	check "slot $slot: callback by symbol" \
		has "$line" "callback=ntc_test_callback+0x0/"
	check "slot $slot: callback's module named" has "$line" " [ntc_test_client]"
done
check "slot 2 is the memory one" [ "$(field class "$reg2")" = GUID_DEVICE_MEMORY ]

# Context: slot N's is &ntc_test_slots[N]; kallsyms gives slot 0's raw.
raw=$(awk '$3 == "ntc_test_slots" { print $1 }' /proc/kallsyms)
ctx0=$(field context "$reg0")
check "kallsyms shows where the Contexts are ($raw)" \
	sh -c "echo '$raw' | grep -q '^ffff[0-9a-f]\{12\}$'"
# %p prints raw addresses only when the kernel says so at boot: with
# no_hash_pointers, or slub_debug= (the debug lane's, for fault_queue.sh),
# which turns it on.
if dmesg | grep -q 'shows unhashed kernel memory addresses'; then
	check "the kernel does not hash pointers: Context is the raw $raw" \
		[ "$ctx0" = "$raw" ]
else
	check "Context is printed hashed ($ctx0), not raw ($raw)" \
		sh -c "echo '$ctx0' | grep -qx '00000000[0-9a-f]\{8\}' && [ '$ctx0' != '$raw' ]"
fi
check "a handle is shown as the number its driver holds ($h0)" \
	[ "$(field handle "$reg0")" = "$h0" ]
check "each registration's Context prints differently" \
	[ "$(for s in 0 1 2 3; do eval "field context \"\$reg$s\""; done | sort -u | wc -l)" -eq 4 ]

# INCLUDE_EXISTING: slot 3 got one replayed callback per online CPU.
check "slot 3: delivered counts its $before replays" \
	[ "$(field delivered "$reg3")" -eq "$before" ]
replays=$(grep -c 'ntc_callback: .* replay=1 ' "$TRACE")
check "one replay=1 callback line per online CPU" [ "$replays" -eq "$before" ]
check "replay lines have seq 0 and latency 0, and succeeded" \
	[ "$(grep 'ntc_callback: .* replay=1 ' "$TRACE" |
		grep -c ' seq=0 replay=1 latency_ns=0 .* status=0x00000000 ')" -eq "$before" ]
for slot in 0 1 2; do
	eval "line=\$reg$slot"
	check "slot $slot: nothing delivered yet" [ "$(field delivered "$line")" -eq 0 ]
done
echo >"$TRACE"

reply=$(vm_cpu_add) || die "CPU hot-add"
set -- $reply
qom=$1
cpu=$2
echo "hot-added CPU $cpu ($qom)"
link="ACPI0007#$cpu#"
delivered() {
	[ "$(events_of 1 | grep -c "$link")" -ge 1 ] &&
		[ "$(events_of 3 | grep -c "$link")" -ge 1 ]
}
check "the hot-add reached the client" wait_for 30 delivered
check "dispatcher idle" wait_for 30 sh -c "grep -qx 'events_pending 0' $DBG/stats"

queued=$(grep 'ntc_event_queued: ' "$TRACE")
echo "$queued"
check "one ntc_event_queued line" [ "$(echo "$queued" | grep -c .)" -eq 1 ]
check "it names the ARRIVAL of CPU $cpu" \
	has "$queued" "class=GUID_DEVICE_PROCESSOR event=arrival cpu=$cpu start=0x0 size=0x0"
seq=$(field seq "$queued")
cbs=$(grep 'ntc_callback: ' "$TRACE")
echo "$cbs"
check "one ntc_callback line per processor registration" \
	[ "$(echo "$cbs" | grep -c .)" -eq 3 ]

# The dispatcher walks slots 0, 1, 3 in that order.
i=0
for slot in 0 1 3; do
	i=$((i + 1))
	tline=$(echo "$cbs" | sed -n "${i}p")
	eval "rline=\$reg$slot"
	want=0x00000000
	[ $slot = 1 ] && want=$STATUS_UNSUCCESSFUL
	check "slot $slot: callback line for seq $seq, arrival, not a replay" \
		has "$tline" "owner=ntc_test_client class=GUID_DEVICE_PROCESSOR event=arrival seq=$seq replay=0 "
	check "slot $slot: status returned is $want" [ "$(field status "$tline")" = $want ]
	check "slot $slot: Context matches its debugfs line" \
		[ "$(field context "$tline")" = "$(field context "$rline")" ]
	check "slot $slot: callback symbol" has "$tline" "callback=ntc_test_callback [ntc_test_client]"
	lat=$(field latency_ns "$tline")
	check "slot $slot: latency is positive ($lat ns)" [ "$lat" -gt 0 ]
	eval "lat$slot=\$lat"
done

cat "$DBG/registrations" "$DBG/stats"
i=0
for slot in 0 1 3 2; do
	i=$((i + 1))
	line=$(sed -n "${i}p" "$DBG/registrations")
	eval "reg$slot=\$line"
done
check "slot 0: delivered=1" [ "$(field delivered "$reg0")" -eq 1 ]
check "slot 1: delivered=1" [ "$(field delivered "$reg1")" -eq 1 ]
check "slot 3: delivered counts replays and the event" \
	[ "$(field delivered "$reg3")" -eq $((before + 1)) ]
check "slot 2: memory registration got nothing" [ "$(field delivered "$reg2")" -eq 0 ]
check "slot 2: and has no latency" [ "$(field last_event_latency_ns "$reg2")" -eq 0 ]
# The event's latency, to the start of its fan-out: the same for all three,
# and no more than any callback's own, as traced.
evlat=$(field last_event_latency_ns "$reg0")
check "slot 0: event latency is positive ($evlat ns)" [ "$evlat" -gt 0 ]
for slot in 0 1 3; do
	eval "line=\$reg$slot; lat=\$lat$slot"
	check "slot $slot: the same event latency" \
		[ "$(field last_event_latency_ns "$line")" = "$evlat" ]
	check "slot $slot: not above its traced latency ($lat ns)" [ "$evlat" -le "$lat" ]
done

check "stats: every boot CPU and the new one queued as arrivals" \
	[ "$(stat_of events_queued_processor_arrival)" -eq $((before + 1)) ]
check "stats: no removal or memory event" \
	[ "$(stat_of events_queued_processor_removal)$(stat_of events_queued_memory_arrival)$(stat_of events_queued_memory_removal)" = 000 ]
check "stats: all dispatched" [ "$(stat_of events_dispatched)" -eq $((before + 1)) ]
check "stats: 3 callbacks delivered" [ "$(stat_of callbacks_delivered)" -eq 3 ]
check "stats: $before replayed" [ "$(stat_of callbacks_replayed)" -eq "$before" ]
check "stats: 4 registrations live, 4 made" \
	[ "$(stat_of registrations_live) $(stat_of registrations_total)" = "4 4" ]
check "stats: one bad call" [ "$(stat_of bad_calls)" -eq 1 ]
check "stats: max event latency is this event's" \
	[ "$(stat_of event_latency_max_ns)" -ge "$evlat" ]
check "stats: event reserve untouched" [ "$(stat_of event_reserve_left)" -eq 64 ]

# Unregister slot 1: its line goes, and the next event passes it by.
ctx1=$(field context "$reg1")
check "unregister slot 1" ctl unreg 1
check "three registrations left" [ "$(regs | wc -l)" -eq 3 ]
check "slot 1's line is gone" not grep -q "context=$ctx1 " "$DBG/registrations"
check "slot 0's line remains" grep -q "context=$(field context "$reg0") " "$DBG/registrations"
check "stats: 3 live, 4 made" \
	[ "$(stat_of registrations_live) $(stat_of registrations_total)" = "3 4" ]

echo >"$TRACE"
echo 0 >"/sys/devices/system/cpu/cpu$cpu/online" || die "offline CPU $cpu"
removed() {
	[ "$(events_of 3 | grep event=removal | grep -c "$link")" -ge 1 ]
}
check "the offline reached the client" wait_for 30 removed
check "dispatcher idle" wait_for 30 sh -c "grep -qx 'events_pending 0' $DBG/stats"
check "REMOVAL of CPU $cpu queued" \
	grep -q "ntc_event_queued: .* event=removal cpu=$cpu " "$TRACE"
check "two removal callbacks traced" \
	[ "$(grep -c 'ntc_callback: .* event=removal ' "$TRACE")" -eq 2 ]
check "none for the unregistered slot 1" not grep -q "context=$ctx1 " "$TRACE"
check "slot 1 recorded no removal" [ "$(count_of 1 event=removal)" -eq 0 ]
line0=$(grep "context=$(field context "$reg0") " "$DBG/registrations")
check "slot 0: delivered=2, the arrival and the removal" \
	[ "$(field delivered "$line0")" -eq 2 ]
check "register processor slot 4 after both events" ctl reg 4 proc
line4=$(regs GUID_DEVICE_PROCESSOR | tail -n 1)
check "slot 4: delivered=0, nothing owed before it counted" \
	[ "$(field delivered "$line4")" -eq 0 ]
check "unregister slot 4" ctl unreg 4

# Read both files over and over while registrations come and go: the
# harness fails the test on any oops, and in the debug lane on any KASAN
# (use after free) or lockdep report.
stop=/tmp/introspect.stop
(
	while [ ! -e $stop ]; do
		cat "$DBG/registrations" "$DBG/stats" >/dev/null
	done
) &
reader=$!
for round in 1 2 3; do
	for s in $(seq 10 40); do ctl reg $s proc || break; done
	for s in $(seq 10 40); do ctl unregex $s || break; done
done
touch $stop
wait $reader
check "registrations churned under the reader" \
	[ "$(stat_of registrations_total)" -eq $((5 + 3 * 31)) ]
check "the same three registrations listed after the churn" [ "$(regs | wc -l)" -eq 3 ]

echo 0 >"$EVENTS/enable"
unload_all
check "the debugfs directory goes with ntcompat" [ ! -e "$DBG" ]
check "the tracepoints go with ntcompat" [ ! -e "$EVENTS" ]
finish
