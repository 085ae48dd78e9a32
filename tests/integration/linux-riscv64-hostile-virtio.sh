#!/usr/bin/env bash
# A hostile virtio driver on polyrun's riscv64 virt board: tests/isa/riscv64/hostile-virtio.c, a
# bare-metal guest (-bios none, entered in M mode), offers virtio-blk chains that break the
# specification's rules (buffers outside RAM or over a device, loops, wrong directions, wrapping
# addresses, a giant length, indexes out of the table, a jump of the available index) and expects
# each refused, the device to recover after a reset, and polyrun to keep running until the guest
# powers off; then the same under the ASan+UBSan polyrun, which proves no host memory outside the
# guest's RAM was touched.
#   PASS linux-riscv64-hostile-virtio/build          the guest compiles
#   PASS linux-riscv64-hostile-virtio/refused        every case refused, HOSTILE-VIRTIO-OK, status 0
#   PASS linux-riscv64-hostile-virtio/refused-asan   the same under ASan+UBSan
#   PASS linux-riscv64-hostile-virtio/refused-asan-clean  ... with no sanitizer report
# The log is build/test-logs/linux-riscv64-hostile-virtio.log.
set -uo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

SRC=$ROOT/tests/isa/riscv64
OUT=$ROOT/build/isa/riscv64
POLYRUN=$ROOT/build/host/polyrun
LOG=$LOG_DIR/linux-riscv64-hostile-virtio.log
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$OUT"

if ! riscv64-linux-gnu-gcc -march=rv64gc -mabi=lp64d -mcmodel=medany -O2 -Wall -Wextra -Werror \
	-ffreestanding -fno-pic -no-pie -nostdlib -nostartfiles -static -T "$SRC/link.ld" \
	-Wl,--no-relax -Wl,--no-warn-rwx-segments -Wl,--build-id=none \
	"$SRC/hostile-virtio.c" -o "$OUT/hostile-virtio.elf" >"$LOG" 2>&1; then
	fail linux-riscv64-hostile-virtio/build "the guest does not compile (log: ${LOG#"$ROOT"/})"
	finish
	exit
fi
pass linux-riscv64-hostile-virtio/build

# Sector 0 carries the pattern the guest's proper reads check.
{
	printf 'POLYVISOR-HOSTILE-DISK'
	head -c $((4096 - 22)) /dev/zero
} >"$SCRATCH/disk.img"
# hostile NAME POLYRUN LOG: one run of the guest, every case refused.
hostile() {
	local name=$1 polyrun=$2 log=$3 status

	run_captured "$log" 120 "$polyrun" -M virt -bios none -m 64M \
		-kernel "$OUT/hostile-virtio.elf" -drive "file=$SCRATCH/disk.img,if=virtio,format=raw"
	status=$?
	if [ "$status" != 0 ]; then
		fail "linux-riscv64-hostile-virtio/$name" "exit status $status (log: ${log#"$ROOT"/})"
		return 1
	fi
	check "linux-riscv64-hostile-virtio/$name" "$log" '^HOSTILE outside-ram refused' \
		'^HOSTILE mmio-buffer refused' '^HOSTILE loop refused' \
		'^HOSTILE wrong-direction refused' '^HOSTILE wrapping-address refused' \
		'^HOSTILE giant-length refused' '^HOSTILE next-out-of-table refused' \
		'^HOSTILE head-out-of-table refused' '^HOSTILE avail-index-jump refused' \
		'^HOSTILE-VIRTIO-OK$'
}

hostile refused "$POLYRUN" "$LOG"
asan_log=$LOG_DIR/linux-riscv64-hostile-virtio-asan.log
if ! make --no-print-directory -j"${JOBS:-2}" HOST_SANITIZE=1 polyrun >"$asan_log" 2>&1; then
	fail linux-riscv64-hostile-virtio/refused-asan "make HOST_SANITIZE=1 polyrun failed (log: ${asan_log#"$ROOT"/})"
else
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		hostile refused-asan "$ROOT/build/host-san/polyrun" "$asan_log"
	report=$(tr -d '\r' <"$asan_log" | grep -m1 -E '^==[0-9]+==(ERROR|WARNING): |: runtime error: |^SUMMARY: [A-Za-z]+Sanitizer')
	if [ -n "$report" ]; then
		fail linux-riscv64-hostile-virtio/refused-asan-clean "$report (log: ${asan_log#"$ROOT"/})"
	else
		pass linux-riscv64-hostile-virtio/refused-asan-clean
	fi
fi
finish
