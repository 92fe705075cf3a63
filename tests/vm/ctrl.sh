# The control queue, seen from outside: the device's receive filter (QEMU
# starts promiscuous after every reset, so a driver that never sends the
# commands receives everything), a macvlan's address on the unicast list,
# the MAC address changed while up, VLAN filtering, run-time guest offloads
# (GRO_HW, receive checksums) and the announcement the device asks for
# (ARP and IPv6). Frames come from the host's tap (vm.py rawsend: ethertype 0x88b5,
# which nothing answers); the guest counts what it received. Runs
# unchanged on virtio_net.
net_up
MAC=$(cat "/sys/class/net/$IF/address")
FOREIGN=02:00:00:00:00:99
N=30
# rx_of DEV VID DSTMAC: frames DEV counted while the host sent N of them
rx_of() {
	local r0 r1 r
	r0=$(cat "/sys/class/net/$1/statistics/rx_packets")
	r=$(host rawsend "$2" $N "$3")
	[ "$r" = ok ] || diag "rawsend: $r"
	sleep 0.5
	r1=$(cat "/sys/class/net/$1/statistics/rx_packets")
	echo $((r1 - r0))
}
# got/none DESCRIPTION COUNT: all N frames arrived / none did (3 strays:
# ARP, IPv6 solicitations, MLD)
got() { expect "$1 ($2 of $N)" "$2" -ge $N; }
none() { expect "$1 ($2 of $N)" "$2" -le 3; }
flags() { cat "/sys/class/net/$IF/flags"; }
set_flag() {	# FLAG on|off through sysfs (dev_change_flags, as ip does)
	local f
	f=$(($(flags)))
	if [ "$2" = on ]; then f=$((f | $1)); else f=$((f & ~$1)); fi
	printf '0x%x' $f >"/sys/class/net/$IF/flags"
}
IFF_PROMISC=0x100
IFF_ALLMULTI=0x200

# 1. unicast filter and promiscuous mode
none "frames to a foreign MAC are filtered" "$(rx_of "$IF" 0 $FOREIGN)"
got "frames to our MAC arrive" "$(rx_of "$IF" 0 "$MAC")"
set_flag $IFF_PROMISC on
got "promiscuous: frames to a foreign MAC arrive" "$(rx_of "$IF" 0 $FOREIGN)"
set_flag $IFF_PROMISC off
none "promiscuous off: filtered again" "$(rx_of "$IF" 0 $FOREIGN)"

# 1b. secondary unicast addresses (IFF_UNICAST_FLT): a macvlan puts its
# MAC on the lower device's unicast list; the device filters on it
# (VIRTIO_NET_CTRL_MAC_TABLE_SET) and the lower device does not go
# promiscuous, which it would without the flag
MV=02:5e:00:00:00:77
if load_mods macvlan && ip link add link "$IF" name ppvmv0 address $MV type macvlan mode bridge &&
	ip link set ppvmv0 up; then
	ok "macvlan ppvmv0 on $IF"
	expect "$IF stays out of promiscuous mode with a macvlan (flags $(flags))" \
		$(($(flags) & IFF_PROMISC)) -eq 0
	got "frames to the macvlan's MAC arrive" "$(rx_of "$IF" 0 $MV)"
	none "with a macvlan, frames to a foreign MAC are still filtered" "$(rx_of "$IF" 0 $FOREIGN)"
	ip link del ppvmv0
	none "macvlan gone: frames to its MAC are filtered" "$(rx_of "$IF" 0 $MV)"
else
	notok "macvlan ppvmv0 on $IF" "macvlan module or ip link add failed"
	ip link del ppvmv0 2>/dev/null
fi

# 2. multicast filter: the groups the guest joined (IPv6 all-nodes) pass,
# others only with all-multicast on
got "frames to a joined multicast group (33:33:00:00:00:01) arrive" \
	"$(rx_of "$IF" 0 33:33:00:00:00:01)"
none "frames to a group not joined are filtered" "$(rx_of "$IF" 0 01:00:5e:7f:00:99)"
set_flag $IFF_ALLMULTI on
got "all-multicast: frames to a group not joined arrive" \
	"$(rx_of "$IF" 0 01:00:5e:7f:00:99)"
set_flag $IFF_ALLMULTI off
none "all-multicast off: filtered again" "$(rx_of "$IF" 0 01:00:5e:7f:00:99)"

# 3. MAC address changed while up: the device must filter on the new one
NEW=02:5e:00:00:00:42
if ip link set "$IF" address $NEW 2>/tmp/ctrl.err; then
	ok "MAC address changed while up"
	host sh "ip neigh flush dev ppvtap0" >/dev/null
	check "ping with the new MAC" ping -q -c 3 -i 0.2 -W 2 "$HOST_IP"
	got "frames to the new MAC arrive" "$(rx_of "$IF" 0 $NEW)"
	none "frames to the old MAC are filtered" "$(rx_of "$IF" 0 "$MAC")"
	ip link set "$IF" address "$MAC"
	host sh "ip neigh flush dev ppvtap0" >/dev/null
	check "ping with the MAC back" ping -q -c 3 -i 0.2 -W 2 "$HOST_IP"
