#!/usr/bin/env bash
# Run every test of the project and print TAP with one global count:
# userspace unit tests, fuzzing, static checks, the harness, the in-guest
# suites for each driver, kernel and device configuration, and the suites
# on the debug kernel (KASAN, UBSAN, lockdep, kmemleak, DMA-API debug, fault
# injection), which run next to the others and are reported last. Ends with
# "N passed, N failed"; exits 1 on any failure.
#   tests/run-all.sh [phase-name-pattern]    e.g. 'vm-ppvnet*', 'debug-*'
# PPV_DEBUG=0 leaves out the debug-kernel phases. When the debug kernel is
# not cached yet, its build (about 25 min on 2 cores) starts in the
# background at nice 19 before the first phase, so the other phases run
# while it compiles.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
PHASE_ONLY=${1:-*}

. "$top/tests/tap-phases.sh"

# vm DRIVER KERNEL [vm.py options]
vm() {
	local d=$1 k=$2
	shift 2
	DRIVER=$d KERNEL=$k "$top/qemu-setup/boot.sh" --mode test "$@"
}

# ksft_vm DRIVER KERNEL [vm.py options]: a guest with the selftests'
# userland and sources shared (ynl: tests/vm/ynl.sh, latelog.sh), held
# shared against a newer chroot's pruning (as tests/kselftest/run.sh does)
ksft_vm() {
	local src root
	if ! src=$(qemu-setup/kselftests.sh src) || ! root=$(qemu-setup/kselftests.sh root); then
		echo "not ok 1 - the selftests' userland for ynl"
		return 1
	fi
	exec 7>"$root.lock"
	flock -s 7
	vm "$@" --share "$root:ppvroot" --share "$src:ppvksft"
}

# The suite every driver passes unchanged (virtio_net proves the harness).
BASIC="load link ping counters iperf_tcp unload"
# What ppvnet passes on top: UDP counts, TX completions of a paused sender
# and tx-usecs changes under load, ethtool vs ip, checked transfers, MTU
# changes, link flaps from the monitor, 20 load/traffic/unload cycles; the
# control queue's filters, MAC, VLANs, offloads and announcements (ctrl,
# which virtio_net passes too).
# Software TX timestamps start at the Ethernet header; forwarded packets
# leave with their checksums finished (tstamp, csumfwd: virtio_net too).
# ECN through TSO and guest TSO, both ways (ecn: netem in the guest marks
# CE; not on the debug kernel, which has no netem)
PPV="load link ping counters iperf_tcp udp txidle stats ctrl linkset xfer ecn mtu flap tstamp csumfwd cycles unload"
# A TX ring that fills (stops and wakes) and netconsole under load with
# netpoll's budget-0 polls: with indirect tables and the header in the
# skb's headroom a packet takes one descriptor, and QEMU drains 256 of them
# as fast as the guest fills them; its TX timer (flush every 0.5 s) makes
# the ring fill on every kernel, as on the slow debug kernel.
TXFULL="load link txfull netconsole unload"
TXTIMER=tx=timer,x-txtimer=500000000
# Lifecycle under load, reduced counts of make stress's (MTU changes,
# down/up, link flaps and rmmod, each during iperf3 both ways), then a wait
# for late kernel messages (page_pool's stalled pool comes 60 s after).
LIFE="load mtuload updown flapload rmmod_busy unload latelog"
LIFE_N="ppv.env.PPV_MTU_CHANGES=20 ppv.env.PPV_UPDOWN=20 ppv.env.PPV_FLAPS=50"
LIFE_DBG="ppv.env.PPV_MTU_CHANGES=10 ppv.env.PPV_UPDOWN=10 ppv.env.PPV_FLAPS=20"
# every offload and feature QEMU can refuse, refused
ALLOFF=csum=off,guest_csum=off,host_tso4=off,host_tso6=off,host_ecn=off,guest_tso4=off,guest_tso6=off,guest_ecn=off,mrg_rxbuf=off,indirect_desc=off

"$top/qemu-setup/deps.sh" || { echo "not ok 1 - installing host packages"; echo "0 passed, 1 failed"; exit 1; }

