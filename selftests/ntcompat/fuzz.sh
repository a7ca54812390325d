#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fuzzer: ntc_fuzz's threads call every routine ntcompat exports with
# random and hostile arguments (ntc_fuzz.c says which) while this script
# hot-adds and unplugs CPUs over QMP, cycles them offline and online
# through sysfs (now and then with a veto the fuzzer was asked for), and
# hot-adds, cycles and unplugs DIMMs, for FUZZ_SECONDS: 30 by default,
# ntc.fuzz_seconds=N on the kernel command line (make fuzz: 600). Another
# driver's handles (ntc_test_client's, ntc_pcc_test's) are in the fuzzer's
# hands, and ntc_peer tries the fuzzer's.
#
# It fails on any invariant the fuzzer counts (a callback after its
# unregister returned, of a registration that never was, a Start left
# without Complete or Failure, a status outside a routine's documented set,
# a wrong answer), on a hotplug operation that failed without a veto, on a
# routine never called, on an export of ntcompat the fuzzer does not know,
# on too few calls, and (the harness) on any KASAN, lockdep, UBSAN,
# kmemleak or hung-task report.
# ntc-vm: --smp 2
. ./lib.sh

FUZZ=/sys/kernel/debug/ntc_fuzz
PEER=/sys/kernel/debug/ntc_peer
PCC=/sys/kernel/debug/ntc_pcc_test
THREADS=4
SECONDS_DEFAULT=30
# Calls per second the run must reach: a fifth of the slowest run measured
# (113 a second: the debug kernel, the machine's load average at 20), so
# that only a fuzzer stuck somewhere fails.
MIN_RATE=${FUZZ_MIN_RATE:-20}
DIMM_MIB=128

secs=$(sed -n 's/.*ntc\.fuzz_seconds=\([0-9]*\).*/\1/p' /proc/cmdline)
secs=${secs:-${FUZZ_SECONDS:-$SECONDS_DEFAULT}}

fuzz() {
	echo "$*" >"$FUZZ/ctl"
}

# value NAME: one line of the fuzzer's report.
value() {
	sed -n "s/^$1=//p" "$FUZZ/report"
}

# The hotplug side counts into files: it runs in subshells.
: >/tmp/fz-ops
: >/tmp/fz-unexplained
: >/tmp/fz-vetoed
op_ok() {
	echo "$1" >>/tmp/fz-ops
}
op_failed() {
	echo "$*" >>/tmp/fz-unexplained
	echo "hotplug: $* failed, and the fuzzer vetoed nothing"
}

set_cpu() {
	echo "$2" >"/sys/devices/system/cpu/cpu$1/online" 2>/dev/null
}

# Offline, then online, CPU $1; every fifth online the fuzzer vetoes: it
# must fail, and the fuzzer must have counted the veto.
cycle_cpu() {
	local cpu=$1 n=$2 before

	if set_cpu "$cpu" 0; then op_ok offline; else op_failed "offline of CPU $cpu"; return; fi
	if [ $((n % 5)) -eq 4 ]; then
		before=$(value vetoes)
		fuzz veto "$cpu"
		if set_cpu "$cpu" 1; then
			op_failed "online of CPU $cpu that the fuzzer vetoed (it succeeded)"
		elif [ "$(value vetoes)" -gt "$before" ]; then
			echo "$cpu" >>/tmp/fz-vetoed
		else
			op_failed "online of CPU $cpu"
		fi
		fuzz veto -1
	fi
	if set_cpu "$cpu" 1; then op_ok online; else op_failed "online of CPU $cpu"; fi
}

sysfs_storm() {
	local n=0 cpu

	while [ "$(ntc_uptime)" -lt "$end" ]; do
		for cpu in "$@"; do
			cycle_cpu "$cpu" "$n"
		done
		n=$((n + 1))
	done
}

# The debug kernel on a loaded machine was seen to need more than the
# 30 s that vm_cpu_add and vm_dimm_add give by default to a hot-added CPU
# or memory block to come up: here they have three minutes.
NTC_HOTPLUG_WAIT=180

