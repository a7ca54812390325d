# SPDX-License-Identifier: GPL-2.0
#
# ntcompat.mk - what a ported driver's Kbuild needs to build against ntcompat.
#
#	obj-m := mydriver.o
#	include /usr/src/ntcompat/ntcompat.mk
#
# The path is that of an installed copy (make install or make dkms-install
# put it in /usr/src/ntcompat-<version>/, and /usr/src/ntcompat points to
# the last one installed), or of an ntcompat source tree after `make`.
#
# It adds ntcompat's Windows-named headers to the include path, so that the
# driver's #include <wdm.h> works unchanged, and ntcompat's Module.symvers
# for the kernel being built for to KBUILD_EXTRA_SYMBOLS, so that modpost
# resolves the driver's calls (IoRegisterPlugPlayNotification, ...) to
# ntcompat's exports with their versions instead of warning that they are
# undefined. modpost reads KBUILD_EXTRA_SYMBOLS from the top-level Kbuild of
# the driver's tree only: include this file there.

ntcompat_dir := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

ccflags-y += -I$(ntcompat_dir)/include/ntcompat
# ntcompat tells which driver made a call by its return address, so that a
# driver can only unregister what it registered itself. A sibling call (a
# call in tail position compiled as a jump) would hide the driver behind
# whoever called it: keep every call a call.
ccflags-y += -fno-optimize-sibling-calls

# Windows source as it is written, with no warning (the headers answer the
# rest: SAL, __declspec, FORCEINLINE, C_ASSERT, role types):
# - #pragma alloc_text(PAGE, ...), (INIT, ...), code_seg, warning: MSVC's
#   pragmas mean nothing to GCC, and all code is resident on Linux;
# - multi-character pool tags ('Xmpl'), whose value GCC computes as MSVC
#   does;
# - DriverEntry, DriverUnload and callbacks defined without a prototype, as
#   MSVC allows and Linux 6.8 and later warn about (W=1 before);
# - declarations after statements (C99, which MSVC compiles);
# - L"..." as UTF-16, the WCHAR of UNICODE_STRING, not GCC's 32-bit wchar_t.
ccflags-y += -Wno-unknown-pragmas -Wno-multichar -Wno-missing-prototypes \
	     -Wno-missing-declarations -Wno-declaration-after-statement \
	     -fshort-wchar
# And sparse's own word for a missing prototype (make C=1).
CHECKFLAGS += -Wno-decl

# The release the modules are built for, as the kernel will check it
# (vermagic). Not $(KERNELRELEASE): Debian's header packages report the
# upstream version there, 6.1.x rather than 6.1.0-N-amd64.
ntcompat_krel := $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
		   $(objtree)/include/generated/utsrelease.h 2>/dev/null)

# ntcompat's own tree builds its samples and tests in the same modpost run
# as ntcompat.ko: they need no extra symbols.
ifneq ($(realpath $(KBUILD_EXTMOD)),$(ntcompat_dir))
# An installed copy keeps one Module.symvers per kernel; a source tree has
# the one of its last build.
ntcompat_symvers := $(firstword $(wildcard \
	$(ntcompat_dir)/symvers/$(ntcompat_krel)/Module.symvers \
	$(ntcompat_dir)/Module.symvers))
KBUILD_EXTRA_SYMBOLS += $(ntcompat_symvers)
# Complain where it matters, in modpost (not in the compile or clean passes).
ifeq ($(ntcompat_symvers)$(filter-out __modpost,$(PHONY)),)
$(error ntcompat.mk: no ntcompat Module.symvers for kernel $(ntcompat_krel) \
	in $(ntcompat_dir): build ntcompat there for that kernel, or install \
	it with make install or make dkms-install)
endif
endif
