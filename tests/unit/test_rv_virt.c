// SPDX-License-Identifier: MIT
/*
 * The riscv64 virt board: QEMU's memory map, the device tree it builds, the fw_dynamic hand-over
 * to firmware, direct boots without firmware, a -dtb tree with this boot's /chosen, virtio slots
 * and network backends from the config, the UART's -serial, the PLIC's lines to the harts, and the
 * finisher's poweroff, failure and reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libfdt.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/emu.h"
#include "arch/riscv64/guest/virt.h"
#include "boot/fdt.h"
#include "interp/emu.h"
#include "kernel/board.h"
#include "kernel/engine.h"
#include "kernel/netdev.h"
#include "kernel/vm.h"
#include "lib/errno.h"
#include "lib/plat.h"
#include "lib/str.h"
#include "mmu/gpa.h"
#include "tests/unit/console_capture.h"

#define W(x) (uint8_t)(x), (uint8_t)((x) >> 8), (uint8_t)((x) >> 16), (uint8_t)((x) >> 24)

/* Writes 0x5555 (poweroff) to the finisher at 0x100000, then spins. */
static const uint8_t prog_poweroff[] = {
	W(0x001002b7), /* lui t0,0x100 */
	W(0x00005337), /* lui t1,0x5 */
	W(0x55530313), /* addi t1,t1,0x555 */
	W(0x0062a023), /* sw t1,0(t0) */
	W(0x0000006f), /* j . */
};

struct files {
	char kernel[32], initrd[32], firmware[32], disk[32], dtb[32];
};

static void write_file(char *path, const void *data, size_t len)
{
	int fd;
	FILE *file;

	strcpy(path, "/tmp/pv-virt-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	file = fopen(path, "wb");
	assert_non_null(file);
	assert_int_equal(fwrite(data, 1, len, file), len);
	assert_int_equal(fclose(file), 0);
}

static void remove_files(struct files *f)
{
	const char *paths[] = { f->kernel, f->initrd, f->firmware, f->disk, f->dtb };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (paths[i][0])
			unlink(paths[i]);
	}
}

static void virt_config(struct vm_config *config, const char *kernel)
{
	vm_config_init(config);
	str_copy(config->name, sizeof(config->name), "virt");
	str_copy(config->board, sizeof(config->board), "virt");
	str_copy(config->kernel, sizeof(config->kernel), kernel);
	str_copy(config->cmdline, sizeof(config->cmdline), "console=ttyS0 quiet");
	config->isa = VM_ISA_RISCV64;
	config->engine = VM_ENGINE_INTERP;
	config->memory_bytes = 64ull << 20;
	config->cpus = 1;
}

/* A RISC-V Linux Image: the 64-byte header (text_offset 2 MiB) and some code. */
static void make_linux_image(uint8_t *image, size_t size)
{
	uint64_t text_offset = 0x200000, image_size = size;

	memset(image, 0, size);
	memcpy(image + 8, &text_offset, 8);
	memcpy(image + 16, &image_size, 8);
	memcpy(image + 48, "RISCV\0\0\0", 8);
	memcpy(image + 56, "RSC\x05", 4);
}

/* A 64-bit property's value: properties are only 4-byte aligned. */
static uint64_t prop_u64(const void *prop)
{
	fdt64_t value;

	memcpy(&value, prop, sizeof(value));
	return fdt64_to_cpu(value);
}

static struct rv_cpu *hart(struct vm *vm, unsigned n)
{
	return emu_cpu_of(&vm->vcpus[n])->state;
}

static uint32_t mmio_read32(struct vm *vm, uint64_t addr)
{
	uint64_t value;

	assert_int_equal(gpa_access_read(vm->gpa, addr, 4, &value), 0);
	return (uint32_t)value;
}

static void mmio_write32(struct vm *vm, uint64_t addr, uint32_t value)
{
	assert_int_equal(gpa_access_write(vm->gpa, addr, 4, value), 0);
}

