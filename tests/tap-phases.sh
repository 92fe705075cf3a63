# shellcheck shell=bash
# Phases of one TAP stream, shared by tests/run-all.sh and
# qemu-setup/check-debug.sh: each phase's TAP lines are renumbered into one
# global count with a [phase] prefix. Set PHASE_ONLY to a glob to run only
# matching phases. Ends with tap_summary: "N passed, N failed".

N=0 PASS=0 FAIL=0 SKIP=0
t_start=$(date +%s)
PHASE_ONLY=${PHASE_ONLY:-*}

# phase NAME COMMAND...: run COMMAND, renumber its TAP lines into the global
# count with a [NAME] prefix; a non-zero exit without any "not ok" line
# (a crash, hang or build failure) is a failure of its own, and so is a
# phase that printed no result at all.
phase() {
	local name=$1 line desc rc=0 fails_before=$FAIL n_before=$N t0
	shift
	# shellcheck disable=SC2053
	[[ $name == $PHASE_ONLY ]] || return 0
	t0=$(date +%s)
	echo "# ---- $name: $*"
	while IFS= read -r line; do
		if [[ $line =~ ^PPV-PHASE-RC\ ([0-9]+)$ ]]; then
			rc=${BASH_REMATCH[1]}
		elif [[ $line =~ ^(not )?ok\ [0-9]+( -)?\ ?(.*)$ ]]; then
			N=$((N + 1))
			desc=${BASH_REMATCH[3]}
			if [ -n "${BASH_REMATCH[1]}" ]; then
				FAIL=$((FAIL + 1))
				echo "not ok $N - [$name] $desc"
			else
				PASS=$((PASS + 1))
				[[ $desc == *"# SKIP"* ]] && SKIP=$((SKIP + 1))
				echo "ok $N - [$name] $desc"
			fi
		elif [[ $line == \#* ]]; then
			echo "$line"
		else
			echo "# $line"
		fi
	done < <("$@" 2>&1; echo "PPV-PHASE-RC $?")
	if [ "$rc" != 0 ] && [ "$FAIL" = "$fails_before" ]; then
		N=$((N + 1)); FAIL=$((FAIL + 1))
		echo "not ok $N - [$name] finished (exit $rc)"
	elif [ "$N" = "$n_before" ]; then
		# exit 0 and not one result: it tested nothing
		N=$((N + 1)); FAIL=$((FAIL + 1))
		echo "not ok $N - [$name] printed a test result (none, exit $rc)"
	fi
	echo "# $name took $(($(date +%s) - t0)) s"
}

# The final lines; exit status 0 only if nothing failed.
tap_summary() {
	echo "# total wall time $(($(date +%s) - t_start)) s"
	echo "1..$N"
	echo "$PASS passed, $FAIL failed ($SKIP of the passed skipped)"
	[ "$FAIL" = 0 ]
}
