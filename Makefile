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
#   make check-debug  the same selftests on a debug kernel built from
#                   linux-source-6.1 (KASAN, lockdep, kmemleak, UBSAN...),
#                   with panic_on_warn
#   make check-6.12, make check-rt  the selftests on Debian's 6.12, and on
#                   its 6.12 with PREEMPT_RT (scripts/lane)
#   make check-all  check, check-6.12 and check-rt, after a compile against
#                   every installed lane's headers; sums them up
#   make bench      measure ntcompat against the raw kernel mechanisms in a
#                   QEMU guest: table, build/bench/results.json, bench.png
#   make clean
#
# KVER picks the Debian kernel the modules are built for and the guest boots
# (default: the newest installed generic 6.1 Debian kernel); KDIR overrides
# the build tree and VMLINUZ the guest kernel.

KVER ?= $(shell scripts/kernel-release)
KDIR ?= /lib/modules/$(KVER)/build
VMLINUZ ?= /boot/vmlinuz-$(KVER)
BUILD ?= $(CURDIR)/build
VM := scripts/ntc-vm --kernel $(VMLINUZ) --build-dir $(BUILD)/vm
GUEST_MODULES := module/ntcompat.ko samples/ntc_sample.ko \
		 selftests/ntcompat/ntc_test_client.ko selftests/ntcompat/ntc_storm.ko
# Debian's own, for the tests that inject failures.
GUEST_DEBIAN_MODULES := $(wildcard $(addprefix /lib/modules/$(KVER)/kernel/lib/, \
			notifier-error-inject.ko memory-notifier-error-inject.ko))

.PHONY: all modules deps demo demo-run check check-run check-debug \
	check-debug-run bench bench-run clean check-6.12 check-rt check-all

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

deps:
	scripts/install-deps

# The kernel's own hotplug selftests, which peer_hotplug.sh runs next to
# ntcompat, from Debian's linux-source, with the bash they are written for.
PEER_SRC := /usr/src/linux-source-6.1.tar.xz
PEER_SCRIPTS := cpu-hotplug/cpu-on-off-test.sh memory-hotplug/mem-on-off-test.sh
$(BUILD)/peer/.done: $(PEER_SRC)
	rm -rf $(@D) && mkdir -p $(@D)
	tar -xJf $(PEER_SRC) -C $(@D) --strip-components=5 \
		$(addprefix linux-source-6.1/tools/testing/selftests/,$(PEER_SCRIPTS))
	cp /bin/bash $$(ldd /bin/bash | grep -o '/[^ ]*') $(@D)/
	touch $@

.PHONY: $(BUILD)/guest/modules
$(BUILD)/guest/modules: modules $(BUILD)/peer/.done
	rm -rf $@ && mkdir -p $@ && cp $(GUEST_MODULES) $(GUEST_DEBIAN_MODULES) $@/
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
	@$(MAKE) --no-print-directory check-run

# One guest per test; TESTS=a.sh,b.sh runs only those.
check-run: $(BUILD)/guest/modules
	scripts/run-selftests --logs $(BUILD)/selftests $(if $(TESTS),--only $(TESTS)) \
		selftests/ntcompat -- $(VM) --add $(BUILD)/guest/modules:/work/modules

# Lanes: the same tests on Debian 12's other kernels, modules built in
# build/lanes/<lane>/ (scripts/kernel-release names the kernels).
check-6.12 check-rt:
	scripts/lane $(if $(TESTS),--only $(TESTS)) $(patsubst check-%,%,$@)

check-all:
	scripts/check-lanes $(if $(TESTS),--only $(TESTS)) 6.1 6.12 rt

# The debug kernel is built once per source version and config fragment,
# and cached under build/debug-kernel/.
check-debug: deps
	@tree=$$(scripts/debug-kernel $(BUILD)/debug-kernel | tail -n 1) && \
		$(MAKE) --no-print-directory check-debug-run DEBUG_KDIR=$$tree

# The modules are built in a copy of the tree: M= builds write next to
# the sources, and the default build must keep its own objects.
DEBUG_MODULES := $(BUILD)/debug-modules
check-debug-run: $(BUILD)/peer/.done
	rm -rf $(DEBUG_MODULES) && mkdir -p $(DEBUG_MODULES)/guest
	cp -r Kbuild include module samples selftests bench $(DEBUG_MODULES)/
	$(MAKE) -C $(DEBUG_KDIR) M=$(DEBUG_MODULES) W=1 modules
	cp $(addprefix $(DEBUG_MODULES)/,$(GUEST_MODULES)) \
		$(DEBUG_MODULES)/module/ntc_kunit.ko $(DEBUG_MODULES)/guest/
	cp -r $(BUILD)/peer $(DEBUG_MODULES)/guest/peer
	scripts/run-selftests --logs $(BUILD)/selftests-debug \
		$(if $(TESTS),--only $(TESTS)) selftests/ntcompat -- \
		scripts/ntc-vm --kernel $(DEBUG_KDIR)/arch/x86/boot/bzImage \
		--build-dir $(BUILD)/vm --no-pvh --timeout 1200 --append "panic_on_warn=1 slub_debug=A,ntc_event" \
		--add $(DEBUG_MODULES)/guest:/work/modules

# Two CPUs, so that one can be cycled while the other runs the tests.
bench: deps
	@command -v gnuplot >/dev/null || scripts/install-deps gnuplot-nox
	@$(MAKE) --no-print-directory bench-run

bench-run: $(BUILD)/guest/modules
	mkdir -p $(BUILD)/bench
	gcc -static -O2 -Wall -Wextra -o $(BUILD)/bench/ntc-cycle bench/ntc-cycle.c
	cp bench/ntc_bench.ko $(BUILD)/guest/modules/
	$(VM) --smp 2 --timeout 1500 --add $(BUILD)/guest/modules:/work/modules \
		--add $(BUILD)/bench/ntc-cycle:/work/ntc-cycle \
		--console-log $(BUILD)/bench/console.log --run bench/run.sh | \
		bench/report $(BUILD)/bench

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -rf $(BUILD)
