#!/usr/bin/env bash
# Hostile bare-metal guests on polyrun's riscv64 virt board (-bios none, entered in M mode): the
# tests/isa/riscv64/virt-*.c programs, each run by polyrun and by polyrun built with ASan+UBSan
# (build/host-san), which proves that no host memory outside the guest's RAM was touched.
#   holes    loads, stores, AMOs, LR and fetches at holes of the physical map raise access faults
#            with the right mcause, mtval and mepc (also run under QEMU's virt board, which proves
#            the program: QEMU 7.2 raises a load access fault for an AMO where the privileged
#            specification wants a store/AMO access fault, the one deviation allowed there)
#   rom      stores and AMOs to the boot ROM raise store/AMO access faults, the ROM is unchanged
#            and still executable
#   blk-ro   a read-only disk (-drive ...,readonly=on) offers VIRTIO_BLK_F_RO and fails writes
#            with IOERR; blk-ro-image then checks the image is unchanged, byte for byte
#   storm    CLINT self-IPI, PLIC claim/complete, UART register and virtio QueueNotify storms:
#            the guest's counts are right and polyrun exits 0 within its time limit
# Every run must exit 0 and print its lines; a sanitized run must also print no sanitizer
# report. Lines: PASS hostile-riscv64/{qemu,polyrun,polyrun-asan}/NAME. Logs:
# build/test-logs/hostile-riscv64/.
set -uo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
suite=hostile-riscv64
logs=$LOG_DIR/$suite
mkdir -p "$logs"
SECONDS_LIMIT=60
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
programs=(virt-holes virt-rom virt-blk-ro virt-storm)

if ! tests/isa/riscv64/build.sh "${programs[@]}" >/dev/null 2>"$logs/build.log"; then
	fail "$suite/build" "tests/isa/riscv64/build.sh failed; see ${logs#"$ROOT"/}/build.log"
	finish
	exit
fi
pass "$suite/build"
elf() { echo "$ROOT/build/isa/riscv64/$1.elf"; }

# The holes under QEMU: every check agrees but QEMU's AMO faults, which must name the same
# address and instruction with the load access fault's cause.
log=$logs/qemu-holes.log
run_captured "$log" 30 qemu-system-riscv64 -M virt -m 64M -bios none -kernel "$(elf virt-holes)" \
	-nographic -no-reboot
status=$?
others=$(tr -d '\r' <"$log" | grep -E '^HOLE .*: expected' |
	grep -v -E '^HOLE (0x[0-9a-f]+) amoadd\.w: expected mcause 7 mtval \1 mepc (0x[0-9a-f]+), got mcause 5 mtval \1 mepc \2$')
amo=$(tr -d '\r' <"$log" | grep -c -E '^HOLE .* amoadd\.w: expected')
if [ -n "$others" ]; then
	fail "$suite/qemu/holes" "$(echo "$others" | head -n 1) (log: ${log#"$ROOT"/})"
elif [ "$status" != "$amo" ] || ! tr -d '\r' <"$log" | grep -q -E '^HOLES-(OK|WRONG [0-9]+)$'; then
	fail "$suite/qemu/holes" "exit status $status after $amo AMO deviations (log: ${log#"$ROOT"/})"
else
	pass "$suite/qemu/holes"
fi

# sanitizer_report LOG: the first line of an ASan, LeakSanitizer or UBSan report in LOG.
sanitizer_report() {
	tr -d '\r' <"$1" | grep -m1 -E '^==[0-9]+==(ERROR|WARNING): |: runtime error: |^SUMMARY: [A-Za-z]+Sanitizer'
}

