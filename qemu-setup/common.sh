# shellcheck shell=bash
# Shared settings for the qemu-setup scripts. Sourced, never run.
#
# PPV_CACHE  where fetched kernels, initramfs images and kernel builds live.
#            Outside the tree by default so a fresh clone reuses them; keyed
#            by kernel release below it.
# KERNEL     which guest kernel: "default" (the release of the installed
#            linux-headers-amd64), "6.12" (newest 6.12 from bookworm-backports)
#            or an exact Debian kernel release such as 6.1.0-56-amd64.

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
	*-amd64) echo "$KERNEL" ;;
	*) ppv_die "KERNEL=$KERNEL: use default, 6.12 or a release like 6.1.0-56-amd64" ;;
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
