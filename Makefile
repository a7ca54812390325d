# SPDX-License-Identifier: GPL-2.0
#
# ntcompat: the Windows asynchronous PnP notification API for processor and
# memory hot-add, as a Linux kernel module.
#
#   make            build ntcompat.ko, the sample driver, the test client and
#                   the benchmark driver
#   make demo       boot a QEMU guest, hot-add CPUs and a DIMM, watch the
#                   sample driver's callbacks fire
#   make check      install what is missing, build, run the selftests in QEMU
#                   and the host tests (tests/host: checkpatch, sparse, W=1,
#                   kernel-doc, install, DKMS, make shell); make check-host
#                   runs only the latter
#   make check-debug  the same selftests on a debug kernel built from
#                   linux-source-6.1 (KASAN, lockdep, kmemleak, UBSAN...),
#                   with panic_on_warn; make check-debug-7 on one built from
#                   trixie-backports' newest linux-source 7.x
#   make soak       the storm (storm.sh: both notification APIs, vetoes)
#                   on that debug kernel for SOAK_SECONDS (600)
#   make fuzz       the fuzzer (selftests/ntcompat/fuzz.sh) on that debug
#                   kernel for FUZZ_SECONDS (600) instead of its 30 s
#   make check-6.12, make check-rt  the selftests on Debian 12's 6.12, and
#                   on its 6.12 with PREEMPT_RT (scripts/lane)
#   make check-trixie, check-trixie-rt, check-7  the selftests on Debian 13's
#                   6.12, its PREEMPT_RT 6.12 and trixie-backports' newest
#                   kernel, modules built in a trixie chroot (scripts/chroot)
#   make check-trixie-host  make demo and make check in a fresh Debian 13 root
#   make check-all  every lane above, after a compile against every
#                   installed lane's headers; sums them up
#   make bench      measure ntcompat against the raw kernel mechanisms in a
#                   QEMU guest: table, build/bench/results.json, bench.png
#   make install    install ntcompat.ko for KVER, and the headers, ntcompat.mk
#                   and Module.symvers ported drivers build against, in
#                   /usr/src/ntcompat-<version>/ (DESTDIR= to stage)
#   make dkms-install  the same through DKMS, which rebuilds ntcompat.ko
#                   for every kernel installed later
#   make deb        the Debian package ntcompat-dkms (debian/), in build/deb/
#   make check-deb  build it, install it in fresh Debian 12 and 13 chroots
#                   (DKMS builds, a ported driver in a guest, remove and
#                   purge), lintian (tests/deb)
#   make shell      boot a guest with ntcompat and the sample driver loaded
#                   and a shell on its console; hot-add CPUs and DIMMs from
#                   another terminal over the QMP socket it prints
#   make clean
#
# KVER picks the Debian kernel the modules are built for and the guest boots
# (default: the newest installed generic kernel of the host's Debian
# release, 6.1 on Debian 12, 6.12 on Debian 13); KDIR overrides
# the build tree and VMLINUZ the guest kernel.

KVER ?= $(shell scripts/kernel-release)
KDIR ?= /lib/modules/$(KVER)/build
VMLINUZ ?= /boot/vmlinuz-$(KVER)
BUILD ?= $(CURDIR)/build
VM := scripts/ntc-vm --kernel $(VMLINUZ) --build-dir $(BUILD)/vm
GUEST_MODULES := module/ntcompat.ko samples/ntc_sample.ko \
		 selftests/ntcompat/ntc_test_client.ko selftests/ntcompat/ntc_storm.ko \
		 selftests/ntcompat/ntc_peer.ko selftests/ntcompat/ntc_prims_test.ko \
		 selftests/ntcompat/ntc_ke_test.ko selftests/ntcompat/ntc_pcc_test.ko \
		 selftests/ntcompat/ntc_fuzz.ko
# The host's release's kernel source: checkpatch.pl and kernel-doc for the
# host tests, the kernel's hotplug selftests for peer_hotplug.sh.
KSOURCE := $(shell scripts/kernel-release --source)
# What the host tests use: sparse, DKMS, and that source.
HOST_TEST_DEPS := sparse dkms $(KSOURCE)
# Debian's own, for the tests that inject failures.
# Debian 13's 6.12 ships them xz-compressed; the guest gets them plain.
GUEST_DEBIAN_MODULES := $(wildcard $(addprefix /lib/modules/$(KVER)/kernel/lib/, \
			$(addsuffix .ko*,notifier-error-inject memory-notifier-error-inject)))

