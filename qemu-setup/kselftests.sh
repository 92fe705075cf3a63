#!/usr/bin/env bash
# The kernel's own NIC driver selftests, from Debian's linux-source-6.12
# (bookworm-backports), ready to run in a guest:
#   qemu-setup/kselftests.sh src      prints the source folder
#   qemu-setup/kselftests.sh root     prints the guest userland folder
#
# src: the parts of the kernel tree the tests use, in the tree's own layout
# (they find their libraries and the netlink specs by relative paths, "in
# tree" mode): tools/testing/selftests/{drivers/net,net/lib,kselftest*},
# tools/net/ynl and Documentation/netlink, plus net/lib/csum built with the
# host's gcc (hw/csum.py runs it at both ends), and the harness's fixes
# (qemu-setup/kselftest-env.patch): NetDrvEpEnv.remote_ifname, which the
# 6.12.95 backport of hw/csum.py uses and its env.py never sets, and
# csum.py's receive window (5 s: under TCG 1 s lost packets). Cached under $PPV_CACHE/src/kselftest-<package version>-<patch hash>.
#
# root: a Debian 13 (trixie) minbase chroot (qemu-setup/chroot.sh) with
# python3, PyYAML, iproute2, ethtool, socat and iperf3: what the tests
# call. Not Debian 12's: the 6.12 tests use ethtool options and JSON
# output that bookworm's ethtool 6.1 lacks (hw/rss_ctx.py). The
# guest mounts both read-only over 9p (vm.py --share) and runs the tests
# chrooted into the first (tests/vm/kselftest.sh); the host's own files
# never reach the guest.
set -euo pipefail
. "$(dirname "$0")/common.sh"

ROOT_PKGS="python3 python3-yaml iproute2 ethtool socat iperf3 procps kmod iputils-ping jq"

src() {
	local ver dir tmp
	ppv_apt_lists bookworm-backports
	ver=$(ppv_bpo_cache show linux-source-6.12 2>/dev/null | sed -n 's/^Version: //p' |
		sort -V | tail -n1)
	[ -n "$ver" ] || ppv_die "no linux-source-6.12 in bookworm-backports"
	# the harness's fix to the suite's env.py is part of the key
	dir=$PPV_CACHE/src/kselftest-$ver-$(sha256sum "$PPV_TOP/qemu-setup/kselftest-env.patch" | cut -c1-8)
	if [ -f "$dir/.ppv-done" ]; then
		echo "$dir"
		return
	fi
	mkdir -p "$PPV_CACHE/src"
	exec 8>"$dir.lock"
	flock 8
	if [ -f "$dir/.ppv-done" ]; then
		echo "$dir"
		return
	fi
	ppv_log "fetching linux-source-6.12 $ver for the drivers/net selftests"
	tmp=$(mktemp -d "$PPV_CACHE/src/.kselftest.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" EXIT
	(cd "$tmp" && ppv_bpo_apt download "linux-source-6.12=$ver" >&2) ||
		ppv_die "apt-get download linux-source-6.12 failed"
	dpkg-deb --fsys-tarfile "$tmp"/linux-source-6.12_*.deb |
		tar -x -C "$tmp" ./usr/src/linux-source-6.12.tar.xz ||
		ppv_die "cannot unpack linux-source-6.12"
	tar -xJf "$tmp/usr/src/linux-source-6.12.tar.xz" -C "$tmp" \
		linux-source-6.12/tools/testing/selftests/drivers/net \
		linux-source-6.12/tools/testing/selftests/net/lib \
		linux-source-6.12/tools/testing/selftests/kselftest.h \
		linux-source-6.12/tools/net/ynl \
		linux-source-6.12/Documentation/netlink ||
		ppv_die "cannot unpack the selftests from linux-source-6.12"
	patch -s -p1 -d "$tmp/linux-source-6.12" <"$PPV_TOP/qemu-setup/kselftest-env.patch" ||
		ppv_die "cannot apply qemu-setup/kselftest-env.patch"
	local st=$tmp/linux-source-6.12/tools/testing/selftests
	gcc -Wall -O2 -I"$st" -o "$st/net/lib/csum" "$st/net/lib/csum.c" ||
		ppv_die "cannot build selftests/net/lib/csum"
	echo "$ver" >"$tmp/linux-source-6.12/.ppv-version"
	rm -rf "$dir"
	mv "$tmp/linux-source-6.12" "$dir"
	touch "$dir/.ppv-done"
	echo "$dir"
}

case ${1:-} in
src) src ;;
root)
	# shellcheck disable=SC2086
	PPV_CHROOT_NAME=ksft-trixie "$PPV_TOP/qemu-setup/chroot.sh" ensure trixie $ROOT_PKGS ;;
*) ppv_die "usage: kselftests.sh src|root" ;;
esac
