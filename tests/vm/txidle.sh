# TX completions when the sender pauses (ppv_tx_arm()). While the queue
# runs, ppvnet asks the device for no TX interrupt: the next xmit reaps,
# and the packets left in flight when the sender stops are reaped by a
# timer (ethtool -C tx-usecs); at tx-usecs 0 the device's interrupt reaps
# them instead. A skb left unreaped holds its socket's memory (TCP's small
# queues then stall the socket) and BQL's in-flight bytes.
#  1. ethtool -c/-C: the default, a change, a value out of range refused;
#  2. echo requests 0.2 s apart to a neighbour that never answers (a
#     static entry for a MAC no one has: nothing comes back, so no RX
#     poll reaps for TX): BQL's inflight returns to 0 after them, the timer
#     runs, and timer runs plus interrupts are one per packet sent at least
#     (a packet from the host now and then brings an RX poll that reaps
#     first); at tx-usecs 0 interrupts reap them (two can merge on a
#     busy host) and the timer count does not grow;
#  3. tx-usecs changed every 0.1 s (0, 1, 200, 10000) while iperf3 runs
#     both ways: the load goes on, inflight is 0 once it stops, and ping
#     works after it.
if [ "$DRIVER" != ppvnet ]; then
	skip "TX completions of a paused sender" "ppvnet's TX timer"
	return 0 2>/dev/null || exit 0
fi
net_up
NB=198.18.0.99
INFL=/sys/class/net/$IF/queues/tx-0/byte_queue_limits/inflight
# busybox ip has no "neigh replace": its arp applet sets the entry
check "static neighbour $NB" arp -i "$IF" -s $NB 02:00:00:00:00:99
# coalesce_usecs: tx-usecs as ethtool -c prints it
coalesce_usecs() { ethtool -c "$IF" | awk '$1 == "tx-usecs:" { print $2 }'; }
# drained: BQL's inflight bytes back to 0 within 2 s
drained() { bql_drained 200; }
# paused_sender USECS: 5 echo requests 0.2 s apart, no answer
paused_sender() {
	local t0 i0 t1 i1 p0 p1 k0 k1 inf pids
	t0=$(ethtool_stat qp0_tx_timer); i0=$(($(ethtool_stat qp0_interrupts) + $(ethtool_stat qp0_tx_interrupts)))
	p0=$(ethtool_stat tx0_packets); k0=$(ethtool_stat tx0_kicks)
	pids=
	# on CPU 0, whose XPS queue is 0: with several pairs the counters
	# below are pair 0's
	for _ in 1 2 3 4 5; do
		taskset -c 0 ping -q -c 1 -W 1 -w 1 $NB >/dev/null 2>&1 &
		pids="$pids $!"
		sleep 0.2
	done
	# shellcheck disable=SC2086
	wait $pids
	if drained; then inf=0; else inf=$(cat $INFL); fi
	t1=$(ethtool_stat qp0_tx_timer); i1=$(($(ethtool_stat qp0_interrupts) + $(ethtool_stat qp0_tx_interrupts)))
	p1=$(ethtool_stat tx0_packets); k1=$(ethtool_stat tx0_kicks)
	diag "tx-usecs $1: inflight $inf, qp0_tx_timer +$((t1 - t0)), qp0_interrupts + qp0_tx_interrupts +$((i1 - i0)), tx0_packets +$((p1 - p0)), tx0_kicks +$((k1 - k0))"
	expect "tx-usecs $1: requests sent ($((p1 - p0)) packets for 5)" $((p1 - p0)) -ge 5
	expect "tx-usecs $1: a paused sender's packets reaped (BQL inflight $inf)" "$inf" -eq 0
	if [ "$1" = 0 ]; then
		expect "tx-usecs 0: no TX timer ran (+$((t1 - t0)))" $((t1 - t0)) -eq 0
		# two used buffers can share one interrupt (the second comes
		# while the first is pending, on a busy host): at least one
		expect "tx-usecs 0: interrupts reaped them ($((i1 - i0)) for $((p1 - p0)))" \
			$((i1 - i0)) -ge 1
	else
		# a packet the host sends meanwhile (IPv6 neighbour discovery,
		# say) brings a poll that reaps before the timer runs
		expect "tx-usecs $1: the TX timer ran ($((t1 - t0)) times for $((p1 - p0)) packets)" \
			$((t1 - t0)) -ge 1
		# each of the 5 requests, 0.2 s apart, needs its own; a stray
		# packet (IPv6 neighbour discovery) may share one (seen on 7.3:
		# 6 packets, 5 timer runs)
		expect "tx-usecs $1: a timer run or an interrupt reaped each request ($((t1 - t0)) + $((i1 - i0)) for 5 of $((p1 - p0)) packets)" \
			$((t1 - t0 + i1 - i0)) -ge 5
	fi
}

u=$(coalesce_usecs)
expect "ethtool -c: tx-usecs defaults to 1000 (${u:-none})" "${u:-0}" -eq 1000
paused_sender 1000
check "ethtool -C tx-usecs 0" ethtool -C "$IF" tx-usecs 0
u=$(coalesce_usecs)
expect "ethtool -c reads back tx-usecs 0 (${u:-none})" "${u:--1}" -eq 0
paused_sender 0
check "ethtool -C tx-usecs 50" ethtool -C "$IF" tx-usecs 50
paused_sender 50
if ethtool -C "$IF" tx-usecs 10001 >/tmp/check.out 2>&1; then
	notok "ethtool -C tx-usecs 10001 refused" "it was taken"
else
	ok "ethtool -C tx-usecs 10001 refused: $(tr '\n' ' ' </tmp/check.out)"
fi
u=$(coalesce_usecs)
expect "a refused value leaves tx-usecs as it was (${u:-none})" "${u:-0}" -eq 50

# 20 changes; 8 on the debug kernel, where an ethtool -C under load takes
# a second
nch=$(debug_kernel && echo 8 || echo 20)
load_start
i=0 bad=0
while [ $i -lt "$nch" ]; do
	for v in 0 1 200 10000; do
		ethtool -C "$IF" tx-usecs $v || bad=$((bad + 1))
		sleep 0.1
	done
	i=$((i + 4))
done
load_check "tx-usecs changed $nch times"
load_stop
expect "every tx-usecs change under load taken ($bad refused)" "$bad" -eq 0
if drained; then inf=0; else inf=$(cat $INFL); fi
expect "inflight back to 0 after the load at tx-usecs 10000 ($inf)" "$inf" -eq 0
check "ethtool -C tx-usecs 1000" ethtool -C "$IF" tx-usecs 1000
arp -i "$IF" -d $NB
check "ping after the changes" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
