# A device that lies about a used id, on RX and then on TX, under iperf3
# both ways (fault points lie_rx_used_id / lie_tx_used_id, debug kernel):
# the ring is stopped and counted, the reset work resets the device and
# rebuilds the datapath by itself, at most once a second, replays the
# control state (MAC, filters, VLANs, RSS: QEMU's receive filter as
# before), and nothing leaks (DMA-API debug; kmemleak after the unload
# test). Any queue pair may meet the lie: counted over all of them.
fault_points "lying device" || { return 0 2>/dev/null || exit 0; }
# the lines this test provokes on purpose
DMESG_ALLOW='device reported a used id it was not given|resetting the device|device reset: datapath back'
# DMA-API debug's live mappings and coherent buffers of our function
dma_maps() { grep -c " $PCI " /sys/kernel/debug/dma-api/dump 2>/dev/null; }
wait_stat() {	# counter target seconds: wait until counter >= target
	local i=0
	while [ $i -lt $(($3 * 10)) ]; do
		[ "$(ethtool_stat "$1")" -ge "$2" ] 2>/dev/null && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
net_up
# Control state that a reset device has lost (QEMU comes back promiscuous
# with its own MAC, no VLAN and no extra unicast address): a new MAC,
# all-multicast, a macvlan's address, VLAN 5. After every reset below,
# QEMU's receive filter (query-rx-filter), the MAC and the RSS table must
# be as before: the driver replayed them.
MAC0=$(cat "/sys/class/net/$IF/address")
ip link set "$IF" address 02:00:00:00:02:43
ifconfig "$IF" allmulti	# (busybox ip has no allmulticast)
load_mods macvlan && ip link add link "$IF" name ppvmv1 address 02:5e:00:00:00:78 type macvlan mode bridge &&
	ip link set ppvmv1 up
if [ -s /lib/modules/ppv/8021q.order ] || [ -d /sys/module/8021q ]; then
	load_mods 8021q && ip link add link "$IF" name "$IF.5" type vlan id 5 && ip link set "$IF.5" up
fi
host sh "ip neigh flush dev ppvtap0" >/dev/null
ctrl_state() {
	echo "mac $(cat "/sys/class/net/$IF/address")"
	echo "rss $(ethtool -x "$IF" 2>/dev/null | awk '/^ *[0-9]+:/ { $1 = ""; printf "%s", $0 }' | tr -s ' ')"
	echo "filter $(host rxfilter)"
}
sleep 1
ctrl_state >/tmp/lie.before
expect "the control state differs from a reset device's (QEMU: our MAC, all-multicast, not promiscuous, VLAN 5, the macvlan's address)" \
	"$(grep '"main-mac": "02:00:00:00:02:43", "multicast": "all".*"promiscuous": false' /tmp/lie.before |
		grep '"unicast-table": \["02:5e:00:00:00:78"\]' | grep -cE '"vlan-table": \[([0-9]+, )*5[],]')" -eq 1
# replayed NAME: the state as before the resets
replayed() {
	ctrl_state >/tmp/lie.after
	if cmp -s /tmp/lie.before /tmp/lie.after; then
		ok "$1: MAC, RSS table and QEMU's receive filter (VLAN, unicast and multicast tables) replayed"
	else
		notok "$1: MAC, RSS table and QEMU's receive filter replayed" \
			"$(diff /tmp/lie.before /tmp/lie.after | grep '^[-+][a-z]' | cut -c1-400 | tr '\n' ' ')"
	fi
}
load_start
load_resumed "before the lies"
for q in rx tx; do
	site=lie_${q}_used_id
	r0=$(ethtool_stat resets); b0=$(ethtool_qsum $q bad_id)
	echo 0 >"$FI/$site/verbose"; echo 1 >"$FI/$site/interval"
	echo 0 >"$FI/$site/space"; echo 1 >"$FI/$site/times"
	echo 100 >"$FI/$site/probability"
	wait_stat resets $((r0 + 1)) 30
	echo 0 >"$FI/$site/probability"
	left=$(cat "$FI/$site/times"); echo 0 >"$FI/$site/times"
	r1=$(ethtool_stat resets); b1=$(ethtool_qsum $q bad_id)
	expect "$q: the lie was injected" "$left" -eq 0
	expect "$q: ${q}N_bad_id counted it ($b0 -> $b1)" $((b1 - b0)) -eq 1
	expect "$q: one reset brought the datapath back ($r0 -> $r1)" $((r1 - r0)) -eq 1
	check "$q: dmesg says so" sh -c "dmesg | grep -qE '${q}[0-9]+: device reported a used id it was not given'"
	wait_carrier 1
	replayed "$q: after the reset"
	load_resumed "$q: after the reset"
