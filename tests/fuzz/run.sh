#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# run.sh SECONDS TARGET...: run each built fuzzer (build/TARGET) for SECONDS
# on a copy of corpus/TARGET, print a TAP line with its executions and
# exec/s, then "N passed, M failed". SECONDS 0: each seed once (regression).
# A crash leaves its input in build/crash-TARGET-* and the log next to it.
set -uo pipefail
cd "$(dirname "$0")" || exit 2
secs=$1
shift
n=0 failed=0

for t in "$@"; do
	n=$((n + 1))
	work=build/corpus/$t log=build/$t.log
	rm -rf "$work"
	mkdir -p "$work"
	cp corpus/"$t"/* "$work"/
	if [ "$secs" = 0 ]; then
		# -runs=0 executes the corpus once and stops
		build/"$t" -runs=0 "$work" >"$log" 2>&1
	else
		build/"$t" -max_total_time="$secs" -print_final_stats=1 \
			-artifact_prefix=build/crash-"$t"- "$work" >"$log" 2>&1
	fi
	rc=$?
	# libFuzzer's last words: "Done 123456 runs in 60 second(s)"
	done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)
	runs=$(echo "$done_line" | awk '{print $2}')
	s=$(echo "$done_line" | awk '{print $5}')
	if [ "$rc" = 0 ] && [ -n "$done_line" ]; then
		[ "$s" -gt 0 ] || s=1
		echo "ok $n - $t: $runs execs, $((runs / s)) exec/s, $(ls "$work" | wc -l) corpus files, no crash"
	else
		failed=$((failed + 1))
		echo "not ok $n - $t: exit $rc, see tests/fuzz/$log"
		grep -E 'ERROR|SUMMARY|Test unit written|^ *#[0-9]+ 0x' "$log" |
			head -20 | sed 's/^/# /'
	fi
done
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
