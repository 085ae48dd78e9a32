// SPDX-License-Identifier: MIT
/*
 * boot/linux: RISC-V and arm64 Image headers built here, each refusal with its message, the
 * layout of kernel, initrd and DTB in RAM, and loading them into guest memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "boot/linux.h"
#include "lib/errno.h"
#include "mmu/gpa.h"

#define MiB (1ull << 20)
#define RAM_BASE 0x80000000ull

static uint8_t image[8192];

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* A RISC-V header 0.2 as Linux's head.S lays it out. */
static void make_riscv(uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	memset(image, 0x13, sizeof(image)); /* addi x0, x0, 0 bytes: something to copy */
	put64(image + 8, text_offset);
	put64(image + 16, image_size);
	put64(image + 24, flags);
	put32(image + 32, 2); /* version 0.2 */
	put32(image + 36, 0);
	put64(image + 40, 0);
	memcpy(image + 48, "RISCV\0\0\0", 8);
	memcpy(image + 56, "RSC\x05", 4);
	put32(image + 60, 0);
}

static void make_arm64(uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	memset(image, 0x1f, sizeof(image));
	put64(image + 8, text_offset);
	put64(image + 16, image_size);
	put64(image + 24, flags);
	put64(image + 32, 0);
	put64(image + 40, 0);
	put64(image + 48, 0);
	memcpy(image + 56, "ARM\x64", 4);
	put32(image + 60, 0);
}

static void test_linux_parses_riscv64_header(void **state)
{
	struct linux_image k;
	char msg[LINUX_ERROR_MAX];

	make_riscv(0x200000, 0x1400000, 0);
	assert_int_equal(linux_image_parse(LINUX_ARCH_RISCV64, image, sizeof(image), &k, msg,
					   sizeof(msg)),
			 0);
	assert_int_equal(k.text_offset, 0x200000);
	assert_int_equal(k.image_size, 0x1400000);
	assert_int_equal(k.file_size, sizeof(image));
	assert_int_equal(k.base_align, 2 * MiB);
	assert_int_equal(k.version, 2);
	assert_int_equal(k.page_size, 0);

	/* A 0.1 header has only the 8-byte magic. */
	memset(image + 56, 0, 4);
	assert_int_equal(linux_image_parse(LINUX_ARCH_RISCV64, image, sizeof(image), &k, msg,
					   sizeof(msg)),
			 0);
	/* image_size below the file's size: the file still has to fit. */
	make_riscv(0x200000, 64, 0);
	assert_int_equal(linux_image_parse(LINUX_ARCH_RISCV64, image, sizeof(image), &k, msg,
					   sizeof(msg)),
			 0);
	assert_int_equal(k.image_size, sizeof(image));
}

static void test_linux_parses_arm64_header(void **state)
{
	struct linux_image k;
	char msg[LINUX_ERROR_MAX];

	/* 4K pages (flags bits 2:1 = 1), placement anywhere (bit 3). */
	make_arm64(0, 0x2000000, 0x2 | 0x8);
	assert_int_equal(
		linux_image_parse(LINUX_ARCH_ARM64, image, sizeof(image), &k, msg, sizeof(msg)), 0);
	assert_int_equal(k.text_offset, 0);
	assert_int_equal(k.image_size, 0x2000000);
	assert_int_equal(k.page_size, 4096);
	assert_int_equal(k.flags, 0xa);
	assert_int_equal(k.version, 0);
	make_arm64(0, 0x2000000, 0x6);
	assert_int_equal(
		linux_image_parse(LINUX_ARCH_ARM64, image, sizeof(image), &k, msg, sizeof(msg)), 0);
	assert_int_equal(k.page_size, 65536);
	/* Before 3.17 image_size was 0 and text_offset meant 0x80000. */
	make_arm64(0, 0, 0);
	assert_int_equal(
		linux_image_parse(LINUX_ARCH_ARM64, image, sizeof(image), &k, msg, sizeof(msg)), 0);
	assert_int_equal(k.text_offset, 0x80000);
	assert_int_equal(k.image_size, sizeof(image));
}