# run_program KIND POLYRUN NAME [ARGS...] -- PATTERN...: runs the program under that polyrun,
# then checks exit status 0, the lines in order and, for a sanitized build, a clean log.
run_program() {
	local kind=$1 polyrun=$2 name=$3 log=$logs/$1-$3.log status report args=()
	shift 3
	while [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	shift
	run_captured "$log" "$SECONDS_LIMIT" "$polyrun" -M virt -m 64M -bios none \
		-kernel "$(elf "virt-$name")" "${args[@]}"
	status=$?
	if [ "$status" = 124 ] || [ "$status" = 137 ]; then
		fail "$suite/$kind/$name" "no exit within $SECONDS_LIMIT s (log: ${log#"$ROOT"/})"
	elif [ "$status" != 0 ]; then
		fail "$suite/$kind/$name" "exit status $status (log: ${log#"$ROOT"/})"
	elif report=$(sanitizer_report "$log"); then
		fail "$suite/$kind/$name" "$report (log: ${log#"$ROOT"/})"
	else
		check "$suite/$kind/$name" "$log" "$@"
	fi
}

holes=(0x10000 0x102000 0x2010000 0xc600000 0x10001200 0x10009000 0x84000000 0x1000000000000
	0xff00000000000000)
hole_lines=()
for h in "${holes[@]}"; do
	hole_lines+=("^HOLE $h ok\$")
done
rom_lines=()
for where in first last; do
	for op in sb sh sw sd amoswap.w amoor.d; do
		rom_lines+=("^ROM $op $where ok\$")
	done
done

for kind in polyrun polyrun-asan; do
	case $kind in
	polyrun) polyrun=$ROOT/build/host/polyrun ;;
	*) polyrun=$ROOT/build/host-san/polyrun ;;
	esac
	if [ ! -x "$polyrun" ]; then
		fail "$suite/$kind" "${polyrun#"$ROOT"/} is not built (tests/build.sh builds it)"
		continue
	fi
	run_program "$kind" "$polyrun" holes -- "${hole_lines[@]}" '^HOLES-OK$'
	run_program "$kind" "$polyrun" rom -- "${rom_lines[@]}" '^ROM unchanged ok$' \
		'^ROM fetch first ok$' '^ROM-OK$'

	# Sectors 0 and 1 open with the pattern the guest reads; the rest is random, so that a
	# write anywhere shows.
	disk=$SCRATCH/ro-$kind.img
	{
		printf 'POLYVISOR-RO-SECTOR-0'
		head -c $((512 - 21)) /dev/urandom
		printf 'POLYVISOR-RO-SECTOR-1'
		head -c $((65536 - 512 - 21)) /dev/urandom
	} >"$disk"
	cp "$disk" "$disk.orig"
	run_program "$kind" "$polyrun" blk-ro -drive "file=$disk,if=virtio,format=raw,readonly=on" \
		-- '^BLKRO offers-ro ok$' '^BLKRO read-sector-0 ok$' '^BLKRO write-ioerr ok$' \
		'^BLKRO write-zeroes-refused ok$' '^BLKRO discard-refused ok$' '^BLKRO flush-ok ok$' \
		'^BLKRO device-healthy ok$' '^BLKRO sector-0-unchanged ok$' \
		'^BLKRO sector-1-unchanged ok$' '^BLKRO-OK$'
	if cmp -s "$disk" "$disk.orig"; then
		pass "$suite/$kind/blk-ro-image"
	else
		fail "$suite/$kind/blk-ro-image" "the read-only image changed"
	fi

	disk=$SCRATCH/storm-$kind.img
	{
		printf 'POLYVISOR-STORM'
		head -c $((4096 - 15)) /dev/zero
	} >"$disk"
	start=$(date +%s%N)
	run_program "$kind" "$polyrun" storm -drive "file=$disk,if=virtio,format=raw,readonly=on" \
		-- '^STORM msip 200000$' '^STORM plic 200000$' '^STORM uart 200000$' \
		'^STORM notify 200000$' '^STORM reads 20000$' '^STORM mixed 50000$' '^STORM-OK$'
	awk -v ns=$(($(date +%s%N) - start)) -v kind="$kind" \
		'BEGIN { printf "    %s storm: %.1f s\n", kind, ns / 1e9 }'
done
finish
