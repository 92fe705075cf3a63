# shellcheck shell=sh
# In-guest test library (busybox sh). Sourced by /init; every test in
# /ppv/tests is sourced in turn, so state (IF, PCI) carries from one to the
# next. Tests use only generic tools so they run unchanged on any driver.
# Helpers keep their variables local: a test's own loop counters survive
# the calls it makes.

HOST_IP=198.18.0.1
GUEST_IP=198.18.0.2
T_N=0
T_FAIL=0

ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
notok() {
	local d
	T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1))
	d=$1; shift
	echo "not ok $T_N - $d${*:+ # $*}"
}
skip() { T_N=$((T_N + 1)); echo "ok $T_N - $1 # SKIP $2"; }
diag() { echo "# $*"; }
# check DESCRIPTION COMMAND...: ok when the command succeeds
check() {
	local d
	d=$1; shift
	if "$@" >/tmp/check.out 2>&1; then
		ok "$d"
	else
		notok "$d" "$(tail -n 3 /tmp/check.out | tr '\n' ' ')"
	fi
}
# expect DESCRIPTION "a OP b" with numeric ops -ge -gt -eq -le -lt
expect() {
	local d
	d=$1; shift
	if [ "$1" "$2" "$3" ] 2>/dev/null; then
		ok "$d"
	else
		notok "$d" "got $1, want $2 $3"
	fi
}
verdict() { echo "PPV-VERDICT passed=$((T_N - T_FAIL)) failed=$T_FAIL"; }

# Ask the host (qemu-setup/vm.py) for something over ttyS1; prints its reply.
host() {
	if [ -z "$HOST_FD_OPEN" ]; then
		stty -F /dev/ttyS1 raw -echo 115200
		exec 3<>/dev/ttyS1
		HOST_FD_OPEN=1
	fi
	echo "$*" >&3
	read -r reply <&3
	echo "$reply"
}

# Kernel log lines that fail whatever test produced them.
DMESG_BAD='still has objects|blocked for more than|WARNING:|BUG:|KASAN|UBSAN|stalled pool|kmemleak|DMA-API|possible circular locking|inconsistent lock state|INFO: task .* blocked|general protection|Oops'
dmesg_mark() { DMESG_MARK=$(dmesg | wc -l); }
dmesg_new() { dmesg | tail -n +$((DMESG_MARK + 1)); }

# On a kernel with kmemleak (the debug kernel) every test starts from a
# cleared report; a test that leaves the driver unloaded is scanned.
KMEMLEAK=/sys/kernel/debug/kmemleak
kmemleak_check() {
	local n
	[ -w $KMEMLEAK ] || return 0
	[ -d "/sys/module/$DRIVER" ] && return 0
	# objects younger than 5 s are not reported: scan after they age
	sleep 6
	echo scan >$KMEMLEAK
	n=$(grep -c '^unreferenced object' $KMEMLEAK)
	if [ "$n" = 0 ]; then
		ok "$1: kmemleak finds nothing unreferenced after unload"
	else
		notok "$1: kmemleak finds nothing unreferenced after unload" "$n objects"
		sed 's/^/# kmemleak: /' $KMEMLEAK | head -n 40
	fi
}

run_test() {
	local bad
	echo "PPV-TEST $1"
	[ -w $KMEMLEAK ] && echo clear >$KMEMLEAK
	dmesg_mark
	if [ -f "/ppv/tests/$1.sh" ]; then
		. "/ppv/tests/$1.sh"
	else
		notok "$1: no such test"
		return
	fi
	bad=$(dmesg_new | grep -E "$DMESG_BAD" | head -n 3 | tr '\n' ' ')
	if [ -n "$bad" ]; then
		notok "$1: kernel log clean" "$bad"
		dmesg_new | sed 's/^/# dmesg: /' | tail -n 40
	else
		ok "$1: kernel log clean"
	fi
	kmemleak_check "$1"
}

