# Carrier comes up after ip link set up.
check "carrier up after 'ip link set $IF up'" net_up
# operstate follows carrier through linkwatch, which runs asynchronously
# (up to a second later): wait for it rather than sampling once.
i=0
while [ $i -lt 30 ] && [ "$(cat "/sys/class/net/$IF/operstate")" != up ]; do
	sleep 0.1; i=$((i + 1))
done
op=$(cat "/sys/class/net/$IF/operstate")
if [ "$op" = up ]; then ok "operstate is up"; else notok "operstate is up" "got $op after 3 s"; fi
