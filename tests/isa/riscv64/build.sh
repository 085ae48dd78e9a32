#!/usr/bin/env bash
# Builds the riscv64 ISA test programs: tests/isa/riscv64/NAME.S -> build/isa/riscv64/NAME.elf,
# each linked with runtime.S at 0x80000000. Incremental: a program is rebuilt only when its
# source, the runtime, the header, the linker script or this script is newer than its ELF.
# smp-*.S programs need several harts (tests/integration/smp-riscv64.sh runs them): they are built
# only when named, and without runtime.S, since every hart starts at their own _start.
# virt-*.c programs are C for the virt board (-M virt -bios none) with virt.h as their runtime
# (tests/integration/hostile-riscv64.sh runs them): built only when named, since the default set
# is the spike programs.
# Usage: tests/isa/riscv64/build.sh [NAME...]   (prints the ELF paths it leaves, one a line)
set -euo pipefail
SRC=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$SRC/../../.." && pwd)
OUT=$ROOT/build/isa/riscv64
CROSS=${CROSS:-riscv64-linux-gnu-}
MARCH=rv64gc_zba_zbb_zbs_zicsr_zifencei_zicbom_zicboz_zihintpause
CFLAGS=(-march="$MARCH" -mabi=lp64d -mcmodel=medany -nostdlib -nostartfiles -static -fno-pic
	-no-pie "-Wa,--fatal-warnings" -I"$SRC" -T "$SRC/link.ld" "-Wl,--no-relax"
	"-Wl,--no-warn-rwx-segments" "-Wl,--build-id=none")
mkdir -p "$OUT"

if [ $# = 0 ]; then
	for src in "$SRC"/*.S; do
		name=$(basename "$src" .S)
		case $name in runtime | smp-*) ;; *) set -- "$@" "$name" ;; esac
	done
fi
for name in "$@"; do
	elf=$OUT/$name.elf
	case $name in
	virt-*) deps=("$SRC/$name.c" "$SRC/virt.h") ;;
	*) deps=("$SRC/$name.S" "$SRC/runtime.S" "$SRC/test.h") ;;
	esac
	stale=0
	for dep in "${deps[@]}" "$SRC/link.ld" "$SRC/build.sh"; do
		if [ ! -e "$elf" ] || [ "$dep" -nt "$elf" ]; then
			stale=1
		fi
	done
	if [ "$stale" = 1 ]; then
		case $name in
		virt-*)
			"${CROSS}gcc" "${CFLAGS[@]}" -O2 -Wall -Wextra -Werror -ffreestanding \
				"$SRC/$name.c" -o "$elf.tmp"
			;;
		smp-*) "${CROSS}gcc" "${CFLAGS[@]}" "$SRC/$name.S" -o "$elf.tmp" ;;
		*) "${CROSS}gcc" "${CFLAGS[@]}" "$SRC/runtime.S" "$SRC/$name.S" -o "$elf.tmp" ;;
		esac
		mv "$elf.tmp" "$elf"
	fi
	echo "$elf"
done
