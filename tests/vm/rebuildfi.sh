# A rebuild that fails (debug kernel, ppvnet's fault points): MTU, ethtool
# -G and (with two pairs) ethtool -L changes of a running interface under
# iperf3 both ways, with the open path's fault points (fail_ring,
# fail_pool, fail_irq) failing the K-th call: for the MTU change K = 1, 2,
# ... until the change no longer reaches the point (-G and -L go through
# the same ppv_rebuild() and ppv_up(): their first call only, which keeps
# the walk to about 25 rebuilds; 48 with every call of all three took
# 13 minutes on the debug kernel). ppv_rebuild() must then:
#   - fail the change with an error and say so in dmesg ("cannot restart
#     with ...: keeping ...");
#   - come back in the old shape at once (MTU, rings, pairs as before),
#     carrier on, reset_fail unchanged, traffic moving both ways;
# and when the old shape fails too (the point fails twice in a row): keep
# the interface running without carrier, count reset_fail, and the reset
# work brings the datapath back (resets + 1) within 10 s.
fault_points "rebuild fault walk" || { return 0 2>/dev/null || exit 0; }
# the lines this test provokes on purpose
DMESG_ALLOW='cannot restart with|cannot restart the datapath|resetting the device|device reset: datapath back'
net_up
QP=$(ethtool -l "$IF" | awk '/^Current hardware settings/ { c = 1 } c && /^Combined:/ { print $2; exit }')
MTU0=$(cat "/sys/class/net/$IF/mtu")
RX0=$(ethtool -g "$IF" | awk '/^Current hardware settings/ { c = 1 } c && /^RX:/ { print $2; exit }')
shape() { echo "mtu $(cat "/sys/class/net/$IF/mtu") rx $(ethtool -g "$IF" | awk '/^Current hardware settings/ { c = 1 } c && /^RX:/ { print $2; exit }') qp $(ethtool -l "$IF" | awk '/^Current hardware settings/ { c = 1 } c && /^Combined:/ { print $2; exit }')"; }
SHAPE0=$(shape)
diag "rebuild fault walk: $SHAPE0"
# op NAME: the change (its undo is never needed: it fails)
op() {
	case $1 in
	mtu) ip link set "$IF" mtu $((MTU0 - 100)) ;;
	ring) ethtool -G "$IF" rx $((RX0 / 2)) ;;
	pairs) ethtool -L "$IF" combined $((QP - 1)) ;;
	esac
}
# op_undo NAME: the shape as before, after a change that went through
op_undo() {
	case $1 in
	mtu) ip link set "$IF" mtu "$MTU0" ;;
	ring) ethtool -G "$IF" rx "$RX0" 2>/dev/null ;;
	pairs) ethtool -L "$IF" combined "$QP" ;;
	esac
	return 0
}
OPS="mtu ring"
[ "${QP:-1}" -ge 2 ] && OPS="$OPS pairs"
load_start
for site in fail_ring fail_pool fail_irq; do
	for o in $OPS; do
		k=1 runs=0 bad=
		while [ $k -le 24 ]; do
			rf0=$(ethtool_stat reset_fail)
			dmesg_mark
			fi_arm $site $k
			op $o 2>/dev/null; rc=$?
			hit=0; fi_hit $site && hit=1
			fi_off $site
			if [ $hit = 0 ]; then
				# the change went through: put the old shape back
				[ $rc = 0 ] || bad="$bad k=$k:failed-without-fault"
				op_undo $o
				break
			fi
			runs=$((runs + 1))
			[ $rc != 0 ] || bad="$bad k=$k:change-succeeded"
			dmesg_new | grep -q "cannot restart with" || bad="$bad k=$k:no-dmesg-line"
			[ "$(shape)" = "$SHAPE0" ] || bad="$bad k=$k:shape($(shape))"
			[ "$(cat "/sys/class/net/$IF/carrier")" = 1 ] || bad="$bad k=$k:no-carrier"
			[ "$(ethtool_stat reset_fail)" = "$rf0" ] || bad="$bad k=$k:reset_fail"
			p=$(load_progress) || bad="$bad k=$k:no-traffic($p)"
			k=$((k + 1))
			# -G and -L: the first call only (see above)
			[ "$o" = mtu ] || break
		done
		if [ -z "$bad" ] && [ $runs -gt 0 ]; then
			if [ $o = mtu ]; then w="at each of its $runs calls"; else w="at its first call"; fi
			ok "rebuild: $site failed the $o change $w; old shape back, traffic both ways"
		else
			notok "rebuild: $site walk of the $o change ($runs calls)" "$bad"
		fi
	done
done
# both the change and the way back fail: no carrier, the reset work retries
for site in fail_ring fail_pool fail_irq; do
	rf0=$(ethtool_stat reset_fail) r0=$(ethtool_stat resets)
	dmesg_mark
	fi_arm $site 1
	echo 2 >"$FI/$site/times"
	op mtu 2>/dev/null; rc=$?
	fi_off $site
	bad=
	[ $rc != 0 ] || bad="$bad change-succeeded"
	dmesg_new | grep -q "cannot restart the datapath" || bad="$bad no-dmesg-line"
	[ $(($(ethtool_stat reset_fail) - rf0)) -ge 1 ] || bad="$bad reset_fail-not-counted"
	t=0
	while [ "$(ethtool_stat resets)" = "$r0" ] && [ $t -lt 100 ]; do sleep 0.1; t=$((t + 1)); done
	[ "$(ethtool_stat resets)" != "$r0" ] || bad="$bad no-reset-within-10s"
	wait_carrier 1 || bad="$bad no-carrier"
	[ "$(shape)" = "$SHAPE0" ] || bad="$bad shape($(shape))"
	p=$(load_progress) || bad="$bad no-traffic($p)"
	if [ -z "$bad" ]; then
		ok "rebuild: $site failed the MTU change and the old shape; no carrier, reset work brought it back in $((t / 10)) s"
	else
		notok "rebuild: $site failed the MTU change and the old shape" "$bad"
	fi
done
load_check "rebuild fault walk"
load_stop
check "ping after the rebuild fault walk" ping -q -c 3 -i 0.1 -W 2 "$HOST_IP"
