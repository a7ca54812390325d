# ntc-lib.sh - helpers for ntc-vm guest scripts (busybox sh).
# shellcheck shell=dash
#
# Source it:  . /lib/ntc-lib.sh
#
# host_req talks to scripts/ntc-vm over the control port; the vm_* helpers
# wrap the hotplug requests and wait until the guest kernel has caught up
# (the host's "ok" only means QEMU did its part).  Every function prints its
# complaint on stderr and returns non-zero on error or timeout.

NTC_CTL=${NTC_CTL:-/dev/ttyS1}
# The host gives up on an unplug after 60 s; wait a bit longer than that.
NTC_REQ_TIMEOUT=${NTC_REQ_TIMEOUT:-90}
# How long the guest may take to bring a hot-added CPU or memory block up,
# or to see one go, once QEMU has done its part.
NTC_HOTPLUG_WAIT=${NTC_HOTPLUG_WAIT:-30}
NTC_CPU_SYS=/sys/devices/system/cpu
NTC_MEM_SYS=/sys/devices/system/memory

ntc_err() {
	echo "$*" >&2
}

# Whole seconds since boot: a clock that cannot go backwards.
ntc_uptime() {
	local up rest

	read -r up rest </proc/uptime
	echo "${up%%.*}"
}

# wait_for TIMEOUT_S CMD...: run CMD every 0.1 s until it succeeds.
# CMD runs in this shell, so a function may leave results in variables.
wait_for() {
	local timeout=$1 end

	shift
	end=$(($(ntc_uptime) + timeout))
	until "$@"; do
		if [ "$(ntc_uptime)" -ge "$end" ]; then
			ntc_err "wait_for: '$*' still failing after ${timeout}s"
			return 1
		fi
		sleep 0.1
	done
}

NTC_REQ_LOCK=/tmp/.ntc-req.lock

# host_req VERB ARGS...: ask the host, print the data of its reply.
# Requests from processes running side by side take turns: each reads the
# control port until its own reply, and would swallow another's.
host_req() {
	local rc

	until mkdir "$NTC_REQ_LOCK" 2>/dev/null; do
		sleep 0.05
	done
	_ntc_host_req "$@"
	rc=$?
	rmdir "$NTC_REQ_LOCK"
	return $rc
}

_ntc_host_req() {
	local id=0 line data

	# Callers often run in $(...) subshells: keep the counter in a file.
	[ -r /tmp/.ntc-req-id ] && read -r id </tmp/.ntc-req-id
	id=$((id + 1))
	echo "$id" >/tmp/.ntc-req-id

	if ! echo "REQ $id $*" >"$NTC_CTL"; then
		ntc_err "host_req $1: cannot write to $NTC_CTL"
		return 1
	fi
	# Skip anything that is not our reply, e.g. a late one to a request
	# that timed out earlier.
	# shellcheck disable=SC3045 # busybox ash has read -t
	while IFS= read -r -t "$NTC_REQ_TIMEOUT" line <"$NTC_CTL"; do
		case $line in
		"REP $id ok"*)
			data=${line#"REP $id ok"}
			echo "${data# }"
			return 0
			;;
		"REP $id err"*)
			data=${line#"REP $id err"}
			ntc_err "host_req $1: ${data# }"
			return 1
			;;
		esac
	done
	ntc_err "host_req $1: no reply within ${NTC_REQ_TIMEOUT}s"
	return 1
}

# Succeeds if CPU number $1 is in the cpulist $2 (e.g. "0-2,5").
_ntc_in_cpulist() {
	local r IFS=,

	for r in $2; do
		case $r in
		*-*) [ "$1" -ge "${r%-*}" ] && [ "$1" -le "${r#*-}" ] && return 0 ;;
		*) [ "$1" = "$r" ] && return 0 ;;
		esac
	done
	return 1
}

_ntc_cpu_numbers() {
	local d

	for d in "$NTC_CPU_SYS"/cpu[0-9]*; do
		[ -d "$d" ] && echo "${d##*/cpu}"
	done
}

# Succeeds once a CPU not in the list $1 exists and is online; sets _ntc_cpu.
_ntc_new_cpu_online() {
	local n

	for n in $(_ntc_cpu_numbers); do
		case " $1 " in *" $n "*) continue ;; esac
		_ntc_cpu=$n
		[ "$(cat "$NTC_CPU_SYS/cpu$n/online" 2>/dev/null)" = 1 ] && return 0
	done
	return 1
}

_ntc_cpu_gone() {
	[ -e "$NTC_CPU_SYS/cpu$1" ] || return 0
	[ "$(cat "$NTC_CPU_SYS/cpu$1/online" 2>/dev/null)" != 1 ] &&
		! _ntc_in_cpulist "$1" "$(cat "$NTC_CPU_SYS/present")"
}

# vm_cpu_add: hot-add a CPU; prints "<qom id> <guest cpu number>".
# The guest numbers it itself (lowest free logical id), so look for the new
# directory rather than predict it.
vm_cpu_add() {
	local before qid _ntc_cpu=

	before=$(_ntc_cpu_numbers | tr '\n' ' ')
	qid=$(host_req cpu-add) || return 1
	if ! wait_for "$NTC_HOTPLUG_WAIT" _ntc_new_cpu_online "$before"; then
		ntc_err "vm_cpu_add: $qid: no new online CPU (saw: ${_ntc_cpu:-none})"
		return 1
	fi
	echo "$qid $_ntc_cpu"
}

