#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs the KUnit suites for ntcompat's internals (module/kunit/ntc_kunit.c)
# and for its primitives (module/kunit/ntc_kunit_prims.c) and reports each
# of their cases; none may fail or skip. Debug lane only: Debian's kernels
# have no KUnit, and there the test is a skip.
. ./lib.sh

KUNIT=/sys/kernel/debug/kunit
[ -d "$KUNIT" ] && [ -f "$NTC_MODDIR/ntc_kunit.ko" ] ||
	skip "the kernel has no KUnit"

# suite MODULE SUITE CASES: load MODULE, which runs SUITE, and report it.
suite() {
	local results=$KUNIT/$2/results cases

	check "$1 loads and runs" insmod "$NTC_MODDIR/$1.ko"
	check "$2 reported" [ -r "$results" ]
	cases=$(grep -cE '^ +(not )?ok [0-9]+ ' "$results")
	check "$2 ran its $3 cases" [ "$cases" -eq "$3" ]
	grep -E '^ +(not )?ok [0-9]+ ' "$results" | while read -r verdict rest; do
		case $verdict in
		ok) echo "ok: kunit: ${rest#* }" ;;
		*) echo "FAIL: kunit: ${rest#ok * }"; echo bad >/tmp/kunit-failed ;;
		esac
	done
	check "no case of $2 failed" [ ! -e /tmp/kunit-failed ]
	check "none skipped" sh -c "! grep -q '# SKIP' '$results'"
	[ -e /tmp/kunit-failed ] && cat "$results"
	rm -f /tmp/kunit-failed
	rmmod "$1"
}

load_ntcompat
suite ntc_kunit ntcompat 12
# The affinity case takes the last of three CPUs down and back up.
for n in 1 2; do
	vm_cpu_add >/dev/null || die "CPU hot-add $n"
done
suite ntc_kunit_prims ntcompat_prims 7
unload_all
finish
