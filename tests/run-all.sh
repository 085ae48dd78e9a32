#!/usr/bin/env bash
# Runs every suite and sums them. Each suite prints one line per check ("PASS x", "FAIL x (why)",
# "SKIP x (why)"); the last line of the whole run is "tests: N passed, N failed[, N skipped]" and
# the exit status is non-zero when anything failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JOBS=${JOBS:-2}
LOG_DIR=build/test-logs
mkdir -p "$LOG_DIR"
RESULTS="$LOG_DIR/results.txt"
: >"$RESULTS"

# suite NAME CMD...: runs a suite, keeps its PASS/FAIL/SKIP lines, and counts a suite that failed
# without saying which check (a crash, a build error) as one failure of its own.
suite() {
	local name=$1 out="$LOG_DIR/suite-$1.log" status
	shift
	echo "== $name"
	"$@" >"$out" 2>&1
	status=$?
	grep -E '^(PASS|FAIL|SKIP) ' "$out" | tee -a "$RESULTS"
	if [ "$status" != 0 ] && ! grep -q '^FAIL ' "$out"; then
		echo "FAIL $name (exit status $status; see $out)" | tee -a "$RESULTS"
		tail -n 20 "$out" | sed 's/^/    /'
	fi
}

suite build tests/build.sh
suite format tools/format-check.sh --report $(git ls-files '*.c' '*.h')
suite layering tests/integration/check-layers.sh
suite unit tests/unit/run.sh build/host
suite unit-sanitized tests/unit/run.sh build/host-san
for t in tests/integration/*.sh; do
	case "$t" in */lib.sh | */check-layers.sh) continue ;; esac
	suite "$(basename "$t" .sh)" "$t"
done

passed=$(grep -c '^PASS ' "$RESULTS")
failed=$(grep -c '^FAIL ' "$RESULTS")
skipped=$(grep -c '^SKIP ' "$RESULTS")
line="tests: $passed passed, $failed failed"
[ "$skipped" = 0 ] || line="$line, $skipped skipped"
echo "$line"
[ "$failed" = 0 ]
