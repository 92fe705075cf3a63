# iperf3 TCP, 3 s each way, completes with non-zero throughput.
up=$(iperf_mbps -t 3)
diag "TCP guest->host: $up Mbit/s"
if [ "$(echo "$up" | awk '{ print ($1 > 0) }')" = 1 ]; then ok "iperf3 TCP guest->host > 0 ($up Mbit/s)"; else notok "iperf3 TCP guest->host > 0" "$(tail -n 2 /tmp/iperf.out | tr '\n' ' ')"; fi
down=$(iperf_mbps -t 3 -R)
diag "TCP host->guest: $down Mbit/s"
if [ "$(echo "$down" | awk '{ print ($1 > 0) }')" = 1 ]; then ok "iperf3 TCP host->guest > 0 ($down Mbit/s)"; else notok "iperf3 TCP host->guest > 0" "$(tail -n 2 /tmp/iperf.out | tr '\n' ' ')"; fi
