# Hash report (the phase boots QEMU with hash=on, alone or with rss=on):
# the device's Toeplitz hash reaches each skb, ethtool -n/-N rx-flow-hash
# shows and changes what it hashes, ethtool -K rxhash switches it off.
# The skb's hash is read where GRO takes the packet (the trace event
# net:napi_gro_receive_entry prints hash and l4_hash), and checked against
# the Toeplitz hash computed here from the key ethtool -x shows: the
# addresses of an ICMP reply. Runs under virtio_net too: the test holds the
# device, not only ppvnet, to the spec. Every guest kernel here has the
# trace event (the debug kernel since qemu-setup/debug.config turned trace
# events on): a kernel without it fails the hash checks.
[ -n "$IF" ] || { notok "hash: no interface"; return; }

TR=/sys/kernel/tracing
[ -d $TR/events ] || mount -t tracefs none $TR 2>/dev/null
EV=$TR/events/net/napi_gro_receive_entry
tracing=0
[ -d $EV ] && tracing=1

if [ "$DRIVER" = ppvnet ]; then
	check "hash: ethtool -k shows receive-hashing on (the default)" \
		sh -c "ethtool -k $IF | grep -qx 'receive-hashing: on'"
elif ! ethtool -k "$IF" | grep -qx 'receive-hashing: on'; then
	# virtio_net offers rxhash off by default (hw_features only)
	diag "hash: $DRIVER starts with receive-hashing off: ethtool -K rxhash on"
	check "hash: ethtool -K rxhash on" ethtool -K "$IF" rxhash on
fi
key=$(ethtool -x "$IF" | awk '/^RSS hash key:/ { getline; print; exit }')
expect "hash: ethtool -x shows a 40-byte key" \
	"$(echo "$key" | tr ':' '\n' | grep -c '^[0-9a-f][0-9a-f]$')" -eq 40

# flow_hash FLOW: ethtool -n's fields for FLOW, as "sd" or "sdfn"
flow_hash() {
	ethtool -n "$IF" rx-flow-hash "$1" | awk '
		/IP SA/ { s = s "s" } /IP DA/ { s = s "d" }
		/L4 bytes 0 & 1/ { s = s "f" } /L4 bytes 2 & 3/ { s = s "n" }
		END { print s }'
}
for f in tcp4 udp4 tcp6 udp6; do
	expect "hash: ethtool -n rx-flow-hash $f hashes addresses and ports" "$(flow_hash $f)" = sdfn
done

# toeplitz KEY A.B.C.D E.F.G.H: the 32-bit hash of two IPv4 addresses
# (source, then destination: virtio 1.x 5.1.6.4.3.1), in hex. busybox awk:
# no "^", no hex input, printf %x only up to 2^31. Checked against the
# Microsoft RSS verification vectors (66.9.149.187 -> 161.142.100.80:
# 0x323e8fc2; 199.92.111.2 -> 65.69.140.83: 0xd718262a).
toeplitz() {
	echo "$1 $2 $3" | awk '
	# append the 8 bits of byte n to out[], MSB first
	function byte(n,    i, p) {
		p = 128
		for (i = 0; i < 8; i++) { out[nb++] = int(n / p) % 2; p = p / 2 }
	}
	function hex(s) {
		return (index("0123456789abcdef", substr(s, 1, 1)) - 1) * 16 + \
		       index("0123456789abcdef", substr(s, 2, 1)) - 1
	}
	{
		nb = 0
		split($1, k, ":")
		for (i = 1; i <= 40; i++) byte(hex(k[i]))
		for (i = 0; i < nb; i++) key[i] = out[i]
		nb = 0
		split($2 "." $3, a, ".")
		for (i = 1; i <= 8; i++) byte(a[i] + 0)
		h = 0
		w = 0
		for (i = 0; i < 32; i++) w = w * 2 + key[i]
		for (i = 0; i < nb; i++) {
			if (out[i]) h = xor(h, w)
			w = (w * 2) % 4294967296 + key[i + 32]
		}
		printf "0x%04x%04x\n", int(h / 65536), h % 65536
	}'
}