# debug_build_start / debug_build_wait: the debug kernel builds in the
# background while the other phases run; the debug-kernel phase waits for it.
DBG_PID=
DBG_DIR=$top/build/logs
debug_build_start() {
	mkdir -p "$DBG_DIR"
	rm -f "$DBG_DIR/debug-kernel.rc" "$DBG_DIR/debug-kernel.out"
	qemu-setup/build-debug-kernel.sh --deps-only >"$DBG_DIR/debug-kernel.log" 2>&1 ||
		{ echo 1 >"$DBG_DIR/debug-kernel.rc"; return; }
	( PPV_BUILD_NICE=19 exec qemu-setup/build-debug-kernel.sh \
		>"$DBG_DIR/debug-kernel.out" 2>>"$DBG_DIR/debug-kernel.log"
	) &
	DBG_PID=$!
	echo "# debug kernel: building or checking in the background (pid $DBG_PID), log $DBG_DIR/debug-kernel.log"
}
# runs inside phase's subshell: it cannot wait(1) for DBG_PID, so it polls
debug_build_wait() {
	local n=0
	while [ -n "$DBG_PID" ] && kill -0 "$DBG_PID" 2>/dev/null; do
		sleep 5
		n=$((n + 1))
		[ $((n % 60)) = 0 ] &&
			echo "# still building: $(tail -n 1 "$DBG_DIR/debug-kernel.log")"
	done
	if [ -s "$DBG_DIR/debug-kernel.out" ]; then
		grep -E 'built .* in|extract' "$DBG_DIR/debug-kernel.log" | sed 's/^/# /'
		echo "ok 1 - debug kernel: $(cat "$DBG_DIR/debug-kernel.out")"
	else
		tail -n 20 "$DBG_DIR/debug-kernel.log" | sed 's/^/# /'
		echo "not ok 1 - debug kernel built (log $DBG_DIR/debug-kernel.log)"
		return 1
	fi
}
# shellcheck disable=SC2053
if [ "${PPV_DEBUG:-1}" != 0 ] && [[ debug-kernel == $PHASE_ONLY ]]; then
	# stopped by the EXIT trap below if the run is interrupted
	debug_build_start
fi

