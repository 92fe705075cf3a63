# A confidential guest (SEV, SNP, TDX: memory encrypted) cannot give a
# device that lacks VIRTIO_F_ACCESS_PLATFORM guest-physical addresses:
# ppvnet refuses to bind such a device, with the virtio core's message.
# The fault point fake_cc_guest makes the guest look encrypted for one
# negotiation: with the device's ACCESS_PLATFORM (iommu_platform=on) it
# binds all the same; without it the bind fails and nothing is left; then
# a bind without the fault works. Debug kernel (fault points).
fault_points "confidential guest" || { return 0 2>/dev/null || exit 0; }
D=/sys/bus/pci/drivers/ppvnet
feat=$(dmesg | sed -n 's/.*ppvnet .* features \(0x[0-9a-f]*\),.*/\1/p' | tail -n 1)
if [ -z "$feat" ]; then
	notok "confidential guest: features line of the probe found" "none in dmesg"
	return 0 2>/dev/null || exit 0
fi
ap=$(( (feat >> 33) & 1 ))
echo "$PCI" >$D/unbind
fi_arm fake_cc_guest 1
dmesg_mark
echo "$PCI" >$D/bind 2>/dev/null
if [ "$ap" = 1 ]; then
	check "encrypted guest, device with ACCESS_PLATFORM: bound" test -e "$D/$PCI"
else
	DMESG_ALLOW='must provide VIRTIO_F_ACCESS_PLATFORM'
	check "encrypted guest, device without ACCESS_PLATFORM: not bound" test ! -e "$D/$PCI"
	check "the refusal says why" sh -c "dmesg | tail -n 20 | grep -q 'device must provide VIRTIO_F_ACCESS_PLATFORM'"
	fi_off fake_cc_guest
	echo "$PCI" >$D/bind
	check "a plain guest binds it again" test -e "$D/$PCI"
fi
check "the fault point was reached" fi_hit fake_cc_guest
fi_off fake_cc_guest
wait_if
net_up
check "ping after the rebind" ping -q -c 3 -i 0.1 -W 2 "$HOST_IP"
