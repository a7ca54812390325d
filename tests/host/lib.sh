# SPDX-License-Identifier: GPL-2.0
# lib.sh - sourced by the host tests, which run from the top of the tree.
# shellcheck shell=sh

# Make's view of the build: the same KVER, KDIR and BUILD as the make
# check that runs us (its command-line variables reach us in MAKEFLAGS).
mk() {
	make -s --no-print-directory "$@"
}
KDIR=$(mk print-KDIR)
KREL=$(mk print-KREL)
BUILD=$(mk print-BUILD)
NTC_VERSION=$(mk print-NTC_VERSION)

fail() {
	echo "FAIL: $*"
	exit 1
}

# A scratch directory under build/, removed on exit.
scratch() {
	mkdir -p "$BUILD/host-tests"
	TMP=$(mktemp -d "$BUILD/host-tests/$1.XXXXXX")
	trap 'rm -rf "$TMP"' EXIT
}

# The kernel's scripts/ (checkpatch.pl, kernel-doc) from linux-source-6.1.
kernel_scripts() {
	scripts/kernel-scripts "$BUILD/kernel-scripts" | tail -n 1
}

# The C sources of the tree, generated files left out.
c_sources() {
	if git rev-parse --git-dir >/dev/null 2>&1; then
		git ls-files --cached --others --exclude-standard '*.c' '*.h' |
			while read -r f; do [ -f "$f" ] && echo "$f"; done
	else
		find . -path ./build -prune -o \( -name '*.[ch]' ! -name '*.mod.c' \
			-print \) | sed 's|^\./||' | sort
	fi
}

# make in the kernel's build tree, as Kbuild prints it (a make -s above us
# must not silence the lines the tests count).
kmake() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$KDIR" "$@"
}
