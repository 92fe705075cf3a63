# Benchmark body for tools/bench.sh (not part of make check): brings the
# link up and prints "# BENCH <metric> <value>" lines.
#   tcp_tx/tcp_rx: iperf3 TCP Mbit/s guest->host / host->guest (receiver side)
#   udp64_tx/udp64_rx: 64-byte UDP packets/s that reached the receiver
#   udp64_tx_sent/udp64_rx_sent: packets/s the sender got out
T=${PPV_BENCH_SECONDS:-5}
[ -n "$IF" ] || driver_load
net_up
ping -q -c 2 -W 2 "$HOST_IP" >/dev/null 2>&1
v=$(iperf_mbps -t "$T"); echo "# BENCH tcp_tx $v"
v=$(iperf_mbps -t "$T" -R); echo "# BENCH tcp_rx $v"
for dir in tx rx; do
	[ $dir = tx ] && a= || a=-R
	iperf3 -c "$HOST_IP" -u -l 64 -b 0 -t "$T" $a >/tmp/iperf.out 2>&1
	# receiver line: "[ 5] 0.00-5.00 sec ... 0.01 ms 12/34567 (0.03%) receiver"
	v=$(awk '/ receiver$/ { split($3, t, "-"); split($(NF-2), a, "/");
		if (t[2] > 0) printf "%d", (a[2] - a[1]) / t[2] }' /tmp/iperf.out)
	echo "# BENCH udp64_$dir ${v:-0}"
	# no receiver count: show what iperf3 said
	[ "${v:-0}" != 0 ] || grep -E 'sender|receiver|error|warning' /tmp/iperf.out | sed 's/^/#   /'
	# the sender's own count over its own time: with -icount, guest time
	# counts instructions, so for tx this is the per-packet cost
	v=$(awk '/ sender$/ { split($3, t, "-"); split($(NF-2), a, "/");
		if (t[2] > 0) printf "%d", a[2] / t[2] }' /tmp/iperf.out)
	echo "# BENCH udp64_${dir}_sent ${v:-0}"
done
ok "benchmark ran"
