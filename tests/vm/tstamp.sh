# Software TX timestamps (SO_TIMESTAMPING with SOF_TIMESTAMPING_TX_SOFTWARE,
# what chrony and any timestamping user asks for): the copy of the packet
# that comes back on the socket's error queue must start with the Ethernet
# header. A driver that timestamps after pushing the virtio-net header in
# front of the frame hands back 12 or 20 header bytes first
# (tests/progs/ppv-tstamp.c checks ethertype, IPv4 header and payload).
# Any driver.
net_up
for i in 1 2 3; do
	check "SO_TIMESTAMPING $i: the timestamped packet starts with the Ethernet header" \
		ppv-tstamp "$HOST_IP" 9
	diag "$(cat /tmp/check.out)"
done
