#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# mutants.sh BINARY SECONDS RUNS IMPL...: the mutation experiment.
# Runs the concurrent test (BINARY, build/conc or build/conc-tsan) for each
# implementation (orig or a mutant of ppv_vring.c, see vring_ops.h) in each
# configuration (receive/transmit x flags/event idx/event idx with a
# vhost-style device x ring 16/256), RUNS times, each run at most SECONDS.
# A run is caught when the test fails (lost wakeup, stall, data error) or,
# in the ThreadSanitizer build, when TSan reports a data race. Prints a TAP
# line per implementation and configuration (ok: orig never caught, a
# mutant caught at least once; "# SKIP" where the mutated function is never
# called), then a table of time to the failure. Takes minutes.
set -uo pipefail
cd "$(dirname "$0")" || exit 2
bin=$1 secs=$2 runs=$3
shift 3
tsan=0
[[ $bin == *tsan* ]] && tsan=1
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"
n=0 failed=0 table=()

# the mutated barrier is never executed in this configuration
not_called() {
	local impl=$1 mode=$2 ev=$3
	case $impl in
	enable_cb_delayed__mb) [[ $mode == rx || $ev == 0 ]] ;;
	enable_cb__mb) [[ $mode == tx && $ev == 1 ]] ;;
	*) false ;;
	esac
}

for impl in "$@"; do
	for mode in rx tx; do
		for ev in 0 1 v; do
			for num in 16 256; do
				opts=(-i "$impl" -m "$mode" -n "$num" -t "$secs" -r 1)
				case $ev in
				0) opts+=(-e 0) name=flags ;;
				1) opts+=(-e 1) name=event ;;
				v) opts+=(-e 1 -v) name=vhost ;;
				esac
				cfg="$mode $name ring $num"
				n=$((n + 1))
				if not_called "$impl" "$mode" "${ev/v/1}"; then
					echo "ok $n - $impl, $cfg # SKIP mutated barrier never runs here"
					table+=("$impl|$cfg|n/a")
					continue
				fi
				caught=0 times=() kinds=""
				for r in $(seq 1 "$runs"); do
					log=$(mktemp)
					t0=$(date +%s.%N)
					"$bin" "${opts[@]}" -s "$r" >"$log" 2>&1
					rc=$?
					t1=$(date +%s.%N)
					if [ $rc = 66 ] && grep -q 'ThreadSanitizer: data race' "$log"; then
						caught=$((caught + 1))
						times+=("$(echo "$t1 - $t0" | bc)")
						kinds+=" race"
					elif grep -q 'lost wakeup after\|stall after\|error after' "$log"; then
						caught=$((caught + 1))
						times+=("$(sed -n 's/.*: \(lost wakeup\|stall\|error\) after \([0-9.]*\) s.*/\2/p' "$log" | head -1)")
						kinds+=" $(sed -n 's/.*: \(lost wakeup\|stall\|error\) after.*/\1/p' "$log" | head -1 | tr ' ' '-')"
					elif [ $rc != 0 ] && [ $rc != 1 ]; then
						kinds+=" rc=$rc"
						caught=$((caught + 1))
						times+=("$(echo "$t1 - $t0" | bc)")
					fi
					rm -f "$log"
				done
				[ -n "$kinds" ] &&
					kinds=$(echo $kinds | tr ' ' '\n' | sort | uniq -c |
						awk '{printf "%s%s x%s", s, $2, $1; s=", "}')
				if [ ${#times[@]} -gt 0 ]; then
					stats=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {printf "median %.3f s, max %.3f s", a[int((NR+1)/2)], a[NR]}')
				else
					stats="-"
				fi
				want_caught=1
				[ "$impl" = orig ] && want_caught=0
				if { [ $want_caught = 1 ] && [ $caught -gt 0 ]; } ||
				   { [ $want_caught = 0 ] && [ $caught = 0 ]; }; then
					res=ok
				else
					res="not ok"
					[ "$impl" = orig ] && failed=$((failed + 1))
				fi
				echo "$res $n - $impl, $cfg: caught $caught/$runs ${kinds:+($kinds) }$stats"
				table+=("$impl|$cfg|$caught/$runs|$kinds|$stats")
			done
		done
	done
done
echo "1..$n"
echo "# implementation | configuration | caught | how | time to failure"
for row in "${table[@]}"; do
	echo "# $row"
done
# a mutant nobody catches is a finding, not a failure; orig caught is one
echo "$((n - failed)) passed, $failed failed"
[ $failed = 0 ]
