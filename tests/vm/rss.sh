# RSS (the phase boots QEMU with --queues 2 and rss=on): ethtool -x shows
# the device's table, key and hash function; ethtool -X steers received
# flows where the table says, and nothing arrives on a queue the table
# leaves out; a table set by hand survives down/up, and ethtool -L cannot
# take a queue it uses; a new key reads back. On ppvnet with fault points
# (debug kernel), an RSS command that fails changes nothing.
net_up
if ! ethtool -x "$IF" >/tmp/rss.x 2>&1; then
	notok "ethtool -x" "$(cat /tmp/rss.x)"
	return 0 2>/dev/null || exit 0
fi
ok "ethtool -x"
# rss_table: the table's entries, one per line
rss_table() {
	ethtool -x "$IF" | awk '/^ *[0-9]+: / { for (i = 2; i <= NF; i++) print $i }'
}
rss_key() { ethtool -x "$IF" | awk '/^RSS hash key:/ { getline; print; exit }'; }
n=$(rss_table | wc -l)
expect "the indirection table has 128 or more entries ($n)" "$n" -ge 128
q0=$(rss_table | grep -cx 0)
q1=$(rss_table | grep -cx 1)
expect "the default table spreads over both queues ($q0 to 0, $q1 to 1)" $((q0 > 0 && q1 > 0)) -eq 1
key=$(rss_key)
klen=$(echo "$key" | tr ':' '\n' | grep -c .)
expect "the hash key has 40 bytes ($klen)" "$klen" -eq 40
check "the hash function is toeplitz" sh -c "ethtool -x $IF | grep -q '^ *toeplitz: on'"

# rx Q: packets received on queue Q (ppvnet rxQ_packets, virtio_net
# rx_queue_Q_packets)
rxq() {
	ethtool -S "$IF" | awk -v a="rx$1_packets:" -v b="rx_queue_$1_packets:" \
		'$1 == a || $1 == b { print $2; exit }'
}
# steer NAME: 64 UDP flows host->guest, 4 paced datagrams each (not TCP
# under load: with rss=on QEMU 7.2 stalls a tap queue whose packet it could
# not place on a full queue, and iperf3 -R crawls at 0.4 Mbit/s for
# virtio_net and ppvnet alike); sets d0 and d1, the packets queues 0 and 1
# received meanwhile
steer() {
	local a0 a1 r
	a0=$(rxq 0) a1=$(rxq 1)
	r=$(host udpflows 64 4)
	[ "$r" = ok ] || diag "$1: udpflows: $r"
	sleep 0.5
	d0=$(($(rxq 0) - a0)) d1=$(($(rxq 1) - a1))
	diag "$1: queue 0 received $d0 packets, queue 1 $d1"
}
# only_on Q NAME: queue Q got the flows, the other one almost nothing (a
# frame the device cannot hash, ARP say, goes to queue 0)
only_on() {
	local got=$d0 other=$d1
	[ "$1" = 1 ] && got=$d1 other=$d0
	expect "$2: queue $1 received the 256 datagrams ($got packets)" "$got" -ge 256
	expect "$2: the other queue at most 3 frames ($other)" "$other" -le 3
}
# all_to Q: the whole table to queue Q, and the flows must follow
all_to() {
	local w="1 0"
	[ "$1" = 1 ] && w="0 1"
	# shellcheck disable=SC2086
	if ethtool -X "$IF" weight $w 2>/tmp/rss.err; then
		ok "ethtool -X weight $w"
		steer "table all $1"
		only_on "$1" "table all $1"
	else
		notok "ethtool -X weight $w" "$(cat /tmp/rss.err)"
	fi
}
all_to 0
all_to 1
q0=$(rss_table | grep -cx 0)
expect "ethtool -x shows no entry for queue 0 ($q0)" "$q0" -eq 0
# the table is the driver's now: a down/up gives it back to the device
ip link set "$IF" down
net_up
q0=$(rss_table | grep -cx 0)
expect "after down/up ethtool -x still shows no entry for queue 0 ($q0)" "$q0" -eq 0
steer "table all 1, after down/up"
only_on 1 "after down/up"
if ethtool -L "$IF" combined 1 2>/dev/null; then
	notok "ethtool -L combined 1 refused while the table uses queue 1" "accepted"
	ethtool -L "$IF" combined 2