# gro_trace CMD...: the IPv4 packets GRO took on $IF while CMD ran, as
# "hash l4_hash" lines
gro_trace() {
	echo 0 >$TR/tracing_on
	: >$TR/trace
	echo "name == \"$IF\"" >$EV/filter
	echo 1 >$EV/enable
	echo 1 >$TR/tracing_on
	"$@" >/dev/null 2>&1
	echo 0 >$TR/tracing_on
	echo 0 >$EV/enable
	sed -n 's/.*protocol=0x0800 .* hash=\(0x[0-9a-f]*\) l4_hash=\([01]\).*/\1 \2/p' $TR/trace
}
# all_are NAME FILE LINE MIN: at least MIN packets in FILE, each "LINE"
all_are() {
	local n k
	n=$(wc -l <"$2")
	k=$(grep -cx "$3" "$2")
	if [ "$n" -ge "$4" ] && [ "$k" = "$n" ]; then
		ok "$1: all $n packets ($3)"
	else
		notok "$1" "$n packets: $(sort "$2" | uniq -c | head -n 5 | tr '\n' ' ')"
	fi
}
ping_host() { ping -q -c 4 -i 0.1 -W 2 "$HOST_IP"; }
# 48 KB of TCP host->guest, about 35 segments: fewer than an RX ring
# holds, so QEMU 7.2's rss=on stall (rss.sh), which needs a queue without
# buffers, cannot start (a second of iperf3 -R started it: CI saw 203
# packets, then none, also on the next transfer); the checks want 8
# packets (25 to 30 arrive: the host may merge segments), not a rate
tcp_in() { timeout 20 iperf3 -c "$HOST_IP" -p 5202 -R -n 48K; }

if [ $tracing = 1 ]; then
	want=$(toeplitz "$key" "$HOST_IP" "$GUEST_IP")
	gro_trace ping_host >/tmp/hash.icmp
	all_are "hash: ICMP replies carry the Toeplitz hash of their addresses as an L3 hash" \
		/tmp/hash.icmp "$want 0" 4
	gro_trace tcp_in >/tmp/hash.tcp
	n=$(wc -l </tmp/hash.tcp)
	l4=$(grep -c " 1$" /tmp/hash.tcp)
	same=$(grep -c "^$want " /tmp/hash.tcp)
	if [ "$n" -ge 8 ] && [ "$l4" = "$n" ] && [ "$same" = 0 ]; then
		ok "hash: $n TCP packets carry L4 hashes (ports hashed: none equals the addresses' $want)"
	else
		notok "hash: TCP packets carry L4 hashes" "$n packets, $l4 L4, $same with the address hash"
	fi
else
	# every guest kernel here has trace events (the debug kernel too:
	# qemu-setup/debug.config), so a missing tracer is a setup defect
	notok "hash: the skb's hash" "no tracer in this kernel (net:napi_gro_receive_entry)"
fi

# rx-flow-hash tcp4 sd: TCP hashed by its addresses only
if check "hash: ethtool -N rx-flow-hash tcp4 sd" ethtool -N "$IF" rx-flow-hash tcp4 sd; then
	expect "hash: ethtool -n shows tcp4 hashed by addresses" "$(flow_hash tcp4)" = sd
	expect "hash: udp4 keeps its ports" "$(flow_hash udp4)" = sdfn
	if [ $tracing = 1 ]; then
		gro_trace tcp_in >/tmp/hash.tcp
		all_are "hash: after -N tcp4 sd, TCP packets carry the addresses' hash as L3" \
			/tmp/hash.tcp "$want 0" 8
	fi
