# Multiqueue (the phase boots QEMU with --queues PPV_QUEUES, mq=on): the
# pairs ethtool -l reports, the stack's queues, traffic on every pair both
# ways, then ethtool -L and -G under iperf3 both ways, PPV_MQ_CHANGES
# (default 6) of each, with the link never lost and the load going on.
Q=${PPV_QUEUES:-2}
n=${PPV_MQ_CHANGES:-6}
net_up
chan() {	# max|cur: combined channels from ethtool -l
	ethtool -l "$IF" | awk -v w="$1" '
		/^Pre-set/ { s = "max" } /^Current/ { s = "cur" }
		s == w && /^Combined:/ { print $2; exit }'
}
cpus=$(grep -c '^processor' /proc/cpuinfo)
want=$Q; [ "$cpus" -lt "$want" ] && want=$cpus
expect "ethtool -l: the device's $Q pairs offered ($(chan max))" "$(chan max)" -eq "$Q"
expect "ethtool -l: one pair per CPU in use ($(chan cur), $cpus CPUs)" "$(chan cur)" -eq "$want"
nq=$(ls -d /sys/class/net/"$IF"/queues/rx-* | wc -l)
expect "the stack has $want RX queues ($nq)" "$nq" -eq "$want"
nq=$(ls -d /sys/class/net/"$IF"/queues/tx-* | wc -l)
expect "the stack has $want TX queues ($nq)" "$nq" -eq "$want"

# qpkts DIR Q: packets of queue Q (ppvnet rxQ_packets, virtio_net rx_queue_Q_packets)
qpkts() {
	ethtool -S "$IF" | awk -v a="$1$2_packets:" -v b="$1_queue_$2_packets:" \
		'$1 == a || $1 == b { print $2; exit }'
}
snap() {	# the packets of every queue, "rx0 tx0 rx1 tx1 ..."
	local q=0
	while [ $q -lt "$want" ]; do
		echo "$(qpkts rx $q) $(qpkts tx $q)"
		q=$((q + 1))
	done | tr '\n' ' '
}
# 16 flows each way (the host's tap picks a queue by flow hash: all 16 on
# one of 2 queues has odds 2^-15); sending, one client per CPU (XPS: a CPU
# sends on its own pair)
s0=$(snap)
c=0 pids=
while [ $c -lt "$cpus" ]; do
	taskset -c $c iperf3 -c "$HOST_IP" -p 5201 -t 3 -P 4 >/dev/null 2>&1 &
	pids="$pids $!"
	c=$((c + 1))
	sleep 0.2
done
# shellcheck disable=SC2086
wait $pids	# (a bare wait would wait for /init's kernel log copier too)
iperf3 -c "$HOST_IP" -p 5202 -t 3 -P 16 -R >/dev/null 2>&1
s1=$(snap)
diag "per-queue packets (rx tx per pair) before: $s0 after: $s1"
# every queue's counter must be there: an empty snapshot would test nothing
nv=$(echo "$s0" | wc -w)
expect "ethtool -S has a packet counter for each of the $want pairs' 2 queues ($nv)" "$nv" -eq $((2 * want))
q=0
for v0 in $s0; do
	v1=$(echo "$s1" | cut -d' ' -f$((q + 1)))
	d=$((v1 - v0))
	dir=rx; [ $((q % 2)) = 1 ] && dir=tx
	expect "$dir queue $((q / 2)) carried traffic (+$d packets)" "$d" -ge 100
	q=$((q + 1))
done
# an RX and a TX IRQ per pair unless the phase took fewer vectors
# (PPV_IRQ_MODE); the pairs' RX IRQs on different CPUs (affinity.sh
# checks the whole layout)
if [ "$DRIVER" = ppvnet ] && [ "$want" -gt 1 ] && [ -z "${PPV_IRQ_MODE:-}" ]; then
	irqs=$(grep "$IF" /proc/interrupts | awk '{ print $NF }' | tr '\n' ' ')
	if ! grep -q "$IF-rx1\$" /proc/interrupts || ! grep -q "$IF-tx1\$" /proc/interrupts; then
		notok "an RX and a TX IRQ for each pair ($IF-rx0, $IF-tx0, $IF-rx1, $IF-tx1)" "$irqs"
	else
		a0=$(cat "/proc/irq/$(awk -v n="$IF-rx0" '$NF == n { sub(":", "", $1); print $1 }' /proc/interrupts)/smp_affinity_list")
		a1=$(cat "/proc/irq/$(awk -v n="$IF-rx1" '$NF == n { sub(":", "", $1); print $1 }' /proc/interrupts)/smp_affinity_list")
		if [ "$a0" != "$a1" ]; then ok "pairs 0 and 1 interrupt different CPUs ($a0, $a1; IRQs $irqs)"; else notok "pairs 0 and 1 interrupt different CPUs" "both $a0"; fi
	fi
