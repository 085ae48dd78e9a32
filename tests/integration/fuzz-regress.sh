#!/usr/bin/env bash
# Replays the fuzzing corpora on every `make test`: each libFuzzer target of tests/fuzz/ is built
# (build/fuzz/, clang with ASan+UBSan) and runs once over every seed (tests/fuzz/corpus/ and
# tests/fuzz/make-seeds.py) and every input that once crashed it (tests/fuzz/regress/). One line
# per target: "PASS fuzz-regress/TARGET", or FAIL naming the first input that failed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
suite=fuzz-regress
logs=$LOG_DIR/$suite
mkdir -p "$logs"

if ! make --no-print-directory -j"${JOBS:-2}" fuzz-targets >"$logs/build.log" 2>&1; then
	fail "$suite/build" "make fuzz-targets failed; see ${logs#"$ROOT"/}/build.log"
	finish
	exit
fi
if ! python3 tests/fuzz/make-seeds.py build/fuzz/seeds >"$logs/seeds.log" 2>&1; then
	fail "$suite/seeds" "tests/fuzz/make-seeds.py failed; see ${logs#"$ROOT"/}/seeds.log"
	finish
	exit
fi

shopt -s nullglob
for src in tests/fuzz/fuzz_*.c; do
	target=$(basename "$src" .c)
	inputs=(tests/fuzz/corpus/"$target"/* build/fuzz/seeds/"$target"/* tests/fuzz/regress/"$target"/*)
	log=$logs/$target.log
	if [ "${#inputs[@]}" = 0 ]; then
		fail "$suite/$target" "no seed or regression input"
		continue
	fi
	# Files as arguments: libFuzzer runs each once and stops at the first that fails.
	if run_captured "$log" 120 "build/fuzz/$target" -timeout=10 -rss_limit_mb=2048 "${inputs[@]}"; then
		pass "$suite/$target"
	else
		input=$(sed -n -E 's/^Running: (.*)$/\1/p' "$log" | tail -n 1)
		fail "$suite/$target" "${input:-an input} failed; see ${log#"$ROOT"/}"
	fi
done
finish
