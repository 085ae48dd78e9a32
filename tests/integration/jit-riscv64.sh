#!/usr/bin/env bash
# The JIT's engines on riscv64 guests: the ISA test programs of isa-riscv64.sh (same build, same
# tohost convention) and a short run of difftest-riscv64.sh's random streams, each under
# polyrun's jit and hybrid engines (-accel jit, -accel hybrid), which must give the results the
# interpreter gives. A check that host code really ran guards against an engine that quietly
# interprets everything.
# Environment: JIT_DIFFTEST_STREAMS (default 300), DIFFTEST_SEED (default 1), POLYRUN.
set -uo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
POLYRUN=${POLYRUN:-$ROOT/build/host/polyrun}
suite=jit-riscv64
logs=$LOG_DIR/$suite
out=$ROOT/build/jit-difftest
ENGINES="jit hybrid"
BATCH=100
streams=${JIT_DIFFTEST_STREAMS:-300}
# Seeds apart from difftest-riscv64.sh's, so the two suites cover different streams.
base_seed=$((${DIFFTEST_SEED:-1} * 100000 + 50000))
mkdir -p "$logs" "$out"

if [ "$(uname -m)" != x86_64 ]; then
	skip "$suite" "the JIT has a backend for x86_64 hosts only"
	finish
	exit
fi
if [ ! -x "$POLYRUN" ]; then
	fail "$suite" "${POLYRUN#"$ROOT"/} is not built (make build/host/polyrun)"
	finish
	exit
fi
if ! elfs=$(tests/isa/riscv64/build.sh 2>"$logs/build.log"); then
	fail "$suite/build" "tests/isa/riscv64/build.sh failed; see ${logs#"$ROOT"/}/build.log"
	finish
	exit
fi

# The benchmark's loop program (tools/bench/riscv64/loops.c) runs its blocks often enough for
# hybrid to compile them; its checksum under each engine must be the interpreter's.
loops=$out/loops-spike.elf
if ! riscv64-linux-gnu-gcc -O2 -march=rv64gc -mabi=lp64d -ffreestanding -fno-pic -nostdlib \
	-static -fno-stack-protector -mcmodel=medany -Wl,--no-relax -Wl,--build-id=none \
	-T tools/bench/riscv64/spike.ld -o "$loops" tools/bench/riscv64/spike.S \
	tools/bench/riscv64/loops.c >"$logs/loops-build.log" 2>&1; then
	fail "$suite/build" "the loop program did not build; see ${logs#"$ROOT"/}/loops-build.log"
	finish
	exit
fi
run_captured "$logs/loops-interp.log" 60 "$POLYRUN" -M spike -bios none -accel interp \
	-kernel "$loops"
sum=$(grep -m1 -E '^[0-9a-f]{16}' "$logs/loops-interp.log")

# Exit status 3 is polyrun's "no engine can run this guest": the engines are not registered.
missing=0
for engine in $ENGINES; do
	log=$logs/loops-$engine.log
	run_captured "$log" 60 "$POLYRUN" -M spike -bios none -accel "$engine" -d stats \
		-kernel "$loops"
	status=$?
	if [ "$status" = 3 ]; then
		why="polyrun cannot run the $engine engine: tools/polyrun/main.c must call"
		fail "$suite/$engine" "$why jit_engine_register() (interp/emu.h); log: ${log#"$ROOT"/}"
		missing=1
	elif [ "$status" != 0 ] || [ -z "$sum" ] || ! grep -q -x -F "$sum" "$log"; then
		why="exit status $status, checksum not the interpreter's (${sum:-none})"
		fail "$suite/$engine/loops" "$why; log: ${log#"$ROOT"/}"
	elif ! grep -q -E 'jit: [1-9][0-9]* blocks compiled, .* [1-9][0-9]* runs of host code' \
		"$log"; then
		fail "$suite/$engine/loops" "no block ran as host code; log: ${log#"$ROOT"/}"
	else
		pass "$suite/$engine/loops"
	fi
done
if [ "$missing" = 1 ]; then
	finish
	exit
fi

# ---- ISA programs: polyrun exits 0 on pass, 1 on a failed test whose number it prints -------
for engine in $ENGINES; do
	for elf in $elfs; do
		name=$(basename "$elf" .elf)
		log=$logs/$engine-$name.log
		run_captured "$log" 30 "$POLYRUN" -M spike -bios none -accel "$engine" -kernel "$elf"
		status=$?
		case "$status" in
		0) pass "$suite/$engine/$name" ;;
		124 | 137) fail "$suite/$engine/$name" "timed out; log: ${log#"$ROOT"/}" ;;
		1) fail "$suite/$engine/$name" "$(grep -o -E -m1 'test [0-9]+' "$log" ||
			echo 'exit status 1') failed; log: ${log#"$ROOT"/}" ;;
		*) fail "$suite/$engine/$name" "exit status $status; log: ${log#"$ROOT"/}" ;;
		esac
	done
done

# ---- random streams: qemu-riscv64 gives the reference dump, as in difftest-riscv64.sh -------
declare -A failures
for engine in $ENGINES; do
	failures[$engine]=0
done
done_streams=0 batch=0 build_failures=0
while [ "$done_streams" -lt "$streams" ]; do
	seed=$((base_seed + batch))
	count=$((streams - done_streams < BATCH ? streams - done_streams : BATCH))
	done_streams=$((done_streams + count))
	batch=$((batch + 1))
	if ! tests/difftest/build.sh "$seed" "$count" "$out" >"$out/batch-$seed-build.log" 2>&1; then
		fail "$suite/difftest/batch-$seed" \
			"tests/difftest/build.sh failed; see ${out#"$ROOT"/}/batch-$seed-build.log"
		build_failures=$((build_failures + 1))
		continue
	fi
	run_captured "$out/batch-$seed-ref.txt" 60 qemu-riscv64 "$out/batch-$seed-linux.elf"
	status=$?
	if [ "$status" != 0 ]; then
		fail "$suite/difftest/batch-$seed" "qemu-riscv64 exited with status $status"
		build_failures=$((build_failures + 1))
		continue
	fi
	ok=1
	for engine in $ENGINES; do
		got=$out/batch-$seed-$engine.txt
		# stdout is the guest's console; polyrun's own lines go to stderr.
		timeout --kill-after=5 120 "$POLYRUN" -M spike -bios none -accel "$engine" \
			-kernel "$out/batch-$seed-spike.elf" </dev/null 2>"$got.err" |
			tr -d '\r' >"$got"
		if ! cmp -s "$out/batch-$seed-ref.txt" "$got"; then
			line=$(cmp "$out/batch-$seed-ref.txt" "$got" 2>/dev/null |
				grep -o -E 'line [0-9]+' | grep -o -E '[0-9]+')
			stream=$(head -n "${line:-1}" "$out/batch-$seed-ref.txt" | grep -E '^stream ' |
				tail -n 1)
			why="${stream:-output} differs at line ${line:-?} (${got#"$ROOT"/}; rebuild:"
			fail "$suite/difftest/$engine/batch-$seed" \
				"$why tests/difftest/build.sh $seed $count DIR)"
			failures[$engine]=$((failures[$engine] + 1))
			ok=0
		fi
	done
	# Keep only the batches that failed, to look at.
	[ "$ok" = 0 ] || rm -f "$out/batch-$seed".* "$out/batch-$seed"-*
done
if [ "$build_failures" = 0 ]; then
	for engine in $ENGINES; do
		[ "${failures[$engine]}" = 0 ] && pass "$suite/difftest/$engine ($streams streams)"
	done
fi
finish
