# Benchmark body for tools/bench.sh (not part of make check): brings the
# link up and prints "# BENCH <metric> <value>" lines. Each run of
# PPV_BENCH_SECONDS (5) gives a rate and the guest's own cost: busy CPU
# time (/proc/stat, everything but idle and iowait, all CPUs) over the
# bytes or packets the interface moved (ip -s link). Under -icount with one
# vCPU, guest time counts guest instructions, so the cost is exact to ~2 %
# whatever the host does; a rate alone also counts the time the guest idled.
#   tcp_tx/tcp_rx        iperf3 TCP Mbit/s guest->host / host->guest (receiver)
#   tcp_tx_us_kb/...     guest CPU microseconds per kB on the interface
#   udp64_tx/udp64_rx    64-byte UDP packets/s that reached the receiver
#   udp64_tx_sent/...    packets/s the sender got out
#   udp64_tx_ns_pkt/...  guest CPU nanoseconds per packet on the interface
#   <row>_irq_kpkt       guest interrupts per 1000 packets on the interface
#   <row>_kick_kpkt      notifications to the device per 1000 packets
#   <row>_qemu_us_kb/... QEMU's main thread (the device model) in host CPU
#                        time per kB / per packet (vm.py's qemustat)
#   <row>_cpuN_busy      vCPU N's busy share of the row's time, %: where the
#                        tasks ran (iperf3 on one vCPU or the other); not
#                        under icount. Interrupt and softirq work on a vCPU
#                        that idles between interrupts counts as idle
#                        (Debian's kernels: nohz idle without
#                        IRQ_TIME_ACCOUNTING): a vCPU that only serves the
#                        RX interrupt reads a few %.
#   pp_recycle_pct       ppvnet, during tcp_rx: RX pages the page pool
#                        served from recycled ones (1 - pp_fresh/pp_pages)
# PPV_BENCH_STREAMS=N (tools/bench.sh QUEUES=2): N TCP streams each way,
# from one iperf3 client per vCPU (pinned, N/2 streams each), the sum of
# the receivers; no UDP rows.
T=${PPV_BENCH_SECONDS:-5}
[ -n "$IF" ] || driver_load
net_up
# experiments: PPV_BQL_MIN raises BQL's minimum limit (bytes);
# PPV_BENCH_COALESCE, commas for spaces, is given to ethtool -C
# (ppvnet: tx-usecs,0)
[ -z "$PPV_BQL_MIN" ] || echo "$PPV_BQL_MIN" >/sys/class/net/"$IF"/queues/tx-0/byte_queue_limits/limit_min
# shellcheck disable=SC2046
[ -z "$PPV_BENCH_COALESCE" ] || [ "$DRIVER" != ppvnet ] || ethtool -C "$IF" $(echo "$PPV_BENCH_COALESCE" | tr , ' ')
# PPV_BENCH_DEFER=N,NS: the kernel's software interrupt moderation for any
# NAPI driver: after a poll that did work, N more polls from a timer NS ns
# later before the interrupt is re-armed (napi_defer_hard_irqs,
# gro_flush_timeout)
if [ -n "$PPV_BENCH_DEFER" ]; then
	echo "${PPV_BENCH_DEFER%,*}" >/sys/class/net/"$IF"/napi_defer_hard_irqs
	echo "${PPV_BENCH_DEFER#*,}" >/sys/class/net/"$IF"/gro_flush_timeout
fi
ping -q -c 2 -W 2 "$HOST_IP" >/dev/null 2>&1
# Warm-up, not measured. The guest has no entropy source, and the first
# iperf3 after boot waits in getrandom() until the kernel's random pool is
# seeded, which burns some 1.2 s of guest CPU in try_to_generate_entropy()
# under icount (measured: 622 busy ticks for the first 5-s TCP run, 505 for
# the next ones): reading /dev/random waits for that here instead. Then
# PPV_BENCH_WARMUP (5) s of TCP each way: the first TCP connection after
# boot ramps up over its first seconds with either driver (7.3 under
# icount, 5-s sends one after the other: virtio_net 1.15 -> 2.91 Gbit/s
# across the first, 2.94 flat in the next; ppvnet 1.07 -> 3.30, then 3.2
# flat), so a run measured from a cold start counts the warm-up in its
# cost: every row is measured warm.
dd if=/dev/random of=/dev/null bs=1 count=1 2>/dev/null
w=${PPV_BENCH_WARMUP:-5}
iperf3 -c "$HOST_IP" -t "$w" >/dev/null 2>&1
iperf3 -c "$HOST_IP" -t "$w" -R >/dev/null 2>&1
HZ_USER=100	# /proc/stat counts in USER_HZ

