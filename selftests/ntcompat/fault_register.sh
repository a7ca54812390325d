#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An allocation failure inside IoRegisterPlugPlayNotification returns
# STATUS_INSUFFICIENT_RESOURCES, registers nothing and leaks nothing
# (kmemleak, in finish). Needs failslab and /proc/self/fail-nth: the debug
# lane has them, Debian's kernels do not.
. ./lib.sh

fail_nth_setup

load_client
INSUFFICIENT=0xc000009a
exec 3>"$CLIENT/ctl"

# try N FLAGS: register slot 0 with the Nth fault-injection point of the
# call failing. Leaves the NTSTATUS in $ctl_status, the rest in $ctl_detail
# and, in $left, what remains of the countdown: not 0 means the call had
# fewer than N points, so every one of them has been tried.
try() {
	fail_nth "$1" 3 "reg 0 proc $2"
	read -r ctl_status ctl_detail <"$CLIENT/status"
}

for flags in 0 1; do
	n=1 failures=0 left=0
	while [ "$left" = 0 ] && [ $n -le 50 ]; do
		try $n $flags
		if [ "$ctl_status" = 0x00000000 ]; then
			# A point whose failure is absorbed (kmemleak's own
			# metadata, for one): the registration went through.
			check "flags $flags, point $n absorbed: registered, replayed" \
				has "$ctl_detail" "events_at_return=$((flags * $(online_count)))"
			ctl unregex 0
		else
			failures=$((failures + 1))
			check "flags $flags, point $n failing: STATUS_INSUFFICIENT_RESOURCES" \
				[ "$ctl_status" = $INSUFFICIENT ]
			check "  and no callback was made" has "$ctl_detail" events_at_return=0
		fi
		n=$((n + 1))
	done
	check "flags $flags: all $((n - 2)) injection points tried, $failures refused" \
		[ "$left" != 0 ]
	check "  at least one allocation failure reached Register" [ "$failures" -ge 1 ]
done
exec 3>&-
unload_all
finish
