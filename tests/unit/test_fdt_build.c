// SPDX-License-Identifier: MIT
/*
 * boot/fdt: a tree built with the helpers reads back through libfdt; failures stick and explain;
 * fdt_check_tree refuses a property named twice in a node and damaged trees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "boot/fdt.h"
#include "lib/errno.h"

static uint8_t buf[8192];

static const void *prop(const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(buf, path);
	const void *value;

	assert_true(node >= 0);
	value = fdt_getprop(buf, node, name, len);
	assert_non_null(value);
	return value;
}

static uint32_t prop_cell(const char *path, const char *name, int index)
{
	int len;
	const fdt32_t *cells = prop(path, name, &len);

	assert_true(len >= 4 * (index + 1));
	return fdt32_to_cpu(cells[index]);
}

/* The shape of what the riscv64 virt board writes. */
static void build_virt_like(struct fdt_build *b)
{
	static const char *const compat[] = { "sifive,plic-1.0.0", "riscv,plic0" };
	uint32_t cpu_intc, plic;

	fdt_build_init(b, buf, sizeof(buf));
	cpu_intc = fdt_build_new_phandle(b);
	plic = fdt_build_new_phandle(b);
	fdt_build_prop_u32(b, "#address-cells", 2);
	fdt_build_prop_u32(b, "#size-cells", 2);
	fdt_build_prop_string(b, "compatible", "riscv-virtio");

	fdt_build_begin_node(b, "chosen");
	fdt_build_prop_string(b, "bootargs", "console=ttyS0 earlycon");
	fdt_build_prop_u64(b, "linux,initrd-start", 0x9fa00000ull);
	fdt_build_prop_u64(b, "linux,initrd-end", 0x9fb00123ull);
	fdt_build_prop_string(b, "stdout-path", "/soc/serial@10000000");
	fdt_build_end_node(b);

	fdt_build_begin_node_at(b, "memory", 0x80000000);
	fdt_build_prop_string(b, "device_type", "memory");
	fdt_build_prop_reg(b, 2, 2, &(struct fdt_reg){ 0x80000000, 0x120000000ull }, 1);
	fdt_build_end_node(b);

	fdt_build_begin_node(b, "cpus");
	fdt_build_prop_u32(b, "#address-cells", 1);
	fdt_build_prop_u32(b, "#size-cells", 0);
	fdt_build_begin_node_at(b, "cpu", 0);
	fdt_build_prop_reg(b, 1, 0, &(struct fdt_reg){ 0, 0 }, 1);
	fdt_build_prop_string(b, "riscv,isa", "rv64imafdc");
	fdt_build_begin_node(b, "interrupt-controller");
	fdt_build_prop_empty(b, "interrupt-controller");
	fdt_build_prop_u32(b, "phandle", cpu_intc);
	fdt_build_end_node(b);
	fdt_build_end_node(b);
	fdt_build_end_node(b);

	fdt_build_begin_node(b, "soc");
	fdt_build_prop_empty(b, "ranges");
	fdt_build_begin_node_at(b, "plic", 0xc000000);
	fdt_build_prop_strings(b, "compatible", compat, 2);
	fdt_build_prop_u32(b, "phandle", plic);
	fdt_build_prop_cells(b, "interrupts-extended",
			     (const uint32_t[]){ cpu_intc, 11, cpu_intc, 9 }, 4);
	fdt_build_prop_reg(b, 2, 2, &(struct fdt_reg){ 0xc000000, 0x600000 }, 1);
	fdt_build_end_node(b);
	fdt_build_begin_node_at(b, "serial", 0x10000000);
	fdt_build_prop_u32(b, "interrupt-parent", plic);
	fdt_build_end_node(b);
	fdt_build_end_node(b);
}

