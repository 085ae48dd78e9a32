# Shared helpers for integration tests: start a command (QEMU or polyrun) with a timeout, capture
# its serial output into build/test-logs/, check expected lines in order, and report one line per
# check in the form every suite uses: "PASS suite/name", "FAIL suite/name (why)",
# "SKIP suite/name (why)". Sourced by tests/integration/*.sh.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOG_DIR="$ROOT/build/test-logs"
mkdir -p "$LOG_DIR"
TEST_FAILURES=0

pass() { echo "PASS $1"; }
fail() {
	echo "FAIL $1 ($2)"
	TEST_FAILURES=$((TEST_FAILURES + 1))
}
skip() { echo "SKIP $1 ($2)"; }

# run_captured LOG SECONDS CMD...: runs CMD with no stdin, stdout+stderr into LOG, killed after
# SECONDS. Returns CMD's status (124 on timeout).
run_captured() {
	local log=$1 seconds=$2
	shift 2
	mkdir -p "$(dirname "$log")"
	timeout --kill-after=5 "$seconds" "$@" </dev/null >"$log" 2>&1
}

# expect_lines LOG PATTERN...: each extended regex must match a line after the previous match.
# On failure prints the first pattern not found and returns 1.
expect_lines() {
	local log=$1 from=1 pattern found
	shift
	for pattern in "$@"; do
		found=$(tail -n "+$from" "$log" | tr -d '\r' | grep -n -E -m1 -- "$pattern" | cut -d: -f1)
		if [ -z "$found" ]; then
			echo "missing line /$pattern/ (log: ${log#"$ROOT"/})"
			return 1
		fi
		from=$((from + found))
	done
}

# check NAME LOG PATTERN...: expect_lines, reported as one PASS/FAIL line.
check() {
	local name=$1 log=$2 why
	shift 2
	if why=$(expect_lines "$log" "$@"); then
		pass "$name"
	else
		fail "$name" "$why"
	fi
}

# finish: the exit status of a suite script.
finish() {
	[ "$TEST_FAILURES" = 0 ]
}
