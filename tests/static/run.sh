#!/usr/bin/env bash
# Static checks of net-driver/ (TAP): a warning-free W=1 build for each guest
# kernel, sparse (C=1) clean, checkpatch.pl --strict clean apart from the
# justified exceptions in tests/static/checkpatch-exceptions.
# checkpatch.pl comes from Debian's linux-source package (the headers'
# version), extracted once into the cache.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/qemu-setup/common.sh"
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; shift; printf '#   %s\n' "$@"; }

for k in default 6.12; do
	# warnings come only from files that compile: start from no objects
	rm -f "$top/build/$(KERNEL=$k ppv_kernel_release)"/*.o
	log=$(KERNEL=$k "$top/qemu-setup/build-module.sh" W=1 C=2 2>&1 >/dev/null)
	rc=$?
	# sparse and gcc both report "warning:"/"error:"; BTF's note is not one
	w=$(echo "$log" | grep -E 'warning:|error:' || true)
	rel=$(KERNEL=$k ppv_kernel_release)
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
echo "$((n - fail)) passed, $fail failed"
[ $fail = 0 ]