# The debug kernel's phases (make check-debug runs only these): debug_cmd
# NAME runs phase NAME's guest; DEBUG_VM lists them, longest first, so
# that two workers end close together (see the debug lane below).
debug_cmd() {
	local fi15=ppv.env.PPV_FI_SECONDS=15 m6=ppv.env.PPV_MTU_CHANGES=6
	case $1 in
	# the fault walk, failures under load and a lying device, with
	# DMA-API mappings (ACCESS_PLATFORM: DMA-API debug sees the unmap of
	# every failed path); then failures at the sites of big-packet chains
	# (no mergeable buffers: the walk covers their open path; with hash
	# report, so the 20-byte header and the hash command's fail_ctrl walk
	# are in it) and of
	# small buffers (no guest offloads; hash report too, so each of the
	# three layouts carries the hash), with physical addresses; in each
	# layout also MTU changes and rmmod during iperf3 both ways
	debug-vm-ppvnet-faults)
		vm ppvnet debug --device-opts iommu_platform=on \
			--append ppv.env.PPV_FI_SECONDS=20 \
			--tests "load link faults faults_load lie cc txstall refill64 deadreset" ;;
	# two queue pairs under faults: the probe and open walks unwind pair
	# 1 after pair 0 succeeded, the per-pair IRQ requests, the shared
	# vector fallback of fail_vectors; rebuilds (MTU, -G, -L) that fail
	# under load (rebuildfi); lies met by either pair, the control state
	# replayed after each reset
	debug-vm-ppvnet-faults-mq)
		vm ppvnet debug --queues 2 --device-opts iommu_platform=on \
			--append "ppv.env.PPV_QUEUES=2" \
			--tests "load link faults rebuildfi lie affinity unload" ;;
	debug-vm-ppvnet-faults-big)
		vm ppvnet debug --device-opts mrg_rxbuf=off,hash=on \
			--append "$fi15 $m6 ppv.env.PPV_FI_RXSITE=fail_rx_big ppv.env.PPV_FI_RUNS=fail_rx_big:10:rx0_refill_fail;fail_rx_skb:1:rx0_skb_fail" \
			--tests "load link hash hashnone cc faults faults_load xfer mtuload rmmod_busy unload" ;;
	debug-vm-ppvnet-faults-small)
		vm ppvnet debug --device-opts "$ALLOFF,hash=on" \
			--append "$fi15 $m6 ppv.env.PPV_HASH_LOAD=0 ppv.env.PPV_FI_RXSITE=fail_rx_page ppv.env.PPV_FI_RUNS=fail_rx_page:10:rx0_refill_fail;fail_tx_map:1:tx0_errors" \
			--tests "load link hash faults_load xfer truesize mtuload rmmod_busy unload" ;;
	# DMA-API debug checks every buffer mapping here: the device offers
	# ACCESS_PLATFORM, so ppvnet maps through the DMA API (the other
	# phases, but faults, use physical addresses, the default); with hash
	# report, so the 20-byte header goes through -L, -G and down/up under
	# load
	debug-vm-ppvnet)
		vm ppvnet debug --device-opts iommu_platform=on,hash=on --queues 2 \
			--s3 \
			--append "ppv.env.PPV_CYCLES=8 ppv.env.PPV_QUEUES=2 ppv.env.PPV_MQ_CHANGES=4 ppv.env.PPV_S3=1" \
			--tests "$(echo "${PPV% unload}" | sed 's/ ecn / /') mq polltail pm debugfs unload" ;;
	# RSS commands through the DMA API, and the fail_ctrl walks of
	# ethtool -X and -N
	debug-vm-ppvnet-rss)
		vm ppvnet debug --device-opts iommu_platform=on,rss=on,hash=on --queues 2 \
			--append ppv.env.PPV_HASH_LOAD=0 --tests "load link rss hash unload" ;;
	debug-vm-ppvnet-life)
		vm ppvnet debug --append "$LIFE_DBG" --tests "$LIFE" ;;
	debug-vm-ppvnet-txtimer)
		vm ppvnet debug --device-opts "$TXTIMER" --tests "$TXFULL" ;;
	debug-vm-virtio_net)
		vm virtio_net debug --tests "$BASIC" ;;
	*)
		echo "no debug phase $1"; return 1 ;;
	esac
}
DEBUG_VM="debug-vm-ppvnet-faults debug-vm-ppvnet debug-vm-ppvnet-faults-mq debug-vm-ppvnet-faults-big debug-vm-ppvnet-life debug-vm-ppvnet-faults-small debug-vm-ppvnet-txtimer debug-vm-ppvnet-rss debug-vm-virtio_net"
DEBUG_PHASES="debug-kernel $DEBUG_VM"
# The debug lane: the debug kernel's phases run next to the others. A TCG
# guest keeps the machine about half busy (52 % of 2 cores over the debug
# phases, measured), so two guests at once take little more time than
# one. The lane waits for the debug kernel's build, then takes the debug
# phases one by one (debug_worker); the main lane, done with its own,
# takes the ones left too. Their output is kept in files (a "# [debug
# lane]" line to the terminal as each starts and ends), and the main lane
# replays them into the TAP stream at its end, numbered there, with the
# time each one took. A phase a worker did not finish (killed, say) is a
# failure.
LANE_DIR=$top/build/logs/lane-$$
LANE_PID=
# lane_phase NAME COMMAND...: in the lane, run it and keep its output,
# exit status and seconds; fails when the command failed
lane_phase() {
	local name=$1 t0 rc
	shift
	# shellcheck disable=SC2053
	[[ $name == $PHASE_ONLY ]] || return 0
	echo "$name" >>"$LANE_DIR/order"
	echo "# [debug lane] $name: started, $(($(date +%s) - t_start)) s into the run"
	t0=$(date +%s)
	"$@" >"$LANE_DIR/$name.out" 2>&1
	rc=$?
	echo "$rc $(($(date +%s) - t0)) $(($(date +%s) - t_start))" >"$LANE_DIR/$name.rc"
	echo "# [debug lane] $name: exit $rc after $(($(date +%s) - t0)) s, $(grep -c '^ok' "$LANE_DIR/$name.out") ok, $(grep -c '^not ok' "$LANE_DIR/$name.out") not ok"
	return $rc
}
lane_replay() {	# NAME: what lane_phase kept, and its exit status
	local rc secs end
	cat "$LANE_DIR/$1.out" 2>/dev/null
	if ! read -r rc secs end <"$LANE_DIR/$1.rc"; then
		echo "not ok 1 - $1 finished in the debug lane (it did not: see $LANE_DIR)"
		return 1
	fi
	echo "# $1 ran for $secs s in the debug lane, ending $end s into the run"
	return "$rc"
}
# debug_lane: the kernel (built, or its failure reported), then phases
debug_lane() {
	if lane_phase debug-kernel debug_build_wait; then
		echo ok >"$LANE_DIR/kernel"
	else
		echo failed >"$LANE_DIR/kernel"
	fi
	debug_worker
}
# debug_worker: once the kernel is there, every debug phase no other worker
# took (mkdir is the claim)
debug_worker() {
	local n
	while [ ! -f "$LANE_DIR/kernel" ] && kill -0 "$LANE_PID" 2>/dev/null; do
		sleep 5
	done
	[ "$(cat "$LANE_DIR/kernel" 2>/dev/null)" = ok ] || return 0
	for n in $DEBUG_VM; do
		mkdir "$LANE_DIR/claim-$n" 2>/dev/null || continue
		lane_phase "$n" debug_cmd "$n"
	done
}
lane_start() {
	local n
	[ "${PPV_DEBUG:-1}" != 0 ] || return 0
	# shellcheck disable=SC2053
	for n in $DEBUG_PHASES; do [[ $n == $PHASE_ONLY ]] && break; done
	# shellcheck disable=SC2053
	[[ $n == $PHASE_ONLY ]] || return 0
	rm -rf "$LANE_DIR"
	mkdir -p "$LANE_DIR"
	: >"$LANE_DIR/order"
	# its own process group (job control), so that an interrupted run
	# stops the lane's guests too
	set -m
	debug_lane </dev/null &
	LANE_PID=$!
	set +m
	echo "# debug lane: pid $LANE_PID, output in $LANE_DIR until it is replayed at the end"
}
lane_end() {
	local name
	[ -n "$LANE_PID" ] || return 0
	echo "# the main lane's phases are done: it takes debug phases too"
	debug_worker </dev/null
	echo "# waiting for the debug lane"
	wait "$LANE_PID"
	LANE_PID=
	while read -r name; do
		phase "$name" lane_replay "$name"
	done <"$LANE_DIR/order"
}
trap '[ -z "$DBG_PID" ] || kill "$DBG_PID" 2>/dev/null; [ -z "$LANE_PID" ] || kill -- -"$LANE_PID" 2>/dev/null' EXIT

