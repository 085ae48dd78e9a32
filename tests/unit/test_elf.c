// SPDX-License-Identifier: MIT
/* boot/elf: accepting and loading ELF64 executables, refusing bad ones with a reason, symbols. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "boot/elf.h"
#include "lib/errno.h"
#include "mmu/gpa.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x10000ull
#define DEVICE_BASE 0x80010000ull

/*
 * A hand-made executable: ELF header, two program headers (text and bss-like data), the text
 * bytes, then .symtab and .strtab with sections describing them.
 */
struct image {
	uint8_t ehdr[64];
	uint8_t phdr[2][56];
	uint8_t text[16];
	uint8_t symtab[2][24];
	char strtab[16];
	uint8_t shdr[3][64];
};

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void make_image(struct image *img, uint64_t text_addr, uint64_t data_addr)
{
	uint8_t *e = img->ehdr;

	memset(img, 0, sizeof(*img));
	memcpy(e, "\177ELF", 4);
	e[4] = 2; /* ELFCLASS64 */
	e[5] = 1; /* little-endian */
	e[6] = 1;
	put16(e + 16, 2); /* ET_EXEC */
	put16(e + 18, ELF_MACHINE_RISCV);
	put32(e + 20, 1);
	put64(e + 24, text_addr + 4); /* entry */
	put64(e + 32, offsetof(struct image, phdr));
	put64(e + 40, offsetof(struct image, shdr));
	put16(e + 52, 64);
	put16(e + 54, 56);
	put16(e + 56, 2);
	put16(e + 58, 64);
	put16(e + 60, 3);

	put32(img->phdr[0], 1); /* PT_LOAD */
	put64(img->phdr[0] + 8, offsetof(struct image, text));
	put64(img->phdr[0] + 16, text_addr);
	put64(img->phdr[0] + 24, text_addr);
	put64(img->phdr[0] + 32, sizeof(img->text));
	put64(img->phdr[0] + 40, sizeof(img->text));
	memset(img->text, 0xab, sizeof(img->text));

	put32(img->phdr[1], 1); /* PT_LOAD with no file bytes: zero-filled */
	put64(img->phdr[1] + 8, offsetof(struct image, text));
	put64(img->phdr[1] + 16, data_addr);
	put64(img->phdr[1] + 24, data_addr);
	put64(img->phdr[1] + 32, 0);
	put64(img->phdr[1] + 40, 0x100);

	memcpy(img->strtab, "\0tohost\0", 8);
	put32(img->symtab[1], 1);
	put64(img->symtab[1] + 8, 0x80001000);
	put32(img->shdr[1] + 4, 2); /* SHT_SYMTAB */
	put64(img->shdr[1] + 24, offsetof(struct image, symtab));
	put64(img->shdr[1] + 32, sizeof(img->symtab));
	put32(img->shdr[1] + 40, 2); /* its strings */
	put64(img->shdr[1] + 56, 24);
	put32(img->shdr[2] + 4, 3); /* SHT_STRTAB */
	put64(img->shdr[2] + 24, offsetof(struct image, strtab));
	put64(img->shdr[2] + 32, sizeof(img->strtab));
}

static int read_device(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	*value = 0;
	return 0;
}

static int write_device(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	return 0;
}

static const struct mmio_ops device_ops = { read_device, write_device };

static int setup(void **state)
{
	struct gpa_space *gpa = gpa_space_create();

	assert_non_null(gpa);
	assert_int_equal(gpa_add_ram(gpa, RAM_BASE, RAM_SIZE, "ram"), 0);
	assert_int_equal(gpa_add_mmio(gpa, DEVICE_BASE, 0x1000, &device_ops, NULL, "dev"), 0);
	*state = gpa;
	return 0;
}

static int teardown(void **state)
{
	gpa_space_destroy(*state);
	return 0;
}

static void test_elf_load_copies_segments_and_zero_fills(void **state)
{
	struct gpa_space *gpa = *state;
	static struct image img;
	struct elf_info info;
	uint8_t buf[16], expect[16];
	char msg[ELF_ERROR_MAX];
	uint64_t word = ~0ull;

	make_image(&img, RAM_BASE, RAM_BASE + 0x2000);
	assert_int_equal(gpa_write(gpa, RAM_BASE + 0x2000, &word, 8), 0);
	assert_int_equal(
		elf_load(gpa, &img, sizeof(img), ELF_MACHINE_RISCV, &info, msg, sizeof(msg)), 0);
	assert_int_equal(info.entry, RAM_BASE + 4);
	assert_int_equal(info.low, RAM_BASE);
	assert_int_equal(info.high, RAM_BASE + 0x2100);
	assert_int_equal(gpa_read(gpa, RAM_BASE, buf, sizeof(buf)), 0);
	memset(expect, 0xab, sizeof(expect));
	assert_memory_equal(buf, expect, sizeof(buf));
	assert_int_equal(gpa_read(gpa, RAM_BASE + 0x2000, &word, 8), 0);
	assert_int_equal(word, 0);
}

