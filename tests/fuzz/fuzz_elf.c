// SPDX-License-Identifier: MIT
/*
 * ELF images from anywhere, loaded as a riscv64 board loads a kernel or test program: the whole
 * input is the file, loaded into 1 MiB of RAM at 0x80000000 that has a device window right
 * below it and ROM right above. A loaded image lies wholly in RAM and reports it; a refused one
 * says why; neither reads outside the image nor writes outside RAM. Symbol lookup (HTIF's
 * tohost) runs over the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "boot/elf.h"
#include "lib/errno.h"
#include "mmu/gpa.h"
#include "fuzz.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1ull << 20)
#define DEVICE_BASE (RAM_BASE - 0x1000)
#define ROM_BASE (RAM_BASE + RAM_SIZE)

static int device_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	*value = 0;
	return 0;
}

static int device_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	return 0;
}

static const struct mmio_ops device_ops = { .read = device_read, .write = device_write };

static void require(bool ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "elf: %s\n", what);
	abort();
}

static struct gpa_space *space_create(void)
{
	struct gpa_space *gpa = gpa_space_create();

	if (!gpa || gpa_add_ram(gpa, RAM_BASE, RAM_SIZE, "ram") < 0 ||
	    gpa_add_mmio(gpa, DEVICE_BASE, 0x1000, &device_ops, NULL, "device") < 0 ||
	    gpa_add_rom(gpa, ROM_BASE, 0x1000, "rom") < 0)
		abort();
	return gpa;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gpa_space *gpa;
	char msg[ELF_ERROR_MAX];
	struct elf_info info;
	uint64_t value;
	int rc;

	if (!gpa) {
		fuzz_quiet();
		gpa = space_create();
	}
	rc = elf_check(data, size, ELF_MACHINE_RISCV, msg, sizeof(msg));
	require(rc == 0 || (rc == -ENOEXEC && memchr(msg, '\0', sizeof(msg)) && msg[0]),
		"elf_check refused without a message");
	memset(msg, 0, sizeof(msg));
	rc = elf_load(gpa, data, size, ELF_MACHINE_RISCV, &info, msg, sizeof(msg));
	if (rc == 0) {
		require(info.low <= info.high, "a loaded range that ends before it starts");
		require(info.low == info.high ||
				gpa_range_is_ram(gpa, info.low, info.high - info.low),
			"segments loaded outside RAM");
	} else {
		require(rc < 0 && memchr(msg, '\0', sizeof(msg)) && msg[0],
			"elf_load refused without a message");
	}
	elf_symbol(data, size, "tohost", &value);
	return 0;
}