static void test_fdt_build_tree_reads_back_with_libfdt(void **state)
{
	struct fdt_build b;
	size_t size = 0;
	int len;
	const char *text;

	build_virt_like(&b);
	assert_int_equal(fdt_build_finish(&b, &size), 0);
	assert_int_equal(fdt_check_header(buf), 0);
	assert_int_equal(size, fdt_totalsize(buf));
	assert_true(size < sizeof(buf));

	assert_int_equal(prop_cell("/", "#address-cells", 0), 2);
	assert_string_equal(prop("/", "compatible", &len), "riscv-virtio");
	assert_string_equal(prop("/chosen", "bootargs", &len), "console=ttyS0 earlycon");
	assert_int_equal(len, (int)strlen("console=ttyS0 earlycon") + 1);
	assert_int_equal(prop_cell("/chosen", "linux,initrd-start", 0), 0);
	assert_int_equal(prop_cell("/chosen", "linux,initrd-start", 1), 0x9fa00000u);
	assert_int_equal(prop_cell("/chosen", "linux,initrd-end", 1), 0x9fb00123u);
	assert_string_equal(prop("/chosen", "stdout-path", &len), "/soc/serial@10000000");

	assert_int_equal(prop_cell("/memory@80000000", "reg", 0), 0);
	assert_int_equal(prop_cell("/memory@80000000", "reg", 1), 0x80000000u);
	assert_int_equal(prop_cell("/memory@80000000", "reg", 2), 1);
	assert_int_equal(prop_cell("/memory@80000000", "reg", 3), 0x20000000u);

	prop("/cpus/cpu@0", "reg", &len);
	assert_int_equal(len, 4);
	assert_int_equal(prop_cell("/cpus/cpu@0", "reg", 0), 0);
	prop("/cpus/cpu@0/interrupt-controller", "interrupt-controller", &len);
	assert_int_equal(len, 0);

	text = prop("/soc/plic@c000000", "compatible", &len);
	assert_int_equal(len, (int)sizeof("sifive,plic-1.0.0") + (int)sizeof("riscv,plic0"));
	assert_string_equal(text, "sifive,plic-1.0.0");
	assert_string_equal(text + sizeof("sifive,plic-1.0.0"), "riscv,plic0");
	assert_int_equal(fdt_node_check_compatible(buf, fdt_path_offset(buf, "/soc/plic@c000000"),
						   "riscv,plic0"),
			 0);
	assert_int_equal(prop_cell("/soc/plic@c000000", "interrupts-extended", 1), 11);
	assert_int_equal(prop_cell("/soc/plic@c000000", "interrupts-extended", 3), 9);

	/* Phandles resolve to the nodes that carry them. */
	assert_int_equal(fdt_node_offset_by_phandle(buf, prop_cell("/soc/plic@c000000",
								   "interrupts-extended", 0)),
			 fdt_path_offset(buf, "/cpus/cpu@0/interrupt-controller"));
	assert_int_equal(fdt_node_offset_by_phandle(buf, prop_cell("/soc/serial@10000000",
								   "interrupt-parent", 0)),
			 fdt_path_offset(buf, "/soc/plic@c000000"));
}

static void test_fdt_build_small_buffer_fails_with_enospc_and_names_the_node(void **state)
{
	struct fdt_build b;
	size_t size = 0;

	fdt_build_init(&b, buf, 200);
	fdt_build_begin_node_at(&b, "memory", 0x80000000);
	fdt_build_prop_string(&b, "device_type", "memory");
	fdt_build_prop_cells(&b, "big", (const uint32_t[32]){ 0 }, 32);
	/* Later calls do nothing; the first failure is what is reported. */
	fdt_build_prop_u32(&b, "other", 1);
	fdt_build_end_node(&b);
	assert_int_equal(fdt_build_finish(&b, &size), -ENOSPC);
	assert_string_equal(b.error, "/memory@80000000: property 'big': no room in the 200-byte "
				     "buffer");
	assert_int_equal(size, 0);

	fdt_build_init(&b, buf, 16);
	assert_int_equal(fdt_build_finish(&b, &size), -ENOSPC);
	assert_string_equal(b.error, "/: the tree's header: no room in the 16-byte buffer");
}

static void test_fdt_build_reg_values_must_fit_their_cells(void **state)
{
	struct fdt_build b;
	size_t size;

	fdt_build_init(&b, buf, sizeof(buf));
	fdt_build_begin_node(&b, "soc");
	fdt_build_prop_reg(&b, 1, 1, &(struct fdt_reg){ 0x100000000ull, 0x1000 }, 1);
	fdt_build_end_node(&b);
	assert_int_equal(fdt_build_finish(&b, &size), -ERANGE);
	assert_string_equal(b.error, "/soc: property 'reg': 0x100000000+0x1000 does not fit 1 "
				     "address and 1 size cells");

	fdt_build_init(&b, buf, sizeof(buf));
	fdt_build_prop_reg(&b, 3, 1, &(struct fdt_reg){ 0, 0 }, 1);
	assert_int_equal(fdt_build_finish(&b, &size), -EINVAL);

	/* Two ranges with one cell each. */
	fdt_build_init(&b, buf, sizeof(buf));
	fdt_build_prop_reg(&b, 1, 1, (const struct fdt_reg[]){ { 0x10, 0x20 }, { 0x30, 0x40 } }, 2);
	assert_int_equal(fdt_build_finish(&b, &size), 0);
	assert_int_equal(prop_cell("/", "reg", 0), 0x10);
	assert_int_equal(prop_cell("/", "reg", 1), 0x20);
	assert_int_equal(prop_cell("/", "reg", 2), 0x30);
	assert_int_equal(prop_cell("/", "reg", 3), 0x40);
}