static int group_setup(void **state)
{
	if (rv_guest_register() < 0 || interp_engine_register() < 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	engine_unregister(&interp_engine_ops);
	board_unregister(&rv_virt_board);
	emu_unregister_guest(&rv_emu_guest_ops);
	return 0;
}

static void test_virt_maps_qemu_devices_at_their_addresses(void **state)
{
	static const struct {
		uint64_t addr;
		const char *name;
	} map[] = {
		{ 0x1000, "mrom" },	 { 0x100000, "test" },	    { 0x101000, "rtc" },
		{ 0x2000000, "clint" },	 { 0xc000000, "plic" },	    { 0xc5ffffc, "plic" },
		{ 0x10000000, "uart0" }, { 0x10001000, "virtio0" }, { 0x10008000, "virtio7" },
		{ 0x80000000, "ram" },	 { 0x83fff000, "ram" },
	};
	struct files f = { 0 };
	struct vm_config config;
	struct vm *vm;

	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	virt_config(&config, f.kernel);
	assert_int_equal(vm_create(&config, &vm), 0);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const struct gpa_region *region = gpa_lookup(vm->gpa, map[i].addr);

		assert_non_null(region);
		assert_string_equal(region->name, map[i].name);
	}
	assert_null(gpa_lookup(vm->gpa, 0x84000000));
	/* Empty slots answer as virtio-mmio with DeviceID 0. */
	assert_int_equal(mmio_read32(vm, 0x10001000), 0x74726976);
	assert_int_equal(mmio_read32(vm, 0x10001008), 0);
	vm_destroy(vm);
	remove_files(&f);
}

