# rmmod while iperf3 runs both ways: the driver goes away cleanly with
# packets in flight, and comes back working.
net_up
iperf3 -c "$HOST_IP" -p 5201 -t 3600 >/tmp/iperf-a.out 2>&1 & pa=$!
iperf3 -c "$HOST_IP" -p 5202 -t 3600 -R >/tmp/iperf-b.out 2>&1 & pb=$!
sleep 3
check "rmmod $DRIVER during iperf3 both ways" driver_unload
kill $pa $pb 2>/dev/null; wait $pa $pb 2>/dev/null
check "load $DRIVER again" driver_load
check "carrier after reload" net_up
check "ping after reload" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
