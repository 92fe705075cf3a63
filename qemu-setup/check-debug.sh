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

N=0 PASS=0 FAIL=0
t_start=$(date +%s)

# phase NAME COMMAND...: run COMMAND, renumber its TAP lines into the global
# count; a non-zero exit without any "not ok" line (build failure, hang,
# panic) counts as one failure of its own.
phase() {
	local name=$1 line desc rc=0 fails_before=$FAIL t0
	shift
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

finish() {
	echo "# total wall time $(($(date +%s) - t_start)) s"
	echo "1..$N"
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" = 0 ]
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
