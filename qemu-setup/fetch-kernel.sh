#!/usr/bin/env bash
# Fetch a Debian guest kernel into the cache, never into the host's /boot:
# apt-get download + dpkg -x. Prints the cache folder of that release.
#
#   KERNEL=default qemu-setup/fetch-kernel.sh   # release of linux-headers-amd64
#   KERNEL=6.12    qemu-setup/fetch-kernel.sh   # newest 6.12 in bookworm-backports
#   KERNEL=debug   qemu-setup/fetch-kernel.sh   # built by build-debug-kernel.sh
#
# The folder then holds vmlinuz, modules/ (lib/modules/<release>) and build/
# (the headers tree to build out-of-tree modules against).
set -euo pipefail
. "$(dirname "$0")/common.sh"

krel=$(ppv_kernel_release)
kdir=$(ppv_kdir "$krel")
if [ -f "$kdir/.done" ]; then
	echo "$kdir"
	exit 0
fi
# the debug kernel is built from source, not fetched
[ "$KERNEL" = debug ] && exec "$PPV_TOP/qemu-setup/build-debug-kernel.sh"

ppv_log "fetching guest kernel $krel into $kdir"
rm -rf "$kdir"
mkdir -p "$kdir/debs" "$kdir/root"
cd "$kdir/debs"

case $krel in
6.12.*)
	# image, headers, and the common and kbuild packages the headers need
	deps=$(ppv_bpo_cache show "linux-headers-$krel" | sed -n 's/^Depends: //p' |
		head -n1 | tr ',' '\n' | sed 's/^ *//; s/ .*//' |
		grep -E '^linux-(headers-.*-common|kbuild-)')
	pkgs="linux-image-$krel linux-headers-$krel $(echo $deps)"
	ppv_bpo_apt download $pkgs >&2 || ppv_die "apt-get download $pkgs failed"
	;;
*)
	pkgs="linux-image-$krel"
	apt-get -q download $pkgs >&2 || ppv_die "apt-get download $pkgs failed"
	;;
esac

for deb in ./*.deb; do
	dpkg -x "$deb" "$kdir/root"
done
rm -rf "$kdir/debs"

[ -f "$kdir/root/boot/vmlinuz-$krel" ] || ppv_die "no vmlinuz-$krel in the image package"
ln -s "root/boot/vmlinuz-$krel" "$kdir/vmlinuz"
ln -s "root/lib/modules/$krel" "$kdir/modules"

hdr=$kdir/root/usr/src/linux-headers-$krel
if [ -d "$hdr" ]; then
	# The headers' Makefile and symlinks point at /usr/src and /usr/lib:
	# repoint them into the extracted tree.
	common=$(cd "$kdir/root/usr/src" && ls -d linux-headers-*-common | head -n1)
	sed -i "s|/usr/src/$common|$kdir/root/usr/src/$common|g" "$hdr/Makefile"
	find "$hdr" -maxdepth 2 -type l | while read -r l; do
		t=$(readlink "$l")
		case $t in
		/usr/*) ln -sfn "$kdir/root$t" "$l" ;;
		esac
	done
	ln -s "root/usr/src/linux-headers-$krel" "$kdir/build"
elif [ -d "/usr/src/linux-headers-$krel" ]; then
	ln -s "/usr/src/linux-headers-$krel" "$kdir/build"
else
	ppv_die "no headers for $krel (install linux-headers-$krel)"
fi

touch "$kdir/.done"
echo "$kdir"
