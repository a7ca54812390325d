#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The package on a fresh Debian 12 (its 6.1 and 6.1 RT kernels, then 6.12
# from its security suite), suite.sh's guests phase: for each kernel, the
# sample driver built against the installed package runs in a guest.
. tests/deb/suite.sh
phase_guests bookworm
