#!/usr/bin/env bash
# Fetch a Debian guest kernel into the cache, never into the host's /boot:
# apt-get download + dpkg -x. Prints the cache folder of that release.
#
#   KERNEL=default qemu-setup/fetch-kernel.sh   # release of linux-headers-amd64
#   KERNEL=6.12    qemu-setup/fetch-kernel.sh   # newest 6.12 in bookworm-backports
#   KERNEL=7.3     qemu-setup/fetch-kernel.sh   # newest 7.3 in trixie-backports
#   KERNEL=sid     qemu-setup/fetch-kernel.sh   # sid's kernel (likewise
#                                               # KERNEL=trixie-backports)
#   KERNEL=debug   qemu-setup/fetch-kernel.sh   # built by build-debug-kernel.sh
#   KERNEL=fault   qemu-setup/fetch-kernel.sh   # likewise (6.12, fail_function)
#   qemu-setup/fetch-kernel.sh --headers        # only what building modules
#                                               # needs: no image
#
# The folder then holds vmlinuz, modules/ (lib/modules/<release>) and build/
# (the headers tree to build out-of-tree modules against); with --headers
# only build/. build-env says where modules for it are built: "host", or the
# Debian release of a build chroot (qemu-setup/chroot.sh) and the packages
# that chroot needs (the compiler the headers name, make, what the kbuild
# helper binaries link against, sparse).
set -euo pipefail
. "$(dirname "$0")/common.sh"

want=full
[ "${1:-}" = --headers ] && want=headers

krel=$(ppv_kernel_release)
kdir=$(ppv_kdir "$krel")
ready() { [ -f "$kdir/.done" ] || { [ $want = headers ] && [ -f "$kdir/.headers" ]; }; }
if ready; then
	echo "$kdir"
	exit 0
fi
# the debug kernel is built from source, not fetched
[ "$KERNEL" = debug ] && exec "$PPV_TOP/qemu-setup/build-debug-kernel.sh"
[ "$KERNEL" = fault ] && exec "$PPV_TOP/qemu-setup/build-debug-kernel.sh" fault

mkdir -p "$PPV_CACHE/kernels"
# one fetch per release at a time; a second caller waits and reuses it
exec 9>"$kdir.lock"
flock 9
if ready; then
	echo "$kdir"
	exit 0
fi

suite=$(ppv_kernel_suite "$krel")
need_hdr=1
[ -f "$kdir/.headers" ] && need_hdr=0
what="image and headers"
[ $want = full ] || what=headers
[ $need_hdr = 1 ] || what=image
ppv_log "fetching $what of guest kernel $krel (apt: $suite) into $kdir"
[ $need_hdr = 1 ] && rm -rf "$kdir"
rm -rf "$kdir/debs"
mkdir -p "$kdir/debs" "$kdir/root"
cd "$kdir/debs"

# Depends of one package in the suite, names only
depends() {
	ppv_apt_cache "$suite" show "$1" | sed -n 's/^Depends: //p' | head -n1 |
		tr ',' '\n' | sed 's/^ *//; s/ .*//'
}

pkgs=()
if [ $need_hdr = 1 ] && [ "$suite" != host ]; then
	# headers, and the common and kbuild packages the headers need
	pkgs+=("linux-headers-$krel")
	mapfile -t -O ${#pkgs[@]} pkgs < <(depends "linux-headers-$krel" |
		grep -E '^linux-(headers-.*-common|kbuild-)')
fi
if [ $want = full ]; then
	pkgs+=("linux-image-$krel")
	# since 7.x Debian splits the image: linux-image-<release> depends on
	# linux-binary- (vmlinuz), linux-modules- and linux-base-<release>
	if [ "$suite" != host ]; then
		while read -r p; do
			[[ $p == linux-*-"$krel" ]] && pkgs+=("$p")
		done < <(depends "linux-image-$krel")
	fi
