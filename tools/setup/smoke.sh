#!/usr/bin/env bash
# Proves one freestanding sysroot together with mk/toolchain.mk: builds a throwaway EFI app that
# uses newlib (snprintf with %ll/%z/%f, malloc, memcpy), libfdt (fdt_create...) and libefi
# (InitializeLib), checks that no allocated section escapes the objcopy to PE, and boots it under
# QEMU with the ISA's firmware. The app prints PV-SMOKE-PASS and powers the machine off.
#   tools/setup/smoke.sh ISA [--no-run]        (run by tools/setup.sh after building a sysroot)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE_DIR=${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/polyvisor}
ISA=${1:?usage: smoke.sh x86_64|aarch64|riscv64 [--no-run]}
RUN=1
[ "${2:-}" != --no-run ] || RUN=0
LOG_DIR="$CACHE_DIR/work/logs"
LOG="$LOG_DIR/smoke-$ISA.log"

fail() {
	echo "setup: smoke test ($ISA): $1" >&2
	[ -s "$LOG" ] && tail -n 25 "$LOG" | sed 's/^/  | /' >&2
	echo "setup: full log: $LOG" >&2
	exit 1
}

# The app. It defines the OS hooks newlib's objects reference: _sbrk feeds malloc (also behind
# %f); the others come with stdio's FILE support and abort, and this app never reaches them.
# efi_main carries no EFIAPI (Debian's x86_64 crt0 calls it with the SysV convention).
write_app() {
	cat >"$1" <<'EOF'
#include <efi.h>
#include <efilib.h>
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char heap[256 * 1024] __attribute__((aligned(16)));
static size_t heap_top;
static char zeroed[8192]; /* in .bss.zeroed: proves the linker script keeps .bss.* */
static int initialised = 42;
static EFI_SYSTEM_TABLE *systab;

void *_sbrk(ptrdiff_t incr);
void *_sbrk(ptrdiff_t incr)
{
	void *p = heap + heap_top;

	if (incr < 0 || heap_top + (size_t)incr > sizeof(heap)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	heap_top += (size_t)incr;
	return p;
}

struct stat;
void _exit(int code) __attribute__((noreturn));
int _kill(int pid, int sig);
int _getpid(void);
long _write(int fd, const void *buf, size_t len);
long _read(int fd, void *buf, size_t len);
long _lseek(int fd, long off, int whence);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);

void _exit(int code)
{
	(void)code;
	for (;;)
		;
}

int _kill(int pid, int sig)
{
	(void)pid, (void)sig;
	errno = ENOSYS;
	return -1;
}

int _getpid(void)
{
	return 1;
}

long _write(int fd, const void *buf, size_t len)
{
	(void)fd, (void)buf, (void)len;
	errno = ENOSYS;
	return -1;
}

long _read(int fd, void *buf, size_t len)
{
	(void)fd, (void)buf, (void)len;
	errno = ENOSYS;
	return -1;
}

long _lseek(int fd, long off, int whence)
{
	(void)fd, (void)off, (void)whence;
	errno = ENOSYS;
	return -1;
}

int _close(int fd)
{
	(void)fd;
	errno = ENOSYS;
	return -1;
}

int _fstat(int fd, struct stat *st)
{
	(void)fd, (void)st;
	errno = ENOSYS;
	return -1;
}

int _isatty(int fd)
{
	(void)fd;
	return 0;
}

static void say(const char *s)
{
	CHAR16 buf[256];
	size_t i;

	for (i = 0; s[i] && i < 255; i++)
		buf[i] = (unsigned char)s[i];
	buf[i] = 0;
	systab->ConOut->OutputString(systab->ConOut, buf);
}

static int build_fdt(void *fdt, int size)
{
	int err = fdt_create(fdt, size);

	if (!err)
		err = fdt_finish_reservemap(fdt);
	if (!err)
		err = fdt_begin_node(fdt, "");
	if (!err)
		err = fdt_property_u32(fdt, "pv-smoke", 0xcafe);
	if (!err)
		err = fdt_end_node(fdt);
	if (!err)
		err = fdt_finish(fdt);
	if (!err)
		err = fdt_check_header(fdt);
	if (!err && fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(fdt, 0, "pv-smoke", NULL)) != 0xcafe)
		err = -1;
	return err;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	static const char want[] = "ll=123456789abcdef z=512 f=3.25 s=newlib";
	char fdt[512], got[128], line[256], *copy;
	int bad = 0, err;
	size_t i;

	systab = st;
	InitializeLib(image, st);
	for (i = 0; i < sizeof(zeroed); i++)
		bad |= zeroed[i];
	err = build_fdt(fdt, sizeof(fdt));
	snprintf(got, sizeof(got), "ll=%llx z=%zu f=%.2f s=%s", 0x123456789abcdefULL, sizeof(fdt),
		 3.25, "newlib");
	copy = malloc(sizeof(got));
	if (copy)
		memcpy(copy, got, strlen(got) + 1);
	snprintf(line, sizeof(line), "\r\nPV-SMOKE %s fdt=%d bss=%s data=%d\r\n", copy ? copy : "?",
		 err, bad ? "dirty" : "zero", initialised);
	say(line);
	say(!err && !bad && initialised == 42 && copy && !strcmp(copy, want) ? "PV-SMOKE-PASS\r\n"
									      : "PV-SMOKE-FAIL\r\n");
	free(copy);
	st->RuntimeServices->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	return EFI_SUCCESS;
}
EOF
}