# The virtio-net PCI function (1af4:1041), e.g. 0000:00:02.0
nic_pci() {
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = 0x1af4 ] && [ "$(cat "$d/device")" = 0x1041 ] &&
			{ echo "${d##*/}"; return 0; }
	done
	return 1
}
# Its network interface, under either driver.
nic_if() {
	local n
	for n in /sys/bus/pci/devices/$PCI/net/* /sys/bus/pci/devices/$PCI/virtio*/net/*; do
		[ -e "$n" ] && { echo "${n##*/}"; return 0; }
	done
	return 1
}
wait_if() {
	local i=0
	while [ $i -lt 100 ]; do
		IF=$(nic_if) && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

# Load $DRIVER (plus PPV_MODPARAMS for ppvnet) and find the interface.
driver_load() {
	local cur m
	PCI=$(nic_pci) || { echo "no virtio-net PCI function"; return 1; }
	case $DRIVER in
	ppvnet)
		# virtio_pci may be built in (6.12) or loaded: move the NIC over
		if [ -e "/sys/bus/pci/devices/$PCI/driver" ]; then
			cur=$(basename "$(readlink "/sys/bus/pci/devices/$PCI/driver")")
			[ "$cur" = ppvnet ] ||
				echo "$PCI" >"/sys/bus/pci/devices/$PCI/driver/unbind"
		fi
		echo ppvnet >"/sys/bus/pci/devices/$PCI/driver_override"
		# shellcheck disable=SC2086
		insmod /lib/modules/ppv/ppvnet.ko $PPV_MODPARAMS || return 1
		;;
	virtio_net)
		echo >"/sys/bus/pci/devices/$PCI/driver_override"
		for m in $(cat /lib/modules/ppv/virtio_net.order); do
			[ -d "/sys/module/$m" ] || insmod "/lib/modules/ppv/$m.ko" || return 1
		done
		[ -e "/sys/bus/pci/devices/$PCI/driver" ] ||
			echo "$PCI" >/sys/bus/pci/drivers_probe
		;;
	esac
	wait_if || { echo "no interface appeared for $PCI"; return 1; }
}
driver_unload() {
	case $DRIVER in
	ppvnet) rmmod ppvnet ;;
	virtio_net) rmmod virtio_net ;;
	esac
}
# Address and up; waits for carrier (5 s).
net_up() {
	ip addr flush dev "$IF"
	ip addr add "$GUEST_IP/24" dev "$IF" || return 1
	ip link set "$IF" up || return 1
	wait_carrier 1
}
wait_carrier() {
	local i=0
	while [ $i -lt 50 ]; do
		[ "$(cat "/sys/class/net/$IF/carrier" 2>/dev/null)" = "$1" ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

# Sum of the per-queue packet counters in ethtool -S for rx or tx; works for
# ppvnet (rx0_packets), virtio_net 6.1 (rx_queue_0_packets) and 6.12.
ethtool_pkts() {
	ethtool -S "$IF" | awk -v d="$1" '
		{ sub(/^ */, ""); n = $1; sub(/:$/, "", n) }
		n ~ ("^" d "(_queue_)?[0-9]+_packets$") { s += $2 }
		END { print s + 0 }'
}
# One named counter of ethtool -S (ethtool_stat rx0_refill_fail); empty
# when the driver has no such counter.
ethtool_stat() { ethtool -S "$IF" | awk -v k="$1:" '$1 == k { print $2 }'; }
# ip -s link counters: ip_stat rx|tx packets|bytes|dropped
ip_stat() {
	local f=/sys/class/net/$IF/statistics/${1}_$2
	cat "$f"
}
# iperf3 client; prints receiver Mbit/s (0 on failure). Args go to iperf3.
iperf_mbps() {
	out=$(iperf3 -c "$HOST_IP" -f m "$@" 2>&1)
	echo "$out" >/tmp/iperf.out
	echo "$out" | awk '/receiver/ { v = $(NF-2) } END { print v + 0 }'
}
