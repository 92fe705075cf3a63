#!/usr/bin/env bash
# Build a guest kernel from Debian's kernel source into the cache; prints its
# folder.
#
#   qemu-setup/build-debug-kernel.sh [--deps-only] [debug|fault]
#
# debug (KERNEL=debug, the default): KASAN, UBSAN, lockdep, kmemleak, DMA-API
#   debug and fault injection; source: Debian's linux-source-<major.minor> at
#   the upstream version of the installed linux-headers-amd64 (installed with
#   apt-get when missing); fragment qemu-setup/debug.config.
# fault (KERNEL=fault): 6.12 with fail_function and page_pool statistics,
#   for the selftest hw/pp_alloc_fail.py; source: linux-source-6.12 from
#   bookworm-backports (apt-get download into the cache, never installed);
#   fragment qemu-setup/fault.config.
#
# --deps-only: install the build's host packages and stop (tests/run-all.sh
# does this before it starts the build in the background, so that no apt-get
# runs next to the tests).
#
# Config: x86_64 defconfig + the fragment (merge_config.sh, then
# olddefconfig); fails if olddefconfig dropped any line of the fragment.
# Output: $PPV_CACHE/kernels/<upstream>-ppv<flavor>-<hash8>/ with the layout
# fetch-kernel.sh gives Debian kernels:
#   vmlinuz   the bzImage
#   modules   -> root/lib/modules/<upstream>-ppv<flavor> (modules_install)
#   build     -> obj, the O= build folder, usable as KDIR for M= builds
#   build.log the full make output
#   .done     written last; when present the script only prints the folder
# Nothing goes to the host's /boot or /lib/modules.
# PPV_BUILD_NICE (default 10): nice level of the compile.
set -euo pipefail
. "$(dirname "$0")/common.sh"

deps_only=0
[ "${1:-}" = --deps-only ] && { deps_only=1; shift; }
flavor=${1:-debug}
case $flavor in
debug)
	upver=$(ppv_debug_upstream)
	hdrver=$(dpkg-query -W -f='${Version}' linux-headers-amd64)
	name=$(ppv_debug_name)
	;;
fault)
	srcdeb=$(ppv_fault_srcver)
	upver=${srcdeb%-*}
	name=$(ppv_fault_name)
	;;
*) ppv_die "usage: build-debug-kernel.sh [--deps-only] [debug|fault]" ;;
esac
mm=$(echo "$upver" | cut -d. -f1,2)
frag=$PPV_TOP/qemu-setup/$flavor.config

# --- host packages ------------------------------------------------------------
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
missing=
for p in build-essential bc bison flex libelf-dev libssl-dev dwarves cpio kmod \
	xz-utils rsync; do
	installed "$p" || missing="$missing $p"
done
srcpkg=linux-source-$mm
if [ "$flavor" = debug ]; then
	srcver=$(dpkg-query -W -f='${Version}' "$srcpkg" 2>/dev/null || true)
	if ! installed "$srcpkg" || [ "${srcver%-*}" != "$upver" ]; then
		# same Debian version as the headers package: same upstream source
		missing="$missing $srcpkg=$hdrver"
	fi
fi
if [ -n "$missing" ]; then
	ppv_log "installing:$missing"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get -q install -y $missing >&2 ||
		{ apt-get -q update >&2 &&
		  DEBIAN_FRONTEND=noninteractive apt-get -q install -y $missing >&2; } ||
		ppv_die "apt-get install$missing failed"
fi
[ "$deps_only" = 1 ] && exit 0

kdir=$(ppv_kdir "$name")
if [ -f "$kdir/.done" ]; then
	echo "$kdir"
	exit 0
fi
mkdir -p "$kdir"
# one build per folder at a time; a second caller waits and reuses it
exec 9>"$kdir.lock"
if ! flock -n 9; then
	ppv_log "another build of $name is running; waiting for it"
	flock 9
fi
if [ -f "$kdir/.done" ]; then
	echo "$kdir"
	exit 0
fi

