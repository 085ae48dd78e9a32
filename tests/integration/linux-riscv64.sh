#!/usr/bin/env bash
# Debian's riscv64 kernel on polyrun's riscv64 virt board (interpreter engine), booted as on QEMU:
#   polyrun -M virt -bios default -m 512M -kernel Image -initrd initrd -append "console=ttyS0"
# OpenSBI (fw_dynamic) runs in M mode and hands over to the kernel in S mode.
#
# Checks, one line each ("PASS linux-riscv64/NAME"); logs in build/test-logs/linux-riscv64-*.log,
# each ending with the run's exit status and wall time:
#   boot          the guests' own initramfs reaches GUEST-OK and polyrun exits 0 on its poweroff
#   dumpdtb       -M virt,dumpdtb=FILE writes a tree dtc reads, with the board's devices, and exits 0
#   dtb           -dtb FILE (the tree dumped with another -append) boots the same guest, whose
#                 /proc/cmdline is this boot's -append: polyrun set /chosen's bootargs anew
#   blk           an ext4 disk made on the host with mke2fs -d is read in the guest, which writes a
#                 file, unmounts and powers off; debugfs then finds the file's bytes in the image
#   net           two virtio-net NICs on hub 0: ARP from eth0 is answered by eth1 across the hub
#   console-rng   virtio-console's /dev/hvc0 carries a line to stdout; /dev/hwrng gives 64 bytes
#                 from virtio-rng
#   reboot        the guest reboots (the finisher's reset), boots again from the same images and
#                 powers off: polyrun exits 0
#   fail-code     a guest writing FAIL to the SiFive test finisher ends polyrun with status 1
#   smp           with -smp 2 the guest brings up and reports two CPUs
#   smp-poweroff  ... and powers off: polyrun exits 0
#   tap           -netdev tap: the guest's eth0 (10.0.3.2) pings the host's end of a TAP interface
#                 (10.0.3.1) made here; SKIP when not root or without /dev/net/tun
#   serial-file   -serial file:PATH: the guest's console lands in PATH, none of it on stdout
# One guest initramfs serves them all: /test.sh picks its part from pvtest= on the command line.
# The boots run two at a time (each vCPU has a host thread of its own).
set -uo pipefail
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

GUESTS="$ROOT/build/guests/riscv64"
POLYRUN="$ROOT/build/host/polyrun"
BOOT_SECONDS=${BOOT_SECONDS:-400}
SCRATCH=$(mktemp -d)
# The host's end of the tap check, made below when it can be; deleted on exit either way.
TAP_IF=pvtap$$
TAP_MADE=
cleanup() {
	rm -rf "$SCRATCH"
	if [ -n "$TAP_MADE" ]; then ip link del "$TAP_IF" 2>/dev/null; fi
}
trap cleanup EXIT

cat >"$SCRATCH/test.sh" <<'EOF'
#!/bin/sh
# linux-riscv64.sh's guest side: one part per pvtest= value.
part=$(sed -n 's/.*pvtest=\([a-z-]*\).*/\1/p' /proc/cmdline)
case $part in
blk)
	mkdir -p /mnt
	ls -l /dev/vda || exit 1
	if ! mount -t ext4 /dev/vda /mnt; then
		dmesg | tail -n 5
		exit 1
	fi
	cat /mnt/host.txt || exit 1
	echo "GUEST-WROTE-$((6 * 7))" >/mnt/guest.txt || exit 1
	umount /mnt || exit 1
	;;
net)
	for conf in all default eth0 eth1; do
		sysctl -qw net.ipv4.conf.$conf.accept_local=1 net.ipv4.conf.$conf.rp_filter=0
	done
	ip link set eth0 up && ip link set eth1 up || exit 1
	ip addr add 10.0.2.1/24 dev eth0 && ip addr add 10.0.2.2/24 dev eth1 || exit 1
	arping -c 3 -w 10 -I eth0 10.0.2.2 || exit 1
	echo "GUEST-ETH1-RX $(cat /sys/class/net/eth1/statistics/rx_packets)"
	;;