# vm_cpu_del QOMID CPU: unplug a CPU added by vm_cpu_add.
vm_cpu_del() {
	host_req cpu-del "$1" >/dev/null || return 1
	wait_for "$NTC_HOTPLUG_WAIT" _ntc_cpu_gone "$2" || {
		ntc_err "vm_cpu_del: $1: cpu$2 still there"
		return 1
	}
}

# _ntc_blocks TEST FIRST LAST: succeeds if TEST holds for memory blocks
# FIRST..LAST; TEST is "online" or "gone".
_ntc_blocks() {
	local i state

	for i in $(seq "$2" "$3"); do
		state=$(cat "$NTC_MEM_SYS/memory$i/state" 2>/dev/null)
		case $1 in
		online) [ "$state" = online ] || return 1 ;;
		gone) [ -e "$NTC_MEM_SYS/memory$i" ] && return 1 ;;
		esac
	done
	return 0
}

# vm_dimm_add MIB: hot-add a DIMM; prints "<qom id> <addr hex> <size hex>".
vm_dimm_add() {
	local reply qid addr size bs first last

	reply=$(host_req dimm-add "$1") || return 1
	# shellcheck disable=SC2086 # split the reply into its words
	set -- $reply
	qid=$1 addr=$2 size=$3
	bs=$((0x$(cat "$NTC_MEM_SYS/block_size_bytes")))
	first=$((addr / bs))
	last=$(((addr + size - 1) / bs))
	# vm_dimm_del needs the block range.
	echo "$first $last" >"/tmp/.ntc-$qid"
	wait_for "$NTC_HOTPLUG_WAIT" _ntc_blocks online "$first" "$last" || {
		ntc_err "vm_dimm_add: $qid: blocks $first-$last not all online"
		return 1
	}
	echo "$qid $addr $size"
}

# vm_dimm_del QOMID: unplug a DIMM added by vm_dimm_add.
vm_dimm_del() {
	local first last

	if ! read -r first last 2>/dev/null <"/tmp/.ntc-$1"; then
		ntc_err "vm_dimm_del: $1 was not added by vm_dimm_add"
		return 1
	fi
	host_req dimm-del "$1" >/dev/null || return 1
	wait_for "$NTC_HOTPLUG_WAIT" _ntc_blocks gone "$first" "$last" || {
		ntc_err "vm_dimm_del: $1: blocks $first-$last still there"
		return 1
	}
	rm -f "/tmp/.ntc-$1"
}

# vm_caps: what the host's QEMU can do, as "key=value" words:
#   qemu=<major.minor> cpu_adds_left=<n> cpu_readd=<0|1> vmem=<id|none>
# cpu_readd=0 (QEMU 7.2): nothing may be hot-added after a CPU unplug.
vm_caps() {
	host_req caps
}

# vm_cap KEY: one value of vm_caps.
vm_cap() {
	vm_caps | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# vm_plan_cpu_adds N: fail (saying why) unless N more CPU hot-adds fit in
# this guest's life; QEMU aborts on one past maxcpus - smp.
vm_plan_cpu_adds() {
	host_req plan-cpu-adds "$1" >/dev/null
}

# vm_has_kmod NAME: ntc-vm brought module NAME of the guest kernel's own.
vm_has_kmod() {
	[ -r "/lib/ntc-kmods/$1.load" ]
}

# vm_load_kmod NAME: insmod one of the guest kernel's own modules that
# ntc-vm brought in (--kmod; virtio_mem by default), dependencies first.
vm_load_kmod() {
	local ko

	if ! vm_has_kmod "$1"; then
		ntc_err "vm_load_kmod: $1: not in this guest (the kernel lacks it)"
		return 1
	fi
	while read -r ko; do
		grep -q "^${ko%.ko} " /proc/modules && continue
		insmod "/lib/ntc-kmods/$ko" || return 1
	done <"/lib/ntc-kmods/$1.load"
}

# vm_vmem_resize QOMID MIB: ask virtio-mem device QOMID for MIB MiB in all,
# wait until the guest has plugged (and onlined) or unplugged that much;
# prints "<region addr hex> <plugged size hex>".
vm_vmem_resize() {
	local reply addr size bs first last

	reply=$(host_req vmem-resize "$1" "$2") || return 1
	# shellcheck disable=SC2086 # split the reply into its words
	set -- $reply
	addr=$1 size=$2
	bs=$((0x$(cat "$NTC_MEM_SYS/block_size_bytes")))
	first=$((addr / bs))
	last=$(((addr + size) / bs - 1))
	if [ $((size)) -gt 0 ] && ! wait_for "$NTC_HOTPLUG_WAIT" _ntc_blocks online "$first" "$last"; then
		ntc_err "vm_vmem_resize: blocks $first-$last not all online"
		return 1
	fi
	echo "$addr $size"
}
