#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The package on a fresh Debian 13 (its 6.12 and 6.12 RT kernels, then the
# newest from trixie-backports), suite.sh's guests phase: for each kernel,
# the sample driver built against the installed package runs in a guest.
. tests/deb/suite.sh
phase_guests trixie
