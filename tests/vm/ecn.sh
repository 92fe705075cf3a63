# ECN through the offloads (HOST_ECN, GUEST_ECN): with net.ipv4.tcp_ecn=1
# at both ends and netem marking 1 % of the data packets CE instead of
# dropping them, the receiver echoes ECE and the sender sets CWR on its
# next segment; a TSO packet that carries CWR is SKB_GSO_TCP_ECN.
#  - guest->host: netem on eth0's egress marks the guest's data; ppvnet
#    must hand the device GSO packets with VIRTIO_NET_HDR_GSO_ECN (txN_
#    tso_ecn grows) and the transfer must arrive intact (iperf3 clean);
#  - host->guest: netem on eth0's ingress (through an ifb) marks the
#    host's data; the host's TSO packets with CWR come from the device as
#    GSO_ECN, which ppvnet must take (rxN_gso_ecn grows; with GUEST_ECN not
#    negotiated it would drop them as a bad header).
# netem, ifb and iproute2's tc are the guest's (the host loads nothing).
# ppvnet only (the counters); needs QEMU's default host_ecn/guest_ecn.
[ "$DRIVER" = ppvnet ] || { skip "ECN" "ppvnet's counters only"; return 0 2>/dev/null || exit 0; }
TC=/usr/bin/iproute2-tc
if ! load_mods tc || [ ! -x $TC ]; then
	notok "ECN: netem, ifb and tc in the guest" "$(cat /lib/modules/ppv/tc.order 2>/dev/null | tr '\n' ' ')"
	return 0 2>/dev/null || exit 0
fi
net_up
e0=$(cat /proc/sys/net/ipv4/tcp_ecn)
sysctl -qw net.ipv4.tcp_ecn=1
r=$(host sh "sysctl -qw net.ipv4.tcp_ecn=1 && echo ok")
expect "ECN: tcp_ecn=1 at the host ($r)" "$(echo "$r" | grep -c ok)" -eq 1
tx_ecn() { ethtool_qsum tx tso_ecn; }
rx_ecn() { ethtool_qsum rx gso_ecn; }

# guest->host
check "ECN: netem marks CE on $IF's egress" $TC qdisc add dev "$IF" root netem loss 1% ecn
t0=$(tx_ecn) g0=$(ethtool_qsum tx tso)
iperf3 -c "$HOST_IP" -t 3 -f m >/tmp/ecn.out 2>&1; rc=$?
t1=$(tx_ecn) g1=$(ethtool_qsum tx tso)
$TC qdisc del dev "$IF" root
diag "ECN guest->host: iperf3 rc $rc, TSO +$((g1 - g0)), with CWR +$((t1 - t0))"
expect "ECN guest->host: iperf3 ran (rc $rc)" "$rc" -eq 0
expect "ECN guest->host: TSO packets with CWR went to the device as GSO_ECN (+$((t1 - t0)))" $((t1 - t0)) -gt 0
expect "ECN guest->host: ... and not every TSO packet (+$((t1 - t0)) of +$((g1 - g0)))" $((t1 - t0)) -lt $((g1 - g0))

# host->guest
if ip link add ppvifb0 type ifb && ip link set ppvifb0 up &&
	$TC qdisc add dev "$IF" handle ffff: ingress &&
	$TC filter add dev "$IF" parent ffff: matchall action mirred egress redirect dev ppvifb0 &&
	$TC qdisc add dev ppvifb0 root netem loss 1% ecn; then
	ok "ECN: netem marks CE on $IF's ingress (ifb)"
	r0=$(rx_ecn) h0=$(ethtool_qsum rx gso)
	iperf3 -c "$HOST_IP" -t 3 -R -f m >/tmp/ecn.out 2>&1; rc=$?
	r1=$(rx_ecn) h1=$(ethtool_qsum rx gso)
	diag "ECN host->guest: iperf3 rc $rc, GSO from the device +$((h1 - h0)), with CWR +$((r1 - r0))"
	expect "ECN host->guest: iperf3 ran (rc $rc)" "$rc" -eq 0
	expect "ECN host->guest: GSO_ECN packets from the device taken (+$((r1 - r0)))" $((r1 - r0)) -gt 0
else
	notok "ECN: netem marks CE on $IF's ingress (ifb)" "tc or ifb failed"
fi
$TC qdisc del dev "$IF" handle ffff: ingress 2>/dev/null
ip link del ppvifb0 2>/dev/null
sysctl -qw net.ipv4.tcp_ecn="$e0"
host sh "sysctl -qw net.ipv4.tcp_ecn=2" >/dev/null
check "ECN: ping after" ping -q -c 3 -i 0.1 -W 2 "$HOST_IP"