fi

# vectors=3 (PPV_IRQ_MODE=perqp): one vector per pair
if [ "${PPV_IRQ_MODE:-}" = perqp ]; then
	check "dmesg: one MSI-X vector per queue pair" sh -c "dmesg | grep -q 'one per queue pair'"
	check "an IRQ for each pair ($IF-qp0, $IF-qp1), none per queue" \
		sh -c "grep -q '$IF-qp0\$' /proc/interrupts && grep -q '$IF-qp1\$' /proc/interrupts && ! grep -q '$IF-tx0\$' /proc/interrupts"
fi

# vectors=2 (PPV_IRQ_MODE=shared): one vector for all queues
if [ "${PPV_IRQ_MODE:-}" = shared ]; then
	check "dmesg: the queues share one MSI-X vector" sh -c "dmesg | grep -q 'queues share one'"
	check "one IRQ for the queues ($IF-queues)" grep -q "$IF-queues" /proc/interrupts
fi

# ethtool -L and -G under load, both ways; the carrier never drops
# changes_done WHAT DESC: the verdict of a series of changes (failed, why
# and cc0 set before it), the load meanwhile and after, the carrier
changes_done() {
	local cc
	if [ $failed = 0 ]; then ok "$n ethtool $1 changes ($2) during iperf3 both ways"; else notok "$n ethtool $1 changes during iperf3 both ways" "$why"; fi
	load_check "$n ethtool $1 changes"
	cc=$(cat "/sys/class/net/$IF/carrier_changes")
	expect "the carrier never dropped during the $1 changes ($((cc - cc0)) changes)" $((cc - cc0)) -eq 0
	load_resumed "$n ethtool $1 changes"
	cc0=$cc
}
cc0=$(cat "/sys/class/net/$IF/carrier_changes")
load_start
failed=0 i=0 why=
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	k=1; [ $((i % 2)) = 0 ] && k=$want
	ethtool -L "$IF" combined $k 2>/tmp/mq.err || { why="change $i: ethtool -L combined $k: $(cat /tmp/mq.err)"; failed=1; break; }
	[ "$(chan cur)" = $k ] || { why="change $i: $(chan cur) pairs, want $k"; failed=1; break; }
	nq=$(ls -d /sys/class/net/"$IF"/queues/tx-* | wc -l)
	[ "$nq" = $k ] || { why="change $i: $nq TX queues, want $k"; failed=1; break; }
	sleep 0.5
done
changes_done -L "1 and $want pairs"
ethtool -L "$IF" combined "$want"

rmax=$(ethtool -g "$IF" | awk '/^Pre-set/ { s = 1 } s && /^RX:/ { print $2; exit }')
if ethtool -G "$IF" rx "$rmax" 2>/tmp/mq.err; then
	failed=0 i=0 why=
	load_mark
	while [ $i -lt "$n" ]; do
		i=$((i + 1))
		r=$rmax; [ $((i % 2)) = 1 ] && r=64
		ethtool -G "$IF" rx $r tx $r 2>/tmp/mq.err || { why="change $i: ethtool -G rx $r tx $r: $(cat /tmp/mq.err)"; failed=1; break; }
		got=$(ethtool -g "$IF" | awk '/^Current/ { s = 1 } s && /^RX:/ { print $2; exit }')
		[ "$got" = $r ] || { why="change $i: RX ring $got, want $r"; failed=1; break; }
		sleep 0.5
	done
	changes_done -G "64 and $rmax"
	# sizes a split ring cannot take are refused, and below ppvnet's
	# minimum (64: the longest TX chain twice; virtio_net takes smaller)
	bads="100 $((rmax * 2))"
	[ "$DRIVER" = ppvnet ] && bads="$bads 32"
	for bad in $bads; do
		if ethtool -G "$IF" rx $bad 2>/dev/null; then notok "ethtool -G rx $bad refused" "accepted"; else ok "ethtool -G rx $bad refused"; fi
	done
	ethtool -G "$IF" rx "$rmax" tx "$rmax"
elif [ "$DRIVER" = ppvnet ]; then
	notok "ethtool -G rx $rmax (the device's size)" "$(cat /tmp/mq.err)"
else
	skip "ethtool -G under load" "$DRIVER: $(cat /tmp/mq.err)"
fi
load_stop
check "ping after the changes" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
