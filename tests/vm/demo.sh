# The main job: driver, link up, ping, iperf3 both ways, ethtool -i and -S.
. /ppv/tests/load.sh
. /ppv/tests/link.sh
ping -c 3 "$HOST_IP" | sed "s/^/PPV /"
. /ppv/tests/ping.sh
. /ppv/tests/iperf_tcp.sh
echo "PPV ---- ethtool -i $IF"
ethtool -i "$IF" | sed 's/^/PPV /'
echo "PPV ---- ethtool -S $IF"
ethtool -S "$IF" | sed 's/^/PPV /'
echo "PPV ---- ip -s link show $IF"
ip -s link show "$IF" | sed 's/^/PPV /'
