# ethtool -S and ip -s link counters grow by at least the packets sent: 50
# pings out, and the host's 50 replies in (the host counts on its tap too).
tx0=$(ethtool_pkts tx); rx0=$(ethtool_pkts rx)
itx0=$(ip_stat tx packets); irx0=$(ip_stat rx packets)
htx0=$(host sh "cat /sys/class/net/ppvtap0/statistics/tx_packets")
hrx0=$(host sh "cat /sys/class/net/ppvtap0/statistics/rx_packets")
ping -q -c 50 -i 0.02 -W 2 "$HOST_IP" >/dev/null 2>&1
tx1=$(ethtool_pkts tx); rx1=$(ethtool_pkts rx)
itx1=$(ip_stat tx packets); irx1=$(ip_stat rx packets)
hrx1=$(host sh "cat /sys/class/net/ppvtap0/statistics/rx_packets")
htx1=$(host sh "cat /sys/class/net/ppvtap0/statistics/tx_packets")
diag "ethtool tx +$((tx1 - tx0)) rx +$((rx1 - rx0)); ip tx +$((itx1 - itx0)) rx +$((irx1 - irx0)); host tap rx +$((hrx1 - hrx0)) tx +$((htx1 - htx0))"
expect "host tap received the 50 pings" $((hrx1 - hrx0)) -ge 50
if [ "$DRIVER" != ppvnet ] && ! ethtool -S "$IF" | grep -Eq '^ *(rx|tx)(_queue_)?[0-9]+_packets:'; then
	# virtio_net on 6.12 reports packets through netlink qstats only
	skip "ethtool -S tx packets grew by >= 50" "$DRIVER has no per-queue packet counters in ethtool -S"
	skip "ethtool -S rx packets grew by >= 50" "$DRIVER has no per-queue packet counters in ethtool -S"
else
	expect "ethtool -S tx packets grew by >= 50" $((tx1 - tx0)) -ge 50
	expect "ethtool -S rx packets grew by >= 50" $((rx1 - rx0)) -ge 50
fi
expect "ip -s link tx packets grew by >= 50" $((itx1 - itx0)) -ge 50
expect "ip -s link rx packets grew by >= 50" $((irx1 - irx0)) -ge 50
# the host counter is read last, so a packet may still be on its way
expect "guest rx counted what the host sent (within 2)" $((irx1 - irx0 + 2)) -ge $((htx1 - htx0))
