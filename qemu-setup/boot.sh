#!/usr/bin/env bash
# Boot a guest with everything it needs, building what is missing first:
# host packages, the guest kernel (KERNEL knob), ppvnet.ko, the initramfs.
#   KERNEL=default|6.12|7.3|debug (see common.sh)  DRIVER=ppvnet|virtio_net
#   qemu-setup/boot.sh [vm.py options: --mode demo|test|shell --tests "..."
#                       --smp N --mem MiB --queues N --rx-ring N --tx-ring N
#                       --packed --host-mtu N --vectors N --timeout S ...]
set -euo pipefail
. "$(dirname "$0")/common.sh"

DRIVER=${DRIVER:-ppvnet}
"$PPV_TOP/qemu-setup/deps.sh"
kdir=$("$PPV_TOP/qemu-setup/fetch-kernel.sh")
ko=$("$PPV_TOP/qemu-setup/build-module.sh")
initrd=$("$PPV_TOP/qemu-setup/initramfs.sh" "$kdir" "$ko")
mkdir -p "$PPV_TOP/build/logs"
log=$PPV_TOP/build/logs/console-$DRIVER-$(basename "$kdir")-$$.log
# Options the KERNEL needs (common.sh) go first so the caller's win; the
# kernel command line additions are merged into the caller's --append.
if [ -n "$PPV_VM_APPEND" ]; then
	args=()
	append=$PPV_VM_APPEND
	while [ $# -gt 0 ]; do
		case $1 in
		--append) append="$append ${2:-}"; shift $(($# > 1 ? 2 : 1)) ;;
		--append=*) append="$append ${1#--append=}"; shift ;;
		*) args+=("$1"); shift ;;
		esac
	done
	set -- ${args[@]+"${args[@]}"} --append "$append"
fi
exec python3 "$PPV_TOP/qemu-setup/vm.py" --kernel "$kdir/vmlinuz" \
	--initrd "$initrd" --driver "$DRIVER" --log "$log" \
	${PPV_VM_ARGS[@]+"${PPV_VM_ARGS[@]}"} "$@"
