# ethtool -S per-queue totals equal the netdev counters of ip -s link (both
# come from the same per-queue counters, read at rest).
ethtool_sum() {	# rx|tx packets|bytes
	ethtool -S "$IF" | awk -v n="$1" -v f="$2" '
		{ sub(/^ */, ""); k = $1; sub(/:$/, "", k) }
		k ~ ("^" n "[0-9]+_" f "$") { s += $2 }
		END { print s + 0 }'
}
for d in rx tx; do
	for f in packets bytes; do
		# retry if a stray packet (ARP) lands between the two reads
		for try in 1 2 3; do
			a=$(ethtool_sum $d $f); b=$(ip_stat $d $f); c=$(ethtool_sum $d $f)
			[ "$a" = "$c" ] && break
		done
		expect "ethtool -S ${d}N_$f sum equals ip -s link $d $f ($a = $b)" "$a" -eq "$b"
	done
done
n=$(ethtool -S "$IF" | grep -cE '^ *(rx|tx)0_')
expect "ethtool -S names per-queue counters rx0_* and tx0_* ($n)" "$n" -ge 20