busy() {	# busy ticks of all CPUs so far
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}
# "busy total" ticks of each vCPU so far, one line per CPU
cpu_ticks() {
	awk '$1 ~ /^cpu[0-9]+$/ { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}
# ppsum FIELD: ppvnet's page pool counter over all RX queues (0 otherwise)
ppsum() { if [ "$DRIVER" = ppvnet ]; then ethtool_qsum rx "$1"; else echo 0; fi; }
# cost NAME DIR FIELD COMMAND...: run COMMAND, print its cost
#   FIELD bytes: microseconds per kB; packets: nanoseconds per packet
intr() { awk '$1 == "intr" { print $2 }' /proc/stat; }
# notifications to the device so far: every "kicks" counter of ethtool -S
# (ppvnet's rxN_/txN_kicks, virtio_net's rx_queue_N_/tx_queue_N_kicks)
kicks() { ethtool -S "$IF" | awk '$1 ~ /kicks:$/ { s += $2 } END { print s + 0 }'; }
# QEMU's main thread (the device model: virtio-net's rings, the tap) in
# host clock ticks, from the host (vm.py's qemustat)
qmain() { host qemustat | awk '{ print $2 + 0 }'; }
cost() {
	local name=$1 dir=$2 field=$3 b0 b1 n0 n1 i0 i1 p0 p1 k0 k1 q0 q1 c0 c1
	shift 3
	b0=$(busy); n0=$(ip_stat "$dir" "$field"); i0=$(intr); p0=$(ip_stat "$dir" packets)
	k0=$(kicks); q0=$(qmain); c0=$(cpu_ticks)
	"$@"
	b1=$(busy); n1=$(ip_stat "$dir" "$field"); i1=$(intr); p1=$(ip_stat "$dir" packets)
	k1=$(kicks); q1=$(qmain); c1=$(cpu_ticks)
	# each vCPU's busy share of the time (one vCPU under icount: no row)
	[ "$(echo "$c0" | wc -l)" -gt 1 ] && printf '%s\n%s\n' "$c0" "$c1" |
		awk -v m="${name%_*_*}" -v n="$(echo "$c0" | wc -l)" '
			NR <= n { b[NR] = $1; t[NR] = $2; next }
			{ i = NR - n; if ($2 > t[i]) printf "# BENCH %s_cpu%d_busy %.1f\n", m, i - 1, 100 * ($1 - b[i]) / ($2 - t[i]) }'

	# interrupts and notifications per 1000 packets on the interface
	# (interrupts: all of the guest's)
	awk -v i=$((i1 - i0)) -v p=$((p1 - p0)) -v m="${name%_*_*}_irq_kpkt" 'BEGIN {
		if (p > 0) printf "# BENCH %s %.2f\n", m, 1000 * i / p }'
	awk -v i=$((k1 - k0)) -v p=$((p1 - p0)) -v m="${name%_*_*}_kick_kpkt" 'BEGIN {
		if (p > 0) printf "# BENCH %s %.2f\n", m, 1000 * i / p }'
	# bytes per packet on the interface (TSO and GRO sizes)
	[ "$field" = bytes ] && awk -v b=$((n1 - n0)) -v p=$((p1 - p0)) -v m="${name%_*_*}_bytes_pkt" 'BEGIN {
		if (p > 0) printf "# BENCH %s %.0f\n", m, b / p }'
	# the device model's host CPU time, as the guest's below
	awk -v t=$((q1 - q0)) -v n=$((n1 - n0)) -v f="$field" -v hz=100 -v m="${name%_*_*}_qemu" 'BEGIN {
		if (n <= 0) exit
		if (f == "bytes") printf "# BENCH %s_us_kb %.3f\n", m, t / hz * 1e6 / (n / 1024)
		else printf "# BENCH %s_ns_pkt %.1f\n", m, t / hz * 1e9 / n }'
	awk -v t=$((b1 - b0)) -v n=$((n1 - n0)) -v f="$field" -v hz=$HZ_USER -v m="$name" 'BEGIN {
		if (n <= 0) { print "# BENCH " m " 0"; exit }
		if (f == "bytes") printf "# BENCH %s %.3f\n", m, t / hz * 1e6 / (n / 1024)
		else printf "# BENCH %s %.1f\n", m, t / hz * 1e9 / n }'
}
# receiver Mbit/s of one iperf3 output file (its last receiver line: the
# SUM line with several streams); 0 if none
rx_mbps() { awk '/receiver/ { v = $(NF-2) } END { print v + 0 }' "$1"; }
tcp() {	# dir: run iperf3, print the rate line
	local v r= a b
	if [ "$P" -gt 1 ] && [ "$(nproc)" -gt 1 ]; then
		# iperf3 3.12 runs all of a client's streams in one thread, so
		# one client would load one vCPU and, through XPS, one TX
		# queue: one client per vCPU, pinned, half the streams each,
		# to the host's two servers; the rate is their sum
		[ "$1" = rx ] && r=-R
		taskset -c 0 iperf3 -c "$HOST_IP" -p 5201 -f m -t "$T" -P $((P / 2)) $r >/tmp/iperf-0.out 2>&1 &
		a=$!
		taskset -c 1 iperf3 -c "$HOST_IP" -p 5202 -f m -t "$T" -P $((P - P / 2)) $r >/tmp/iperf-1.out 2>&1 &
		b=$!
		wait $a $b
		v=$(echo "$(rx_mbps /tmp/iperf-0.out) $(rx_mbps /tmp/iperf-1.out)" |
			awk '{ print ($1 > 0 && $2 > 0) ? $1 + $2 : 0 }')
		diag "tcp_$1: $(rx_mbps /tmp/iperf-0.out) + $(rx_mbps /tmp/iperf-1.out) Mbit/s"
	elif [ "$1" = tx ]; then
		v=$(iperf_mbps -t "$T" -P "$P")
	else
		v=$(iperf_mbps -t "$T" -P "$P" -R)
	fi
	echo "# BENCH tcp_$1 $v"
}
udp() {	# dir
	local a=
	[ "$1" = rx ] && a=-R
	iperf3 -c "$HOST_IP" -u -l 64 -b 0 -t "$T" $a >/tmp/iperf.out 2>&1
}