.PHONY: all modules deps demo demo-run check check-run check-debug \
	check-debug-run fuzz bench bench-run clean check-6.12 check-rt check-all check-trixie \
	check-trixie-rt check-7 check-debug-7 check-trixie-host soak \
	shell shell-run check-host

all: modules

# Every core, unless the caller chose with -j: kbuild alone builds one
# object at a time, and the modules are some fifty objects.
MODULES_JOBS = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc))
modules:
	$(MAKE) $(MODULES_JOBS) -C $(KDIR) M=$(CURDIR) W=1 modules

deps:
	scripts/install-deps

# The kernel's own hotplug selftests, which peer_hotplug.sh runs next to
# ntcompat, from Debian's linux-source, with the bash they are written for.
PEER_SRC := /usr/src/$(KSOURCE).tar.xz
PEER_SCRIPTS := cpu-hotplug/cpu-on-off-test.sh memory-hotplug/mem-on-off-test.sh
$(BUILD)/peer/.done: $(PEER_SRC)
	rm -rf $(@D) && mkdir -p $(@D)
	tar -xJf $(PEER_SRC) -C $(@D) --strip-components=5 \
		$(addprefix $(KSOURCE)/tools/testing/selftests/,$(PEER_SCRIPTS))
	cp /bin/bash $$(ldd /bin/bash | grep -o '/[^ ]*') $(@D)/
	touch $@

.PHONY: $(BUILD)/guest/modules
$(BUILD)/guest/modules: modules $(BUILD)/peer/.done
	rm -rf $@ && mkdir -p $@ && cp $(GUEST_MODULES) $@/
	for m in $(GUEST_DEBIAN_MODULES); do \
		case $$m in \
		*.xz) xz -dc $$m >$@/$$(basename $$m .xz) ;; \
		*) cp $$m $@/ ;; \
		esac; \
	done
	cp -r $(BUILD)/peer $@/peer

# After deps, a fresh make: KVER may only now be known.
demo: deps
	@$(MAKE) --no-print-directory demo-run

demo-run: $(BUILD)/guest/modules
	$(VM) --add $(BUILD)/guest/modules:/work/modules \
		--echo-console 'ntc_sample: ' \
		--console-log $(BUILD)/demo-console.log \
		--run samples/demo.sh

check: deps
	@scripts/install-deps $(HOST_TEST_DEPS)
	@$(MAKE) --no-print-directory check-run

# One guest per test, and beside them the host tests (tests/host: the style
# gates, install, DKMS, make shell); TESTS=a.sh,b.sh runs only those.
check-run: $(BUILD)/guest/modules
	scripts/run-selftests --logs $(BUILD)/selftests $(if $(TESTS),--only $(TESTS)) \
		--host tests/host \
		selftests/ntcompat -- $(VM) --add $(BUILD)/guest/modules:/work/modules

# Lanes: the same tests on Debian's other kernels, modules built in
# build/lanes/<lane>/ (scripts/kernel-release names the kernels), for
# Debian 13's and trixie-backports' in a trixie chroot.
check-6.12 check-rt check-trixie check-trixie-rt check-7:
	scripts/lane $(if $(TESTS),--only $(TESTS)) $(patsubst check-%,%,$@)

# Every lane; scripts/check-lanes names them in its summary lines.
ALL_LANES := 6.1 6.12 rt trixie trixie-rt 7 debug debug-7 trixie-host deb
check-all:
	scripts/check-lanes $(if $(TESTS),--only $(TESTS)) $(ALL_LANES)

# make demo and make check as on a fresh Debian 13 host, in a debootstrap'd
# trixie root with a clone of this tree.
check-trixie-host:
	scripts/trixie-host

# The host tests alone.
check-host: deps
	@scripts/install-deps $(HOST_TEST_DEPS)
	scripts/run-selftests --logs $(BUILD)/selftests $(if $(TESTS),--only $(TESTS)) \
		--host tests/host

# The debug kernel is built once per source version and config fragment,
# and cached machine-wide in /var/cache/ntcompat/debug-kernel/
# (scripts/debug-kernel). check-debug's comes from linux-source-6.1;
# check-debug-7's from trixie-backports' newest 7.x source, built, as the
# modules against it, in the trixie chroot (DEBUG_ROOT).
check-debug: deps
	@tree=$$(scripts/debug-kernel 6.1 | tail -n 1) && \
		$(MAKE) --no-print-directory check-debug-run DEBUG_KDIR=$$tree

