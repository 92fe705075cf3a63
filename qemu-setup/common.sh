# shellcheck shell=bash
# Shared settings for the qemu-setup scripts. Sourced, never run.
#
# PPV_CACHE  where fetched kernels, initramfs images and kernel builds live.
#            Outside the tree by default so a fresh clone reuses them; keyed
#            by kernel release below it.
# KERNEL     which guest kernel: "default" (the release of the installed
#            linux-headers-amd64), "6.12" (newest 6.12 from bookworm-backports),
#            "7.3" (newest 7.3 from trixie-backports: a kernel series pinned,
#            where KERNEL=trixie-backports follows the suite to its next
#            series; modules built in the trixie chroot, see chroot.sh),
#            a Debian suite such as "sid" or "trixie-backports" (the kernel
#            that suite's linux-headers-amd64 points at, found anew whenever
#            the suite's package lists are refreshed; modules for suites of
#            a newer Debian release are built in a chroot of it, see
#            chroot.sh), an exact Debian kernel release such
#            as 6.1.0-56-amd64, or
#            "debug": a KASAN/UBSAN/lockdep/kmemleak/DMA-API-debug/fault-
#            injection kernel built from linux-source-<major.minor> (same
#            upstream version as linux-headers-amd64) plus qemu-setup/
#            debug.config, by qemu-setup/build-debug-kernel.sh, or
#            "fault": 6.12 from bookworm-backports' linux-source-6.12 with
#            fail_function (qemu-setup/fault.config), for the selftest
#            hw/pp_alloc_fail.py.
# PPV_MIRROR the Debian mirror for the private apt configurations and the
#            build chroots (default http://deb.debian.org/debian).
# PPV_APT_MAX_AGE  hours after which a private suite's package lists are
#            refreshed (default 24): sid drops superseded kernels quickly.

PPV_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PPV_CACHE=${PPV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ppvnet}
KERNEL=${KERNEL:-default}

ppv_log() { printf '[ppv] %s\n' "$*" >&2; }
ppv_die() { printf '[ppv] error: %s\n' "$*" >&2; exit 1; }

PPV_MIRROR=${PPV_MIRROR:-http://deb.debian.org/debian}
PPV_APT_MAX_AGE=${PPV_APT_MAX_AGE:-24}

# The suites ppvnet takes kernels from besides the host's own: each gets a
# private apt configuration (own sources list, lists folder, package cache
# and an empty dpkg status), so the system's sources, lists and
# /var/cache/apt stay untouched and the host's installed packages do not
# mix into the answers. The archive keys are the host's (debian-archive-
# keyring of Debian 12 carries the trixie keys that sign sid too).
ppv_apt_dir() {
	case $1 in
	bookworm-backports) echo "$PPV_CACHE/apt-bpo" ;;	# its name before sid came
	*) echo "$PPV_CACHE/apt-$1" ;;
	esac
}

ppv_apt_opts() {
	local d
	d=$(ppv_apt_dir "$1")
	mkdir -p "$d/lists/partial" "$d/archives/partial" "$d/cache"
	[ -f "$d/sources.list" ] ||
		echo "deb $PPV_MIRROR $1 main" >"$d/sources.list"
	[ -f "$d/status" ] || : >"$d/status"
	printf '%s\n' -o "Dir::Etc::SourceList=$d/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o "Dir::State::Lists=$d/lists" \
		-o "Dir::State::status=$d/status" \
		-o "Dir::Cache=$d/cache" \
		-o "Dir::Cache::Archives=$d/archives" \
		-o "APT::Default-Release=$1" \
		-o APT::Sandbox::User=root	# downloads land in root's cache
}

# ppv_apt SUITE apt-get-arguments...
ppv_apt() {
	local suite=$1 opts
	shift
	mapfile -t opts < <(ppv_apt_opts "$suite")
	apt-get -q "${opts[@]}" "$@"
}

# ppv_apt_cache SUITE apt-cache-arguments...
ppv_apt_cache() {
	local suite=$1 opts
	shift
	mapfile -t opts < <(ppv_apt_opts "$suite")
	apt-cache "${opts[@]}" "$@"
}

