#!/usr/bin/env bash
# Side-by-side benchmark of ppvnet against the in-tree virtio_net on the
# same QEMU device, in one run: ROUNDS boots per driver, alternating which
# driver goes first, then medians and the ratio ppvnet / virtio_net.
#   [ROUNDS=5] [BENCH_SECONDS=5] [KERNEL=default|6.12] [ICOUNT=1] tools/bench.sh
# ICOUNT=1 boots with -icount shift=2 and one vCPU: guest time then counts
# guest instructions, so rates measure per-packet cost, not host noise.
# Results: build/bench/<stamp>/{raw.tsv,summary.tsv,bench.svg}.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-5}
secs=${BENCH_SECONDS:-5}	# not $SECONDS: bash counts elapsed time in it
out=$top/build/bench/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
extra=()
[ "${ICOUNT:-0}" = 1 ] && extra=(--icount 2 --smp 1)

printf 'round\tdriver\tmetric\tvalue\n' >"$out/raw.tsv"
for r in $(seq 1 "$rounds"); do
	if [ $((r % 2)) = 1 ]; then order="virtio_net ppvnet"; else order="ppvnet virtio_net"; fi
	for d in $order; do
		echo "# round $r/$rounds: $d" >&2
		DRIVER=$d "$top/qemu-setup/boot.sh" --mode test --tests "load bench" \
			--timeout $((60 + 8 * secs)) --append "ppv.env.PPV_BENCH_SECONDS=$secs" \
			"${extra[@]}" >"$out/run-$r-$d.log" 2>&1 || true
		awk -v r="$r" -v d="$d" '/^# BENCH / { printf "%s\t%s\t%s\t%s\n", r, d, $3, $4 }' \
			"$out/run-$r-$d.log" >>"$out/raw.tsv"
		grep -q '^ok .* benchmark ran' "$out/run-$r-$d.log" ||
			echo "# round $r $d: benchmark failed, see $out/run-$r-$d.log" >&2
	done
done

# median per driver and metric, then the ratio
python3 - "$out" <<'PY'
import csv, statistics, sys
out = sys.argv[1]
vals = {}
for row in csv.DictReader(open(f"{out}/raw.tsv"), delimiter="\t"):
    vals.setdefault((row["metric"], row["driver"]), []).append(float(row["value"]))
metrics = ["tcp_tx", "tcp_rx", "udp64_tx", "udp64_rx", "udp64_tx_sent", "udp64_rx_sent"]
units = {m: "pkt/s" for m in metrics}
units.update({"tcp_tx": "Mbit/s", "tcp_rx": "Mbit/s"})
with open(f"{out}/summary.tsv", "w") as f:
    f.write("metric\tunit\tvirtio_net\tppvnet\tratio\tn\n")
    print(f"{'metric':13} {'unit':7} {'virtio_net':>11} {'ppvnet':>11} {'ppvnet/virtio_net':>18}  runs")
    for m in metrics:
        a, b = vals.get((m, "virtio_net"), []), vals.get((m, "ppvnet"), [])
        if not a or not b:
            print(f"{m:13} missing results")
            continue
        ma, mb = statistics.median(a), statistics.median(b)
        ratio = mb / ma if ma else float("nan")
        f.write(f"{m}\t{units[m]}\t{ma:.0f}\t{mb:.0f}\t{ratio:.2f}\t{min(len(a), len(b))}\n")
        print(f"{m:13} {units[m]:7} {ma:11.0f} {mb:11.0f} {ratio:18.2f}  {min(len(a), len(b))}")
PY

if command -v gnuplot >/dev/null; then
	gnuplot <<GP || echo "# gnuplot failed; the numbers are in $out/summary.tsv" >&2
set terminal svg size 800,400
set output "$out/bench.svg"
set title "ppvnet / virtio_net, medians of $rounds runs (1.0 = equal)"
set style data histogram
set style fill solid 0.6
set yrange [0:*]
set ylabel "ratio"
set key off
plot "$out/summary.tsv" using 5:xtic(1) skip 1
GP
fi
echo "# results in $out" >&2
