# iperf3 UDP with 64-byte payloads both ways: the driver's packet counters
# agree with what iperf3 and the host's tap saw.
#   sent      S: iperf3's sender count       received R: iperf3's receiver count
#   driver    D: ethtool -S delta            host tap H: tap counter delta
# D >= R (all that arrived went through us), D <= S + 200 (the iperf3
# control connection adds a few), |D - H| <= 2 (we counted what the device
# moved), S >= N (the N packets the test asks for were all sent: iperf3 -n,
# a count, not a rate, so a slow but working machine only takes longer)
# and R >= UDP_PCT % of S: a driver that drops most frames moves some but
# not that much (PPV_MIN_UDP_PCT and PPV_UDP_PKTS override them). Measured
# here (TCG, shared cores) at -b 8M for 3 s, R of S, ppvnet and virtio_net:
#   stock 6.1  guest->host 18310-46671 of 18322-46671 (95-100 %)
#              host->guest 32849-46880 of ~47000 (69-100 %)
#   6.12       guest->host 43194-46864 (100 %), host->guest 44644-46908 (95-100 %)
#   debug 6.1  guest->host 1563-3085 (100 %: the guest sends slowly; on a
#              busy machine 290 in 3 s, which a floor of 300 packets in 3 s
#              failed, though every packet sent arrived)
#              host->guest 6035-13511 of ~47000 (12.6-28 %)
# N: 20000 stock (about 1.3 s at 8 Mbit/s), 1000 debug; arrival floors
# 20 % stock and 3 % debug (3.5-4x under the worst of these).
case $(uname -r) in
*ppvdebug*) UDP_PCT=3 UDP_N=1000 ;;
*) UDP_PCT=20 UDP_N=20000 ;;
esac
UDP_PCT=${PPV_MIN_UDP_PCT:-$UDP_PCT} UDP_N=${PPV_UDP_PKTS:-$UDP_N}
# the driver's packet count: its per-queue counters in ethtool -S, or ip -s
# link where there are none (virtio_net on 6.12)
drv_pkts() {
	if ethtool -S "$IF" | grep -Eq '^ *(rx|tx)(_queue_)?[0-9]+_packets:'; then
		ethtool_pkts "$1"
	else
		ip_stat "$1" packets
	fi
}
udp_run() {	# dir(tx|rx) iperf3-args...
	dir=$1; shift
	[ "$dir" = tx ] && hdir=rx || hdir=tx
	d0=$(drv_pkts "$dir")
	h0=$(host sh "cat /sys/class/net/ppvtap0/statistics/${hdir}_packets")
	timeout 300 iperf3 -c "$HOST_IP" -u -l 64 -b 8M -n $((UDP_N * 64)) -f m "$@" >/tmp/iperf.out 2>&1
	rc=$?
	sleep 0.5
	d1=$(drv_pkts "$dir")
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
	expect "$name: at least $UDP_PCT % of what was sent arrived ($R of $S)" $((R * 100)) -ge $((S * UDP_PCT))
	expect "$name: all $UDP_N packets asked for were sent ($S)" "$S" -ge "$UDP_N"
	expect "$name: driver counted all that arrived ($D >= $R)" "$D" -ge "$R"
	expect "$name: driver counted no more than was sent ($D <= $S + 200)" "$D" -le $((S + 200))
	diff=$((D - H)); [ $diff -lt 0 ] && diff=$((-diff))
	expect "$name: driver and host tap agree (|$D - $H| <= 2)" $diff -le 2
done
