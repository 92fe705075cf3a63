# Every error path of probe and open, run for real through ppvnet's fault
# points (debug kernel: CONFIG_FAULT_INJECTION_DEBUG_FS). For each site and
# k = 1, 2, ...: fail the k-th call of that site once (space and
# times = 1); the step must fail with a dmesg line, unwind, leave nothing
# behind, and the next attempt without injection must work. The walk of a
# site ends at the first k whose fault was never reached.
fault_points "fault injection walk" || { return 0 2>/dev/null || exit 0; }
# DMA-API debug tracks every mapping and coherent buffer: a down or unbound
# device must have none (rings, page pool pages, TX mappings). Its dump's
# lines start "<device> <driver> <type> idx ...", and a device whose probe
# failed has no driver ("0000:00:01.0 pci coherent ..."): match the device.
dma_maps() { grep -c "^$PCI " /sys/kernel/debug/dma-api/dump 2>/dev/null; }

# probe: unbind, arm, bind; the device must come back after a clean bind
# (the vector fallbacks: MSI-X per queue, then per pair, then, with more
# than one pair, one shared MSI-X vector, then INTx; fail_cpuhp is the
# CPU hotplug registration that lets the IRQs follow the CPUs)
MAXQP=$(ethtool -l "$IF" | awk '/^Combined:/ { print $2; exit }')
ip link set "$IF" down 2>/dev/null
for site in fail_probe_alloc fail_vectors fail_cpuhp; do
	k=1 runs=0 bad=
	while [ $k -le 20 ]; do
		echo "$PCI" >/sys/bus/pci/drivers/ppvnet/unbind
		dmesg_mark
		fi_arm $site $k
		echo "$PCI" >/sys/bus/pci/drivers/ppvnet/bind 2>/dev/null
		hit=0; fi_hit $site && hit=1
		fi_off $site
		if [ $hit = 0 ]; then break; fi
		runs=$((runs + 1))
		if [ -e "/sys/bus/pci/drivers/ppvnet/$PCI" ]; then
			# an injected MSI-X failure falls back: bound, with a
			# vector per pair, one shared vector or INTx
			dmesg_new | grep -qE "using INTx|queues share one|one per queue pair" || { bad="$bad k=$k:bound-without-fallback"; }
		else
			dmesg_new | grep -qE "ppvnet.*(cannot|neither|no usable)" || bad="$bad k=$k:no-dmesg-line"
			[ "$(dma_maps)" = 0 ] || bad="$bad k=$k:dma-left"
		fi
		k=$((k + 1))
	done
	[ -e "/sys/bus/pci/drivers/ppvnet/$PCI" ] && echo "$PCI" >/sys/bus/pci/drivers/ppvnet/unbind
	if [ $site = fail_vectors ]; then
		# fail the first t layouts: the next one binds, and says so
		layouts="one per queue pair"
		[ "${MAXQP:-1}" -gt 1 ] && layouts="$layouts|queues share one"
		layouts="$layouts|using INTx"
		steps=0
		while [ $steps -lt "$(echo "$layouts" | awk -F'|' '{ print NF }')" ]; do
			steps=$((steps + 1))
			msg=$(echo "$layouts" | cut -d'|' -f$steps)
			dmesg_mark
			fi_arm $site 1; echo $steps >"$FI/$site/times"
			echo "$PCI" >/sys/bus/pci/drivers/ppvnet/bind 2>/dev/null
			fi_off $site
			[ -e "/sys/bus/pci/drivers/ppvnet/$PCI" ] || bad="$bad t=$steps:not-bound"
			dmesg_new | grep -q "$msg" || bad="$bad t=$steps:no-'$msg'"
			[ -e "/sys/bus/pci/drivers/ppvnet/$PCI" ] && echo "$PCI" >/sys/bus/pci/drivers/ppvnet/unbind
			runs=$((runs + 1))
		done
		steps=$((steps + 1))
		# every MSI-X layout and then the INTx fallback: probe itself
		# must fail
		dmesg_mark
		fi_arm $site 1; echo $steps >"$FI/$site/times"
		echo "$PCI" >/sys/bus/pci/drivers/ppvnet/bind 2>/dev/null
		fi_off $site
		[ -e "/sys/bus/pci/drivers/ppvnet/$PCI" ] && bad="$bad all:bound"
		dmesg_new | grep -q "neither" || bad="$bad all:no-dmesg-line"
		runs=$((runs + 1))
	fi
	echo "$PCI" >/sys/bus/pci/drivers/ppvnet/bind
	wait_if
	if [ -z "$bad" ] && [ $runs -gt 0 ]; then ok "probe: $site failed at each of its $runs calls, unwound, rebinds"; else notok "probe: $site walk ($runs calls)" "$bad"; fi
done

