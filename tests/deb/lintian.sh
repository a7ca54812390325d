#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lintian on what make deb made, the source package and ntcompat-dkms:
# no error, and no warning but those README.md's "The Debian package"
# justifies (lintian-justified, one tag per line). Informational tags are
# shown, not counted.
. tests/deb/lib.sh
command -v lintian >/dev/null || scripts/install-deps lintian
scratch deb-lintian
build_deb
suppress=$(grep -v '^#' tests/deb/lintian-justified | paste -sd, -)
# lintian reads what it is given only; it need not, and should not, be root.
chmod -R a+rX "$BUILD/deb"
runuser -u nobody -- lintian --display-info --fail-on error,warning \
	${suppress:+--suppress-tags "$suppress"} \
	"$BUILD/deb/ntcompat_${NTC_VERSION}_$(dpkg --print-architecture).changes" \
	>"$TMP/lintian.log" 2>&1
rc=$?
cat "$TMP/lintian.log"
[ $rc -eq 0 ] || fail "lintian: $(grep -c '^[EW]: ' "$TMP/lintian.log") errors and warnings"
echo "lintian $(lintian --version | awk '{ print $2 }'): no error, no unjustified warning" \
	"($(grep -c '^[IPX]: ' "$TMP/lintian.log") informational tags)"
