# Unload the driver: the interface goes away.
check "unload $DRIVER" driver_unload
if [ -e "/sys/class/net/$IF" ]; then notok "interface $IF gone after unload"; else ok "interface $IF gone after unload"; fi
