# Late kernel messages: page_pool reports a pool that still had pages in
# flight when the driver destroyed it ("stalled pool") only 60 s later, so
# after the test that caused it has passed. Appended to a run after the
# tests that bring the interface down and unload the driver.
# Where the guest has netdev netlink and the selftests' userland is shared
# (vm.py --share, lib.sh's ks_setup: the 6.12 and 7.3 phases), the kernel
# is asked at once: ynl's page-pool-get lists every page pool still alive,
# a destroyed one with pages in flight too (detached, shown on the
# loopback device); none may be left within 10 s of the unload. Elsewhere
# (6.1, no netdev netlink) it waits PPV_LATE_WAIT (65) s; either way
# run_test then fails it on every DMESG_BAD line logged since the previous
# test's check.
pools() {	# the page pools the kernel lists, as a count
	ks python3 /mnt/tools/net/ynl/cli.py --no-schema --output-json --process-unknown \
		--spec /mnt/Documentation/netlink/specs/netdev.yaml \
		--dump page-pool-get | ks jq length
}
if [ -d /sys/class/net/lo ] && ks_setup 2>/dev/null && n=$(pools) && [ -n "$n" ]; then
	t=0
	while [ "$n" != 0 ] && [ $t -lt 20 ]; do
		sleep 0.5
		t=$((t + 1))
		n=$(pools)
	done
	expect "page-pool-get: no page pool left after the unload ($n after $((t / 2)) s)" "$n" -eq 0
	[ "$n" = 0 ] || diag "left: $(ks python3 /mnt/tools/net/ynl/cli.py --no-schema --output-json --process-unknown \
		--spec /mnt/Documentation/netlink/specs/netdev.yaml --dump page-pool-get | tr -d '\n' | cut -c1-400)"
	ks_teardown
else
	ks_teardown 2>/dev/null
	w=${PPV_LATE_WAIT:-65}
	diag "waiting $w s for late kernel messages (page_pool's stalled pool report comes 60 s after)"
	sleep "$w"
fi