# Allocated sections that objcopy's -j list leaves out must be ones nothing reads at run time.
check_sections() {
	local elf=$1 keep lost
	keep=$(make -s --no-print-directory -f "$ROOT/tools/setup/toolchain.mk" CACHE_DIR="$CACHE_DIR" \
		"print-EFI_OBJCOPY_$ISA" | tr ' ' '\n' | awk 'p {print; p = 0} $0 == "-j" {p = 1}' |
		tr -d "'")
	lost=$("${CROSS}objdump" -h "$elf" | awk '$1 ~ /^[0-9]+$/ {name = $2; next}
		/ALLOC/ {print name}' | while read -r sec; do
		case $sec in .hash | .gnu.hash | .eh_frame | .dynstr | .note.gnu.build-id | .ignored.reloc) continue ;; esac
		# shellcheck disable=SC2254 # the -j arguments are patterns
		for k in $keep; do case $sec in $k) continue 2 ;; esac; done
		echo "$sec"
	done)
	[ -z "$lost" ] || fail "sections the EFI image would drop: ${lost//$'\n'/ }"
}

# boot DIR: runs the app from an ESP folder under QEMU; the output goes to the log.
boot() {
	local esp=$1
	case $ISA in
	x86_64)
		timeout 90 qemu-system-x86_64 -M q35 -cpu max -m 256 -bios /usr/share/ovmf/OVMF.fd \
			-drive "file=fat:rw:$esp,format=raw" -net none -nographic -no-reboot
		;;
	aarch64)
		timeout 90 qemu-system-aarch64 -M virt,virtualization=on -cpu max,pauth-impdef=on -m 256 \
			-drive if=pflash,format=raw,readonly=on,file=/usr/share/AAVMF/AAVMF_CODE.fd \
			-drive if=pflash,format=raw,snapshot=on,file=/usr/share/AAVMF/AAVMF_VARS.fd \
			-boot menu=on,splash-time=0 \
			-drive "if=none,id=esp,file=fat:rw:$esp,format=raw" -device virtio-blk-pci,drive=esp \
			-net none -nographic -no-reboot
		;;
	riscv64)
		timeout 90 qemu-system-riscv64 -M virt -m 256 \
			-bios /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin \
			-kernel /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin \
			-drive "if=none,id=esp,file=fat:rw:$esp,format=raw" -device virtio-blk-device,drive=esp \
			-net none -nographic -no-reboot
		;;
	esac </dev/null >>"$LOG" 2>&1 || true
}

main() {
	local tmp boot_name
	case $ISA in
	x86_64) CROSS='' boot_name=BOOTX64.EFI ;;
	aarch64) CROSS=aarch64-linux-gnu- boot_name=BOOTAA64.EFI ;;
	riscv64) CROSS=riscv64-linux-gnu- boot_name=BOOTRISCV64.EFI ;;
	*) fail "unknown ISA" ;;
	esac
	mkdir -p "$LOG_DIR"
	: >"$LOG"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/pv-smoke-$ISA.XXXXXX")
	# shellcheck disable=SC2064 # expand now: tmp is local
	trap "rm -rf '$tmp'" EXIT
	write_app "$tmp/smoke.c"
	make --no-print-directory -f "$ROOT/tools/setup/toolchain.mk" CACHE_DIR="$CACHE_DIR" \
		ISA="$ISA" OUT="$tmp" "$tmp/smoke.efi" >>"$LOG" 2>&1 || fail "building the app failed"
	check_sections "$tmp/smoke.elf"
	[ "$RUN" = 1 ] || return 0
	mkdir -p "$tmp/esp/EFI/BOOT"
	cp "$tmp/smoke.efi" "$tmp/esp/EFI/BOOT/$boot_name"
	boot "$tmp/esp"
	grep -q 'PV-SMOKE-PASS' "$LOG" || fail "the app did not print PV-SMOKE-PASS under QEMU"
}

main "$@"
