# SPDX-License-Identifier: GPL-2.0
# Helpers for the ke_*.sh tests, which drive ntc_ke_test.ko.
KE=/sys/kernel/debug/ntc_ke_test

load_ke() {
	load_ntcompat
	insmod "$NTC_MODDIR/ntc_ke_test.ko" || die "insmod ntc_ke_test.ko"
}

unload_ke() {
	rmmod ntc_ke_test && rmmod ntcompat
}

# ke CMD...: run one command; its findings are then in $ke_out.
ke() {
	echo "$*" >"$KE/ctl" || return 1
	ke_out=$(cat "$KE/result")
	echo "  $*: $ke_out"
}

# ke_on CPU CMD...: the same, written by a thread on CPU.
ke_on() {
	local cpu=$1

	shift
	echo "$*" | taskset -c "$cpu" tee "$KE/ctl" >/dev/null || return 1
	ke_out=$(cat "$KE/result")
	echo "  (on CPU $cpu) $*: $ke_out"
}

# kv KEY: the value of KEY= in the last command's findings.
kv() {
	echo " $ke_out" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"
}

# is KEY VALUE: KEY= is VALUE.
is() {
	[ "$(kv "$1")" = "$2" ]
}

# between KEY LO HI: LO <= KEY= <= HI.
between() {
	[ "$(kv "$1")" -ge "$2" ] && [ "$(kv "$1")" -le "$3" ]
}

# logged TEXT: the kernel log has a line with TEXT since the test began.
logged() {
	dmesg | grep -qF -- "$1"
}
