# Small receive buffers (no mergeable buffers, no guest GSO): a page splits
# into PAGE_SIZE / size buffers, and each must say it takes its whole
# share of the page (its truesize, what the socket is charged): 1,984
# bytes of frame room at MTU 1500 take a 2,048-byte half page. Read from
# the debugfs ring view for several MTUs. ppvnet only.
[ "$DRIVER" = ppvnet ] || { skip "small buffers' truesize" "ppvnet only"; return 0 2>/dev/null || exit 0; }
[ -d /sys/kernel/debug/ppvnet ] || mount -t debugfs none /sys/kernel/debug
R=/sys/kernel/debug/ppvnet/$PCI/rings
net_up
pg=$(getconf PAGESIZE 2>/dev/null || echo 4096)
for mtu in 1500 1000 576 1200 1500; do
	ip link set "$IF" mtu $mtu
	line=$(grep -m1 'rx0 .* buffers, truesize' "$R")
	set -- $line
	mode=$2 ts=$5
	ts=${ts%,}
	if [ "$mode" != small ]; then
		skip "MTU $mtu: small buffers' truesize" "rx0 has $mode buffers here"
		continue
	fi
	n=$((pg / ts))
	expect "MTU $mtu: $n small buffers a page, $ts bytes each, leave under 64 bytes of it unaccounted ($((pg - n * ts)))" \
		$((pg - n * ts)) -lt 64
done
ip link set "$IF" mtu 1500
check "ping after the MTU changes" ping -q -c 3 -i 0.1 -W 2 "$HOST_IP"
