# SPDX-License-Identifier: GPL-2.0
# Helpers for the processor-change selftests: steer ntc_pcc_test.ko.

PCC=/sys/kernel/debug/ntc_pcc_test
STATUS_UNSUCCESSFUL=0xc0000001
STATUS_INSUFFICIENT_RESOURCES=0xc000009a

load_pcc() {
	load_ntcompat
	insmod "$NTC_MODDIR/ntc_pcc_test.ko" || die "insmod ntc_pcc_test.ko"
}

unload_pcc() {
	stop_driver ntc_pcc_test && rmmod ntc_pcc_test
}

# pcc CMD...: one command; its status line is left in $pcc_status.
pcc() {
	echo "$*" >"$PCC/ctl" || return 1
	read -r pcc_status pcc_detail <"$PCC/status" || true
	return 0
}

# pcc_reg SLOT FLAGS: register; succeeds if a handle came back.
pcc_reg() {
	pcc reg "$@" && [ "$pcc_status" = 0x00000000 ]
}

# calls SLOT [STATE] [CPU]: the slot's log lines, of one state and index.
calls() {
	grep "^slot=$1 state=${2:-[a-z]*} cpu=${3:-[0-9]*} " "$PCC/log"
}

ncalls() {
	calls "$@" | wc -l
}

# order: "slot:state:cpu" of every call, one line each, in call order.
order() {
	sed -n 's/^slot=\([0-9]*\) state=\([a-z]*\) cpu=\([0-9]*\) .*/\1:\2:\3/p' "$PCC/log"
}

# pcc_stat NAME: a counter from ntcompat's stats file.
pcc_stat() {
	sed -n "s/^$1 //p" /sys/kernel/debug/ntcompat/stats
}

# The state number of one of ntcompat's cpuhp states, by name.
cpuhp_state_of() {
	sed -n "s/^ *\([0-9]*\): $1\$/\1/p" /sys/devices/system/cpu/hotplug/states
}
