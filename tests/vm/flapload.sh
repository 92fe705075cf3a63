# PPV_FLAPS (default 1000) link flaps through the QEMU monitor while iperf3
# runs both ways: the carrier follows every flap, and afterwards the link
# passes traffic with nothing lost.
n=${PPV_FLAPS:-1000}
net_up
load_start
failed=0 i=0 why=
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	r=$(host link down)
	wait_carrier 0 || { why="flap $i: carrier still up after link down ($r)"; failed=1; break; }
	r=$(host link up)
	wait_carrier 1 || { why="flap $i: carrier still down after link up ($r)"; failed=1; break; }
done
load_check "$n link flaps"
load_resumed "$n link flaps"
load_stop
if [ $failed = 0 ]; then ok "carrier followed $n link flaps during iperf3 both ways"; else notok "carrier followed $n link flaps during iperf3 both ways" "$why"; fi
check "ping after the flaps" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
# floor (guest->host): see iperf_tcp.sh
v=$(iperf_mbps -t 2)
expect_mbps "iperf3 guest->host after the flaps" "$v" "$(min_mbps 100 4)"
