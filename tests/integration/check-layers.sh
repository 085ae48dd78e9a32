#!/usr/bin/env bash
# The layering rule of ARCHITECTURE.md holds for the tree, and the checker catches violations
# with the offending file and line.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
checker="$ROOT/tools/check-layers.sh"

mapfile -t sources < <(git ls-files '*.c' '*.h' | grep -v '^tests/')
if out=$("$checker" "${sources[@]}" 2>&1); then
	pass layering/tree-respects-layers
else
	fail layering/tree-respects-layers "$(echo "$out" | head -n1)"
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/lib" "$scratch/kernel"
printf '#include <stdint.h>\n#include "kernel/vm.h"\n' >"$scratch/lib/upward.c"
printf '#include "lib/fmt.h"\n#include <stdio.h>\n' >"$scratch/kernel/hosted.c"
printf '#include "lib/fmt.h"\n#include <string.h>\n' >"$scratch/kernel/good.c"

expect_rejection() {
	local name=$1 file=$2 pattern=$3 out
	if out=$(cd "$scratch" && "$checker" "$file" 2>&1); then
		fail "layering/$name" "checker accepted $file"
	elif echo "$out" | grep -q -E -- "$pattern"; then
		pass "layering/$name"
	else
		fail "layering/$name" "unexpected message: $(echo "$out" | head -n1)"
	fi
}
expect_rejection rejects-upward-include lib/upward.c '^lib/upward.c:2: .*layer 1 may not include layer 3'
expect_rejection rejects-os-header-in-core kernel/hosted.c '^kernel/hosted.c:2: .*<stdio.h>'
if (cd "$scratch" && "$checker" kernel/good.c >/dev/null 2>&1); then
	pass layering/accepts-downward-include
else
	fail layering/accepts-downward-include "checker rejected kernel/good.c"
fi
finish
