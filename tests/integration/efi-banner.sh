#!/usr/bin/env bash
# UEFI first light on every host ISA: builds a disk image of build/<isa>/polyvisor.efi whose
# polyvisor.cfg names one small riscv64 guest (a program written below that prints a line on the
# virt board's UART and powers off through its finisher), boots it under QEMU with
# tools/qemu-run.sh, and checks the serial log (build/test-logs/efi-banner-<isa>.log) for
# Polyvisor's lines in order: banner, firmware, the serial port it found, memory map, hardware
# virtualization usable, the config, the guest's line, its power-off, and the power-off that ends
# the run. The banner must appear once: the firmware's console must not echo what the driver
# already wrote to the serial port.
# Then one negative run per ISA, on a machine without the extension, must say it is not usable.
# Two more boots reach code paths the default firmware does not: aarch64 under U-Boot (the device
# tree's stdout-path instead of ACPI SPCR, and U-Boot's console), and x86_64 under Bochs, the one
# emulator here that offers VT-x (the VMX probe).
set -uo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit

BOOT_TIMEOUT=${EFI_BANNER_TIMEOUT:-120}
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
IMAGES="$ROOT/build/test-images"
mkdir -p "$IMAGES" "$SCRATCH/guests/riscv64"

# The guest: an ELF for M mode at the start of RAM, no firmware (the virt board's -bios none).
cat >"$SCRATCH/hello.S" <<'END'
	.globl _start
_start:
	li t0, 0x10000000 /* the 16550's transmit register */
	la t1, message
1:	lbu t2, 0(t1)
	beqz t2, 2f
	sb t2, 0(t0)
	addi t1, t1, 1
	j 1b
2:	li t0, 0x100000 /* the SiFive test finisher: pass */
	li t1, 0x5555
	sw t1, 0(t0)
3:	j 3b
message:
	.asciz "HELLO-FROM-RISCV64\n"
END
riscv64-linux-gnu-as -march=rv64gc -o "$SCRATCH/hello.o" "$SCRATCH/hello.S" &&
	riscv64-linux-gnu-ld -N --no-warn-rwx-segments -Ttext=0x80000000 \
		-o "$SCRATCH/guests/riscv64/hello.elf" "$SCRATCH/hello.o" ||
	fail efi-banner/guest "the guest program did not assemble"
cat >"$SCRATCH/polyvisor.cfg" <<'END'
[vm hello]
isa = riscv64
memory = 64M
kernel = hello.elf
END
GUEST_LINES=('^config: polyvisor\.cfg, 1 VM$' '^vm hello: riscv64, ' '^boot services: exited; '
	'^machine: [0-9]+ MiB free, ' '^HELLO-FROM-RISCV64$' '^vm hello: powered off$')
BANNER='^Polyvisor [^ ]+ \([^ ]+\) on'
DONE='^done in [0-9]+ ms, powering off$'

declare -A SERIAL=(
	[x86_64]='^serial: 16550 at I/O 0x3f8 '
	[aarch64]='^serial: PL011 at MMIO 0x9000000 \(ACPI SPCR\)'
	[riscv64]='^serial: 16550 at MMIO 0x10000000 \(device tree /soc/[a-z]+@10000000\)'
)
declare -A VIRT=(
	[x86_64]='^virtualization: SVM usable \(NPT yes\)$'
	[aarch64]='^virtualization: EL2 usable \(entered at EL2, VHE (on|off)\)$'
	[riscv64]='^virtualization: H-extension usable \(HS-mode\)$'
)
# The negative runs: QEMU arguments appended to qemu-run.sh's, and the lines they must produce.
declare -A NEG_NAME=([x86_64]=no-npt [aarch64]=el1 [riscv64]=no-h)
# x86_64's adds a display, so OVMF has a console besides the serial port: Polyvisor writes to it
# too, and the serial port must still see the banner once.
declare -A NEG_ARGS=(
	[x86_64]='-cpu qemu64 -device VGA'
	[aarch64]='-M virtualization=off'
	[riscv64]='-cpu rv64,h=false'
)
declare -A NEG_SERIAL=(
	[x86_64]='^serial: 16550 at I/O 0x3f8 .*, 1 other firmware console$'
	[aarch64]="${SERIAL[aarch64]}"
	[riscv64]="${SERIAL[riscv64]}"
)
# What kernel_main is told of the machine: x86_64's negative run has a display, so a framebuffer.
declare -A NEG_MACHINE=(
	[x86_64]='^machine: [0-9]+ MiB free, ACPI RSDP at 0x[0-9a-f]+, SMBIOS at 0x[0-9a-f]+, framebuffer [0-9]+x[0-9]+ at 0x[0-9a-f]+$'
	[aarch64]='^machine: [0-9]+ MiB free, '
	[riscv64]='^machine: [0-9]+ MiB free, '
)
declare -A NEG_VIRT=(
	[x86_64]='^virtualization: SVM not usable \(NPT no\)$'
	[aarch64]='^virtualization: EL2 not usable \(entered at EL1\)$'
	[riscv64]='^virtualization: H-extension not usable '
)