[ -f tests/unit/Makefile ] && phase unit make -s -C tests/unit check
phase fuzz make -s -C tests/fuzz run FUZZ_SECONDS=${PPV_FUZZ_SECONDS:-30}
phase static tests/static/run.sh
phase harness tests/harness/run.sh
# after the harness, whose stale-namespace test wants the only vm.py running
lane_start
phase vm-virtio_net-6.1 vm virtio_net default --tests "${BASIC% unload} ctrl tstamp csumfwd bind unload"
# 8 load/unload cycles (make stress runs 100)
phase vm-ppvnet-6.1 vm ppvnet default --append ppv.env.PPV_CYCLES=8 --tests "$PPV"
# (the wait for late messages, 65 s, on 6.12 and the debug kernel only)
phase vm-ppvnet-6.1-life vm ppvnet default --timeout 600 --append "$LIFE_N" --tests "${LIFE% latelog}"
# Two queue pairs (mq=on): traffic on both, ethtool -L and -G under load,
# checked transfers; virtio_net passes the same test. Then the vector
# fallbacks with two pairs: one MSI-X vector shared by all queues
# (vectors=2), and INTx with queue and config-change interrupts through the
# ISR (flaps)
# Both with a link speed and duplex from the device (linkset; the other
# phases see none: Unknown).
MQ="--queues 2 --append ppv.env.PPV_QUEUES=2"
LS="--device-opts speed=10000,duplex=full --append ppv.env.PPV_SPEED=10000"
phase vm-ppvnet-6.1-mq vm ppvnet default $MQ $LS --tests "load link mq linkset debugfs xfer unload"
phase vm-virtio_net-6.1-mq vm virtio_net default $MQ $LS --tests "load link mq linkset unload"
# RSS with hash report (rss=on,hash=on: VIRTIO_NET_F_RSS and HASH_REPORT):
# ethtool -x/-X steer flows, the device's hash reaches the skb, ethtool -N
# rx-flow-hash changes it (not under load: QEMU 7.2's RSS stall, rss.sh);
# both drivers
RSS="--queues 2 --device-opts rss=on,hash=on --append ppv.env.PPV_HASH_LOAD=0 --tests"
phase vm-ppvnet-6.1-rss vm ppvnet default $RSS "load link rss hash hashnone unload"
phase vm-virtio_net-6.1-rss vm virtio_net default $RSS "load link rss hash unload"
# hash report alone (HASH_CONFIG, one queue pair): the 20-byte header in
# the mergeable layout under load, MTU changes; both drivers
phase vm-ppvnet-6.1-hash vm ppvnet default --device-opts hash=on --tests "load link hash hashnone xfer mtu unload"
phase vm-virtio_net-6.1-hash vm virtio_net default --device-opts hash=on --tests "load link hash unload"
# Suspend and hibernation (the kernel's pm_test) and a real S3 (QEMU with
# S3 on, woken by the host) under iperf3 both ways, two pairs: link, MAC,
# pairs and QEMU's receive filter as before; both drivers
PM="--queues 2 --s3 --append ppv.env.PPV_S3=1 --tests"
phase vm-ppvnet-6.1-pm vm ppvnet default $PM "load link pm unload"
phase vm-virtio_net-6.1-pm vm virtio_net default $PM "load link pm unload"
phase vm-ppvnet-6.1-shared vm ppvnet default --queues 2 --vectors 2 \
	--append "ppv.env.PPV_QUEUES=2 ppv.env.PPV_MQ_CHANGES=2 ppv.env.PPV_IRQ_MODE=shared" \
	--tests "load link ping mq unload"
