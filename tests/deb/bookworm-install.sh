#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The package on a fresh Debian 12 (its 6.1 and 6.1 RT kernels, then 6.12
# from its security suite), suite.sh's install phase: apt install of the
# package, DKMS builds ntcompat for each installed kernel.
. tests/deb/suite.sh
phase_install bookworm
