#!/usr/bin/env bash
# Where the guest's instructions go: boots each driver under -icount (one
# vCPU, QEMU's default CPU model, as tools/bench.sh ICOUNT=1) with perf in
# the guest, runs one workload under perf's cpu-clock sampling and prints
# the top symbols of each driver side by side with the packets moved, so
# samples per packet compare across drivers.
#   [PROF=udp64_tx|udp64_rx|tcp_tx|tcp_rx] [BENCH_SECONDS=5] [TOP=60] [FREQ=997]
#   [ANNOTATE=sym1,sym2] [KERNEL=default|6.12|7.3] [DRIVERS="virtio_net ppvnet"] tools/profile.sh
# Installs Debian's linux-perf on the host when missing; output in build/profile/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# perf for the guest comes from the host's Debian package
"$top/qemu-setup/deps.sh" linux-perf
w=${PROF:-udp64_tx}
secs=${BENCH_SECONDS:-5}
out=$top/build/profile/$(date +%Y%m%d-%H%M%S)-$w
mkdir -p "$out"
for d in ${DRIVERS:-virtio_net ppvnet}; do
	PPV_GUEST_EXTRA=perf DRIVER=$d "$top/qemu-setup/boot.sh" --mode test \
		--tests "load profile" --icount 2 --smp 1 --cpu default \
		--timeout $((180 + 12 * secs)) \
		--append "ppv.env.PPV_BENCH_SECONDS=$secs ppv.env.PPV_PROF=$w ppv.env.PPV_PROF_TOP=${TOP:-60} ppv.env.PPV_PROF_FREQ=${FREQ:-997} ppv.env.PPV_PROF_ANNOTATE=${ANNOTATE:-}" \
		>"$out/$d.log" 2>&1 || true
	echo "== $d ($w): $(grep -m1 '^# PROF packets' "$out/$d.log" || echo 'no result, see '"$out/$d.log")"
	sed -n 's/^# PROF \(dso\|comm\|sym\) //p' "$out/$d.log"
	sed -n "s/^# PROF ann //p" "$out/$d.log"
done | tee "$out/report.txt"
