# /sys/kernel/debug/ppvnet/<PCI address>/rings (ppvnet only): each active
# pair's RX and TX ring and the control ring with the driver's and the
# device's indices while up, "down" while down, gone after unbind.
[ "$DRIVER" = ppvnet ] || { skip "debugfs ring view" "ppvnet only"; return 0 2>/dev/null || exit 0; }
R=/sys/kernel/debug/ppvnet/$PCI/rings
net_up
ping -q -c 5 -i 0.1 -W 2 "$HOST_IP" >/dev/null 2>&1
cat "$R" >/tmp/rings 2>&1
sed 's/^/#   /' /tmp/rings
nqp=$(ls -d /sys/class/net/"$IF"/queues/rx-* | wc -l)
check "debugfs: $R says up with $nqp pairs" grep -q "^$IF: up, $nqp of" /tmp/rings
n=$(grep -cE '^(rx|tx)[0-9]+ +queue [0-9]+ size [0-9]+: avail idx' /tmp/rings)
expect "debugfs: an RX and a TX ring line per pair ($n)" "$n" -eq $((2 * nqp))
# the RX ring is posted: buffers in flight; TX reaped after the pings
inflight=$(awk '$1 == "rx0" { for (i = 1; i < NF; i++) if ($i == "flight") print $(i + 1) + 0 }' /tmp/rings)
expect "debugfs: rx0 has buffers in flight ($inflight)" "${inflight:-0}" -gt 0
if ethtool -S "$IF" | grep -q ctrl_cmds; then
	check "debugfs: the control ring is shown" grep -qE '^ctrl +queue' /tmp/rings
fi
ip link set "$IF" down
check "debugfs: says down while down" grep -q "^$IF: down" "$R"
net_up
