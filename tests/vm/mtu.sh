# MTU changes on a running interface rebuild the RX buffers (small
# buffers: shared pages at 1500, whole pages above; mergeable buffers keep
# their size; big chains take any frame). Frames of 2900 and 8900 bytes
# pass both ways with the host tap at MTU 3000 and 9000, as single frames;
# an MTU above the netdev's max_mtu is refused; back at 1500 everything
# still works.
net_up
check "ip link set mtu 3000 while up" ip link set "$IF" mtu 3000
wait_carrier 1
host sh "ip link set ppvtap0 mtu 3000" >/dev/null
ping -q -c 1 -W 2 "$HOST_IP" >/dev/null 2>&1	# ARP
r0=$(ip_stat rx bytes); p0=$(ip_stat rx packets)
check "ping -s 2900 at MTU 3000" ping -q -c 5 -i 0.2 -s 2900 -W 2 "$HOST_IP"
r1=$(ip_stat rx bytes); p1=$(ip_stat rx packets)
# whole: 5 frames of ~2942 bytes; fragmented by the host would be 10
expect "2900-byte echo replies arrived ($((r1 - r0)) bytes)" $((r1 - r0)) -ge 14500
expect "... as single frames ($((p1 - p0)) packets)" $((p1 - p0)) -le 7
check "ip link set mtu 9000 while up" ip link set "$IF" mtu 9000
wait_carrier 1
host sh "ip link set ppvtap0 mtu 9000" >/dev/null
r0=$(ip_stat rx bytes); p0=$(ip_stat rx packets)
check "ping -s 8900 at MTU 9000" ping -q -c 5 -i 0.2 -s 8900 -W 2 "$HOST_IP"
r1=$(ip_stat rx bytes); p1=$(ip_stat rx packets)
expect "8900-byte echo replies arrived ($((r1 - r0)) bytes)" $((r1 - r0)) -ge 44500
expect "... as single frames ($((p1 - p0)) packets)" $((p1 - p0)) -le 7
# the largest frame: MTU 65535 (max_mtu without VIRTIO_NET_F_MTU), a
# 65042-byte echo in one frame (the host's tap takes 65521 at most);
# mergeable buffers put it in a frag_list
check "ip link set mtu 65535 while up" ip link set "$IF" mtu 65535
wait_carrier 1
host sh "ip link set ppvtap0 mtu 65521" >/dev/null
p0=$(ip_stat rx packets)
check "ping -s 65000 at MTU 65535" ping -q -c 3 -i 0.3 -s 65000 -W 3 "$HOST_IP"
p1=$(ip_stat rx packets)
expect "... as single frames ($((p1 - p0)) packets)" $((p1 - p0)) -le 5
check "mtu 65536 is refused" sh -c "! ip link set $IF mtu 65536 2>/dev/null"
host sh "ip link set ppvtap0 mtu 1500" >/dev/null
check "ip link set mtu 1500 while up" ip link set "$IF" mtu 1500
wait_carrier 1
check "ping at MTU 1500" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
# floor (host->guest): see iperf_tcp.sh
v=$(iperf_mbps -t 2 -R)
expect_mbps "iperf3 host->guest at MTU 1500" "$v" "$(min_mbps 200 15)"
