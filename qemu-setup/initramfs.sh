#!/usr/bin/env bash
# Build the guest initramfs for one kernel release:
#   qemu-setup/initramfs.sh <kernel cache dir> [ppvnet.ko] > path of the image
# Contents: busybox (static), iperf3, ethtool, sockperf and their shared
# libraries (found with ldd), the in-tree virtio_net module chain (for the
# reference runs), ppvnet.ko when given, the guest init and tests/vm.
# The image is cached under the kernel's folder, keyed by a hash of every
# input, so boots reuse it until something changes.
set -euo pipefail
. "$(dirname "$0")/common.sh"

kdir=$1
ko=${2:-}
[ -d "$kdir/modules" ] || ppv_die "no kernel in $kdir (run qemu-setup/fetch-kernel.sh)"
krel=$(basename "$(readlink "$kdir/modules")")

# virtio_net and everything it needs, where they are modules of this kernel
ref_modules="failover net_failover virtio virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_net"
bins="/bin/busybox $(command -v iperf3 ethtool sockperf)"

key=$( {
	echo "$krel $ref_modules $bins"
	[ -n "$ko" ] && sha256sum "$ko"
	sha256sum "$PPV_TOP"/qemu-setup/guest/* "$PPV_TOP"/tests/vm/* "$0" $bins
} | sha256sum | cut -c1-16)
out=$kdir/initramfs-$key.cpio
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi
# old images go, but not those of the last hour: a parallel run (a test
# suite next to a benchmark) may be booting one right now
find "$kdir" -maxdepth 1 -name 'initramfs-*.cpio' -mmin +60 -delete

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib64,lib,proc,sys,dev,tmp,run,etc,ppv/tests,lib/modules/ppv}

cp /bin/busybox "$root/bin/busybox"
for b in $(/bin/busybox --list); do
	[ "$b" = busybox ] || ln -sf busybox "$root/bin/$b"
done

for b in $(command -v iperf3 ethtool sockperf); do
	cp "$b" "$root/usr/bin/"
	ldd "$b" | grep -o '/[^ ]*' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo '127.0.0.1 localhost' >"$root/etc/hosts"

# Modules: copy (decompressed) with their dependencies first, and write the
# load order; built-in ones are skipped.
order=$root/lib/modules/ppv/virtio_net.order
: >"$order"
add_mod() {
	local m=$1 f d
	grep -qx "$m" "$order" && return 0
	f=$(find "$kdir/modules/kernel" \( -name "$m.ko" -o -name "$m.ko.xz" \) | head -n1)
	if [ -z "$f" ]; then
		# built in (or absent: the guest reports it when loading)
		grep -q "/$m.ko" "$kdir/modules/modules.builtin" ||
			ppv_log "warning: module $m not found for $krel"
		return 0
	fi
	for d in $(modinfo -F depends "$f" | tr ',' ' '); do
		add_mod "$d"
	done
	case $f in
	*.xz) xz -dc "$f" >"$root/lib/modules/ppv/$m.ko" ;;
	*) cp "$f" "$root/lib/modules/ppv/$m.ko" ;;
	esac
	echo "$m" >>"$order"
}
for m in $ref_modules; do
	add_mod "$m"
done
[ -n "$ko" ] && cp "$ko" "$root/lib/modules/ppv/ppvnet.ko"
# netconsole and its dependencies (configfs), for the netconsole test, in
# their own load order (not loaded with virtio_net)
order=$root/lib/modules/ppv/netconsole.order
: >"$order"
add_mod netconsole

cp "$PPV_TOP/qemu-setup/guest/init" "$root/init"
cp "$PPV_TOP"/qemu-setup/guest/lib.sh "$root/ppv/"
cp "$PPV_TOP"/tests/vm/*.sh "$root/ppv/tests/"
chmod +x "$root/init"

(cd "$root" && find . | cpio -o -H newc --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
