# Profile body for tools/profile.sh (not part of make check): one workload
# (PPV_PROF: udp64_tx, udp64_rx, tcp_tx or tcp_rx) for PPV_BENCH_SECONDS
# under perf's cpu-clock sampling on every CPU, then the symbols that took
# the most samples, as "# PROF" lines. Under -icount a sample falls every
# so many guest instructions, so the shares are shares of instructions.
T=${PPV_BENCH_SECONDS:-5}
W=${PPV_PROF:-udp64_tx}
[ -n "$IF" ] || driver_load
net_up
ping -q -c 2 -W 2 "$HOST_IP" >/dev/null 2>&1
if ! command -v perf >/dev/null; then
	notok "profile $W" "no perf in the guest (tools/profile.sh puts it there)"
	return 0 2>/dev/null || exit 0
fi
case $W in
udp64_tx) set -- -u -l 64 -b 0 ;;
udp64_rx) set -- -u -l 64 -b 0 -R ;;
tcp_tx) set -- ;;
tcp_rx) set -- -R ;;
*) notok "profile $W" "unknown workload"; return 0 2>/dev/null || exit 0 ;;
esac
p0=$(ip_stat "${W##*_}" packets); b0=$(ip_stat "${W##*_}" bytes)
perf record -q -a -F "${PPV_PROF_FREQ:-997}" -e cpu-clock -o /tmp/perf.data -- \
	iperf3 -c "$HOST_IP" -t "$T" "$@" >/tmp/iperf.out 2>&1
rc=$?
p1=$(ip_stat "${W##*_}" packets); b1=$(ip_stat "${W##*_}" bytes)
echo "# PROF packets $((p1 - p0)) bytes $((b1 - b0))"
perf report -q -n -i /tmp/perf.data --stdio --sort dso 2>/dev/null |
	awk 'NF { print "# PROF dso " $0 }' | head -n 8
perf report -q -n -i /tmp/perf.data --stdio --sort comm 2>/dev/null |
	awk 'NF { print "# PROF comm " $0 }' | head -n 8
perf report -q -n -i /tmp/perf.data --stdio --sort sym 2>/dev/null |
	awk 'NF { print "# PROF sym " $0 }' | head -n "${PPV_PROF_TOP:-60}"
expect "profile $W ran (perf rc $rc)" "$rc" -eq 0
# PPV_PROF_ANNOTATE: comma-separated symbols whose samples are counted per
# offset (map them with objdump -d on the host)
for s in $(echo "${PPV_PROF_ANNOTATE:-}" | tr , " "); do
	perf script -i /tmp/perf.data -F ip,sym,symoff 2>/dev/null |
		awk -v s="$s" '$2 ~ "^" s "\\+0x" { n[$2]++ } END { for (k in n) print n[k], k }' |
		sort -rn | head -n 60 | awk '{ print "# PROF ann " $0 }'
done
