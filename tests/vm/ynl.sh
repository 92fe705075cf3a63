# netdev netlink, read with the kernel's own ynl CLI (tools/net/ynl/cli.py
# and Documentation/netlink/specs of linux-source-6.12, lib.sh's ks):
# queues and their NAPI instances, the NAPIs' interrupts, per-queue
# statistics (qstats) against the interface's counters, the page pools with
# their NAPI and ifindex and their statistics; then again after ethtool -L.
# Kernels with netdev netlink only (6.12 on); PPV_QUEUES pairs (default 2).
want=${PPV_QUEUES:-2}
ynl() {	# FAMILY ARGS...: JSON on stdout
	local fam=$1
	shift
	# --process-unknown: 6.12's spec reads a newer kernel's replies too
	# (7.3's napi-get has attributes 6.12's spec does not know)
	ks python3 /mnt/tools/net/ynl/cli.py --no-schema --output-json --process-unknown \
		--spec "/mnt/Documentation/netlink/specs/$fam.yaml" "$@"
}
jqr() { ks jq -r "$@"; }
ifx=$(cat "/sys/class/net/$IF/ifindex")
sel="{\"ifindex\": $ifx}"

if ! check "ynl: 9p userland and the kernel's ynl" ks_setup; then
	ks_teardown
	return 0
fi

# ynl_queues N: queue-get and napi-get agree with N active pairs
ynl_queues() {
	local n=$1 q napis ids irq i line split name
	q=$(ynl netdev --dump queue-get --json "$sel") || { notok "ynl: queue-get" "$q"; return; }
	expect "ynl: queue-get lists $n rx queues" "$(echo "$q" | jqr '[.[] | select(.type == "rx")] | length')" -eq "$n"
	expect "ynl: queue-get lists $n tx queues" "$(echo "$q" | jqr '[.[] | select(.type == "tx")] | length')" -eq "$n"
	if grep -q " $IF-rx0\$" /proc/interrupts; then
		# a vector per queue: TX completions have a NAPI of their own,
		# TX-only (netif_napi_add_tx(), as virtio_net's). Whether the
		# kernel gives such a NAPI an id differs: 6.12 does, 7.3 does
		# not (not for busy polling); either way no TX queue may show
		# an RX queue's NAPI
		split=1
		expect "ynl: every rx queue has a napi-id" "$(echo "$q" | jqr '[.[] | select(.type == "rx" and ."napi-id" == null)] | length')" -eq 0
		expect "ynl: no tx queue shows an rx queue's NAPI (TX NAPIs of their own)" \
			"$(echo "$q" | jqr '[.[] | select(.type == "rx") | ."napi-id"] as $rx | [.[] | select(.type == "tx" and ."napi-id" != null and (."napi-id" as $t | $rx | index($t)))] | length')" -eq 0
		expect "ynl: $n distinct NAPIs over the rx queues" "$(echo "$q" | jqr '[.[] | select(.type == "rx") | ."napi-id"] | unique | length')" -eq "$n"
	else
		# rx i and tx i: one pair, one NAPI; each pair its own
		split=0
		expect "ynl: every queue has a napi-id" "$(echo "$q" | jqr '[.[] | select(."napi-id" == null)] | length')" -eq 0
		expect "ynl: rx and tx queue i share their pair's NAPI" \
			"$(echo "$q" | jqr '[group_by(.id)[] | select((map(."napi-id") | unique | length) != 1)] | length')" -eq 0
		expect "ynl: $n distinct NAPIs over the queues" "$(echo "$q" | jqr '[.[]."napi-id"] | unique | length')" -eq "$n"
	fi
	napis=$(ynl netdev --dump napi-get --json "$sel" 2>/tmp/ynl.err) ||
		{ notok "ynl: napi-get" "$napis $(tail -n 1 /tmp/ynl.err)"; return; }
	# every queue's NAPI; the pairs ethtool -L took away keep theirs
	# registered (as virtio_net's do): listed, with no queue
	ids=$(echo "$q" | jqr '[.[] | select(.type == "rx" or '"$split"' == 0) | ."napi-id" | select(. != null)] | unique')
	expect "ynl: napi-get lists the queues' NAPIs" \
		"$(echo "$napis" | jqr --argjson q "$ids" '$q - [.[].id] | length')" -eq 0
	diag "ynl: napi-get: $(echo "$napis" | jqr '[.[] | "\(.id) irq \(.irq // "none")"] | join(", ")')"
	# each rx queue's NAPI has its vector's irq: <if>-rx<i>, or the
	# pair's, <if>-qp<i>
	name=qp; [ $split = 1 ] && name=rx
	i=0
	for irq in $(echo "$q" | jqr --argjson napis "$napis" \
		'[.[] | select(.type == "rx")] | sort_by(.id)[] | ."napi-id" as $n | ($napis[] | select(.id == $n) | .irq) // "none"'); do
		line=$(grep "^ *$irq:" /proc/interrupts)
		case $line in
		*" $IF-$name$i") ok "ynl: rx queue $i's NAPI has irq $irq ($IF-$name$i)" ;;
		*) notok "ynl: rx queue $i's NAPI has the irq of $IF-$name$i" "irq $irq: ${line:-not in /proc/interrupts}" ;;
		esac
		i=$((i + 1))
	done
}

