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
# check DESCRIPTION COMMAND...: ok when the command succeeds; returns the
# verdict, so that "if ! check ..." can stop what depends on it
check() {
	local d
	d=$1; shift
	if "$@" >/tmp/check.out 2>&1; then
		ok "$d"
		return 0
	fi
	notok "$d" "$(tail -n 3 /tmp/check.out | tr '\n' ' ')"
	return 1
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
# /init opens ttyS1 once (host_open), so the $(host ...) subshells share one
# open port instead of opening and closing it per request. Each request
# carries a number ("@N request"), the answer the same ("@N answer"). An
# answer that does not come within 30 s (a byte lost on the serial line, an
# RX interrupt the guest never saw: one CI run hung 300 s there, on a busy
# host) is asked for again, up to 5 times; the host answers a repeated
# number from its memory without running the request twice, and a late
# answer to an earlier try is skipped. Each wait is logged on the console.
host_open() {
	[ -c /dev/ttyS1 ] || return 0
	stty -F /dev/ttyS1 raw -echo 115200
	exec 3<>/dev/ttyS1
	HOST_FD_OPEN=1
}
host() {
	local id try reply
	[ -n "$HOST_FD_OPEN" ] || host_open
	id=$(($(cat /tmp/host.seq 2>/dev/null || echo 0) + 1))
	echo $id >/tmp/host.seq
	try=1
	while [ $try -le 5 ]; do
		echo "@$id $*" >&3
		while read -t "${PPV_HOST_WAIT:-30}" -r reply <&3; do
			# read drops the space of an empty answer ("@N ")
			case $reply in
			"@$id") echo; return 0 ;;
			"@$id "*) echo "${reply#"@$id "}"; return 0 ;;
			esac
		done
		echo "# host: no answer to request $id '$*' within ${PPV_HOST_WAIT:-30} s (try $try of 5)" >/dev/console
		try=$((try + 1))
	done
	echo "error no answer from the host"
	return 1
}

# Kernel log lines that fail whatever test produced them: kernel reports
# (warnings, sanitizers, lockdep, leaks, lockups, RCU stalls, a netdev that
# cannot go away, TX timeouts, page_pool's "stalled pool" 60 s after a pool
# kept pages), ppvnet's own lines that say the device or the driver went
# wrong, and the log reader's own "[ppv] kernel log" lines (lines lost).
DMESG_BAD='still has objects|blocked for more than|WARNING:|BUG:|KASAN|UBSAN|stalled pool|kmemleak|DMA-API|possible circular locking|inconsistent lock state|INFO: task .* blocked|general protection|Oops'
DMESG_BAD="$DMESG_BAD"'|self-detected stall|detected (expedited )?stalls|hard LOCKUP|unregister_netdevice: waiting for|NETDEV WATCHDOG'
DMESG_BAD="$DMESG_BAD"'|used index past the ring|used id it was not given|bad used|ring stopped|ring broken|needs a reset|resetting the device|cannot restart|reset failed|did not complete reset|config generation never settled'
DMESG_BAD="$DMESG_BAD"'|\[ppv\] kernel log'
# A test sets DMESG_ALLOW (an ERE) for the DMESG_BAD lines it provokes on
# purpose, e.g. DMESG_ALLOW='bad used id .* resetting'; run_test clears it
# before each test.
DMESG_ALLOW=

