# The kernel's own NIC driver selftests (tools/testing/selftests/drivers/net
# of linux-source-6.12, qemu-setup/kselftests.sh) against $IF, with a second
# NIC of another model (vm.py --peer-nic e1000) in a network namespace as
# their remote end (NetDrvEpEnv, REMOTE_TYPE=netns).
# The host shares two folders read-only over 9p (vm.py --share): a Debian
# 13 userland (python3, PyYAML, iproute2, ethtool, socat, iperf3, jq), tag
# ppvroot, and the selftests, tag ppvksft. The tests run chrooted into the
# first with the second at /mnt (lib.sh's ks).
# Each case's result is printed as a diag line
#   # KSFT <file>:<case> PASS|FAIL|SKIP [reason]
# for tests/kselftest/run.sh, which compares the two drivers. Checked here:
# the setup, that every test file ran to its end (a plan and as many
# results), and the kernel log (run_test).
#   PPV_KSFT: the test files, relative to drivers/net (default below)
KS_FILES=${PPV_KSFT:-ping.py queues.py stats.py hw/csum.py hw/devlink_port_split.py hw/pp_alloc_fail.py hw/rss_ctx.py}

if ! check "kselftest: 9p userland and selftests" ks_setup; then
	ks_teardown
	return 0
fi
diag "kselftest: $(cat $KS_ROOT/mnt/.ppv-version 2>/dev/null) on $(uname -r), peer $KS_PEER"
if ! check "kselftest: peer $KS_PEER in netns ppvrem answers over IPv4 and IPv6" ks_net; then
	ks_teardown
	return 0
fi
for f in $KS_FILES; do
	dir=/mnt/tools/testing/selftests/drivers/net
	case $f in */*) dir=$dir/${f%/*} ;; esac
	read -r t0 _ </proc/uptime
	ks /bin/sh -c "cd $dir && exec timeout ${PPV_KSFT_TIMEOUT:-300} \
		env PYTHONUNBUFFERED=1 NETIF=$IF \
		LOCAL_V4=$GUEST_IP REMOTE_V4=$KS_PEER_IP \
		LOCAL_V6=${KS_V6}2 REMOTE_V6=${KS_V6}3 \
		REMOTE_TYPE=netns REMOTE_ARGS=ppvrem python3 ./${f##*/}" \
		>/tmp/ksft.out 2>&1
	rc=$?
	read -r t1 _ </proc/uptime
	sed 's/^/# | /' /tmp/ksft.out
	# KTAP: "ok 3 stats.pkt_byte_sum", "ok 1 x.y # SKIP why",
	# "not ok 2 x.z"; the "# ..." lines before a result say why it failed
	awk -v f="$f" '
		/^# / { why = substr($0, 3) }
		/^(not )?ok [0-9]+ / {
			res = ($1 == "not") ? "FAIL" : "PASS"
			n = ($1 == "not") ? 4 : 3
			c = $(n); sub(/^[^.]*\./, "", c)
			r = ""
			if (match($0, / # (SKIP|XFAIL)/)) {
				res = "SKIP"; r = substr($0, RSTART + 3)
				sub(/^SKIP ?/, "", r)
			} else if (res == "FAIL") r = why
			printf "# KSFT %s:%s %s %s\n", f, c, res, r
			why = ""
		}' /tmp/ksft.out
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' /tmp/ksft.out | head -n 1)
	got=$(grep -cE '^(not )?ok [0-9]+ ' /tmp/ksft.out)
	diag "kselftest $f: exit $rc, $((${t1%.*} - ${t0%.*})) s"
	if [ "$rc" = 4 ] && [ "$got" = 0 ]; then
		# kselftest's exit code for a skip: the whole file skipped
		why=$(grep -v '^$' /tmp/ksft.out | tail -n 1 | sed 's/^# //')
		echo "# KSFT $f:all SKIP $why"
		ok "kselftest $f skipped as a whole: $why"
	elif [ "$rc" = 124 ] && [ -n "$plan" ]; then
		# killed: the case after the last result hung, the rest never
		# ran; run.sh counts them as not passed (MISSING) and compares
		echo "# KSFT $f:timeout FAIL killed after ${PPV_KSFT_TIMEOUT:-300} s, $got of $plan cases reported"
		ok "kselftest $f: $got of $plan cases, then killed after ${PPV_KSFT_TIMEOUT:-300} s (judged by the comparison)"
	elif [ -n "$plan" ] && [ "$got" = "$plan" ]; then
		ok "kselftest $f ran to its end ($got cases)"
	else
		notok "kselftest $f ran to its end" "plan '${plan:-none}', $got results, exit $rc"
	fi
done
ks_teardown
