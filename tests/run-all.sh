#!/usr/bin/env bash
# Run every test of the project and print TAP with one global count:
# userspace unit tests, then the in-guest suites for each driver, kernel and
# device configuration. Ends with "N passed, N failed"; exits 1 on any failure.
#   tests/run-all.sh [phase-name-pattern]    e.g. 'vm-ppvnet*'
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
PHASE_ONLY=${1:-*}

. "$top/tests/tap-phases.sh"

# vm DRIVER KERNEL [vm.py options]
vm() {
	local d=$1 k=$2
	shift 2
	DRIVER=$d KERNEL=$k "$top/qemu-setup/boot.sh" --mode test "$@"
}

# The suite every driver passes unchanged (virtio_net proves the harness).
BASIC="load link ping counters iperf_tcp unload"
# What ppvnet passes on top: UDP counts, ethtool vs ip, link flaps from the
# monitor, 20 load/traffic/unload cycles.
PPV="load link ping counters iperf_tcp udp stats mtu flap cycles unload"

"$top/qemu-setup/deps.sh" || { echo "not ok 1 - installing host packages"; echo "0 passed, 1 failed"; exit 1; }

[ -f tests/unit/Makefile ] && phase unit make -s -C tests/unit check
phase fuzz make -s -C tests/fuzz run FUZZ_SECONDS=${PPV_FUZZ_SECONDS:-30}
phase static tests/static/run.sh
phase harness tests/harness/run.sh
phase vm-virtio_net-6.1 vm virtio_net default --tests "$BASIC"
phase vm-ppvnet-6.1 vm ppvnet default --tests "$PPV"
phase vm-ppvnet-6.1-intx vm ppvnet default --vectors 0 --tests "load link ping iperf_tcp intx unload"
phase vm-virtio_net-6.12 vm virtio_net 6.12 --tests "$BASIC"
phase vm-ppvnet-6.12 vm ppvnet 6.12 --tests "$PPV"

# Stress (make stress, PPV_STRESS=1): the counts of the hardening issue.
if [ "${PPV_STRESS:-0}" = 1 ]; then
	phase stress-cycles vm ppvnet default --timeout 900 \
		--append "ppv.env.PPV_CYCLES=${PPV_CYCLES:-100}" --tests "load cycles unload"
	phase stress-flaps vm ppvnet default --timeout 1500 \
		--append "ppv.env.PPV_FLAPS=${PPV_FLAPS:-1000}" --tests "load flapload unload"
	phase stress-updown vm ppvnet default --timeout 900 \
		--append "ppv.env.PPV_UPDOWN=${PPV_UPDOWN:-200}" --tests "load updown unload"
	phase stress-rmmod vm ppvnet default --tests "load rmmod_busy unload"
	phase stress-lowmem vm ppvnet default --mem 160 --tests "load lowmem unload"
fi

tap_summary
