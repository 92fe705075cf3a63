# PPV_MTU_CHANGES (default 20) MTU changes, 1400 and 1500 in turn, while
# iperf3 runs both ways: on ppvnet each one rebuilds rings and buffers with
# packets in flight and the qdisc live. (The review found a BQL BUG, a
# kernel panic, and DMA mappings left at rmmod exactly here; the unload
# test after this one checks what DMA-API debug says at unbind.)
n=${PPV_MTU_CHANGES:-20}
net_up
load_start
failed=0 i=0 why=
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	m=1500
	[ $((i % 2)) = 1 ] && m=1400
	ip link set "$IF" mtu $m || { why="change $i to $m failed"; failed=1; break; }
	wait_carrier 1 || { why="no carrier after change $i"; failed=1; break; }
	[ "$(cat "/sys/class/net/$IF/mtu")" = $m ] || { why="change $i: mtu is $(cat "/sys/class/net/$IF/mtu"), want $m"; failed=1; break; }
	sleep 0.3
	# progress after every 5 events, not only over the series: a datapath
	# that stalled at the first event and came back later would pass that
	if [ $((i % 5)) = 0 ]; then
		w=$(load_progress) || { why="no traffic after MTU change $i: $w"; failed=1; break; }
	fi
done
load_check "$n MTU changes"
load_resumed "$n MTU changes"
load_stop
if [ $failed = 0 ]; then ok "$n MTU changes (1400/1500) during iperf3 both ways"; else notok "$n MTU changes (1400/1500) during iperf3 both ways" "$why"; fi
ip link set "$IF" mtu 1500
wait_carrier 1
check "ping after the MTU changes" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