# ynl_pools N: N live page pools on this interface, one per rx queue NAPI
ynl_pools() {
	local n=$1 q pp live
	q=$(ynl netdev --dump queue-get --json "$sel")
	pp=$(ynl netdev --dump page-pool-get) || { notok "ynl: page-pool-get" "$pp"; return; }
	live=$(echo "$pp" | jqr --argjson i "$ifx" '[.[] | select(.ifindex == $i and ."detach-time" == null)]')
	expect "ynl: page-pool-get lists $n pools of $IF" "$(echo "$live" | jqr length)" -eq "$n"
	expect "ynl: the pools belong to the rx queues' NAPIs" \
		"$(echo "$live" | jqr '[.[]."napi-id"] | sort | map(tostring) | join(",")')" = \
		"$(echo "$q" | jqr '[.[] | select(.type == "rx") | ."napi-id"] | sort | map(tostring) | join(",")')"
	expect "ynl: every pool has pages in flight (the filled rings)" \
		"$(echo "$live" | jqr '[.[] | select((.inflight // 0) == 0)] | length')" -eq 0
}

diag "ynl: $IF ifindex $ifx, $(ynl netdev --dump queue-get --json "$sel" | jqr length) queues"
ynl_queues "$want"
ynl_pools "$want"

# traffic (4 TCP streams out: GSO packets out, their ACKs in; not in:
# with rss=on, QEMU 7.2 can stall a receiving TCP flow), then the
# counters: qstats per queue, and the device totals between two reads of
# ip -s (IPv6 chatter may arrive between reads)
timeout 30 iperf3 -c "$HOST_IP" -t 2 -P 4 >/tmp/iperf.out 2>&1 ||
	diag "ynl: iperf3 failed: $(tail -n 1 /tmp/iperf.out)"
qs=$(ynl netdev --dump qstats-get --json "{\"ifindex\": $ifx, \"scope\": \"queue\"}") ||
	notok "ynl: qstats-get per queue" "$qs"
for k in rx-packets rx-bytes rx-alloc-fail rx-hw-gro-packets; do
	expect "ynl: qstats of every rx queue have $k" \
		"$(echo "$qs" | jqr --arg k "$k" '[.[] | select(."queue-type" == "rx" and .[$k] == null)] | length')" -eq 0
done
for k in tx-packets tx-bytes tx-needs-csum tx-hw-gso-packets tx-stop tx-wake; do
	expect "ynl: qstats of every tx queue have $k" \
		"$(echo "$qs" | jqr --arg k "$k" '[.[] | select(."queue-type" == "tx" and .[$k] == null)] | length')" -eq 0
done
expect "ynl: qstats for $want rx queues" "$(echo "$qs" | jqr '[.[] | select(."queue-type" == "rx")] | length')" -eq "$want"
# about 2 s at over 1 Mbit/s each way: at least 100 packets
expect "ynl: received packets counted on the rx queues" \
	"$(echo "$qs" | jqr '[.[] | select(."queue-type" == "rx") | ."rx-packets"] | add')" -ge 100
expect "ynl: GSO packets counted on the tx queues" \
	"$(echo "$qs" | jqr '[.[] | select(."queue-type" == "tx") | ."tx-hw-gso-packets"] | add')" -ge 1
for dir in rx tx; do
	a=$(ip_stat "$dir" packets)
	d=$(ynl netdev --dump qstats-get --json "$sel" | jqr ".[0].\"$dir-packets\"")
	b=$(ip_stat "$dir" packets)
	if [ "$a" -le "$d" ] && [ "$d" -le "$b" ]; then
		ok "ynl: device $dir-packets $d between ip -s's $a and $b"
	else
		notok "ynl: device $dir-packets between ip -s's reads" "ip -s $a, qstats $d, ip -s $b"
	fi
done
if pps=$(ynl netdev --dump page-pool-stats-get 2>&1); then
	ids=$(ynl netdev --dump page-pool-get | jqr --argjson i "$ifx" '[.[] | select(.ifindex == $i and ."detach-time" == null) | .id]')
	expect "ynl: the pools allocated pages" \
		"$(echo "$pps" | jqr --argjson ids "$ids" '[.[] | select(.info.id as $x | $ids | index($x)) | (."alloc-fast" + ."alloc-slow")] | add // 0')" -gt 0
	expect "ynl: the pools recycled pages" \
		"$(echo "$pps" | jqr --argjson ids "$ids" '[.[] | select(.info.id as $x | $ids | index($x)) | (."recycle-cached" + ."recycle-ring")] | add // 0')" -gt 0
else
	case $pps in
	*"Operation not supported"*)
		skip "ynl: page-pool-stats-get" "kernel without CONFIG_PAGE_POOL_STATS (Debian's 6.12)" ;;
	*) notok "ynl: page-pool-stats-get" "$(echo "$pps" | tail -n 1)" ;;
	esac
fi

# fewer pairs, then back: the lists follow
if [ "$want" -gt 1 ]; then
	check "ynl: ethtool -L combined 1" ethtool -L "$IF" combined 1
	ynl_queues 1
	ynl_pools 1
	check "ynl: ethtool -L combined $want" ethtool -L "$IF" combined "$want"
	ynl_queues "$want"
	ynl_pools "$want"
fi
ks_teardown
