#!/usr/bin/env bash
# Runs every cmocka unit-test program under BUILD_DIR/tests/unit and turns cmocka's TAP output
# into one PASS/FAIL line per test case. A program that dies before reporting all its cases
# (a crash, a sanitizer abort) counts as a failure of its own.
# Usage: tests/unit/run.sh BUILD_DIR   (build/host, or build/host-san for ASan+UBSan)
set -uo pipefail
build=$1
suite=unit
case "$build" in *-san) suite=unit-sanitized ;; esac
log_dir=build/test-logs/$suite
mkdir -p "$log_dir"
status=0
shopt -s nullglob
programs=("$build"/tests/unit/test_*)
programs=("${programs[@]/*.[od]/}")
if [ "${#programs[@]}" = 0 ]; then
	echo "FAIL $suite (no unit-test programs in $build/tests/unit)"
	exit 1
fi
for program in "${programs[@]}"; do
	[ -n "$program" ] && [ -x "$program" ] || continue
	name=$(basename "$program")
	log="$log_dir/$name.log"
	CMOCKA_MESSAGE_OUTPUT=TAP ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		timeout 120 "$program" >"$log" 2>&1
	rc=$?
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n1)
	reported=$(grep -c -E '^(not )?ok [0-9]+ ' "$log")
	sed -n -E "s|^ok [0-9]+ - (.*)$|PASS $suite/$name/\1|p; s|^not ok [0-9]+ - (.*)$|FAIL $suite/$name/\1 (see $log)|p" "$log"
	grep -q '^not ok [0-9]' "$log" && status=1
	if [ -z "$planned" ] || [ "$reported" -lt "$planned" ]; then
		echo "FAIL $suite/$name (exit status $rc before all cases reported; see $log)"
		status=1
	fi
done
exit "$status"