t0=$(date +%s)
# --- source tree (shared by every config of this version) ----------------------
src=$PPV_CACHE/src/linux-source-$upver
tarball=/usr/src/linux-source-$mm.tar.xz
dl=
if [ ! -f "$src/.ppv-extracted" ] && [ "$flavor" = fault ]; then
	# from the backports archive into the cache: the host keeps its own
	# linux-source package (and /usr/src) as they are
	dl=$(mktemp -d "$PPV_CACHE/src/.dl.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$dl'" EXIT
	ppv_log "fetching $srcpkg $srcdeb from bookworm-backports"
	(cd "$dl" && ppv_bpo_apt download "$srcpkg=$srcdeb" >&2) ||
		ppv_die "apt-get download $srcpkg=$srcdeb failed"
	dpkg-deb --fsys-tarfile "$dl"/"$srcpkg"_*.deb |
		tar -x -C "$dl" "./usr/src/$srcpkg.tar.xz" ||
		ppv_die "cannot unpack $srcpkg"
	rm -f "$dl"/*.deb
	tarball=$dl/usr/src/$srcpkg.tar.xz
fi
if [ ! -f "$src/.ppv-extracted" ]; then
	[ -f "$tarball" ] || ppv_die "$tarball missing (package $srcpkg)"
	ppv_log "extracting $tarball into $src"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" -xf "$tarball"
	mv "$src.tmp/linux-source-$mm" "$src"
	rmdir "$src.tmp"
	touch "$src/.ppv-extracted"
fi
[ -z "$dl" ] || { rm -rf "$dl"; trap - EXIT; }
sv=$(make -s -C "$src" kernelversion 2>/dev/null)
[ "$sv" = "$upver" ] ||
	ppv_die "$tarball is $sv, linux-headers-amd64 is $upver"

# --- config ------------------------------------------------------------------------
obj=$kdir/obj
log=$kdir/build.log
mkdir -p "$obj"
: >"$log"
ppv_log "configuring $name ($PPV_DEBUG_BASE + $flavor.config); log: $log"
# A kept .config from an interrupted build is regenerated identically, so
# make below resumes where it stopped.
make -C "$src" O="$obj" "$PPV_DEBUG_BASE" >>"$log" 2>&1 ||
	ppv_die "make $PPV_DEBUG_BASE failed (see $log)"
(cd "$src" && scripts/kconfig/merge_config.sh -m -O "$obj" "$obj/.config" "$frag") \
	>>"$log" 2>&1 || ppv_die "merge_config.sh failed (see $log)"
make -C "$src" O="$obj" olddefconfig >>"$log" 2>&1 ||
	ppv_die "make olddefconfig failed (see $log)"

# every fragment line must have survived: "CONFIG_X=v" literally, and
# "# CONFIG_X is not set" as no CONFIG_X= line at all
dropped=
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF "$line" "$obj/.config" ||
			dropped="$dropped
  want $line, got: $(grep -E "^(# )?${line%%=*}[= ]" "$obj/.config" || echo unset)"
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		grep -q "^$sym=" "$obj/.config" &&
			dropped="$dropped
  want $sym unset, got: $(grep "^$sym=" "$obj/.config")"
		;;
	esac
done <"$frag"
[ -z "$dropped" ] || ppv_die "olddefconfig dropped fragment options:$dropped"
krel=$upver-ppv$flavor

# --- build -------------------------------------------------------------------------
jobs=$(nproc)
ppv_log "building $krel with -j$jobs (debug: about 25 min on 2 cores)"
nice -n "${PPV_BUILD_NICE:-10}" make -C "$src" O="$obj" -j"$jobs" bzImage modules \
	>>"$log" 2>&1 &
mk=$!
trap 'kill "$mk" 2>/dev/null' EXIT INT TERM
while kill -0 "$mk" 2>/dev/null; do
	for _ in $(seq 60); do
		kill -0 "$mk" 2>/dev/null || break
		sleep 1
	done
	kill -0 "$mk" 2>/dev/null || break
	last=$(grep -E '^  [A-Z]+' "$log" | tail -n1 | sed 's/^ *//')
	ppv_log "build: $(( ($(date +%s) - t0) / 60 )) min, $(grep -c '^  CC' "$log") files compiled, at: $last"
done
rc=0
wait "$mk" || rc=$?
trap - EXIT INT TERM
if [ "$rc" != 0 ]; then
	grep -E 'error|Error' "$log" | tail -n 20 >&2 || true
	ppv_die "kernel build failed (exit $rc, see $log)"
fi

# --- install into the cache folder ------------------------------------------------
[ "$(cat "$obj/include/config/kernel.release")" = "$krel" ] ||
	ppv_die "kernel release is $(cat "$obj/include/config/kernel.release"), not $krel"
ppv_log "installing modules into $kdir/root"
rm -rf "$kdir/root"
make -C "$src" O="$obj" INSTALL_MOD_PATH="$kdir/root" INSTALL_MOD_STRIP=1 \
	DEPMOD=/sbin/depmod modules_install >>"$log" 2>&1 ||
	ppv_die "modules_install failed (see $log)"
[ -d "$kdir/root/lib/modules/$krel/kernel" ] || ppv_die "no modules for $krel"
ln -sfn "obj/arch/x86/boot/bzImage" "$kdir/vmlinuz"
ln -sfn "root/lib/modules/$krel" "$kdir/modules"
ln -sfn obj "$kdir/build"
cp "$obj/.config" "$kdir/config"
touch "$kdir/.done"
ppv_log "built $krel in $(( ($(date +%s) - t0) / 60 )) min: $kdir"
echo "$kdir"