P=${PPV_BENCH_STREAMS:-1}
cost tcp_tx_us_kb tx bytes tcp tx
f0=$(ppsum pp_fresh); g0=$(ppsum pp_pages); u0=$(ppsum bufs); k0=$(ppsum packets)
cost tcp_rx_us_kb rx bytes tcp rx
f1=$(ppsum pp_fresh); g1=$(ppsum pp_pages); u1=$(ppsum bufs); k1=$(ppsum packets)
# ppvnet: RX buffers the device filled per packet it delivered
[ $((k1 - k0)) -gt 0 ] && awk -v u=$((u1 - u0)) -v k=$((k1 - k0)) 'BEGIN {
	printf "# BENCH tcp_rx_bufs_pkt %.2f\n", u / k }'
if [ "$DRIVER" = ppvnet ] && [ $((g1 - g0)) -gt 0 ]; then
	awk -v f=$((f1 - f0)) -v g=$((g1 - g0)) 'BEGIN { printf "# BENCH pp_recycle_pct %.2f\n", 100 * (1 - f / g) }'
	diag "page pool during tcp_rx: $((g1 - g0)) pages handed out, $((f1 - f0)) fresh from the page allocator"
fi
[ "$P" = 1 ] || { ok "benchmark ran"; return 0 2>/dev/null || exit 0; }
for dir in tx rx; do
	cost udp64_${dir}_ns_pkt $dir packets udp $dir
	# receiver line: "[ 5] 0.00-5.00 sec ... 0.01 ms 12/34567 (0.03%) receiver"
	v=$(awk '/ receiver$/ { split($3, t, "-"); split($(NF-2), a, "/");
		if (t[2] > 0) printf "%d", (a[2] - a[1]) / t[2] }' /tmp/iperf.out)
	echo "# BENCH udp64_$dir ${v:-0}"
	# no receiver count: show what iperf3 said
	[ "${v:-0}" != 0 ] || grep -E 'sender|receiver|error|warning' /tmp/iperf.out | sed 's/^/#   /'
	# the sender's own count over its own time
	v=$(awk '/ sender$/ { split($3, t, "-"); split($(NF-2), a, "/");
		if (t[2] > 0) printf "%d", a[2] / t[2] }' /tmp/iperf.out)
	echo "# BENCH udp64_${dir}_sent ${v:-0}"
done
ok "benchmark ran"
