#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lockdep sees a lock-order inversion between two of a driver's KSPIN_LOCKs
# and names both by the driver's KeInitializeSpinLock() lines. Needs lockdep
# (the debug lane); a skip elsewhere.
#
# The report is provoked on purpose: the test declares it to the harness,
# which scans the console for trouble, and brackets the step that provokes
# it (expect_report); anything else the kernel reports still counts.
# ntc-vm: --expect-report lockdep-inversion
. ./lib.sh
. ./ke_lib.sh

[ -e /proc/lockdep ] || skip "the kernel has no lockdep"
load_ke
expect_report lockdep-inversion ke lockorder
report=$(dmesg | sed -n '/possible circular locking dependency detected/,/stack backtrace/p')
check "lockdep reported the inversion" [ -n "$report" ]
check "  naming lock A by its KeInitializeSpinLock line" \
	has "$report" "&ke_lock_a at"
check "  and lock B" has "$report" "&ke_lock_b at"
check "  in the driver's file" has "$report" "ntc_ke_test.c:"
check "  acquired by the driver's function" has "$report" "ke_lock_order"
echo "$report" | grep -E 'ke_lock|ntc_ke_test' | head -8
unload_ke
finish
