# Checksums of forwarded packets. The host sends UDP to 198.19.0.2 through
# the guest; the guest routes it on to a port-less bridge whose TX
# checksumming is off, so the stack must finish each checksum there:
# tests/progs/ppv-csum captures what leaves the bridge and checks every UDP
# checksum. The host sends with checksum offload (its tap has it from
# guest_csum), so the packets arrive with NEEDS_CSUM: CHECKSUM_PARTIAL, to
# be filled in where they leave. On the debug kernel the fault point
# lie_rx_data_valid also sets DATA_VALID in those headers, as a device
# may: NEEDS_CSUM must win (marked CHECKSUM_UNNECESSARY instead, the packet
# leaves with its checksum unfinished). Any driver (the lie: ppvnet's).
net_up
BR=ppvfw0
N=100
csum_round() {	# NAME: N datagrams through the guest, all checksums right
	local out c0 c1 good bad
	c0=$(ethtool_qsum rx csum)
	ppv-csum $BR 9999 $N 30 >/tmp/csum.out 2>&1 &
	cpid=$!
	i=0
	while ! grep -q listening /tmp/csum.out && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	host sh "python3 -c 'import socket,time;s=socket.socket(2,2);[(s.sendto(b\"x\"*300,(\"198.19.0.2\",9999)),time.sleep(0.005)) for i in range($N)]'" >/dev/null
	wait $cpid
	out=$(tail -n 1 /tmp/csum.out)
	c1=$(ethtool_qsum rx csum)
	diag "$1: $out; rx csum counters +$((c1 - c0))"
	set -- "$1" $out
	good=${3:-0} bad=${5:-0}
	expect "$1: forwarded datagrams left with their checksum finished ($good of $N)" "$good" -ge $((N * 9 / 10))
	expect "$1: none left with a wrong checksum" "$bad" -eq 0
}
[ -d /sys/module/bridge ] || load_mods bridge
sysctl -qw net.ipv4.ip_forward=1
sysctl -qw net.ipv4.conf.all.send_redirects=0
brctl addbr $BR
ip link set $BR up
ip addr add 198.19.0.1/24 dev $BR
ethtool -K $BR tx off >/dev/null 2>&1
arp -i $BR -s 198.19.0.2 02:00:00:00:19:02
host sh "ip route replace 198.19.0.0/24 via $GUEST_IP" >/dev/null
csum_round "NEEDS_CSUM"
if [ "$DRIVER" = ppvnet ] && [ -d "$FI/lie_rx_data_valid" ]; then
	echo 0 >"$FI/lie_rx_data_valid/verbose"
	echo 100 >"$FI/lie_rx_data_valid/probability"
	echo 0 >"$FI/lie_rx_data_valid/space"
	echo 1000000 >"$FI/lie_rx_data_valid/times"
	csum_round "NEEDS_CSUM with DATA_VALID"
	n=$((1000000 - $(cat "$FI/lie_rx_data_valid/times")))
	fi_off lie_rx_data_valid
	expect "the lie was told: DATA_VALID added to $n NEEDS_CSUM headers" "$n" -ge $((N * 9 / 10))
elif [ "$DRIVER" = ppvnet ] && debug_kernel; then
	notok "NEEDS_CSUM with DATA_VALID" "no fault point lie_rx_data_valid on the debug kernel"
fi
host sh "ip route del 198.19.0.0/24" >/dev/null
ip link set $BR down
brctl delbr $BR
sysctl -qw net.ipv4.ip_forward=0