# a vector per pair (vectors=3 for two pairs: too few for RX and TX
# each): one NAPI per pair reaps both rings
phase vm-ppvnet-6.1-perqp vm ppvnet default --queues 2 --vectors 3 \
	--append "ppv.env.PPV_QUEUES=2 ppv.env.PPV_MQ_CHANGES=2 ppv.env.PPV_IRQ_MODE=perqp" \
	--tests "load link ping mq txidle unload"
# the IRQ layout on 4 vCPUs with 2 pairs: RX and TX of each pair on CPUs
# of their own, after ethtool -L and while CPUs go offline and come back
# under load
phase vm-ppvnet-6.1-affinity vm ppvnet default --smp 4 --queues 2 \
	--append ppv.env.PPV_QUEUES=2 --tests "load link affinity unload"
phase vm-ppvnet-6.1-intx vm ppvnet default --queues 2 --vectors 0 --tests "load link ping iperf_tcp intx flap unload"
# no event index: interrupts and kicks by the flags alone
phase vm-ppvnet-6.1-noevidx vm ppvnet default --device-opts event_idx=off \
	--append "ppv.env.PPV_MTU_CHANGES=10 ppv.env.PPV_UPDOWN=10" \
	--tests "load link ping iperf_tcp udp txidle mtuload updown unload"