fi
if [ ${#pkgs[@]} -gt 0 ]; then
	if [ "$suite" = host ]; then
		apt-get -q download "${pkgs[@]}" >&2 || ppv_die "apt-get download ${pkgs[*]} failed"
	elif ! ppv_apt "$suite" download "${pkgs[@]}" >&2; then
		# stale lists: the suite may have moved on to a newer kernel
		[ -z "${PPV_FETCH_RETRY:-}" ] || ppv_die "apt-get download ${pkgs[*]} failed"
		ppv_log "download failed: refreshing the $suite lists and retrying"
		ppv_apt_lists "$suite" force
		cd /
		exec 9>&-
		PPV_FETCH_RETRY=1 exec "$0" "$@"
	fi
fi
for deb in ./*.deb; do
	[ -e "$deb" ] || continue
	dpkg -x "$deb" "$kdir/root"
done
cd "$kdir"
rm -rf "$kdir/debs"

if [ $need_hdr = 1 ]; then
	hdr=$kdir/root/usr/src/linux-headers-$krel
	if [ -d "$hdr" ]; then
		# The headers' Makefile (include of the common tree, KBUILD_OUTPUT)
		# and symlinks point at /usr/src and /usr/lib: repoint them into
		# the extracted tree. The same paths are bound into build chroots.
		sed -i "s|/usr/src/linux-headers-|$kdir/root/usr/src/linux-headers-|g" "$hdr/Makefile"
		{ find "$kdir/root/usr/src" "$kdir"/root/usr/lib/linux-kbuild-* \
			-type l -lname '/usr/*' 2>/dev/null || true; } |
			while read -r l; do
				ln -sfn "$kdir/root$(readlink "$l")" "$l"
			done
		# Kernels since 7.0 run scripts/checker-valid.sh before C=1/C=2
		# (sparse must parse __typeof_unqual__, else kbuild turns the
		# checker off); Debian's linux-kbuild does not ship it, which
		# would turn sparse off for good. Supply an equivalent.
		common=
		for c in "$kdir"/root/usr/src/linux-headers-*-common; do
			[ -d "$c" ] && common=$c && break
		done
		if [ -n "$common" ] && grep -q 'scripts/checker-valid.sh' "$common/Makefile" &&
			[ ! -e "$hdr/scripts/checker-valid.sh" ]; then
			cat >"$hdr/scripts/checker-valid.sh" <<'EOF'
#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Added by ppvnet's fetch-kernel.sh (missing from Debian's linux-kbuild):
# prints 1 when the checker "$@" handles __typeof_unqual__, else 0.
command -v "$1" >/dev/null 2>&1 || { echo 0; exit 0; }
t=$(mktemp --suffix=.c) || { echo 0; exit 0; }
trap 'rm -f "$t"' EXIT
printf 'static inline int u(const int *q)\n{\n\t__typeof_unqual__(*q) v = *q;\n\treturn v;\n}\n' >"$t"
# sparse exits 0 on errors: judge by its output
if "$@" "$t" 2>&1 | grep -q error; then echo 0; else echo 1; fi
EOF
			chmod 755 "$hdr/scripts/checker-valid.sh"
		fi
		ln -sfn "root/usr/src/linux-headers-$krel" "$kdir/build"
	elif [ -d "/usr/src/linux-headers-$krel" ]; then
		ln -sfn "/usr/src/linux-headers-$krel" "$kdir/build"
	else
		ppv_die "no headers for $krel (install linux-headers-$krel)"
	fi

	# where modules for this kernel are built
	bsuite=host
	[ "$suite" = host ] || bsuite=$(ppv_build_suite "$suite")
	{
		echo "suite=$suite"
		echo "build=$bsuite"
		if [ "$bsuite" != host ]; then
			# the compiler the headers depend on (gcc-14-for-host), the
			# libraries and tools of linux-kbuild (pahole, libelf...)
			kb=$(depends "linux-headers-$krel" | grep -E '^linux-kbuild-' | head -n1)
			bp=$( { depends "linux-headers-$krel" | grep -E '^gcc-[0-9]+(-for-host)?$'
				[ -z "$kb" ] || depends "$kb" | grep -vx 'libc6'
				echo make; echo sparse; } | sort -u | tr '\n' ' ')
			echo "pkgs=${bp% }"
		fi
	} >"$kdir/build-env"
	touch "$kdir/.headers"
fi

if [ $want = full ]; then
	# /boot/vmlinuz-<release>, or since 7.x /usr/lib/modules/<release>/vmlinuz
	for v in "boot/vmlinuz-$krel" "usr/lib/modules/$krel/vmlinuz" ""; do
		[ -n "$v" ] || ppv_die "no vmlinuz for $krel in the image packages"
		[ -f "$kdir/root/$v" ] && break
	done
	ln -sfn "root/$v" "$kdir/vmlinuz"
	# merged-/usr packages (trixie on) install modules under /usr/lib
	if [ -d "$kdir/root/lib/modules/$krel" ]; then
		ln -sfn "root/lib/modules/$krel" "$kdir/modules"
	else
		ln -sfn "root/usr/lib/modules/$krel" "$kdir/modules"
	fi
	touch "$kdir/.done"
fi
echo "$kdir"