# QMP: a CPU hot-added and, once online, unplugged, while hot-adds are
# left in this QEMU's life (it never frees an unplugged vCPU's slot).
qmp_storm() {
	local reply qid cpu

	while [ "$(ntc_uptime)" -lt "$end" ] && [ "$(vm_cap cpu_adds_left)" -gt 0 ]; do
		if ! reply=$(vm_cpu_add); then
			op_failed "CPU hot-add"
			return
		fi
		qid=${reply% *}
		cpu=${reply#* }
		op_ok cpu-add
		if vm_cpu_del "$qid" "$cpu"; then op_ok cpu-del; else op_failed "unplug of CPU $cpu"; return; fi
	done
}

set_block() {
	# Offlining migrates the block's pages: a page in flight may make it
	# fail, and it is the kernel's to retry, not ntcompat's business.
	local tries=1

	until echo "$2" >"/sys/devices/system/memory/memory$1/state" 2>/dev/null; do
		[ "$tries" -ge 3 ] && return 1
		tries=$((tries + 1))
		sleep 0.2
	done
}

mem_storm() {
	local reply qid first last b

	while [ "$(ntc_uptime)" -lt "$end" ]; do
		if ! reply=$(vm_dimm_add $DIMM_MIB); then
			op_failed "DIMM hot-add"
			return
		fi
		op_ok dimm-add
		qid=${reply%% *}
		read -r first last <"/tmp/.ntc-$qid"
		for b in $(seq "$first" "$last"); do
			if set_block "$b" offline && set_block "$b" online_movable; then
				op_ok block-cycle
			else
				op_failed "cycle of memory block $b"
			fi
		done
		if vm_dimm_del "$qid"; then op_ok dimm-del; else op_failed "DIMM unplug"; return; fi
	done
}

# ntc_peer tries the fuzzer's live handles: refused, whatever it tries.
peer_tries() {
	local h st

	while read -r h; do
		echo "unregex $h" >"$PEER/ctl" || return 1
		st=$(cat "$PEER/status")
		case $st in
		0xc0000022) peer_denied=$((peer_denied + 1)) ;;
		0xc000000d) ;;		# gone meanwhile
		*) echo "ntc_peer unregistered fuzzer handle $h: $st"; peer_wrong=$((peer_wrong + 1)) ;;
		esac
	done <"$FUZZ/handles"
}

# The console. ntcompat answers each bad call with a line, rate-limited per
# call site: over a hundred lines a second here, which the TCG serial
# console prints at the pace of the thread that happens to hold it, most of
# the time a fuzzer thread (the run made 2.5 times fewer calls with them
# on the console). So while the fuzzer runs the console gets only errors,
# and a follower reads the kernel log five times a second (dmesg -c: what
# came since) and copies to the console, as errors, every line the harness
# looks for (the TROUBLE patterns of scripts/ntcvm/vm.py, which ntc-vm
# writes to /lib/ntc-trouble.ere without their word boundaries) and the 30
# after it: the harness still sees every report, and the report itself.
# The kernel's log buffer holds several seconds of that output.
read -r TROUBLE_RE </lib/ntc-trouble.ere || die "no /lib/ntc-trouble.ere from ntc-vm"
SAID='fuzz: the kernel said: '

console_follow() {
	while [ ! -e /tmp/fz-follow-stop ]; do
		dmesg -c
		sleep 0.2
	done | awk -v re="$TROUBLE_RE" -v said="$SAID" '
		index($0, said) { next }
		$0 ~ re { n = 31 }
		n > 0 {
			n--
			print "<3>" said substr($0, 1, 900) > "/dev/kmsg"
			fflush("/dev/kmsg")
			copied++
		}
		END { print copied + 0 > "/tmp/fz-copied" }'
}

console_quiet() {
	read -r console_level _ </proc/sys/kernel/printk
	# The copies must not be rate-limited as writes to /dev/kmsg are.
	read -r devkmsg </proc/sys/kernel/printk_devkmsg
	echo on >/proc/sys/kernel/printk_devkmsg
	rm -f /tmp/fz-follow-stop
	# What the log holds so far was on the console already.
	dmesg -c >/dev/null
	console_follow &
	follow_pid=$!
	dmesg -n 4
}

# Back to the console's own level, once the follower has read the rest.
console_loud() {
	dmesg -n "$console_level"
	sleep 0.5
	touch /tmp/fz-follow-stop
	wait "$follow_pid"
	echo "$devkmsg" >/proc/sys/kernel/printk_devkmsg
	echo "console: $(cat /tmp/fz-copied) kernel log lines copied to it"
}

# One CPU hot-added and kept for the sysfs cycles, the rest for QMP rounds.
vm_plan_cpu_adds 2 || die "not enough CPU hot-adds left"

load_client
insmod "$NTC_MODDIR/ntc_peer.ko" || die "insmod ntc_peer.ko"
insmod "$NTC_MODDIR/ntc_pcc_test.ko" || die "insmod ntc_pcc_test.ko"
insmod "$NTC_MODDIR/ntc_fuzz.ko" || die "insmod ntc_fuzz.ko"

# Every export of ntcompat is in the fuzzer's table, and nothing else. A
# kernel with KUnit also has the internals ntcompat exports for its KUnit
# suites only (namespace NTCOMPAT_KUNIT, not in kallsyms): there the ntc_
# names beyond the table's are left out; every other lane checks them.
grep '\[ntcompat\]$' /proc/kallsyms |
	awk 'sub(/^__ksymtab_/, "", $3) { print $3 }' | sort -u >/tmp/fz-exports
awk '$1 != "Interlocked*" { print $1 }' "$FUZZ/routines" | sort -u >/tmp/fz-table
if [ -d /sys/kernel/debug/kunit ] || [ -d /sys/module/kunit ]; then
	grep -vxFf /tmp/fz-table /tmp/fz-exports | grep '^ntc_' >/tmp/fz-kunit
	grep -vxFf /tmp/fz-kunit /tmp/fz-exports >/tmp/fz-exports.k
	mv /tmp/fz-exports.k /tmp/fz-exports
	echo "coverage: $(wc -l </tmp/fz-kunit) ntc_ exports for KUnit left out"
