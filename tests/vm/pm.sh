# Suspend, hibernation and resume under iperf3 both ways. Before them the
# receive filter is made to differ from a reset device's (a new MAC,
# allmulticast): QEMU's view of it (query-rx-filter), the MAC, the queue
# pairs and the RSS table must be the same after each as before, the link
# up and traffic moving both ways.
#  - the kernel's pm_test (CONFIG_PM_DEBUG): devices and platform, for
#    mem and disk (where the kernel has hibernation): every driver's
#    suspend or freeze and resume or thaw/restore callback runs;
#  - suspend-to-idle woken by the RTC (rtcwake -m freeze), where QEMU can
#    (below);
#  - PPV_S3=1 (QEMU with S3 on): a real S3, woken by the host with the
#    monitor's system_wakeup; QEMU resets the device on wake-up.
# Any driver.
net_up
if [ ! -w /sys/power/pm_test ]; then
	skip "suspend and resume" "no /sys/power/pm_test (CONFIG_PM_DEBUG)"
	return 0 2>/dev/null || exit 0
fi
MAC0=$(cat /sys/class/net/$IF/address)
ip link set "$IF" address 02:00:00:00:02:42
ifconfig "$IF" allmulti
pm_state() {	# what must survive: MAC, pairs, RSS table, QEMU's filter
	echo "mac $(cat /sys/class/net/$IF/address)"
	echo "pairs $(ethtool -l "$IF" 2>/dev/null | awk '/^Current/ { c = 1 } c && /^Combined:/ { print $2; exit }')"
	echo "rss $(ethtool -x "$IF" 2>/dev/null | awk '/^ *[0-9]+:/ { $1 = ""; printf "%s", $0 }' | tr -s ' ')"
	echo "filter $(host rxfilter)"
}
sleep 1
pm_state >/tmp/pm.before
grep -q '"main-mac": "02:00:00:00:02:42"' /tmp/pm.before ||
	diag "QEMU's filter before: $(grep filter /tmp/pm.before | cut -c1-300)"
echo 1 >/sys/module/suspend/parameters/pm_test_delay 2>/dev/null
load_start
# after NAME: the link, the state, traffic both ways
after() {
	wait_carrier 1
	expect "$1: carrier up" "$(cat /sys/class/net/$IF/carrier)" -eq 1
	pm_state >/tmp/pm.after
	if cmp -s /tmp/pm.before /tmp/pm.after; then
		ok "$1: MAC, pairs, RSS table and QEMU's receive filter as before"
	elif [ "$DRIVER" != ppvnet ] &&
		[ "$(grep -v '^filter' /tmp/pm.before)" = "$(grep -v '^filter' /tmp/pm.after)" ]; then
		# 6.1's virtnet_restore() sends the device the queue pairs only:
		# QEMU is left promiscuous with its own MAC (seen every run)
		skip "$1: MAC, pairs, RSS table and QEMU's receive filter as before" \
			"$DRIVER: the guest's side as before, but QEMU's filter not replayed: $(grep '^filter' /tmp/pm.after | cut -c1-160)"
	else
		notok "$1: MAC, pairs, RSS table and QEMU's receive filter as before" \
			"$(diff /tmp/pm.before /tmp/pm.after | grep '^[-+][a-z]' | cut -c1-400 | tr '\n' ' ')"
	fi
	w=$(load_progress) && ok "$1: traffic both ways again" || notok "$1: traffic both ways again" "$w"
}
for st in mem disk; do
	for t in devices platform; do
		if ! grep -qw $st /sys/power/state; then
			skip "pm_test $t, $st" "the kernel has no $st sleep state"
			continue
		fi
		echo $t >/sys/power/pm_test
		check "pm_test $t: echo $st >/sys/power/state" sh -c "echo $st >/sys/power/state"
		after "pm_test $t $st"
	done
done
echo none >/sys/power/pm_test
# Suspend-to-idle: QEMU 7.2 under TCG does not come back from it, with
# either driver (virtio_net as ppvnet), woken by neither the RTC alarm
# (rtcwake -m freeze: rtc-cmos arms ACPI's RTC event, which QEMU raises in
# S3 only) nor the ACPI power button; the guest stops after the late
# suspend of devices. PPV_S2IDLE=1 tries it anyway.
if [ "${PPV_S2IDLE:-0}" = 1 ] && command -v rtcwake >/dev/null && [ -e /dev/rtc0 ]; then
	check "suspend-to-idle, woken by the RTC (rtcwake -m freeze -s 3)" rtcwake -m freeze -s 3
	after "suspend-to-idle"
else
	skip "suspend-to-idle" "QEMU 7.2 (TCG) does not wake a guest from it, with either driver (PPV_S2IDLE=1 tries)"
fi
if [ "${PPV_S3:-0}" = 1 ]; then
	if grep -qw deep /sys/power/mem_sleep; then
		echo deep >/sys/power/mem_sleep
		r=$(host wakeup 4)
		check "S3 (woken by the host's system_wakeup: $r)" sh -c "echo mem >/sys/power/state"
		after "S3"
	else
		notok "S3" "no deep in /sys/power/mem_sleep: $(cat /sys/power/mem_sleep)"
	fi
fi
load_check "suspend and resume"
load_stop
ifconfig "$IF" -allmulti
ip link set "$IF" address "$MAC0"
