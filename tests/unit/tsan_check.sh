#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# tsan_check.sh BINARY: the concurrent test built with ThreadSanitizer and
# the fence model of tsan_fence.c (BINARY is build/conc-tsan), TAP on stdout.
#  - ppv_vring.c in six configurations: no data race reported;
#  - dma_wmb() deleted from ppv_vring_publish(): TSan reports the descriptor
#    the driver wrote in ppv_vring_add() and the device read in cdev_pop();
#  - dma_rmb() deleted from ppv_vring_get_used(): TSan reports the used entry
#    the device wrote in cdev_fill() and the driver read in get_used;
#  - chains through indirect tables, mixed with direct ones or alone: no
#    race; with dma_wmb() deleted from ppv_vring_publish(), TSan reports
#    what ppv_vring_add_indirect() wrote (table, descriptor or avail entry)
#    and cdev_pop() read.
# On x86 no run can fail without them: dma_wmb()/dma_rmb() emit no
# instruction there (ppv_vring_publish() compiles to the same instructions
# without it; ppv_vring_get_used() reads the ring only through READ_ONCE,
# which the compiler keeps in order), and the CPU reorders neither stores
# with stores nor loads with loads. TSan's happens-before analysis does not
# depend on the interleaving the hardware produced.
set -uo pipefail
cd "$(dirname "$0")" || exit 2
bin=$1
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
n=0 failed=0

result() {	# ok? description
	n=$((n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

# the frames of the first report: "write by ... in f" / "read by ... in g"
frames() {
	awk '/^  (Previous )?(Atomic )?(Read|Write|read|write) of size/ {
		getline f; sub(/^ *#0 /, "", f); sub(/ \(.*/, "", f)
		sub(/^  /, ""); sub(/ at 0x[0-9a-f]+/, ""); print "# " $0 " " f }' "$1" |
		head -2
}

for cfg in "rx 0 16" "rx 1 256" "rx v 16" "tx 0 16" "tx 1 256" "tx v 16" \
	   "rx 0 16 mixed" "rx v 256 indirect" "tx 1 16 mixed" "tx 0 256 indirect"; do
	set -- $cfg
	opts=(-m "$1" -n "$3" -c 20000 -t 20 -e "${2/v/1}" -d "${4:-direct}")
	name="$1 $([ "$2" = 0 ] && echo flags || echo event idx)"
	[ "$2" = v ] && opts+=(-v) name="$name, vhost-style device"
	[ -n "${4:-}" ] && name="$name, $4 chains"
	log=$(mktemp)
	"$bin" "${opts[@]}" >"$log" 2>&1
	rc=$?
	ok=0
	[ $rc = 0 ] && ! grep -q ThreadSanitizer "$log" &&
		grep -q '^ok 1 - .* 20000 chains back' "$log" && ok=1
	[ $ok = 1 ] || { grep -v '^ok' "$log" | head -30 | sed 's/^/# /'; }
	result $ok "tsan: ppv_vring.c, $name, ring $3: 20000 chains, no data race (rc $rc)"
	rm -f "$log"
done

for m in "publish__dma_wmb ppv_vring_add cdev_pop" \
	 "get_used__dma_rmb ppv_vring_get_used cdev_fill" \
	 "publish__dma_wmb ppv_vring_add_indirect cdev_pop indirect"; do
	set -- $m
	log=$(mktemp)
	t0=$(date +%s.%N)
	"$bin" -i "$1" -m rx -e 0 -n 16 -t 5 -d "${4:-direct}" >"$log" 2>&1
	rc=$?
	t=$(echo "$(date +%s.%N) - $t0" | bc)
	ok=0
	[ $rc = 66 ] && grep -q 'ThreadSanitizer: data race' "$log" &&
		frames "$log" | grep -q "$2" && frames "$log" | grep -q "$3" && ok=1
	frames "$log"
	[ $ok = 1 ] || tail -20 "$log" | sed 's/^/# /'
	result $ok "tsan: $(grep -o '^[a-z_]*' <<<"${1#*__}")() deleted from ppv_vring_${1%__*}()${4:+, $4 chains}: data race $2/$3 reported, $(printf '%.2f' "$t") s (rc $rc)"
	rm -f "$log"
done
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ $failed = 0 ]
