#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make deb: the package's version is dkms.conf's PACKAGE_VERSION, and its
# /usr/src/ntcompat-<version>/ holds exactly what make install-src installs
# (the Makefile's NTC_SRC_FILES), nothing listed twice; a changelog that
# disagrees with dkms.conf stops the build.
. tests/deb/lib.sh
scratch deb-version
build_deb
deb=$TMP/mnt/$(basename "$DEB")
version=$(dpkg-deb -f "$deb" Version)
[ "$version" = "$NTC_VERSION" ] || fail "the package is $version, dkms.conf says $NTC_VERSION"
[ "$(dpkg-deb -f "$deb" Architecture)" = all ] || fail "the package is not Architecture: all"
echo "ntcompat-dkms $version, Architecture: all, Depends: $(dpkg-deb -f "$deb" Depends)"

mk install-src DESTDIR="$TMP/src" >/dev/null
(cd "$TMP/src" && find usr/src | sort) >"$TMP/install-src"
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./||; s|/$||' |
	grep '^usr/src' | sort >"$TMP/deb-src"
diff -u "$TMP/install-src" "$TMP/deb-src" || fail "the package's /usr/src is not make install-src's"
echo "/usr/src: the $(wc -l <"$TMP/deb-src") entries make install-src installs"

# The same source with dkms.conf moved on and the changelog not.
cp -a "$BUILD/deb/ntcompat-$NTC_VERSION" "$TMP/bumped"
sed -i 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="99.0.0"/' "$TMP/bumped/dkms.conf"
if (cd "$TMP/bumped" && dpkg-buildpackage --no-sign -b) >"$TMP/bumped.log" 2>&1; then
	fail "built a package although debian/changelog is behind dkms.conf"
fi
grep -q "debian/changelog is at $NTC_VERSION, dkms.conf at 99.0.0" "$TMP/bumped.log" ||
	fail_log "$TMP/bumped.log" "no clear error for a changelog behind dkms.conf"
echo "changelog $NTC_VERSION, dkms.conf 99.0.0: the build stops and says so"