static void test_fdt_build_unbalanced_nodes_are_refused(void **state)
{
	struct fdt_build b;
	size_t size;

	fdt_build_init(&b, buf, sizeof(buf));
	fdt_build_begin_node(&b, "cpus");
	assert_int_equal(fdt_build_finish(&b, &size), -EINVAL);
	assert_string_equal(b.error, "/cpus: node left open at the end of the tree");

	fdt_build_init(&b, buf, sizeof(buf));
	fdt_build_end_node(&b);
	assert_int_equal(fdt_build_finish(&b, &size), -EINVAL);
	assert_string_equal(b.error, "/: a node closed that was never opened");

	/* Siblings: each closes before the next opens, and the path follows. */
	fdt_build_init(&b, buf, sizeof(buf));
	fdt_build_begin_node(&b, "a");
	fdt_build_end_node(&b);
	fdt_build_begin_node(&b, "b");
	fdt_build_prop_cells(&b, "big", (const uint32_t[2]){ 0 }, 2);
	assert_string_equal(b.path, "/b");
	fdt_build_end_node(&b);
	assert_int_equal(fdt_build_finish(&b, &size), 0);
	assert_true(fdt_path_offset(buf, "/a") >= 0);
	assert_true(fdt_path_offset(buf, "/b") >= 0);
}

/* libfdt's sequential writer would take it, and fdt_getprop would then never find it. */
static void test_fdt_build_property_after_a_child_node_is_refused(void **state)
{
	struct fdt_build b;
	size_t size;

	fdt_build_init(&b, buf, sizeof(buf));
	fdt_build_begin_node(&b, "soc");
	fdt_build_begin_node(&b, "uart");
	fdt_build_end_node(&b);
	fdt_build_prop_u32(&b, "late", 1);
	assert_int_equal(fdt_build_finish(&b, &size), -EINVAL);
	assert_string_equal(b.error,
			    "/soc: property 'late' after a child node (properties come first)");

	/* A closed child does not bind its parent's later siblings or the next node's props. */
	fdt_build_init(&b, buf, sizeof(buf));
	fdt_build_prop_u32(&b, "early", 1);
	fdt_build_begin_node(&b, "a");
	fdt_build_begin_node(&b, "a1");
	fdt_build_end_node(&b);
	fdt_build_end_node(&b);
	fdt_build_begin_node(&b, "b");
	fdt_build_prop_u32(&b, "first", 2);
	fdt_build_end_node(&b);
	assert_int_equal(fdt_build_finish(&b, &size), 0);
	assert_int_equal(prop_cell("/", "early", 0), 1);
	assert_int_equal(prop_cell("/b", "first", 0), 2);
}

/* libfdt's sequential writer takes a name twice in a node, and fdt_getprop finds only the first. */
static void test_fdt_build_duplicate_property_is_refused_with_its_path(void **state)
{
	struct fdt_build b;
	size_t size = 0;

	fdt_build_init(&b, buf, sizeof(buf));
	fdt_build_begin_node(&b, "soc");
	fdt_build_begin_node_at(&b, "serial", 0x10000000);
	fdt_build_prop_string(&b, "compatible", "ns16550a");
	fdt_build_prop_reg(&b, 2, 2, &(struct fdt_reg){ 0x10000000, 0x100 }, 1);
	fdt_build_prop_u32(&b, "interrupts", 10);
	fdt_build_prop_reg(&b, 2, 2, &(struct fdt_reg){ 0x20000000, 0x100 }, 1);
	fdt_build_end_node(&b);
	fdt_build_end_node(&b);
	assert_int_equal(fdt_build_finish(&b, &size), -EINVAL);
	assert_string_equal(b.error, "/soc/serial@10000000: property 'reg' appears twice");
	assert_int_equal(size, 0);

	fdt_build_init(&b, buf, sizeof(buf));
	fdt_build_prop_u32(&b, "#address-cells", 2);
	fdt_build_prop_empty(&b, "#address-cells");
	assert_int_equal(fdt_build_finish(&b, &size), -EINVAL);
	assert_string_equal(b.error, "/: property '#address-cells' appears twice");

	/* The same name in different nodes, parent and child included, is what trees are made of. */
	fdt_build_init(&b, buf, sizeof(buf));
	fdt_build_prop_u32(&b, "#address-cells", 2);
	fdt_build_begin_node(&b, "a");
	fdt_build_prop_u32(&b, "#address-cells", 1);
	fdt_build_end_node(&b);
	fdt_build_begin_node(&b, "b");
	fdt_build_prop_u32(&b, "#address-cells", 0);
	fdt_build_end_node(&b);
	assert_int_equal(fdt_build_finish(&b, &size), 0);
	assert_int_equal(prop_cell("/a", "#address-cells", 0), 1);
	assert_int_equal(prop_cell("/b", "#address-cells", 0), 0);
}