# boot LOG ISA [QEMU args...]: boots the ISA's image (BOOT_IMAGE if set); prints nothing on a
# clean power-off, else why not.
boot() {
	local log=$1 isa=$2 status
	shift 2
	QEMU_TIMEOUT=$BOOT_TIMEOUT run_captured "$log" $((BOOT_TIMEOUT + 10)) \
		tools/qemu-run.sh "$isa" "${BOOT_IMAGE:-$IMAGES/banner-$isa.img}" "$@"
	status=$?
	if [ "$status" = 124 ]; then
		echo "no power-off within ${BOOT_TIMEOUT} s"
	elif [ "$status" != 0 ]; then
		echo "qemu-run.sh exited with status $status"
	fi
}

# check_boot NAME LOG WHY PATTERN...: one PASS/FAIL line for a boot and its expected lines.
check_boot() {
	local name=$1 log=$2 why=$3 banners
	shift 3
	if [ -n "$why" ]; then
		fail "$name" "$why; log: ${log#"$ROOT"/}"
		return
	fi
	banners=$(tr -d '\r' <"$log" | grep -c '^Polyvisor ')
	if [ "$banners" -gt 1 ]; then
		fail "$name" "banner printed $banners times; log: ${log#"$ROOT"/}"
		return
	fi
	check "$name" "$log" "$@"
}

# bochs_vmx: boots the x86_64 image under Bochs, whose Haswell model has VMX with EPT. Bochs ends
# with status 1 on a power-off: only the serial text counts.
bochs_vmx() {
	local name=efi-banner/x86_64-vmx-bochs dir="$LOG_DIR/efi-banner-bochs"
	local log="$LOG_DIR/efi-banner-x86_64-vmx-bochs.log"

	if ! command -v bochs-bin >/dev/null || [ ! -f /usr/share/ovmf/OVMF.fd ]; then
		skip "$name" "bochs or the 2 MiB OVMF.fd is not installed"
		return
	fi
	mkdir -p "$dir"
	cp "$IMAGES/banner-x86_64.img" "$dir/disk.img" # Bochs writes to its disk
	rm -f "$log"
	cat >"$dir/bochsrc" <<-EOF
		megs: 512
		romimage: file=/usr/share/ovmf/OVMF.fd
		vgaromimage: file=/usr/share/vgabios/vgabios.bin
		cpu: model=corei7_haswell_4770, count=1, ips=50000000
		pci: enabled=1, chipset=i440fx
		ata0-master: type=disk, path=$dir/disk.img, mode=flat
		com1: enabled=1, mode=file, dev=$log
		display_library: rfb, options="timeout=0"
		log: $dir/bochs.log
	EOF
	printf 'c\nq\n' >"$dir/cont.rc" # Debian's Bochs has the debugger: continue, then quit
	# Its status says nothing, and Bochs has been seen to crash after powering off: the
	# shell's report of that goes to the log too.
	(run_captured "$dir/bochs.out" "$BOOT_TIMEOUT" bochs-bin -q -f "$dir/bochsrc" \
		-rc "$dir/cont.rc") 2>>"$dir/shell.log"
	if [ ! -s "$log" ]; then
		fail "$name" "no serial output; see ${dir#"$ROOT"/}/bochs.out"
		return
	fi
	check_boot "$name" "$log" "" "$BANNER x86_64$" '^virtualization: VMX usable \(EPT yes\)$' \
		"$DONE"
}

