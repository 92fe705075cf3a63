# A device that lies about a used id, on RX and then on TX, under iperf3
# both ways (fault points lie_rx_used_id / lie_tx_used_id, debug kernel):
# the ring is stopped and counted, the reset work resets the device and
# rebuilds the datapath by itself, at most once a second, and nothing
# leaks (DMA-API debug; kmemleak after the unload test).
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
load_start
load_resumed "before the lies"
for q in rx tx; do
	site=lie_${q}_used_id
	r0=$(ethtool_stat resets); b0=$(ethtool_stat ${q}0_bad_id)
	echo 0 >"$FI/$site/verbose"; echo 1 >"$FI/$site/interval"
	echo 0 >"$FI/$site/space"; echo 1 >"$FI/$site/times"
	echo 100 >"$FI/$site/probability"
	wait_stat resets $((r0 + 1)) 30
	echo 0 >"$FI/$site/probability"
	left=$(cat "$FI/$site/times"); echo 0 >"$FI/$site/times"
	r1=$(ethtool_stat resets); b1=$(ethtool_stat ${q}0_bad_id)
	expect "$q: the lie was injected" "$left" -eq 0
	expect "$q: ${q}0_bad_id counted it ($b0 -> $b1)" $((b1 - b0)) -eq 1
	expect "$q: one reset brought the datapath back ($r0 -> $r1)" $((r1 - r0)) -eq 1
	check "$q: dmesg says so" sh -c "dmesg | grep -q '${q}0: device reported a used id it was not given'"
	wait_carrier 1
	load_resumed "$q: after the reset"
done
# five lies in a row: five resets, at least 1 s apart
load_mark
r0=$(ethtool_stat resets)
site=lie_rx_used_id
echo 5 >"$FI/$site/times"; echo 100 >"$FI/$site/probability"
wait_stat resets $((r0 + 5)) 60
echo 0 >"$FI/$site/probability"; echo 0 >"$FI/$site/times"
r1=$(ethtool_stat resets)
expect "five lies, five resets ($r0 -> $r1)" $((r1 - r0)) -eq 5
# shortest gap between the last five "resetting" lines ([   12.345678] ...)
gaps=$(dmesg | grep ': resetting the device' | tail -n 5 |
	sed 's/^\[ *\([0-9.]*\)\].*/\1/' |
	awk 'NR > 1 && (m == "" || $1 - p < m) { m = $1 - p } { p = $1 } END { print m + 0 }')
expect "resets at least 1 s apart (shortest gap $gaps s)" "$(echo "$gaps" | awk '{ print ($1 >= 0.95) }')" -eq 1
load_check "five resets" 16384
load_resumed "after five resets"
# mergeable buffers: a num_buffers above what is posted (fault point
# lie_rx_num_buffers: the first buffer of a packet claims two more than
# the ring holds) is dropped and counted in rx0_bad_nbuf, without a reset:
# the ring itself is intact
if [ "$(ethtool_stat rx0_bufs)" -gt "$(ethtool_stat rx0_packets)" ]; then
	site=lie_rx_num_buffers
	load_mark
	r0=$(ethtool_stat resets); n0=$(ethtool_stat rx0_bad_nbuf)
	echo 0 >"$FI/$site/verbose"; echo 1 >"$FI/$site/interval"
	echo 0 >"$FI/$site/space"; echo 20 >"$FI/$site/times"
	echo 10 >"$FI/$site/probability"
	i=0
	while [ "$(cat "$FI/$site/times")" != 0 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	echo 0 >"$FI/$site/probability"; left=$(cat "$FI/$site/times"); echo 0 >"$FI/$site/times"
	r1=$(ethtool_stat resets); n1=$(ethtool_stat rx0_bad_nbuf)
	expect "num_buffers: 20 lies injected ($((20 - left)))" "$left" -eq 0
	expect "num_buffers: rx0_bad_nbuf counted each ($n0 -> $n1)" $((n1 - n0)) -eq 20
	expect "num_buffers: no reset needed ($r0 -> $r1)" $((r1 - r0)) -eq 0
	load_check "num_buffers lies" 16384
	load_resumed "after the num_buffers lies"
else
	skip "num_buffers lies" "no mergeable buffers on this device"
fi
load_stop
ip link set "$IF" down
sleep 1
expect "no DMA mapping or coherent buffer of $PCI left while down ($(dma_maps))" "$(dma_maps)" -eq 0
net_up
check "ping after the lies" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
