#!/usr/bin/env bash
# The in-guest suites on the debug kernel only (KERNEL=debug: KASAN, UBSAN,
# lockdep, kmemleak, DMA-API debug, fault injection), building it first when
# the cache lacks it (about 25 min on 2 cores): the debug-* phases of
# tests/run-all.sh, which `make check` runs next to the others. TAP with
# one global count, last line "N passed, N failed"; exits 1 on any failure.
#   qemu-setup/check-debug.sh            (make check-debug)
# Any kernel report during a test (KASAN, UBSAN, lockdep, DMA-API, kmemleak,
# WARNING, BUG) fails that test: the guest's lib.sh greps dmesg after each
# one and prints the report as "# dmesg:" lines; the full console is kept
# in build/logs/console-<driver>-<release>-<pid>.log.
exec "$(dirname "$0")/../tests/run-all.sh" 'debug-*'