static void test_elf_refuses_what_is_not_elf_or_is_truncated(void **state)
{
	static struct image img;
	char msg[ELF_ERROR_MAX];

	make_image(&img, RAM_BASE, RAM_BASE + 0x2000);
	assert_int_equal(elf_check("MZ\0\0", 4, ELF_MACHINE_RISCV, msg, sizeof(msg)), -ENOEXEC);
	assert_string_equal(msg, "not an ELF file");
	assert_int_equal(elf_check(&img, 40, ELF_MACHINE_RISCV, msg, sizeof(msg)), -ENOEXEC);
	assert_string_equal(msg, "truncated ELF header (40 bytes)");
	/* Program headers cut off. */
	assert_int_equal(elf_check(&img, 100, ELF_MACHINE_RISCV, msg, sizeof(msg)), -ENOEXEC);
	assert_string_equal(msg, "truncated: program header 0 is past the end");
	/* A segment's bytes cut off. */
	assert_int_equal(elf_check(&img, offsetof(struct image, text) + 8, ELF_MACHINE_RISCV, msg,
				   sizeof(msg)),
			 -ENOEXEC);
	assert_string_equal(msg, "truncated: segment 0's bytes are past the end");
}

static void test_elf_refuses_wrong_class_and_machine(void **state)
{
	static struct image img;
	char msg[ELF_ERROR_MAX];

	make_image(&img, RAM_BASE, RAM_BASE + 0x2000);
	assert_int_equal(elf_check(&img, sizeof(img), ELF_MACHINE_AARCH64, msg, sizeof(msg)),
			 -ENOEXEC);
	assert_string_equal(msg, "ELF machine 243, expected 183");
	img.ehdr[4] = 1;
	assert_int_equal(elf_check(&img, sizeof(img), ELF_MACHINE_RISCV, msg, sizeof(msg)),
			 -ENOEXEC);
	assert_string_equal(msg, "ELF class 1, expected 64-bit (2)");
}

static void test_elf_refuses_segments_outside_ram_or_over_devices(void **state)
{
	struct gpa_space *gpa = *state;
	static struct image img;
	struct elf_info info;
	char msg[ELF_ERROR_MAX];
	uint8_t byte;

	make_image(&img, 0x1000, RAM_BASE);
	assert_int_equal(elf_load(gpa, &img, sizeof(img), ELF_MACHINE_RISCV, &info, msg,
				  sizeof(msg)),
			 -EFAULT);
	assert_string_equal(msg, "segment at 0x1000 (16 bytes) is not inside RAM");
	/* The data segment runs from the end of RAM into the device. */
	make_image(&img, RAM_BASE, DEVICE_BASE - 0x80);
	assert_int_equal(elf_load(gpa, &img, sizeof(img), ELF_MACHINE_RISCV, &info, msg,
				  sizeof(msg)),
			 -EFAULT);
	assert_string_equal(msg, "segment at 0x8000ff80 (256 bytes) is not inside RAM");
	/* Nothing was written: the text segment came first but was not loaded. */
	assert_int_equal(gpa_read(gpa, RAM_BASE, &byte, 1), 0);
	assert_int_equal(byte, 0);
}

static void test_elf_symbol_finds_tohost(void **state)
{
	static struct image img;
	uint64_t value;

	make_image(&img, RAM_BASE, RAM_BASE + 0x2000);
	assert_int_equal(elf_symbol(&img, sizeof(img), "tohost", &value), 0);
	assert_int_equal(value, 0x80001000);
	assert_int_equal(elf_symbol(&img, sizeof(img), "fromhost", &value), -ENOENT);
	assert_int_equal(elf_symbol(&img, sizeof(img), "tohos", &value), -ENOENT);
	/* A symbol table past the end of a truncated image is not read. */
	assert_int_equal(elf_symbol(&img, offsetof(struct image, symtab) + 8, "tohost", &value),
			 -ENOENT);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_elf_load_copies_segments_and_zero_fills),
		T(test_elf_refuses_what_is_not_elf_or_is_truncated),
		T(test_elf_refuses_wrong_class_and_machine),
		T(test_elf_refuses_segments_outside_ram_or_over_devices),
		T(test_elf_symbol_finds_tohost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
