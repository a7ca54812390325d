#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --no-tree (linux-source-6.1's) on every .c and .h of the
# tree: no error, no warning.
#
# Options by kind of file, as the README says:
# - module/: ntcompat's internals, plain kernel C.
# - include/ntcompat/: the Windows API is typedefs and declaration macros:
#   --typedefsfile scripts/checkpatch-types (the Windows types, so that
#   "PVOID Context" is not read as a multiplication) and --ignore
#   NEW_TYPEDEFS,COMPLEX_MACRO,MACRO_WITH_FLOW_CONTROL.
# - user-space programs (the guest's uevent helper, bench/ntc-cycle.c):
#   --ignore PREFER_DEFINED_ATTRIBUTE_MACRO, as __printf() and friends are
#   kernel macros that do not exist there.
# - the rest, drivers written against the Windows API: --typedefsfile.
. tests/host/lib.sh
checkpatch="$(kernel_scripts)/checkpatch.pl"
[ -x "$checkpatch" ] || fail "no checkpatch.pl"

types="--typedefsfile scripts/checkpatch-types"
bad=0 n=0
for f in $(c_sources); do
	case $f in
	module/*) opts= ;;
	include/ntcompat/*)
		opts="$types --ignore NEW_TYPEDEFS,COMPLEX_MACRO,MACRO_WITH_FLOW_CONTROL" ;;
	*)
		if grep -q '^#include <\(stdio\|stdlib\|unistd\)\.h>' "$f"; then
			opts="--ignore PREFER_DEFINED_ATTRIBUTE_MACRO"
		else
			opts=$types
		fi ;;
	esac
	n=$((n + 1))
	# shellcheck disable=SC2086 # options are words
	if ! out=$("$checkpatch" --no-tree --quiet --terse --show-types $opts -f "$f"); then
		echo "$out"
		bad=$((bad + 1))
	fi
done
echo "checkpatch: $n files, $bad with errors or warnings"
[ "$n" -gt 0 ] || fail "no C files found"
[ "$bad" -eq 0 ]
