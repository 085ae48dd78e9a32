#!/usr/bin/env bash
# SMP on the spike board: the tests/isa/riscv64/smp-*.S programs (atomics under contention, CLINT
# IPIs waking harts from WFI) run with four harts under QEMU's spike board first, which proves
# the tests right, then under polyrun several times (a race shows up only now and then), and
# finally both at once as two VMs of one polyrun -c config.
# Usage: tests/integration/smp-riscv64.sh   (POLYRUN=path overrides build/host/polyrun)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
POLYRUN=${POLYRUN:-$ROOT/build/host/polyrun}
suite=smp-riscv64
logs=$LOG_DIR/$suite
mkdir -p "$logs"
harts=4
repeats=5
names=(smp-atomics smp-ipi)

if ! tests/isa/riscv64/build.sh "${names[@]}" >/dev/null 2>"$logs/build.log"; then
	fail "$suite/build" "tests/isa/riscv64/build.sh failed; see ${logs#"$ROOT"/}/build.log"
	finish
	exit
fi
elf() { echo "$ROOT/build/isa/riscv64/$1.elf"; }

# report NAME STATUS LOG: QEMU and polyrun both exit 0 on pass; a failed check is not 0.
report() {
	case "$2" in
	0) pass "$1" ;;
	124 | 137) fail "$1" "timed out; log: ${3#"$ROOT"/}" ;;
	*) fail "$1" "exit status $2; log: ${3#"$ROOT"/}" ;;
	esac
}

for name in "${names[@]}"; do
	log=$logs/qemu-$name.log
	run_captured "$log" 30 qemu-system-riscv64 -M spike -smp "$harts" -bios none \
		-kernel "$(elf "$name")" -nographic -no-reboot
	report "$suite/qemu/$name" $? "$log"
done

if [ ! -x "$POLYRUN" ]; then
	fail "$suite/polyrun" "${POLYRUN#"$ROOT"/} is not built (make polyrun)"
	finish
	exit
fi
for name in "${names[@]}"; do
	status=0
	for run in $(seq "$repeats"); do
		log=$logs/polyrun-$name-$run.log
		run_captured "$log" 30 "$POLYRUN" -M spike -smp "$harts" -bios none \
			-kernel "$(elf "$name")"
		status=$?
		[ "$status" = 0 ] || break
	done
	report "$suite/polyrun/$name" "$status" "$log"
done

# Two VMs of four harts each, run at once: polyrun ends when both have, with status 0.
config=$logs/two-vms.cfg
cat >"$config" <<CFG
[vm atomics]
isa = riscv64
board = spike
cpus = $harts
memory = 64M
kernel = $(elf smp-atomics)

[vm ipi]
isa = riscv64
board = spike
cpus = $harts
memory = 64M
kernel = $(elf smp-ipi)
CFG
log=$logs/polyrun-two-vms.log
run_captured "$log" 30 "$POLYRUN" -c "$config"
report "$suite/polyrun/two-vms" $? "$log"
finish