# The storm on the debug kernel for SOAK_SECONDS instead of its fixed
# cycle counts: told through the kernel command line, which storm.sh reads.
SOAK_SECONDS ?= 600
soak: deps
	@tree=$$(scripts/debug-kernel 6.1 | tail -n 1) && \
		$(MAKE) --no-print-directory check-debug-run DEBUG_KDIR=$$tree \
			DEBUG_LANE=soak TESTS=storm.sh DEBUG_APPEND=ntc.soak_seconds=$(SOAK_SECONDS) \
			DEBUG_TIMEOUT=$$(($(SOAK_SECONDS) + 1200))

check-debug-7: deps
	@out=$$(scripts/debug-kernel 7 | tail -n 2) && \
		$(MAKE) --no-print-directory check-debug-run DEBUG_LANE=debug-7 \
			DEBUG_ROOT=$$(echo "$$out" | head -n 1) \
			DEBUG_KDIR=$$(echo "$$out" | tail -n 1)

# The fuzzer alone, for FUZZ_SECONDS: fuzz.sh reads ntc.fuzz_seconds from
# the guest's kernel command line; the guest may take that much longer.
FUZZ_SECONDS ?= 600
fuzz: deps
	@tree=$$(scripts/debug-kernel 6.1 | tail -n 1) && \
		$(MAKE) --no-print-directory check-debug-run DEBUG_KDIR=$$tree \
			DEBUG_LANE=fuzz TESTS=fuzz.sh \
			DEBUG_APPEND=ntc.fuzz_seconds=$(FUZZ_SECONDS) \
			DEBUG_TIMEOUT=$$((1200 + $(FUZZ_SECONDS)))

# The modules are built in a copy of the tree: M= builds write next to
# the sources, and the default build must keep its own objects.
DEBUG_LANE ?= debug
DEBUG_APPEND ?=
DEBUG_TIMEOUT ?= 1200
# RCU's stall warning after 100 s instead of 21: on two cores shared by
# several TCG guests a debug kernel's vCPU was seen to lose 26 s at boot
# (in its own initcalls, before /init), which is the host's doing, not a
# stall of the guest's; a real one still goes on past 100 s and is caught.
DEBUG_STALL := rcupdate.rcu_cpu_stall_timeout=100
DEBUG_MODULES = $(BUILD)/$(DEBUG_LANE)-modules
DEBUG_MAKE = $(if $(DEBUG_ROOT),scripts/chroot run --bind $(BUILD) \
	--bind $(DEBUG_KDIR) $(DEBUG_ROOT) make,$(MAKE))
check-debug-run: $(BUILD)/peer/.done
	rm -rf $(DEBUG_MODULES) && mkdir -p $(DEBUG_MODULES)/guest
	cp -r Kbuild ntcompat.mk dkms.conf include module samples selftests bench \
		$(DEBUG_MODULES)/
	$(DEBUG_MAKE) -C $(DEBUG_KDIR) M=$(DEBUG_MODULES) W=1 modules
	cp $(addprefix $(DEBUG_MODULES)/,$(GUEST_MODULES)) \
		$(DEBUG_MODULES)/module/kunit/ntc_kunit.ko \
		$(DEBUG_MODULES)/module/kunit/ntc_kunit_prims.ko $(DEBUG_MODULES)/guest/
	cp -r $(BUILD)/peer $(DEBUG_MODULES)/guest/peer
	scripts/progress "$(DEBUG_LANE)" --pass -- \
		scripts/run-selftests --logs $(BUILD)/selftests-$(DEBUG_LANE) \
		$(if $(TESTS),--only $(TESTS)) selftests/ntcompat -- \
		scripts/ntc-vm --kernel $(DEBUG_KDIR)/arch/x86/boot/bzImage \
		--build-dir $(BUILD)/vm --no-pvh --timeout $(DEBUG_TIMEOUT) \
		--append "panic_on_warn=1 slub_debug=A,ntc_event $(DEBUG_STALL) $(DEBUG_APPEND)" \
		--add $(DEBUG_MODULES)/guest:/work/modules

# Two CPUs, so that one can be cycled while the other runs the tests; room
# for 16 GiB of DIMMs, whose memory map the guest's 1 GiB holds.
bench: deps
	@command -v gnuplot >/dev/null || scripts/install-deps gnuplot-nox
	@$(MAKE) --no-print-directory bench-run

