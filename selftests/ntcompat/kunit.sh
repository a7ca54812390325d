#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs the KUnit suite for ntcompat's internals (module/kunit/ntc_kunit.c) and
# reports each of its cases. Debug lane only: Debian's kernels have no
# KUnit, and there the test is a skip.
. ./lib.sh

RESULTS=/sys/kernel/debug/kunit/ntcompat/results
[ -d /sys/kernel/debug/kunit ] && [ -f "$NTC_MODDIR/ntc_kunit.ko" ] ||
	skip "the kernel has no KUnit"

load_ntcompat
check "the suite loads and runs" insmod "$NTC_MODDIR/ntc_kunit.ko"
check "it reported" [ -r "$RESULTS" ]
cases=$(grep -cE '^ +(not )?ok [0-9]+ ' "$RESULTS")
check "it ran its 8 cases" [ "$cases" -eq 8 ]
grep -E '^ +(not )?ok [0-9]+ ' "$RESULTS" | while read -r verdict rest; do
	case $verdict in
	ok) echo "ok: kunit: ${rest#* }" ;;
	*) echo "FAIL: kunit: ${rest#ok * }"; echo bad >/tmp/kunit-failed ;;
	esac
done
check "no case failed" [ ! -e /tmp/kunit-failed ]
[ -e /tmp/kunit-failed ] && cat "$RESULTS"
rmmod ntc_kunit
unload_all
finish
