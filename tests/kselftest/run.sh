#!/usr/bin/env bash
# The kernel's own NIC driver selftests (drivers/net/*.py and hw/*.py of
# Debian's linux-source-6.12) on a 6.12 guest with a 2-queue virtio-net
# device, first under the in-tree virtio_net, then under ppvnet, each with
# an e1000 in a network namespace as the remote end (tests/vm/kselftest.sh).
# Prints both guests' TAP, then one line per case, judged against the
# committed baseline of what virtio_net passes on this setup
# (tests/kselftest/baseline-<kernel>.txt: case, result, and for each case
# it does not pass the reason, found by looking at it):
#   ok      ppvnet passes it;
#   not ok  virtio_net passes it (in the baseline or in this run) and
#           ppvnet does not; or virtio_net's result here differs from the
#           baseline (it lost a pass: the harness broke; it gained one:
#           the baseline is out of date); or a case the baseline lacks;
#   SKIP    neither passes it, with the baseline's reason.
# PPV_KSFT_VIRTIO=0 runs ppvnet alone against the baseline (make check);
# PPV_KSFT_RECORD=1 rewrites the baseline from virtio_net's run;
# PPV_KSFT_REUSE=1 judges the last run's logs again without booting.
# The case table goes to build/logs/kselftest-summary.txt as well
# (kselftest-<kernel>-summary.txt for another PPV_KSFT_KERNEL, so that
# make check's fault run keeps the 6.12 suite's files).
#   tests/kselftest/run.sh [vm.py options]
#   PPV_KSFT_KERNEL: the guest kernel (a KERNEL value), default 6.12; not
#   KERNEL itself, which make exports as "default" (6.1: no netdev netlink)
#   PPV_KSFT_FILE: one test file (relative to drivers/net) instead of all
#   PPV_KSFT_REQUIRE: cases (file:case) ppvnet must pass whatever
#   virtio_net does (make kselftest-fault: hw/pp_alloc_fail.py, which
#   virtio_net, with no page pool on 6.12, cannot pass)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
export KERNEL=${PPV_KSFT_KERNEL:-6.12}
logs=$top/build/logs
mkdir -p "$logs"
ks=kselftest
[ "$KERNEL" = 6.12 ] || ks=kselftest-$KERNEL
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1${2:+ # $2}"; }

if ! src=$(qemu-setup/kselftests.sh src) || ! root=$(qemu-setup/kselftests.sh root); then
	notok "kselftest sources and guest userland"
	exit 1
fi
ok "kselftest sources ($(cat "$src/.ppv-version")) and guest userland"
# held shared while the guests use the userland: a newer chroot of its
# family does not prune it under them (qemu-setup/chroot.sh)
exec 7>"$root.lock"
flock -s 7
# Without rss=on: with it, QEMU 7.2 parks a packet it cannot place on a
# full queue on the tap queue it came from, which only that queue's next
# kick releases, so TCP receive can stall for good (ping.py's test_tcp,
# and the traffic of pp_alloc_fail.py and rss_ctx.py); hw/rss_ctx.py then
# finds no RSS. ppvnet's guest then reads netdev netlink with ynl
# (tests/vm/ynl.sh; virtio_net has no page pools on 6.12). ynl goes
# after the suite: after an ethtool -L 1 and back (QEMU detaches and
# re-attaches tap queue 1), ping.py's test_tcp to the e1000 hung in 2 of
# 3 runs under virtio_net and 1 of 3 under ppvnet.
only=()
[ -n "${PPV_KSFT_FILE:-}" ] && only=(--append "ppv.env.PPV_KSFT=$PPV_KSFT_FILE")
# PPV_KSFT_VIRTIO=0: ppvnet only, judged against the baseline alone
drivers="virtio_net ppvnet" ran_virtio=1
if [ "${PPV_KSFT_VIRTIO:-1}" = 0 ]; then
	drivers=ppvnet ran_virtio=0
	: >"$logs/$ks-virtio_net.log"
fi
base=$top/tests/kselftest/baseline-$KERNEL.txt
[ -f "$base" ] || echo "# no baseline for $KERNEL ($base): ppvnet is judged against virtio_net's run alone"
if [ "$ran_virtio" = 0 ] && [ ! -f "$base" ]; then
	notok "kselftest: a baseline ($base) or a virtio_net run to judge ppvnet by"
	exit 1
fi
# PPV_KSFT_REUSE=1: judge the logs of the last run again (no guests)
[ "${PPV_KSFT_REUSE:-0}" = 1 ] && drivers=
for d in $drivers; do
	t="load link kselftest unload"
	[ $d = ppvnet ] && t="load link kselftest ynl unload"
	DRIVER=$d qemu-setup/boot.sh --mode test --queues 2 --peer-nic e1000 \
		--share "$root:ppvroot" --share "$src:ppvksft" \
		--tests "$t" --timeout 1200 "${only[@]}" "$@" \
		>"$logs/$ks-$d.log" 2>&1
	rc=$?
	# the guest's own checks, numbered by the caller (tests/tap-phases.sh)
	sed "s/^\(\(not \)\{0,1\}ok [0-9]*\) - /\1 - $d: /" "$logs/$ks-$d.log"
	[ $rc = 0 ] || notok "$d guest finished (exit $rc, log $logs/$ks-$d.log)"
done

# "# KSFT file:case RES reason" lines of both guests, side by side
awk '
	FNR == 1 { d = (FILENAME ~ /virtio_net/) ? "v" : "p" }
	$1 == "#" && $2 == "KSFT" {
		c = $3
		if (!(c in seen)) { seen[c] = 1; order[++k] = c }
		res[d, c] = $4
		r = ""
		for (i = 5; i <= NF; i++) r = r (i > 5 ? " " : "") $i
		why[d, c] = r
	}
	END {
		for (i = 1; i <= k; i++) {
			c = order[i]
			v = ((("v", c) in res) ? res["v", c] : "MISSING")
			p = ((("p", c) in res) ? res["p", c] : "MISSING")
			printf "%s\t%s\t%s\t%s\t%s\n", c, v, p, why["v", c], why["p", c]
		}
	}' "$logs/$ks-virtio_net.log" "$logs/$ks-ppvnet.log" >"$logs/$ks-cases.tsv"

: >"$logs/$ks-summary.txt"
required() { case " ${PPV_KSFT_REQUIRE:-} " in *" $1 "*) return 0 ;; esac; return 1; }
# the baseline's result and reason for a case ("" when it has none)
base_res() { [ -f "$base" ] && awk -F'\t' -v c="$1" '$1 == c { print $2; exit }' "$base"; }
base_why() { [ -f "$base" ] && awk -F'\t' -v c="$1" '$1 == c { print $3; exit }' "$base"; }
in_scope() {	# the baseline's cases of the files this run ran
	[ -z "${PPV_KSFT_FILE:-}" ] || [ "${1%%:*}" = "$PPV_KSFT_FILE" ]
}
# the baseline's cases the guests did not report join the table as MISSING
if [ -f "$base" ]; then
	grep -v '^#' "$base" | cut -f1 | while read -r c; do
		[ -n "$c" ] && in_scope "$c" && ! cut -f1 "$logs/$ks-cases.tsv" | grep -qxF "$c" &&
			printf '%s\tMISSING\tMISSING\t\t\n' "$c"
	done >>"$logs/$ks-cases.tsv"