fi
echo "coverage: $(wc -l </tmp/fz-exports) exports of ntcompat, $(wc -l </tmp/fz-table) in the fuzzer's table"
check "the fuzzer's table is ntcompat's export list" diff /tmp/fz-exports /tmp/fz-table

# Other drivers' handles: the fuzzer must not be able to remove them.
check "ntc_test_client registers a processor notification" ctl reg 0 proc
client_proc=$(field entry " $ctl_detail")
check "  and a memory one" ctl reg 1 mem
client_mem=$(field entry " $ctl_detail")
echo "reg 0 1" >"$PCC/ctl"
pcc_handle=$(sed -n 's/^owner=ntc_pcc_test handle=\([^ ]*\).*/\1/p' \
	/sys/kernel/debug/ntcompat/processor_change)
check "ntc_pcc_test registers a processor-change callback" [ -n "$pcc_handle" ]
fuzz foreign pnp "$client_proc"
fuzz foreign pnp "$client_mem"
fuzz foreign pcc "$pcc_handle"

# shellcheck disable=SC2046 # "<qom id> <cpu>", two words
reply=$(vm_cpu_add) || die "CPU hot-add"
set -- $reply
kept_cpu=$2
cpus=$kept_cpu
[ -d /sys/devices/system/cpu/cpu1 ] && [ "$kept_cpu" != 1 ] && cpus="1 $cpus"

console_quiet
check "the fuzzer starts $THREADS threads" fuzz start $THREADS
start=$(ntc_uptime)
end=$((start + secs))
echo "fuzz: $secs s, $THREADS threads; sysfs cycles of CPUs $cpus, QMP rounds, DIMM rounds"
# shellcheck disable=SC2086 # one argument per CPU
sysfs_storm $cpus &
sysfs_pid=$!
qmp_storm &
qmp_pid=$!
mem_storm &
mem_pid=$!
peer_denied=0 peer_wrong=0
while [ "$(ntc_uptime)" -lt "$end" ]; do
	sleep 5
	peer_tries
	echo "fuzz: $(($(ntc_uptime) - start)) s, $(value calls) calls"
done
wait $sysfs_pid $qmp_pid $mem_pid
check "the fuzzer stops" fuzz stop
console_loud
report=$(cat "$FUZZ/report")
echo "$report" | tr '\n' ' '
echo
cat "$FUZZ/routines"

calls=$(value calls)
took=$(value seconds)
echo "fuzz: $calls calls in $took s ($((calls / (took > 0 ? took : 1))) per second)," \
	"$(value registrations) registrations, $(value pnp_callbacks) notification and" \
	"$(value pcc_callbacks) processor-change callbacks, $(value dpc_runs) DPCs run"
echo "hotplug: $(grep -c . /tmp/fz-ops) operations ($(sort /tmp/fz-ops | uniq -c | tr -s ' \n' ' ')), $(grep -c . /tmp/fz-vetoed) vetoed on request"
echo "peer: $peer_denied of the fuzzer's live handles refused to ntc_peer"

check "no callback after its unregister returned" [ "$(value late)" = 0 ]
check "no callback of a registration that failed" [ "$(value never)" = 0 ]
check "every Complete and Failure after a Start, no Start twice" [ "$(value unpaired)" = 0 ]
check "no Start left without Complete or Failure" [ "$(value unfinished)" = 0 ]
check "every status in its routine's documented set" [ "$(value bad_status)" = 0 ]
check "no wrong answer" [ "$(value wrong)" = 0 ]
check "no handle unregistered twice" [ "$(value double_success)" = 0 ]
check "no InterlockedIncrement lost" [ "$(value interlocked_lost)" = 0 ]
check "no hotplug operation failed without a veto" [ ! -s /tmp/fz-unexplained ]
check "hotplug ran: CPU cycles, QMP rounds and DIMMs" \
	grep -q online /tmp/fz-ops && grep -q cpu-add /tmp/fz-ops && grep -q dimm-add /tmp/fz-ops
check "ntc_peer never removed a fuzzer registration" [ "$peer_wrong" = 0 ]
check "at least $MIN_RATE calls per second ($calls in $took s)" \
	[ "$calls" -ge $((MIN_RATE * secs)) ]
never=$(awk '$2 == "call" && $3 == "calls=0" { print $1 }' "$FUZZ/routines")
check "every routine called${never:+ (never: $never)}" [ -z "$never" ]

# The other drivers' registrations survived the fuzzer's attempts.
check "ntc_test_client's registrations are still its own" ctl unregex 0
check "  both" ctl unregex 1
check "ntc_pcc_test's registration is still there" \
	grep -q "^owner=ntc_pcc_test handle=$pcc_handle " /sys/kernel/debug/ntcompat/processor_change
echo "dereg 0" >"$PCC/ctl"

for m in ntc_fuzz ntc_pcc_test ntc_peer; do
	stop_driver $m
	check "$m unloads" rmmod $m
done
unload_all
check "ntcompat unloaded" [ ! -d /sys/module/ntcompat ]
finish
