#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make install, staged with DESTDIR: ntcompat.ko alone in
# /lib/modules/<release>/extra (xz-compressed on Debian 13, as its own
# modules are) with depmod's index naming it, its modinfo sane, and the
# development files a ported driver needs in /usr/src/ntcompat-<version>/, Module.symvers holding exactly ntcompat's
# exports for that release. Then make uninstall takes the module back.
. tests/host/lib.sh
scratch install
root=$TMP/root
mk install DESTDIR="$root" >"$TMP/log" 2>&1 || {
	cat "$TMP/log"
	fail "make install failed"
}

mods=$root/lib/modules/$KREL
# Compressed where the kernel compresses its own (xz on Debian 13's).
installed=$(cd "$mods" && find . -name '*.ko' -o -name '*.ko.[gx]z' -o -name '*.ko.zst')
echo "modules installed: $(echo $installed)"
[ "$(echo "$installed" | wc -w)" -eq 1 ] || fail "not ntcompat.ko alone installed"
ko=$mods/${installed#./}
case $installed in
./extra/ntcompat.ko*) ;;
*) fail "ntcompat.ko is not in extra/" ;;
esac
grep -qx "${installed#./}:" "$mods/modules.dep" || fail "depmod did not index it"
grep -q '^alias symbol:IoRegisterPlugPlayNotification ntcompat$' "$mods/modules.symbols" ||
	fail "modules.symbols does not map IoRegisterPlugPlayNotification to ntcompat"

[ "$(modinfo -F name "$ko")" = ntcompat ] || fail "modinfo name"
[ "$(modinfo -F version "$ko")" = "$NTC_VERSION" ] || fail "modinfo version is not $NTC_VERSION"
[ "$(modinfo -F license "$ko")" = GPL ] || fail "modinfo license"
vermagic=$(modinfo -F vermagic "$ko")
[ "${vermagic%% *}" = "$KREL" ] || fail "vermagic '$vermagic' is not for $KREL"
echo "modinfo: ntcompat $NTC_VERSION, vermagic $vermagic"

src=$root/usr/src/ntcompat-$NTC_VERSION
for f in ntcompat.mk dkms.conf include/ntcompat/wdm.h include/ntcompat/ntddk.h \
	module/Kbuild module/main.c docs/porting.md; do
	[ -f "$src/$f" ] || fail "no $f in $src"
done
[ "$(readlink "$root/usr/src/ntcompat")" = "ntcompat-$NTC_VERSION" ] ||
	fail "/usr/src/ntcompat does not point to ntcompat-$NTC_VERSION"
[ -x "$root/usr/local/sbin/ntc-unload" ] || fail "no ntc-unload"

# Module.symvers: ntcompat's exports, as the build of the tree listed them.
symvers=$src/symvers/$KREL/Module.symvers
[ -f "$symvers" ] || fail "no $symvers"
cut -f 2 "$symvers" | sort >"$TMP/installed"
awk -F '\t' '$3 ~ /\/ntcompat$/ { print $2 }' Module.symvers | sort >"$TMP/built"
[ -s "$TMP/built" ] || fail "the tree's Module.symvers lists no ntcompat export"
cmp -s "$TMP/installed" "$TMP/built" || {
	diff "$TMP/built" "$TMP/installed"
	fail "the installed Module.symvers is not ntcompat's exports"
}
echo "Module.symvers: $(wc -l <"$TMP/installed") exports for $KREL"

mk uninstall DESTDIR="$root" >>"$TMP/log" 2>&1 || fail "make uninstall failed"
[ ! -e "$ko" ] || fail "make uninstall left $ko"
! grep -q ntcompat "$mods/modules.dep" || fail "modules.dep still names ntcompat"
[ ! -e "$src/symvers/$KREL" ] || fail "make uninstall left the Module.symvers"
echo "make uninstall: module and Module.symvers gone"
