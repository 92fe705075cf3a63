# tools/ppvnet-bind, as a user runs it on their own VM: the NIC moves from
# virtio_net (loaded first, by the load test) to ppvnet and back, without a
# reboot; traffic flows under each driver. Run with DRIVER=virtio_net.
B=/ppv/ppvnet-bind
bound_to() { ethtool -i "$IF" 2>/dev/null | awk '$1 == "driver:" { print $2 }'; }
check "ppvnet-bind --status lists the NIC on virtio-pci" sh -c "$B --status | grep -q '^$PCI virtio-pci '"
# the default route holds it: refused without --force
ip route add default via "$HOST_IP" dev "$IF" 2>/dev/null || { net_up; ip route add default via "$HOST_IP" dev "$IF"; }
if $B "$IF" ppvnet >/tmp/bind.out 2>&1; then notok "a NIC with the default route is refused" "moved: $(cat /tmp/bind.out)"; else ok "a NIC with the default route is refused ($(cat /tmp/bind.out))"; fi
ip route del default 2>/dev/null
for to in ppvnet virtio_net; do
	if PPVNET_KO=/lib/modules/ppv/ppvnet.ko $B "$IF" $to >/tmp/bind.out 2>&1; then
		ok "ppvnet-bind $IF $to: $(cat /tmp/bind.out)"
	else
		notok "ppvnet-bind $IF $to" "$(cat /tmp/bind.out)"
	fi
	wait_if
	want=$to
	expect_drv=$(bound_to)
	if [ "$expect_drv" = "$want" ]; then ok "ethtool -i names $want"; else notok "ethtool -i names $want" "got '$expect_drv'"; fi
	net_up
	check "ping under $to" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
done
check "ppvnet-bind: already there is a no-op" sh -c "$B $IF virtio_net | grep -q already"
rmmod ppvnet
check "ppvnet unloaded, the NIC stays on virtio_net" sh -c "[ \"\$(ethtool -i $IF | awk '\$1 == \"driver:\" { print \$2 }')\" = virtio_net ]"