static void test_virt_device_tree_describes_harts_memory_chosen_and_soc(void **state)
{
	static uint8_t initrd[5000];
	struct files f = { 0 };
	struct vm_config config;
	const void *dtb;
	const char *isa;
	const void *start, *end;
	const fdt32_t *cells;
	uint8_t copy[sizeof(initrd)];
	size_t size;
	struct vm *vm;
	int node, len;

	memset(initrd, 0xa5, sizeof(initrd));
	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	write_file(f.initrd, initrd, sizeof(initrd));
	virt_config(&config, f.kernel);
	str_copy(config.initrd, sizeof(config.initrd), f.initrd);
	config.cpus = 2;
	assert_int_equal(vm_create(&config, &vm), 0);
	assert_int_equal(rv_virt_dtb(vm, &dtb, &size), 0);
	assert_int_equal(fdt_check_header(dtb), 0);
	assert_int_equal(fdt_totalsize(dtb), size);

	node = fdt_path_offset(dtb, "/chosen");
	assert_true(node >= 0);
	assert_string_equal(fdt_getprop(dtb, node, "bootargs", NULL), "console=ttyS0 quiet");
	assert_string_equal(fdt_getprop(dtb, node, "stdout-path", NULL), "/soc/serial@10000000");
	start = fdt_getprop(dtb, node, "linux,initrd-start", &len);
	assert_int_equal(len, 8);
	end = fdt_getprop(dtb, node, "linux,initrd-end", NULL);
	assert_int_equal(prop_u64(end) - prop_u64(start), sizeof(initrd));
	assert_int_equal(gpa_read(vm->gpa, prop_u64(start), copy, sizeof(copy)), 0);
	assert_memory_equal(copy, initrd, sizeof(initrd));

	node = fdt_path_offset(dtb, "/memory@80000000");
	assert_true(node >= 0);
	cells = fdt_getprop(dtb, node, "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(fdt32_to_cpu(cells[1]), 0x80000000u);
	assert_int_equal(fdt32_to_cpu(cells[3]), 64u << 20);

	node = fdt_path_offset(dtb, "/cpus/cpu@1");
	assert_true(node >= 0);
	isa = fdt_getprop(dtb, node, "riscv,isa", NULL);
	assert_non_null(isa);
	assert_int_equal(strncmp(isa, "rv64imafdc_", 11), 0);
	assert_true(fdt_path_offset(dtb, "/cpus/cpu@1/interrupt-controller") >= 0);
	cells = fdt_getprop(dtb, fdt_path_offset(dtb, "/cpus"), "timebase-frequency", NULL);
	assert_int_equal(fdt32_to_cpu(*cells), 10000000u);

	/* The PLIC routes M and S external interrupts of both harts: four (phandle, irq) pairs. */
	node = fdt_path_offset(dtb, "/soc/plic@c000000");
	assert_true(node >= 0);
	assert_int_equal(fdt_node_check_compatible(dtb, node, "riscv,plic0"), 0);
	cells = fdt_getprop(dtb, node, "interrupts-extended", &len);
	assert_int_equal(len, 8 * 4);
	assert_int_equal(fdt32_to_cpu(cells[1]), 11);
	assert_int_equal(fdt32_to_cpu(cells[3]), 9);
	assert_int_equal(fdt32_to_cpu(cells[5]), 11);

	static const char *const paths[] = {
		"/soc/clint@2000000",
		"/soc/serial@10000000",
		"/soc/rtc@101000",
		"/soc/test@100000",
		"/soc/virtio_mmio@10001000",
		"/soc/virtio_mmio@10008000",
		"/poweroff",
		"/reboot",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		assert_true(fdt_path_offset(dtb, paths[i]) >= 0);
	cells = fdt_getprop(dtb, fdt_path_offset(dtb, "/soc/serial@10000000"), "interrupts", NULL);
	assert_int_equal(fdt32_to_cpu(*cells), 10);

	/* The DTB in RAM is the one the harts get in a1. */
	assert_int_equal(gpa_read(vm->gpa, hart(vm, 1)->x[11], copy, 64), 0);
	assert_memory_equal(copy, dtb, 64);
	vm_destroy(vm);
	remove_files(&f);
}

static void test_virt_without_firmware_enters_the_kernel_in_m_mode(void **state)
{
	struct files f = { 0 };
	struct vm_config config;
	struct vm_exit exit;
	struct rv_cpu *cpu;
	struct vm *vm;
	uint32_t word;

	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	virt_config(&config, f.kernel);
	assert_int_equal(vm_create(&config, &vm), 0);
	cpu = hart(vm, 0);
	assert_int_equal(cpu->pc, 0x80000000);
	assert_int_equal(cpu->priv, RV_PRIV_M);
	assert_int_equal(cpu->x[10], 0);
	assert_int_equal(gpa_read(vm->gpa, cpu->x[11], &word, 4), 0);
	assert_int_equal(word, 0xedfe0dd0); /* the FDT magic, big-endian */
	assert_int_equal(gpa_read(vm->gpa, 0x80000000, &word, 4), 0);
	assert_int_equal(word, 0x001002b7);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(vm->engine->vcpu_run(&vm->vcpus[0], &exit), 0);
		if (exit.reason == VM_EXIT_SHUTDOWN)
			break;
	}
	assert_int_equal(exit.reason, VM_EXIT_SHUTDOWN);
	assert_int_equal(vm->board->exit_status(vm), 0);
	vm_destroy(vm);
	remove_files(&f);
}

static void test_virt_hands_firmware_the_kernel_through_fw_dynamic_info(void **state)
{
	static uint8_t kernel[0x1000];
	static const uint8_t firmware[] = { W(0x0000006f) };
	struct files f = { 0 };
	struct vm_config config;
	uint64_t info[6];
	struct rv_cpu *cpu;
	struct vm *vm;
	uint32_t word;

	make_linux_image(kernel, sizeof(kernel));
	write_file(f.kernel, kernel, sizeof(kernel));
	write_file(f.firmware, firmware, sizeof(firmware));
	virt_config(&config, f.kernel);
	str_copy(config.firmware, sizeof(config.firmware), f.firmware);
	assert_int_equal(vm_create(&config, &vm), 0);
	cpu = hart(vm, 0);
	assert_int_equal(cpu->pc, 0x80000000);
	assert_int_equal(cpu->x[12], RV_VIRT_ROM_BASE);
	assert_int_equal(gpa_read(vm->gpa, RV_VIRT_ROM_BASE, info, sizeof(info)), 0);
	assert_int_equal(info[0], RV_FW_DYNAMIC_MAGIC);
	assert_int_equal(info[1], RV_FW_DYNAMIC_VERSION);
	assert_int_equal(info[2], 0x80200000);
	assert_int_equal(info[3], RV_FW_DYNAMIC_NEXT_MODE_S);
	assert_int_equal(info[5], 0);
	assert_int_equal(gpa_read(vm->gpa, 0x80000000, &word, 4), 0);
	assert_int_equal(word, 0x0000006f);
	assert_int_equal(gpa_read(vm->gpa, 0x80200000 + 48, &word, 4), 0);
	assert_memory_equal(&word, "RISC", 4);
	/* The boot ROM is read-only to the guest. */
	assert_int_equal(gpa_access_write(vm->gpa, RV_VIRT_ROM_BASE, 8, 0), -EACCES);
	vm_destroy(vm);
	remove_files(&f);
}

static void test_virt_refuses_firmware_that_overlaps_the_kernel(void **state)
{
	static uint8_t kernel[0x1000];
	static uint8_t firmware[0x200001];
	struct console_capture capture;
	struct files f = { 0 };
	struct vm_config config;
	struct vm *vm;

	make_linux_image(kernel, sizeof(kernel));
	write_file(f.kernel, kernel, sizeof(kernel));
	write_file(f.firmware, firmware, sizeof(firmware));
	virt_config(&config, f.kernel);
	str_copy(config.firmware, sizeof(config.firmware), f.firmware);
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), -EINVAL);
	console_capture_stop();
	assert_non_null(strstr(capture.text, "overlaps the kernel"));
	remove_files(&f);
}