done
# five lies in a row: a reset each, at least 1 s apart; with several
# pairs, two may lie before the reset stops them both, and one reset
# answers both (at least 3 for 5 lies on 2 pairs)
load_mark
r0=$(ethtool_stat resets) b0=$(ethtool_qsum rx bad_id)
site=lie_rx_used_id
echo 5 >"$FI/$site/times"; echo 100 >"$FI/$site/probability"
nqp=$(ethtool -l "$IF" | awk '/^Current hardware settings/ { c = 1 } c && /^Combined:/ { print $2; exit }')
want=$(( (5 + ${nqp:-1} - 1) / ${nqp:-1} ))
i=0
while [ "$(cat "$FI/$site/times")" != 0 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
wait_stat resets $((r0 + want)) 60
sleep 2	# a last reset of lies met together
echo 0 >"$FI/$site/probability"; echo 0 >"$FI/$site/times"
r1=$(ethtool_stat resets) b1=$(ethtool_qsum rx bad_id)
expect "five lies, each counted in rxN_bad_id ($b0 -> $b1)" $((b1 - b0)) -eq 5
if [ $((r1 - r0)) -le 5 ] && [ $((r1 - r0)) -ge $want ]; then
	ok "five lies on $nqp pair(s), $((r1 - r0)) resets ($want to 5)"
else
	notok "five lies on $nqp pair(s), $want to 5 resets" "$r0 -> $r1"
fi
# shortest gap between the last resetting lines ([   12.345678] ...)
gaps=$(dmesg | grep ': resetting the device' | tail -n $((r1 - r0)) |
	sed 's/^\[ *\([0-9.]*\)\].*/\1/' |
	awk 'NR > 1 && (m == "" || $1 - p < m) { m = $1 - p } { p = $1 } END { print m + 0 }')
expect "resets at least 1 s apart (shortest gap $gaps s)" "$(echo "$gaps" | awk '{ print ($1 >= 0.95) }')" -eq 1
load_check "five resets" 16384
replayed "after five resets"
load_resumed "after five resets"
# mergeable buffers: a num_buffers above what is posted (fault point
# lie_rx_num_buffers: the first buffer of a packet claims two more than
# the ring holds) is dropped and counted in rx0_bad_nbuf, without a reset:
# the ring itself is intact
if [ "$(ethtool_stat rx0_bufs)" -gt "$(ethtool_stat rx0_packets)" ]; then
	site=lie_rx_num_buffers
	load_mark
	r0=$(ethtool_stat resets); n0=$(ethtool_qsum rx bad_nbuf)
	echo 0 >"$FI/$site/verbose"; echo 1 >"$FI/$site/interval"
	echo 0 >"$FI/$site/space"; echo 20 >"$FI/$site/times"
	echo 10 >"$FI/$site/probability"
	i=0
	while [ "$(cat "$FI/$site/times")" != 0 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	echo 0 >"$FI/$site/probability"; left=$(cat "$FI/$site/times"); echo 0 >"$FI/$site/times"
	r1=$(ethtool_stat resets); n1=$(ethtool_qsum rx bad_nbuf)
	expect "num_buffers: 20 lies injected ($((20 - left)))" "$left" -eq 0
	expect "num_buffers: rxN_bad_nbuf counted each ($n0 -> $n1)" $((n1 - n0)) -eq 20
	expect "num_buffers: no reset needed ($r0 -> $r1)" $((r1 - r0)) -eq 0
	load_check "num_buffers lies" 16384
	load_resumed "after the num_buffers lies"
else
	skip "num_buffers lies" "no mergeable buffers on this device"
fi
load_stop
ip link del ppvmv1 2>/dev/null
ip link del "$IF.5" 2>/dev/null
ifconfig "$IF" -allmulti
ip link set "$IF" address "$MAC0"
host sh "ip neigh flush dev ppvtap0" >/dev/null
ip link set "$IF" down
sleep 1
expect "no DMA mapping or coherent buffer of $PCI left while down ($(dma_maps))" "$(dma_maps)" -eq 0
net_up
check "ping after the lies" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
