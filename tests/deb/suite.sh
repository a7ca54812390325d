# SPDX-License-Identifier: GPL-2.0
# suite.sh - the package on a fresh Debian SUITE, as an administrator
# installs it, in four tests run in turn (SUITE-install.sh, -later.sh,
# -guests.sh, -remove.sh; each phase alone fits run-selftests' time limit
# for a host test), on one overlay on the cached chroot (scripts/deb-chroot), so that
# every run starts from the same fresh installation and leaves the cache
# untouched. The overlay and the phases' records are kept in
# build/deb-tests/state/SUITE/ from one phase to the next.
#
#  install: apt install ./ntcompat-dkms_<v>_all.deb pulls in DKMS, which
#     builds and installs ntcompat.ko for every kernel that has its headers,
#     and POST_BUILD keeps each one's Module.symvers for ntcompat.mk;
#  later: a kernel installed afterwards gets its ntcompat.ko and
#     Module.symvers from DKMS's kernel hooks;
#  guests: for each of those kernels, the sample ported driver (samples/)
#     is built in the chroot against the installed ntcompat.mk, with no
#     warning, and in a guest booted from that kernel's image it loads next
#     to the packaged ntcompat.ko, gets its callbacks for a hot-added CPU
#     and DIMM, and the packaged ntc-unload stops and unloads it;
#  remove: apt remove (or purge, lib.sh says which) leaves no file of
#     ntcompat's, no module in any kernel's index, and dpkg knows the
#     package no more; with what came with it purged too, the file list is
#     the fresh installation's again.
# shellcheck shell=sh
# shellcheck disable=SC2016 # dpkg-query's formats, the chroot's shell's $
. tests/deb/lib.sh

# phase SUITE NAME: the state of SUITE's run, as TMP; the chroot as root.
phase() {
	suite=$1
	TMP=$BUILD/deb-tests/state/$suite
	if [ "$2" = install ]; then
		rm -rf "$TMP"
		mkdir -p "$TMP"
	elif [ ! -f "$TMP/installed" ]; then
		fail "no $suite installation to test: $suite-install.sh did not pass"
	fi
	suite_kernels "$suite"
	root=$(suite_root "$suite") || fail "no $suite chroot"
}

phase_install() {
	phase "$1" install
	build_deb
	step "built $(basename "$DEB"); chroot $root"
	snapshot "$TMP/files.before"
	packages >"$TMP/packages.before"
	in_root apt-get install -y "/mnt/$(basename "$DEB")" >"$TMP/install.log" 2>&1 ||
		fail_log "$TMP/install.log" "apt install of the package failed"
	step "installed, with $(grep -c '^Setting up' "$TMP/install.log") packages"
	check_built "at install"
	touch "$TMP/installed"
}

