#!/usr/bin/env bash
# Builds one batch of the differential test: COUNT streams from SEED, as a Linux user-mode
# program (for qemu-riscv64) and a bare-metal spike program (for qemu-system-riscv64 -M spike
# and polyrun) running the very same stream code.
# Usage: tests/difftest/build.sh SEED COUNT OUTDIR
#   leaves OUTDIR/batch-SEED-linux.elf and OUTDIR/batch-SEED-spike.elf; builds the host
#   generator build/difftest/gen when its source changed.
set -euo pipefail
SRC=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$SRC/../.." && pwd)
seed=$1 count=$2 out=$3
CROSS=${CROSS:-riscv64-linux-gnu-}
# lp64 (soft-float calling convention) keeps the C side off the FP registers and fcsr.
TARGET=(-march=rv64gc_zba_zbb_zbs_zicsr_zifencei -mabi=lp64 -mcmodel=medany -nostdlib
	-nostartfiles -static -fno-pic -no-pie "-Wl,--no-relax" "-Wl,--build-id=none"
	"-Wl,--no-warn-rwx-segments")
CFLAGS=(-O2 -ffreestanding -fno-stack-protector -fno-builtin -Wall -Wextra -Werror)

gen=$ROOT/build/difftest/gen
mkdir -p "$(dirname "$gen")" "$out"
if [ ! -x "$gen" ] || [ "$SRC/gen.c" -nt "$gen" ]; then
	gcc -O2 -Wall -Wextra -Werror -o "$gen.tmp" "$SRC/gen.c"
	mv "$gen.tmp" "$gen"
fi

base=$out/batch-$seed
"$gen" "$seed" "$count" >"$base.S"
"${CROSS}gcc" "${TARGET[@]}" "${CFLAGS[@]}" -c "$SRC/dump.c" -o "$base-dump.o"
"${CROSS}gcc" "${TARGET[@]}" -c "$base.S" -o "$base-streams.o"
"${CROSS}gcc" "${TARGET[@]}" -c "$SRC/run.S" -o "$base-run.o"
objs=("$base-streams.o" "$base-run.o" "$base-dump.o")
"${CROSS}gcc" "${TARGET[@]}" "$SRC/linux.S" "${objs[@]}" -o "$base-linux.elf"
"${CROSS}gcc" "${TARGET[@]}" -T "$ROOT/tests/isa/riscv64/link.ld" "$SRC/spike.S" "${objs[@]}" \
	-o "$base-spike.elf"
