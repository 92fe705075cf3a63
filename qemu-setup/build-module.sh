#!/usr/bin/env bash
# Build net-driver/ for the guest kernel the KERNEL knob names; prints the
# path of ppvnet.ko. Each kernel gets its own copy of the sources under
# build/<release>/ (kbuild builds external modules in their source folder).
#   KERNEL=6.12 qemu-setup/build-module.sh [extra kbuild args, e.g. W=1]
set -euo pipefail
. "$(dirname "$0")/common.sh"

kdir=$("$PPV_TOP/qemu-setup/fetch-kernel.sh")
krel=$(basename "$kdir")
out=$PPV_TOP/build/$krel
mkdir -p "$out"
# one build at a time per kernel: parallel runs (tests, benchmark) share it
exec 9>"$out.lock"
flock 9
# copy sources, keep objects so rebuilds are incremental
for f in "$PPV_TOP"/net-driver/*; do
	cmp -s "$f" "$out/${f##*/}" || cp "$f" "$out/"
done
for f in "$out"/*.[ch] "$out"/Kbuild "$out"/Makefile; do
	[ -e "$PPV_TOP/net-driver/${f##*/}" ] || rm -f "$f"
done
make -s -C "$kdir/build" M="$out" "$@" modules >&2 ||
	ppv_die "building ppvnet for $krel failed"
echo "$out/ppvnet.ko"