static void test_virt_refuses_a_missing_initrd_naming_it(void **state)
{
	struct console_capture capture;
	struct files f = { 0 };
	struct vm_config config;
	struct vm *vm;

	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	virt_config(&config, f.kernel);
	str_copy(config.initrd, sizeof(config.initrd), "/nonexistent/initrd.gz");
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), -ENOENT);
	console_capture_stop();
	assert_non_null(strstr(capture.text, "initrd /nonexistent/initrd.gz"));
	remove_files(&f);
}

/* A tree as a dump of another boot would be: its own command line and initrd in /chosen. */
static size_t make_user_dtb(uint8_t *buf, size_t size)
{
	struct fdt_build b;
	size_t total;

	fdt_build_init(&b, buf, size);
	fdt_build_prop_string(&b, "model", "user-tree");
	fdt_build_begin_node(&b, "chosen");
	fdt_build_prop_string(&b, "bootargs", "console=ttyS0 pvtest=dumped");
	fdt_build_prop_u64(&b, "linux,initrd-start", 0x83000000ull);
	fdt_build_prop_u64(&b, "linux,initrd-end", 0x83001000ull);
	fdt_build_end_node(&b);
	assert_int_equal(fdt_build_finish(&b, &total), 0);
	return total;
}

static void test_virt_dtb_file_replaces_the_built_tree_with_this_boots_chosen(void **state)
{
	static uint8_t user[1024];
	static uint8_t copy[0x10000];
	struct files f = { 0 };
	struct vm_config config;
	const void *dtb;
	size_t size, user_size = make_user_dtb(user, sizeof(user));
	struct vm *vm;
	int node;

	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	write_file(f.dtb, user, user_size);
	virt_config(&config, f.kernel);
	str_copy(config.dtb, sizeof(config.dtb), f.dtb);
	assert_int_equal(vm_create(&config, &vm), 0);
	assert_int_equal(rv_virt_dtb(vm, &dtb, &size), 0);
	assert_int_equal(fdt_check_full(dtb, size), 0);
	/* The user's tree, not the board's, with -append's command line and no stale initrd. */
	assert_string_equal(fdt_getprop(dtb, 0, "model", NULL), "user-tree");
	assert_true(fdt_path_offset(dtb, "/soc") < 0);
	node = fdt_path_offset(dtb, "/chosen");
	assert_string_equal(fdt_getprop(dtb, node, "bootargs", NULL), "console=ttyS0 quiet");
	assert_null(fdt_getprop(dtb, node, "linux,initrd-start", NULL));
	assert_null(fdt_getprop(dtb, node, "linux,initrd-end", NULL));
	/* The harts are given that tree. */
	assert_true(size <= sizeof(copy));
	assert_int_equal(gpa_read(vm->gpa, hart(vm, 0)->x[11], copy, size), 0);
	assert_memory_equal(copy, dtb, size);
	vm_destroy(vm);
	remove_files(&f);
}

static void test_virt_dtb_gets_the_initrd_it_boots_with(void **state)
{
	static uint8_t user[1024], initrd[3000];
	struct files f = { 0 };
	struct vm_config config;
	const void *dtb;
	size_t size, user_size = make_user_dtb(user, sizeof(user));
	struct vm *vm;
	int node;

	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	write_file(f.dtb, user, user_size);
	write_file(f.initrd, initrd, sizeof(initrd));
	virt_config(&config, f.kernel);
	str_copy(config.dtb, sizeof(config.dtb), f.dtb);
	str_copy(config.initrd, sizeof(config.initrd), f.initrd);
	assert_int_equal(vm_create(&config, &vm), 0);
	assert_int_equal(rv_virt_dtb(vm, &dtb, &size), 0);
	node = fdt_path_offset(dtb, "/chosen");
	assert_int_equal(prop_u64(fdt_getprop(dtb, node, "linux,initrd-end", NULL)) -
				 prop_u64(fdt_getprop(dtb, node, "linux,initrd-start", NULL)),
			 sizeof(initrd));
	assert_true(prop_u64(fdt_getprop(dtb, node, "linux,initrd-start", NULL)) != 0x83000000ull);
	vm_destroy(vm);
	remove_files(&f);
}