else
	ok "ethtool -L combined 1 refused while the table uses queue 1"
fi
check "ethtool -X equal 2" ethtool -X "$IF" equal 2
steer "table equal 2"
# 64 flows: all on one queue has odds 2^-63; 1/4 of them or fewer on one,
# about 3 in 10^5
expect "table equal 2: queue 0 received flows ($d0 packets)" "$d0" -ge 64
expect "table equal 2: queue 1 received flows ($d1 packets)" "$d1" -ge 64

# a new key reads back, and traffic still flows with it
new=$(echo "$key" | awk -F: '{ for (i = 1; i <= NF; i++) printf "%s%02x", (i > 1 ? ":" : ""), (i * 7 + 3) % 256 }')
check "ethtool -X hkey (40 new bytes)" ethtool -X "$IF" hkey "$new"
got=$(rss_key)
if [ "$got" = "$new" ]; then ok "ethtool -x shows the new key"; else notok "ethtool -x shows the new key" "got $got"; fi
check "ping with the new key" ping -q -c 3 -i 0.1 -W 2 "$HOST_IP"
if ethtool -X "$IF" hfunc xor 2>/dev/null; then
	notok "ethtool -X hfunc xor refused (the device hashes with Toeplitz)" "accepted"
else
	ok "ethtool -X hfunc xor refused (the device hashes with Toeplitz)"
fi

# back to the default table: ethtool -L 1 works again, and -L 2 spreads
check "ethtool -X default" ethtool -X "$IF" default
check "ethtool -L combined 1 with the default table" ethtool -L "$IF" combined 1
n=$(rss_table | sort -u | tr '\n' ' ')
if [ "$DRIVER" = ppvnet ]; then
	expect "with 1 pair the table names queue 0 only ($n)" "$n" = "0 "
else
	# virtio_net (6.1) sends VQ_PAIRS_SET for -L, which turns RSS off in
	# QEMU, and leaves its table as it was
	diag "virtio_net's table with 1 pair names queues $n"
fi
check "ethtool -L combined 2" ethtool -L "$IF" combined 2
q1=$(rss_table | grep -cx 1)
expect "with 2 pairs the default table names queue 1 again ($q1 entries)" "$q1" -gt 0
steer "default table, 2 pairs"
expect "default table: queue 0 received flows ($d0 packets)" "$d0" -ge 64
expect "default table: queue 1 received flows ($d1 packets)" "$d1" -ge 64

# ppvnet's fault points (debug kernel): an RSS command whose buffer or
# mapping fails fails ethtool -X with a dmesg line, and the table stays
if [ "$DRIVER" = ppvnet ] && [ -d "$FI/fail_ctrl" ]; then
	k=1 runs=0 bad=
	while [ $k -le 4 ]; do
		dmesg_mark
		fi_arm fail_ctrl $k
		ethtool -X "$IF" weight 0 1 2>/dev/null; rc=$?
		hit=0; fi_hit fail_ctrl && hit=1
		fi_off fail_ctrl
		[ $hit = 0 ] && break
		runs=$((runs + 1))
		[ $rc != 0 ] || bad="$bad k=$k:accepted"
		[ "$(rss_table | grep -cx 0)" -gt 0 ] || bad="$bad k=$k:table-changed"
		dmesg_new | grep -q "control command rss" || bad="$bad k=$k:no-dmesg-line"
		ethtool -X "$IF" weight 0 1 || bad="$bad k=$k:next-try-failed"
		ethtool -X "$IF" default
		k=$((k + 1))
	done
	if [ -z "$bad" ] && [ $runs -gt 0 ]; then ok "fail_ctrl failed ethtool -X at each of its $runs sites; the table stayed; the next try works"; else notok "fail_ctrl walk of ethtool -X ($runs sites)" "$bad"; fi
fi
ethtool -X "$IF" default
check "ping after the RSS changes" ping -q -c 3 -i 0.1 -W 2 "$HOST_IP"