# aarch64_u_boot: the aarch64 image under U-Boot, a device-tree firmware.
aarch64_u_boot() {
	local name=efi-banner/aarch64-u-boot log="$LOG_DIR/efi-banner-aarch64-u-boot.log" why

	why=$(QEMU_FIRMWARE=u-boot boot "$log" aarch64)
	check_boot "$name" "$log" "$why" "$BANNER aarch64$" '^firmware: Das U-Boot ' \
		'^serial: PL011 at MMIO 0x9000000 \(device tree /pl011@9000000\)' \
		"${VIRT[aarch64]}" "${GUEST_LINES[@]}" "$DONE"
}

# x86_64_three_vms: the first of three VMs names a kernel the ESP lacks: it is reported and left
# out, and the two others run to their power-offs, their consoles told apart on the serial line.
x86_64_three_vms() {
	local name=efi-banner/x86_64-missing-kernel log="$LOG_DIR/efi-banner-x86_64-three-vms.log"
	local image="$IMAGES/banner-x86_64-three-vms.img" why vm

	{
		printf '[vm broken]\nisa = riscv64\nmemory = 64M\nkernel = missing.elf\n\n'
		cat "$SCRATCH/polyvisor.cfg"
		printf '\n[vm other]\nisa = riscv64\nmemory = 64M\nkernel = hello.elf\n'
	} >"$SCRATCH/three.cfg"
	if ! GUESTS="$SCRATCH/guests" tools/mkimage.sh x86_64 build/x86_64/polyvisor.efi \
		"$SCRATCH/three.cfg" "$image" >"$log" 2>&1; then
		fail "$name" "image build failed; log: ${log#"$ROOT"/}"
		return
	fi
	why=$(BOOT_IMAGE=$image boot "$log" x86_64)
	check_boot "$name" "$log" "$why" '^config: polyvisor\.cfg, 3 VMs$' \
		'^  kernel missing\.elf: ' '^vm broken: not started: ' "$DONE"
	for vm in hello other; do
		check "efi-banner/x86_64-console-$vm" "$log" "^\\[$vm\\] HELLO-FROM-RISCV64\$" \
			"^vm $vm: powered off\$"
	done
}

for isa in x86_64 aarch64 riscv64; do
	name="efi-banner/$isa"
	build_log="$LOG_DIR/efi-banner-$isa-build.log"
	if ! { make --no-print-directory "build/$isa/polyvisor.efi" &&
		GUESTS="$SCRATCH/guests" tools/mkimage.sh "$isa" "build/$isa/polyvisor.efi" \
			"$SCRATCH/polyvisor.cfg" "$IMAGES/banner-$isa.img"; } >"$build_log" 2>&1; then
		fail "$name" "image build failed; log: ${build_log#"$ROOT"/}"
		continue
	fi

	log="$LOG_DIR/efi-banner-$isa.log"
	why=$(boot "$log" "$isa")
	check_boot "$name" "$log" "$why" "$BANNER $isa$" \
		'^firmware: .+ rev 0x[0-9a-f]+, UEFI [0-9.]+$' \
		"${SERIAL[$isa]}" \
		'^memory map: [0-9]+ descriptors, [0-9]+ bytes conventional \([0-9]+ MiB\)$' \
		"${VIRT[$isa]}" \
		"${GUEST_LINES[@]}" \
		"$DONE"

	name="efi-banner/$isa-${NEG_NAME[$isa]}"
	log="$LOG_DIR/efi-banner-$isa-${NEG_NAME[$isa]}.log"
	# shellcheck disable=SC2086 # the arguments are meant to split
	why=$(boot "$log" "$isa" ${NEG_ARGS[$isa]})
	check_boot "$name" "$log" "$why" "$BANNER $isa$" "${NEG_SERIAL[$isa]}" "${NEG_VIRT[$isa]}" \
		"${NEG_MACHINE[$isa]}" "$DONE"

	case "$isa" in
	x86_64)
		bochs_vmx
		x86_64_three_vms
		;;
	aarch64) aarch64_u_boot ;;
	esac
done
finish