static void test_linux_refuses_bad_headers_with_a_reason(void **state)
{
	struct linux_image k;
	char msg[LINUX_ERROR_MAX];

	make_riscv(0x200000, 0x100000, 0);
	assert_int_equal(linux_image_parse(LINUX_ARCH_RISCV64, image, 63, &k, msg, sizeof(msg)),
			 -ENOEXEC);
	assert_string_equal(msg, "truncated RISC-V Linux Image: 63 bytes, the header alone is 64");

	/* An arm64 kernel is not a RISC-V one, and the other way round. */
	assert_int_equal(linux_image_parse(LINUX_ARCH_ARM64, image, sizeof(image), &k, msg,
					   sizeof(msg)),
			 -ENOEXEC);
	assert_string_equal(msg, "bad magic: not a Linux Image for arm64 (expected \"ARM\\x64\" at "
				 "offset 56)");
	make_arm64(0, 0x100000, 0);
	assert_int_equal(linux_image_parse(LINUX_ARCH_RISCV64, image, sizeof(image), &k, msg,
					   sizeof(msg)),
			 -ENOEXEC);
	assert_string_equal(msg,
			    "bad magic: not a Linux Image for RISC-V (expected \"RSC\\x05\" at "
			    "offset 56)");

	make_arm64(0, 0x100000, 1);
	assert_int_equal(linux_image_parse(LINUX_ARCH_ARM64, image, sizeof(image), &k, msg,
					   sizeof(msg)),
			 -ENOEXEC);
	assert_string_equal(msg,
			    "big-endian arm64 kernel: only little-endian guests are supported");
	make_riscv(0x200000, 0x100000, 1);
	assert_int_equal(linux_image_parse(LINUX_ARCH_RISCV64, image, sizeof(image), &k, msg,
					   sizeof(msg)),
			 -ENOEXEC);
	assert_string_equal(msg,
			    "big-endian RISC-V kernel: only little-endian guests are supported");
}

static struct linux_image parse_riscv(uint64_t image_size)
{
	struct linux_image k;

	make_riscv(0x200000, image_size, 0);
	assert_int_equal(linux_image_parse(LINUX_ARCH_RISCV64, image, sizeof(image), &k, NULL, 0),
			 0);
	return k;
}

static void test_linux_layout_puts_initrd_high_below_the_dtb(void **state)
{
	struct linux_image k = parse_riscv(20 * MiB);
	struct linux_layout_request req = {
		.ram_base = RAM_BASE,
		.ram_size = 512 * MiB,
		.initrd_size = 5 * MiB + 123,
		.dtb_max = 64 * 1024,
	};
	struct linux_layout l;
	char msg[LINUX_ERROR_MAX];

	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), 0);
	assert_int_equal(l.kernel_addr, RAM_BASE + 2 * MiB);
	assert_int_equal(l.kernel_end, RAM_BASE + 22 * MiB);
	assert_int_equal(l.dtb_addr, RAM_BASE + 510 * MiB);
	assert_int_equal(l.dtb_max, 64 * 1024);
	assert_int_equal(l.initrd_end - l.initrd_start, req.initrd_size);
	assert_int_equal(l.initrd_start % 4096, 0);
	assert_true(l.initrd_end <= l.dtb_addr);
	assert_true(l.dtb_addr - l.initrd_end < 4096);

	/* RAM that starts off a 2 MiB boundary: the kernel's base is rounded up. */
	req.ram_base = RAM_BASE + 0x1000;
	req.ram_size = 64 * MiB;
	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), 0);
	assert_int_equal(l.kernel_addr, RAM_BASE + 4 * MiB);

	/* No initrd: nothing planned for it. */
	req.initrd_size = 0;
	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), 0);
	assert_int_equal(l.initrd_start, 0);
	assert_int_equal(l.initrd_end, 0);
}

