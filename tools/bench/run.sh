#!/usr/bin/env bash
# `make bench`: what Polyvisor can be measured on today, side by side with QEMU, as ratios.
#
# 1. Bare-metal start-up: seconds from QEMU's start to Polyvisor's banner on each host ISA (almost
#    all of it the firmware), and the milliseconds Polyvisor itself spent, as its last line says,
#    with a config that names no VM (the default one boots Linux, item 4).
# 2. Each engine's speed (interp, jit, hybrid): guest MIPS on a loop-heavy riscv64 program
#    (tools/bench/riscv64/), polyrun -M spike against the same code under qemu-riscv64 (QEMU's
#    user-mode JIT), as a ratio.
# 3. The Debian riscv64 guest booting to GUEST-OK: polyrun -M virt on each engine against
#    qemu-system-riscv64 (TCG), same kernel, initramfs and memory, as a ratio of wall times.
# 4. The same guest on bare-metal Polyvisor: `make run`'s image (x86_64) under QEMU, which
#    emulates the x86_64 host with TCG here, so the ratio to polyrun is QEMU's cost, not
#    Polyvisor's. One run (BENCH_BAREMETAL_RUNS): it takes minutes.
# Each figure is the median of BENCH_RUNS runs (default 3). Results: build/bench/results.json and
# build/bench/report.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
RUNS=${BENCH_RUNS:-3}
BAREMETAL_RUNS=${BENCH_BAREMETAL_RUNS:-1}
# Seconds any one measured command may take.
TIMEOUT=120
OUT=build/bench
mkdir -p "$OUT"

