#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The package on a fresh Debian 13 (its 6.12 and 6.12 RT kernels, then the
# newest from trixie-backports), suite.sh's install phase: apt install of
# the package, DKMS builds ntcompat for each installed kernel.
. tests/deb/suite.sh
phase_install trixie
