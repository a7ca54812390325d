#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A clean build with W=1 (the kernel's extra warnings, kernel-doc included)
# gives no warning at all. Built from scratch in a copy of the tree, so that
# every file is really compiled, whatever state the tree is in.
. tests/host/lib.sh
scratch w1
# The directories the top-level Kbuild builds, and what they include.
dirs=$(sed -n 's/^obj-m *+*= *//p' Kbuild)
[ -n "$dirs" ] || fail "no obj-m in Kbuild"
# shellcheck disable=SC2086
cp -r --parents Kbuild ntcompat.mk dkms.conf include $dirs "$TMP/"
# The copy must not carry objects over from the tree.
find "$TMP" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
	-o -name '*.order' -o -name Module.symvers \) -delete
kmake -j"$(nproc)" M="$TMP" W=1 modules >"$TMP/log" 2>&1 || {
	cat "$TMP/log"
	fail "the build failed"
}
compiled=$(grep -c '^  CC \[M\] .*\.o$' "$TMP/log")
grep -iE 'warning:|error:' "$TMP/log" >"$TMP/bad"
cat "$TMP/bad"
echo "W=1: $compiled objects compiled, $(wc -l <"$TMP/bad") warnings"
[ "$compiled" -gt 0 ] || fail "nothing was compiled"
[ ! -s "$TMP/bad" ]
