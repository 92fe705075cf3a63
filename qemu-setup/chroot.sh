#!/usr/bin/env bash
# Build chroots: the userland of a newer Debian release, for kernels Debian
# builds with a newer toolchain than the host's (trixie-backports: trixie's
# gcc-14; sid: sid's gcc). The host keeps its own toolchain; the chroot's
# never lands on it.
#
#   qemu-setup/chroot.sh ensure SUITE PKG...
#       Prints the folder of a minbase chroot of SUITE with PKG... installed,
#       made with debootstrap when missing. Cached under
#       $PPV_CACHE/chroots/<suite>-<hash8>, the hash over the suite, the
#       variant and the sorted package list, so another package set makes
#       another chroot; an older chroot of the same suite is removed once a
#       new one is complete.
#   qemu-setup/chroot.sh run ROOT DIR... -- CMD [ARG...]
#       Runs CMD in ROOT with each DIR bound at the same path (plus /dev and
#       /proc), with a clean environment.
#
# Mounts are made in a private mount namespace (unshare -m): the host never
# sees them and they go away with the last process in it, even on SIGKILL;
# the trap unmounts them on the normal way out as well. debootstrap runs in
# one too, so the /proc and /sys it mounts inside the target cannot outlive
# an interrupted run (and an rm -rf of a half-made chroot cannot reach
# through a mount into the host).
#
# sparse: kernels since 7.0 take a checker only if it parses
# __typeof_unqual__ (scripts/checker-valid.sh); sparse 0.6.4 (trixie) does
# not, 0.6.5~rc1 (sid) does. When the chroot's own sparse fails that probe,
# the sparse binary of sid's package (it needs only glibc >= 2.38) goes to
# the chroot's /usr/local/bin.
set -euo pipefail
. "$(dirname "$0")/common.sh"

variant=minbase

# prints 1 when the sparse found in ROOT parses __typeof_unqual__
sparse_ok() {
	local root=$1
	printf 'static inline int u(const int *q)\n{\n\t__typeof_unqual__(*q) v = *q;\n\treturn v;\n}\n' \
		>"$root/tmp/ppv-sparse-probe.c"
	local out
	# sparse exits 0 on errors: judge by its output
	out=$(chroot "$root" /usr/bin/env PATH=/usr/local/bin:/usr/bin:/bin \
		sparse /tmp/ppv-sparse-probe.c 2>&1) || out="$out error"
	rm -f "$root/tmp/ppv-sparse-probe.c"
	case $out in
	*error*) echo 0 ;;
	*) echo 1 ;;
	esac
}

# no mount of the host may be reachable below a folder we are to remove
assert_unmounted() {
	if awk -v p="$1/" 'index($2 "/", p) == 1 { f = 1 } END { exit !f }' /proc/self/mounts; then
		ppv_die "$1 has something mounted below it: not removing it"
	fi
}

