#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lockdep sees a lock-order inversion between two of a driver's KSPIN_LOCKs
# and names both by the driver's KeInitializeSpinLock() lines. Needs lockdep
# (the debug lane); a skip elsewhere.
#
# The report is expected here, so it is kept off the console, which the
# harness scans for trouble: the console loglevel is lowered around it and
# the report read back from the kernel's log buffer. Anything else lockdep
# or the kernel reports afterwards still reaches the console.
. ./lib.sh
. ./ke_lib.sh

[ -e /proc/lockdep ] || skip "the kernel has no lockdep"
load_ke
read -r level rest </proc/sys/kernel/printk
echo 1 >/proc/sys/kernel/printk
ke lockorder
echo "$level" >/proc/sys/kernel/printk
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
