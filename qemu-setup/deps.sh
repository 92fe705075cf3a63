#!/usr/bin/env bash
# Install what the host needs, from Debian's packages only, when missing.
# One apt-get update first, and only if something is missing.
#   qemu-setup/deps.sh [extra packages...]
set -euo pipefail

need="qemu-system-x86 linux-headers-amd64 busybox-static iperf3 ethtool sockperf
cpio kmod iproute2 python3 make gcc libc6-dev xz-utils dwarves clang
libclang-rt-14-dev sparse linux-source-6.1 gnuplot-nox debootstrap patch $*"

missing=""
for p in $need; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

[ "$(id -u)" = 0 ] || { echo "deps.sh: need root to install:$missing" >&2; exit 1; }
echo "[ppv] installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -q update >&2
# shellcheck disable=SC2086
apt-get -q install -y --no-install-recommends $missing >&2