ensure() {
	local suite=$1 key root log t0 d
	shift
	local pkgs
	pkgs=$(printf '%s\n' "$@" | sort -u | tr '\n' ' ')
	pkgs=${pkgs% }
	key=$(printf 'suite=%s variant=%s pkgs=%s sparse-probe=1\n' "$suite" "$variant" "$pkgs" |
		sha256sum | cut -c1-8)
	# PPV_CHROOT_NAME: another family of chroots of the suite, which the
	# pruning below leaves alone (the kernel selftests' userland next to
	# the module build's; a name that starts with no suite's)
	local name=${PPV_CHROOT_NAME:-$suite}
	root=$PPV_CACHE/chroots/$name-$key
	if [ -f "$root/.ppv-done" ]; then
		echo "$root"
		return
	fi
	mkdir -p "$PPV_CACHE/chroots"
	exec 8>"$root.lock"
	flock 8
	if [ -f "$root/.ppv-done" ]; then
		echo "$root"
		return
	fi
	command -v debootstrap >/dev/null || "$PPV_TOP/qemu-setup/deps.sh" debootstrap >&2 ||
		ppv_die "cannot install debootstrap"
	t0=$(date +%s)
	log=$root.log
	ppv_log "debootstrap --variant=$variant $suite with: $pkgs (log $log)"
	assert_unmounted "$root.tmp"
	rm -rf "$root.tmp"
	if ! unshare -m --propagation private \
		debootstrap --variant="$variant" --include="${pkgs// /,}" \
		"$suite" "$root.tmp" "$PPV_MIRROR" >"$log" 2>&1; then
		tail -n 15 "$log" >&2
		ppv_die "debootstrap of $suite failed (log $log)"
	fi
	# nothing is installed into it later: no package files, package lists,
	# documentation or message catalogues (a quarter of its size)
	rm -rf "$root.tmp"/var/cache/apt/archives/*.deb "$root.tmp"/var/lib/apt/lists/* \
		"$root.tmp"/usr/share/doc/* "$root.tmp"/usr/share/man/* \
		"$root.tmp"/usr/share/info/* "$root.tmp"/usr/share/locale/*
	if [[ " $pkgs " == *" sparse "* ]] && [ "$(sparse_ok "$root.tmp")" != 1 ]; then
		ppv_log "$suite's sparse does not parse __typeof_unqual__: taking sid's"
		ppv_apt_lists sid
		d=$(mktemp -d)
		(cd "$d" && ppv_apt sid download sparse >&2 && dpkg -x sparse_*.deb x) ||
			ppv_die "cannot fetch sid's sparse"
		install -m 755 "$d/x/usr/bin/sparse" "$root.tmp/usr/local/bin/sparse"
		rm -rf "$d"
		[ "$(sparse_ok "$root.tmp")" = 1 ] ||
			ppv_log "warning: sid's sparse fails the __typeof_unqual__ probe too"
	fi
	{
		echo "suite=$suite"
		echo "variant=$variant"
		echo "pkgs=$pkgs"
		echo "sparse=$(chroot "$root.tmp" /usr/bin/env PATH=/usr/local/bin:/usr/bin:/bin \
			sparse --version 2>&1 || true)"
		echo "made=$(date -u +%FT%TZ)"
	} >"$root.tmp/.ppv-chroot"
	assert_unmounted "$root"
	rm -rf "$root"
	mv "$root.tmp" "$root"
	touch "$root/.ppv-done"
	ppv_log "chroot $root ready in $(($(date +%s) - t0)) s ($(du -sh "$root" | cut -f1))"
	# older chroots of this suite: remove those nobody is using
	for d in "$PPV_CACHE/chroots/$name"-*; do
		case $d in "$root" | *.lock | *.log | *.tmp) continue ;; esac
		[ -d "$d" ] || continue
		(
			flock -n 7 || exit 0
			assert_unmounted "$d"
			ppv_log "removing the older chroot $d"
			rm -rf "$d" "$d.log" "$d.lock"
		) 7>"$d.lock"
	done
	echo "$root"
}

# run ROOT DIR... -- CMD...: re-executed in a private mount namespace
run() {
	[ -f "$1/.ppv-done" ] || ppv_die "$1 is not a finished chroot"
	exec unshare -m --propagation private "$0" __inner "$@"
}

mounted=()
inner() {
	local root=$1 d
	shift
	# shellcheck disable=SC2317
	cleanup() {
		local i
		for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
			umount "${mounted[i]}" 2>/dev/null || true
		done
	}
	trap cleanup EXIT
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		d=$(realpath "$1")
		mkdir -p "$root$1"
		mount --bind "$d" "$root$1"
		mounted+=("$root$1")
		shift
	done
	[ "${1:-}" = -- ] || ppv_die "chroot.sh run: missing -- before the command"
	shift
	mount --bind /dev "$root/dev"
	mounted+=("$root/dev")
	mount -t proc proc "$root/proc"
	mounted+=("$root/proc")
	chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin \
		HOME=/root LC_ALL=C.UTF-8 "$@"
}

cmd=${1:-}
shift || true
case $cmd in
ensure)
	[ $# -ge 1 ] || ppv_die "usage: chroot.sh ensure SUITE PKG..."
	ensure "$@"
	;;
run)
	[ $# -ge 3 ] || ppv_die "usage: chroot.sh run ROOT DIR... -- CMD..."
	# users hold the chroot's lock shared, so no prune removes it under them
	exec 7>"$1.lock"
	flock -s 7
	run "$@"
	;;
__inner) inner "$@" ;;
*) ppv_die "usage: chroot.sh ensure SUITE PKG... | run ROOT DIR... -- CMD..." ;;
esac