phase_later() {
	phase "$1" later
	# INITRD=No: initramfs-tools' kernel hook makes no initramfs, which the
	# guests do not boot with and which takes a minute or more on a busy
	# machine, where this phase came within 40 s of its 900 s (DKMS's own
	# hook, which runs before it, is what is tested).
	# The kernel's own packages, not the metapackages naming it: those
	# already exist, and backports' turn a directory into a symlink that
	# dpkg does not turn back when the remove phase downgrades them. So:
	# what apt would install for them, each at that version, but for the
	# metapackages themselves.
	metas=" $(echo "$LATER" | sed 's|/[^ ]*||g') "
	# shellcheck disable=SC2086 # a list of packages
	kernel=$(in_root apt-get install -s $LATER | awk -v metas="$metas" '
		/^Inst / && index(metas, " " $2 " ") == 0 {
			v = $0; sub(/^[^(]*\(/, "", v); sub(/ .*/, "", v); print $2 "=" v }')
	[ -n "$kernel" ] || fail "$LATER names no kernel package"
	# shellcheck disable=SC2086
	in_root env INITRD=No apt-get install -y $kernel >"$TMP/later.log" 2>&1 ||
		fail_log "$TMP/later.log" "installing $LATER failed"
	check_built "after a kernel was installed"
	[ "$(wc -l <"$TMP/kernels")" -gt "$(wc -l <"$TMP/kernels.at-install")" ] ||
		fail "installing $LATER added no kernel"
}

phase_guests() {
	phase "$1" guests
	while read -r krel; do
		guest_test "$krel"
	done <"$TMP/kernels"
}

phase_remove() {
	phase "$1" remove
	in_root apt-get "$REMOVE" -y ntcompat-dkms >"$TMP/remove.log" 2>&1 ||
		fail_log "$TMP/remove.log" "apt $REMOVE failed"
	check_gone "after apt $REMOVE"
	[ -z "$(in_root dpkg-query -W -f '${db:Status-Abbrev}' ntcompat-dkms 2>/dev/null |
		tr -d ' ')" ] || fail "dpkg still knows ntcompat-dkms after apt $REMOVE"

	# Everything else that came with it (DKMS, compilers) and the later
	# kernel purged in turn, and what the later kernel upgraded (its
	# metapackages, linux-base) back at the fresh installation's version:
	# what is left must be what was there. sudo, which DKMS recommends,
	# refuses to go from a root without a password unless told.
	packages >"$TMP/packages.after"
	down=$(LC_ALL=C join "$TMP/packages.before" "$TMP/packages.after" |
		awk '$2 != $3 { print $1 "=" $2 }')
	new=$(LC_ALL=C join -v 2 "$TMP/packages.before" "$TMP/packages.after" |
		awk '{ print $1 }')
	(
		set -e
		# shellcheck disable=SC2086 # lists of packages
		[ -z "$down" ] || in_root env SUDO_FORCE_REMOVE=yes \
			apt-get install -y --allow-downgrades $down
		# shellcheck disable=SC2086
		[ -z "$new" ] || in_root env SUDO_FORCE_REMOVE=yes apt-get purge -y $new
	) >"$TMP/purge-rest.log" 2>&1 || fail_log "$TMP/purge-rest.log" "purging the rest failed"
	snapshot "$TMP/files.after"
	if ! diff -u "$TMP/files.before" "$TMP/files.after" >"$TMP/files.diff"; then
		cat "$TMP/files.diff"
		fail "the file list differs from the fresh installation's"
	fi
	step "after purging it and what came with it: the same $(wc -l <"$TMP/files.after")" \
		"files as before"
	rm -rf "$TMP"
}

in_root() {
	scripts/deb-chroot run --overlay "$TMP/overlay" --bind "$TMP/mnt" "$root" "$@"
}

# Every package dpkg knows, with its version.
packages() {
	in_root dpkg-query -W -f '${Package} ${Version}\n' | LC_ALL=C sort
}

# Every file, directory and link of the root, with a link's target. Left
# out: the test's own /mnt; what the package system rewrites on every run
# (its logs, the package lists and archives, dpkg's and debconf's
# databases, whose entries are checked through dpkg-query instead); /tmp
# and /run, which a booted system empties (a kernel's postinst leaves
# /run/reboot-required); and /etc/hosts, which netbase (pulled in with
# DKMS's perl) creates where there is none, as in a debootstrap, and leaves
# on purge, as the administrator's.
snapshot() {
	in_root find / -xdev \( -path /mnt -o -path /tmp -o -path /run -o -path /var/log \
		-o -path /var/cache/apt -o -path /var/lib/apt \
		-o -path /var/lib/dpkg -o -path /var/cache/debconf \
		-o -path /etc/hosts \) -prune \
		-o -printf '%y %p %l\n' | sort >"$1"
}

# The kernels with headers, and for each of them: DKMS has ntcompat
# installed, the module is in updates/dkms and in the kernel's index, and
# Module.symvers is where ntcompat.mk looks.
check_built() {
	in_root sh -c 'for b in /lib/modules/*/build; do
		[ -d "$b" ] && basename "${b%/build}"; done' | sort >"$TMP/kernels"
	[ -s "$TMP/kernels" ] || fail "no kernel with headers in the chroot"
	[ -f "$TMP/kernels.at-install" ] || cp "$TMP/kernels" "$TMP/kernels.at-install"
	# (stderr too: for a kernel whose headers ship a vmlinux, as 6.12's do,
	# DKMS asks readelf whether clang built it, and readelf complains)
	in_root dkms status ntcompat >"$TMP/dkms-status" 2>&1
	while read -r krel; do
		grep -q "^ntcompat/$NTC_VERSION, $krel, [^:]*: installed" "$TMP/dkms-status" || {
			cat "$TMP/dkms-status"
			fail "$1: DKMS did not install ntcompat for $krel"
		}
		ko=$(in_root sh -c "ls /lib/modules/$krel/updates/dkms/ntcompat.ko*") ||
			fail "$1: no ntcompat.ko for $krel"
		in_root grep -q "^${ko#/lib/modules/"$krel"/}:" "/lib/modules/$krel/modules.dep" ||
			fail "$1: $ko is not in $krel's modules.dep"
		in_root grep -q '	IoRegisterPlugPlayNotification	' \
			"/usr/src/ntcompat-$NTC_VERSION/symvers/$krel/Module.symvers" ||
			fail "$1: POST_BUILD kept no Module.symvers for $krel"
	done <"$TMP/kernels"
	step "$1: DKMS built and installed ntcompat for each of the" \
		"$(wc -l <"$TMP/kernels") kernels: $(tr '\n' ' ' <"$TMP/kernels")"
}

# The sample driver, built in the chroot as a porting engineer builds
# hers, then loaded in a guest booted from KREL's image.
guest_test() {
	krel=$1
	d=$TMP/mnt/drv-$krel
	mkdir -p "$d"
	cp samples/ntc_sample.c "$d/"
	printf 'obj-m := ntc_sample.o\ninclude /usr/src/ntcompat/ntcompat.mk\n' >"$d/Kbuild"
	in_root make -C "/lib/modules/$krel/build" M="/mnt/drv-$krel" modules \
		>"$d/build.log" 2>&1 || fail_log "$d/build.log" "$krel: the sample did not build"
	if grep -E 'warning|undefined|error' "$d/build.log"; then
		fail "$krel: the sample's build warned"
	fi
	[ "$(modinfo -F depends "$d/ntc_sample.ko")" = ntcompat ] ||
		fail "$krel: the sample does not depend on ntcompat"

	g=$TMP/guest-$krel
	mkdir -p "$g/modules"
	cp "$d/ntc_sample.ko" "$g/modules/"
	ko=$(in_root sh -c "ls /lib/modules/$krel/updates/dkms/ntcompat.ko*")
	case $ko in
	*.xz) in_root xz -dc "$ko" ;;
	*.zst) in_root zstd -dc "$ko" ;;
	*.gz) in_root gzip -dc "$ko" ;;
	*) in_root cat "$ko" ;;
	esac >"$g/modules/ntcompat.ko" || fail "$krel: cannot read $ko"
	in_root cat /usr/sbin/ntc-unload >"$g/ntc-unload"
	kernel=$(in_root sh -c "ls /boot/vmlinuz-$krel /usr/lib/modules/$krel/vmlinuz \
		2>/dev/null | head -n 1")
	[ -n "$kernel" ] || fail "$krel: no kernel image in the chroot"
	in_root cat "$kernel" >"$g/vmlinuz"
	scripts/ntc-vm --kernel "$g/vmlinuz" --build-dir "$BUILD/vm" \
		--add "$g/modules:/work/modules" --add "$g/ntc-unload:/work/ntc-unload" \
		--console-log "$g/console.log" --run tests/deb/guest.sh \
		>"$g/vm.log" 2>&1 || fail_log "$g/vm.log" "$krel: the sample did not run in a guest"
	step "$krel: $(grep '^guest:' "$g/vm.log" | tail -n 1)"
}

# Nothing of ntcompat's anywhere, in DKMS or in any kernel's module index.
check_gone() {
	left=$(in_root find / -xdev -path /mnt -prune -o -path /var/lib/dpkg -prune \
		-o -name '*ntcompat*' -print -o -name ntc-unload -print)
	[ -z "$left" ] || fail "$1: left behind: $left"
	[ -z "$(in_root dkms status ntcompat 2>/dev/null)" ] || fail "$1: DKMS still knows ntcompat"
	in_root sh -c '! grep -l ntcompat /lib/modules/*/modules.dep' ||
		fail "$1: a kernel's modules.dep still lists ntcompat"
	step "$1: no file of ntcompat's left, DKMS and every modules.dep clean"
}
