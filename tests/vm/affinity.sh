# Where ppvnet's interrupts go (net-driver/ppv_irq.c, ppv_irq_spread()),
# checked against the rule, computed here from the online CPUs and the
# active pairs, not read back from the driver: the online CPUs, in order,
# are cut into one group per pair, ncpu / nqp CPUs each (the first
# ncpu % nqp groups one more; one CPU each, wrapping, with more pairs than
# CPUs). Pair N's RX IRQ ($IF-rxN) goes to its group's first CPU, its TX
# IRQ ($IF-txN) to the second (the first when alone), and with several
# pairs the group is its XPS map. Checked where the kernel really delivers
# (/proc/irq/N/effective_affinity_list; a move still pending until the
# IRQ's next interrupt is taken from smp_affinity_list), by counting each IRQ's
# interrupts per CPU under load (TX interrupts on: ethtool -C tx-usecs 0),
# after link up, after every ethtool -L, and while CPUs go offline and
# come back under iperf3 both ways (the CPU hotplug callbacks).
# Needs a device with a vector per queue (QEMU's default) and >= 2 vCPUs.
[ "$DRIVER" = ppvnet ] || { skip "IRQ layout" "ppvnet only"; return 0 2>/dev/null || exit 0; }
net_up
MAXQP=$(ethtool -l "$IF" | awk '/^Combined:/ { print $2; exit }')
NCPU_ALL=$(grep -c '^processor' /proc/cpuinfo)
if ! grep -q " $IF-rx0\$" /proc/interrupts; then
	notok "a vector per queue: $IF-rx0 and $IF-tx0 in /proc/interrupts" \
		"$(grep "$IF" /proc/interrupts | awk '{ print $NF }' | tr '\n' ' ')"
	return 0 2>/dev/null || exit 0
fi
ok "a vector per queue: $IF-rx0 and $IF-tx0 ($(dmesg | grep -o 'MSI-X per queue' | tail -n 1))"

