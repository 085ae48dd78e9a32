#!/usr/bin/env bash
# Checks C sources against .clang-format and names every file that differs.
# With --report, also one PASS/FAIL line for the test summary.
# Usage: tools/format-check.sh [--report] FILE...
set -uo pipefail
report=0
if [ "${1:-}" = --report ]; then
	report=1
	shift
fi
bad=()
for file in "$@"; do
	clang-format --dry-run -Werror "$file" >/dev/null 2>&1 || bad+=("$file")
done
for file in "${bad[@]}"; do
	echo "not formatted: $file (run 'make format')" >&2
done
if [ "$report" = 1 ]; then
	if [ "${#bad[@]}" = 0 ]; then
		echo "PASS format/clang-format ($# files)"
	else
		echo "FAIL format/clang-format (${#bad[@]} of $# files differ; run 'make format')"
	fi
fi
[ "${#bad[@]}" = 0 ]