else
	notok "MAC address changed while up" "$(cat /tmp/ctrl.err)"
fi

# 4. VLAN filter: tagged frames pass for the VLANs that have an interface
# (a kernel without CONFIG_VLAN_8021Q)
if [ ! -s /lib/modules/ppv/8021q.order ] && [ ! -d /sys/module/8021q ]; then
	skip "VLAN filter" "this kernel has no 8021q module (CONFIG_VLAN_8021Q)"
elif load_mods 8021q && ip link add link "$IF" name "$IF.5" type vlan id 5 &&
	ip link set "$IF.5" up; then
	ok "VLAN 5 interface"
	got "VLAN 5 frames arrive on $IF.5" "$(rx_of "$IF.5" 5 "$MAC")"
	none "VLAN 6 frames are filtered" "$(rx_of "$IF" 6 "$MAC")"
	ip link del "$IF.5"
	none "VLAN 5 filtered after its interface is gone" "$(rx_of "$IF" 5 "$MAC")"
else
	notok "VLAN 5 interface" "8021q or ip link add failed"
fi

# 5. guest offloads at run time (CTRL_GUEST_OFFLOADS): GRO_HW, then the
# receive checksum (ethtool -K rx: without GUEST_CSUM, and so without guest
# TSO), off and on under a transfer; with one off, ppvnet's counters show
# the device stopped using it
# changeable NAME: ethtool -k shows NAME on and changeable; the phases that
# run ctrl offer guest TSO and CTRL_GUEST_OFFLOADS, so for ppvnet anything
# else fails (virtio_net 6.1 has rx-checksumming fixed: a SKIP)
changeable() {
	if ethtool -k "$IF" | grep -q "^$1: on\$"; then
		return 0
	elif [ "$DRIVER" = ppvnet ]; then
		notok "ethtool -K: $1 is changeable" "$(ethtool -k "$IF" | grep "^$1")"
	else
		skip "ethtool -K: $1" "not changeable here: $(ethtool -k "$IF" | grep "^$1")"
	fi
	return 1
}
# toggle FEATURE NAME on|off COUNTER: ethtool -K FEATURE, a TCP transfer
# host->guest; GREW is ppvnet's rxN_COUNTER growth meanwhile
toggle() {
	local c0 c1 mbps
	check "ethtool -K $1 $3" ethtool -K "$IF" "$1" "$3"
	c0=$(ethtool_qsum rx "$4")
	mbps=$(iperf_mbps -R -t 2)
	c1=$(ethtool_qsum rx "$4")
	expect "TCP host->guest with $2 $3 ($mbps Mbit/s)" "${mbps%.*}" -ge 1
	GREW=$((c1 - c0))
}
if changeable rx-gro-hw; then
	for v in off on; do
		toggle rx-gro-hw rx-gro-hw $v gso
		[ "$DRIVER" = ppvnet ] || continue
		if [ $v = off ]; then
			expect "no GSO packets from the device with rx-gro-hw off (+$GREW)" $GREW -eq 0
		else
			expect "GSO packets from the device with rx-gro-hw on (+$GREW)" $GREW -gt 0
		fi
	done
fi
if changeable rx-checksumming; then
	for v in off on; do
		toggle rx rx-checksumming $v csum
		[ "$DRIVER" = ppvnet ] || continue
		if [ $v = off ]; then
			expect "rx-checksumming off: rx-gro-hw is off too ($(ethtool -k "$IF" | grep '^rx-gro-hw'))" \
				"$(ethtool -k "$IF" | grep -c '^rx-gro-hw: off')" -eq 1
			expect "no packet arrives checksummed by the device with rx off (+$GREW)" $GREW -eq 0
		else
			expect "packets arrive checksummed by the device with rx on (+$GREW)" $GREW -gt 0
		fi
	done
	ethtool -K "$IF" rx-gro-hw on 2>/dev/null
fi

# 6. announcement (as after a live migration): the monitor's announce_self
# makes the device ask; the guest sends gratuitous ARPs and unsolicited
# IPv6 neighbour advertisements, one per address (net_up flushed the
# link-local one: an address of the benchmarking prefix, without DAD;
# busybox ip has no nodad)
sysctl -qw net.ipv6.conf."$IF".accept_dad=0 2>/dev/null
ip -6 addr add 2001:2::2/64 dev "$IF"
r=$(host garp start "$GUEST_IP")
r=$(host hmp announce_self)
n=0 na=0 t=0
while { [ "$n" -lt 1 ] || [ "$na" -lt 1 ]; } && [ $t -lt 50 ]; do
	sleep 0.1; t=$((t + 1))
	n=$(host garp count)
	na=$(host garp na)
done
expect "gratuitous ARP after the device asked for an announcement ($n)" "$n" -ge 1
expect "unsolicited IPv6 neighbour advertisement after the announcement ($na)" "$na" -ge 1
ip -6 addr del 2001:2::2/64 dev "$IF"
