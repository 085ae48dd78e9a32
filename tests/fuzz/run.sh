#!/usr/bin/env bash
# `make fuzz`: runs each libFuzzer target of build/fuzz/ for FUZZ_SECONDS (default 60), one after
# the other, from its seeds (tests/fuzz/corpus/, tests/fuzz/make-seeds.py, the regression inputs)
# and the corpus earlier runs grew in build/fuzz/corpus/TARGET/, then prints one table of execs
# and failures per target. libFuzzer runs in fork mode so that a crash, hang or OOM does not end
# the run: every input that failed is copied into tests/fuzz/regress/TARGET/, which
# tests/integration/fuzz-regress.sh replays on every `make test`, and the exit status is 1.
# Usage: tests/fuzz/run.sh TARGET...   (after `make fuzz-targets`)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
OUT=build/fuzz
LOGS=build/test-logs/fuzz
mkdir -p "$LOGS"
if ! python3 tests/fuzz/make-seeds.py "$OUT/seeds" >"$LOGS/seeds.log" 2>&1; then
	echo "fuzz: could not make the seeds; see $LOGS/seeds.log" >&2
	exit 1
fi

# The last progress line of a fork-mode run:
#   #758759: cov: 467 ft: 1197 corp: 211 exec/s 34333 oom/timeout/crash: 0/0/0 time: 20s ...
# FIELDS LOG: "execs exec/s oom timeout crash", or nothing when the run never got that far (grep
# -a: a log may hold the raw bytes of an input).
fields() {
	local progress='^#([0-9]+):.* exec/s ([0-9]+) oom/timeout/crash: ([0-9]+)/([0-9]+)/([0-9]+).*'

	grep -a -E '^#[0-9]+: cov:' "$1" | tail -n 1 | sed -E "s|$progress|\\1 \\2 \\3 \\4 \\5|"
}

rows=()
status=0
for target in "$@"; do
	bin=$OUT/$target
	artifacts=$OUT/artifacts/$target
	log=$LOGS/$target.log
	rm -rf "$artifacts"
	mkdir -p "$artifacts" "$OUT/corpus/$target"
	# The first directory is where libFuzzer keeps what it finds; the others are read only.
	corpora=("$OUT/corpus/$target")
	for dir in "$OUT/seeds/$target" "tests/fuzz/corpus/$target" "tests/fuzz/regress/$target"; do
		[ -d "$dir" ] && corpora+=("$dir")
	done
	echo "fuzz: $target for ${SECONDS_PER_TARGET}s"
	# A run that outlives its budget by far is stuck in libFuzzer itself: timeout ends it.
	timeout --kill-after=10 $((SECONDS_PER_TARGET + 120)) "$bin" -fork=1 -ignore_crashes=1 \
		-ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" \
		"${corpora[@]}" >"$log" 2>&1
	rc=$?
	read -r execs rate ooms timeouts crashes <<<"$(fields "$log")"
	saved=0
	for input in "$artifacts"/*; do
		[ -f "$input" ] || continue
		mkdir -p "tests/fuzz/regress/$target"
		cp "$input" "tests/fuzz/regress/$target/"
		saved=$((saved + 1))
	done
	if [ -z "${execs:-}" ]; then
		rows+=("$(printf '%-18s %12s %9s %8s  %s' "$target" - - - "did not run (exit $rc; see $log)")")
		status=1
		continue
	fi
	failures=$((ooms + timeouts + crashes))
	note=""
	if [ "$failures" != 0 ] || [ "$saved" != 0 ]; then
		note="$saved input(s) -> tests/fuzz/regress/$target/ (see $log)"
		status=1
	fi
	rows+=("$(printf '%-18s %12s %9s %8s  %s' "$target" "$execs" "$rate" \
		"$crashes/$timeouts/$ooms" "$note")")
done

echo
printf '%-18s %12s %9s %8s\n' target execs exec/s "crash/timeout/oom"
printf '%s\n' "${rows[@]}"
exit "$status"