phase vm-ppvnet-6.1-txtimer vm ppvnet default --device-opts "$TXTIMER" --tests "$TXFULL"
# Offload subsets: each feature QEMU can refuse, alone, then all at once;
# sha256-checked transfers both ways over IPv4 and IPv6 (xfer) with the
# offload counters checked against ethtool -k, and the ethtool -k values
# the refused feature must turn off (PPV_EXPECT_K).
XMB=ppv.env.PPV_XFER_MB=4
feat_phase() {	# property expected-ethtool-k [more tests]
	phase "vm-ppvnet-6.1-$1=off" vm ppvnet default --device-opts "$1=off" \
		--append "$XMB ppv.env.PPV_XFER_K_ROUNDS=0 ${2:+ppv.env.PPV_EXPECT_K=$2}" --tests "load link xfer ${3:-} unload"
}
feat_phase csum tx-checksumming:off,tcp-segmentation-offload:off
feat_phase guest_csum rx-checksumming:off,rx-gro-hw:off
feat_phase host_tso4 tx-tcp-segmentation:off
feat_phase host_tso6 tx-tcp6-segmentation:off
feat_phase host_ecn tx-tcp-ecn-segmentation:off
feat_phase guest_tso4 ""
feat_phase guest_tso6 ""
feat_phase guest_ecn ""
# no mergeable buffers: big-packet chains (guest TSO is on)
feat_phase mrg_rxbuf "" "udp mtu"
feat_phase indirect_desc "" udp
phase vm-ppvnet-6.1-alloff vm ppvnet default --device-opts "$ALLOFF" \
	--append "$XMB ppv.env.PPV_EXPECT_K=tx-checksumming:off,rx-checksumming:off,rx-gro-hw:off" \
	--tests "load link xfer udp mtu truesize unload"
# VIRTIO_NET_F_MTU: the device's 9000 from the start, jumbo transfers
phase vm-ppvnet-6.1-host_mtu vm ppvnet default --host-mtu 9000 --append "$XMB" \
	--tests "load link devmtu xfer unload"
# A translating IOMMU: without ACCESS_PLATFORM the device bypasses it and
# gets physical addresses; with it (iommu_platform=on) the DMA API maps
phase vm-ppvnet-6.1-iommu vm ppvnet default --iommu --append "$XMB" \
	--tests "load link iommu xfer unload"
phase vm-ppvnet-6.1-iommu_platform vm ppvnet default --iommu --device-opts iommu_platform=on \
	--append "$XMB ppv.env.PPV_WANT_AP=1" --tests "load link iommu xfer unload"
phase vm-virtio_net-6.12 vm virtio_net 6.12 --tests "$BASIC"
# 5 load/unload cycles on the other kernels (8 on 6.1)
phase vm-ppvnet-6.12 vm ppvnet 6.12 --append ppv.env.PPV_CYCLES=5 --tests "$PPV"
phase vm-ppvnet-6.12-life ksft_vm ppvnet 6.12 --timeout 600 --append "$LIFE_N" --tests "$LIFE"
# the full ring without event index (stops and wakes by the flags alone)
phase vm-ppvnet-6.12-txtimer-noevidx vm ppvnet 6.12 --device-opts "event_idx=off,$TXTIMER" \
	--tests "$TXFULL"
# The code behind ppv_compat.h where it differs from 6.1 (queue NAPIs and
# the page pool's netdev since 6.8, ethtool_rxfh_param since 6.8, qstats
# since 6.10, hrtimer_setup since 6.13): ethtool -L and -G under load and
# RSS with hash report on 6.12 and 7.3, netdev netlink (ynl: queues,
# NAPIs, qstats, page pools) on 7.3 as on 6.12 (kselftest-6.12), and the
# lifecycle under load on 7.3
phase vm-ppvnet-6.12-mq vm ppvnet 6.12 --queues 2 \
	--append "ppv.env.PPV_QUEUES=2 ppv.env.PPV_MQ_CHANGES=3" --tests "load link mq unload"
