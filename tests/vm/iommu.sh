# The guest has a translating IOMMU (vm.py --iommu: QEMU's intel-iommu,
# intel_iommu=on): the NIC sits in a DMA domain, so DMA-API addresses are
# IOVAs. Which address the device must get depends on VIRTIO_F_ACCESS_PLATFORM
# (QEMU's iommu_platform=on): with it, the device goes through the IOMMU and
# ppvnet maps through the DMA API; without it, the device bypasses the
# IOMMU and ppvnet gives it physical addresses. xfer.sh, run next, proves
# the data; this test proves the setting is the one the phase meant.
PCI=$(nic_pci)
t=$(cat "/sys/bus/pci/devices/$PCI/iommu_group/type" 2>/dev/null)
diag "IOMMU domain of $PCI: ${t:-none}"
case $t in
DMA*) ok "the NIC's DMA is translated by the IOMMU (domain $t)" ;;
*) notok "the NIC's DMA is translated by the IOMMU" "domain '${t:-none}'" ;;
esac
f=$(dmesg | sed -n 's/.*ppvnet .* features \(0x[0-9a-f]*\).*/\1/p' | tail -n 1)
if [ -z "$f" ]; then
	notok "the probe's features line in dmesg" "none: ACCESS_PLATFORM unknown"
	return 0 2>/dev/null || exit 0
fi
ap=$(( (f >> 33) & 1 ))	# VIRTIO_F_ACCESS_PLATFORM
diag "negotiated features $f, ACCESS_PLATFORM $ap (want ${PPV_WANT_AP:-0})"
expect "ACCESS_PLATFORM negotiated as the device offers it ($ap)" "$ap" -eq "${PPV_WANT_AP:-0}"
