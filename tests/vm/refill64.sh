# Refill when the posted buffers cannot hold a packet (ppv_rx_low()): with
# ethtool -G rx 64 and half-page mergeable buffers a 64 KB GSO frame takes
# 45 of the 64. A ring left with 32 to 44 gets no packet (QEMU keeps the
# frame until the ring can take it), so no poll comes to refill it: the
# refill work must top it up to a packet's worth, not to half a ring.
# Made deterministic: fail_rx_mrg fails every second allocation (interval
# 2), so a fill, which gives up after 16 failures, posts 16 buffers; the
# ring is rebuilt (-G rx 64) under TCP receive, which starts it with
# half-page buffers (no packet length seen yet). The first 64 KB frame
# leaves 3 posted; the poll's fill makes 19, the refill work's 35: below
# 45, the work must go on. TCP must receive 64 KB in every 2-s window of
# 10, then at full speed once the failures stop. Debug kernel (fault
# points); mergeable buffers.
fault_points "refill below a packet's worth" || { return 0 2>/dev/null || exit 0; }
net_up
iperf3 -c "$HOST_IP" -p 5202 -R -t 3600 >/tmp/iperf-r.out 2>&1 &
ipid=$!
sleep 2
S=$FI/fail_rx_mrg
echo 0 >$S/verbose; echo 100 >$S/probability; echo 2 >$S/interval
echo 0 >$S/space; echo -1 >$S/times
r0=$(ethtool_stat rx0_refill_fail); w0=$(ethtool_stat rx0_refill_work)
check "ethtool -G rx 64 under TCP receive, every second buffer failing" ethtool -G "$IF" rx 64
stall=0 i=0
while [ $i -lt 10 ]; do
	b0=$(ethtool_stat rx0_bytes)
	sleep 2
	b1=$(ethtool_stat rx0_bytes)
	[ $((b1 - b0)) -lt 65536 ] && { stall=$((stall + 1)); diag "window $i: rx +$((b1 - b0)) bytes"; }
	i=$((i + 1))
done
diag "$(grep -m1 'rx0 .* buffers' /sys/kernel/debug/ppvnet/*/rings)"
fi_off fail_rx_mrg
echo 1 >$S/interval
r1=$(ethtool_stat rx0_refill_fail); w1=$(ethtool_stat rx0_refill_work)
expect "allocations failed meanwhile ($((r1 - r0)))" $((r1 - r0)) -ge 10
expect "the refill work topped the ring up ($((w1 - w0)) runs)" $((w1 - w0)) -ge 1
expect "TCP received 64 KB in every 2-s window of 10 ($stall without)" "$stall" -eq 0
b0=$(ethtool_stat rx0_bytes); sleep 2; b1=$(ethtool_stat rx0_bytes)
expect "full speed back after the failures ($((b1 - b0)) bytes in 2 s)" $((b1 - b0)) -ge 262144
kill $ipid 2>/dev/null; wait $ipid 2>/dev/null
check "ethtool -G rx 256" ethtool -G "$IF" rx 256
