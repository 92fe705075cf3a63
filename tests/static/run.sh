#!/usr/bin/env bash
# Static checks of net-driver/ (TAP): a warning-free W=1 build, sparse
# (C=2) clean, for each kernel series Debian ships amd64 headers for (one
# TAP line each), checkpatch.pl --strict clean apart from the justified
# exceptions in tests/static/checkpatch-exceptions, and dkms builds.
# checkpatch.pl comes from Debian's linux-source package (the headers'
# version), extracted once into the cache.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/qemu-setup/common.sh"
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; shift; printf '#   %s\n' "$@"; }

# The host packages (debootstrap among them) when run on its own.
if ! out=$("$top/qemu-setup/deps.sh" 2>&1); then
	mapfile -t lines < <(echo "$out" | tail -n 10)
	notok "host packages installed (qemu-setup/deps.sh)" "${lines[@]}"
fi

# Every kernel series Debian's archives ship amd64 headers for: the host's
# own (default: bookworm), bookworm-backports (6.12), trixie-backports (7.3,
# the series the VM suites boot) and sid (at the release its
# linux-headers-amd64 points at today). A suite whose series an earlier one already covers is left out.
# trixie-backports' and sid's kernels are built with newer compilers than
# the host's: build-module.sh builds for them in a chroot of trixie or sid.
declare -A seen=()
for k in default 6.12 7.3 sid; do
	err=$(mktemp)
	if ! rel=$(KERNEL=$k ppv_kernel_release 2>"$err"); then
		mapfile -t lines < <(tail -n 10 "$err")
		rm -f "$err"
		notok "W=1 build and sparse (C=2) clean for KERNEL=$k (no release found)" "${lines[@]}"
		continue
	fi
	rm -f "$err"
	series=$(echo "$rel" | grep -oE '^[0-9]+\.[0-9]+')
	if [ -n "${seen[$series]:-}" ]; then
		echo "# KERNEL=$k is $rel: series $series already built for ${seen[$series]}"
		continue
	fi
	seen[$series]=$rel
	# warnings come only from files that compile: start from no objects
	log=$(KERNEL=$k PPV_REBUILD=1 "$top/qemu-setup/build-module.sh" W=1 C=2 2>&1 >/dev/null)
	rc=$?
	# where it was built (build chroot, its sparse)
	echo "$log" | sed -n 's/^\[ppv\] \(building for .*\)/# \1/p'
	# sparse and gcc both report "warning:"/"error:"; BTF's note is not one.
	# kbuild's notice that it turned the checker off is no "warning:" either.
	w=$(echo "$log" | grep -E 'warning:|error:|specified, but .* is not available' || true)
	if [ $rc = 0 ] && [ -z "$w" ]; then
		ok "W=1 build and sparse (C=2) clean for $rel"
	else
		mapfile -t lines < <(echo "${w:-$log}" | tail -n 15)
		notok "W=1 build and sparse (C=2) clean for $rel" "${lines[@]}"
	fi
done

# checkpatch.pl and its data files, from linux-source-<major.minor>
src=$(dpkg-query -W -f '${Depends}' linux-headers-amd64 | grep -o 'linux-headers-[0-9.]*' | head -n 1)
ver=$(echo "$src" | sed -E 's/linux-headers-([0-9]+\.[0-9]+).*/\1/')
cp_dir=$PPV_CACHE/checkpatch-$ver
if [ ! -x "$cp_dir/checkpatch.pl" ]; then
	dpkg -s "linux-source-$ver" >/dev/null 2>&1 ||
		apt-get install -y -q "linux-source-$ver" >/dev/null
	mkdir -p "$cp_dir"
	tar -xf "/usr/src/linux-source-$ver.tar.xz" -C "$cp_dir" --strip-components=2 \
		"linux-source-$ver/scripts/checkpatch.pl" \
		"linux-source-$ver/scripts/spelling.txt" \
		"linux-source-$ver/scripts/const_structs.checkpatch"
fi
for f in "$top"/net-driver/*.[ch]; do
	rel=${f#"$top"/}
	ign=$(awk -v f="$rel" '$1 == f { printf "%s%s", s, $2; s = "," }' \
		"$top/tests/static/checkpatch-exceptions")
	out=$(perl "$cp_dir/checkpatch.pl" --strict --no-tree --terse --show-types \
		${ign:+--ignore "$ign"} -f "$f" 2>&1)
	rc=$?
	# --terse prints one line per finding and nothing when clean
	if [ $rc = 0 ] && ! echo "$out" | grep -qE ':(ERROR|WARNING|CHECK):'; then
		ok "checkpatch --strict clean: $rel${ign:+ (excepted: $ign)}"
	else
		mapfile -t lines < <(echo "$out" | grep -v '^total' | head -n 10)
		notok "checkpatch --strict clean: $rel" "${lines[@]}"
	fi
done
# DKMS (net-driver/dkms.conf, what make dkms-install registers on a user's
# VM): dkms itself builds the module for 6.1 and 6.12, in a throwaway DKMS
# and source tree against the cached headers (nothing is installed).
if "$top/qemu-setup/deps.sh" dkms >/dev/null 2>&1; then
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/net-driver/dkms.conf")
	for k in default 6.12; do
		kdir=$(KERNEL=$k "$top/qemu-setup/fetch-kernel.sh" --headers 2>/dev/null) ||
			{ notok "dkms build for KERNEL=$k" "no headers"; continue; }
		rel=$(basename "$kdir")
		t=$(mktemp -d)
		mkdir -p "$t/src/ppvnet-$ver" "$t/tree"
		cp "$top"/net-driver/*.[ch] "$top"/net-driver/Kbuild "$top"/net-driver/Makefile \
			"$top"/net-driver/dkms.conf "$t/src/ppvnet-$ver/"
		d=(-m ppvnet -v "$ver" --dkmstree "$t/tree" --sourcetree "$t/src")
		out=$( { dkms add "${d[@]}" && dkms build "${d[@]}" -k "$rel" \
			--kernelsourcedir "$kdir/build"; } 2>&1)
		ko=$t/tree/ppvnet/$ver/$rel/x86_64/module/ppvnet.ko
		vm=$(modinfo -F vermagic "$ko" 2>/dev/null)
		if [ "${vm%% *}" = "$rel" ]; then
			ok "dkms build of ppvnet $ver for $rel"
		else
			mapfile -t lines < <(echo "$out" | tail -n 10)
			notok "dkms build of ppvnet $ver for $rel (vermagic '${vm%% *}')" "${lines[@]}"
		fi
		rm -rf "$t"
	done
	# the version DKMS installs under is the driver's
	dv=$(sed -n 's/^#define PPV_DRV_VERSION\t"\(.*\)"/\1/p' "$top/net-driver/ppv.h")
	if [ "$dv" = "$ver" ]; then ok "dkms.conf version $ver is the driver's"; else notok "dkms.conf version $ver is the driver's" "ppv.h says '$dv'"; fi
else
	notok "dkms installed (qemu-setup/deps.sh dkms)"
fi
echo "$((n - fail)) passed, $fail failed"
[ $fail = 0 ]
