# Load, bring up, pass traffic and unload the driver PPV_CYCLES times (20 by
# default): every cycle must work, and nothing may be left behind: the TX
# slab cache goes with the module (kmem_cache_destroy complains in dmesg if
# objects remain, which fails the log check) and free memory comes back
# (a leaked ring of pages per cycle would be 256 pages x cycles).
n=${PPV_CYCLES:-20}
[ -d "/sys/module/$DRIVER" ] && driver_unload
# Free pages once caches are given back: every slab cache shrunk (on a
# KASAN kernel that also empties its quarantine of freed objects, which
# otherwise holds thousands of pages that look lost) and the page cache
# dropped.
free_pages() {
	local f
	for f in /sys/kernel/slab/*/shrink; do echo 1 >"$f" 2>/dev/null; done
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^nr_free_pages / { print $2 }' /proc/vmstat
}
free0=$(free_pages)
failed=0 i=0 why=
while [ $i -lt "$n" ]; do
	i=$((i + 1))
	driver_load || { why="cycle $i: load"; failed=1; break; }
	net_up || { why="cycle $i: no carrier"; failed=1; break; }
	if [ "$DRIVER" = ppvnet ] && [ ! -e /sys/kernel/slab/ppvnet_tx ]; then
		why="cycle $i: no ppvnet_tx slab cache while loaded"; failed=1; break
	fi
	ping -q -c 3 -i 0.1 -W 2 "$HOST_IP" >/dev/null 2>&1 ||
		{ why="cycle $i: ping"; failed=1; break; }
	iperf3 -c "$HOST_IP" -t 1 -R >/tmp/iperf.out 2>&1 ||
		{ why="cycle $i: iperf3 $(tail -n 1 /tmp/iperf.out)"; failed=1; break; }
	ip link set "$IF" down
	driver_unload || { why="cycle $i: unload"; failed=1; break; }
	if [ -e /sys/kernel/slab/ppvnet_tx ]; then
		why="cycle $i: ppvnet_tx slab cache left after rmmod"; failed=1; break
	fi
done
if [ $failed = 0 ]; then ok "$n cycles of load, up, ping, iperf3, unload"; else notok "$n cycles of load, up, ping, iperf3, unload" "$why"; fi
sleep 1
free1=$(free_pages)
diag "free pages before $free0, after $i cycles $free1"
expect "free pages came back after $i cycles (lost < 2048)" $((free0 - free1)) -lt 2048
driver_load && net_up
