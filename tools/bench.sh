#!/usr/bin/env bash
# Side-by-side benchmark of ppvnet against the in-tree virtio_net on the
# same QEMU device, in one run: ROUNDS boots per driver, alternating which
# driver goes first, then per metric the median and min-max of each driver
# and the ratio of the medians, ppvnet / virtio_net.
#   [ROUNDS=5] [BENCH_SECONDS=5] [KERNEL=default|6.12|7.3] [ICOUNT=1]
#   [DEVICE_OPTS=mrg_rxbuf=off,...] [COALESCE="tx-usecs 0"] [DRIVERS="ppvnet"]
#   [SMP=2] [QUEUES=2 [STREAMS=4]] [DEFER="2 20000"] tools/bench.sh
# SMP: the guest's vCPUs (2; 1 under ICOUNT=1). Each row's per-vCPU busy
# time (<row>_cpuN_busy, %) shows a layout that leaves a CPU idle.
# QUEUES=2: a device with 2 queue pairs (both drivers use both), measured
# as a user would: one iperf3 client each way, unpinned, the UDP rows too.
# STREAMS=N (>1) instead runs N TCP streams each way from one iperf3
# client per vCPU, pinned, to load both pairs, and no UDP rows. Not with ICOUNT=1:
# QEMU 7.2 under -icount with 2 vCPUs hangs while the guest brings up its
# second CPU (tried), and with one vCPU a second pair measures nothing.
# DRIVERS=ppvnet with DEVICE_OPTS measures what one offload buys (its rows
# against a run with the feature on), with COALESCE what ppvnet's TX
# completion timer does (ethtool -C in the guest), with DEFER what the
# kernel's software interrupt moderation does (napi_defer_hard_irqs and
# gro_flush_timeout, ns); the ratio needs both drivers.
# ICOUNT=1 boots with -icount shift=2, one vCPU and QEMU's default CPU
# model: guest time then counts guest instructions, so the cost rows (guest
# CPU time per kB and per packet) measure the driver's and the stack's
# instructions, exact to ~2 %, whatever else the host runs. (Under -cpu max
# the guest copies with rep movsb, which icount charges as one instruction
# per iteration: copies then dominate every cost.) Without ICOUNT: 2 vCPUs,
# -cpu max, wall clock (+-25 % between runs of one driver on this machine).
# Results in build/bench/<stamp>/: raw.tsv (every run), summary.csv (the
# table), bench.svg (ratios with min-max spread), run-*.log.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-5}
secs=${BENCH_SECONDS:-5}	# not $SECONDS: bash counts elapsed time in it
if [ "${ICOUNT:-0}" = 1 ] && [ "${QUEUES:-1}" -gt 1 ]; then
	echo "bench: QUEUES=${QUEUES} needs 2 vCPUs, which QEMU 7.2 cannot boot under ICOUNT=1" >&2
	exit 2
fi
out=$top/build/bench/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
extra=()
smp=${SMP:-2}
[ "${ICOUNT:-0}" = 1 ] && smp=1
if [ "${ICOUNT:-0}" = 1 ]; then extra=(--icount 2 --smp 1 --cpu default); else extra=(--smp "$smp"); fi
[ -n "${DEVICE_OPTS:-}" ] && extra+=(--device-opts "$DEVICE_OPTS")
[ -n "${COALESCE:-}" ] && extra+=(--append "ppv.env.PPV_BENCH_COALESCE=${COALESCE// /,}")
[ -n "${DEFER:-}" ] && extra+=(--append "ppv.env.PPV_BENCH_DEFER=${DEFER// /,}")
queues=${QUEUES:-1}
[ "$queues" -gt 1 ] && extra+=(--queues "$queues")
[ "${STREAMS:-1}" -gt 1 ] && extra+=(--append "ppv.env.PPV_BENCH_STREAMS=$STREAMS")
mode="KERNEL=${KERNEL:-default} ICOUNT=${ICOUNT:-0} SMP=$smp"
[ "$queues" = 1 ] || mode="$mode QUEUES=$queues"
[ "${STREAMS:-1}" = 1 ] || mode="$mode STREAMS=$STREAMS"
echo "# bench: $mode ROUNDS=$rounds BENCH_SECONDS=$secs ${DEVICE_OPTS:+DEVICE_OPTS=$DEVICE_OPTS }${COALESCE:+COALESCE=\"$COALESCE\" }${DEFER:+DEFER=\"$DEFER\"}; results in $out" >&2

printf 'round\tdriver\tmetric\tvalue\n' >"$out/raw.tsv"
for r in $(seq 1 "$rounds"); do
	if [ $((r % 2)) = 1 ]; then order="virtio_net ppvnet"; else order="ppvnet virtio_net"; fi
	[ -z "${DRIVERS:-}" ] || order=$DRIVERS
	for d in $order; do
		t0=$(date +%s)
		DRIVER=$d "$top/qemu-setup/boot.sh" --mode test --tests "load bench" \
			--timeout $((180 + 12 * secs)) --append "ppv.env.PPV_BENCH_SECONDS=$secs" \
			"${extra[@]}" >"$out/run-$r-$d.log" 2>&1 || true
		awk -v r="$r" -v d="$d" '/^# BENCH / { printf "%s\t%s\t%s\t%s\n", r, d, $3, $4 }' \
			"$out/run-$r-$d.log" >>"$out/raw.tsv"
		if grep -q '^ok .* benchmark ran' "$out/run-$r-$d.log"; then
			echo "# round $r/$rounds $d ($(($(date +%s) - t0)) s): $(awk '/^# BENCH / { printf "%s=%s ", $3, $4 }' "$out/run-$r-$d.log")" >&2
		else
			echo "# round $r/$rounds $d: benchmark failed, see $out/run-$r-$d.log" >&2
		fi
	done
