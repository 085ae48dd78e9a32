// SPDX-License-Identifier: MIT
/*
 * The spike board end to end: an ELF built here is loaded at its physical addresses, starts at
 * its entry, prints through the HTIF console and reports a failing test number through tohost.
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

#include "arch/riscv64/guest/emu.h"
#include "arch/riscv64/guest/spike.h"
#include "boot/elf.h"
#include "interp/emu.h"
#include "kernel/board.h"
#include "kernel/engine.h"
#include "kernel/vm.h"
#include "lib/errno.h"
#include "lib/str.h"
#include "tests/unit/console_capture.h"

#define W(x) (uint8_t)(x), (uint8_t)((x) >> 8), (uint8_t)((x) >> 16), (uint8_t)((x) >> 24)

#define TOHOST 0x80001000ull
#define FROMHOST 0x80001040ull

/* Prints "hi" through HTIF's console, then exits with test 5 failed: (5 << 1) | 1. */
static const uint8_t prog_spike[] = {
	W(0x00001297), /* auipc t0,0x1 */
	W(0x10100313), /* addi t1,zero,257 */
	W(0x03031313), /* slli t1,t1,0x30 */
	W(0x06836393), /* ori t2,t1,104 */
	W(0x0072b023), /* sd t2,0(t0) */
	W(0x0402be03), /* ld t3,64(t0) */
	W(0xfe0e0ee3), /* beq t3,zero,14 */
	W(0x0402b023), /* sd zero,64(t0) */
	W(0x06936393), /* ori t2,t1,105 */
	W(0x0072b023), /* sd t2,0(t0) */
	W(0x0402be03), /* ld t3,64(t0) */
	W(0xfe0e0ee3), /* beq t3,zero,28 */
	W(0x0402b023), /* sd zero,64(t0) */
	W(0x00b00e93), /* addi t4,zero,11 */
	W(0x01d2b023), /* sd t4,0(t0) */
	W(0x0000006f), /* jal zero,3c */
};

/* ELF header, one PT_LOAD program header, the code, .symtab, .strtab, three section headers. */
struct image {
	uint8_t ehdr[64];
	uint8_t phdr[56];
	uint8_t text[sizeof(prog_spike)];
	uint8_t symtab[3][24];
	char strtab[24];
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

static void make_image(struct image *img)
{
	memset(img, 0, sizeof(*img));
	memcpy(img->ehdr, "\177ELF\2\1\1", 7);
	put16(img->ehdr + 16, 2);
	put16(img->ehdr + 18, ELF_MACHINE_RISCV);
	put32(img->ehdr + 20, 1);
	put64(img->ehdr + 24, RV_SPIKE_RAM_BASE);
	put64(img->ehdr + 32, offsetof(struct image, phdr));
	put64(img->ehdr + 40, offsetof(struct image, shdr));
	put16(img->ehdr + 52, 64);
	put16(img->ehdr + 54, 56);
	put16(img->ehdr + 56, 1);
	put16(img->ehdr + 58, 64);
	put16(img->ehdr + 60, 3);
	put32(img->phdr, 1);
	put64(img->phdr + 8, offsetof(struct image, text));
	put64(img->phdr + 16, RV_SPIKE_RAM_BASE);
	put64(img->phdr + 24, RV_SPIKE_RAM_BASE);
	put64(img->phdr + 32, sizeof(img->text));
	put64(img->phdr + 40, 0x2000);
	memcpy(img->text, prog_spike, sizeof(prog_spike));
	memcpy(img->strtab, "\0tohost\0fromhost\0", 17);
	put32(img->symtab[1], 1);
	put64(img->symtab[1] + 8, TOHOST);
	put32(img->symtab[2], 8);
	put64(img->symtab[2] + 8, FROMHOST);
	put32(img->shdr[1] + 4, 2);
	put64(img->shdr[1] + 24, offsetof(struct image, symtab));
	put64(img->shdr[1] + 32, sizeof(img->symtab));
	put32(img->shdr[1] + 40, 2);
	put64(img->shdr[1] + 56, 24);
	put32(img->shdr[2] + 4, 3);
	put64(img->shdr[2] + 24, offsetof(struct image, strtab));
	put64(img->shdr[2] + 32, sizeof(img->strtab));
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
	board_unregister(&rv_spike_board);
	emu_unregister_guest(&rv_emu_guest_ops);
	return 0;
}

static void spike_config(struct vm_config *config, const char *kernel)
{
	vm_config_init(config);
	str_copy(config->name, sizeof(config->name), "spike");
	str_copy(config->board, sizeof(config->board), "spike");
	str_copy(config->kernel, sizeof(config->kernel), kernel);
	config->isa = VM_ISA_RISCV64;
	config->engine = VM_ENGINE_INTERP;
	config->memory_bytes = 16ull << 20;
	config->cpus = 1;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *file = fopen(path, "wb");

	assert_non_null(file);
	assert_int_equal(fwrite(data, 1, len, file), len);
	assert_int_equal(fclose(file), 0);
}

static void test_spike_runs_an_elf_prints_through_htif_and_reports_the_failing_test(void **state)
{
	static struct image img;
	struct console_capture capture;
	char path[] = "/tmp/pv-spike-XXXXXX";
	struct vm_config config;
	struct vm_exit exit;
	struct vm *vm;
	uint64_t code;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	make_image(&img);
	write_file(path, &img, sizeof(img));
	spike_config(&config, path);
	assert_int_equal(vm_create(&config, &vm), 0);
	unlink(path);
	assert_int_equal(rv_spike_exit_code(vm, &code), -EAGAIN);
	console_capture_start(&capture);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(vm->engine->vcpu_run(&vm->vcpus[0], &exit), 0);
		if (exit.reason == VM_EXIT_SHUTDOWN)
			break;
	}
	console_capture_stop();
	assert_int_equal(exit.reason, VM_EXIT_SHUTDOWN);
	assert_string_equal(capture.text, "hi");
	assert_int_equal(rv_spike_exit_code(vm, &code), 0);
	assert_int_equal(code, 5);
	vm_destroy(vm);
}

static void test_spike_refuses_an_elf_for_another_machine(void **state)
{
	static struct image img;
	struct console_capture capture;
	char path[] = "/tmp/pv-spike-XXXXXX";
	struct vm_config config;
	struct vm *vm;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	make_image(&img);
	put16(img.ehdr + 18, ELF_MACHINE_X86_64);
	write_file(path, &img, sizeof(img));
	spike_config(&config, path);
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), -ENOEXEC);
	console_capture_stop();
	unlink(path);
	assert_non_null(strstr(capture.text, "ELF machine 62, expected 243"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_spike_runs_an_elf_prints_through_htif_and_reports_the_failing_test),
		cmocka_unit_test(test_spike_refuses_an_elf_for_another_machine),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
