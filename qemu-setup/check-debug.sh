#!/usr/bin/env bash
# The in-guest suites on the debug kernel (KERNEL=debug: KASAN, UBSAN,
# lockdep, kmemleak, DMA-API debug, fault injection), building it first when
# the cache lacks it (30-40 min on 2 cores). TAP with one global count, last
# line "N passed, N failed"; exits 1 on any failure.
#   qemu-setup/check-debug.sh            (make check-debug)
# Any kernel report during a test (KASAN, UBSAN, lockdep, DMA-API, kmemleak,
# WARNING, BUG) fails that test: the guest's lib.sh greps dmesg after each
# one and prints the report as "# dmesg:" lines; the full console is kept
# in build/logs/console-<driver>-<release>-<pid>.log.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
export KERNEL=debug

. "$top/tests/tap-phases.sh"

finish() {
	tap_summary
	exit
}

# build-debug-kernel.sh prints the folder on stdout: turn it into one TAP line
build() {
	local d
	d=$("$top/qemu-setup/deps.sh" >&2 && "$top/qemu-setup/build-debug-kernel.sh") ||
		{ echo "not ok 1 - debug kernel built"; return 1; }
	echo "ok 1 - debug kernel built: $d"
}

phase debug-kernel build
[ "$FAIL" = 0 ] || finish

# vm DRIVER [vm.py options]
vm() {
	local d=$1
	shift
	DRIVER=$d "$top/qemu-setup/boot.sh" --mode test "$@"
}
BASIC="load link ping counters iperf_tcp unload"
PPV="load link ping counters iperf_tcp udp stats mtu flap cycles unload"
# error paths: every probe/open failure site, then failures under load
FAULTS="load link faults faults_load unload"
phase vm-virtio_net-debug vm virtio_net --tests "$BASIC"
phase vm-ppvnet-debug vm ppvnet --tests "$PPV"
phase vm-ppvnet-debug-faults vm ppvnet --tests "$FAULTS"
finish
