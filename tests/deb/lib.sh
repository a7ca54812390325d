# SPDX-License-Identifier: GPL-2.0
# lib.sh - sourced by the package tests, which run from the top of the tree.
# shellcheck shell=sh
. tests/host/lib.sh

DEB=$BUILD/deb/ntcompat-dkms_${NTC_VERSION}_all.deb

# The Debian releases the package is tested on. Per suite: the kernels of
# the fresh installation (two, so that "every installed kernel" means
# something), the one installed after the package (fetched with the
# chroot, installed by the test), and how the package goes away: apt
# remove or apt purge, one each (with no configuration files, a remove
# leaves nothing for a purge, and after it apt knows no package to purge).
suite_kernels() {
	# shellcheck disable=SC2034 # for suite.sh
	case $1 in
	bookworm)
		BASE="linux-image-amd64 linux-headers-amd64 linux-image-rt-amd64 linux-headers-rt-amd64"
		# Debian 12's security suite carries 6.12.
		LATER="linux-image-6.12-amd64 linux-headers-6.12-amd64"
		REMOVE=purge
		;;
	trixie)
		BASE="linux-image-amd64 linux-headers-amd64 linux-image-rt-amd64 linux-headers-rt-amd64"
		LATER="linux-image-amd64/trixie-backports linux-headers-amd64/trixie-backports"
		REMOVE=remove
		;;
	*)
		fail "no kernels for suite $1"
		;;
	esac
}

# The cached fresh installation of SUITE (scripts/deb-chroot), with dkms
# (what the package pulls in) and the later kernel in apt's cache; after
# suite_kernels SUITE.
suite_root() {
	scripts/deb-chroot create "$1" --install "$BASE" --download dkms \
		--download "$LATER" | tail -n 1
}

# fail_log LOG MESSAGE: fail, with the end of LOG.
fail_log() {
	tail -n 40 "$1"
	shift
	fail "$*"
}

# make deb, and the package copied to $TMP/mnt/, where the chroot sees it
# as /mnt; one test at a time, as two can run at once outside the lane.
build_deb() {
	mkdir -p "$TMP/mnt"
	(
		flock 9
		mk deb >"$TMP/deb.log" 2>&1 && cp "$DEB" "$TMP/mnt/"
	) 9>"$BUILD/deb.lock" || {
		tail -n 40 "$TMP/deb.log"
		fail "make deb failed"
	}
}

# A line with the seconds since the test started, for the log.
step() {
	echo "[$(($(date +%s) - T0)) s] $*"
}
T0=$(date +%s)
