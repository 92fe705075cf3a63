# The driver's counters against the host's: over a burst of pings of two
# sizes, guest TX packets and bytes equal what the host tap received, guest
# RX what the tap sent (both count whole Ethernet frames), within 3 stray
# frames (ARP, IPv6 ND/MLD: 110 bytes at most) that may land between the
# guest's and the host's reads; the per-queue counters of ethtool -S the
# same way. Then ethtool -S per-queue totals equal the netdev counters of
# ip -s link, read at rest.
tap_stats() {	# "rx_packets rx_bytes tx_packets tx_bytes" of the host tap
	host sh "cd /sys/class/net/ppvtap0/statistics && cat rx_packets rx_bytes tx_packets tx_bytes" | tr -d '|'
}
ethtool_sum() {	# rx|tx packets|bytes
	ethtool -S "$IF" | awk -v n="$1" -v f="$2" '
		{ sub(/^ */, ""); k = $1; sub(/:$/, "", k) }
		k ~ ("^" n "(_queue_)?[0-9]+_" f "$") { s += $2 }
		END { print s + 0 }'
}
# per-queue sums of ethtool -S (ppvnet's rxN_/txN_; virtio_net's
# rx_queue_N_/tx_queue_N_ where it has them)
has_q=1
if [ "$DRIVER" != ppvnet ] && ! ethtool -S "$IF" | grep -Eq '^ *(rx|tx)(_queue_)?[0-9]+_packets:'; then
	has_q=0
fi
if [ $has_q = 1 ]; then
	etp0=$(ethtool_sum tx packets) etb0=$(ethtool_sum tx bytes) erp0=$(ethtool_sum rx packets) erb0=$(ethtool_sum rx bytes)
fi
read -r hrp0 hrb0 htp0 htb0 <<-EOF2
$(tap_stats)
EOF2
gtp0=$(ip_stat tx packets) gtb0=$(ip_stat tx bytes) grp0=$(ip_stat rx packets) grb0=$(ip_stat rx bytes)
ping -q -c 100 -i 0.02 -s 1400 -W 2 "$HOST_IP" >/dev/null 2>&1
ping -q -c 100 -i 0.02 -s 56 -W 2 "$HOST_IP" >/dev/null 2>&1
sleep 0.5
gtp1=$(ip_stat tx packets) gtb1=$(ip_stat tx bytes) grp1=$(ip_stat rx packets) grb1=$(ip_stat rx bytes)
if [ $has_q = 1 ]; then
	etp1=$(ethtool_sum tx packets) etb1=$(ethtool_sum tx bytes) erp1=$(ethtool_sum rx packets) erb1=$(ethtool_sum rx bytes)
fi
read -r hrp1 hrb1 htp1 htb1 <<-EOF2
$(tap_stats)
EOF2
diag "guest tx +$((gtp1 - gtp0)) pkts +$((gtb1 - gtb0)) bytes, host tap rx +$((hrp1 - hrp0)) pkts +$((hrb1 - hrb0)) bytes"
diag "guest rx +$((grp1 - grp0)) pkts +$((grb1 - grb0)) bytes, host tap tx +$((htp1 - htp0)) pkts +$((htb1 - htb0)) bytes"
# the burst happened: 200 echo requests reached the host, 200 replies left it
expect "host tap received the 200 echo requests (+$((hrp1 - hrp0)))" $((hrp1 - hrp0)) -ge 200
expect "host tap sent the 200 echo replies (+$((htp1 - htp0)))" $((htp1 - htp0)) -ge 200
# stat_near NAME GUEST_DELTA HOST_DELTA TOLERANCE
stat_near() {
	local d=$(($2 - $3))
	[ $d -lt 0 ] && d=$((-d))
	expect "$1 ($2 vs $3, |diff| <= $4)" $d -le "$4"
}
stat_near "guest tx packets = host tap rx packets" $((gtp1 - gtp0)) $((hrp1 - hrp0)) 3
stat_near "guest tx bytes = host tap rx bytes" $((gtb1 - gtb0)) $((hrb1 - hrb0)) 330
stat_near "guest rx packets = host tap tx packets" $((grp1 - grp0)) $((htp1 - htp0)) 3
stat_near "guest rx bytes = host tap tx bytes" $((grb1 - grb0)) $((htb1 - htb0)) 330
# the per-queue counters of ethtool -S against the host's, as above: a
# queue whose counters are lost or counted twice shows here even where
# ip -s link agrees with ethtool -S (both may come from the same sums)
if [ $has_q = 1 ]; then
	stat_near "ethtool -S txN_packets sum = host tap rx packets" $((etp1 - etp0)) $((hrp1 - hrp0)) 3
	stat_near "ethtool -S txN_bytes sum = host tap rx bytes" $((etb1 - etb0)) $((hrb1 - hrb0)) 330
	stat_near "ethtool -S rxN_packets sum = host tap tx packets" $((erp1 - erp0)) $((htp1 - htp0)) 3
	stat_near "ethtool -S rxN_bytes sum = host tap tx bytes" $((erb1 - erb0)) $((htb1 - htb0)) 330
fi

if [ $has_q = 0 ]; then
	# virtio_net on 6.12 reports packets through netlink qstats only
	skip "ethtool -S per-queue sums equal ip -s link" "$DRIVER has no per-queue packet counters in ethtool -S"
else
	for d in rx tx; do
		for f in packets bytes; do
			# retry if a stray packet (ARP) lands between the two reads
			for try in 1 2 3; do
				a=$(ethtool_sum $d $f); b=$(ip_stat $d $f); c=$(ethtool_sum $d $f)
				[ "$a" = "$c" ] && break
			done
			expect "ethtool -S ${d}N_$f sum equals ip -s link $d $f ($a = $b)" "$a" -eq "$b"
		done
	done
fi
if [ "$DRIVER" = ppvnet ]; then
	n=$(ethtool -S "$IF" | grep -cE '^ *(rx|tx)0_')
	expect "ethtool -S names per-queue counters rx0_* and tx0_* ($n)" "$n" -ge 20
fi