console-rng)
	[ -c /dev/hvc0 ] || exit 1
	echo "HVC-SAYS-$((6 * 7))" >/dev/hvc0 || exit 1
	echo "GUEST-RNG-BYTES $(head -c 64 /dev/hwrng | wc -c)"
	echo "GUEST-RNG-CURRENT $(cat /sys/devices/virtual/misc/hw_random/rng_current)"
	;;
reboot)
	if [ "$(head -c 13 /dev/vda)" = REBOOTED-ONCE ]; then
		echo GUEST-SECOND-BOOT
	else
		echo GUEST-FIRST-BOOT
		printf REBOOTED-ONCE | dd of=/dev/vda conv=notrunc 2>/dev/null || exit 1
		sync
		reboot -f
	fi
	;;
smp)
	echo "GUEST-NPROC $(nproc)"
	;;
dtb)
	echo "GUEST-CMDLINE $(cat /proc/cmdline)"
	;;
tap)
	ip link set eth0 up && ip addr add 10.0.3.2/24 dev eth0 || exit 1
	ping -c 3 -W 5 10.0.3.1 || exit 1
	echo GUEST-TAP-PING-OK
	;;
fail-code)
	echo GUEST-FAILING
	devmem 0x100000 32 0x00053333
	;;
esac
EOF

