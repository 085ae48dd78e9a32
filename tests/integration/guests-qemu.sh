#!/usr/bin/env bash
# The guests of `make guests` boot under plain QEMU (TCG) on all three ISAs, with their virtio
# modules loaded and bound: each gets a virtio-blk disk and a virtio-rng device (virtio-mmio on the
# riscv64 and arm64 virt machines, PCI on x86_64 q35), and /init reports which virtio drivers bound.
# This is the reference the hypervisor's own runs of the same guests are compared with.
#
#   tests/integration/guests-qemu.sh [ISA...]     (default: riscv64 aarch64 x86_64)
#
# One line per ISA, "PASS guests-qemu/<isa>" or "FAIL guests-qemu/<isa> (why)"; the serial log is
# build/test-logs/guests-qemu-<isa>.log, ending with the boot's wall time.
set -uo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

GUESTS="$ROOT/build/guests"
BOOT_SECONDS=60
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT

# regex_quote TEXT: TEXT as a literal extended regex (kernel releases hold '.' and '+').
regex_quote() {
	printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'
}

# boot_guest ISA UNAME_M KERNEL CONSOLE BUS QEMU-COMMAND...: boots build/guests/ISA/KERNEL with its
# initrd under QEMU-COMMAND and checks the serial log. BUS is "device" (virtio-mmio) or "pci".
boot_guest() {
	local isa=$1 uname_m=$2 kernel=$3 console=$4 bus=$5
	shift 5
	local name=guests-qemu/$isa dir=$GUESTS/$isa log=$LOG_DIR/guests-qemu-$isa.log
	local disk=$SCRATCH/$isa.img release start seconds status
	if [ ! -f "$dir/$kernel" ] || [ ! -f "$dir/initrd.cpio.gz" ] || [ ! -f "$dir/release" ]; then
		fail "$name" "no guest in build/guests/$isa: run make guests"
		return
	fi
	if ! command -v "$1" >/dev/null; then
		fail "$name" "$1 is not installed"
		return
	fi
	release=$(cat "$dir/release")
	truncate -s 1M "$disk"
	start=$(date +%s%N)
	run_captured "$log" "$BOOT_SECONDS" "$@" -m 512M -nographic -no-reboot -nic none \
		-kernel "$dir/$kernel" -initrd "$dir/initrd.cpio.gz" -append "console=$console panic=-1" \
		-drive "file=$disk,format=raw,if=none,id=vd0" -device "virtio-blk-$bus,drive=vd0" \
		-device "virtio-rng-$bus"
	status=$?
	seconds=$(awk -v ns=$(($(date +%s%N) - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
	printf '\n# %s: exit status %s after %s s\n' "$name" "$status" "$seconds" >>"$log"
	if [ "$status" = 124 ] || [ "$status" = 137 ]; then
		fail "$name" "no power-off within ${BOOT_SECONDS}s (log: ${log#"$ROOT"/})"
		return
	fi
	check "$name" "$log" \
		'^GUEST-VIRTIO-BOUND: (.* )?virtio_blk( .*)? virtio_rng( |$)' \
		"^GUEST-OK $(regex_quote "$uname_m $release")\$"
}

# One function per ISA: the machine each guest is tested on.
boot_riscv64() {
	boot_guest riscv64 riscv64 Image ttyS0 device qemu-system-riscv64 -M virt -bios default
}
boot_aarch64() {
	# pauth-impdef: QEMU's default QARMA pointer authentication makes the boot about 3x slower.
	boot_guest aarch64 aarch64 Image ttyAMA0 device qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on
}
boot_x86_64() {
	boot_guest x86_64 x86_64 bzImage ttyS0 pci qemu-system-x86_64 -M q35
}

isas=("$@")
[ $# -gt 0 ] || isas=(riscv64 aarch64 x86_64)
for isa in "${isas[@]}"; do
	case $isa in
	riscv64 | aarch64 | x86_64) "boot_$isa" ;;
	*) fail "guests-qemu/$isa" "unknown ISA" ;;
	esac
done
finish
