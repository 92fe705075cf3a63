# iperf3 UDP with 64-byte payloads both ways: the driver's packet counters
# agree with what iperf3 and the host's tap saw.
#   sent      S: iperf3's sender count       received R: iperf3's receiver count
#   driver    D: ethtool -S delta            host tap H: tap counter delta
# D >= R (all that arrived went through us), D <= S + 200 (the iperf3
# control connection adds a few), |D - H| <= 2 (we counted what the device
# moved).
udp_run() {	# dir(tx|rx) iperf3-args...
	dir=$1; shift
	[ "$dir" = tx ] && hdir=rx || hdir=tx
	d0=$(ethtool_pkts "$dir")
	h0=$(host sh "cat /sys/class/net/ppvtap0/statistics/${hdir}_packets")
	iperf3 -c "$HOST_IP" -u -l 64 -b 8M -t 3 -f m "$@" >/tmp/iperf.out 2>&1
	rc=$?
	sleep 0.5
	d1=$(ethtool_pkts "$dir")
	h1=$(host sh "cat /sys/class/net/ppvtap0/statistics/${hdir}_packets")
	# "... 0.01 ms  12/34567 (0.03%)  sender|receiver"
	S=$(awk '/ sender$/ { split($(NF-2), a, "/"); print a[2] }' /tmp/iperf.out)
	R=$(awk '/ receiver$/ { split($(NF-2), a, "/"); print a[2] - a[1] }' /tmp/iperf.out)
	D=$((d1 - d0)) H=$((h1 - h0))
}
for dir in tx rx; do
	if [ $dir = tx ]; then name="UDP guest->host"; args=; else name="UDP host->guest"; args=-R; fi
	udp_run $dir $args
	diag "$name: iperf3 sent ${S:-?} received ${R:-?}; driver $dir $D; host tap $H"
	if [ $rc != 0 ] || [ -z "$S" ] || [ -z "$R" ] || [ "$R" -le 0 ]; then
		notok "$name: iperf3 ran" "$(tail -n 2 /tmp/iperf.out | tr '\n' ' ')"
		continue
	fi
	ok "$name: iperf3 ran ($R packets arrived)"
	expect "$name: driver counted all that arrived ($D >= $R)" "$D" -ge "$R"
	expect "$name: driver counted no more than was sent ($D <= $S + 200)" "$D" -le $((S + 200))
	diff=$((D - H)); [ $diff -lt 0 ] && diff=$((-diff))
	expect "$name: driver and host tap agree (|$D - $H| <= 2)" $diff -le 2
done
