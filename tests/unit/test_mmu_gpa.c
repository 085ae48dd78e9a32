// SPDX-License-Identifier: MIT
/* mmu/gpa: regions, overlap rejection, bounds-checked copies, dispatch, code-page tracking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/errno.h"
#include "mmu/gpa.h"

#define RAM 0x80000000ull
#define ROM 0x1000ull
#define DEV 0x10000000ull

static struct gpa_space *space;
static uint64_t dev_offset, dev_value;
static unsigned dev_size;

static int dev_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	*value = offset * 0x100 + size;
	return offset == 0x10 ? -EIO : 0;
}

static int dev_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	dev_offset = offset;
	dev_size = size;
	dev_value = value;
	return 0;
}

static const struct mmio_ops dev_ops = { dev_read, dev_write };

static int setup(void **state)
{
	space = gpa_space_create();
	assert_non_null(space);
	assert_int_equal(gpa_add_ram(space, RAM, 0x10000, "ram"), 0);
	assert_int_equal(gpa_add_ram(space, RAM + 0x10000, 0x10000, "ram2"), 0);
	assert_int_equal(gpa_add_rom(space, ROM, 0x1000, "rom"), 0);
	assert_int_equal(gpa_add_mmio(space, DEV, 0x100, &dev_ops, NULL, "dev"), 0);
	return 0;
}

static int teardown(void **state)
{
	gpa_space_destroy(space);
	return 0;
}

static void test_gpa_rejects_overlapping_and_malformed_regions(void **state)
{
	assert_int_equal(gpa_add_ram(space, RAM + 0x1000, 0x1000, "x"), -EEXIST);
	assert_int_equal(gpa_add_ram(space, RAM - 0x1000, 0x2000, "x"), -EEXIST);
	assert_int_equal(gpa_add_mmio(space, DEV + 0xff, 1, &dev_ops, NULL, "x"), -EEXIST);
	assert_int_equal(gpa_add_ram(space, 0x123, 0x1000, "x"), -EINVAL);
	assert_int_equal(gpa_add_ram(space, 0x100000, 0x800, "x"), -EINVAL);
	assert_int_equal(gpa_add_ram(space, 0x100000, 0, "x"), -EINVAL);
	assert_int_equal(gpa_add_ram(space, ~0ull & ~0xfffull, 0x2000, "x"), -EINVAL);
	assert_int_equal(gpa_add_mmio(space, DEV + 0x100, 4, &dev_ops, NULL, "adjacent"), 0);
}

static void test_gpa_lookup_finds_each_region_by_address(void **state)
{
	assert_string_equal(gpa_lookup(space, RAM)->name, "ram");
	assert_string_equal(gpa_lookup(space, RAM + 0xffff)->name, "ram");
	assert_string_equal(gpa_lookup(space, RAM + 0x10000)->name, "ram2");
	assert_string_equal(gpa_lookup(space, ROM + 0x10)->name, "rom");
	assert_int_equal(gpa_lookup(space, DEV + 4)->kind, GPA_MMIO);
	assert_null(gpa_lookup(space, 0));
	assert_null(gpa_lookup(space, RAM + 0x20000));
}

static void test_gpa_copies_span_adjacent_regions_and_check_bounds(void **state)
{
	uint8_t out[16], in[16];
	unsigned i;

	for (i = 0; i < 16; i++)
		in[i] = (uint8_t)i;
	assert_int_equal(gpa_write(space, RAM + 0x10000 - 8, in, 16), 0);
	assert_int_equal(gpa_read(space, RAM + 0x10000 - 8, out, 16), 0);
	assert_memory_equal(in, out, 16);
	assert_int_equal(gpa_read(space, RAM + 0x20000 - 8, out, 16), -EFAULT);
	assert_int_equal(gpa_write(space, DEV, in, 4), -EFAULT);
	assert_int_equal(gpa_read(space, ~0ull - 4, out, 16), -EFAULT);
	assert_int_equal(gpa_write(space, ROM, in, 4), -EFAULT);
	assert_int_equal(gpa_load(space, ROM, in, 4), 0);
	assert_int_equal(gpa_read(space, ROM, out, 4), 0);
	assert_memory_equal(in, out, 4);
}

static void test_gpa_ram_ptr_only_inside_one_ram_region(void **state)
{
	uint8_t *p = gpa_ram_ptr(space, RAM + 0x10, 0x20);

	assert_non_null(p);
	p[0] = 0x5a;
	assert_int_equal(*(uint8_t *)gpa_ram_ptr(space, RAM + 0x10, 1), 0x5a);
	assert_null(gpa_ram_ptr(space, RAM + 0xfff0, 0x20));
	assert_null(gpa_ram_ptr(space, ROM, 4));
	assert_null(gpa_ram_ptr(space, DEV, 4));
	assert_non_null(gpa_ram_ptr(space, RAM, 0x10000));
	assert_null(gpa_ram_ptr(space, RAM, 0x10001));
}

static void test_gpa_range_is_ram_spans_adjacent_ram_but_not_rom_or_holes(void **state)
{
	assert_true(gpa_range_is_ram(space, RAM + 0xff00, 0x200));
	assert_true(gpa_range_is_ram(space, RAM, 0x20000));
	assert_false(gpa_range_is_ram(space, RAM, 0x20001));
	assert_false(gpa_range_is_ram(space, ROM, 1));
	assert_false(gpa_range_is_ram(space, DEV, 1));
}

static void test_gpa_single_accesses_dispatch_by_region_kind(void **state)
{
	uint64_t v = 0;

	assert_int_equal(gpa_access_write(space, RAM + 8, 4, 0x11223344), 0);
	assert_int_equal(gpa_access_read(space, RAM + 8, 2, &v), 0);
	assert_int_equal(v, 0x3344);
	assert_int_equal(gpa_access_read(space, DEV + 4, 8, &v), 0);
	assert_int_equal(v, 0x408);
	assert_int_equal(gpa_access_write(space, DEV + 8, 2, 0xbeef), 0);
	assert_int_equal(dev_offset, 8);
	assert_int_equal(dev_size, 2);
	assert_int_equal(dev_value, 0xbeef);
	assert_int_equal(gpa_access_read(space, DEV + 0x10, 4, &v), -EIO);
	assert_int_equal(gpa_access_read(space, DEV + 0xfe, 4, &v), -EFAULT);
	assert_int_equal(gpa_access_write(space, ROM, 4, 1), -EACCES);
	assert_int_equal(gpa_access_read(space, 0x100, 4, &v), -EFAULT);
	assert_int_equal(gpa_access_read(space, RAM, 3, &v), -EINVAL);
}

static uint64_t hook_pages[8];
static unsigned hook_calls;

static void code_hook(void *ctx, uint64_t page)
{
	hook_pages[hook_calls++ % 8] = page;
}

static void test_gpa_code_pages_move_their_generation_when_written(void **state)
{
	const atomic_uint *word;
	unsigned epoch;
	bool newly;
	uint8_t b = 1;

	gpa_set_code_hook(space, code_hook, NULL);
	hook_calls = 0;
	epoch = atomic_load(&space->code_epoch);
	assert_int_equal(gpa_code_mark(space, RAM + 0x2010, &newly), 0);
	assert_true(newly);
	assert_int_equal(atomic_load(&space->code_epoch), epoch + 1);
	assert_int_equal(gpa_code_mark(space, RAM + 0x2020, &newly), 0);
	assert_false(newly);
	assert_true(gpa_code_marked(space, RAM + 0x2fff));
	word = gpa_code_word(space, RAM + 0x2000);
	assert_int_equal(gpa_code_word_gen(word), 0);

	/* A write to another page does nothing; one to the marked page moves it once. */
	assert_int_equal(gpa_write(space, RAM + 0x3000, &b, 1), 0);
	assert_int_equal(hook_calls, 0);
	assert_int_equal(gpa_write(space, RAM + 0x2abc, &b, 1), 0);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(hook_pages[0], RAM + 0x2000);
	assert_int_equal(gpa_code_gen(space, RAM + 0x2000), 1);
	assert_false(gpa_code_marked(space, RAM + 0x2000));
	assert_int_equal(gpa_write(space, RAM + 0x2abc, &b, 1), 0);
	assert_int_equal(hook_calls, 1);

	/* Device-style single accesses and multi-page copies invalidate too. */
	gpa_code_mark(space, RAM + 0x2000, &newly);
	gpa_code_mark(space, RAM + 0x4000, &newly);
	assert_int_equal(gpa_access_write(space, RAM + 0x2000, 8, 0), 0);
	assert_int_equal(gpa_code_gen(space, RAM + 0x2000), 2);
	gpa_code_mark(space, RAM + 0x2000, &newly);
	gpa_code_written(space, RAM + 0x2ff0, 0x1020);
	assert_int_equal(gpa_code_gen(space, RAM + 0x2000), 3);
	assert_int_equal(gpa_code_gen(space, RAM + 0x4000), 1);
	assert_int_equal(gpa_code_mark(space, DEV, &newly), -EFAULT);
	assert_null(gpa_code_word(space, DEV));
	gpa_set_code_hook(space, NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gpa_rejects_overlapping_and_malformed_regions),
		cmocka_unit_test(test_gpa_lookup_finds_each_region_by_address),
		cmocka_unit_test(test_gpa_copies_span_adjacent_regions_and_check_bounds),
		cmocka_unit_test(test_gpa_ram_ptr_only_inside_one_ram_region),
		cmocka_unit_test(test_gpa_range_is_ram_spans_adjacent_ram_but_not_rom_or_holes),
		cmocka_unit_test(test_gpa_single_accesses_dispatch_by_region_kind),
		cmocka_unit_test(test_gpa_code_pages_move_their_generation_when_written),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
