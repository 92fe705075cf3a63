# A small guest (boot with --mem 160) and a memory hog: a process holding
# all memory down to a margin above the min watermark (the OOM killer's
# victim if it comes to that). Two rounds, each with a fresh
# hog: TCP both ways under that pressure; then RX pages held in a socket
# nobody reads, so that GFP_ATOMIC page allocations fail for real. Traffic
# must survive, and once the hog is gone everything works and nothing leaked
# (the unload test after this one checks pages and slabs).
net_up
free_kb() { awk '/^MemFree:/ { print $2 }' /proc/meminfo; }
hog_state() { kill -0 "$hog" 2>/dev/null && echo alive || echo "killed by the OOM killer"; }
# hog_start MARGIN_KB: awk takes 256 KiB strings until MemFree is down to
# the min watermark plus MARGIN_KB, then holds them, blocked on reading a
# FIFO that this shell keeps open and never writes: waiting without forking
# (a fork a second at the watermark woke the OOM killer); sets $hog
rm -f /tmp/hog.in
mkfifo /tmp/hog.in
exec 7<>/tmp/hog.in
hog_start() {	# MARGIN_KB [OOM_SCORE_ADJ]
	local floor=$(($(cat /proc/sys/vm/min_free_kbytes) + $1))
	rm -f /tmp/hog.mb
	awk -v floor="$floor" 'function mfree(  l, v) {
			while ((getline l < "/proc/meminfo") > 0)
				if (l ~ /^MemFree:/) { split(l, a, " "); v = a[2] }
			close("/proc/meminfo"); return v }
		BEGIN { while (mfree() > floor) s[n++] = sprintf("%262144s", "")
			print n / 4 > "/tmp/hog.mb"; close("/tmp/hog.mb")
			getline x < "/tmp/hog.in" }' &
	hog=$!
	# the hog, not the test, is what the OOM killer takes (unless told)
	echo "${2:-1000}" >/proc/$hog/oom_score_adj
	local i=0
	while [ ! -s /tmp/hog.mb ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	diag "hog holds $(cat /tmp/hog.mb 2>/dev/null) MB, MemFree $(free_kb) kB (floor $floor kB)"
}
hog_stop() { kill "$hog" 2>/dev/null; wait "$hog" 2>/dev/null; }

# 1. TCP both ways next to the hog. page_pool recycles RX pages as fast as
# they come back, so allocations rarely fail here; this is about surviving
# the pressure (and the OOM kill that often ends it).
f0=$(ethtool_stat rx0_refill_fail)
hog_start "${PPV_LOWMEM_MARGIN_KB:-1024}"
v=$(iperf_mbps -t 3 -R)
v2=$(iperf_mbps -t 3)
f1=$(ethtool_stat rx0_refill_fail)
diag "TCP under memory pressure: host->guest $v, guest->host $v2 Mbit/s; rx0_refill_fail $f0 -> $f1; hog $(hog_state)"
hog_stop
expect "iperf3 both ways ran under memory pressure ($v / $v2 Mbit/s)" "$(echo "$v $v2" | awk '{ print ($1 > 0 && $2 > 0) }')" -eq 1

# 2. UDP from the host into a socket whose reader is stopped: the pages it
# holds cannot be recycled, each refill takes a fresh page from what the
# hog left, and GFP_ATOMIC allocations fail for real once free memory
# reaches the atomic reserve. udp_mem (pages) would otherwise cap all UDP
# sockets at a few MB. The hog leaves 8 MB: with 1 MB, the shell's own
# forks while it grows can wake the OOM killer before the socket fills.
# The OOM killer must not end this before an allocation fails. Any process
# allocation under the min watermark wakes it, and the window between the
# min watermark and the atomic reserve (about 600 KB here) lasts
# milliseconds while the socket fills; with the hog as its victim it took
# all the pressure away in about half the runs. So four 2 MB decoys
# (oom_score_adj 1000) are its first victims: each kill gives back 2 MB,
# which the socket (32 MB: 16 MB rcvbuf, doubled, against an 8 MB margin
# and 8 MB of decoys) eats again; the reader comes next (0), the hog last
# (-999, not -1000: with nothing left to kill the kernel panics, "System
# is deadlocked on memory", which it did once the socket's pages outlived
# its killed reader). Up to 3 attempts, all reported.
sysctl -qw net.core.rmem_max=16777216 net.core.rmem_default=16777216
sysctl -qw net.ipv4.udp_mem="65536 131072 262144"
decoys=
decoy_start() {
	local i
	for i in 1 2 3 4; do
		awk 'BEGIN { for (i = 0; i < 8; i++) s[i] = sprintf("%262144s", "")
			getline x < "/tmp/hog.in" }' &
		echo 1000 >/proc/$!/oom_score_adj
		decoys="$decoys $!"
	done
}
decoy_stop() {
	# shellcheck disable=SC2086
	kill $decoys 2>/dev/null
	for d in $decoys; do wait "$d" 2>/dev/null; done
	decoys=
}
decoys_left() {
	local n=0 d
	for d in $decoys; do kill -0 "$d" 2>/dev/null && n=$((n + 1)); done
	echo $n
}
f2=$(ethtool_stat rx0_refill_fail); k2=$(ethtool_stat rx0_skb_fail)
f3=$f2 k3=$k2 try=0
while [ $((f3 - f2 + k3 - k2)) = 0 ] && [ $try -lt 3 ]; do
	try=$((try + 1))
	decoy_start
	sleep 0.5
	hog_start 8192 -999
	iperf3 -c "$HOST_IP" -p 5202 -u -R -b 0 -l 1400 -t 8 >/tmp/iperf.hold 2>&1 &
	holder=$!
	sleep 1
	# forked before the socket fills, then waited for with a builtin: a
	# fork at the watermark could wake the OOM killer early
	sleep 4 &
	sleeper=$!
	kill -STOP $holder
	wait $sleeper
	# state first: reading the counters needs a fork, which may fail now
	st="MemFree $(free_kb) kB, hog $(hog_state), decoys left $(decoys_left) of 4"
	kill -CONT $holder 2>/dev/null
	kill $holder 2>/dev/null; wait $holder 2>/dev/null
	hog_stop
	decoy_stop
	f3=$(ethtool_stat rx0_refill_fail); k3=$(ethtool_stat rx0_skb_fail)
	diag "attempt $try, socket holding RX pages: $st; rx0_refill_fail $f2 -> $f3, rx0_skb_fail $k2 -> $k3"
done
sysctl -qw net.core.rmem_max=212992 net.core.rmem_default=212992
# Which allocation fails first varies: usually the skb heads (slab pages
# for skbuff_head_cache), sometimes the pool's pages. Either is a real
# GFP_ATOMIC failure in ppvnet's RX path, counted and survived.
n=$((f3 - f2 + k3 - k2))
expect "GFP_ATOMIC allocations in RX failed for real: $((f3 - f2)) pages, $((k3 - k2)) skbs (attempt $try of 3)" "$n" -gt 0
expect "... at the first attempt" "$try" -eq 1

check "ping after the hog is gone" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
v3=$(iperf_mbps -t 2 -R)
expect "iperf3 host->guest after the hog ($v3 Mbit/s)" "$(echo "$v3" | awk '{ print ($1 > 0) }')" -eq 1
v4=$(iperf_mbps -t 2)
expect "iperf3 guest->host after the hog ($v4 Mbit/s)" "$(echo "$v4" | awk '{ print ($1 > 0) }')" -eq 1
