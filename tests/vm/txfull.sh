# The TX ring fills, the queue stops, completions wake it (tx0_stops and
# tx0_wakes): 64-byte UDP as fast as the guest sends it, with BQL's
# minimum limit raised so that only a full ring can stop the queue.
# ppvnet only (its counters).
if [ "$DRIVER" != ppvnet ]; then
	skip "TX ring full: stop and wake" "ppvnet's counters"
	return 0 2>/dev/null || exit 0
fi
net_up
BQL=/sys/class/net/$IF/queues/tx-0/byte_queue_limits
bql=$(cat $BQL/limit_min)
echo 100000000 >$BQL/limit_min
s0=$(ethtool_stat tx0_stops); w0=$(ethtool_stat tx0_wakes); p0=$(ethtool_stat tx0_packets)
iperf3 -c "$HOST_IP" -u -l 64 -b 0 -P 2 -t "${PPV_TXFULL_SECONDS:-4}" >/tmp/iperf.out 2>&1
rc=$?
sleep 1
s1=$(ethtool_stat tx0_stops); w1=$(ethtool_stat tx0_wakes); p1=$(ethtool_stat tx0_packets)
echo "$bql" >$BQL/limit_min
diag "tx0_stops $s0 -> $s1, tx0_wakes $w0 -> $w1, tx0_packets +$((p1 - p0)), iperf3 rc $rc"
expect "64-byte UDP flood ran (iperf3 rc $rc)" "$rc" -eq 0
expect "the TX ring filled: tx0_stops grew ($((s1 - s0)))" $((s1 - s0)) -gt 0
expect "every stop was woken: tx0_wakes grew as much ($((w1 - w0)) = $((s1 - s0)))" $((w1 - w0)) -eq $((s1 - s0))
check "ping after the flood" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