fi
while IFS=$'\t' read -r c v p vw pw; do
	b=$(base_res "$c")
	[ "$ran_virtio" = 1 ] || { v=NOTRUN; vw=; }
	printf '%-45s baseline %-7s virtio_net %-7s ppvnet %-7s %s\n' "$c" "${b:-NONE}" "$v" "$p" \
		"${pw:-${vw:-$(base_why "$c")}}" >>"$logs/$ks-summary.txt"
	# virtio_net against the baseline: what it passes there it passes
	# here, and nothing more (a harness that broke, or a baseline out of
	# date: re-record it with PPV_KSFT_RECORD=1 and look at each change)
	if [ "$ran_virtio" = 1 ] && [ -f "$base" ]; then
		if [ -z "$b" ]; then
			notok "kselftest $c: in the baseline $base" "a case the baseline does not know: virtio_net $v"
		elif [ "$b" = PASS ] && [ "$v" != PASS ]; then
			notok "kselftest $c: virtio_net passes as in the baseline" "virtio_net: $v $vw"
		elif [ "$b" != PASS ] && [ "$v" = PASS ]; then
			notok "kselftest $c: virtio_net fails as in the baseline ($b: $(base_why "$c"))" "virtio_net now passes it"
		fi
	fi
	if [ "$p" = PASS ]; then
		ok "kselftest $c: ppvnet passes (baseline: ${b:-NONE}, virtio_net: $v)"
	elif [ "$b" = PASS ] || [ "$v" = PASS ] || required "$c"; then
		notok "kselftest $c: ppvnet passes as virtio_net does" "ppvnet: $p ${pw}"
	elif [ -n "$b" ]; then
		# SKIP directive: counted as passed by TAP, shown as skipped;
		# the reason is the one the baseline gives, after a look
		n=$((n + 1))
		echo "ok $n - kselftest $c # SKIP neither driver passes: $(base_why "$c"); ppvnet $p${pw:+ ($pw)}"
	elif [ ! -f "$base" ]; then
		# no baseline for this kernel: judged by this run's virtio_net
		n=$((n + 1))
		echo "ok $n - kselftest $c # SKIP neither driver passes: ppvnet $p${pw:+ ($pw)}; virtio_net $v${vw:+ ($vw)}"
	else
		notok "kselftest $c: in the baseline $base" "not there, and ppvnet: $p ${pw}"
	fi
done <"$logs/$ks-cases.tsv"
for d in $([ "$ran_virtio" = 1 ] && echo virtio_net) ppvnet; do
	col=2; [ $d = ppvnet ] && col=3
	echo "# $d: $(cut -f$col "$logs/$ks-cases.tsv" | sort | uniq -c | awk '{ printf "%s%s %s", sep, $1, tolower($2); sep = ", " }')"
done
[ -s "$logs/$ks-cases.tsv" ] || notok "kselftest cases reported by the guests"
for c in ${PPV_KSFT_REQUIRE:-}; do
	cut -f1 "$logs/$ks-cases.tsv" | grep -qxF "$c" ||
		notok "kselftest $c: reported by the guests"
done
# PPV_KSFT_RECORD=1: write virtio_net's results as the new baseline (the
# reasons of cases it does not pass come from the old baseline, or
# "TODO" for a new one: each needs a look before it is committed)
if [ "${PPV_KSFT_RECORD:-0}" = 1 ] && [ "$ran_virtio" = 1 ]; then
	{
		sed -n '/^#/p' "$base" 2>/dev/null
		while IFS=$'\t' read -r c v _ vw _; do
			[ "$v" = MISSING ] && continue
			if [ "$v" = PASS ]; then
				printf '%s\tPASS\t\n' "$c"
			else
				printf '%s\t%s\t%s\n' "$c" "$v" "$(base_why "$c" | grep . || echo "TODO $vw")"
			fi
		done <"$logs/$ks-cases.tsv"
	} >"$logs/$ks-baseline.new"
	mv "$logs/$ks-baseline.new" "$base"
	echo "# baseline written: $base"
fi
[ $fail = 0 ]
