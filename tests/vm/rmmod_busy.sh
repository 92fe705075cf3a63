# rmmod while iperf3 runs both ways: the driver goes away cleanly with
# packets in flight, and comes back working.
net_up
load_start
sleep 2
load_check "before rmmod"
check "rmmod $DRIVER during iperf3 both ways" driver_unload
load_stop
check "load $DRIVER again" driver_load
check "carrier after reload" net_up
check "ping after reload" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