# linux_boot NAME SECONDS [POLYRUN ARGS...]: boots the test initramfs with pvtest=NAME; the log is
# build/test-logs/linux-riscv64-NAME.log, its last line the exit status and wall time.
linux_boot() {
	local name=$1 log=$LOG_DIR/linux-riscv64-$1.log start status seconds
	shift
	start=$(date +%s%N)
	run_captured "$log" "$BOOT_SECONDS" "$POLYRUN" -M virt -bios default -m 512M \
		-kernel "$GUESTS/Image" -initrd "$SCRATCH/initrd.cpio.gz" \
		-append "console=ttyS0 panic=-1 pvtest=$name" "$@"
	status=$?
	seconds=$(awk -v ns=$(($(date +%s%N) - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
	printf '\n# linux-riscv64/%s: exit status %s after %s s\n' "$name" "$status" "$seconds" >>"$log"
}

# status_of NAME: the exit status linux_boot recorded.
status_of() {
	sed -n 's/^# linux-riscv64\/.*: exit status \([0-9]*\) after .*/\1/p' "$LOG_DIR/linux-riscv64-$1.log"
}

# check_boot NAME STATUS PATTERN...: the boot ended with STATUS and its log has the lines in order.
check_boot() {
	local name=$1 want=$2 got
	shift 2
	got=$(status_of "$name")
	if [ "$got" != "$want" ]; then
		fail "linux-riscv64/$name" "exit status $got, expected $want (log: build/test-logs/linux-riscv64-$name.log)"
		return
	fi
	check "linux-riscv64/$name" "$LOG_DIR/linux-riscv64-$name.log" "$@"
}

boot_boot() {
	local log=$LOG_DIR/linux-riscv64-boot.log start status seconds
	start=$(date +%s%N)
	run_captured "$log" "$BOOT_SECONDS" "$POLYRUN" -M virt -bios default -m 512M \
		-kernel "$GUESTS/Image" -initrd "$GUESTS/initrd.cpio.gz" -append "console=ttyS0"
	status=$?
	seconds=$(awk -v ns=$(($(date +%s%N) - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
	printf '\n# linux-riscv64/boot: exit status %s after %s s\n' "$status" "$seconds" >>"$log"
}

boot_dtb() {
	linux_boot dtb -dtb "$SCRATCH/virt.dtb"
}

boot_blk() {
	linux_boot blk -drive "file=$SCRATCH/ext4.img,if=virtio,format=raw"
}

boot_net() {
	linux_boot net -netdev hub,id=n0,hubid=0 -netdev hub,id=n1,hubid=0 \
		-device virtio-net,netdev=n0 -device virtio-net,netdev=n1,mac=52:54:00:12:34:99
}

boot_console_rng() {
	linux_boot console-rng -device virtio-console -device virtio-rng
}

boot_reboot() {
	linux_boot reboot -drive "file=$SCRATCH/marker.img,if=virtio,format=raw"
}

boot_fail_code() {
	linux_boot fail-code
}

boot_smp() {
	linux_boot smp -smp 2
}

boot_tap() {
	linux_boot tap -netdev "tap,id=n0,ifname=$TAP_IF" -device virtio-net,netdev=n0
}

boot_serial_file() {
	printf 'an older run\n' >"$SCRATCH/serial.txt"
	linux_boot serial-file -serial "file:$SCRATCH/serial.txt"
}

if [ ! -f "$GUESTS/Image" ] || [ ! -f "$GUESTS/initrd.cpio.gz" ]; then
	fail linux-riscv64/boot "no guest in build/guests/riscv64: run make guests"
	finish
	exit
fi
release=$(cat "$GUESTS/release")

# shellcheck source=tools/guests/initramfs.sh
. "$ROOT/tools/guests/initramfs.sh"
# ext4 checksums its metadata with the crypto API's crc32c, a module of its own.
INITRAMFS_MODULES="$INITRAMFS_VIRTIO_MODULES crc32c_generic ext4" \
	make_initramfs riscv64 "$SCRATCH/initrd.cpio.gz" "$SCRATCH/test.sh=/test.sh" \
	>"$LOG_DIR/linux-riscv64-initramfs.log" 2>&1 ||
	fail linux-riscv64/initramfs "make_initramfs failed (log: build/test-logs/linux-riscv64-initramfs.log)"

mkdir -p "$SCRATCH/ext4"
echo "HOST-TEXT-$((6 * 7))" >"$SCRATCH/ext4/host.txt"
mke2fs -q -t ext4 -d "$SCRATCH/ext4" "$SCRATCH/ext4.img" 4M >/dev/null 2>&1
truncate -s 1M "$SCRATCH/marker.img"

# dumpdtb first: the tree of the test initramfs's boot, which the dtb check then boots with. Its
# command line is not the dtb boot's: that boot sees its own only if polyrun sets /chosen again.
dumpdtb_log=$LOG_DIR/linux-riscv64-dumpdtb.log
if run_captured "$dumpdtb_log" 60 "$POLYRUN" -M virt,dumpdtb="$SCRATCH/virt.dtb" -m 512M \
	-kernel "$GUESTS/Image" -initrd "$SCRATCH/initrd.cpio.gz" \
	-append "console=ttyS0 panic=-1 pvtest=dumped" &&
	dtc -q -I dtb -O dts "$SCRATCH/virt.dtb" >"$SCRATCH/virt.dts" 2>>"$dumpdtb_log"; then
	check linux-riscv64/dumpdtb "$SCRATCH/virt.dts" \
		'bootargs = "console=ttyS0 panic=-1 pvtest=dumped"' 'linux,initrd-start' \
		'riscv,isa = "rv64imafdc' 'mmu-type = "riscv,sv' 'test@100000' 'rtc@101000' \
		'clint@2000000' 'plic@c000000' 'riscv,ndev = <0x5f>' 'serial@10000000' \
		'virtio_mmio@10001000' 'virtio_mmio@10008000'
else
	fail linux-riscv64/dumpdtb "dumpdtb or dtc failed (log: build/test-logs/linux-riscv64-dumpdtb.log)"
fi

# Two boots at a time: the host has two CPUs and each single-vCPU guest keeps one busy.
boot_boot &
boot_blk &
wait
boot_net &
boot_console_rng &
wait
boot_reboot &
boot_fail_code &
wait
boot_dtb &
boot_smp &
wait

# The tap check's host side: root makes a TAP interface; without root or the TUN driver, a skip.
tap_skip= tap_error=
tap_host_log=$LOG_DIR/linux-riscv64-tap-host.log
if [ "$(id -u)" != 0 ]; then
	tap_skip="needs root to make a TAP interface"
elif [ ! -c /dev/net/tun ]; then
	tap_skip="/dev/net/tun is missing"
elif ip tuntap add dev "$TAP_IF" mode tap >"$tap_host_log" 2>&1; then
	TAP_MADE=1
	{ ip addr add 10.0.3.1/24 dev "$TAP_IF" && ip link set "$TAP_IF" up; } >>"$tap_host_log" 2>&1 ||
		tap_error="cannot configure $TAP_IF (log: build/test-logs/linux-riscv64-tap-host.log)"
else
	tap_error="cannot make $TAP_IF (log: build/test-logs/linux-riscv64-tap-host.log)"
fi
if [ -z "$tap_skip$tap_error" ]; then
	boot_tap &
fi
boot_serial_file &
wait

quoted_release=$(printf '%s' "$release" | sed 's/[][\.*^$+?(){}|/]/\\&/g')
check_boot boot 0 "^GUEST-OK riscv64 $quoted_release\$"
sed -n 's/^# linux-riscv64\/boot: \(.*\)/    boot: \1/p' "$LOG_DIR/linux-riscv64-boot.log"
check_boot dtb 0 '^GUEST-CMDLINE console=ttyS0 panic=-1 pvtest=dtb$' '^GUEST-OK riscv64'
check_boot blk 0 'virtio_blk virtio0: \[vda\]' '^HOST-TEXT-42$' '^GUEST-OK riscv64'
if debugfs -R 'cat /guest.txt' "$SCRATCH/ext4.img" 2>/dev/null | grep -qx 'GUEST-WROTE-42' &&
	e2fsck -fn "$SCRATCH/ext4.img" >/dev/null 2>&1; then
	pass linux-riscv64/blk-host-sees-write
else
	fail linux-riscv64/blk-host-sees-write "guest.txt missing or the file system is damaged"
fi
check_boot net 0 'Received [1-9][0-9]* response' '^GUEST-ETH1-RX [1-9]' '^GUEST-OK riscv64'
check_boot console-rng 0 '^HVC-SAYS-42' '^GUEST-RNG-BYTES 64$' '^GUEST-RNG-CURRENT virtio_rng' \
	'^GUEST-OK riscv64'
check_boot reboot 0 '^GUEST-FIRST-BOOT$' 'Linux version' '^GUEST-SECOND-BOOT$' '^GUEST-OK riscv64'
check_boot fail-code 1 '^GUEST-FAILING$'
check "linux-riscv64/smp" "$LOG_DIR/linux-riscv64-smp.log" 'smp: Brought up 1 node, 2 CPUs' \
	'^GUEST-NPROC 2$' '^GUEST-OK riscv64'
# Power-off with two harts exercises IPIs while devices interrupt: a mip read-modify-write that
# latched the PLIC's line once left hart 0 stormed by external interrupts here.
if [ "$(status_of smp)" = 0 ]; then
	pass linux-riscv64/smp-poweroff
else
	fail linux-riscv64/smp-poweroff "exit status $(status_of smp), expected 0 (log: build/test-logs/linux-riscv64-smp.log)"
fi
if [ -n "$tap_skip" ]; then
	skip linux-riscv64/tap "$tap_skip"
elif [ -n "$tap_error" ]; then
	fail linux-riscv64/tap "$tap_error"
else
	check_boot tap 0 ' [1-9] packets received' '^GUEST-TAP-PING-OK$' '^GUEST-OK riscv64'
fi
# The file the serial-file boot wrote, kept beside its log (which holds stdout and stderr).
serial_file=$LOG_DIR/linux-riscv64-serial-file.txt
cp "$SCRATCH/serial.txt" "$serial_file"
if [ "$(status_of serial-file)" != 0 ]; then
	fail linux-riscv64/serial-file "exit status $(status_of serial-file), expected 0 (log: build/test-logs/linux-riscv64-serial-file.log)"
elif grep -q -e 'GUEST-OK' -e 'Linux version' "$LOG_DIR/linux-riscv64-serial-file.log"; then
	fail linux-riscv64/serial-file "the guest's console reached stdout (log: build/test-logs/linux-riscv64-serial-file.log)"
elif grep -q 'an older run' "$serial_file"; then
	fail linux-riscv64/serial-file "the file was appended to, not emptied first"
else
	check linux-riscv64/serial-file "$serial_file" 'Linux version' '^GUEST-OK riscv64'
fi
finish
