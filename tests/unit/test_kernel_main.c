// SPDX-License-Identifier: MIT
/*
 * kernel/kernel_main: what the machine offers in one line, then every VM of the config run to its
 * end with one line each, a VM that cannot be made reported while the others still run. A fake
 * engine powers its guest off at once; a fake board reports the guest's status.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/board.h"
#include "kernel/engine.h"
#include "kernel/kernel_main.h"
#include "kernel/vm.h"
#include "lib/errno.h"
#include "lib/str.h"
#include "tests/unit/console_capture.h"

static bool probe_any(enum vm_isa isa)
{
	return true;
}

static int off_vcpu_init(struct vcpu *vcpu)
{
	return 0;
}

static int off_vcpu_run(struct vcpu *vcpu, struct vm_exit *exit)
{
	exit->reason = VM_EXIT_SHUTDOWN;
	return 0;
}

static void off_vcpu_kick(struct vcpu *vcpu)
{
}

static int off_get_state(struct vcpu *vcpu, struct arch_state *state)
{
	return -ENOTSUP;
}

static void off_vcpu_destroy(struct vcpu *vcpu)
{
}

static int off_set_state(struct vcpu *vcpu, const struct arch_state *state)
{
	return -ENOTSUP;
}

static const struct engine_ops off_engine = {
	.name = "power-off",
	.kind = VM_ENGINE_INTERP,
	.probe = probe_any,
	.vcpu_init = off_vcpu_init,
	.vcpu_run = off_vcpu_run,
	.vcpu_kick = off_vcpu_kick,
	.get_state = off_get_state,
	.set_state = off_set_state,
	.vcpu_destroy = off_vcpu_destroy,
};

static int km_create(struct vm *vm)
{
	return 0;
}

static void km_destroy(struct vm *vm)
{
}

/* The guest of a VM named "failing" reports status 3; the others pass. */
static int km_exit_status(struct vm *vm)
{
	return strcmp(vm->config.name, "failing") == 0 ? 3 : 0;
}

static const struct board_ops km_board = {
	.name = "km",
	.isa = VM_ISA_RISCV64,
	.create = km_create,
	.destroy = km_destroy,
	.exit_status = km_exit_status,
};

static struct pv_config config;
static struct console_capture capture;

static int setup(void **state)
{
	if (engine_register(&off_engine) < 0 || board_register(&km_board) < 0)
		return -1;
	console_capture_start(&capture);
	return 0;
}

static int teardown(void **state)
{
	console_capture_stop();
	board_unregister(&km_board);
	engine_unregister(&off_engine);
	return 0;
}

static void add_vm(const char *name, const char *board)
{
	struct vm_config *vm = &config.vms[config.nvms++];

	vm_config_init(vm);
	str_copy(vm->name, sizeof(vm->name), name);
	str_copy(vm->board, sizeof(vm->board), board);
	vm->isa = VM_ISA_RISCV64;
	vm->engine = VM_ENGINE_INTERP;
	vm->memory_bytes = 16ull << 20;
	vm->cpus = 1;
}

static void test_every_vm_runs_to_its_end_and_a_broken_one_is_left_out(void **state)
{
	struct boot_info info = { .config = &config,
				  .free_memory = 64ull << 20,
				  .acpi_rsdp = 0x1000 };

	memset(&config, 0, sizeof(config));
	add_vm("broken", "no-such-board");
	add_vm("good", "km");
	add_vm("failing", "km");
	capture.len = 0;
	assert_int_equal(kernel_main(&info), 2);
	assert_non_null(strstr(capture.text,
			       "machine: 64 MiB free, ACPI RSDP at 0x1000, no framebuffer\n"));
	assert_non_null(strstr(capture.text, "vm broken: not started: "));
	assert_non_null(strstr(capture.text, "vm good: powered off\n"));
	assert_non_null(strstr(capture.text, "vm failing: powered off, guest status 3\n"));
}

static void test_without_a_config_only_the_machine_is_reported(void **state)
{
	struct boot_info info = {
		.free_memory = 8ull << 20,
		.smbios = 0x2000,
		.framebuffer = { .base = 0xc0000000, .size = 4096000, .width = 1280, .height = 800 },
	};

	capture.len = 0;
	assert_int_equal(kernel_main(&info), 0);
	assert_string_equal(capture.text, "machine: 8 MiB free, SMBIOS at 0x2000, framebuffer "
					  "1280x800 at 0xc0000000\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_vm_runs_to_its_end_and_a_broken_one_is_left_out),
		cmocka_unit_test(test_without_a_config_only_the_machine_is_reported),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
