# The tail of a NAPI poll against teardown (ppv_poll()): once
# napi_complete_done() clears NAPI_STATE_SCHED, napi_disable() returns and
# ppv_down() may free the rings, and another poll may run. The fault point
# delay_poll_tail stalls 30 ms there (longer than ppv_down() takes to get
# to the rings) in one poll of 5; under iperf3 both
# ways, MTU changes, down/up, ethtool -L and -G, with NAPI in softirq, in
# threads (/sys/class/net/IF/threaded) and with busy polling
# (net.core.busy_read/busy_poll). A ring touched after the stall is a
# use-after-free KASAN reports (the debug kernel's phases), and a stale
# re-arm leaves used_event behind the last used index: RX then never
# interrupts again. So: traffic moves after every event, and once idle
# every RX ring's used_event is its last used index. Debug kernel.
fault_points "poll tail against teardown" || { return 0 2>/dev/null || exit 0; }
net_up
q=$(ethtool -l "$IF" | awk '/^Pre-set/ { s = 1 } s && /^Combined:/ { print $2; exit }')
T=$FI/delay_poll_tail
echo 0 >$T/verbose; echo 20 >$T/probability; echo 1 >$T/interval
echo 0 >$T/space; echo 100000000 >$T/times
# rx_armed: every RX ring's used_event at its last used index (event
# index; the flag otherwise), printed as "ok" or the rings that are not
rx_armed() {
	awk '$1 ~ /^rx[0-9]+$/ && $2 == "queue" {
		ue = ""; lu = ""
		for (i = 1; i <= NF; i++) {
			if ($i == "used_event") ue = $(i + 1)
			if ($i == "last" && $(i + 1) == "used") { lu = $(i + 2); sub(/,/, "", lu) }
		}
		if (/event index/ && ue != lu) bad = bad " " $1 " used_event " ue " last used " lu
	} END { print bad == "" ? "ok" : bad }' "$DBG_RINGS"
}
DBG_RINGS=$(ls -d /sys/kernel/debug/ppvnet/*/rings | head -n 1)
for mode in softirq threaded busy; do
	case $mode in
	threaded) echo 1 >/sys/class/net/$IF/threaded ;;
	busy) echo 0 >/sys/class/net/$IF/threaded
	      sysctl -qw net.core.busy_read=50 net.core.busy_poll=50 ;;
	esac
	load_start
	bad=
	for ev in "mtu 1400" "mtu 1500" "down-up" "ring 128" "ring 256" "pairs 1" "pairs $q"; do
		set -- $ev
		case $1 in
		mtu) ip link set "$IF" mtu "$2" ;;
		down-up) ip link set "$IF" down && ip link set "$IF" up && wait_carrier 1 ;;
		ring) ethtool -G "$IF" rx "$2" tx "$2" ;;
		pairs) ethtool -L "$IF" combined "$2" ;;
		esac || bad="$bad [$ev failed]"
		w=$(load_progress) || bad="$bad [no traffic after $ev: $w]"
	done
	load_stop
	if [ -z "$bad" ]; then ok "$mode NAPI: traffic both ways after each of 7 events"; else notok "$mode NAPI: traffic both ways after each of 7 events" "$bad"; fi
	sleep 1
	a=$(rx_armed)
	if [ "$a" = ok ]; then ok "$mode NAPI: idle RX rings re-armed at their last used index"; else notok "$mode NAPI: idle RX rings re-armed at their last used index" "$a"; fi
	check "$mode NAPI: ping" ping -q -c 3 -i 0.1 -W 2 "$HOST_IP"
done
sysctl -qw net.core.busy_read=0 net.core.busy_poll=0
n=$((100000000 - $(cat $T/times)))
fi_off delay_poll_tail
expect "polls stalled after napi_complete_done() ($n)" "$n" -ge 20
