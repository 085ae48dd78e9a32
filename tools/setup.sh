#!/usr/bin/env bash
# `make deps`: installs every Debian package Polyvisor needs and builds the freestanding sysroots
# (GNU-EFI, newlib, libfdt per bare-metal host ISA) into the cache outside the tree.
# Runs before every `make test`/`make run`, so when everything is in place it prints nothing and
# returns in about a second. Idempotent; safe to rerun after a failure.
#   tools/setup.sh            install and build what is missing
#   tools/setup.sh --verify   also rebuild and boot the smoke-test EFI app of every ISA
# Environment: CACHE_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/polyvisor), JOBS (default 2).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/polyvisor}
WORK="$CACHE_DIR/work"
LOGS="$WORK/logs"
JOBS=${JOBS:-2}
export CACHE_DIR

# Bump when the way a sysroot is assembled changes: every sysroot is rebuilt on the next run. The
# flags newlib and libfdt are compiled with are part of the stamp as well (see sysroot_version).
SYSROOT_RECIPE=1
ISAS=(x86_64 aarch64 riscv64) # x86_64 first: it is the one most work waits on

PACKAGES=(
	# the test bench: emulators and their firmware; Bochs is the only VT-x (PLATFORM.md)
	qemu-system-x86 qemu-system-arm qemu-system-misc qemu-user qemu-utils
	ovmf qemu-efi-aarch64 u-boot-qemu opensbi ipxe-qemu
	bochs bochsbios vgabios bochs-term
	# compilers and the bare-metal SDKs (gcc only recommends libc6-dev, and we skip recommends)
	gcc libc6-dev make git python3 gnu-efi
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross
	gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libc6-dev-riscv64-cross
	# building the sysroots from Debian's source packages (apt-get source, dpkg-source)
	dpkg-dev debian-archive-keyring xz-utils bzip2
	# the hosted build and its tests
	libfdt-dev device-tree-compiler libcmocka-dev lcov gdb-multiarch clang-format gnuplot-nox
	# make fuzz: clang's libFuzzer and sanitizer runtimes (-fsanitize=fuzzer,address,undefined)
	clang libclang-rt-14-dev
	# disk images and guest initramfs
	mtools dosfstools gdisk fdisk cpio zstd e2fsprogs
)

step() { echo "setup: $*"; }
die() {
	echo "setup: error: $*" >&2
	exit 1
}
# die_log LOG MESSAGE: the message, the end of the build log and where the rest is.
die_log() {
	echo "setup: error: $2" >&2
	tail -n 25 "$1" | sed 's/^/  | /' >&2
	echo "setup: full log: $1" >&2
	exit 1
}
# run_logged LOG COMMAND...: runs the command with its output appended to LOG.
run_logged() {
	local log=$1 cmd
	shift
	cmd="$*"
	echo "+ $cmd" >>"$log"
	"$@" >>"$log" 2>&1 || die_log "$log" "failed: ${cmd:0:120}"
}

# ---- packages ----------------------------------------------------------------------------------

missing_packages() {
	# Status "ii" only: "rc" (removed, config left) or half-installed ones count as missing.
	comm -23 <(printf '%s\n' "${PACKAGES[@]}" | sort -u) \
		<(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${PACKAGES[@]}" 2>/dev/null |
			awk '$2 == "ii" {print $1}' | sort -u)
}

install_packages() {
	local missing sudo=() log="$LOGS/apt-install.log" pkg
	mapfile -t missing < <(missing_packages)
	[ "${#missing[@]}" -gt 0 ] || return 0
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null || die "not root and no sudo: install ${missing[*]}"
		sudo=(sudo)
	fi
	step "installing ${missing[*]}"
	mkdir -p "$LOGS" && : >"$log"
	"${sudo[@]}" apt-get -q update >>"$log" 2>&1 || die_log "$log" "apt-get update failed"
	if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y --no-install-recommends \
		install "${missing[@]}" >>"$log" 2>&1; then
		for pkg in "${missing[@]}"; do
			apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [^(]' ||
				echo "setup: error: package '$pkg' is not available from this machine's apt sources" >&2
		done
		die_log "$log" "apt-get install failed"
	fi
	mapfile -t missing < <(missing_packages)
	[ "${#missing[@]}" -eq 0 ] || die "still missing after apt-get install: ${missing[*]}"
}

# ---- sysroots ----------------------------------------------------------------------------------

# What a finished sysroot's stamp must say: the recipe and the flags its libraries were built with
# (one make call for all ISAs: this runs on every `make test`).
declare -A WANT_STAMP
load_sysroot_versions() {
	local flags isa i=1
	mapfile -t flags < <(toolchain_var EFI_LIBC_CFLAGS "${ISAS[@]/#/EFI_ARCH_CFLAGS_}")
	[ "${#flags[@]}" -eq $((${#ISAS[@]} + 1)) ] || die "could not read the flags of mk/toolchain.mk"
	for isa in "${ISAS[@]}"; do
		WANT_STAMP[$isa]="recipe=$SYSROOT_RECIPE cflags=${flags[0]} ${flags[i]}"
		i=$((i + 1))
	done
}

sysroot_current() {
	[ "$(cat "$CACHE_DIR/sysroot/$1/.complete" 2>/dev/null)" = "${WANT_STAMP[$1]}" ]
}

build_sysroots() {
	local isa verify=$1 todo=()
	for isa in "${ISAS[@]}"; do
		sysroot_current "$isa" && [ "$verify" = 0 ] || todo+=("$isa")
	done
	[ "${#todo[@]}" -gt 0 ] || return 0
	# One builder at a time (two `make test` at once on a CI machine); the second one waits,
	# then finds the stamps in place.
	mkdir -p "$CACHE_DIR" "$LOGS"
	exec 9>"$CACHE_DIR/setup.lock"
	flock 9
	for isa in "${todo[@]}"; do
		if ! sysroot_current "$isa"; then
			build_sysroot "$isa"
			verify_sysroot "$isa"
			echo "${WANT_STAMP[$isa]}" >"$CACHE_DIR/sysroot/$isa/.complete"
			rm -rf "${WORK:?}/$isa"
			step "sysroot for $isa ready: $CACHE_DIR/sysroot/$isa"
		elif [ "$verify" = 1 ]; then
			verify_sysroot "$isa"
		fi
	done
	rm -rf "${WORK:?}/src" "$WORK/empty"
}

# verify_sysroot ISA: links a throwaway EFI app against the sysroot with mk/toolchain.mk's flags
# and boots it under QEMU and the ISA's firmware.
verify_sysroot() {
	step "checking the $1 sysroot: a test EFI app with newlib and libfdt, booted under QEMU"
	"$ROOT/tools/setup/smoke.sh" "$1" || die "the $1 sysroot does not work (see above)"
}

main() {
	local verify=0
	case "${1:-}" in
	"") ;;
	--verify) verify=1 ;;
	*) die "usage: tools/setup.sh [--verify]" ;;
	esac
	install_packages
	# shellcheck source=tools/lib/apt-private.sh
	. "$ROOT/tools/lib/apt-private.sh"
	# shellcheck source=tools/setup/sysroot.sh
	. "$ROOT/tools/setup/sysroot.sh"
	load_sysroot_versions
	build_sysroots "$verify"
}

main "$@"
