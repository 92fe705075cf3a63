# SPDX-License-Identifier: GPL-2.0
# ppvnet top level. Everything runs as root on Debian 12 and installs what it
# needs (qemu-setup/deps.sh). Knobs: KERNEL=default|6.12|7.3|debug (7.3: newest
# 7.3 of trixie-backports, module built in a trixie chroot; more in
# qemu-setup/common.sh), DRIVER=ppvnet|virtio_net,
# PPV_CACHE=<folder for fetched kernels and images> (default ~/.cache/ppvnet).
KERNEL ?= default
DRIVER ?= ppvnet
export KERNEL DRIVER

.PHONY: all module demo check check-vm shell clean

all: module

# ppvnet.ko for the guest kernel KERNEL names (build/<release>/ppvnet.ko)
module:
	qemu-setup/deps.sh
	qemu-setup/build-module.sh

# The main job: boot a guest with $(DRIVER), link up, ping, iperf3 both ways,
# ethtool -i and -S.
demo:
	qemu-setup/boot.sh --mode demo --timeout 300

# Every test: unit, fuzzing, static checks, the harness, the in-guest suites
# on 6.1 and 6.12, and the suites on the debug kernel, which builds in the
# background when not cached (TAP, last line "N passed, N failed").
# PPV_DEBUG=0 leaves the debug kernel out.
check:
	tests/run-all.sh

# One in-guest suite: make check-vm TESTS="load link ping" DRIVER=... KERNEL=...
TESTS ?= load link ping counters iperf_tcp unload
check-vm:
	qemu-setup/boot.sh --mode test --tests "$(TESTS)"

.PHONY: unit fuzz stress

# Userspace unit tests of the ring code (ASan/UBSan, TAP)
unit:
	$(MAKE) -C tests/unit

# libFuzzer on the ring and RX header code, FUZZ_SECONDS per target (TAP)
FUZZ_SECONDS ?= 600
fuzz:
	$(MAKE) -C tests/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

# Stress on the normal kernel: 100 load/unload cycles, 1000 link flaps and
# 200 down/up during iperf3, rmmod under load, a low-memory guest (TAP).
# KERNEL=debug: 20 cycles, 200 flaps, 50 down/up.
stress:
	PPV_STRESS=1 tests/run-all.sh 'stress-*'

# On your own Debian VM (not the test host): register ppvnet with DKMS,
# which builds it for every installed kernel with headers and each new
# one; then tools/ppvnet-bind moves a NIC to it. dkms-uninstall undoes it.
DKMS_VER := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' net-driver/dkms.conf)
.PHONY: dkms-install dkms-uninstall
dkms-install:
	command -v dkms >/dev/null || apt-get install -y dkms
	rm -rf /usr/src/ppvnet-$(DKMS_VER)
	mkdir -p /usr/src/ppvnet-$(DKMS_VER)
	cp net-driver/*.[ch] net-driver/Kbuild net-driver/Makefile net-driver/dkms.conf \
		/usr/src/ppvnet-$(DKMS_VER)/
	dkms add ppvnet/$(DKMS_VER) || true
	for k in /lib/modules/*/build; do \
		r=$$(basename $$(dirname $$k)); \
		dkms install ppvnet/$(DKMS_VER) -k $$r || exit 1; \
	done
	install -m 755 tools/ppvnet-bind /usr/local/sbin/ppvnet-bind

dkms-uninstall:
	dkms remove ppvnet/$(DKMS_VER) --all || true
	rm -rf /usr/src/ppvnet-$(DKMS_VER) /usr/local/sbin/ppvnet-bind

# An interactive guest shell on the console
shell:
	qemu-setup/boot.sh --mode shell --echo --timeout 3600

clean:
	rm -rf build
	$(MAKE) -C net-driver clean KDIR=$(firstword $(wildcard /lib/modules/*/build)) 2>/dev/null || true

.PHONY: check-debug kselftest kselftest-fault

# The kernel's own drivers/net selftests (linux-source-6.12) on a 6.12
# guest with 2 queue pairs: virtio_net, then ppvnet, case by case (make
# check runs it too; counts in build/logs/kselftest-summary.txt)
kselftest:
	qemu-setup/deps.sh
	tests/kselftest/run.sh

# hw/pp_alloc_fail.py, which needs fail_function: on a 6.12 kernel built
# from Debian's linux-source-6.12 with qemu-setup/fault.config (KERNEL=fault,
# cached in $(PPV_CACHE)/kernels; the build does not fit make check's time
# budget next to the debug kernel's). ppvnet must pass it; virtio_net runs
# it for the record. ynl then also reads page-pool-stats-get.
kselftest-fault:
	qemu-setup/deps.sh
	qemu-setup/build-debug-kernel.sh --deps-only
	PPV_KSFT_KERNEL=fault PPV_KSFT_FILE=hw/pp_alloc_fail.py \
		PPV_KSFT_REQUIRE=hw/pp_alloc_fail.py:test_pp_alloc tests/kselftest/run.sh

# Only the debug-kernel part of make check: the in-guest suites (virtio_net,
# then ppvnet, then ppvnet's fault injection) on the debug guest kernel:
# KASAN, UBSAN, lockdep, kmemleak, DMA-API debug, fault injection. Builds
# that kernel into $(PPV_CACHE)/kernels first if missing (about 25 min on 2
# cores). TAP, last line "N passed, N failed".
check-debug:
	qemu-setup/check-debug.sh
