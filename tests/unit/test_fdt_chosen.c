// SPDX-License-Identifier: MIT
/*
 * boot/fdt_chosen: a user's tree gets this boot's bootargs and initrd in /chosen (made when
 * missing), loses a stale initrd, keeps everything else, comes out packed; trees that are not
 * trees, are cut short, damaged or too large are refused with a message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "boot/fdt.h"
#include "boot/fdt_chosen.h"
#include "lib/errno.h"

static uint8_t src[4096];
static size_t src_size;
static uint8_t out[8192];
static char msg[FDT_CHOSEN_ERROR_MAX];

/* A small tree like a dumped virt one; with_chosen adds /chosen with an older boot's values. */
static void make_tree(bool with_chosen)
{
	struct fdt_build b;

	fdt_build_init(&b, src, sizeof(src));
	fdt_build_prop_string(&b, "model", "riscv-virtio,qemu");
	if (with_chosen) {
		fdt_build_begin_node(&b, "chosen");
		fdt_build_prop_string(&b, "bootargs", "console=ttyS0 pvtest=old");
		fdt_build_prop_u64(&b, "linux,initrd-start", 0x9f000000ull);
		fdt_build_prop_u64(&b, "linux,initrd-end", 0x9f100000ull);
		fdt_build_prop_string(&b, "stdout-path", "/soc/serial@10000000");
		fdt_build_end_node(&b);
	}
	fdt_build_begin_node_at(&b, "memory", 0x80000000);
	fdt_build_prop_string(&b, "device_type", "memory");
	fdt_build_end_node(&b);
	assert_int_equal(fdt_build_finish(&b, &src_size), 0);
}

static const char *chosen_string(const char *name)
{
	int node = fdt_path_offset(out, "/chosen");
	const char *value;

	assert_true(node >= 0);
	value = fdt_getprop(out, node, name, NULL);
	assert_non_null(value);
	return value;
}

static bool chosen_has(const char *name)
{
	int node = fdt_path_offset(out, "/chosen");

	assert_true(node >= 0);
	return fdt_getprop(out, node, name, NULL) != NULL;
}

static uint64_t chosen_u64(const char *name)
{
	int node = fdt_path_offset(out, "/chosen");
	int len;
	const void *value = fdt_getprop(out, node, name, &len);
	fdt64_t cell;

	assert_non_null(value);
	assert_int_equal(len, 8);
	memcpy(&cell, value, sizeof(cell));
	return fdt64_to_cpu(cell);
}

static int fixup(const struct fdt_chosen *chosen, size_t buf_size, size_t *size)
{
	memset(out, 0xa5, sizeof(out));
	msg[0] = '\0';
	return fdt_chosen_fixup(src, src_size, chosen, out, buf_size, size, msg, sizeof(msg));
}

static void test_chosen_gets_bootargs_and_initrd_and_the_rest_is_kept(void **state)
{
	struct fdt_chosen chosen = { "console=ttyS0 pvtest=new", 0x9e000000ull, 0x9e200000ull };
	size_t size = 0;

	make_tree(true);
	assert_int_equal(fixup(&chosen, sizeof(out), &size), 0);
	assert_int_equal(fdt_check_full(out, size), 0);
	/* Packed: the tree is its content, not the whole buffer it was opened into. */
	assert_int_equal(fdt_totalsize(out), size);
	assert_true(size < src_size + 128);
	assert_string_equal(chosen_string("bootargs"), "console=ttyS0 pvtest=new");
	assert_int_equal(chosen_u64("linux,initrd-start"), 0x9e000000ull);
	assert_int_equal(chosen_u64("linux,initrd-end"), 0x9e200000ull);
	assert_string_equal(chosen_string("stdout-path"), "/soc/serial@10000000");
	assert_string_equal(fdt_getprop(out, 0, "model", NULL), "riscv-virtio,qemu");
	assert_true(fdt_path_offset(out, "/memory@80000000") >= 0);
}

static void test_chosen_is_made_when_the_tree_has_none(void **state)
{
	struct fdt_chosen chosen = { "root=/dev/vda", 0x90000000ull, 0x90001000ull };
	size_t size = 0;

	make_tree(false);
	assert_true(fdt_path_offset(src, "/chosen") < 0);
	assert_int_equal(fixup(&chosen, sizeof(out), &size), 0);
	assert_string_equal(chosen_string("bootargs"), "root=/dev/vda");
	assert_int_equal(chosen_u64("linux,initrd-end"), 0x90001000ull);
	assert_true(fdt_path_offset(out, "/memory@80000000") >= 0);
}

