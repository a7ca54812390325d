#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# sparse (make C=2) on every kernel source of the tree: no warning, no
# error. C=2 checks every file whether or not it needs recompiling, so this
# runs on the tree make check has just built, without rebuilding it (W=1 as
# in the normal build, or the flags would change and everything recompile).
. tests/host/lib.sh
command -v sparse >/dev/null || scripts/install-deps sparse
scratch sparse
kmake -j"$(nproc)" M="$PWD" W=1 C=2 modules >"$TMP/log" 2>&1 || {
	cat "$TMP/log"
	fail "the build failed"
}
checked=$(grep -c '^  CHECK ' "$TMP/log")
# sparse's own messages, and any compiler warning of a recompiled file.
# Windows pool tags ('Xmpl') are multi-character constants by design, and
# sparse 0.6.4 warns about them with no switch to turn it off (gcc has
# ntcompat.mk's -Wno-multichar): only that message is let through.
grep -E ': (warning|error):' "$TMP/log" |
	grep -v ': warning: multi-character character constant$' >"$TMP/bad"
cat "$TMP/bad"
echo "sparse: $checked files checked, $(wc -l <"$TMP/bad") warnings or errors"
# Every object of every module (Kbuild lists them in <module>.mod) must
# have been checked: if sparse did not run, nothing was.
objects=$(find . -path ./build -prune -o -name '*.mod' -print | xargs cat | wc -w)
[ "$checked" -gt 0 ] || fail "sparse checked nothing"
[ "$checked" -eq "$objects" ] ||
	fail "sparse checked $checked files, the modules have $objects objects"
[ ! -s "$TMP/bad" ]
