#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernel-doc (linux-source-6.1's) on the public headers and on module/:
# no warning, and every exported function documented.
#
# kernel-doc -none, as the kernel's own W=1 build runs it. Not -v: in 6.1
# it adds two checks that misfire here, "No description found for return
# value" on functions returning VOID (the Windows spelling of void), and
# "contents before sections" on any function without parameters whose
# description precedes its Context: and Return: sections.
. tests/host/lib.sh
kdoc="$(kernel_scripts)/kernel-doc"
[ -x "$kdoc" ] || fail "no kernel-doc"
files="include/ntcompat/*.h module/*.c module/*.h"
scratch kernel-doc

# shellcheck disable=SC2086 # a list of globs
"$kdoc" -none $files >"$TMP/out" 2>&1
cat "$TMP/out"
warnings=$(grep -c 'warning' "$TMP/out")
echo "kernel-doc: $(echo $files | wc -w) files, $warnings warnings"

# The exported functions: EXPORT_SYMBOL*(name) with a definition name(...)
# in module/ (the GUIDs are data, exported through a macro).
missing=0 n=0
for sym in $(sed -n 's/^EXPORT_SYMBOL[A-Z_]*(\([A-Za-z_0-9]*\));.*/\1/p' module/*.c); do
	grep -Eq "^[A-Za-z].*[ *]$sym\(" module/*.c || continue
	n=$((n + 1))
	# shellcheck disable=SC2086
	if ! "$kdoc" -rst -function "$sym" $files 2>/dev/null |
			grep -q "^\.\. c:function:: .*[ *]$sym *("; then
		echo "exported but not documented: $sym"
		missing=$((missing + 1))
	fi
done
echo "kernel-doc: $n exported functions, $missing without kernel-doc"
[ "$n" -gt 0 ] || fail "no exported function found"
[ "$warnings" -eq 0 ] && [ "$missing" -eq 0 ]
