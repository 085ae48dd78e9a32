#!/usr/bin/env bash
# A hostile virtio driver on polyrun's riscv64 virt board: tests/isa/riscv64/hostile-virtio.c, a
# bare-metal guest (-bios none, entered in M mode), offers virtio-blk chains that break the
# specification's rules (buffers outside RAM or over a device, loops, wrong directions, wrapping
# addresses, indexes out of the table, a jump of the available index) and expects each refused,
# the device to recover after a reset, and polyrun to keep running until the guest powers off.
#   PASS linux-riscv64-hostile-virtio/build    the guest compiles
#   PASS linux-riscv64-hostile-virtio/refused  every case refused, HOSTILE-VIRTIO-OK, exit status 0
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
run_captured "$LOG" 60 "$POLYRUN" -M virt -bios none -m 64M -kernel "$OUT/hostile-virtio.elf" \
	-drive "file=$SCRATCH/disk.img,if=virtio,format=raw"
status=$?
if [ "$status" != 0 ]; then
	fail linux-riscv64-hostile-virtio/refused "exit status $status (log: ${LOG#"$ROOT"/})"
else
	check linux-riscv64-hostile-virtio/refused "$LOG" '^HOSTILE outside-ram refused' \
		'^HOSTILE mmio-buffer refused' '^HOSTILE loop refused' \
		'^HOSTILE wrong-direction refused' '^HOSTILE wrapping-address refused' \
		'^HOSTILE next-out-of-table refused' '^HOSTILE head-out-of-table refused' \
		'^HOSTILE avail-index-jump refused' '^HOSTILE-VIRTIO-OK$'
fi
finish
