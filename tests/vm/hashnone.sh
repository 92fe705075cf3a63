# ethtool -N rx-flow-hash choices survive a reset: the rebuild an MTU
# change makes renegotiates the features and sends the hash types again.
# Every type turned off (TCP and UDP down to addresses, then the
# addresses off: ethtool 6.1 has no ip4/ip6 flow types, tests/progs/
# ppv-rxfh sets them through the ioctl) must stay off after it, not come
# back as everything the device supports; then each as it was found. Where
# the device hashes (RSS or HASH_REPORT); ppvnet only (virtio_net has no
# -N on 6.1).
if [ "$DRIVER" != ppvnet ] || ! ethtool -n "$IF" rx-flow-hash tcp4 >/dev/null 2>&1; then
	skip "hash types across a reset" "no rx-flow-hash here"
	return 0 2>/dev/null || exit 0
fi
net_up
fh() { ethtool -n "$IF" rx-flow-hash "$1" 2>&1 | grep -c -E 'IP (SA|DA)|L4 bytes'; }
all=$(for f in tcp4 udp4 tcp6 udp6; do echo "$f $(fh $f)"; done | tr '\n' ' ')
bad=0
for f in tcp4 udp4 tcp6 udp6; do ethtool -N "$IF" rx-flow-hash $f sd || bad=1; done
for f in ip4 ip6; do ppv-rxfh "$IF" $f 0 >/dev/null || bad=1; done
expect "ethtool -N: every hash type off" "$bad" -eq 0
now=$(for f in tcp4 udp4 tcp6 udp6; do fh $f; done | tr -d '\n')
expect "ethtool -n: no field hashed for tcp4 udp4 tcp6 udp6 ($now)" "$now" -eq 0
ip link set "$IF" mtu 1400 && ip link set "$IF" mtu 1500
wait_carrier 1
now=$(for f in tcp4 udp4 tcp6 udp6; do fh $f; done | tr -d '\n')
expect "after the rebuild, still no field hashed ($now)" "$now" -eq 0
for f in ip4 ip6; do ppv-rxfh "$IF" $f 30 >/dev/null; done
# each as it was found (a test before may have left tcp4 at sd)
set -- $all
while [ $# -ge 2 ]; do
	case $2 in 4) h=sdfn ;; *) h=sd ;; esac
	ethtool -N "$IF" rx-flow-hash "$1" $h
	shift 2
done
back=$(for f in tcp4 udp4 tcp6 udp6; do echo "$f $(fh $f)"; done | tr '\n' ' ')
if [ "$back" = "$all" ]; then ok "the types as they were found ($back)"; else notok "the types as they were found" "$back, was $all"; fi
check "ping" ping -q -c 3 -i 0.1 -W 2 "$HOST_IP"
