# A small guest (boot with --mem 160) and a memory hog filling tmpfs until
# little is free: GFP_ATOMIC page allocations fail for real. Traffic must
# survive, and once the hog is gone everything works and nothing leaked.
net_up
mkdir -p /tmp/hog && mount -t tmpfs -o size=90% tmpfs /tmp/hog
free_kb() { awk '/^MemFree:/ { print $2 }' /proc/meminfo; }
f0=$(ethtool -S "$IF" | awk '/rx0_refill_fail:/ { print $2 }')
# leave ~3 MB free: kernel reserves (min_free_kbytes) take the rest
k=0
while [ "$(free_kb)" -gt 3072 ] && [ $k -lt 4096 ]; do
	dd if=/dev/zero of=/tmp/hog/f$k bs=64k count=16 2>/dev/null || break
	k=$((k + 1))
done
diag "hog holds $((k))M, MemFree $(free_kb) kB"
v=$(iperf_mbps -t 3 -R)
diag "TCP host->guest under memory pressure: $v Mbit/s"
f1=$(ethtool -S "$IF" | awk '/rx0_refill_fail:/ { print $2 }')
diag "rx0_refill_fail $f0 -> $f1"
rm -rf /tmp/hog/*; umount /tmp/hog
check "ping after the hog is gone" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
v2=$(iperf_mbps -t 2 -R)
expect "iperf3 host->guest after the hog ($v2 Mbit/s)" "$(echo "$v2" | awk '{ print ($1 > 0) }')" -eq 1
