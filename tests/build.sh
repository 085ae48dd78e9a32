#!/usr/bin/env bash
# Builds everything the other suites run: polyrun and the unit tests (plain and under
# ASan+UBSan) and polyvisor.efi for every host ISA. One PASS/FAIL line per build.
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
status=0
build() {
	local name=$1 log="build/test-logs/build-$1.log"
	shift
	mkdir -p build/test-logs
	if make --no-print-directory -j"$JOBS" "$@" >"$log" 2>&1; then
		echo "PASS build/$name"
	else
		echo "FAIL build/$name (see $log)"
		tail -n 15 "$log"
		status=1
	fi
}
build host polyrun unit-tests
build host-sanitized HOST_SANITIZE=1 polyrun unit-tests
for isa in x86_64 aarch64 riscv64; do
	build "$isa" "build/$isa/polyvisor.efi"
done
exit "$status"
