#!/usr/bin/env bash
# `make coverage`: runs the host-run tests on a --coverage build and writes lcov's HTML report to
# build/coverage/index.html, ending with one line of totals.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
build=build/host-cov
out=build/coverage
make --no-print-directory -j"${JOBS:-2}" HOST_COVERAGE=1 polyrun unit-tests >/dev/null
lcov --quiet --zerocounters --directory "$build"
tests/unit/run.sh "$build" >/dev/null || echo "coverage: some unit tests failed (make test shows which)" >&2
for suite in tests/integration/polyrun-*.sh; do
	[ -x "$suite" ] && POLYRUN="$ROOT/$build/polyrun" "$suite" >/dev/null || true
done
mkdir -p "$out"
lcov --quiet --capture --directory "$build" --base-directory "$ROOT" --no-external \
	--output-file "$out/all.info" 2>"$out/geninfo.log"
lcov --quiet --remove "$out/all.info" "$ROOT/tests/*" --output-file "$out/coverage.info"
genhtml --quiet --title "Polyvisor host-run tests" --output-directory "$out" "$out/coverage.info"
lines=$(lcov --summary "$out/coverage.info" 2>&1 | sed -n 's/^ *lines\.*: *//p')
functions=$(lcov --summary "$out/coverage.info" 2>&1 | sed -n 's/^ *functions\.*: *//p')
echo "coverage: lines $lines, functions $functions ($out/index.html)"
