#!/usr/bin/env bash
# The riscv64 ISA test programs (tests/isa/riscv64/, tohost convention): each runs under QEMU's
# spike board first, which proves the test itself right, then under polyrun's spike board.
# QEMU exits with status N when test N fails (0 on pass). While polyrun has no riscv64 engine
# (it exits with status 3), each polyrun run is one SKIP line.
# Usage: tests/integration/isa-riscv64.sh [NAME...]   (POLYRUN=path overrides build/host/polyrun)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
POLYRUN=${POLYRUN:-$ROOT/build/host/polyrun}
suite=isa-riscv64
logs=$LOG_DIR/$suite
mkdir -p "$logs"

if ! elfs=$(tests/isa/riscv64/build.sh "$@" 2>"$logs/build.log"); then
	fail "$suite/build" "tests/isa/riscv64/build.sh failed; see ${logs#"$ROOT"/}/build.log"
	finish
	exit
fi

# report ENGINE NAME STATUS LOG: one PASS/FAIL line from a tohost exit status.
report() {
	local engine=$1 name=$2 status=$3 log=$4
	case "$status" in
	0) pass "$suite/$engine/$name" ;;
	124 | 137) fail "$suite/$engine/$name" "timed out; log: ${log#"$ROOT"/}" ;;
	*) fail "$suite/$engine/$name" "test $status failed; log: ${log#"$ROOT"/}" ;;
	esac
}

for elf in $elfs; do
	name=$(basename "$elf" .elf)
	log=$logs/qemu-$name.log
	run_captured "$log" 30 qemu-system-riscv64 -M spike -bios none -kernel "$elf" -nographic \
		-no-reboot
	report qemu "$name" $? "$log"
done

# polyrun exits 0 on pass and 1 on a failed test, whose number it prints: any other status is
# a failure of polyrun itself.
run_polyrun() {
	local elf=$1 name log status number
	name=$(basename "$elf" .elf)
	log=$logs/polyrun-$name.log
	run_captured "$log" 30 "$POLYRUN" -M spike -bios none -kernel "$elf"
	status=$?
	case "$status" in
	0 | 124 | 137) report polyrun "$name" "$status" "$log" ;;
	1)
		number=$(grep -o -E -m1 'test [0-9]+' "$log" | grep -o -E '[0-9]+')
		if [ -n "$number" ]; then
			report polyrun "$name" "$number" "$log"
		else
			fail "$suite/polyrun/$name" "exit status 1 without a test number; log: ${log#"$ROOT"/}"
		fi
		;;
	*) fail "$suite/polyrun/$name" "exit status $status; log: ${log#"$ROOT"/}" ;;
	esac
}

if [ ! -x "$POLYRUN" ]; then
	fail "$suite/polyrun" "${POLYRUN#"$ROOT"/} is not built (make build/host/polyrun)"
	finish
	exit
fi
# Exit status 3 is polyrun's "no engine can run this guest".
probe_log=$logs/polyrun-probe.log
first=${elfs%%[[:space:]]*}
run_captured "$probe_log" 30 "$POLYRUN" -M spike -bios none -kernel "$first"
if [ "$?" = 3 ]; then
	for elf in $elfs; do
		skip "$suite/polyrun/$(basename "$elf" .elf)" "polyrun has no riscv64 engine yet"
	done
else
	for elf in $elfs; do
		run_polyrun "$elf"
	done
fi
finish