static void test_virt_refuses_a_dtb_file_that_is_not_a_tree(void **state)
{
	static const uint8_t fake[64] = { 0xd0, 0x0d, 0xfe, 0xed, 1, 2, 3 };
	struct console_capture capture;
	struct files f = { 0 };
	struct vm_config config;
	char expected[128];
	struct vm *vm;

	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	write_file(f.dtb, fake, sizeof(fake));
	virt_config(&config, f.kernel);
	str_copy(config.dtb, sizeof(config.dtb), f.dtb);
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), -EINVAL);
	console_capture_stop();
	snprintf(expected, sizeof(expected), "vm virt: dtb %s: truncated: ", f.dtb);
	assert_non_null(strstr(capture.text, expected));
	remove_files(&f);
}

static void test_virt_gives_config_devices_the_virtio_slots_in_order(void **state)
{
	static const uint8_t sector[512];
	struct files f = { 0 };
	struct vm_config config;
	struct vm *vm;

	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	write_file(f.disk, sector, sizeof(sector));
	virt_config(&config, f.kernel);
	str_copy(config.disks[0].path, sizeof(config.disks[0].path), f.disk);
	config.disks[0].readonly = true;
	config.ndisks = 1;
	str_copy(config.nets[0].backend, sizeof(config.nets[0].backend), "hub:7");
	config.nnets = 1;
	str_copy(config.console, sizeof(config.console), "virtio");
	config.rng = true;
	assert_int_equal(vm_create(&config, &vm), 0);
	/* DeviceID at 0x008: blk 2, net 1, console 3, rng 4, then empty slots. */
	assert_int_equal(mmio_read32(vm, 0x10001008), 2);
	assert_int_equal(mmio_read32(vm, 0x10002008), 1);
	assert_int_equal(mmio_read32(vm, 0x10003008), 3);
	assert_int_equal(mmio_read32(vm, 0x10004008), 4);
	assert_int_equal(mmio_read32(vm, 0x10005008), 0);
	vm_destroy(vm);
	remove_files(&f);
}

static void test_virt_refuses_network_backends_it_cannot_open(void **state)
{
	struct console_capture capture;
	struct files f = { 0 };
	struct vm_config config;
	struct vm *vm;

	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	virt_config(&config, f.kernel);
	str_copy(config.nets[0].backend, sizeof(config.nets[0].backend), "hub:1");
	str_copy(config.nets[1].backend, sizeof(config.nets[1].backend), "tap:pv0");
	config.nnets = 2;
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), -ENOTSUP);
	console_capture_stop();
	assert_non_null(strstr(capture.text, "vm virt: network tap:pv0: this build has no 'tap' "
					     "backend (it has: hub)"));
	remove_files(&f);
}

/* A provider standing for polyrun's TAP: counts what it opened and what was closed. */
static struct net_backend fake_tap_be;
static unsigned fake_tap_opened, fake_tap_closed;

static void fake_tap_send(struct net_backend *be, const uint8_t *frame, size_t len)
{
}

static int fake_tap_open(const char *ifname, struct net_backend **out)
{
	if (strcmp(ifname, "pv0") != 0)
		return -ENODEV;
	fake_tap_be.send = fake_tap_send;
	fake_tap_opened++;
	*out = &fake_tap_be;
	return 0;
}

static void fake_tap_close(struct net_backend *be)
{
	fake_tap_closed++;
}

static const struct netdev_provider fake_tap = { "tap", fake_tap_open, fake_tap_close };

