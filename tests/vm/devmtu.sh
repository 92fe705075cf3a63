# VIRTIO_NET_F_MTU (QEMU host_mtu=9000, vm.py --host-mtu 9000, which also
# sets the host's tap to 9000): the device's MTU is the netdev's MTU from
# the start and its max_mtu; above it is refused; 8900-byte pings pass as
# single frames both ways.
want=${PPV_DEV_MTU:-9000}
net_up
mtu=$(cat /sys/class/net/"$IF"/mtu)
expect "MTU is the device's from the start ($mtu)" "$mtu" -eq "$want"
check "MTU $((want + 1)) above the device's is refused" sh -c "! ip link set $IF mtu $((want + 1)) 2>/dev/null"
check "MTU $((want - 1000)) accepted" ip link set "$IF" mtu $((want - 1000))
check "MTU $want again" ip link set "$IF" mtu "$want"
wait_carrier 1
ping -q -c 1 -W 2 "$HOST_IP" >/dev/null 2>&1	# ARP
p0=$(ip_stat rx packets)
check "ping -s $((want - 100)) at MTU $want" ping -q -c 5 -i 0.2 -s $((want - 100)) -W 2 "$HOST_IP"
p1=$(ip_stat rx packets)
expect "... as single frames ($((p1 - p0)) packets)" $((p1 - p0)) -le 7
