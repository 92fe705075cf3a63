# Run with QEMU vectors=0: the driver falls back to INTx and its interrupt
# count grows with traffic.
check "driver says it uses INTx" sh -c "dmesg | grep -q 'using INTx'"
i0=$(ethtool_stat qp0_interrupts)
ping -q -c 20 -i 0.05 -W 2 "$HOST_IP" >/dev/null 2>&1
i1=$(ethtool_stat qp0_interrupts)
expect "qp0_interrupts grew with 20 pings ($i0 -> $i1)" $((i1 - i0)) -ge 20
check "its IRQ is an IO-APIC line" sh -c "grep -E '(IO-APIC|XT-PIC).* $IF$' /proc/interrupts"
