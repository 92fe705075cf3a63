# shellcheck shell=bash
# Shared settings for the qemu-setup scripts. Sourced, never run.
#
# PPV_CACHE  where fetched kernels, initramfs images and kernel builds live.
#            Outside the tree by default so a fresh clone reuses them; keyed
#            by kernel release below it.
# KERNEL     which guest kernel: "default" (the release of the installed
#            linux-headers-amd64), "6.12" (newest 6.12 from bookworm-backports)
#            or an exact Debian kernel release such as 6.1.0-56-amd64, or
#            "debug": a KASAN/UBSAN/lockdep/kmemleak/DMA-API-debug/fault-
#            injection kernel built from linux-source-<major.minor> (same
#            upstream version as linux-headers-amd64) plus qemu-setup/
#            debug.config, by qemu-setup/build-debug-kernel.sh.

PPV_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PPV_CACHE=${PPV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ppvnet}
KERNEL=${KERNEL:-default}

ppv_log() { printf '[ppv] %s\n' "$*" >&2; }
ppv_die() { printf '[ppv] error: %s\n' "$*" >&2; exit 1; }

# Private apt configuration for bookworm-backports: own sources list and own
# lists folder, so the system's sources and package lists stay untouched.
ppv_bpo_apt() {
	local d=$PPV_CACHE/apt-bpo
	mkdir -p "$d/lists/partial" "$d/archives/partial"
	[ -f "$d/sources.list" ] ||
		echo 'deb http://deb.debian.org/debian bookworm-backports main' >"$d/sources.list"
	apt-get -q -o Dir::Etc::SourceList="$d/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$d/lists" \
		-o Dir::Cache::Archives="$d/archives" \
		-o APT::Default-Release=bookworm-backports "$@"
}

ppv_bpo_cache() {
	local d=$PPV_CACHE/apt-bpo
	apt-cache -o Dir::Etc::SourceList="$d/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$d/lists" "$@"
}

# Prints the kernel release (uname -r) the KERNEL knob stands for.
ppv_kernel_release() {
	local dep
	case $KERNEL in
	default)
		dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null) ||
			ppv_die "linux-headers-amd64 is not installed (run qemu-setup/deps.sh)"
		dep=${dep%% *}
		echo "${dep#linux-headers-}"
		;;
	6.12)
		ls "$PPV_CACHE"/apt-bpo/lists/*_Packages* >/dev/null 2>&1 ||
			ppv_bpo_apt update >&2 ||
			ppv_die "apt-get update for bookworm-backports failed"
		ppv_bpo_release
		;;
	debug) ppv_debug_name ;;
	*-amd64) echo "$KERNEL" ;;
	*) ppv_die "KERNEL=$KERNEL: use default, 6.12, debug or a release like 6.1.0-56-amd64" ;;
	esac
}

# Newest 6.12 amd64 kernel release known to the backports lists.
ppv_bpo_release() {
	ppv_bpo_cache pkgnames linux-headers-6.12 |
		sed -n 's/^linux-headers-\(6\.12\.[0-9]*+[a-z0-9.]*-amd64\)$/\1/p' | sort -V | tail -n1 |
		grep . || ppv_die "no 6.12 kernel found in bookworm-backports"
}

# Where one kernel release's files live once fetched.
ppv_kdir() { echo "$PPV_CACHE/kernels/$1"; }

# --- KERNEL=debug -----------------------------------------------------------
# Upstream version of the installed linux-headers-amd64 (6.1.192-2 -> 6.1.192).
ppv_debug_upstream() {
	local v
	v=$(dpkg-query -W -f='${Version}' linux-headers-amd64 2>/dev/null) ||
		ppv_die "linux-headers-amd64 is not installed (run qemu-setup/deps.sh)"
	v=${v#*:}
	echo "${v%-*}"
}

# Cache folder name of the debug kernel: <upstream>-ppvdebug-<hash8>, the hash
# over debug.config's option lines (CONFIG_X=v, "# CONFIG_X is not set") and
# the base config target, so a changed fragment builds a new kernel next to
# the old one, and an edited comment does not. (The kernel release inside is
# <upstream>-ppvdebug; initramfs.sh reads it from the modules link.)
PPV_DEBUG_BASE="defconfig"
ppv_debug_name() {
	local h
	h=$( { echo "base=$PPV_DEBUG_BASE"
		grep -E '^(CONFIG_|# CONFIG_[A-Za-z0-9_]+ is not set$)' \
			"$PPV_TOP/qemu-setup/debug.config"; } |
		sha256sum | cut -c1-8)
	echo "$(ppv_debug_upstream)-ppvdebug-$h"
}

# vm.py options every boot of this KERNEL needs (boot.sh puts them before the
# caller's, so the caller's --mem/--timeout win; --append is merged).
# debug: the instrumented AML interpreter is so slow under TCG that _PRT
# evaluation times out at the first pci_enable_device (acpi=noirq); KASAN
# shadow and kmemleak want memory; everything runs 2-10x slower.
# shellcheck disable=SC2034
PPV_VM_APPEND=
# shellcheck disable=SC2034
PPV_VM_ARGS=()
if [ "$KERNEL" = debug ]; then
	# shellcheck disable=SC2034
	PPV_VM_APPEND="acpi=noirq"
	# shellcheck disable=SC2034
	PPV_VM_ARGS=(--mem 1536 --timeout 2400)
fi
