#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --no-tree (the host release's linux-source: 6.1's on Debian
# 12, 6.12's on Debian 13) on every .c and .h of the tree: no error, no
# warning.
#
# Options by kind of file, as the README says:
# - module/: ntcompat's internals, plain kernel C.
# - include/ntcompat/: the Windows API is typedefs and declaration macros:
#   --typedefsfile scripts/checkpatch-types (the Windows types, so that
#   "PVOID Context" is not read as a multiplication) and --ignore
#   NEW_TYPEDEFS,COMPLEX_MACRO,MACRO_WITH_FLOW_CONTROL, VOLATILE (the
#   Interlocked operands are LONG volatile * in Windows' signatures) and
#   MACRO_ARG_UNUSED (6.12's checkpatch: SAL annotations, DEFINE_GUID
#   without INITGUID and UNREFERENCED_PARAMETER discard their arguments by
#   definition, as in Windows' own headers).
# - user-space programs (the guest's uevent helper, bench/ntc-cycle.c):
#   --ignore PREFER_DEFINED_ATTRIBUTE_MACRO, as __printf() and friends are
#   kernel macros that do not exist there.
# - the rest, drivers written against the Windows API: --typedefsfile.
. tests/host/lib.sh
checkpatch="$(kernel_scripts)/checkpatch.pl"
[ -x "$checkpatch" ] || fail "no checkpatch.pl"

types="--typedefsfile scripts/checkpatch-types"
scratch checkpatch
# One checkpatch run per kind of file: perl's start-up is most of the cost.
for f in $(c_sources); do
	case $f in
	module/*) kind=internal ;;
	include/ntcompat/*) kind=api ;;
	*)
		if grep -q '^#include <\(stdio\|stdlib\|unistd\)\.h>' "$f"; then
			kind=user
		else
			kind=driver
		fi ;;
	esac
	echo "$f" >>"$TMP/$kind"
done
bad=0 failed=
for kind in internal api user driver; do
	[ -f "$TMP/$kind" ] || continue
	case $kind in
	internal) opts= ;;
	api) opts="$types --ignore NEW_TYPEDEFS,COMPLEX_MACRO,MACRO_WITH_FLOW_CONTROL,VOLATILE,MACRO_ARG_UNUSED" ;;
	user) opts="--ignore PREFER_DEFINED_ATTRIBUTE_MACRO" ;;
	driver) opts=$types ;;
	esac
	echo "checkpatch ($kind):" $(cat "$TMP/$kind")
	# shellcheck disable=SC2086 # options and files are words
	"$checkpatch" --no-tree --quiet --terse --show-types $opts \
		-f $(cat "$TMP/$kind") >"$TMP/out" 2>&1 || failed=1
	cat "$TMP/out"
	bad=$((bad + $(grep -c ': \(ERROR\|WARNING\|CHECK\):' "$TMP/out")))
	cat "$TMP/out" >>"$TMP/all"
done
n=$(cat "$TMP"/internal "$TMP"/api "$TMP"/user "$TMP"/driver 2>/dev/null | wc -l)
echo "checkpatch: $n files, $bad errors and warnings"
[ "$n" -gt 0 ] || fail "no C files found"
# One summary per file, or checkpatch skipped some.
[ "$(grep -c '^total: ' "$TMP/all")" -eq "$n" ] || fail "not every file was checked"
[ "$bad" -eq 0 ] && [ -z "$failed" ]