static void test_virt_opens_registered_backends_and_closes_them_on_destroy(void **state)
{
	struct console_capture capture;
	struct files f = { 0 };
	struct vm_config config;
	struct vm *vm;

	fake_tap_opened = fake_tap_closed = 0;
	assert_int_equal(netdev_provider_register(&fake_tap), 0);
	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	virt_config(&config, f.kernel);
	str_copy(config.nets[0].backend, sizeof(config.nets[0].backend), "tap:pv0");
	config.nnets = 1;
	assert_int_equal(vm_create(&config, &vm), 0);
	assert_int_equal(fake_tap_opened, 1);
	assert_non_null(fake_tap_be.deliver);
	/* Slot 0 is the NIC. */
	assert_int_equal(mmio_read32(vm, 0x10001008), 1);
	vm_destroy(vm);
	assert_int_equal(fake_tap_closed, 1);

	/* A failure after the NIC opened closes it too; the provider's error is named. */
	str_copy(config.nets[1].backend, sizeof(config.nets[1].backend), "tap:pv1");
	config.nnets = 2;
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), -ENODEV);
	console_capture_stop();
	assert_non_null(strstr(capture.text, "vm virt: network tap:pv1: cannot open: "));
	assert_int_equal(fake_tap_opened, 2);
	assert_int_equal(fake_tap_closed, 2);
	netdev_provider_unregister(&fake_tap);
	remove_files(&f);
}

/* What the guest writes to the UART's transmit register. */
static void uart_send(struct vm *vm, const char *text)
{
	for (; *text; text++)
		assert_int_equal(gpa_access_write(vm->gpa, 0x10000000, 1, (uint8_t)*text), 0);
}

static void test_virt_serial_file_takes_the_uart_output_and_none_drops_it(void **state)
{
	struct console_capture capture;
	struct files f = { 0 };
	struct vm_config config;
	char text[32] = { 0 };
	char serial[64];
	struct vm *vm;
	FILE *file;

	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	write_file(f.disk, "older text", 10);
	virt_config(&config, f.kernel);
	snprintf(serial, sizeof(serial), "file:%s", f.disk);
	str_copy(config.serial, sizeof(config.serial), serial);
	assert_int_equal(vm_create(&config, &vm), 0);
	console_capture_start(&capture);
	uart_send(vm, "GUEST-OK\n");
	console_capture_stop();
	vm_destroy(vm);
	assert_string_equal(capture.text, "");
	file = fopen(f.disk, "rb");
	assert_non_null(file);
	assert_int_equal(fread(text, 1, sizeof(text) - 1, file), 9);
	fclose(file);
	assert_string_equal(text, "GUEST-OK\n");

	str_copy(config.serial, sizeof(config.serial), "none");
	assert_int_equal(vm_create(&config, &vm), 0);
	console_capture_start(&capture);
	uart_send(vm, "lost\n");
	console_capture_stop();
	vm_destroy(vm);
	assert_string_equal(capture.text, "");
	str_copy(config.serial, sizeof(config.serial), "stdio");
	assert_int_equal(vm_create(&config, &vm), 0);
	console_capture_start(&capture);
	uart_send(vm, "seen\n");
	console_capture_stop();
	vm_destroy(vm);
	assert_string_equal(capture.text, "seen\n");
	remove_files(&f);
}

static void test_virt_refuses_serial_values_it_cannot_open(void **state)
{
	struct console_capture capture;
	struct files f = { 0 };
	struct vm_config config;
	struct vm *vm;

	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	virt_config(&config, f.kernel);
	str_copy(config.serial, sizeof(config.serial), "pty");
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), -EINVAL);
	str_copy(config.serial, sizeof(config.serial), "file:/nonexistent/dir/serial.log");
	assert_int_equal(vm_create(&config, &vm), -ENOENT);
	console_capture_stop();
	assert_non_null(strstr(capture.text, "vm virt: serial 'pty': expected stdio, none or "
					     "file:PATH"));
	assert_non_null(strstr(capture.text, "vm virt: serial file:/nonexistent/dir/serial.log: "));
	remove_files(&f);
}

static void test_virt_uart_interrupt_reaches_seip_through_the_plic(void **state)
{
	struct files f = { 0 };
	struct vm_config config;
	struct vm *vm;

	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	virt_config(&config, f.kernel);
	assert_int_equal(vm_create(&config, &vm), 0);
	/* Source 10 at priority 1, enabled on hart 0's S context (1); threshold 0. */
	mmio_write32(vm, 0xc000000 + 4 * 10, 1);
	mmio_write32(vm, 0xc000000 + 0x2000 + 0x80, 1u << 10);
	assert_false(rv_cpu_mip(hart(vm, 0)) & RV_MIP_SEIP);
	/* THR-empty interrupt enabled: the UART raises its line at once. */
	assert_int_equal(gpa_access_write(vm->gpa, 0x10000001, 1, 0x02), 0);
	assert_true(rv_cpu_mip(hart(vm, 0)) & RV_MIP_SEIP);
	assert_false(rv_cpu_mip(hart(vm, 0)) & RV_MIP_MEIP);
	assert_int_equal(mmio_read32(vm, 0xc000000 + 0x200000 + 0x1000 + 4), 10);
	assert_false(rv_cpu_mip(hart(vm, 0)) & RV_MIP_SEIP);
	vm_destroy(vm);
	remove_files(&f);
}