# Refresh a private suite's lists when missing or older than PPV_APT_MAX_AGE
# hours (apt gives list files the archive's dates, so a stamp file keeps
# the time of the last update); "force" refreshes now. Offline, lists that
# exist are kept.
ppv_apt_lists() {
	local d
	d=$(ppv_apt_dir "$1")
	mkdir -p "$d"
	# one update at a time per suite; a second caller then finds fresh lists
	(
		flock 9
		if [ "${2:-}" != force ] && ls "$d"/lists/*_Packages* >/dev/null 2>&1 &&
			[ -n "$(find "$d/updated" -mmin -$((PPV_APT_MAX_AGE * 60)) 2>/dev/null)" ]; then
			exit 0
		fi
		ppv_log "apt-get update for $1 (private lists in $d)"
		if ! ppv_apt "$1" update >&2; then
			# offline: the lists from the last update still name a kernel
			ls "$d"/lists/*_Packages* >/dev/null 2>&1 || exit 1
			ppv_log "apt-get update for $1 failed: using the lists of $(date -r "$d/updated" +%F 2>/dev/null || echo 'an earlier update')"
			exit 0
		fi
		touch "$d/updated"
	) 9>"$d/update.lock" || ppv_die "apt-get update for $1 failed"
}

# Kept for existing callers: bookworm-backports.
ppv_bpo_apt() { ppv_apt bookworm-backports "$@"; }
ppv_bpo_cache() { ppv_apt_cache bookworm-backports "$@"; }

# Codename of the host's Debian release (bookworm).
ppv_host_codename() {
	(. /etc/os-release && echo "${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}")
}

# The Debian release whose userland builds modules for a kernel of SUITE:
# "host" when that is the host's own release (bookworm, bookworm-backports:
# gcc-12), else the suite without "-backports" (trixie-backports -> trixie,
# built with trixie's gcc-14; sid -> sid, whose kernels sid's gcc builds).
ppv_build_suite() {
	local base=${1%-backports}
	if [ "$base" = "$(ppv_host_codename)" ]; then echo host; else echo "$base"; fi
}

# Kernel release that SUITE's linux-headers-amd64 points at (its candidate).
ppv_suite_release() {
	ppv_apt_cache "$1" depends linux-headers-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-headers-\([0-9][^ ]*-amd64\)$/\1/p' | sort -V | tail -n1 |
		grep . || ppv_die "no amd64 kernel headers found in $1"
}

# Prints the kernel release (uname -r) the KERNEL knob stands for.
ppv_kernel_release() {
	local dep s
	case $KERNEL in
	default)
		dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null) ||
			ppv_die "linux-headers-amd64 is not installed (run qemu-setup/deps.sh)"
		dep=${dep%% *}
		echo "${dep#linux-headers-}"
		;;
	6.12 | 7.3)
		s=$(ppv_series_suite "$KERNEL")
		ppv_apt_lists "$s"
		ppv_series_release "$s" "$KERNEL"
		;;
	debug) ppv_debug_name ;;
	fault) ppv_fault_name ;;
	*-amd64) echo "$KERNEL" ;;
	*)
		ppv_is_suite "$KERNEL" ||
			ppv_die "KERNEL=$KERNEL: use default, 6.12, 7.3, a Debian suite (sid, trixie-backports...), debug or a release like 6.1.0-56-amd64"
		ppv_apt_lists "$KERNEL"
		ppv_suite_release "$KERNEL"
		;;
	esac
}

# A Debian suite name (sid, trixie-backports, forky...) rather than another knob.
ppv_is_suite() {
	case $1 in
	'' | default | debug | fault | *[!a-z-]*) return 1 ;;
	*) return 0 ;;
	esac
}

# The apt suite a Debian kernel release is fetched from: "host" for the
# host's own sources, else a private suite whose lists know the release.
ppv_kernel_suite() {
	local s
	if s=$(ppv_series_suite "$KERNEL"); then
		echo "$s"
		return
	elif ppv_is_suite "$KERNEL"; then
		echo "$KERNEL"
		return
	fi
	if apt-cache show "linux-headers-$1" >/dev/null 2>&1 ||
		[ "$KERNEL" = default ]; then
		echo host
		return
	fi
	for s in bookworm-backports trixie-backports sid; do
		ls "$(ppv_apt_dir "$s")"/lists/*_Packages* >/dev/null 2>&1 || continue
		if ppv_apt_cache "$s" show "linux-headers-$1" >/dev/null 2>&1; then
			echo "$s"
			return
		fi
	done
	echo host
}

# The suite a kernel-series knob (KERNEL=6.12, KERNEL=7.3) takes its kernel
# from; fails for any other knob. A series, not a suite, so that the tests
# keep booting 7.3 when trixie-backports moves on to 7.4 (its lists still
# carry 6.16 to 7.2 next to 7.3 today).
ppv_series_suite() {
	case $1 in
	6.12) echo bookworm-backports ;;
	7.3) echo trixie-backports ;;
	*) return 1 ;;
	esac
}

# ppv_series_release SUITE SERIES: newest amd64 kernel release of SERIES
# (7.3 -> 7.3.4+deb13-amd64) known to SUITE's lists. Only the generic amd64
# flavour, the one every other knob boots: not -cloud-amd64 or -rt-amd64.
ppv_series_release() {
	local re=${2//./\\.}
	ppv_apt_cache "$1" pkgnames "linux-headers-$2." |
		sed -n "s/^linux-headers-\\($re\\.[0-9]*+[a-z0-9.]*-amd64\\)\$/\\1/p" | sort -V | tail -n1 |
		grep . || ppv_die "no $2 kernel found in $1"
}

# Newest 6.12 amd64 kernel release known to the backports lists.
ppv_bpo_release() { ppv_series_release bookworm-backports 6.12; }

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

# --- KERNEL=fault -----------------------------------------------------------
# Debian version of the newest linux-source-6.12 in bookworm-backports
# (6.12.95-1~bpo12+1), the source of the fault-injection kernel.
ppv_fault_srcver() {
	ppv_apt_lists bookworm-backports
	ppv_bpo_cache show linux-source-6.12 2>/dev/null | sed -n 's/^Version: //p' |
		sort -V | tail -n1 | grep . ||
		ppv_die "no linux-source-6.12 in bookworm-backports"
}

# <upstream>-ppvfault-<hash8>, hashed like ppv_debug_name over fault.config.
ppv_fault_name() {
	local h v
	v=$(ppv_fault_srcver)
	h=$( { echo "base=$PPV_DEBUG_BASE"
		grep -E '^(CONFIG_|# CONFIG_[A-Za-z0-9_]+ is not set$)' \
			"$PPV_TOP/qemu-setup/fault.config"; } |
		sha256sum | cut -c1-8)
	echo "${v%-*}-ppvfault-$h"
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