# seconds_to_line PATTERN CMD...: wall seconds from CMD's start until it prints a line matching
# PATTERN (the clock is read at the match, not when CMD exits).
seconds_to_line() {
	local pattern=$1 start matched
	shift
	start=$(date +%s.%N)
	matched=$(timeout "$TIMEOUT" "$@" </dev/null 2>&1 | while IFS= read -r line; do
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

# own_milliseconds IMAGE: Polyvisor's own time from entry to power-off, from its "done in N ms"
# line.
own_milliseconds() {
	local isa=$1 image=$2 i
	for i in $(seq "$RUNS"); do
		tools/qemu-run.sh "$isa" "$image" </dev/null 2>&1 |
			sed -n 's/.*done in \([0-9]*\) ms.*/\1/p'
	done | median
}

json_rows=()
report_rows=()
printf '[global]\nlog = info\n' >"$OUT/no-vm.cfg"
for isa in x86_64 aarch64 riscv64; do
	image="$OUT/start-up-$isa.img"
	make --no-print-directory "build/$isa/polyvisor.efi" >/dev/null
	tools/mkimage.sh "$isa" "build/$isa/polyvisor.efi" "$OUT/no-vm.cfg" "$image" >/dev/null
	banner=$(measure '^Polyvisor ' tools/qemu-run.sh "$isa" "$image")
	own=$(own_milliseconds "$isa" "$image")
	json_rows+=("{\"what\": \"banner\", \"isa\": \"$isa\", \"qemu_start_to_banner_s\": $banner, \"polyvisor_own_ms\": $own}")
	report_rows+=("| $isa | $banner | $own |")
done

# ---- the engines on a loop-heavy program --------------------------------------------------------
ENGINES=(interp jit hybrid)
bench_cc="riscv64-linux-gnu-gcc -O2 -march=rv64gc -mabi=lp64d -ffreestanding -fno-pic -nostdlib -static -fno-stack-protector"
src=tools/bench/riscv64
$bench_cc -mcmodel=medany -Wl,--no-relax -Wl,--build-id=none -T "$src/spike.ld" -o "$OUT/loops-spike.elf" \
	"$src/spike.S" "$src/loops.c"
$bench_cc -o "$OUT/loops-linux.elf" "$src/linux.S" "$src/loops.c"
make --no-print-directory build/host/polyrun >/dev/null
qemu_sum=$(qemu-riscv64 "$OUT/loops-linux.elf")
for engine in "${ENGINES[@]}"; do
	sum=$(build/host/polyrun -accel "$engine" -M spike -bios none -kernel "$OUT/loops-spike.elf" \
		-d stats 2>"$OUT/loops-stats-$engine.txt")
	if [ "$sum" != "$qemu_sum" ]; then
		echo "bench: polyrun ($engine) computed $sum, qemu-riscv64 $qemu_sum" >&2
		exit 1
	fi
done
insns=$(sed -n 's/.* \([0-9]*\) insns.*/\1/p' "$OUT/loops-stats-interp.txt")
qemu_loop=$(measure "^$qemu_sum" qemu-riscv64 "$OUT/loops-linux.elf")
qemu_mips=$(awk -v n="$insns" -v t="$qemu_loop" 'BEGIN {printf "%.0f", n / t / 1e6}')
loop_rows=()
for engine in "${ENGINES[@]}"; do
	loop=$(measure "^$qemu_sum" build/host/polyrun -accel "$engine" -M spike -bios none \
		-kernel "$OUT/loops-spike.elf")
	mips=$(awk -v n="$insns" -v t="$loop" 'BEGIN {printf "%.0f", n / t / 1e6}')
	ratio=$(awk -v p="$loop" -v q="$qemu_loop" 'BEGIN {printf "%.3f", q / p}')
	json_rows+=("{\"what\": \"riscv64 loops\", \"engine\": \"$engine\", \"guest_insns\": $insns, \"polyrun_s\": $loop, \"qemu_user_s\": $qemu_loop, \"polyrun_mips\": $mips, \"qemu_mips\": $qemu_mips, \"speed_vs_qemu\": $ratio}")
	loop_rows+=("| $engine | $loop s, $mips MIPS | $qemu_loop s, $qemu_mips MIPS | ${ratio}× |")
done

guest=build/guests/riscv64
guest_args=(-bios default -m 512M -kernel "$guest/Image" -initrd "$guest/initrd.cpio.gz"
	-append console=ttyS0)
qemu_guest=$(measure '^GUEST-OK' qemu-system-riscv64 -M virt -nographic -no-reboot "${guest_args[@]}")
guest_rows=()
for engine in "${ENGINES[@]}"; do
	seconds=$(measure '^GUEST-OK' build/host/polyrun -accel "$engine" -M virt "${guest_args[@]}")
	[ "$engine" != interp ] || polyrun_guest=$seconds
	ratio=$(awk -v p="$seconds" -v q="$qemu_guest" 'BEGIN {printf "%.1f", p / q}')
	json_rows+=("{\"what\": \"riscv64 linux to GUEST-OK\", \"engine\": \"$engine\", \"qemu_tcg_s\": $qemu_guest, \"polyrun_s\": $seconds, \"polyrun_over_qemu\": $ratio}")
	guest_rows+=("| $engine | $seconds s | $qemu_guest s | ${ratio}× |")
done

# ---- the same guest on bare-metal Polyvisor -----------------------------------------------------
make --no-print-directory build/x86_64/polyvisor.img >/dev/null
baremetal_guest=$(for i in $(seq "$BAREMETAL_RUNS"); do
	TIMEOUT=900 QEMU_TIMEOUT=900 seconds_to_line '^GUEST-OK' tools/qemu-run.sh x86_64 \
		build/x86_64/polyvisor.img
done | median)
baremetal_over_polyrun=$(awk -v b="$baremetal_guest" -v p="$polyrun_guest" 'BEGIN {printf "%.1f", b / p}')
baremetal_over_qemu=$(awk -v b="$baremetal_guest" -v q="$qemu_guest" 'BEGIN {printf "%.1f", b / q}')
json_rows+=("{\"what\": \"riscv64 linux to GUEST-OK on bare-metal polyvisor (x86_64 host under QEMU TCG)\", \"baremetal_s\": $baremetal_guest, \"over_polyrun\": $baremetal_over_polyrun, \"over_qemu_tcg\": $baremetal_over_qemu}")

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
	echo "## The engines on a loop-heavy riscv64 program ($insns guest instructions)"
	echo
	echo "| polyrun engine | polyrun | qemu-riscv64 (JIT) | polyrun speed / QEMU's |"
	echo "|---|---|---|---|"
	printf '%s\n' "${loop_rows[@]}"
	echo
	echo "## riscv64 Linux to GUEST-OK"
	echo
	echo "| polyrun engine | polyrun | qemu-system-riscv64 TCG | polyrun time / QEMU's |"
	echo "|---|---|---|---|"
	printf '%s\n' "${guest_rows[@]}"
	echo
	echo "## The same guest on bare-metal Polyvisor (interp; x86_64 host emulated by QEMU TCG, $BAREMETAL_RUNS run)"
	echo
	echo "| bare-metal Polyvisor | / polyrun interp | / qemu-system-riscv64 TCG |"
	echo "|---|---|---|"
	echo "| $baremetal_guest s | ${baremetal_over_polyrun}× | ${baremetal_over_qemu}× |"
} >"$OUT/report.md"
cat "$OUT/report.md"
