#!/usr/bin/env bash
# `make bench`: what Polyvisor can be measured on today, side by side with QEMU, as ratios.
#
# 1. Bare-metal start-up: seconds from QEMU's start to Polyvisor's banner on each host ISA (almost
#    all of it the firmware), and the milliseconds Polyvisor itself spent, as its last line says.
# 2. The interpreter's speed: guest MIPS on a loop-heavy riscv64 program (tools/bench/riscv64/),
#    polyrun -M spike against the same code under qemu-riscv64 (QEMU's user-mode JIT), as a ratio.
# 3. The Debian riscv64 guest booting to GUEST-OK: polyrun -M virt (interpreter) against
#    qemu-system-riscv64 (TCG), same kernel, initramfs and memory, as a ratio of wall times.
# Each figure is the median of BENCH_RUNS runs (default 3). Results: build/bench/results.json and
# build/bench/report.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
RUNS=${BENCH_RUNS:-3}
OUT=build/bench
mkdir -p "$OUT"

# seconds_to_line PATTERN CMD...: wall seconds from CMD's start until it prints a line matching
# PATTERN (the clock is read at the match, not when CMD exits).
seconds_to_line() {
	local pattern=$1 start matched
	shift
	start=$(date +%s.%N)
	matched=$(timeout 120 "$@" </dev/null 2>&1 | while IFS= read -r line; do
		if [[ "${line%$'\r'}" =~ $pattern ]]; then
			date +%s.%N
			break
		fi
	done)
	if [ -z "$matched" ]; then
		echo "bench: '$*' never printed /$pattern/" >&2
		echo nan
		return
	fi
	awk -v s="$start" -v e="$matched" 'BEGIN {printf "%.3f\n", e - s}'
}

median() {
	sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else printf "%.2f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

measure() {
	local i
	for i in $(seq "$RUNS"); do seconds_to_line "$@"; done | median
}

# own_milliseconds ISA: Polyvisor's own time from entry to power-off, from its "done in N ms" line.
own_milliseconds() {
	local isa=$1 i
	for i in $(seq "$RUNS"); do
		tools/qemu-run.sh "$isa" "build/$isa/polyvisor.img" </dev/null 2>&1 |
			sed -n 's/.*done in \([0-9]*\) ms.*/\1/p'
	done | median
}

json_rows=()
report_rows=()
for isa in x86_64 aarch64 riscv64; do
	make --no-print-directory "build/$isa/polyvisor.img" >/dev/null
	banner=$(measure '^Polyvisor ' tools/qemu-run.sh "$isa" "build/$isa/polyvisor.img")
	own=$(own_milliseconds "$isa")
	json_rows+=("{\"what\": \"banner\", \"isa\": \"$isa\", \"qemu_start_to_banner_s\": $banner, \"polyvisor_own_ms\": $own}")
	report_rows+=("| $isa | $banner | $own |")
done

# ---- the interpreter on a loop-heavy program ----------------------------------------------------
bench_cc="riscv64-linux-gnu-gcc -O2 -march=rv64gc -mabi=lp64d -ffreestanding -fno-pic -nostdlib -static -fno-stack-protector"
src=tools/bench/riscv64
$bench_cc -mcmodel=medany -Wl,--no-relax -Wl,--build-id=none -T "$src/spike.ld" -o "$OUT/loops-spike.elf" \
	"$src/spike.S" "$src/loops.c"
$bench_cc -o "$OUT/loops-linux.elf" "$src/linux.S" "$src/loops.c"
make --no-print-directory build/host/polyrun >/dev/null
polyrun_sum=$(build/host/polyrun -M spike -bios none -kernel "$OUT/loops-spike.elf" -d stats \
	2>"$OUT/loops-stats.txt")
qemu_sum=$(qemu-riscv64 "$OUT/loops-linux.elf")
if [ "$polyrun_sum" != "$qemu_sum" ]; then
	echo "bench: polyrun computed $polyrun_sum, qemu-riscv64 $qemu_sum" >&2
	exit 1
fi
insns=$(sed -n 's/.* \([0-9]*\) insns.*/\1/p' "$OUT/loops-stats.txt")
polyrun_loop=$(measure "^$qemu_sum" build/host/polyrun -M spike -bios none -kernel "$OUT/loops-spike.elf")
qemu_loop=$(measure "^$qemu_sum" qemu-riscv64 "$OUT/loops-linux.elf")
polyrun_mips=$(awk -v n="$insns" -v t="$polyrun_loop" 'BEGIN {printf "%.0f", n / t / 1e6}')
qemu_mips=$(awk -v n="$insns" -v t="$qemu_loop" 'BEGIN {printf "%.0f", n / t / 1e6}')
loop_ratio=$(awk -v p="$polyrun_loop" -v q="$qemu_loop" 'BEGIN {printf "%.3f", q / p}')
json_rows+=("{\"what\": \"riscv64 loops\", \"guest_insns\": $insns, \"polyrun_interp_s\": $polyrun_loop, \"qemu_user_s\": $qemu_loop, \"polyrun_mips\": $polyrun_mips, \"qemu_mips\": $qemu_mips, \"speed_vs_qemu\": $loop_ratio}")

guest=build/guests/riscv64
guest_args=(-bios default -m 512M -kernel "$guest/Image" -initrd "$guest/initrd.cpio.gz"
	-append console=ttyS0)
qemu_guest=$(measure '^GUEST-OK' qemu-system-riscv64 -M virt -nographic -no-reboot "${guest_args[@]}")
polyrun_guest=$(measure '^GUEST-OK' build/host/polyrun -M virt "${guest_args[@]}")
guest_ratio=$(awk -v p="$polyrun_guest" -v q="$qemu_guest" 'BEGIN {printf "%.1f", p / q}')
json_rows+=("{\"what\": \"riscv64 linux to GUEST-OK\", \"qemu_tcg_s\": $qemu_guest, \"polyrun_interp_s\": $polyrun_guest, \"polyrun_over_qemu\": $guest_ratio}")

{
	echo '{"runs": '"$RUNS"', "results": ['
	printf '  %s,\n' "${json_rows[@]}" | sed '$ s/,$//'
	echo ']}'
} >"$OUT/results.json"

{
	echo "# Polyvisor bench ($(date -u +%Y-%m-%d), median of $RUNS runs, $(nproc) CPUs)"
	echo
	echo "## Bare-metal start-up under QEMU (firmware included) and Polyvisor's own share"
	echo
	echo "| host ISA | QEMU start to banner (s) | Polyvisor's own work (ms) |"
	echo "|---|---|---|"
	printf '%s\n' "${report_rows[@]}"
	echo
	echo "## The interpreter on a loop-heavy riscv64 program ($insns guest instructions)"
	echo
	echo "| polyrun interp | qemu-riscv64 (JIT) | polyrun speed / QEMU's |"
	echo "|---|---|---|"
	echo "| $polyrun_loop s, $polyrun_mips MIPS | $qemu_loop s, $qemu_mips MIPS | ${loop_ratio}× |"
	echo
	echo "## riscv64 Linux to GUEST-OK"
	echo
	echo "| qemu-system-riscv64 TCG | polyrun interp | polyrun time / QEMU's |"
	echo "|---|---|---|"
	echo "| $qemu_guest s | $polyrun_guest s | ${guest_ratio}× |"
} >"$OUT/report.md"
cat "$OUT/report.md"
