#!/usr/bin/env bash
# Build net-driver/ for the guest kernel the KERNEL knob names; prints the
# path of ppvnet.ko. Each kernel gets its own copy of the sources under
# build/<release>/ (kbuild builds external modules in their source folder).
#   KERNEL=6.12 qemu-setup/build-module.sh [extra kbuild args, e.g. W=1]
#   PPV_REBUILD=1: recompile every file (tests/static/run.sh)
# Kernels Debian builds with a newer toolchain than the host's (sid,
# trixie-backports: build-env in the kernel's cache folder) are built in a
# chroot of their Debian release (qemu-setup/chroot.sh), with the kernel's
# cache folder and build/<release> bound at the same paths.
set -euo pipefail
. "$(dirname "$0")/common.sh"

kdir=$("$PPV_TOP/qemu-setup/fetch-kernel.sh" --headers)
krel=$(basename "$kdir")
out=$PPV_TOP/build/$krel
mkdir -p "$out"
# one build at a time per kernel: parallel runs (tests, benchmark) share it
exec 9>"$out.lock"
flock 9
# PPV_REBUILD=1: compile every file anew (warnings come only from files
# that compile), under the lock so no parallel build loses its objects
[ "${PPV_REBUILD:-0}" = 1 ] && rm -f "$out"/*.o "$out"/.*.o.cmd
# copy sources, keep objects so rebuilds are incremental
# sources only: a build made by hand in net-driver/ leaves objects and a
# ppvnet.mod naming them there, which would mislead this build
for f in "$PPV_TOP"/net-driver/*.[ch] "$PPV_TOP"/net-driver/Kbuild \
	"$PPV_TOP"/net-driver/Makefile; do
	cmp -s "$f" "$out/${f##*/}" || cp "$f" "$out/"
done
for f in "$out"/*.[ch] "$out"/Kbuild "$out"/Makefile; do
	[ -e "$PPV_TOP/net-driver/${f##*/}" ] || rm -f "$f"
done

build=host pkgs=
if [ -f "$kdir/build-env" ]; then
	build=$(sed -n 's/^build=//p' "$kdir/build-env")
	pkgs=$(sed -n 's/^pkgs=//p' "$kdir/build-env")
fi
if [ "$build" = host ]; then
	make -s -C "$kdir/build" M="$out" "$@" modules >&2 ||
		ppv_die "building ppvnet for $krel failed"
else
	# shellcheck disable=SC2086
	root=$("$PPV_TOP/qemu-setup/chroot.sh" ensure "$build" $pkgs)
	# the kernel's compiler and the chroot's: the same package version, or
	# a note (Debian's kbuild skips its own compiler version check)
	kcc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT=//p' "$kdir/build/include/config/auto.conf" | tr -d '"')
	ccc=$(chroot "$root" /usr/bin/env PATH=/usr/bin:/bin "${kcc%% *}" --version 2>&1 | head -n1 || true)
	if [ "$kcc" = "$ccc" ]; then
		cc="$kcc (the kernel's own)"
	else
		cc="$ccc (the kernel was built with $kcc)"
	fi
	ppv_log "building for $krel in the $build chroot $(basename "$root"): $cc; sparse $(sed -n 's/^sparse=//p' "$root/.ppv-chroot")"
	"$PPV_TOP/qemu-setup/chroot.sh" run "$root" "$kdir" "$out" -- \
		make -s -C "$kdir/build" M="$out" "$@" modules >&2 ||
		ppv_die "building ppvnet for $krel in the $build chroot failed"
fi
echo "$out/ppvnet.ko"
