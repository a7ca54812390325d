#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make shell, inside the guest before the interactive shell starts: load
# ntcompat and, unless ntc.sample=0 is on the kernel command line, the
# sample driver, whose callbacks then log every hot-add on the console.
M=/work/modules
insmod $M/ntcompat.ko || exit 1
echo "ntcompat.ko is loaded"
if ! grep -qw ntc.sample=0 /proc/cmdline; then
	insmod $M/ntc_sample.ko || exit 1
	echo "ntc_sample.ko is loaded: its callbacks log each hot-add as 'ntc_sample: ...'"
fi
echo "modules in $M:" $(cd $M && ls)
