# Data integrity with offloads: TCP transfers each way, over IPv4 and IPv6,
# checked by sha256 at both ends (the host's peer is vm.py's "xfer"
# service), so a checksum, TSO, GSO or mergeable-buffer bug that corrupts
# a byte fails here even where TCP's own checksum was left to the device.
# Then the offload counters: each offload the netdev shows on (ethtool -k)
# must have been used by these transfers, each one off must not have been
# (a driver that negotiates TSO but segments in software, or the reverse,
# fails). PPV_EXPECT_K="feature:on|off,..." (the phase's QEMU properties)
# pins ethtool -k values. Last, ethtool -K tso/tx/sg off and on while
# transfers run: every one of them must arrive intact.
#   PPV_XFER_MB (default 8; 2 on the debug kernel) per transfer
#   PPV_XFER_K_ROUNDS (default 3): put+get pairs while ethtool -K toggles
#   (0: no toggles; the feature-off phases, whose refused feature changes
#   nothing the toggles reach, leave them to the phases with every offload)
PORT=5901
MB=${PPV_XFER_MB:-$(debug_kernel && echo 2 || echo 8)}
KR=${PPV_XFER_K_ROUNDS:-3}
BYTES=$((MB * 1048576))
H6=2001:2::1	# RFC 5180 benchmarking prefix, IPv6's 198.18.0.0/15
G6=2001:2::2
net_up
r=$(host xfer start $PORT)
if [ "$r" = ok ]; then ok "host: xfer peer started"; else notok "host: xfer peer started" "$r"; fi
host sh "sysctl -qw net.ipv6.conf.ppvtap0.disable_ipv6=0 && ip -6 addr add $H6/64 dev ppvtap0 nodad" >/dev/null
sysctl -qw net.ipv6.conf."$IF".disable_ipv6=0 2>/dev/null
sysctl -qw net.ipv6.conf."$IF".accept_dad=0 2>/dev/null
ip -6 addr add $G6/64 dev "$IF" 2>/dev/null
check "IPv6 ping $H6" sh -c "for i in 1 2 3 4 5; do ping -q -c 1 -W 2 $H6 >/dev/null 2>&1 && exit 0; sleep 1; done; exit 1"
head -c $BYTES /dev/urandom >/tmp/xfer.in
SUM=$(sha256sum /tmp/xfer.in | cut -d' ' -f1)

# put ADDR ID: send /tmp/xfer.in; prints "ok" or why not
put() {
	{ echo "PUT $BYTES $2"; cat /tmp/xfer.in; } | timeout 120 nc "$1" $PORT >/dev/null 2>&1
	r=$(host xfer result $PORT $2)
	[ "$r" = "$SUM $BYTES" ] && echo ok || echo "host got: $r"
}
# get ADDR ID: receive BYTES; prints "ok" or why not
get() {
	s=$(echo "GET $BYTES seed$2 $2" | timeout 120 nc "$1" $PORT | sha256sum | cut -d' ' -f1)
	r=$(host xfer result $PORT $2)
	[ "$r" = "$s $BYTES" ] && echo ok || echo "guest got $s, host sent: $r"
}
xfer_check() {	# description result
	if [ "$2" = ok ]; then ok "$1"; else notok "$1" "$2"; fi
}
kval() { ethtool -k "$IF" | awk -v k="$1:" '$1 == k { print $2 }'; }

for f in $(echo "$PPV_EXPECT_K" | tr , ' '); do
	k=${f%%:*} v=${f##*:}
	expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "got '$2', want '$3'"; fi; }
	expect_eq "ethtool -k $k is $v" "$(kval "$k")" "$v"
done

# every pair's (with several pairs the flows spread)
t0=$(ethtool_qsum tx tso) c0=$(ethtool_qsum tx csum) g0=$(ethtool_qsum rx gso) r0=$(ethtool_qsum rx csum)
i0=$(ethtool_qsum tx indirect)
for a in "$HOST_IP" "$H6"; do
	v=IPv4; [ "$a" = "$H6" ] && v=IPv6
	xfer_check "$v: $MB MiB guest->host, sha256 equal" "$(put "$a" "$v-put")"
	xfer_check "$v: $MB MiB host->guest, sha256 equal" "$(get "$a" "$v-get")"
