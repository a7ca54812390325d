#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The package on a fresh Debian 12 (its 6.1 and 6.1 RT kernels, then 6.12
# from its security suite), suite.sh's later phase: DKMS builds ntcompat for
# a kernel installed after the package.
. tests/deb/suite.sh
phase_later bookworm
