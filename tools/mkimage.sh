#!/usr/bin/env bash
# Builds a bootable disk image: a GPT disk whose only partition is a FAT32 EFI System Partition
# holding EFI/BOOT/BOOT<ISA>.EFI (the firmware's removable-media default path), polyvisor.cfg and
# the guest files the config names that exist under build/guests/<guest ISA>/ (guest firmware
# such as OpenSBI's fw_dynamic.bin: where Debian's package installs it). Ready for
# `dd if=IMAGE of=/dev/sdX bs=4M`. No loop mounts or root: mkfs.fat and mtools write the FAT as a
# file, sfdisk writes the partition table.
# Usage: tools/mkimage.sh ISA EFI CFG OUT
set -euo pipefail

if [ $# -ne 4 ]; then
	echo "usage: $0 ISA EFI CFG OUT" >&2
	exit 2
fi
isa=$1 efi=$2 cfg=$3 out=$4
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GUESTS=${GUESTS:-$ROOT/build/guests}

# guest_firmware_dir GUEST_ISA: where Debian installs the firmware guests of that ISA boot from.
guest_firmware_dir() {
	case "$1" in
	riscv64) echo /usr/lib/riscv64-linux-gnu/opensbi/generic ;;
	esac
}

case "$isa" in
x86_64) boot_name=BOOTX64.EFI ;;
aarch64) boot_name=BOOTAA64.EFI ;;
riscv64) boot_name=BOOTRISCV64.EFI ;;
*)
	echo "mkimage: unknown ISA '$isa' (x86_64, aarch64 or riscv64)" >&2
	exit 2
	;;
esac
# sfdisk and mkfs.fat live in sbin, which an ordinary user's PATH may lack.
PATH=$PATH:/usr/sbin:/sbin
for tool in sfdisk mkfs.fat mcopy mmd; do
	command -v "$tool" >/dev/null || {
		echo "mkimage: '$tool' not found (make deps installs it)" >&2
		exit 1
	}
done
[ -f "$efi" ] || {
	echo "mkimage: $efi: no such file" >&2
	exit 1
}
[ -f "$cfg" ] || {
	echo "mkimage: $cfg: no such file" >&2
	exit 1
}

# guest_files CFG: "GUEST_ISA ESP_PATH" for every file a [vm] section names (kernel, initrd,
# dtb, firmware, disk), with inline comments, quotes and disk options removed. A section without
# an isa key is left to Polyvisor to reject.
guest_files() {
	awk '
	function flush() {
		for (i = 1; vm_isa != "" && i <= n; i++)
			print vm_isa, files[i]
		n = 0
	}
	/^[ \t]*\[/ { flush(); in_vm = ($0 ~ /^[ \t]*\[[ \t]*vm[ \t]/); vm_isa = ""; next }
	!in_vm || /^[ \t]*[#;]/ || !/=/ { next }
	{
		key = $0; sub(/=.*/, "", key); gsub(/[ \t]/, "", key)
		value = $0; sub(/^[^=]*=[ \t]*/, "", value)
		if (value ~ /^"/) { sub(/^"/, "", value); sub(/".*/, "", value) }
		else { sub(/[ \t]+[#;].*/, "", value); sub(/[ \t]+$/, "", value) }
		if (key == "disk")
			sub(/,.*/, "", value)
		if (key == "isa")
			vm_isa = value
		else if (key ~ /^(kernel|initrd|dtb|firmware|disk)$/)
			files[++n] = value
	}
	END { flush() }' "$1"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pv-mkimage.XXXXXX")
mkdir -p "$(dirname "$out")"
disk="$out.tmp.$$" # beside OUT, so the final rename is atomic
trap 'rm -rf "$tmp" "$disk"' EXIT

# Gather the ESP's contents first: their total decides the partition's size.
mkdir -p "$tmp/esp/EFI/BOOT"
cp "$efi" "$tmp/esp/EFI/BOOT/$boot_name"
cp "$cfg" "$tmp/esp/polyvisor.cfg"
placed=("EFI/BOOT/$boot_name" polyvisor.cfg)
while read -r guest_isa path; do
	path=${path#/}
	path=${path//\\//}
	src="$GUESTS/$guest_isa/$(basename "$path")"
	fw_dir=$(guest_firmware_dir "$guest_isa")
	if [ ! -f "$src" ] && [ -n "$fw_dir" ] && [ -f "$fw_dir/$(basename "$path")" ]; then
		src="$fw_dir/$(basename "$path")"
	fi
	if [ -f "$src" ]; then
		mkdir -p "$tmp/esp/$(dirname "$path")"
		cp "$src" "$tmp/esp/$path"
		placed+=("$path")
	else
		echo "mkimage: $path: not in ${src%/*}/ (make guests fetches it); left out" >&2
	fi
done < <(guest_files "$cfg")

# FAT32 (what the UEFI specification asks of an ESP) needs 65525 clusters: 64 MiB at least with
# 512-byte clusters. Leave a quarter free for FAT metadata and files added by hand.
content_kib=$(du -sk "$tmp/esp" | cut -f1)
esp_mib=$(((content_kib * 5 / 4 + 1023) / 1024))
[ "$esp_mib" -ge 64 ] || esp_mib=64
esp_sectors=$((esp_mib * 2048))
# 1 MiB before the partition (protective MBR, primary GPT, alignment), 1 MiB after (backup GPT).
disk_sectors=$((esp_sectors + 2 * 2048))

truncate -s $((esp_sectors * 512)) "$tmp/esp.fat"
mkfs.fat -F 32 -n POLYVISOR "$tmp/esp.fat" >/dev/null
(
	cd "$tmp/esp"
	find . -mindepth 1 -type d | sort | while read -r dir; do
		mmd -i "$tmp/esp.fat" "::/${dir#./}"
	done
	find . -type f | sort | while read -r file; do
		mcopy -i "$tmp/esp.fat" "$file" "::/${file#./}"
	done
)

truncate -s $((disk_sectors * 512)) "$disk"
# Type U is sfdisk's name for the EFI System Partition GUID, C12A7328-F81F-11D2-BA4B-00A0C93EC93B.
sfdisk --quiet "$disk" <<EOF
label: gpt
start=2048, size=$esp_sectors, type=U, name="EFI System Partition"
EOF
dd if="$tmp/esp.fat" of="$disk" bs=1M seek=1 conv=notrunc status=none
mv "$disk" "$out"
echo "  IMAGE   $out ($((disk_sectors / 2048)) MiB: ${placed[*]})"
