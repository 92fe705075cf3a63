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
# PPV_GUEST_EXTRA: more host binaries for the guest, with their libraries
# (tools/profile.sh adds perf)
extra=
for b in ${PPV_GUEST_EXTRA:-}; do
	extra="$extra $(command -v "$b")" || ppv_die "PPV_GUEST_EXTRA: no $b on this host"
done
bins="/bin/busybox $(command -v iperf3 ethtool sockperf rtcwake)$extra"
# iproute2's tc (busybox's has no netem), as /usr/bin/iproute2-tc: the ECN
# test (tests/vm/ecn.sh) marks packets with netem
TC=$(command -v tc)

key=$( {
	echo "$krel $ref_modules 8021q macvlan bridge tc:netem,ingress,mirred,matchall,ifb kselftest:e1000,9p $bins $TC"
	[ -n "$ko" ] && sha256sum "$ko"
	sha256sum "$PPV_TOP"/qemu-setup/guest/* "$PPV_TOP"/tests/vm/* "$PPV_TOP"/tests/progs/*.c \
		"$PPV_TOP"/tools/ppvnet-bind "$0" $bins "$TC"
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

for b in $(command -v iperf3 ethtool sockperf rtcwake) $extra "$TC"; do
	if [ "$b" = "$TC" ]; then cp "$b" "$root/usr/bin/iproute2-tc"; else cp "$b" "$root/usr/bin/"; fi
	ldd "$b" | grep -o '/[^ ]*' | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done
# the tests' own small programs (tests/progs), static: the guest has
# only the libraries of the tools above
for c in "$PPV_TOP"/tests/progs/*.c; do
	gcc -static -O2 -Wall -o "$root/usr/bin/$(basename "$c" .c)" "$c" ||
		ppv_die "cannot build $c"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo '127.0.0.1 localhost' >"$root/etc/hosts"

# Modules: copy (decompressed) with their dependencies first, and write the
# load order; built-in ones are skipped. Debian compresses its modules
# (.ko.xz on 6.1 through 7.x; CONFIG_MODULE_COMPRESS_* also offers zstd and
# gzip): whether busybox insmod unpacks a format depends on how busybox was
# built, and the kernel unpacks only through finit_module with
# CONFIG_MODULE_DECOMPRESS, so the image carries plain .ko files. They are
# unpacked before modinfo reads them: the host's kmod need not know the
# format either.
order=$root/lib/modules/ppv/virtio_net.order
: >"$order"
add_mod() {
	local m=$1 f d dst
	grep -qx "$m" "$order" && return 0
	f=$(find "$kdir/modules/kernel" \( -name "$m.ko" -o -name "$m.ko.xz" \
		-o -name "$m.ko.zst" -o -name "$m.ko.gz" \) | head -n1)
	if [ -z "$f" ]; then
		# built in (or absent: the guest reports it when loading)
		grep -q "/$m.ko" "$kdir/modules/modules.builtin" ||
			ppv_log "warning: module $m not found for $krel"
		return 0
	fi
	dst=$root/lib/modules/ppv/$m.ko
	case $f in
	*.xz) xz -dc "$f" >"$dst" ;;
	*.zst) zstd -qdc "$f" >"$dst" ;;
	*.gz) gzip -dc "$f" >"$dst" ;;
	*) cp "$f" "$dst" ;;
	esac || ppv_die "cannot decompress $f"
	for d in $(modinfo -F depends "$dst" | tr ',' ' '); do
		add_mod "$d"
	done
	echo "$m" >>"$order"
}
for m in $ref_modules; do
	add_mod "$m"
done
# tests/vm/ctrl.sh's VLAN interface (lib.sh's load_mods 8021q)
order=$root/lib/modules/ppv/8021q.order
: >"$order"
add_mod 8021q
# tests/vm/ctrl.sh's macvlan (the secondary unicast filter)
order=$root/lib/modules/ppv/macvlan.order
: >"$order"
add_mod macvlan
# tests/vm/ecn.sh: netem marks CE, on eth0's egress and (through an ifb)
# its ingress
order=$root/lib/modules/ppv/tc.order
: >"$order"
for m in sch_netem sch_ingress act_mirred cls_matchall ifb; do
	add_mod $m
done
# tests/vm/kselftest.sh: the peer NIC (e1000) and the 9p shares
order=$root/lib/modules/ppv/bridge.order
: >"$order"
add_mod bridge
order=$root/lib/modules/ppv/kselftest.order
: >"$order"
for m in e1000 virtio_pci 9pnet_virtio 9p; do
	add_mod $m
done
if [ -n "$ko" ]; then
	# a module built for another release fails only at insmod in the
	# guest, as a bare "Invalid module format": say so here
	vm=$(modinfo -F vermagic "$ko")
	[ "${vm%% *}" = "$krel" ] ||
		ppv_die "$ko is built for ${vm%% *}, the guest kernel is $krel"
	# the guest insmods ppvnet.ko alone (qemu-setup/guest/lib.sh): it
	# must not need a module of this kernel
	d=$(modinfo -F depends "$ko")
	[ -z "$d" ] || ppv_log "warning: ppvnet.ko needs the modules $d, which the guest does not load"
	cp "$ko" "$root/lib/modules/ppv/ppvnet.ko"
fi
# netconsole and its dependencies (configfs), for the netconsole test, in
# their own load order (not loaded with virtio_net)
order=$root/lib/modules/ppv/netconsole.order
: >"$order"
add_mod netconsole

cp "$PPV_TOP/qemu-setup/guest/init" "$root/init"
cp "$PPV_TOP"/qemu-setup/guest/lib.sh "$root/ppv/"
cp "$PPV_TOP"/tests/vm/*.sh "$root/ppv/tests/"
# what a user runs on their VM, tested in the guest (tests/vm/bind.sh)
cp "$PPV_TOP"/tools/ppvnet-bind "$root/ppv/"
chmod +x "$root/init"

(cd "$root" && find . | cpio -o -H newc --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