static void test_without_initrd_stale_values_go_and_empty_bootargs_stay(void **state)
{
	struct fdt_chosen chosen = { "", 0, 0 };
	size_t size = 0;

	make_tree(true);
	assert_int_equal(fixup(&chosen, sizeof(out), &size), 0);
	assert_false(chosen_has("linux,initrd-start"));
	assert_false(chosen_has("linux,initrd-end"));
	/* As QEMU: no -append keeps the tree's own command line. */
	assert_string_equal(chosen_string("bootargs"), "console=ttyS0 pvtest=old");
	chosen.bootargs = NULL;
	make_tree(false);
	assert_int_equal(fixup(&chosen, sizeof(out), &size), 0);
	assert_false(chosen_has("bootargs"));
	assert_false(chosen_has("linux,initrd-start"));
}

static void test_what_is_not_a_tree_is_refused(void **state)
{
	static const uint8_t text[64] = "console=ttyS0, but not a device tree";
	struct fdt_chosen chosen = { "x", 0, 0 };
	size_t size;

	assert_int_equal(fdt_chosen_fixup(text, sizeof(text), &chosen, out, sizeof(out), &size, msg,
					  sizeof(msg)),
			 -EINVAL);
	assert_string_equal(msg, "not a device tree blob (no d00dfeed magic at its start)");
	assert_int_equal(fdt_chosen_fixup(text, 3, &chosen, out, sizeof(out), &size, msg,
					  sizeof(msg)),
			 -EINVAL);
	make_tree(true);
	assert_int_equal(fdt_chosen_fixup(src, src_size - 1, &chosen, out, sizeof(out), &size, msg,
					  sizeof(msg)),
			 -EINVAL);
	assert_non_null(strstr(msg, "truncated: its header says "));
}

static void test_a_damaged_structure_is_refused(void **state)
{
	struct fdt_chosen chosen = { "x", 0, 0 };
	size_t size;

	make_tree(true);
	/* The first token of the structure block becomes garbage. */
	memset(src + fdt_off_dt_struct(src), 0x7f, 4);
	assert_int_equal(fixup(&chosen, sizeof(out), &size), -EINVAL);
	assert_non_null(strstr(msg, "not a valid device tree: "));
}

/* A duplicate bootargs would keep the stale one beside the new: the fix-up would mean nothing. */
static void test_a_property_named_twice_is_refused(void **state)
{
	struct fdt_chosen chosen = { "x", 0, 0 };
	size_t size;

	assert_int_equal(fdt_create(src, sizeof(src)), 0);
	assert_int_equal(fdt_finish_reservemap(src), 0);
	assert_int_equal(fdt_begin_node(src, ""), 0);
	assert_int_equal(fdt_begin_node(src, "chosen"), 0);
	assert_int_equal(fdt_property_string(src, "bootargs", "old"), 0);
	assert_int_equal(fdt_property_string(src, "bootargs", "older"), 0);
	assert_int_equal(fdt_end_node(src), 0);
	assert_int_equal(fdt_end_node(src), 0);
	assert_int_equal(fdt_finish(src), 0);
	src_size = fdt_totalsize(src);
	assert_int_equal(fixup(&chosen, sizeof(out), &size), -EINVAL);
	assert_string_equal(msg, "/chosen: property 'bootargs' appears twice");
}

static void test_a_tree_larger_than_the_room_is_refused(void **state)
{
	static char bootargs[600];
	char expected[FDT_CHOSEN_ERROR_MAX];
	struct fdt_chosen chosen = { "x", 0, 0 };
	size_t size;

	make_tree(true);
	assert_int_equal(fixup(&chosen, src_size - 8, &size), -E2BIG);
	assert_non_null(strstr(msg, "more than the "));
	/* It fits as given, but not once the command line is in. */
	memset(bootargs, 'a', sizeof(bootargs) - 1);
	chosen.bootargs = bootargs;
	assert_int_equal(fixup(&chosen, src_size + 64, &size), -E2BIG);
	snprintf(expected, sizeof(expected),
		 "/chosen: the tree needs more than the %zu bytes there is room for",
		 src_size + 64);
	assert_string_equal(msg, expected);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chosen_gets_bootargs_and_initrd_and_the_rest_is_kept),
		cmocka_unit_test(test_chosen_is_made_when_the_tree_has_none),
		cmocka_unit_test(test_without_initrd_stale_values_go_and_empty_bootargs_stay),
		cmocka_unit_test(test_what_is_not_a_tree_is_refused),
		cmocka_unit_test(test_a_damaged_structure_is_refused),
		cmocka_unit_test(test_a_property_named_twice_is_refused),
		cmocka_unit_test(test_a_tree_larger_than_the_room_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