fi
check "hash: ethtool -N rx-flow-hash tcp4 sdfn" ethtool -N "$IF" rx-flow-hash tcp4 sdfn
expect "hash: tcp4 hashes its ports again" "$(flow_hash tcp4)" = sdfn
# refused: ethtool 6.1 prints the error but exits 0
refused() { ! out=$(ethtool "$@" 2>&1) || echo "$out" | grep -q "^Cannot"; }
# what the device cannot be told: one address without the other
if refused -N "$IF" rx-flow-hash tcp4 s; then
	ok "hash: ethtool -N rx-flow-hash tcp4 s (source address only) refused"
else
	notok "hash: ethtool -N rx-flow-hash tcp4 s (source address only) refused"
fi
expect "hash: tcp4 unchanged after the refused change" "$(flow_hash tcp4)" = sdfn

# ethtool -K rxhash off: no hash in the skb
if check "hash: ethtool -K rxhash off" ethtool -K "$IF" rxhash off && [ $tracing = 1 ]; then
	gro_trace ping_host >/tmp/hash.icmp
	all_are "hash: with rxhash off, ICMP replies carry no hash" /tmp/hash.icmp "0x00000000 0" 4
fi
check "hash: ethtool -K rxhash on" ethtool -K "$IF" rxhash on

# the changes under load both ways: no stall, no kernel complaint (not
# with rss=on, PPV_HASH_LOAD=0: there QEMU 7.2 stalls TCP receive, see
# rss.sh)
if [ "${PPV_HASH_LOAD:-1}" = 1 ]; then
	load_start
	i=0
	while [ $i -lt 10 ]; do
		ethtool -N "$IF" rx-flow-hash tcp4 sd
		ethtool -N "$IF" rx-flow-hash udp6 sd
		ethtool -K "$IF" rxhash off
		ethtool -N "$IF" rx-flow-hash tcp4 sdfn
		ethtool -N "$IF" rx-flow-hash udp6 sdfn
		ethtool -K "$IF" rxhash on
		i=$((i + 1))
	done
	load_check "hash: 10 rounds of rx-flow-hash and rxhash changes under load"
	load_stop
else
	ethtool -N "$IF" rx-flow-hash tcp4 sd && ethtool -N "$IF" rx-flow-hash tcp4 sdfn
fi
expect "hash: the hash types back as they were" "$(flow_hash tcp4)$(flow_hash udp6)" = sdfnsdfn

# ppvnet's fault points (debug kernel): a hash command whose buffer or
# mapping fails fails ethtool -N with a dmesg line, and nothing changes
if [ "$DRIVER" = ppvnet ] && [ -d "$FI/fail_ctrl" ]; then
	k=1 runs=0 bad=
	while [ $k -le 4 ]; do
		dmesg_mark
		fi_arm fail_ctrl $k
		rc=0; refused -N "$IF" rx-flow-hash tcp4 sd || rc=1
		hit=0; fi_hit fail_ctrl && hit=1
		fi_off fail_ctrl
		[ $hit = 0 ] && break
		runs=$((runs + 1))
		[ $rc = 0 ] || bad="$bad k=$k:accepted"
		[ "$(flow_hash tcp4)" = sdfn ] || bad="$bad k=$k:changed"
		dmesg_new | grep -Eq "control command (rss|hash)" || bad="$bad k=$k:no-dmesg-line"
		ethtool -N "$IF" rx-flow-hash tcp4 sd || bad="$bad k=$k:next-try-failed"
		ethtool -N "$IF" rx-flow-hash tcp4 sdfn
		k=$((k + 1))
	done
	if [ -z "$bad" ] && [ $runs -gt 0 ]; then ok "hash: fail_ctrl failed ethtool -N at each of its $runs sites; nothing changed; the next try works"; else notok "hash: fail_ctrl walk of ethtool -N ($runs sites)" "$bad"; fi
fi
check "hash: ping after the hash changes" ping -q -c 3 -i 0.1 -W 2 "$HOST_IP"
