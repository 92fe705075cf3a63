#!/usr/bin/env bash
# Run every test of the project and print TAP with one global count:
# userspace unit tests, then the in-guest suites for each driver, kernel and
# device configuration. Ends with "N passed, N failed"; exits 1 on any failure.
#   tests/run-all.sh [phase-name-pattern]    e.g. 'vm-ppvnet*'
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
only=${1:-*}

N=0 PASS=0 FAIL=0 SKIP=0
t_start=$(date +%s)

# phase NAME COMMAND...: run COMMAND, renumber its TAP lines into the global
# count with a [NAME] prefix; a non-zero exit without any "not ok" line
# (a crash, hang or build failure) is a failure of its own.
phase() {
	local name=$1 line desc rc=0 fails_before=$FAIL t0
	shift
	# shellcheck disable=SC2053
	[[ $name == $only ]] || return 0
	t0=$(date +%s)
	echo "# ---- $name: $*"
	while IFS= read -r line; do
		if [[ $line =~ ^PPV-PHASE-RC\ ([0-9]+)$ ]]; then
			rc=${BASH_REMATCH[1]}
		elif [[ $line =~ ^(not )?ok\ [0-9]+( -)?\ ?(.*)$ ]]; then
			N=$((N + 1))
			desc=${BASH_REMATCH[3]}
			if [ -n "${BASH_REMATCH[1]}" ]; then
				FAIL=$((FAIL + 1))
				echo "not ok $N - [$name] $desc"
			else
				PASS=$((PASS + 1))
				[[ $desc == *"# SKIP"* ]] && SKIP=$((SKIP + 1))
				echo "ok $N - [$name] $desc"
			fi
		elif [[ $line == \#* ]]; then
			echo "$line"
		else
			echo "# $line"
		fi
	done < <("$@" 2>&1; echo "PPV-PHASE-RC $?")
	if [ "$rc" != 0 ] && [ "$FAIL" = "$fails_before" ]; then
		N=$((N + 1)); FAIL=$((FAIL + 1))
		echo "not ok $N - [$name] finished (exit $rc)"
	fi
	echo "# $name took $(($(date +%s) - t0)) s"
}

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

echo "# total wall time $(($(date +%s) - t_start)) s"
echo "1..$N"
echo "$PASS passed, $FAIL failed ($SKIP of the passed skipped)"
[ "$FAIL" = 0 ]
