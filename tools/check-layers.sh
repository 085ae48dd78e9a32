#!/usr/bin/env bash
# Fails when a source file includes a header from a higher layer (ARCHITECTURE.md's table), or
# when freestanding code (layers 1-6) includes a header outside the C library subset it may use.
# Usage: tools/check-layers.sh FILE...
set -u

layer_of() {
	case "$1" in
	lib/*) echo 1 ;;
	mmu/* | ir/*) echo 2 ;;
	kernel/* | boot/* | jit/*) echo 3 ;;
	interp/* | virtio/* | dev/*) echo 4 ;;
	arch/*/guest/*) echo 5 ;;
	vmx/*) echo 6 ;;
	arch/*/host/* | uefi/* | tools/*) echo 7 ;;
	*) echo 0 ;;
	esac
}

# Headers that need no OS: what the freestanding core may take from the compiler and libc.
FREESTANDING_HEADERS=' stdint.h stddef.h stdbool.h stdarg.h stdatomic.h stdalign.h stdnoreturn.h '
FREESTANDING_HEADERS+='limits.h float.h string.h strings.h stdlib.h ctype.h inttypes.h math.h '
FREESTANDING_HEADERS+='fenv.h libfdt.h fdt.h '

status=0
for file in "$@"; do
	mine=$(layer_of "$file")
	[ "$mine" = 0 ] && continue
	lineno=0
	while IFS= read -r line; do
		lineno=$((lineno + 1))
		case "$line" in
		\#*include*) ;;
		*) continue ;;
		esac
		if [[ "$line" =~ ^#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]]; then
			target=${BASH_REMATCH[1]}
			case "$target" in */*) ;; *) continue ;; esac
			theirs=$(layer_of "$target")
			if [ "$theirs" -gt "$mine" ]; then
				echo "$file:$lineno: $line: layer $mine may not include layer $theirs" >&2
				status=1
			fi
		elif [[ "$line" =~ ^#[[:space:]]*include[[:space:]]*\<([^\>]+)\> ]]; then
			target=${BASH_REMATCH[1]}
			if [ "$mine" -le 6 ] && [[ "$FREESTANDING_HEADERS" != *" $target "* ]]; then
				echo "$file:$lineno: $line: freestanding layer $mine may not include <$target>" >&2
				status=1
			fi
		fi
	done <"$file"
done
[ "$status" = 0 ] || echo "layering check failed (see ARCHITECTURE.md, 'Folders and what they own')" >&2
exit "$status"