done
t1=$(ethtool_qsum tx tso) c1=$(ethtool_qsum tx csum) g1=$(ethtool_qsum rx gso) r1=$(ethtool_qsum rx csum)
i1=$(ethtool_qsum tx indirect)
diag "offloads used: tx tso +$((t1 - t0)) csum +$((c1 - c0)), rx gso +$((g1 - g0)) csum +$((r1 - r0))"
diag "ethtool -k: $(ethtool -k "$IF" | grep -E '^(tx-checksumming|scatter-gather|tcp-segmentation-offload|rx-checksumming|rx-gro-hw):' | tr -s ' \n' ' ')"
used() {	# description feature-on delta
	if [ "$2" = on ]; then
		expect "$1 used ($3)" "$3" -gt 0
	else
		expect "$1 not used ($3)" "$3" -eq 0
	fi
}
if [ "$DRIVER" = ppvnet ]; then
	used "TSO (tx tso)" "$(kval tcp-segmentation-offload)" $((t1 - t0))
	used "TX checksum offload (tx csum)" "$(kval tx-checksumming)" $((c1 - c0))
	used "guest TSO (rx gso)" "$(kval rx-gro-hw)" $((g1 - g0))
	# DATA_VALID needs no feature: QEMU's tap vouches for checksums
	# whenever it offers GUEST_CSUM, so rx csum is only checked when on
	[ "$(kval rx-checksumming)" = on ] &&
		expect "RX checksum offload (rx csum) used ($((r1 - r0)))" $((r1 - r0)) -gt 0
	# indirect tables exactly when negotiated (QEMU follows them either
	# way, so only the counter tells): VIRTIO_RING_F_INDIRECT_DESC, bit 28
	f=$(dmesg | sed -n 's/.*ppvnet .* features \(0x[0-9a-f]*\).*/\1/p' | tail -n 1)
	if [ -z "$f" ]; then
		notok "the probe's features line in dmesg" "none: INDIRECT_DESC unknown"
	elif [ $(( (f >> 28) & 1 )) = 1 ] && [ "$(kval scatter-gather)" = on ]; then
		expect "indirect tables used (tx indirect +$((i1 - i0)))" $((i1 - i0)) -gt 0
	elif [ $(( (f >> 28) & 1 )) = 1 ]; then
		# without SG every skb is linear: header in its headroom, one piece
		diag "INDIRECT_DESC without scatter-gather: one piece a packet, tx indirect +$((i1 - i0))"
	else
		expect "no indirect table without INDIRECT_DESC (tx indirect +$((i1 - i0)))" $((i1 - i0)) -eq 0
	fi
fi

# ethtool -K under traffic: transfers run back to back in the background
# while tso, tx checksumming and sg go off and on; each must arrive intact.
if [ "$KR" = 0 ]; then
	diag "ethtool -K toggles under transfers: not in this phase (PPV_XFER_K_ROUNDS=0)"
elif [ "$(kval tx-checksumming)" = on ]; then
	: >/tmp/xfer.bg
	# (tx-tcp-mangleid-segmentation is the stack's, and "tso on" sets it)
	ethtool -k "$IF" | grep -vi -e fixed -e mangleid >/tmp/xfer.k0
	(
		i=0
		while [ $i -lt $KR ]; do
			i=$((i + 1))
			put "$HOST_IP" "k$i-put" >>/tmp/xfer.bg
			get "$HOST_IP" "k$i-get" >>/tmp/xfer.bg
		done
	) &
	bg=$!
	n=0
	while kill -0 $bg 2>/dev/null; do
		for k in tso tx sg; do
			ethtool -K "$IF" $k off 2>/dev/null; sleep 0.2
			ethtool -K "$IF" $k on 2>/dev/null; sleep 0.2
			n=$((n + 1))
		done
	done
	wait $bg
	good=$(grep -c '^ok$' /tmp/xfer.bg)
	diag "ethtool -K: $n off/on toggles during $((2 * KR)) transfers; $(grep -v '^ok$' /tmp/xfer.bg | head -3)"
	expect "$((2 * KR)) transfers intact while tso/tx/sg toggled ($good)" "$good" -eq $((2 * KR))
	expect "... with toggles during them ($n)" "$n" -ge 3
	# "tx off" also takes sg and tso off, and "tx on" does not bring them
	# back (ethtool's dependencies): switch everything on, as it was
	ethtool -K "$IF" tx on sg on tso on 2>/dev/null
	ethtool -k "$IF" | grep -vi -e fixed -e mangleid >/tmp/xfer.k1
	d=$(diff /tmp/xfer.k0 /tmp/xfer.k1 | grep '^[-+][^-+]' | tr '\n' ' ')
	if [ -z "$d" ]; then ok "ethtool -k the same after the toggles"; else notok "ethtool -k the same after the toggles" "$d"; fi
	xfer_check "IPv4: transfer after the toggles" "$(put "$HOST_IP" last)"
else
	skip "ethtool -K tso/tx/sg under traffic" "the device offers no checksum offload (csum=off)"
fi
rm -f /tmp/xfer.in /tmp/xfer.bg /tmp/xfer.k0 /tmp/xfer.k1
ip -6 addr del $G6/64 dev "$IF" 2>/dev/null
host sh "ip -6 addr del $H6/64 dev ppvtap0; sysctl -qw net.ipv6.conf.ppvtap0.disable_ipv6=1" >/dev/null