# online CPUs as a list: "0,2-3" -> "0 2 3"
online_cpus() {
	tr ',' '\n' </sys/devices/system/cpu/online | while IFS=- read -r a b; do
		seq "$a" "${b:-$a}"
	done | tr '\n' ' '
}
irq_of() { awk -v n="$1" '$NF == n { sub(":", "", $1); print $1 }' /proc/interrupts; }
# per-CPU interrupt counts of IRQ $1, one line "c0 c1 ..." for every CPU
# (/proc/interrupts has a column for each online CPU only: its header
# names them; an offline CPU's count reads 0)
irq_counts() {
	awk -v n="$1" -v c="$NCPU_ALL" '
		NR == 1 { for (i = 1; i <= NF; i++) { sub("CPU", "", $i); col[i] = $i }; ncol = NF }
		$NF == n { for (i = 0; i < c; i++) v[i] = 0
			   for (i = 1; i <= ncol; i++) v[col[i]] = $(i + 1)
			   s = ""; for (i = 0; i < c; i++) s = s " " v[i]; print s }' /proc/interrupts
}
# the rule: prints "rx_cpu tx_cpu xps_hexmask" per pair
layout() {
	local nqp=$1 cpus n stride extra i idx=0 size j rx tx mask c
	cpus=$(online_cpus)
	set -- $cpus
	n=$#
	stride=$((n / nqp)); [ $stride -ge 1 ] || stride=1
	extra=0; [ $n -ge "$nqp" ] && extra=$((n % nqp))
	i=0
	while [ $i -lt "$nqp" ]; do
		size=$stride; [ $i -lt $extra ] && size=$((size + 1))
		j=0 mask=0 rx= tx=
		while [ $j -lt $size ]; do
			c=$(echo "$cpus" | awk -v k=$(((idx + j) % n + 1)) '{ print $k }')
			[ $j = 0 ] && rx=$c
			[ $j = 1 ] && tx=$c
			mask=$((mask | (1 << c)))
			j=$((j + 1))
		done
		echo "$rx ${tx:-$rx} $(printf '%x' $mask)"
		idx=$((idx + size))
		i=$((i + 1))
	done
}
# check_layout WHEN: every active pair's IRQs where the rule says
check_layout() {
	local when=$1 nqp i=0 bad= pend= rx tx xm irq eff aff x
	nqp=$(ethtool -l "$IF" | awk '/^Combined:/ { v = $2 } END { print v }')
	while read -r rx tx xm; do
		for d in rx tx; do
			irq=$(irq_of "$IF-$d$i")
			if [ -z "$irq" ]; then bad="$bad $IF-$d$i:missing"; continue; fi
			eff=$(cat "/proc/irq/$irq/effective_affinity_list")
			aff=$(cat "/proc/irq/$irq/smp_affinity_list")
			want=$rx; [ $d = tx ] && want=$tx
			# x86 moves an MSI without interrupt remapping at its
			# next interrupt: until then smp_affinity shows the
			# pending mask (what ppvnet asked), effective the old
			if [ "$aff" != "$want" ]; then
				bad="$bad $IF-$d$i:asked-$aff-not-$want"
			elif [ "$eff" != "$want" ]; then
				pend="$pend $IF-$d$i:$eff->$want"
			fi
		done
		if [ "$nqp" -gt 1 ]; then
			x=$(tr -d ',' <"/sys/class/net/$IF/queues/tx-$i/xps_cpus" | sed 's/^0*//')
			[ "${x:-0}" = "$xm" ] || bad="$bad xps$i:$x-not-$xm"
		fi
		i=$((i + 1))
	done <<EOF
$(layout "$nqp")
EOF
	[ -z "$(irq_of "$IF-rx$nqp")" ] || bad="$bad $IF-rx$nqp:still-requested"
	[ -z "$pend" ] || diag "$when: moves pending until the next interrupt:$pend"
	if [ -z "$bad" ]; then
		ok "$when: $nqp pairs on CPUs $(online_cpus| sed 's/ $//'): $(layout "$nqp" | awk '{ printf "%srx%d>%s tx%d>%s", (NR > 1 ? ", " : ""), NR - 1, $1, NR - 1, $2 }')"
	else
		notok "$when: IRQs and XPS where ppv_irq_spread() puts them" "$bad"
	fi
}
# check_delivery WHEN: under 2 s of iperf3 both ways, each pair's RX and
# TX IRQ interrupt their CPUs and no other, and at least one RX and one
# TX IRQ fired (RSS and XPS pick the pairs the two flows use)
check_delivery() {
	local when=$1 nqp i d a f want bad= rx tx xm res got other rxn=0 txn=0 sum=
	nqp=$(ethtool -l "$IF" | awk '/^Combined:/ { v = $2 } END { print v }')
	a=
	i=0
	while [ $i -lt "$nqp" ]; do
		a="$a$(irq_counts "$IF-rx$i")|$(irq_counts "$IF-tx$i")|"
		i=$((i + 1))
	done
	if [ -n "${LOAD_A:-}" ] && kill -0 "$LOAD_A" 2>/dev/null; then
		sleep 2
	else
		iperf3 -c "$HOST_IP" -p 5201 -t 2 >/dev/null 2>&1 &
		iperf3 -c "$HOST_IP" -p 5202 -t 2 -R >/dev/null 2>&1
		wait $!
	fi
	i=0
	while read -r rx tx xm; do
		for d in rx tx; do
			want=$rx; f=$((2 * i + 1))
			[ $d = tx ] && { want=$tx; f=$((2 * i + 2)); }
			res=$(awk -v a="$(echo "$a" | cut -d'|' -f$f)" -v b="$(irq_counts "$IF-$d$i")" -v w="$want" 'BEGIN {
				n = split(a, p); split(b, q); bad = ""; got = 0
				for (i = 1; i <= n; i++) { dd = q[i] - p[i]; if (i - 1 == w) got = dd; else if (dd > 0) bad = bad " cpu" i - 1 "+" dd }
				print got "" bad }')
			got=${res%% *}
			other=; [ "$res" = "$got" ] || other=${res#* }
			[ -z "$other" ] || bad="$bad $IF-$d$i:also:$other"
			if [ "$got" -gt 0 ]; then
				[ $d = rx ] && rxn=$((rxn + 1))
				[ $d = tx ] && txn=$((txn + 1))
			fi
			sum="$sum $d$i:+$got@$want${other:+($other)}"
		done
		i=$((i + 1))
	done <<EOF
$(layout "$nqp")
EOF
	diag "$when: interrupts in 2 s:$sum"
	[ $rxn -gt 0 ] || bad="$bad no-RX-interrupt"
	[ $txn -gt 0 ] || bad="$bad no-TX-interrupt"
	if [ -z "$bad" ]; then ok "$when: each RX and TX IRQ interrupts its CPU only ($rxn RX, $txn TX IRQs fired)"; else notok "$when: interrupts on the CPUs of the rule" "$bad"; fi
}

usecs0=$(ethtool -c "$IF" | awk '$1 == "tx-usecs:" { print $2 }')
ethtool -C "$IF" tx-usecs 0
check_layout "link up"
check_delivery "link up"

# ethtool -L: every pair count the device offers, then back
for n in $(seq "$MAXQP" -1 1) "$MAXQP"; do
	ethtool -L "$IF" combined "$n" || { notok "ethtool -L combined $n"; continue; }
	wait_carrier 1
	check_layout "ethtool -L combined $n"
done
check_delivery "after ethtool -L"

# CPUs offline and back, under load
if [ "$NCPU_ALL" -lt 2 ] || [ ! -e /sys/devices/system/cpu/cpu1/online ]; then
	skip "CPU hotplug" "one CPU, or CPU 1 cannot go offline"
else
	load_start
	ok_all=1
	for c in $(seq 1 $((NCPU_ALL - 1))); do
		if echo 0 >"/sys/devices/system/cpu/cpu$c/online"; then
			check_layout "CPU $c offline"
			why=$(load_progress) || { ok_all=0; notok "traffic moves both ways after CPU $c went offline" "$why"; }
			# with one CPU left, NAPI may poll on without interrupts
			[ "$c" = 1 ] && [ "$NCPU_ALL" -gt 2 ] && check_delivery "CPU 1 offline"
		else
			notok "CPU $c goes offline"
		fi
	done
	for c in $(seq $((NCPU_ALL - 1)) -1 1); do
		echo 1 >"/sys/devices/system/cpu/cpu$c/online" || notok "CPU $c comes back online"
		check_layout "CPU $c back online"
		why=$(load_progress) || { ok_all=0; notok "traffic moves both ways after CPU $c came back" "$why"; }
	done
	[ $ok_all = 1 ] && ok "traffic moved both ways after every CPU went offline and came back"
	check_delivery "all CPUs back"
	load_check "CPUs offline and back"
	load_stop
fi
ethtool -C "$IF" tx-usecs "${usecs0:-1000}"
check "ping after the IRQ layout changes" ping -q -c 3 -i 0.1 -W 2 "$HOST_IP"
