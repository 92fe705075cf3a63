# A small guest (boot with --mem 160) and a memory hog: a process holding
# all but about PPV_LOWMEM_MARGIN_KB (1024) above the min watermark, so
# GFP_ATOMIC page allocations fail for real (the hog is the OOM killer's
# victim if it comes to that). Traffic must survive, and once the hog is
# gone everything works and nothing leaked.
net_up
free_kb() { awk '/^MemFree:/ { print $2 }' /proc/meminfo; }
stat() { ethtool -S "$IF" | awk -v k="$1:" '$1 == k { print $2 }'; }
f0=$(stat rx0_refill_fail); w0=$(stat rx0_refill_work)
floor=$(($(cat /proc/sys/vm/min_free_kbytes) + ${PPV_LOWMEM_MARGIN_KB:-1024}))
# awk takes 256 KiB strings until MemFree reaches the floor, then holds them
awk -v floor="$floor" 'function mfree(  l, v) {
		while ((getline l < "/proc/meminfo") > 0)
			if (l ~ /^MemFree:/) { split(l, a, " "); v = a[2] }
		close("/proc/meminfo"); return v }
	BEGIN { while (mfree() > floor) s[n++] = sprintf("%262144s", "")
		print n / 4 > "/tmp/hog.mb"; close("/tmp/hog.mb")
		while (1) system("sleep 1") }' &
hog=$!
i=0; while [ ! -s /tmp/hog.mb ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
diag "hog holds $(cat /tmp/hog.mb 2>/dev/null) MB, MemFree $(free_kb) kB (floor $floor kB)"
v=$(iperf_mbps -t 3 -R)
diag "TCP host->guest under memory pressure: $v Mbit/s"
v2=$(iperf_mbps -t 3)
diag "TCP guest->host under memory pressure: $v2 Mbit/s"
f1=$(stat rx0_refill_fail); w1=$(stat rx0_refill_work)
diag "rx0_refill_fail $f0 -> $f1, rx0_refill_work $w0 -> $w1, hog $(kill -0 $hog 2>/dev/null && echo alive || echo killed)"
kill $hog 2>/dev/null; wait $hog 2>/dev/null
expect "iperf3 both ways ran under memory pressure ($v / $v2 Mbit/s)" "$(echo "$v $v2" | awk '{ print ($1 > 0 && $2 > 0) }')" -eq 1
check "ping after the hog is gone" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
v3=$(iperf_mbps -t 2 -R)
expect "iperf3 host->guest after the hog ($v3 Mbit/s)" "$(echo "$v3" | awk '{ print ($1 > 0) }')" -eq 1