# The kernel log, lossless: /init starts kmsg_start, which copies /dev/kmsg
# (records "prio,seq,usec,flags;text") into $KMSG as the kernel writes them,
# so a ring that wraps (1,000 flaps on the stock kernel's 128 KB; vm.py also
# sets log_buf_len=4M) loses nothing, and nothing is cleared: plain dmesg
# still works. If the copy ever falls behind the ring, the gap shows up as a
# "[ppv] kernel log: N lines lost" line. A position in the log ("seq:bytes")
# is a marker written to /dev/kmsg, once the copy has it: every line the
# kernel logged before it is in the copy by then.
KMSG=/tmp/ppv-kmsg
kmsg_start() {
	: >>$KMSG
	# no descriptor of the caller's: $(...) around it would never end
	(
		echo -1000 >/proc/self/oom_score_adj
		# cat ends on EPIPE (records overwritten before it read them)
		# and starts again at the oldest one: kmsg_range drops repeats
		while :; do cat /dev/kmsg || sleep 0.2; done >>$KMSG
	) </dev/null >/dev/null 2>&1 &
}
# Prints the position "seq:bytes" of a new marker; fails when the copy does
# not show it within about 20 s.
kmsg_pos() {
	local u off i=0 s
	[ -e $KMSG ] || return 1
	read -r u </proc/sys/kernel/random/uuid
	off=$(wc -c <$KMSG)
	echo "<7>ppv-mark $u" >/dev/kmsg
	while [ $i -lt 400 ]; do
		s=$(tail -c +$((off + 1)) $KMSG | grep -F "ppv-mark $u" | head -n 1)
		if [ -n "$s" ]; then
			s=${s#*,}
			echo "${s%%,*}:$off"
			return 0
		fi
		sleep 0.05; i=$((i + 1))
	done
	return 1
}
# kmsg_range FROM [TO]: the lines logged after position FROM up to TO (or
# up to now) as dmesg prints them.
kmsg_range() {
	local from=${1:-0:0} to=${2:-}
	tail -c +$((${from#*:} + 1)) $KMSG | awk -v from="${from%%:*}" -v to="${to%%:*}" '
		BEGIN { last = from + 0 }
		/^ / { next }	# SUBSYSTEM=, DEVICE= of the record before
		{
			i = index($0, ";"); if (!i) next
			split(substr($0, 1, i - 1), h, ",")
			s = h[2] + 0
			if (s <= last || (to != "" && s > to + 0)) next
			if (s > last + 1)
				printf "[ppv] kernel log: %d lines lost before the next one\n", s - last - 1
			last = s
			t = substr($0, i + 1)
			if (t ~ /^ppv-mark /) next
			printf "[%5d.%06d] %s\n", h[3] / 1000000, h[3] % 1000000, t
		}'
	if [ -z "$to" ]; then
		echo "[ppv] kernel log reader did not answer: lines may be missing"
	fi
}
dmesg_mark() { DMESG_MARK=$(kmsg_pos); }
dmesg_new() { kmsg_range "$DMESG_MARK" "$(kmsg_pos)"; }

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

# Runs one test, then fails it on the DMESG_BAD lines, less those matching
# the DMESG_ALLOW it set, among everything logged since the previous test's
# check: a line logged between two tests, or late, fails the next test
# rather than none (KMSG_DONE: the position checked up to; /init sets it
# after boot).
# An skb freed on another CPU than the one that built it (a socket read
# on CPU 0 of a packet NAPI received on CPU 1) waits in that CPU's defer
# list (skb_attempt_defer_free(), 6.0+) until the CPU next runs the
# network softirq; on an idle guest that can be never, and its page_pool
# page then looks leaked: "stalled pool" 60 s after a down or rmmod (seen
# once on the debug kernel). A loopback ping on each CPU runs that softirq
# there and frees them; a page the driver really lost stays lost.
flush_deferred_skbs() {
	local c=0
	while [ -d /sys/devices/system/cpu/cpu$c ]; do
		taskset -c $c ping -q -c 1 -W 1 127.0.0.1 >/dev/null 2>&1
		c=$((c + 1))
	done
}

run_test() {
	local bad to n
	# the test runs in this function: its "set --" would change $1
	PPV_TEST=$1
	echo "PPV-TEST $1"
	read -r PPV_TEST_T0 _ </proc/uptime
	[ -w $KMEMLEAK ] && echo clear >$KMEMLEAK
	DMESG_ALLOW=
	DMESG_MARK=$KMSG_DONE
	if [ -f "/ppv/tests/$1.sh" ]; then
		. "/ppv/tests/$1.sh"
	else
		notok "$1: no such test"
		return
	fi
	flush_deferred_skbs
	to=$(kmsg_pos)
	kmsg_range "$KMSG_DONE" "$to" >/tmp/ppv-kmsg.test
	[ -n "$to" ] && KMSG_DONE=$to
	grep -E "$DMESG_BAD" /tmp/ppv-kmsg.test >/tmp/ppv-kmsg.bad
	if [ -n "$DMESG_ALLOW" ]; then
		n=$(grep -cE "$DMESG_ALLOW" /tmp/ppv-kmsg.bad)
		[ "$n" = 0 ] || diag "$PPV_TEST: $n kernel log lines allowed by DMESG_ALLOW '$DMESG_ALLOW'"
		grep -vE "$DMESG_ALLOW" /tmp/ppv-kmsg.bad >/tmp/ppv-kmsg.left
		mv /tmp/ppv-kmsg.left /tmp/ppv-kmsg.bad
	fi
	bad=$(head -n 3 /tmp/ppv-kmsg.bad | tr '\n' ' ')
	if [ -n "$bad" ]; then
		notok "$PPV_TEST: kernel log clean" "$bad"
		# 40 lines from 10 before the first bad one
		n=$(grep -nF "$(head -n 1 /tmp/ppv-kmsg.bad)" /tmp/ppv-kmsg.test | head -n 1)
		n=${n%%:*}
		[ "${n:-1}" -gt 10 ] && n=$((n - 10)) || n=1
		sed -n "$n,$((n + 39))p" /tmp/ppv-kmsg.test | sed 's/^/# dmesg: /'
	else
		ok "$PPV_TEST: kernel log clean"
	fi
	kmemleak_check "$PPV_TEST"
	# where a phase's time goes (the guest's clock; 1 s resolution)
	read -r n _ </proc/uptime
	diag "$PPV_TEST took $((${n%.*} - ${PPV_TEST_T0%.*})) s"
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
# load_mods NAME: the modules of lib/modules/ppv/NAME.order (initramfs.sh)
load_mods() {
	local m
	for m in $(cat "/lib/modules/ppv/$1.order"); do
		[ -d "/sys/module/$m" ] || insmod "/lib/modules/ppv/$m.ko" || return 1
	done
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
# A per-queue counter summed over the queues: ethtool_qsum tx tso adds
# tx0_tso, tx1_tso, ... (0 when the driver has none)
ethtool_qsum() {
	ethtool -S "$IF" | awk -v d="$1" -v f="$2" '
		{ sub(/^ */, ""); n = $1; sub(/:$/, "", n) }
		n ~ ("^" d "[0-9]+_" f "$") { s += $2 }
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
# min_mbps STOCK DEBUG: a throughput floor in Mbit/s, far under what a
# working driver moves under TCG (values measured in the tests' comments)
# and far over what a badly broken one does: PPV_MIN_MBPS when set, else
# STOCK, or DEBUG on the debug kernel (release *ppvdebug*: 2-10x slower).
min_mbps() {
	if [ -n "$PPV_MIN_MBPS" ]; then echo "$PPV_MIN_MBPS"; return; fi
	case $(uname -r) in *ppvdebug*) echo "$2" ;; *) echo "$1" ;; esac
}
# expect_mbps DESCRIPTION MBPS FLOOR (after iperf_mbps: /tmp/iperf.out)
expect_mbps() {
	if [ "$(echo "$2 $3" | awk '{ print ($1 >= $2) }')" = 1 ]; then
		ok "$1 ($2 Mbit/s >= $3)"
	else
		notok "$1 ($2 Mbit/s)" "want >= $3 Mbit/s (PPV_MIN_MBPS); $(tail -n 2 /tmp/iperf.out | tr '\n' ' ')"
	fi
}

# --- Background load for the lifecycle tests -----------------------------
# iperf3 both ways (port 5201 guest->host, 5202 host->guest) while a test
# takes the link down, flaps it, changes the MTU or unloads the driver.
# load_check proves the load existed: both clients still alive, and the
# host tap's byte counters (which survive an rmmod, unlike the guest's)
# grew both ways since load_start / load_mark.
tap_bytes() {	# "<bytes guest->host> <bytes host->guest>"
	host sh "cat /sys/class/net/ppvtap0/statistics/rx_bytes /sys/class/net/ppvtap0/statistics/tx_bytes" | tr -d '|'
}
load_mark() {
	local a
	a=$(tap_bytes)
	LOAD_UP0=${a%% *}
	LOAD_DN0=${a##* }
}
load_start() {
	iperf3 -c "$HOST_IP" -p 5201 -t 3600 >/tmp/iperf-a.out 2>&1 &
	LOAD_A=$!
	iperf3 -c "$HOST_IP" -p 5202 -t 3600 -R >/tmp/iperf-b.out 2>&1 &
	LOAD_B=$!
	sleep 1
	load_mark
}
# load_check NAME [MIN_BYTES]: 64 KB by default. An idle link moves a few
# hundred bytes (ARP, iperf3's control connection); TCP on the debug guest
# spends much of a down/up series in retransmission backoff, and moved
# 60 KB one way in 10 cycles there (MBs on the stock kernel).
load_check() {
	local d=$1 min=${2:-65536} a up dn
	a=$(tap_bytes)
	up=$((${a%% *} - LOAD_UP0))
	dn=$((${a##* } - LOAD_DN0))
	if kill -0 "$LOAD_A" 2>/dev/null && kill -0 "$LOAD_B" 2>/dev/null; then
		ok "$d: both iperf3 clients still running"
	else
		notok "$d: both iperf3 clients still running" \
			"$(tail -n 2 /tmp/iperf-a.out /tmp/iperf-b.out | tr '\n' ' ')"
	fi
	expect "$d: guest->host bytes at the host tap meanwhile ($up)" "$up" -ge "$min"
	expect "$d: host->guest bytes at the host tap meanwhile ($dn)" "$dn" -ge "$min"
}
# load_resumed NAME: after the events, both directions are back: a 2-s
# window with 128 KB each way within 30 s (TCP may sit in its
# retransmission backoff for a few seconds after many interruptions).
load_resumed() {
	local d=$1 a up=0 dn=0 t=0
	while [ $t -lt 30 ]; do
		load_mark
		sleep 2
		t=$((t + 2))
		a=$(tap_bytes)
		up=$((${a%% *} - LOAD_UP0))
		dn=$((${a##* } - LOAD_DN0))
		[ $up -ge 131072 ] && [ $dn -ge 131072 ] && break
	done
	if [ $up -ge 131072 ] && [ $dn -ge 131072 ]; then
		ok "$d: load back both ways within $t s ($up / $dn bytes in 2 s)"
	else
		notok "$d: load back both ways within 30 s" "last 2 s: $up / $dn bytes"
	fi
}
# bql_drained TICKS: BQL's in-flight bytes of TX queue 0 back to 0 within
# TICKS hundredths of a second (every packet sent was reaped)
bql_drained() {
	local i=0 f=/sys/class/net/$IF/queues/tx-0/byte_queue_limits/inflight
	while [ $i -lt "$1" ]; do
		[ "$(cat "$f")" = 0 ] && return 0
		sleep 0.01
		i=$((i + 1))
	done
	return 1
}
# load_progress: after one event, both directions move again: 16 KB each
# way at the host tap within 20 s (a datapath that stalled after the event
# would pass a check over the whole series once it came back); prints the
# bytes seen when they do not
load_progress() {
	local a up=0 dn=0 t=0
	load_mark
	while [ $t -lt 40 ]; do
		sleep 0.5
		t=$((t + 1))
		a=$(tap_bytes)
		up=$((${a%% *} - LOAD_UP0))
		dn=$((${a##* } - LOAD_DN0))
		[ $up -ge 16384 ] && [ $dn -ge 16384 ] && return 0
	done
	echo "$up/$dn bytes in 20 s"
	return 1
}
load_stop() {
	kill "$LOAD_A" "$LOAD_B" 2>/dev/null
	wait "$LOAD_A" "$LOAD_B" 2>/dev/null
}
# Is this the debug kernel (KASAN, lockdep, fault injection)?
debug_kernel() { case $(uname -r) in *ppvdebug*) return 0 ;; esac; return 1; }

# fault_points NAME: true when ppvnet's fault points are there
# (/sys/kernel/debug/ppvnet, $FI); otherwise one TAP line for test NAME and
# false: a skip for another driver or a kernel without fault injection, a
# failure on the debug kernel, whose phases exist for these tests (a skip
# counts as a pass).
FI=/sys/kernel/debug/ppvnet
fault_points() {
	[ -d $FI ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	if [ "$DRIVER" != ppvnet ]; then
		skip "$1" "ppvnet's fault points only"
	elif [ -d $FI ]; then
		return 0
	elif debug_kernel; then
		notok "$1" "no $FI on the debug kernel $(uname -r): ppvnet built without PPVNET_FAULT_INJECTION?"
	else
		skip "$1" "no $FI (kernel without CONFIG_FAULT_INJECTION_DEBUG_FS)"
	fi
	return 1
}
# fi_arm SITE K: fail the K-th call of fault point SITE once; fi_hit SITE:
# was the fault injected?; fi_off SITE: no more failures
fi_arm() {
	echo 0 >"$FI/$1/verbose"
	echo 100 >"$FI/$1/probability"
	echo 1 >"$FI/$1/interval"
	# should_fail() skips calls while space > size (1): space s >= 2
	# lets s - 1 calls through, so the k-th call needs k (0 for the first)
	if [ "$2" = 1 ]; then echo 0; else echo "$2"; fi >"$FI/$1/space"
	echo 1 >"$FI/$1/times"
}
fi_hit() { [ "$(cat "$FI/$1/times")" = 0 ]; }
fi_off() { echo 0 >"$FI/$1/probability"; echo 0 >"$FI/$1/times"; }

# The kernel selftests' userland (tests/vm/kselftest.sh, ynl.sh): the host
# shares a Debian userland (9p tag ppvroot) and the selftests' part of the
# kernel source (ppvksft, at /mnt inside it) read-only; ks runs a command
# chrooted into it, with the guest's /proc, /sys, /dev and its own /tmp
# and /run. ks_net puts the e1000 (vm.py --peer-nic) into netns ppvrem as
# the selftests' remote end.
KS_ROOT=/sysroot
KS_PEER_IP=198.18.0.3
KS_V6=2001:2::	# RFC 5180's benchmarking prefix, the IPv6 twin of 198.18/15
ks_setup() {
	local d
	load_mods kselftest || return 1
	mkdir -p $KS_ROOT
	# a second test of the boot finds it unmounted (ks_teardown)
	if ! grep -q " $KS_ROOT " /proc/mounts; then
		mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose ppvroot $KS_ROOT &&
			mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose ppvksft $KS_ROOT/mnt &&
			mount -t proc proc $KS_ROOT/proc &&
			mount -t sysfs sysfs $KS_ROOT/sys &&
			mount -t debugfs debugfs $KS_ROOT/sys/kernel/debug &&
			mount -o bind /dev $KS_ROOT/dev &&
			mount -t tmpfs tmpfs $KS_ROOT/tmp &&
			mount -t tmpfs tmpfs $KS_ROOT/run || return 1
	fi
	# the peer, if any: the NIC the e1000 driver took
	KS_PEER=
	for d in /sys/bus/pci/drivers/e1000/0000:*/net/*; do
		[ -e "$d" ] && KS_PEER=${d##*/}
	done
	return 0
}
ks() {	# a command in the chroot
	chroot $KS_ROOT /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/tmp LC_ALL=C.UTF-8 "$@"
}
ks_net() {
	[ -n "$KS_PEER" ] || { echo "no e1000 interface (vm.py --peer-nic e1000)"; return 1; }
	ks ip netns add ppvrem &&
		ks ip link set "$KS_PEER" netns ppvrem &&
		ks ip -n ppvrem link set lo up &&
		ks ip -n ppvrem addr add $KS_PEER_IP/24 dev "$KS_PEER" &&
		ks ip -n ppvrem addr add ${KS_V6}3/64 dev "$KS_PEER" nodad &&
		ks ip -n ppvrem link set "$KS_PEER" up &&
		ks ip addr add ${KS_V6}2/64 dev "$IF" nodad || return 1
	# stats.py takes the link down and up, which would drop the IPv6
	# address (and the later tests' IPv6 traffic with it)
	sysctl -qw "net.ipv6.conf.$IF.keep_addr_on_down=1" || return 1
	# both ends answer before a test starts (e1000's link comes up late)
	local i=0
	while [ $i -lt 50 ]; do
		ks ping -c 1 -W 1 $KS_PEER_IP >/dev/null 2>&1 &&
			ks ping -6 -c 1 -W 1 ${KS_V6}3 >/dev/null 2>&1 && return 0
		i=$((i + 1))
	done
	return 1
}
ks_teardown() {
	local p d
	# what a killed test left running in the chroot (iperf3, socat)
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = $KS_ROOT ] &&
			kill -9 "${p#/proc/}" 2>/dev/null
	done
	sleep 0.5
	ks ip netns del ppvrem 2>/dev/null
	ip addr del ${KS_V6}2/64 dev "$IF" 2>/dev/null
	# every mount at or below the root, deepest first: ip netns made
	# /run/netns a mount of its own
	awk -v r=$KS_ROOT '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts |
		sort -r | while read -r d; do
		umount "$d" 2>/dev/null || umount -l "$d"
	done
}
