# Failures under load (debug kernel, ppvnet fault points): iperf3 both ways
# for PPV_FI_SECONDS (30) with RX page allocation failing at 1 % and 10 %
# and TX DMA mapping failing at 1 %. Traffic flows in every 1-s interval,
# the driver's failure counters equal the injected counts, throughput is
# back right after injection stops. Then RX allocation fails 100 % for 5 s:
# the ring drains, the process-context refill takes over, RX resumes.
FI=/sys/kernel/debug/ppvnet
if [ "$DRIVER" != ppvnet ] || [ ! -d $FI ]; then
	skip "failures under load" "no $FI (kernel without CONFIG_FAULT_INJECTION_DEBUG_FS)"
	return 0 2>/dev/null || exit 0
fi
S=${PPV_FI_SECONDS:-30}
BIG=100000000
stat() { ethtool -S "$IF" | awk -v k="$1:" '$1 == k { print $2 }'; }
# Seconds (of $1) in which the driver moved less than 256 KB of data in
# either direction, sampled from its own byte counters while iperf3 runs:
# a stall shows here at the driver, unlike in iperf3's sender intervals,
# which go to 0 whenever a multi-MB socket buffer blocks a write.
slow_seconds() {
	local n=0 t0 r0 t1 r1 i=0 start now
	start=$(cut -d. -f1 /proc/uptime)
	t0=$(stat tx0_bytes); r0=$(stat rx0_bytes)
	while :; do
		sleep 1
		t1=$(stat tx0_bytes); r1=$(stat rx0_bytes)
		now=$(cut -d. -f1 /proc/uptime)
		# within the transfer only (a debug guest samples slowly)
		[ $((now - start)) -lt "$1" ] || break
		if [ $((t1 - t0)) -lt 262144 ] || [ $((r1 - r0)) -lt 262144 ]; then
			n=$((n + 1)); echo "# at +$((now - start)) s: tx +$((t1 - t0)) rx +$((r1 - r0)) bytes" >&2
		fi
		t0=$t1 r0=$r1 i=$((i + 1))
	done
	echo "# $i samples" >&2
	echo $n
}
# intervals of an iperf3 -i 1 log that moved nothing
zero_intervals() {
	awk '/sec / && !/sender|receiver/ && $0 ~ /bits\/sec/ {
		for (i = 1; i <= NF; i++) if ($i ~ /bits\/sec$/) v = $(i - 1)
		if (v + 0 == 0) z++ } END { print z + 0 }' "$1"
}
net_up
for run in "fail_rx_page 1 rx0_refill_fail" "fail_rx_page 10 rx0_refill_fail" "fail_tx_map 1 tx0_errors"; do
	read -r site pct ctr <<-EOF
	$run
	EOF
	c0=$(stat "$ctr")
	echo 0 >"$FI/$site/verbose"; echo 1 >"$FI/$site/interval"; echo 0 >"$FI/$site/space"
	echo $BIG >"$FI/$site/times"; echo "$pct" >"$FI/$site/probability"
	timeout $((S + 60)) iperf3 -c "$HOST_IP" -p 5201 -t "$S" -i 1 >/tmp/fa.out 2>&1 & pa=$!
	timeout $((S + 60)) iperf3 -c "$HOST_IP" -p 5202 -t "$S" -i 1 -R >/tmp/fb.out 2>&1 & pb=$!
	sleep 1
	slow=$(slow_seconds $((S - 3)))
	wait $pa; ra=$?; wait $pb; rb=$?
	echo 0 >"$FI/$site/probability"
	injected=$((BIG - $(cat "$FI/$site/times")))
	echo 0 >"$FI/$site/times"
	c1=$(stat "$ctr")
	diag "$site at $pct %: injected $injected, $ctr +$((c1 - c0)), seconds under 256 KB either way $slow of $((S - 3)), iperf3 rc $ra/$rb"
	if [ $ra = 0 ] && [ $rb = 0 ] && [ "$slow" = 0 ]; then
		ok "$site at $pct %: data both ways in every second of $((S - 3))"
	else
		notok "$site at $pct %: data both ways in every second of $((S - 3))" "rc $ra/$rb, $slow slow seconds"
		grep -E 'sec .*bits/sec' /tmp/fa.out | sed 's/^/# guest->host: /'
		grep -E 'sec .*bits/sec' /tmp/fb.out | sed 's/^/# host->guest: /' 
	fi
	expect "$site at $pct %: $ctr counted every injected failure ($((c1 - c0)) = $injected)" $((c1 - c0)) -eq "$injected"
	expect "$site at $pct %: failures were injected" "$injected" -gt 0
	# right after: the second 1-s interval already moves data
	iperf3 -c "$HOST_IP" -p 5201 -t 2 -i 1 -R >/tmp/fc.out 2>&1
	expect "$site at $pct %: RX flows within 2 s after injection stops" "$(zero_intervals /tmp/fc.out)" -eq 0
done

# 100 % RX allocation failure for 5 s while the host sends to us
w0=$(stat rx0_refill_work)
echo 100 >"$FI/fail_rx_page/probability"; echo -1 >"$FI/fail_rx_page/times"
timeout 60 iperf3 -c "$HOST_IP" -p 5201 -t 10 -R >/dev/null 2>&1 & pa=$!
sleep 5
echo 0 >"$FI/fail_rx_page/probability"; echo 0 >"$FI/fail_rx_page/times"
wait $pa
sleep 1
w1=$(stat rx0_refill_work)
expect "RX ring ran dry and the refill work ran ($w0 -> $w1)" $((w1 - w0)) -gt 0
check "RX resumed by itself after 5 s of 100 % failure (ping)" ping -q -c 5 -i 0.2 -W 2 "$HOST_IP"
iperf3 -c "$HOST_IP" -p 5201 -t 2 -i 1 -R >/tmp/fc.out 2>&1
expect "RX throughput back after the dry spell" "$(zero_intervals /tmp/fc.out)" -eq 0