# open: arm, ip link set up must fail with a message, then up must work
# (the rebinds above made a new netdev: give it its address again)
net_up
n=$(dma_maps)
expect "DMA-API debug sees ppvnet's rings and buffers while up ($n)" "${n:-0}" -gt 0
ip link set "$IF" down
sleep 1
expect "no DMA mapping or coherent buffer left while down ($(dma_maps))" "$(dma_maps)" -eq 0
for site in fail_ring fail_pool fail_irq; do
	k=1 runs=0 bad=
	ip link set "$IF" down
	while [ $k -le 40 ]; do
		dmesg_mark
		fi_arm $site $k
		ip link set "$IF" up 2>/dev/null; rc=$?
		hit=0; fi_hit $site && hit=1
		fi_off $site
		if [ $hit = 0 ]; then ip link set "$IF" down; break; fi
		runs=$((runs + 1))
		[ $rc != 0 ] || bad="$bad k=$k:up-succeeded"
		dmesg_new | grep -qE "ppvnet|$IF" || bad="$bad k=$k:no-dmesg-line"
		[ "$(dma_maps)" = 0 ] || bad="$bad k=$k:dma-left($(dma_maps))"
		ip link set "$IF" up || bad="$bad k=$k:next-up-failed"
		wait_carrier 1 || bad="$bad k=$k:no-carrier"
		ping -q -c 5 -i 0.3 -W 3 "$HOST_IP" >/dev/null 2>&1 || bad="$bad k=$k:no-ping"
		ip link set "$IF" down
		k=$((k + 1))
	done
	if [ -z "$bad" ] && [ $runs -gt 0 ]; then ok "open: $site failed at each of its $runs calls, unwound, next up works"; else notok "open: $site walk ($runs calls)" "$bad"; fi
done
net_up
check "ping after the fault walk" ping -q -c 3 -i 0.1 -W 2 "$HOST_IP"

# Control commands (VIRTIO_NET_F_CTRL_VQ): every failure site of a command
# (its buffer, its mapping, the MAC filter of the receive mode: fail_ctrl)
# makes it fail with a dmesg line and change nothing; the next one works.
# ctrl_walk NAME TRIGGER UNDO CHECK: TRIGGER sends commands, CHECK (may be
# empty) tells that it took no effect
ctrl_walk() {
	local name=$1 trig=$2 undo=$3 chk=$4 k=1 runs=0 bad= rc hit
	while [ $k -le 12 ]; do
		dmesg_mark
		fi_arm fail_ctrl $k
		eval "$trig" 2>/dev/null; rc=$?
		sleep 0.5	# the receive mode is sent from a work
		hit=0; fi_hit fail_ctrl && hit=1
		fi_off fail_ctrl
		eval "$undo"
		if [ $hit = 0 ]; then break; fi
		runs=$((runs + 1))
		[ -z "$chk" ] || eval "$chk" || bad="$bad k=$k:$chk:rc=$rc"
		dmesg_new | grep -qE "control command|MAC filter" || bad="$bad k=$k:no-dmesg-line"
		eval "$trig" || bad="$bad k=$k:next-try-failed"
		eval "$undo"
		k=$((k + 1))
	done
	if [ -z "$bad" ] && [ $runs -gt 0 ]; then ok "ctrl: fail_ctrl failed $name at each of its $runs calls; the next try works"; else notok "ctrl: fail_ctrl walk of $name ($runs calls)" "$bad"; fi
}
if [ -n "$(ethtool -S "$IF" | grep ctrl_cmds)" ] && [ -d "$FI/fail_ctrl" ]; then
	MAC=$(cat "/sys/class/net/$IF/address")
	NEWMAC=02:5e:00:00:00:43
	ctrl_walk "a MAC address change" "ip link set $IF address $NEWMAC" \
		"ip link set $IF address $MAC" '[ $rc != 0 ]'
	ctrl_walk "a receive mode change" "ip link set $IF promisc on" \
		"ip link set $IF promisc off" ""
	# a command the device never answers (lose_ctrl: never notified): the
	# call fails after the timeout, the device is reset and comes back, and
	# the next command works
	DMESG_ALLOW='no answer from the device|resetting the device|device reset: datapath back'
	t0=$(ethtool_stat ctrl_timeouts)
	r0=$(ethtool_stat resets)
	dmesg_mark
	fi_arm lose_ctrl 1
	ip link set "$IF" address $NEWMAC 2>/dev/null; rc=$?
	fi_off lose_ctrl
	expect "ctrl: an unanswered command fails the call (exit $rc)" "$rc" -ne 0
	t=0
	while [ "$(ethtool_stat resets)" = "$r0" ] && [ $t -lt 100 ]; do sleep 0.1; t=$((t + 1)); done
	if dmesg_new | grep -q "no answer from the device"; then ok "ctrl: 'no answer from the device' in dmesg"; else notok "ctrl: 'no answer from the device' in dmesg" "not there"; fi
	expect "ctrl: ctrl_timeouts counted it (+$(($(ethtool_stat ctrl_timeouts) - t0)))" $(($(ethtool_stat ctrl_timeouts) - t0)) -eq 1
	expect "ctrl: the device was reset and came back within 10 s (resets +$(($(ethtool_stat resets) - r0)))" $(($(ethtool_stat resets) - r0)) -ge 1
	wait_carrier 1
	check "ctrl: ping after the reset" ping -q -c 5 -i 0.2 -W 3 "$HOST_IP"
	check "ctrl: the next command works" ip link set "$IF" address $NEWMAC
	ip link set "$IF" address "$MAC"
fi
