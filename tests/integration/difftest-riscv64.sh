#!/usr/bin/env bash
# Differential test of riscv64 user-mode instruction streams (tests/difftest/): batches of
# random streams from tests/difftest/gen.c. qemu-riscv64 (Debian's qemu-user) running the Linux
# wrapper gives the reference dump of every stream. Two comparisons against it:
# - wrappers: the bare-metal spike wrapper of the same streams under qemu-system-riscv64 -M
#   spike must print the identical dump, which proves the two wrappers equivalent, so that
# - polyrun: the spike wrapper under polyrun must print it too.
# While polyrun has no riscv64 engine (status 3), its comparison is one SKIP line and the
# wrapper check runs on fewer streams.
# Environment: DIFFTEST_STREAMS (default 10000 when polyrun can run them, else 200),
# DIFFTEST_SEED (default 1; batch b uses seed DIFFTEST_SEED * 100000 + b), POLYRUN.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
POLYRUN=${POLYRUN:-$ROOT/build/host/polyrun}
suite=difftest-riscv64
out=$ROOT/build/difftest
BATCH=100 # streams per program: one emulator start-up serves them all
base_seed=$((${DIFFTEST_SEED:-1} * 100000))
mkdir -p "$out"

# build_batch SEED COUNT: both ELFs of one batch; prints why on failure.
build_batch() {
	if ! tests/difftest/build.sh "$1" "$2" "$out" >"$out/batch-$1-build.log" 2>&1; then
		echo "tests/difftest/build.sh $1 $2 failed; see ${out#"$ROOT"/}/batch-$1-build.log"
		return 1
	fi
}

# compare REF GOT SEED COUNT: prints the first differing stream of a batch, or nothing.
compare() {
	local ref=$1 got=$2 seed=$3 count=$4 line stream
	if cmp -s "$ref" "$got"; then
		return 0
	fi
	line=$(cmp "$ref" "$got" 2>/dev/null | grep -o -E 'line [0-9]+' | grep -o -E '[0-9]+')
	stream=$(head -n "${line:-1}" "$ref" | grep -E '^stream ' | tail -n 1)
	echo "batch $seed: ${stream:-output} differs at line ${line:-?} (${got#"$ROOT"/} vs" \
		"${ref#"$ROOT"/}; rebuild: tests/difftest/build.sh $seed $count DIR)"
	return 1
}

# qemu_reference SEED: the reference dump of a batch, from qemu-riscv64.
qemu_reference() {
	local seed=$1 status
	run_captured "$out/batch-$seed-ref.txt" 60 qemu-riscv64 "$out/batch-$seed-linux.elf"
	status=$?
	if [ "$status" != 0 ]; then
		echo "batch $seed: qemu-riscv64 exited with status $status"
		return 1
	fi
}

# check_wrappers SEED COUNT: the spike wrapper under QEMU prints the reference dump.
check_wrappers() {
	local seed=$1 count=$2
	run_captured "$out/batch-$seed-qemu-spike.txt" 60 qemu-system-riscv64 -M spike -bios none \
		-kernel "$out/batch-$seed-spike.elf" -nographic -no-reboot
	tr -d '\r' <"$out/batch-$seed-qemu-spike.txt" >"$out/batch-$seed-qemu-spike.clean"
	compare "$out/batch-$seed-ref.txt" "$out/batch-$seed-qemu-spike.clean" "$seed" "$count"
}

# ---- polyrun -------------------------------------------------------------------------------
# The comparison of polyrun against qemu-riscv64. polyrun_ready decides whether it runs: it is
# on as soon as polyrun can run a riscv64 spike program (anything but exit status 3, "no engine
# can run this guest").
polyrun_ready() {
	[ -x "$POLYRUN" ] || return 1
	run_captured "$out/polyrun-probe.txt" 60 "$POLYRUN" -M spike -bios none -kernel "$1"
	[ "$?" != 3 ]
}

# check_polyrun SEED COUNT: the spike wrapper under polyrun prints the reference dump.
check_polyrun() {
	local seed=$1 count=$2
	# stdout is the guest's console; polyrun's own lines go to stderr.
	timeout --kill-after=5 120 "$POLYRUN" -M spike -bios none -kernel "$out/batch-$seed-spike.elf" \
		</dev/null >"$out/batch-$seed-polyrun.txt" 2>"$out/batch-$seed-polyrun.err"
	tr -d '\r' <"$out/batch-$seed-polyrun.txt" >"$out/batch-$seed-polyrun.clean"
	compare "$out/batch-$seed-ref.txt" "$out/batch-$seed-polyrun.clean" "$seed" "$count"
}
# ---------------------------------------------------------------------------------------------

if ! why=$(build_batch "$base_seed" 1); then
	fail "$suite/build" "$why"
	finish
	exit
fi
use_polyrun=0
if polyrun_ready "$out/batch-$base_seed-spike.elf"; then
	use_polyrun=1
fi
streams=${DIFFTEST_STREAMS:-$([ "$use_polyrun" = 1 ] && echo 10000 || echo 200)}

wrapper_failures=0 polyrun_failures=0 done_streams=0 batch=0
while [ "$done_streams" -lt "$streams" ]; do
	seed=$((base_seed + batch))
	count=$((streams - done_streams < BATCH ? streams - done_streams : BATCH))
	if ! why=$(build_batch "$seed" "$count") || ! why=$(qemu_reference "$seed"); then
		fail "$suite/batch-$seed" "$why"
		wrapper_failures=$((wrapper_failures + 1))
	else
		ok=1
		if ! why=$(check_wrappers "$seed" "$count"); then
			fail "$suite/wrappers/batch-$seed" "$why"
			wrapper_failures=$((wrapper_failures + 1))
			ok=0
		fi
		if [ "$use_polyrun" = 1 ] && ! why=$(check_polyrun "$seed" "$count"); then
			fail "$suite/polyrun/batch-$seed" "$why"
			polyrun_failures=$((polyrun_failures + 1))
			ok=0
		fi
		# A batch weighs about a megabyte: keep only the ones that failed, to look at.
		[ "$ok" = 0 ] || rm -f "$out/batch-$seed".* "$out/batch-$seed"-*
	fi
	done_streams=$((done_streams + count))
	batch=$((batch + 1))
done

[ "$wrapper_failures" = 0 ] && pass "$suite/wrappers ($streams streams)"
if [ "$use_polyrun" = 1 ]; then
	[ "$polyrun_failures" = 0 ] && pass "$suite/polyrun ($streams streams)"
else
	skip "$suite/polyrun" "polyrun has no riscv64 engine yet"
fi
finish
