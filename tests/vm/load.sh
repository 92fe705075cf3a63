# Load the driver under test and find its interface; ethtool -i names it.
check "load $DRIVER and find its interface" driver_load
diag "interface $IF on PCI $PCI"
drv=$(ethtool -i "$IF" 2>/dev/null | awk '/^driver:/ { print $2 }')
[ "$DRIVER" = virtio_net ] && want=virtio_net || want=ppvnet
if [ "$drv" = "$want" ]; then ok "ethtool -i names driver $want"; else notok "ethtool -i names driver $want" "got '$drv'"; fi