bench-run: $(BUILD)/guest/modules
	mkdir -p $(BUILD)/bench
	gcc -static -O2 -Wall -Wextra -o $(BUILD)/bench/ntc-cycle bench/ntc-cycle.c
	cp bench/ntc_bench.ko $(BUILD)/guest/modules/
	$(VM) --smp 2 --mem 1G --maxmem 20G --timeout 1500 \
		--add $(BUILD)/guest/modules:/work/modules \
		--add $(BUILD)/bench/ntc-cycle:/work/ntc-cycle \
		--console-log $(BUILD)/bench/console.log --run bench/run.sh | \
		bench/report $(BUILD)/bench

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -rf $(BUILD)

# ---- make install, make dkms-install ---------------------------------------
# One layout for both, the one DKMS uses: the source in
# /usr/src/ntcompat-<version>/ (with include/ntcompat/ and ntcompat.mk, what
# a ported driver's Kbuild includes), Module.symvers per kernel in its
# symvers/<release>/, and /usr/src/ntcompat pointing to the last installed.
# DESTDIR= stages everything (DKMS included) under another root.

.PHONY: install install-src uninstall dkms-install dkms-uninstall

NTC_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
# The release KDIR builds for, as in vermagic and /lib/modules.
KREL = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	 $(KDIR)/include/generated/utsrelease.h)
PREFIX ?= /usr/local
NTC_SRC = $(DESTDIR)/usr/src/ntcompat-$(NTC_VERSION)
NTC_SRC_FILES := dkms.conf ntcompat.mk README.md docs/porting.md \
	module/Kbuild $(filter-out %.mod.c,$(wildcard module/*.c module/*/*.c)) \
	$(wildcard module/*.h include/ntcompat/*.h include/ntcompat/*/*.h) \
	module/compat/probe module/compat/probes/*.c \
	$(filter-out %/ntc_probed.h,$(wildcard module/compat/*.h)) \
	scripts/dkms-symvers scripts/ntc-unload
DEPMOD = depmod -a $(if $(DESTDIR),-b $(DESTDIR)) \
	 $(if $(wildcard /boot/System.map-$(KREL)),-F /boot/System.map-$(KREL)) \
	 $(KREL)

install-src:
	mkdir -p $(NTC_SRC)
	cp --parents $(NTC_SRC_FILES) $(NTC_SRC)/
	ln -sfn ntcompat-$(NTC_VERSION) $(DESTDIR)/usr/src/ntcompat

# Only ntcompat.ko: the sample, test and benchmark modules stay here.
# Debian's headers carry no signing key (Debian signs its own modules
# elsewhere): do not try; for Secure Boot use DKMS, which signs with its MOK.
# In extra/ on every kernel (6.12 made updates/ the default), compressed
# as the kernel's own modules are (xz on Debian 13's kernels).
install: modules install-src
	$(MAKE) -C $(KDIR) M=$(CURDIR)/module INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=extra CONFIG_MODULE_SIG_ALL= modules_install
	$(DEPMOD)
	mkdir -p $(NTC_SRC)/symvers/$(KREL)
	awk -F '\t' '$$3 ~ /(^|\/)ntcompat$$/' Module.symvers \
		>$(NTC_SRC)/symvers/$(KREL)/Module.symvers
	install -D -m 755 scripts/ntc-unload $(DESTDIR)$(PREFIX)/sbin/ntc-unload

uninstall:
	rm -f $(wildcard $(DESTDIR)/lib/modules/$(KREL)/extra/ntcompat.ko*)
	$(DEPMOD)
	rm -rf $(NTC_SRC)/symvers/$(KREL)

# Under DESTDIR, DKMS keeps its tree there too and leaves depmod to us.
DKMS = dkms $(if $(DESTDIR),--dkmstree $(DESTDIR)/var/lib/dkms \
	--sourcetree $(DESTDIR)/usr/src --installtree $(DESTDIR)/lib/modules \
	--no-depmod)

# A source copy replaces an earlier one of the same version: DKMS forgets
# the old build first, then builds and installs from the new copy.
dkms-install:
	@command -v dkms >/dev/null || scripts/install-deps dkms
	$(if $(DESTDIR),mkdir -p $(DESTDIR)/var/lib/dkms $(DESTDIR)/lib/modules/$(KREL))
	if [ -n "$$($(DKMS) status ntcompat/$(NTC_VERSION))" ]; then \
		$(DKMS) remove ntcompat/$(NTC_VERSION) --all; fi
	@$(MAKE) --no-print-directory install-src
	$(DKMS) add ntcompat/$(NTC_VERSION)
	$(DKMS) build ntcompat/$(NTC_VERSION) -k $(KREL) --kernelsourcedir $(KDIR)
	$(DKMS) install ntcompat/$(NTC_VERSION) -k $(KREL) --kernelsourcedir $(KDIR)
	$(if $(DESTDIR),$(DEPMOD))

dkms-uninstall:
	if [ -n "$$($(DKMS) status ntcompat/$(NTC_VERSION))" ]; then \
		$(DKMS) remove ntcompat/$(NTC_VERSION) --all; fi
	rm -rf $(NTC_SRC)
	[ "$$(readlink $(DESTDIR)/usr/src/ntcompat)" != ntcompat-$(NTC_VERSION) ] || \
		rm -f $(DESTDIR)/usr/src/ntcompat
	$(if $(DESTDIR),$(DEPMOD))

# ---- make deb, make check-deb ----------------------------------------------
# The Debian package ntcompat-dkms (debian/), built by dpkg-buildpackage in a
# copy of the tree in $(BUILD)/deb/, where the .deb, the native source
# package and the .changes land; debian/rules takes the package's files from
# install-src above. check-deb builds it and installs it in fresh Debian 12
# and 13 chroots (tests/deb), with lintian: slow, a lane of its own.

.PHONY: deb check-deb

DEB_DIR = $(BUILD)/deb
DEB_SRC = $(DEB_DIR)/ntcompat-$(NTC_VERSION)

# The tree as git sees it (tracked and new files, not the ignored ones),
# or, outside git, everything but build/.
deb:
	@scripts/install-deps debhelper dh-dkms dpkg-dev
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	if git rev-parse --git-dir >/dev/null 2>&1; then \
		git ls-files -z --cached --others --exclude-standard; \
	else \
		find . -path ./build -prune -o -type f -printf '%P\0'; \
	fi | xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
		tar --null -cf - -T - | tar -xf - -C $(DEB_SRC)
	cd $(DEB_SRC) && dpkg-buildpackage --no-sign
	@echo "deb: $(DEB_DIR)/ntcompat-dkms_$(NTC_VERSION)_all.deb"

check-deb: deps
	@scripts/install-deps debhelper dh-dkms dpkg-dev lintian debootstrap
	@tests/deb/prepare
	scripts/run-selftests --logs $(BUILD)/deb-tests $(if $(TESTS),--only $(TESTS)) \
		--host tests/deb

# For scripts (tests/host/lib.sh): the value of a variable, e.g. make -s print-KREL
print-%:
	@echo '$($*)'

# ---- make shell ------------------------------------------------------------
# An interactive guest: ntcompat and the sample driver loaded (SAMPLE=0: only
# ntcompat), a shell on the console, QMP on $(GUEST_SHELL_DIR)/qmp.sock.
# EXTRA_MODULES=path/to/mydriver.ko ... puts your own modules beside them in
# the guest's /work/modules. They are copied to a directory of make shell's
# own: make check's guests read $(BUILD)/guest/modules while its test of
# make shell runs. MAXCPUS=N: QEMU can hot-add N - 1 CPUs in the guest's
# life (it never frees an unplugged vCPU's slot).
GUEST_SHELL_DIR ?= $(BUILD)/shell
SAMPLE ?= 1
EXTRA_MODULES ?=
MAXCPUS ?= 32

shell: deps
	@$(MAKE) --no-print-directory shell-run

shell-run: modules
	rm -rf $(GUEST_SHELL_DIR)/modules && mkdir -p $(GUEST_SHELL_DIR)/modules
	cp $(GUEST_MODULES) $(EXTRA_MODULES) $(GUEST_SHELL_DIR)/modules/
	@$(VM) --shell --timeout 0 --maxcpus $(MAXCPUS) \
		--qmp-socket $(GUEST_SHELL_DIR)/qmp.sock \
		--add $(GUEST_SHELL_DIR)/modules:/work/modules \
		$(if $(filter 0,$(SAMPLE)),--append ntc.sample=0) \
		--console-log $(GUEST_SHELL_DIR)/console.log \
		--run scripts/guest/shell.sh
