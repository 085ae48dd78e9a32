#!/usr/bin/env bash
# Debian's riscv64 Linux on polyrun built with ASan+UBSan (make HOST_SANITIZE=1:
# build/host-san/polyrun), booted as linux-riscv64.sh's boot check does, with every kind of
# virtio device attached:
#   polyrun -M virt -bios default -m 512M -kernel Image -initrd initrd -append "console=ttyS0"
#           -drive file=disk,if=virtio  two virtio-net NICs on a hub  -device virtio-rng
#           -device virtio-console
# OpenSBI, the kernel, the drivers binding and probing every device, and the poweroff run
# through a polyrun that stops at the first out-of-bounds access, use after free, leak or
# undefined behaviour.
#   PASS linux-riscv64-asan/build   make HOST_SANITIZE=1 polyrun
#   PASS linux-riscv64-asan/boot    the drivers of all four devices bound, GUEST-OK, exit status 0
#   PASS linux-riscv64-asan/clean   no sanitizer report in the log
# The log, build/test-logs/linux-riscv64-asan.log, ends with the exit status and wall time (about
# a minute, twice the plain build's boot).
set -uo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
suite=linux-riscv64-asan
GUESTS=$ROOT/build/guests/riscv64
POLYRUN=$ROOT/build/host-san/polyrun
LOG=$LOG_DIR/$suite.log
BOOT_SECONDS=${BOOT_SECONDS:-400}
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1

if [ ! -f "$GUESTS/Image" ] || [ ! -f "$GUESTS/initrd.cpio.gz" ]; then
	fail "$suite/boot" "no guest in build/guests/riscv64: run make guests"
	finish
	exit
fi
if ! make --no-print-directory -j"${JOBS:-2}" HOST_SANITIZE=1 polyrun >"$LOG_DIR/$suite-build.log" 2>&1; then
	fail "$suite/build" "make HOST_SANITIZE=1 polyrun failed; see build/test-logs/$suite-build.log"
	finish
	exit
fi
pass "$suite/build"

disk=$(mktemp)
trap 'rm -f "$disk"' EXIT
truncate -s 4M "$disk"
start=$(date +%s%N)
run_captured "$LOG" "$BOOT_SECONDS" "$POLYRUN" -M virt -bios default -m 512M \
	-kernel "$GUESTS/Image" -initrd "$GUESTS/initrd.cpio.gz" -append "console=ttyS0" \
	-drive "file=$disk,if=virtio,format=raw" -netdev hub,id=n0,hubid=0 -netdev hub,id=n1,hubid=0 \
	-device virtio-net,netdev=n0 -device virtio-net,netdev=n1,mac=52:54:00:12:34:99 \
	-device virtio-rng -device virtio-console
status=$?
seconds=$(awk -v ns=$(($(date +%s%N) - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
printf '\n# %s: exit status %s after %s s\n' "$suite" "$status" "$seconds" >>"$LOG"

release=$(sed 's/[][\.*^$+?(){}|/]/\\&/g' "$GUESTS/release")
if [ "$status" != 0 ]; then
	fail "$suite/boot" "exit status $status (log: build/test-logs/$suite.log)"
else
	check "$suite/boot" "$LOG" \
		'^GUEST-VIRTIO-BOUND: virtio_blk virtio_console virtio_net virtio_rng$' \
		"^GUEST-OK riscv64 $release\$"
fi
echo "    boot: exit status $status after $seconds s"
# ASan and LeakSanitizer reports start with "==PID==ERROR:", UBSan's with "FILE:LINE:COL: runtime
# error:"; both end with a SUMMARY line.
report=$(tr -d '\r' <"$LOG" | grep -m1 -E '^==[0-9]+==(ERROR|WARNING): |: runtime error: |^SUMMARY: [A-Za-z]+Sanitizer')
if [ -n "$report" ]; then
	fail "$suite/clean" "$report (log: build/test-logs/$suite.log)"
else
	pass "$suite/clean"
fi
finish
