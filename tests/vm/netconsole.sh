# netconsole on the NIC under traffic: kernel messages leave as UDP through
# netpoll, which calls the driver's xmit with IRQs off and polls its NAPI
# with budget 0, possibly from inside the driver's own xmit (a message
# printed there) with the xmit lock held: ppvnet only tries that lock
# there, as virtio_net does. PPV_NC_LINES (200) messages at KERN_ERR go to
# a UDP receiver in the host's namespace while a UDP flood fills the TX
# ring and TCP runs the other way.
n=${PPV_NC_LINES:-200}
NC=/lib/modules/ppv/netconsole.ko
if [ ! -f $NC ]; then
	skip "netconsole under load" "no netconsole module for $(uname -r)"
	return 0 2>/dev/null || exit 0
fi
net_up
hmac=$(host sh "cat /sys/class/net/ppvtap0/address")
r=$(host udpsink start 6666)
if [ "$r" = ok ]; then ok "UDP receiver on the host"; else notok "UDP receiver on the host" "$r"; fi
# its dependencies (configfs on Debian's kernel), where they are modules
for m in $(cat /lib/modules/ppv/netconsole.order); do
	[ $m = netconsole ] || [ -d /sys/module/$m ] || insmod /lib/modules/ppv/$m.ko
done
check "netconsole loads on $IF" insmod $NC "netconsole=6665@$GUEST_IP/$IF,6666@$HOST_IP/$hmac"
# A message netpoll cannot send at once (the ring still full from an
# earlier test, under the TX timer) waits in netpoll's own queue, and every
# later one queues behind it without polling until the queue drains: wait
# for a marker to arrive, so that the first line under load meets the
# stopped queue itself.
echo "<3>ppv-netconsole ready" >/dev/kmsg
t=0
until [ "$(host udpsink count 6666 "ppv-netconsole ready")" -ge 1 ] 2>/dev/null || [ $t -ge 20 ]; do
	sleep 0.5
	t=$((t + 1))
done
expect "netconsole: a first line arrives before the load starts" "$(host udpsink count 6666 "ppv-netconsole ready")" -ge 1
st0=$(ethtool_stat tx0_stops)
# guest->host: 64-byte UDP as fast as it goes, BQL's minimum raised so the
# TX ring fills and netpoll finds the queue stopped (then it polls);
# host->guest: TCP
BQL=/sys/class/net/$IF/queues/tx-0/byte_queue_limits
bql=$(cat $BQL/limit_min)
echo 100000000 >$BQL/limit_min
iperf3 -c "$HOST_IP" -p 5201 -u -l 64 -b 0 -P 2 -t 3600 >/tmp/iperf-a.out 2>&1 &
LOAD_A=$!
iperf3 -c "$HOST_IP" -p 5202 -t 3600 -R >/tmp/iperf-b.out 2>&1 &
LOAD_B=$!
sleep 1
load_mark
# netpoll polls only when it meets the stopped queue: wait (up to 50 looks,
# one ethtool -S each: a look takes 0.3 s under load on the debug kernel)
# until the flood has filled the ring, then write the lines; while netpoll
# has not polled yet, more, up to PPV_NC_MAX (1000). ppvnet notifies the
# device when its queue stops (ppv_tx_flush()), and QEMU's TX timer then
# flushes at once: the ring is full for moments only.
tx_stopped() {
	ethtool -S "$IF" | awk '$1 == "tx0_stops:" { s = $2 } $1 == "tx0_wakes:" { w = $2 }
		END { print "stops " s ", wakes " w; exit !(s > w) }'
}
t=0
while ! tx_stopped >/tmp/nc.stops && [ $t -lt 50 ]; do
	sleep 0.05
	t=$((t + 1))
done
np0=$(ethtool_stat tx0_netpoll)
diag "netconsole: after $t looks under load, $(cat /tmp/nc.stops)"
i=0
max=${PPV_NC_MAX:-1000}
while [ $i -lt "$n" ] || { [ $i -lt "$max" ] && [ "$(ethtool_stat tx0_netpoll)" = "$np0" ]; }; do
	i=$((i + 1))
	echo "<3>ppv-netconsole line $i of many" >/dev/kmsg
	[ $((i % 20)) = 0 ] && sleep 0.2
done
n=$i
sleep 2
# 64 KB: on the debug kernel with the device's TX timer (see
# tests/run-all.sh) guest->host moves only some 30 KB/s
load_check "netconsole" 65536
load_stop
echo "$bql" >$BQL/limit_min
# lines netpoll could not send at once wait in its queue and go out once
# the flood stops (with the debug phase's TX timer that takes a while)
t=0
while :; do
	got=$(host udpsink count 6666 "ppv-netconsole line [0-9]+ of many")
	[ "${got:-0}" -ge "$n" ] || [ $t -ge 15 ] && break
	sleep 1
	t=$((t + 1))
done
np1=$(ethtool_stat tx0_netpoll); st1=$(ethtool_stat tx0_stops)
diag "netconsole: $got of $n lines arrived ($t s after the load stopped); netpoll polls ${np0:-?} -> ${np1:-?}"
# UDP under a full link may lose a few at the host's socket; a stuck
# netpoll loses them all
expect "netconsole lines arrived at the host ($got of $n)" "${got:-0}" -ge $((n * 9 / 10))
# ppvnet counts netpoll's budget-0 polls; netpoll polls when it finds the
# queue stopped, so that is asked only when the ring did fill meanwhile
if [ -n "$np1" ]; then
	if [ $((st1 - st0)) -gt 0 ]; then
		expect "netpoll polled ppvnet with budget 0 ($np0 -> $np1; $((st1 - st0)) ring-full stops)" $((np1 - np0)) -gt 0
	else
		# the phases that run this test use QEMU's TX timer so that
		# the ring fills (tests/run-all.sh TXFULL): a ring that never
		# filled means ppvnet lost the stop
		notok "netpoll polled ppvnet with budget 0" "the TX ring never filled during the run"
	fi
fi
check "netconsole unloads" rmmod netconsole
check "ping after netconsole" ping -q -c 5 -i 0.1 -W 2 "$HOST_IP"