static void test_virt_finisher_failure_and_reset_reach_the_vm_loop(void **state)
{
	struct files f = { 0 };
	struct vm_config config;
	const struct rv_platform *platform;
	struct vm *vm;
	bool reset = true;

	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	virt_config(&config, f.kernel);
	assert_int_equal(vm_create(&config, &vm), 0);
	platform = vm->board_priv;
	assert_false(platform->poll(platform->ctx, &reset));
	assert_false(reset);
	mmio_write32(vm, 0x100000, 0x00053333);
	assert_true(platform->poll(platform->ctx, &reset));
	assert_false(reset);
	assert_int_equal(vm->board->exit_status(vm), 5);

	mmio_write32(vm, 0x100000, 0x7777);
	assert_true(platform->poll(platform->ctx, &reset));
	assert_true(reset);
	/* The reset reloads the images and lets the harts run again. */
	assert_int_equal(gpa_write(vm->gpa, 0x80000000, "\0\0\0\0", 4), 0);
	assert_int_equal(vm->board->reset(vm), 0);
	assert_false(platform->poll(platform->ctx, &reset));
	assert_int_equal(mmio_read32(vm, 0x80000000), 0x001002b7);
	vm_destroy(vm);
	remove_files(&f);
}

static void test_virt_next_event_is_the_harts_timer_compare(void **state)
{
	struct files f = { 0 };
	struct vm_config config;
	uint64_t now;
	struct vm *vm;

	write_file(f.kernel, prog_poweroff, sizeof(prog_poweroff));
	virt_config(&config, f.kernel);
	assert_int_equal(vm_create(&config, &vm), 0);
	/* mtimecmp resets to 0: the timer is due now. */
	now = plat_time_ns();
	assert_true(vm->board->next_event_ns(&vm->vcpus[0]) <= plat_time_ns());
	assert_true(vm->board->next_event_ns(&vm->vcpus[0]) >= now);
	/* A compare one second ahead (10^7 ticks) is about a second away. */
	assert_int_equal(gpa_access_write(vm->gpa, 0x2004000, 8,
					  mmio_read32(vm, 0x200bff8) + 10000000ull),
			 0);
	now = plat_time_ns();
	assert_true(vm->board->next_event_ns(&vm->vcpus[0]) > now + 900000000ull);
	assert_true(vm->board->next_event_ns(&vm->vcpus[0]) < now + 1100000000ull);
	vm_destroy(vm);
	remove_files(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virt_maps_qemu_devices_at_their_addresses),
		cmocka_unit_test(test_virt_device_tree_describes_harts_memory_chosen_and_soc),
		cmocka_unit_test(test_virt_without_firmware_enters_the_kernel_in_m_mode),
		cmocka_unit_test(test_virt_hands_firmware_the_kernel_through_fw_dynamic_info),
		cmocka_unit_test(test_virt_refuses_firmware_that_overlaps_the_kernel),
		cmocka_unit_test(test_virt_refuses_a_missing_initrd_naming_it),
		cmocka_unit_test(test_virt_dtb_file_replaces_the_built_tree_with_this_boots_chosen),
		cmocka_unit_test(test_virt_dtb_gets_the_initrd_it_boots_with),
		cmocka_unit_test(test_virt_refuses_a_dtb_file_that_is_not_a_tree),
		cmocka_unit_test(test_virt_gives_config_devices_the_virtio_slots_in_order),
		cmocka_unit_test(test_virt_refuses_network_backends_it_cannot_open),
		cmocka_unit_test(test_virt_opens_registered_backends_and_closes_them_on_destroy),
		cmocka_unit_test(test_virt_serial_file_takes_the_uart_output_and_none_drops_it),
		cmocka_unit_test(test_virt_refuses_serial_values_it_cannot_open),
		cmocka_unit_test(test_virt_uart_interrupt_reaches_seip_through_the_plic),
		cmocka_unit_test(test_virt_finisher_failure_and_reset_reach_the_vm_loop),
		cmocka_unit_test(test_virt_next_event_is_the_harts_timer_compare),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
