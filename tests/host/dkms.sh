#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make dkms-install, with DKMS's trees staged under DESTDIR (Debian's dkms;
# against the installed kernel headers): DKMS builds ntcompat.ko from the
# copy in /usr/src/ntcompat-<version>/ and installs it in updates/dkms/,
# modinfo is sane, POST_BUILD kept Module.symvers for ntcompat.mk and
# POST_REMOVE drops it, and make dkms-uninstall leaves nothing behind.
. tests/host/lib.sh
command -v dkms >/dev/null || scripts/install-deps dkms
scratch dkms
root=$TMP/root
dkms="dkms --dkmstree $root/var/lib/dkms --sourcetree $root/usr/src --installtree $root/lib/modules"

mk dkms-install DESTDIR="$root" >"$TMP/log" 2>&1 || {
	cat "$TMP/log"
	cat "$root/var/lib/dkms/ntcompat/$NTC_VERSION/build/make.log" 2>/dev/null
	fail "make dkms-install failed"
}
status=$($dkms status ntcompat)
echo "dkms status: $status"
case $status in
"ntcompat/$NTC_VERSION, $KREL, "*": installed") ;;
*) fail "not installed for $KREL" ;;
esac

ko=$root/lib/modules/$KREL/updates/dkms/ntcompat.ko
[ -f "$ko" ] || fail "no $ko"
[ "$(modinfo -F name "$ko")" = ntcompat ] || fail "modinfo name"
[ "$(modinfo -F version "$ko")" = "$NTC_VERSION" ] || fail "modinfo version is not $NTC_VERSION"
[ "$(modinfo -F license "$ko")" = GPL ] || fail "modinfo license"
vermagic=$(modinfo -F vermagic "$ko")
[ "${vermagic%% *}" = "$KREL" ] || fail "vermagic '$vermagic' is not for $KREL"
modinfo -F parm "$ko" | grep -q '^removal_events:' || fail "modinfo has no removal_events parameter"
grep -qx 'updates/dkms/ntcompat.ko:' "$root/lib/modules/$KREL/modules.dep" ||
	fail "depmod did not index it"
echo "modinfo: ntcompat $NTC_VERSION, vermagic $vermagic"

# The build log must be as clean as the tree's own build.
log=$root/var/lib/dkms/ntcompat/$NTC_VERSION/$KREL/$(uname -m)/log/make.log
[ -f "$log" ] || fail "no DKMS make.log"
if grep -iE 'warning:|error:' "$log"; then
	fail "the DKMS build warned"
fi

symvers=$root/usr/src/ntcompat-$NTC_VERSION/symvers/$KREL/Module.symvers
grep -q '	IoRegisterPlugPlayNotification	' "$symvers" ||
	fail "POST_BUILD kept no Module.symvers with ntcompat's exports"
echo "POST_BUILD: $(wc -l <"$symvers") exports in $symvers"

$dkms remove "ntcompat/$NTC_VERSION" -k "$KREL" --no-depmod >>"$TMP/log" 2>&1 ||
	fail "dkms remove failed"
[ ! -e "$ko" ] || fail "dkms remove left $ko"
[ ! -e "$symvers" ] || fail "POST_REMOVE left $symvers"
echo "dkms remove: module and Module.symvers gone"

mk dkms-uninstall DESTDIR="$root" >>"$TMP/log" 2>&1 || fail "make dkms-uninstall failed"
[ -z "$($dkms status ntcompat)" ] || fail "DKMS still knows ntcompat"
[ ! -e "$root/usr/src/ntcompat-$NTC_VERSION" ] || fail "the source copy is still there"
[ ! -e "$root/usr/src/ntcompat" ] || fail "/usr/src/ntcompat is still there"
echo "make dkms-uninstall: nothing left"
