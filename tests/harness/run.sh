#!/usr/bin/env bash
# Harness self-test: qemu-setup/vm.py must turn a hung guest, a namespace left
# by a killed run and a QEMU that does not start into a clear message and exit
# status, in bounded time, and leave no namespace or QEMU behind. Prints TAP,
# ends with "N passed, N failed"; exits 1 on any failure. Run as root.
#   tests/harness/run.sh
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
# the reference driver: these cases are about the harness, not ppvnet
export DRIVER=virtio_net

N=0 PASS=0 FAIL=0
OUT=$(mktemp)
TO=		# the timeout(1) running the current boot
RUNS=()		# pid of each vm.py run; its namespace is ppv-<pid>
# above PID_MAX_LIMIT (4194304), so never a live pid; unique per run of this
FAKE_NS=ppv-$((4194304 + $$))

cleanup() {
	ip netns del "$FAKE_NS" 2>/dev/null
	rm -f "$OUT"
}
trap cleanup EXIT
# stop a boot under way first: vm.py tears down on the TERM timeout passes on
trap '[ -z "$TO" ] || { kill "$TO"; wait "$TO"; }; exit 130' INT TERM

# t DESCRIPTION REASON-IF-FAILED COMMAND...: one TAP line
t() {
	local d=$1 why=$2
	shift 2
	N=$((N + 1))
	if "$@"; then
		PASS=$((PASS + 1)); echo "ok $N - $d"
	else
		FAIL=$((FAIL + 1)); echo "not ok $N - $d # $why"
		CASE_FAILED=1
	fi
}
has() { grep -qF -- "$1" "$OUT"; }
ns_exists() { ip netns list | awk '{ print $1 }' | grep -qx -- "$1"; }
ns_gone() { ! ns_exists "$1"; }

# vm LIMIT [vm.py options]: boot.sh, killed after LIMIT s; sets RC and SECS.
# The bash -c prints its pid first: boot.sh and vm.py exec in turn, so that
# pid is vm.py's, and names its namespace and its /tmp/ppv-<pid> QEMU sockets.
vm() {
	local limit=$1 t0
	shift
	t0=$(date +%s)
	# in the background, so that a signal's trap runs at once
	timeout -k 10 "$limit" bash -c 'echo "# vm.py pid $$"; exec "$@"' vm \
		qemu-setup/boot.sh --mode test "$@" >"$OUT" 2>&1 &
	TO=$!
	wait "$TO"
	RC=$?
	TO=
	SECS=$(($(date +%s) - t0))
	RUNS+=("$(sed -n '1s/^# vm.py pid //p' "$OUT")")
	grep '^# \[host\]' "$OUT"
	CASE_FAILED=
}
# after a case's checks: show how the run ended when one failed
show() { [ -z "$CASE_FAILED" ] || tail -n 5 "$OUT" | sed 's/^/#   | /'; }

[ "$(id -u)" = 0 ] || { echo "not ok 1 - must run as root"; echo "0 passed, 1 failed"; exit 1; }
# Build or refresh kernel, module and initramfs first (tests/vm/hang.sh is in
# the image), so the time limits below measure boots, not builds.
echo "# preparing guest kernel, ppvnet.ko and initramfs"
if ! prep=$( { qemu-setup/deps.sh && kdir=$(qemu-setup/fetch-kernel.sh) &&
	ko=$(qemu-setup/build-module.sh) &&
	qemu-setup/initramfs.sh "$kdir" "$ko"; } 2>&1 >/dev/null); then
	echo "$prep" | tail -n 5 | sed 's/^/# /'
	echo "not ok 1 - guest kernel, ppvnet.ko and initramfs build"
	echo "0 passed, 1 failed"
	exit 1
fi

# 1. The guest hangs in a test: --timeout ends it, names the test and shows
# where each CPU was (SysRq backtraces: up to 10 s more).
echo "# ---- hung guest"
vm 75 --tests "load hang" --timeout 40
t "hung guest: exit 2" "got $RC" [ "$RC" = 2 ]
t "hung guest: message names test 'hang'" "no \"timeout: ... hung in test 'hang'\"" \
	grep -q "timeout: .* hung in test 'hang'" "$OUT"
t "hung guest: each vCPU's RIP from QEMU" "no 'QEMU state: status running, RIP x y'" \
	grep -Eq "QEMU state: status running, RIP [0-9a-f]+ [0-9a-f]+" "$OUT"
t "hung guest: the guest's backtraces of CPU 0 and 1" "no 'guest: NMI backtrace for cpu 0/1'" \
	sh -c "grep -q 'guest: NMI backtrace for cpu 0' '$OUT' && grep -q 'guest: NMI backtrace for cpu 1' '$OUT'"
