# iperf3 TCP, 3 s each way, moves at least a floor (min_mbps; PPV_MIN_MBPS,
# e.g. --append ppv.env.PPV_MIN_MBPS=1, overrides it): one that a working
# driver always clears under TCG, and a badly broken one (1 % of normal,
# constant retransmits or stalls) does not. Measured here (2 vCPUs under
# TCG, other VMs or a kernel build sharing the 2 host cores), Mbit/s, in
# this test, mtu.sh (host->guest) and flapload.sh (guest->host):
#   stock 6.1   ppvnet guest->host 64-419, host->guest 384-1616
#               virtio_net guest->host 128-1227, host->guest 501-2473
#   6.12        ppvnet 410-542 / 750-1023; virtio_net 746-1031 / 1169-1718
#   6.1 INTx    ppvnet 222-232 / 677-782
#   debug 6.1   ppvnet guest->host 9.8-17.1, host->guest 36.5-89.5
#               virtio_net 95.8-119 / 273-373
# Floors, guest->host: 10 Mbit/s stock (6x under the slowest), 1 debug
# (9x); host->guest: 30 stock (12x), 3 debug (12x). 1 % of normal is
# 0.6-12 / 3.8-25 Mbit/s stock and 0.1-1.2 / 0.4-3.7 debug.
up=$(iperf_mbps -t 3)
diag "TCP guest->host: $up Mbit/s"
expect_mbps "iperf3 TCP guest->host" "$up" "$(min_mbps 10 1)"
down=$(iperf_mbps -t 3 -R)
diag "TCP host->guest: $down Mbit/s"
expect_mbps "iperf3 TCP host->guest" "$down" "$(min_mbps 30 3)"