static void test_linux_layout_refuses_kernel_larger_than_ram(void **state)
{
	struct linux_image k = parse_riscv(64 * MiB);
	struct linux_layout_request req = {
		.ram_base = RAM_BASE,
		.ram_size = 32 * MiB,
		.dtb_max = 64 * 1024,
	};
	struct linux_layout l;
	char msg[LINUX_ERROR_MAX];

	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), -E2BIG);
	assert_string_equal(msg, "kernel image larger than RAM: it needs 67108864 bytes at offset "
				 "0x200000 from 0x80000000, RAM is 33554432 bytes");
	/* A text_offset that would wrap is caught too. */
	k.text_offset = UINT64_MAX - 4096;
	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), -E2BIG);
}

static void test_linux_layout_refuses_dtb_that_does_not_fit(void **state)
{
	struct linux_image k = parse_riscv(29 * MiB);
	struct linux_layout_request req = {
		.ram_base = RAM_BASE,
		.ram_size = 32 * MiB,
		.dtb_max = 1 * MiB,
	};
	struct linux_layout l;
	char msg[LINUX_ERROR_MAX];

	/* The kernel ends at 31 MiB, the DTB would start at the 2 MiB boundary at 30 MiB. */
	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), -E2BIG);
	assert_string_equal(msg, "the DTB (1048576 bytes on a 2 MiB boundary) does not fit between "
				 "the kernel's end at 0x81f00000 and the end of RAM at 0x82000000");
	req.dtb_max = LINUX_DTB_MAX + 1;
	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), -EINVAL);
}

static void test_linux_layout_refuses_initrd_too_big_or_overlapping(void **state)
{
	struct linux_image k = parse_riscv(20 * MiB);
	struct linux_layout_request req = {
		.ram_base = RAM_BASE,
		.ram_size = 64 * MiB,
		.initrd_size = 41 * MiB,
		.dtb_max = 64 * 1024,
	};
	struct linux_layout l;
	char msg[LINUX_ERROR_MAX];

	/* Between the kernel's end (22 MiB) and the DTB (62 MiB) there are 40 MiB. */
	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), -E2BIG);
	assert_string_equal(msg, "initrd of 42991616 bytes does not fit between the kernel's end "
				 "at 0x81600000 and the DTB at 0x83e00000");
	req.initrd_size = 40 * MiB;
	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), 0);
	assert_int_equal(l.initrd_start, l.kernel_end);
	/* One byte more and the page alignment pushes it into the kernel. */
	req.initrd_size = 40 * MiB + 1;
	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), -E2BIG);

	/* Where the user put it: over the kernel, over the DTB, outside RAM. */
	req.initrd_size = 1 * MiB;
	req.initrd_addr = RAM_BASE + 21 * MiB + 4096;
	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "initrd [0x81501000, 0x81601000) overlaps the kernel [0x80200000, "
				 "0x81600000)");
	req.initrd_addr = RAM_BASE + 61 * MiB + 4096;
	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "initrd [0x83d01000, 0x83e01000) overlaps the DTB [0x83e00000, "
				 "0x83e10000)");
	req.initrd_addr = RAM_BASE + 64 * MiB - 4096;
	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), -E2BIG);
	assert_string_equal(msg, "initrd of 1048576 bytes at 0x83fff000 does not fit in RAM "
				 "[0x80000000, 0x84000000)");
	req.initrd_addr = RAM_BASE + 40 * MiB;
	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), 0);
	assert_int_equal(l.initrd_start, RAM_BASE + 40 * MiB);
	assert_int_equal(l.initrd_end, RAM_BASE + 41 * MiB);
}