/* A tree made with plain libfdt stands for a -dtb file: it reaches no builder. */
static size_t raw_tree(const char *second_name)
{
	assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_begin_node(buf, "cpus"), 0);
	assert_int_equal(fdt_begin_node(buf, "cpu@0"), 0);
	assert_int_equal(fdt_property_string(buf, "riscv,isa", "rv64imafdc"), 0);
	assert_int_equal(fdt_property_u32(buf, "reg", 0), 0);
	assert_int_equal(fdt_property_string(buf, second_name, "rv64gc"), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	return fdt_totalsize(buf);
}

static void test_fdt_check_tree_refuses_given_trees_with_duplicates_or_damage(void **state)
{
	char msg[FDT_BUILD_ERROR_MAX];
	size_t size;

	size = raw_tree("mmu-type");
	strcpy(msg, "untouched");
	assert_int_equal(fdt_check_tree(buf, size, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "untouched");

	size = raw_tree("riscv,isa");
	assert_int_equal(fdt_check_tree(buf, size, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "/cpus/cpu@0: property 'riscv,isa' appears twice");
	/* libfdt itself has no objection, and would hand a guest the first value. */
	assert_int_equal(fdt_check_full(buf, size), 0);

	/* An older layout than version 17. */
	size = raw_tree("mmu-type");
	fdt_set_version(buf, 16);
	assert_int_equal(fdt_check_tree(buf, size, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "device tree version 16 is older than 17, the one read");

	/* Cut short, or not a tree at all. */
	size = raw_tree("mmu-type");
	assert_int_equal(fdt_check_tree(buf, size - 8, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "not a valid device tree: FDT_ERR_TRUNCATED");
	memset(buf, 0x5a, 64);
	assert_int_equal(fdt_check_tree(buf, size, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "not a valid device tree: FDT_ERR_BADMAGIC");
	assert_int_equal(fdt_check_tree(buf, 3, msg, sizeof(msg)), -EINVAL);
	assert_string_equal(msg, "not a valid device tree: FDT_ERR_TRUNCATED");
}

static void test_fdt_build_errno_maps_libfdt_errors(void **state)
{
	assert_int_equal(fdt_build_errno(-FDT_ERR_NOSPACE), -ENOSPC);
	assert_int_equal(fdt_build_errno(-FDT_ERR_NOTFOUND), -ENOENT);
	assert_int_equal(fdt_build_errno(-FDT_ERR_EXISTS), -EEXIST);
	assert_int_equal(fdt_build_errno(-FDT_ERR_TRUNCATED), -EFAULT);
	assert_int_equal(fdt_build_errno(-FDT_ERR_BADMAGIC), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fdt_build_tree_reads_back_with_libfdt),
		cmocka_unit_test(test_fdt_build_small_buffer_fails_with_enospc_and_names_the_node),
		cmocka_unit_test(test_fdt_build_reg_values_must_fit_their_cells),
		cmocka_unit_test(test_fdt_build_unbalanced_nodes_are_refused),
		cmocka_unit_test(test_fdt_build_property_after_a_child_node_is_refused),
		cmocka_unit_test(test_fdt_build_duplicate_property_is_refused_with_its_path),
		cmocka_unit_test(test_fdt_check_tree_refuses_given_trees_with_duplicates_or_damage),
		cmocka_unit_test(test_fdt_build_errno_maps_libfdt_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
