# ethtool -S and ip -s link counters grow by the packets sent: 50 pings
# out, and the host's 50 replies in (the host counts on its tap too), plus
# at most 6 stray frames that may share the window (ARP both ways, the
# guest's IPv6 router solicitations and MLD reports; the host has IPv6
# off): a driver that counts nothing, twice, or per fragment fails.
SLACK=6
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
# in 50..50+SLACK
within() { [ "$1" -ge 50 ] && [ "$1" -le $((50 + SLACK)) ]; }
expect_pkts() {	# description delta
	if within "$2"; then ok "$1 ($2)"; else notok "$1" "got $2, want 50..$((50 + SLACK))"; fi
}
expect_pkts "host tap received the 50 pings" $((hrx1 - hrx0))
if [ "$DRIVER" != ppvnet ] && ! ethtool -S "$IF" | grep -Eq '^ *(rx|tx)(_queue_)?[0-9]+_packets:'; then
	# virtio_net on 6.12 reports packets through netlink qstats only
	skip "ethtool -S tx packets grew by 50..$((50 + SLACK))" "$DRIVER has no per-queue packet counters in ethtool -S"
	skip "ethtool -S rx packets grew by 50..$((50 + SLACK))" "$DRIVER has no per-queue packet counters in ethtool -S"
else
	expect_pkts "ethtool -S tx packets grew by 50..$((50 + SLACK))" $((tx1 - tx0))
	expect_pkts "ethtool -S rx packets grew by 50..$((50 + SLACK))" $((rx1 - rx0))
fi
expect_pkts "ip -s link tx packets grew by 50..$((50 + SLACK))" $((itx1 - itx0))
expect_pkts "ip -s link rx packets grew by 50..$((50 + SLACK))" $((irx1 - irx0))
# the host's counters are read after the guest's, both times: a frame the
# host sends between the two reads counts on one side only
d=$((irx1 - irx0 - (htx1 - htx0))); [ $d -lt 0 ] && d=$((-d))
expect "guest rx counted what the host sent (|$((irx1 - irx0)) - $((htx1 - htx0))| <= 2)" $d -le 2
d=$((itx1 - itx0 - (hrx1 - hrx0))); [ $d -lt 0 ] && d=$((-d))
expect "host received what the guest counted as sent (|$((itx1 - itx0)) - $((hrx1 - hrx0))| <= 2)" $d -le 2