t "hung guest: whole run < 70 s ($SECS s)" "took $SECS s" [ "$SECS" -lt 70 ]
show

# 2. A killed run left its namespace: the next run removes it and still passes.
echo "# ---- stale namespace"
ip netns add "$FAKE_NS"
vm 60 --tests "load"
t "stale namespace: good boot exits 0" "got $RC" [ "$RC" = 0 ]
t "stale namespace: 'removing stale namespace $FAKE_NS'" "no such message" \
	has "removing stale namespace $FAKE_NS"
t "stale namespace: $FAKE_NS is gone" "still listed" ns_gone "$FAKE_NS"
show

# 3. QEMU refuses its command line: a prompt error, not a hang or traceback.
echo "# ---- QEMU fails to start"
vm 30 --tests "load" --qemu-args "-device no-such-device"
t "QEMU fails to start: exit 2" "got $RC" [ "$RC" = 2 ]
t "QEMU fails to start: 'QEMU failed to start'" "no such message" \
	has "QEMU failed to start"
t "QEMU fails to start: within 30 s ($SECS s)" "took $SECS s" [ "$SECS" -lt 30 ]
show

# 4. The kernel never reaches /init (a boot hang, before any driver code):
# --boot-timeout reports the vCPUs' state, boots once more with the kernel
# log on, and fails when that hangs too. 1 s is shorter than any boot.
echo "# ---- boot hang"
vm 40 --tests "load" --boot-timeout 1
t "boot hang: exit 2" "got $RC" [ "$RC" = 2 ]
t "boot hang: reported with the vCPU state" "no such message" \
	grep -q "did not reach /init within 1s.*QEMU state: status running, RIP [0-9a-f]" "$OUT"
t "boot hang: retried once" "no retry message" \
	has "retrying the boot once"
t "boot hang: fails after the second hang" "no such message" \
	has "before /init twice"
t "boot hang: within 40 s ($SECS s)" "took $SECS s" [ "$SECS" -lt 40 ]
show

# 5. The kernel dies before /init (seen: 6.12 under TCG, an int3 Oops in
# early boot): reported as such, retried once, failed the second time.
# rdinit= names no program, so the kernel panics where /init would start.
echo "# ---- kernel dies before /init"
vm 60 --tests "load" --append "rdinit=/no-such-init"
t "death before /init: exit 2" "got $RC" [ "$RC" = 2 ]
t "death before /init: reported as such" "no such message" \
	has "guest ended before /init (no driver code has run yet)"
t "death before /init: retried once" "no retry message" \
	has "retrying the boot once"
t "death before /init: fails after the second" "no such message" \
	has "before /init twice"
show

# 6. An answer to one of the guest's requests (lib.sh's host()) is lost on
# the serial line: the guest says so, asks again, and the host answers from
# memory; each request gets its own answer. (One CI run's guest waited for
# such an answer for 300 s.)
echo "# ---- lost answer"
vm 120 --tests "load hostchan" --drop-answer 2 --append "ppv.env.PPV_HOST_WAIT=3"
t "lost answer: good boot exits 0" "got $RC" [ "$RC" = 0 ]
t "lost answer: the host dropped answer 2" "no such message" \
	has "dropping the answer to @2 'ping'"
t "lost answer: the guest said it waited" "no such message" \
	has "# host: no answer to request 2 'ping' within 3 s (try 1 of 5)"
t "lost answer: asked again, answered from memory" "no such message" \
	has "guest asked again for @2 'ping'"
n=$(grep -c "^ok [0-9]* - host request [123] answered" "$OUT")
t "lost answer: all 3 requests answered ($n)" "got $n" [ "$n" = 3 ]
show

# 7. Nothing of these runs is left: their namespaces, and QEMUs (found by
# their /tmp/ppv-<pid>/ sockets, as other runs may be going on meanwhile).
echo "# ---- leftovers of runs ${RUNS[*]}"
left_ns='' left_qemu=''
for p in "${RUNS[@]}"; do
	[ -n "$p" ] || continue
	ns_exists "ppv-$p" && left_ns="$left_ns ppv-$p"
	left_qemu+=$(pgrep -f "qemu-system.*/tmp/ppv-$p/" | sed 's/^/ /' | tr -d '\n')
done
t "no ppv-* namespace of these runs left" "left:$left_ns" [ -z "$left_ns" ]
t "no qemu-system of these runs left" "left: pids$left_qemu" [ -z "$left_qemu" ]

echo "1..$N"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
