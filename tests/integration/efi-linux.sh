#!/usr/bin/env bash
# `make run`'s machine: the default image (build/x86_64/polyvisor.img, tools/polyvisor.cfg) under
# QEMU with OVMF. Polyvisor reads the config from the ESP, loads OpenSBI, the Debian riscv64 kernel
# and its initramfs, and runs them on the emulation engine: a foreign-ISA Linux on bare-metal
# Polyvisor. The serial log (build/test-logs/efi-linux-x86_64.log) must show the VM built, OpenSBI,
# Linux, the guest's GUEST-OK, the VM's power-off and Polyvisor's own, in that order.
set -uo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit

# QEMU emulates the x86_64 host here (TCG), which runs the riscv64 guest on Polyvisor's
# interpreter: minutes, not seconds.
BOOT_TIMEOUT=${EFI_LINUX_TIMEOUT:-900}
name=efi-linux/x86_64
log="$LOG_DIR/efi-linux-x86_64.log"
build_log="$LOG_DIR/efi-linux-x86_64-build.log"

if [ ! -f build/guests/riscv64/Image ]; then
	fail "$name" "no guest in build/guests/riscv64: run make guests"
	finish
	exit
fi
if ! make --no-print-directory build/x86_64/polyvisor.img >"$build_log" 2>&1; then
	fail "$name" "image build failed; log: ${build_log#"$ROOT"/}"
	finish
	exit
fi
QEMU_TIMEOUT=$BOOT_TIMEOUT run_captured "$log" $((BOOT_TIMEOUT + 10)) \
	tools/qemu-run.sh x86_64 build/x86_64/polyvisor.img
status=$?
if [ "$status" != 0 ]; then
	fail "$name" "qemu-run.sh exited with status $status; log: ${log#"$ROOT"/}"
else
	check "$name" "$log" '^Polyvisor [^ ]+ \([^ ]+\) on x86_64$' '^config: polyvisor\.cfg, 1 VM$' \
		'^vm linux: riscv64, ' '^  firmware fw_dynamic\.bin: [0-9]+ bytes$' '^OpenSBI v' \
		'Linux version' '^GUEST-OK riscv64 ' '^vm linux: powered off$' \
		'^done in [0-9]+ ms, powering off$'
fi
finish
