# PPV_UPDOWN (default 200) cycles of ip link set down / up while iperf3 runs
# both ways: every up brings the device up from scratch (rings, pools,
# IRQs), every down frees it all, with packets in flight.
n=${PPV_UPDOWN:-200}
net_up
load_start
failed=0 i=0 why=
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	ip link set "$IF" down || { why="down $i failed"; failed=1; break; }
	ip link set "$IF" up || { why="up $i failed"; failed=1; break; }
	wait_carrier 1 || { why="no carrier after up $i"; failed=1; break; }
	sleep 0.1
	# progress after every 5 events, not only over the series: a datapath
	# that stalled at the first event and came back later would pass that
	if [ $((i % 5)) = 0 ]; then
		w=$(load_progress) || { why="no traffic after down/up $i: $w"; failed=1; break; }
	fi
done
load_check "$n down/up cycles"
load_resumed "$n down/up cycles"
load_stop
if [ $failed = 0 ]; then ok "$n down/up cycles during iperf3 both ways"; else notok "$n down/up cycles during iperf3 both ways" "$why"; fi
# addresses survive down/up; routes may not
net_up
check "ping after the down/up cycles" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