done

# median, min and max per driver and metric; ratio of the medians
python3 - "$out" <<'PY'
import csv, statistics, sys
out = sys.argv[1]
vals = {}
for row in csv.DictReader(open(f"{out}/raw.tsv"), delimiter="\t"):
    vals.setdefault((row["metric"], row["driver"]), []).append(float(row["value"]))
# metric, unit, better
metrics = [("tcp_tx", "Mbit/s", "high"), ("tcp_rx", "Mbit/s", "high"),
           ("tcp_tx_us_kb", "us/kB", "low"), ("tcp_rx_us_kb", "us/kB", "low"),
           ("udp64_tx", "pkt/s", "high"), ("udp64_rx", "pkt/s", "high"),
           ("udp64_tx_sent", "pkt/s", "high"), ("udp64_rx_sent", "pkt/s", "high"),
           ("udp64_tx_ns_pkt", "ns/pkt", "low"), ("udp64_rx_ns_pkt", "ns/pkt", "low"),
           ("pp_recycle_pct", "%", "high"),
           ("tcp_tx_irq_kpkt", "irq/kpkt", "low"), ("tcp_rx_irq_kpkt", "irq/kpkt", "low"),
           ("udp64_tx_irq_kpkt", "irq/kpkt", "low"), ("udp64_rx_irq_kpkt", "irq/kpkt", "low"),
           ("tcp_tx_kick_kpkt", "kick/kpkt", "low"), ("tcp_rx_kick_kpkt", "kick/kpkt", "low"),
           ("udp64_tx_kick_kpkt", "kick/kpkt", "low"), ("udp64_rx_kick_kpkt", "kick/kpkt", "low"),
           ("tcp_tx_qemu_us_kb", "us/kB", "low"), ("tcp_rx_qemu_us_kb", "us/kB", "low"),
           ("udp64_tx_qemu_ns_pkt", "ns/pkt", "low"), ("udp64_rx_qemu_ns_pkt", "ns/pkt", "low"),
           ("tcp_tx_bytes_pkt", "B/pkt", "high"), ("tcp_rx_bytes_pkt", "B/pkt", "high"),
           ("tcp_rx_bufs_pkt", "buf/pkt", "low")]
# per-vCPU busy time of each row (not a cost: no better side)
metrics += [(m, "%", "-") for m in sorted({k[0] for k in vals if "_cpu" in k[0] and k[0].endswith("_busy")},
                                         key=lambda m: (m.rsplit("_cpu", 1)[0], int(m.rsplit("_cpu", 1)[1][:-5])))]
def fmt(v):
    return f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"
with open(f"{out}/summary.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["metric", "unit", "better", "virtio_net_median", "virtio_net_min",
                "virtio_net_max", "ppvnet_median", "ppvnet_min", "ppvnet_max",
                "ratio", "runs"])
    print(f"{'metric':16} {'unit':7} {'virtio_net median (min-max)':>30} "
          f"{'ppvnet median (min-max)':>30} {'ppvnet/virtio_net':>18}  runs")
    for m, unit, better in metrics:
        a, b = vals.get((m, "virtio_net"), []), vals.get((m, "ppvnet"), [])
        if not b:
            continue
        mb = statistics.median(b)
        if a:
            ma = statistics.median(a)
            ratio = mb / ma if ma else float("nan")
            va = f"{fmt(ma)} ({fmt(min(a))}-{fmt(max(a))})"
            rs = f"{ratio:.2f} ({better} is better)"
        else:
            ma, ratio, va, rs = float("nan"), float("nan"), "-", "-"
        w.writerow([m, unit, better, f"{ma:.4g}", f"{min(a):.4g}" if a else "",
                    f"{max(a):.4g}" if a else "", f"{mb:.4g}", f"{min(b):.4g}",
                    f"{max(b):.4g}", f"{ratio:.3f}", min(len(a), len(b)) if a else len(b)])
        vb = f"{fmt(mb)} ({fmt(min(b))}-{fmt(max(b))})"
        if better == "-":
            rs = f"{ratio:.2f}"
        print(f"{m:16} {unit:7} {va:>30} {vb:>30} {rs:>18}  {len(b)}")
# chart data: each driver's median, min and max over virtio_net's median
with open(f"{out}/chart.dat", "w") as f:
    f.write("metric vn vn_min vn_max ppv ppv_min ppv_max\n")
    for m, unit, better in metrics:
        a, b = vals.get((m, "virtio_net"), []), vals.get((m, "ppvnet"), [])
        if not a or not b or better == "-":
            continue
        ma = statistics.median(a)
        if not ma:
            continue
        n = lambda v: v / ma
        f.write(f"{m} {n(ma):.4f} {n(min(a)):.4f} {n(max(a)):.4f} "
                f"{n(statistics.median(b)):.4f} {n(min(b)):.4f} {n(max(b)):.4f}\n")
PY

# the chart needs both drivers (a DRIVERS=ppvnet run has only the table)
if command -v gnuplot >/dev/null && [ "$(wc -l <"$out/chart.dat")" -gt 1 ]; then
	gnuplot <<GP || echo "# gnuplot failed; the numbers are in $out/summary.csv" >&2
set terminal svg size 1000,450
set output "$out/bench.svg"
set title "ppvnet and virtio_net over virtio_net's median, $rounds runs each, bars min-max ($mode); us/kB and ns/pkt: lower is better"
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.6
set yrange [0:*]
set ylabel "relative to virtio_net's median"
set xtics rotate by -30
set key top left
plot "$out/chart.dat" using 2:3:4:xtic(1) title "virtio_net", "" using 5:6:7 title "ppvnet"
GP
fi
echo "# results in $out" >&2