phase vm-ppvnet-6.12-rss vm ppvnet 6.12 $RSS "load link rss hash hashnone unload"
# The kernel's own drivers/net selftests (linux-source-6.12) on 6.12 with
# an e1000 as their remote end: ppvnet, judged case by case against the
# committed baseline of virtio_net's results
# (tests/kselftest/baseline-6.12.txt); its guest also reads netdev netlink
# with ynl. make kselftest runs virtio_net too and fails when it drifts
# from the baseline.
phase kselftest-6.12 env PPV_KSFT_VIRTIO=0 tests/kselftest/run.sh
# hw/pp_alloc_fail.py needs fail_function: a 6.12 kernel of our own build
# (KERNEL=fault, about 18 min on 2 cores), which does not fit this run's
# time budget from an empty cache next to the debug kernel: make
# kselftest-fault builds it; this phase runs the test when it is cached
kselftest_fault() {
	local k
	if k=$(export KERNEL=fault; . qemu-setup/common.sh && ppv_kdir "$(ppv_kernel_release)") &&
		[ -f "$k/.done" ]; then
		PPV_KSFT_KERNEL=fault PPV_KSFT_FILE=hw/pp_alloc_fail.py \
			PPV_KSFT_REQUIRE=hw/pp_alloc_fail.py:test_pp_alloc tests/kselftest/run.sh
	else
		echo "ok 1 - kselftest hw/pp_alloc_fail.py # SKIP the fail_function kernel is not cached (make kselftest-fault builds it and runs the test)"
	fi
}
phase kselftest-fault kselftest_fault
# 7.3 (trixie-backports), whose virtio_net receives into page_pool too;
# ppvnet.ko built in the trixie chroot
phase vm-virtio_net-7.3 vm virtio_net 7.3 --tests "${BASIC% unload} xfer unload"
phase vm-ppvnet-7.3 vm ppvnet 7.3 --append ppv.env.PPV_CYCLES=5 --tests "$PPV"
phase vm-ppvnet-7.3-rss vm ppvnet 7.3 $RSS "load link rss hash hashnone unload"
phase vm-ppvnet-7.3-mq ksft_vm ppvnet 7.3 --queues 2 \
	--append "ppv.env.PPV_QUEUES=2 ppv.env.PPV_MQ_CHANGES=3" --tests "load link mq ynl affinity unload"
phase vm-ppvnet-7.3-life ksft_vm ppvnet 7.3 --timeout 600 --append "$LIFE_N" --tests "$LIFE"

# Stress (make stress, PPV_STRESS=1): the counts of the hardening issue on
# the normal kernel; fewer on the debug kernel (make stress KERNEL=debug),
# where everything runs 5-10x slower; no low-memory test there.
if [ "${PPV_STRESS:-0}" = 1 ]; then
	sk=${KERNEL:-default}
	if [ "$sk" = debug ]; then
		set -- 20 200 50 0 2400 10
	else
		set -- 100 1000 200 160 900 50
	fi
	phase stress-cycles vm ppvnet "$sk" --timeout "$5" \
		--append "ppv.env.PPV_CYCLES=${PPV_CYCLES:-$1}" --tests "load cycles unload"
	phase stress-flaps vm ppvnet "$sk" --timeout "$5" \
		--append "ppv.env.PPV_FLAPS=${PPV_FLAPS:-$2}" --tests "load flapload unload"
	phase stress-updown vm ppvnet "$sk" --timeout "$5" \
		--append "ppv.env.PPV_UPDOWN=${PPV_UPDOWN:-$3}" --tests "load updown unload"
	phase stress-rmmod vm ppvnet "$sk" --tests "load rmmod_busy unload"
	# ethtool -L and -G, each its count of times, under iperf3 both ways
	phase stress-mq vm ppvnet "$sk" --timeout "$5" --queues 2 \
		--append "ppv.env.PPV_QUEUES=2 ppv.env.PPV_MQ_CHANGES=${PPV_MQ_CHANGES:-$6}" \
		--tests "load link mq unload"
	if [ "$sk" = debug ]; then
		phase stress-lowmem echo "ok 1 - low-memory guest # SKIP on the debug kernel: in a 320 MB debug guest the OOM killer took the hog before any GFP_ATOMIC allocation failed (0 failures measured), so the test shows nothing there"
	else
		phase stress-lowmem vm ppvnet "$sk" --mem "$4" --tests "load lowmem unload"
	fi
fi

lane_end
tap_summary
