#!/usr/bin/env bash
# Boots a Polyvisor disk image (tools/mkimage.sh) under the QEMU and firmware of its host ISA, as
# found to work with Debian 12's QEMU 7.2, with the serial port on stdio. Returns when the machine
# powers off (Polyvisor ends with ResetSystem(EfiResetShutdown)) or resets (-no-reboot), or when
# QEMU_TIMEOUT seconds have passed (status 124). Ctrl-A X quits by hand.
# Usage: tools/qemu-run.sh ISA IMAGE [extra QEMU arguments, e.g. -cpu qemu64]
# Environment: QEMU_TIMEOUT (seconds, default 120; 0 for none, as make run sets), QEMU_SMP
# (default 2), QEMU_MEM (default 2G), QEMU_FIRMWARE (aarch64 only: edk2, the default, or u-boot;
# x86_64 runs EDK2, riscv64 U-Boot).
# The image is attached with snapshot=on: runs never change it, and several may share it.
set -euo pipefail

if [ $# -lt 2 ]; then
	echo "usage: $0 ISA IMAGE [QEMU arguments...]" >&2
	exit 2
fi
isa=$1 image=$2
shift 2
timeout_s=${QEMU_TIMEOUT:-120}

[ -f "$image" ] || {
	echo "qemu-run: $image: no such file (make image ARCH=$isa builds it)" >&2
	exit 1
}

# need FILE...: the firmware files this ISA boots from, or a hint at what installs them.
need() {
	local file
	for file in "$@"; do
		[ -f "$file" ] || {
			echo "qemu-run: $file missing (make deps installs the firmware)" >&2
			exit 1
		}
	done
}

case "$isa" in
x86_64)
	qemu="qemu-system-x86_64"
	code=/usr/share/OVMF/OVMF_CODE_4M.fd vars=/usr/share/OVMF/OVMF_VARS_4M.fd
	need "$code" "$vars"
	# -cpu max: TCG's SVM with nested paging (the default qemu64 lacks NPT).
	machine=(-M q35 -cpu max
		-drive "if=pflash,format=raw,readonly=on,file=$code"
		-drive "if=pflash,format=raw,snapshot=on,file=$vars")
	;;
aarch64)
	qemu="qemu-system-aarch64"
	# virtualization=on: the firmware enters the EFI app at EL2. pauth-impdef: QARMA pointer
	# authentication costs seconds under TCG.
	machine=(-M "virt,virtualization=on" -cpu "max,pauth-impdef=on")
	case "${QEMU_FIRMWARE:-edk2}" in
	edk2)
		code=/usr/share/AAVMF/AAVMF_CODE.fd vars=/usr/share/AAVMF/AAVMF_VARS.fd
		need "$code" "$vars"
		# The boot menu setting skips a silent 5 s wait.
		machine+=(-drive "if=pflash,format=raw,readonly=on,file=$code"
			-drive "if=pflash,format=raw,snapshot=on,file=$vars"
			-boot "menu=on,splash-time=0")
		;;
	u-boot)
		# A device-tree machine: U-Boot describes the board with QEMU's DTB, not ACPI.
		uboot=/usr/lib/u-boot/qemu_arm64/u-boot.bin
		need "$uboot"
		machine+=(-bios "$uboot")
		;;
	*)
		echo "qemu-run: QEMU_FIRMWARE must be edk2 or u-boot for aarch64" >&2
		exit 2
		;;
	esac
	;;
riscv64)
	qemu="qemu-system-riscv64"
	sbi=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
	uboot=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
	need "$sbi" "$uboot"
	# QEMU 7.2's default CPU has the H extension; OpenSBI starts U-Boot in HS-mode, and
	# U-Boot's autoboot finds EFI/BOOT/BOOTRISCV64.EFI on the virtio disk.
	machine=(-M virt -bios "$sbi" -kernel "$uboot")
	;;
*)
	echo "qemu-run: unknown ISA '$isa' (x86_64, aarch64 or riscv64)" >&2
	exit 2
	;;
esac

command -v "$qemu" >/dev/null || {
	echo "qemu-run: $qemu not found (make deps installs it)" >&2
	exit 1
}

# -nodefaults: no CD-ROM, NIC or VGA for the firmware to probe and try to boot from (a second of
# OVMF's start-up); the serial port and QEMU's monitor (Ctrl-A C) share stdio. --foreground keeps
# QEMU in the terminal's process group, so an interactive run can read keys.
status=0
timeout --foreground --kill-after=5 "$timeout_s" \
	"$qemu" "${machine[@]}" -smp "${QEMU_SMP:-2}" -m "${QEMU_MEM:-2G}" \
	-drive "file=$image,format=raw,if=virtio,snapshot=on" \
	-nodefaults -serial mon:stdio -display none -no-reboot "$@" || status=$?
if [ "$status" = 124 ]; then
	echo "qemu-run: $isa did not power off within $timeout_s s (QEMU_TIMEOUT)" >&2
fi
exit "$status"
