# A TX queue the device stops serving (ppv_tx_watch(), ppv_tx_timeout()).
# Packets are received all the time (UDP from the host, iperf3 -u -R),
# so polls come all the time and push the TX timer back; a paused sender
# (echo requests to a neighbour that never answers, as in txidle) sends
# now and then. The fault point lose_tx_kick makes the device miss the
# notifications it asked for:
#  1. once: the packet it strands is reaped within 1 s (a rekick from
#     any poll), counted in tx0_rekicks;
#  2. for ever: every packet is still reaped within 1 s of its sending,
#     by rekicks alone;
#  3. TCP both ways, every notification lost for 3 s, then none: the
#     slow timer's poll rekicks although no packet comes (TCP's small
#     queues hold the senders back before BQL stops the queue, so the
#     watchdog does not see it): the load moves again;
#  4. a device that stops serving the queue (stall_tx_used: no used
#     entry comes back; lost notifications do not do it, QEMU polls a
#     busy ring): the ring fills, the queue stops, the stack's watchdog
#     calls ndo_tx_timeout after 5 s: tx0_timeouts counts it, dmesg shows
#     the ring, the device is reset; once the fault stops, TCP moves
#     again.
# Debug kernel (fault points).
fault_points "a TX queue the device stops serving" || { return 0 2>/dev/null || exit 0; }
net_up
NB=198.18.0.99
arp -i "$IF" -s $NB 02:00:00:00:00:99
drained() { bql_drained 100; }	# every packet reaped within 1 s
iperf3 -c "$HOST_IP" -p 5202 -u -R -b 30M -t 3600 >/tmp/iperf-u.out 2>&1 &
upid=$!
sleep 2
drained
k0=$(ethtool_stat tx0_rekicks)
fi_arm lose_tx_kick 1
taskset -c 0 ping -q -c 1 -W 1 -w 1 $NB >/dev/null 2>&1
check "one lost notification: the packet it stranded reaped within 1 s" drained
check "the lost notification was injected" fi_hit lose_tx_kick
k1=$(ethtool_stat tx0_rekicks)
expect "rekicked meanwhile (tx0_rekicks +$((k1 - k0)))" $((k1 - k0)) -ge 1
S=$FI/lose_tx_kick
echo 0 >$S/space; echo 100 >$S/probability; echo -1 >$S/times
late=0
for i in 1 2 3 4 5; do
	taskset -c 0 ping -q -c 1 -W 1 -w 1 $NB >/dev/null 2>&1
	drained || late=$((late + 1))
	sleep 0.2
done
expect "every notification lost: 5 paused packets each reaped within 1 s ($late late)" "$late" -eq 0
kill $upid 2>/dev/null; wait $upid 2>/dev/null
arp -i "$IF" -d $NB

fi_off lose_tx_kick
load_start
lose_all() {
	local f
	for f in lose_tx_kick lose_tx_rekick; do
		echo 0 >"$FI/$f/verbose"; echo 0 >"$FI/$f/space"
		echo 100 >"$FI/$f/probability"; echo -1 >"$FI/$f/times"
	done
}
lose_all
sleep 3
fi_off lose_tx_kick
fi_off lose_tx_rekick
load_resumed "TCP after 3 s of lost notifications"
load_stop

DMESG_ALLOW='transmit timed out|NETDEV WATCHDOG|dev_watchdog|resetting the device|device reset: datapath back'
t0=$(ethtool_stat tx0_timeouts); r0=$(ethtool_stat resets)
load_start
S=$FI/stall_tx_used
echo 0 >$S/verbose; echo 0 >$S/space; echo 100 >$S/probability; echo -1 >$S/times
i=0
while [ $i -lt 30 ] && [ "$(ethtool_stat tx0_timeouts)" = "$t0" ]; do
	sleep 1; i=$((i + 1))
done
fi_off stall_tx_used
t1=$(ethtool_stat tx0_timeouts)
expect "a device that stops serving: the watchdog's timeout within 30 s (tx0_timeouts +$((t1 - t0)) after $i s)" $((t1 - t0)) -ge 1
check "dmesg shows the ring" sh -c "dmesg | grep -q 'tx0: transmit timed out: avail idx'"
i=0
while [ $i -lt 20 ] && [ "$(ethtool_stat resets)" = "$r0" ]; do sleep 1; i=$((i + 1)); done
r1=$(ethtool_stat resets)
expect "the device was reset (resets +$((r1 - r0)))" $((r1 - r0)) -ge 1
load_resumed "after the TX timeout"
load_stop
check "ping after the reset" ping -q -c 3 -i 0.1 -W 2 "$HOST_IP"
