# Carrier comes up after ip link set up.
check "carrier up after 'ip link set $IF up'" net_up
op=$(cat "/sys/class/net/$IF/operstate")
if [ "$op" = up ]; then ok "operstate is up"; else notok "operstate is up" "got $op"; fi