static void test_linux_load_copies_kernel_initrd_and_dtb(void **state)
{
	struct gpa_space *gpa = gpa_space_create();
	struct linux_image k;
	struct linux_layout_request req = {
		.ram_base = RAM_BASE,
		.ram_size = 16 * MiB,
		.initrd_size = 100,
		.dtb_max = 4096,
	};
	struct linux_layout l;
	uint8_t initrd[100], dtb[40], back[sizeof(image)];
	char msg[LINUX_ERROR_MAX];

	assert_non_null(gpa);
	assert_int_equal(gpa_add_ram(gpa, RAM_BASE, 16 * MiB, "ram"), 0);
	make_arm64(0, 1 * MiB, 0x2);
	assert_int_equal(
		linux_image_parse(LINUX_ARCH_ARM64, image, sizeof(image), &k, msg, sizeof(msg)), 0);
	assert_int_equal(linux_layout_plan(&k, &req, &l, msg, sizeof(msg)), 0);
	assert_int_equal(l.kernel_addr, RAM_BASE);
	memset(initrd, 0x77, sizeof(initrd));
	memset(dtb, 0xd0, sizeof(dtb));
	assert_int_equal(linux_load(gpa, &l, image, sizeof(image), initrd, sizeof(initrd), dtb,
				    sizeof(dtb), msg, sizeof(msg)),
			 0);
	assert_int_equal(gpa_read(gpa, l.kernel_addr, back, sizeof(image)), 0);
	assert_memory_equal(back, image, sizeof(image));
	assert_int_equal(gpa_read(gpa, l.initrd_start, back, sizeof(initrd)), 0);
	assert_memory_equal(back, initrd, sizeof(initrd));
	assert_int_equal(gpa_read(gpa, l.dtb_addr, back, sizeof(dtb)), 0);
	assert_memory_equal(back, dtb, sizeof(dtb));

	/* What does not match the plan is refused before anything is written. */
	assert_int_equal(linux_load(gpa, &l, image, sizeof(image), initrd, 99, dtb, sizeof(dtb),
				    msg, sizeof(msg)),
			 -EINVAL);
	assert_string_equal(msg, "initrd of 99 bytes, but 100 were planned");
	assert_int_equal(linux_load(gpa, &l, image, sizeof(image), initrd, sizeof(initrd), image,
				    4097, msg, sizeof(msg)),
			 -EINVAL);
	assert_string_equal(msg, "DTB of 4097 bytes does not fit the 4096 reserved for it");

	/* A plan for RAM the space does not have. */
	l.dtb_addr = RAM_BASE + 16 * MiB;
	assert_int_equal(linux_load(gpa, &l, image, sizeof(image), initrd, sizeof(initrd), dtb,
				    sizeof(dtb), msg, sizeof(msg)),
			 -EFAULT);
	assert_string_equal(msg, "the DTB (40 bytes) at 0x81000000 is not in RAM");
	/* Nothing was written: the kernel's bytes are still those of the first load. */
	l.kernel_addr += 4096;
	assert_int_equal(linux_load(gpa, &l, image, sizeof(image), initrd, sizeof(initrd), dtb,
				    sizeof(dtb), msg, sizeof(msg)),
			 -EFAULT);
	assert_int_equal(gpa_read(gpa, l.kernel_addr + 56, back, 4), 0);
	assert_memory_equal(back, "\x1f\x1f\x1f\x1f", 4);
	gpa_space_destroy(gpa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_parses_riscv64_header),
		cmocka_unit_test(test_linux_parses_arm64_header),
		cmocka_unit_test(test_linux_refuses_bad_headers_with_a_reason),
		cmocka_unit_test(test_linux_layout_puts_initrd_high_below_the_dtb),
		cmocka_unit_test(test_linux_layout_refuses_kernel_larger_than_ram),
		cmocka_unit_test(test_linux_layout_refuses_dtb_that_does_not_fit),
		cmocka_unit_test(test_linux_layout_refuses_initrd_too_big_or_overlapping),
		cmocka_unit_test(test_linux_load_copies_kernel_initrd_and_dtb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
