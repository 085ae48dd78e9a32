// SPDX-License-Identifier: MIT
/*
 * kernel/vm, kernel/engine, kernel/board: the registries, the engine = auto rule and the VM
 * lifecycle, with fake engines and boards that count what the core asks of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/board.h"
#include "kernel/engine.h"
#include "kernel/vm.h"
#include "lib/errno.h"
#include "tests/unit/console_capture.h"

static unsigned vcpu_inits;
static unsigned vcpu_destroys;
static int fail_vcpu_init_at = -1; /* vCPU id whose init fails with -EIO */
static unsigned board_creates;
static unsigned board_destroys;
static int board_create_result;

static bool probe_host_only(enum vm_isa isa)
{
	return isa == engine_host_isa();
}

static bool probe_any(enum vm_isa isa)
{
	return true;
}

static bool probe_none(enum vm_isa isa)
{
	return false;
}

static int fake_vcpu_init(struct vcpu *vcpu)
{
	if ((int)vcpu->id == fail_vcpu_init_at)
		return -EIO;
	vcpu->engine_priv = &vcpu_inits;
	vcpu_inits++;
	return 0;
}

static int fake_vcpu_run(struct vcpu *vcpu, struct vm_exit *exit)
{
	exit->reason = VM_EXIT_HALT;
	return 0;
}

static void fake_vcpu_kick(struct vcpu *vcpu)
{
}

static int fake_get_state(struct vcpu *vcpu, struct arch_state *state)
{
	return -ENOTSUP;
}

static int fake_set_state(struct vcpu *vcpu, const struct arch_state *state)
{
	return -ENOTSUP;
}

static void fake_vcpu_destroy(struct vcpu *vcpu)
{
	assert_ptr_equal(vcpu->engine_priv, &vcpu_inits);
	vcpu_destroys++;
}

#define FAKE_ENGINE(engine_name, engine_kind, engine_probe)                      \
	{                                                                        \
		.name = engine_name, .kind = engine_kind, .probe = engine_probe, \
		.vcpu_init = fake_vcpu_init, .vcpu_run = fake_vcpu_run,          \
		.vcpu_kick = fake_vcpu_kick, .get_state = fake_get_state,        \
		.set_state = fake_set_state, .vcpu_destroy = fake_vcpu_destroy,  \
	}

static const struct engine_ops hw = FAKE_ENGINE("fake-hw", VM_ENGINE_HW, probe_host_only);
static const struct engine_ops hw_unusable = FAKE_ENGINE("fake-hw-off", VM_ENGINE_HW, probe_none);
static const struct engine_ops hybrid = FAKE_ENGINE("fake-hybrid", VM_ENGINE_HYBRID, probe_any);
static const struct engine_ops jit = FAKE_ENGINE("fake-jit", VM_ENGINE_JIT, probe_any);
static const struct engine_ops interp = FAKE_ENGINE("fake-interp", VM_ENGINE_INTERP, probe_any);

static int fake_board_create(struct vm *vm)
{
	assert_non_null(vm->engine);
	board_creates++;
	vm->board_priv = &board_creates;
	return board_create_result;
}

static void fake_board_destroy(struct vm *vm)
{
	assert_ptr_equal(vm->board_priv, &board_creates);
	board_destroys++;
}

static const struct board_ops riscv_virt = {
	.name = "virt",
	.isa = VM_ISA_RISCV64,
	.create = fake_board_create,
	.destroy = fake_board_destroy,
};
static const struct board_ops aarch64_virt = {
	.name = "virt",
	.isa = VM_ISA_AARCH64,
	.create = fake_board_create,
	.destroy = fake_board_destroy,
};
static const struct board_ops x86_virt = {
	.name = "virt",
	.isa = VM_ISA_X86_64,
	.create = fake_board_create,
	.destroy = fake_board_destroy,
};
static const struct board_ops riscv_sifive = {
	.name = "sifive_u",
	.isa = VM_ISA_RISCV64,
	.create = fake_board_create,
	.destroy = fake_board_destroy,
};

static const struct engine_ops *const all_engines[] = { &hw, &hw_unusable, &hybrid, &jit, &interp };
static const struct board_ops *const all_boards[] = { &riscv_virt, &aarch64_virt, &x86_virt,
						      &riscv_sifive };

/* Every test starts from empty registries and fresh counters. */
static int reset(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(all_engines) / sizeof(all_engines[0]); i++)
		engine_unregister(all_engines[i]);
	for (i = 0; i < sizeof(all_boards) / sizeof(all_boards[0]); i++)
		board_unregister(all_boards[i]);
	vcpu_inits = 0;
	vcpu_destroys = 0;
	fail_vcpu_init_at = -1;
	board_creates = 0;
	board_destroys = 0;
	board_create_result = 0;
	return 0;
}

/* An ISA this host does not run natively. */
static enum vm_isa foreign_isa(void)
{
	return engine_host_isa() == VM_ISA_RISCV64 ? VM_ISA_AARCH64 : VM_ISA_RISCV64;
}

static void register_boards(void)
{
	assert_int_equal(board_register(&riscv_virt), 0);
	assert_int_equal(board_register(&aarch64_virt), 0);
	assert_int_equal(board_register(&x86_virt), 0);
}

static void make_config(struct vm_config *config, const char *name, enum vm_isa isa,
			enum vm_engine engine, unsigned cpus)
{
	vm_config_init(config);
	strcpy(config->name, name);
	config->isa = isa;
	config->engine = engine;
	config->cpus = cpus;
	config->memory_bytes = 512ull << 20;
	strcpy(config->kernel, "Image");
}

static void test_engine_register_rejects_incomplete_ops(void **state)
{
	struct engine_ops no_probe = hybrid;
	struct engine_ops no_name = hybrid;
	struct engine_ops no_run = hybrid;
	struct engine_ops auto_kind = hybrid;

	no_probe.probe = NULL;
	no_name.name = NULL;
	no_run.vcpu_run = NULL;
	auto_kind.kind = VM_ENGINE_AUTO;
	assert_int_equal(engine_register(&no_probe), -EINVAL);
	assert_int_equal(engine_register(&no_name), -EINVAL);
	assert_int_equal(engine_register(&no_run), -EINVAL);
	assert_int_equal(engine_register(&auto_kind), -EINVAL);
}

static void test_engine_register_rejects_a_name_twice(void **state)
{
	struct engine_ops same_name = jit;

	same_name.kind = VM_ENGINE_INTERP;
	assert_int_equal(engine_register(&jit), 0);
	assert_int_equal(engine_register(&same_name), -EEXIST);
}

static void test_engine_register_is_bounded(void **state)
{
	static struct engine_ops many[ENGINE_MAX + 1];
	static char names[ENGINE_MAX + 1][16];
	unsigned i;

	for (i = 0; i <= ENGINE_MAX; i++) {
		many[i] = interp;
		snprintf(names[i], sizeof(names[i]), "interp-%u", i);
		many[i].name = names[i];
		assert_int_equal(engine_register(&many[i]), i < ENGINE_MAX ? 0 : -ENOSPC);
	}
	for (i = 0; i < ENGINE_MAX; i++)
		engine_unregister(&many[i]);
	assert_int_equal(engine_register(&interp), 0);
}

static void test_engine_find_says_missing_or_unusable(void **state)
{
	const struct engine_ops *found = NULL;

	assert_int_equal(engine_find(VM_ENGINE_HW, engine_host_isa(), &found), -ENOENT);
	assert_int_equal(engine_register(&hw_unusable), 0);
	assert_int_equal(engine_find(VM_ENGINE_HW, engine_host_isa(), &found), -ENOTSUP);
	assert_int_equal(engine_register(&hw), 0);
	assert_int_equal(engine_find(VM_ENGINE_HW, engine_host_isa(), &found), 0);
	assert_ptr_equal(found, &hw);
	assert_int_equal(engine_find(VM_ENGINE_HW, foreign_isa(), &found), -ENOTSUP);
}

static void test_engine_find_prefers_the_first_registered(void **state)
{
	struct engine_ops second = hybrid;
	const struct engine_ops *found = NULL;

	second.name = "fake-hybrid-2";
	assert_int_equal(engine_register(&hybrid), 0);
	assert_int_equal(engine_register(&second), 0);
	assert_int_equal(engine_find(VM_ENGINE_HYBRID, VM_ISA_RISCV64, &found), 0);
	assert_ptr_equal(found, &hybrid);
	engine_unregister(&second);
}

static void test_engine_auto_picks_hw_for_the_host_isa(void **state)
{
	const struct engine_ops *found = NULL;

	assert_int_equal(engine_register(&interp), 0);
	assert_int_equal(engine_register(&hybrid), 0);
	assert_int_equal(engine_register(&hw), 0);
	assert_int_equal(engine_select(VM_ENGINE_AUTO, engine_host_isa(), &found), 0);
	assert_ptr_equal(found, &hw);
}

static void test_engine_auto_picks_hybrid_for_a_foreign_isa(void **state)
{
	const struct engine_ops *found = NULL;

	assert_int_equal(engine_register(&hw), 0);
	assert_int_equal(engine_register(&interp), 0);
	assert_int_equal(engine_register(&hybrid), 0);
	assert_int_equal(engine_select(VM_ENGINE_AUTO, foreign_isa(), &found), 0);
	assert_ptr_equal(found, &hybrid);
}

static void test_engine_auto_picks_hybrid_when_hw_is_unusable(void **state)
{
	const struct engine_ops *found = NULL;

	assert_int_equal(engine_register(&hw_unusable), 0);
	assert_int_equal(engine_register(&hybrid), 0);
	assert_int_equal(engine_select(VM_ENGINE_AUTO, engine_host_isa(), &found), 0);
	assert_ptr_equal(found, &hybrid);
}

static void test_engine_auto_falls_back_to_jit_then_interp(void **state)
{
	const struct engine_ops *found = NULL;

	assert_int_equal(engine_register(&interp), 0);
	assert_int_equal(engine_register(&jit), 0);
	assert_int_equal(engine_select(VM_ENGINE_AUTO, foreign_isa(), &found), 0);
	assert_ptr_equal(found, &jit);
	engine_unregister(&jit);
	assert_int_equal(engine_select(VM_ENGINE_AUTO, foreign_isa(), &found), 0);
	assert_ptr_equal(found, &interp);
	engine_unregister(&interp);
	assert_int_equal(engine_select(VM_ENGINE_AUTO, foreign_isa(), &found), -ENOENT);
}

static void test_engine_explicit_kind_is_taken_as_asked(void **state)
{
	const struct engine_ops *found = NULL;

	assert_int_equal(engine_register(&hw), 0);
	assert_int_equal(engine_register(&interp), 0);
	assert_int_equal(engine_select(VM_ENGINE_INTERP, engine_host_isa(), &found), 0);
	assert_ptr_equal(found, &interp);
	assert_int_equal(engine_select(VM_ENGINE_JIT, engine_host_isa(), &found), -ENOENT);
	assert_int_equal(engine_select(VM_ENGINE_HW, foreign_isa(), &found), -ENOTSUP);
}

static void test_engine_host_isa_matches_the_compiler(void **state)
{
#if defined(__x86_64__)
	assert_int_equal(engine_host_isa(), VM_ISA_X86_64);
#elif defined(__aarch64__)
	assert_int_equal(engine_host_isa(), VM_ISA_AARCH64);
#else
	assert_int_equal(engine_host_isa(), VM_ISA_RISCV64);
#endif
}

static void test_board_find_goes_by_isa_and_name(void **state)
{
	register_boards();
	assert_int_equal(board_register(&riscv_sifive), 0);
	assert_ptr_equal(board_find(VM_ISA_RISCV64, "virt"), &riscv_virt);
	assert_ptr_equal(board_find(VM_ISA_AARCH64, "virt"), &aarch64_virt);
	assert_ptr_equal(board_find(VM_ISA_RISCV64, "sifive_u"), &riscv_sifive);
	assert_null(board_find(VM_ISA_AARCH64, "sifive_u"));
	assert_null(board_find(VM_ISA_RISCV64, "pc"));
}

static void test_board_isa_by_name_names_the_only_isa_with_that_board(void **state)
{
	enum vm_isa isa = VM_ISA_NONE;

	register_boards();
	assert_int_equal(board_register(&riscv_sifive), 0);
	assert_int_equal(board_isa_by_name("sifive_u", &isa), 0);
	assert_int_equal(isa, VM_ISA_RISCV64);
	assert_int_equal(board_isa_by_name("virt", &isa), -EEXIST);
	assert_int_equal(board_isa_by_name("pc", &isa), -ENOENT);
}

static void test_board_register_rejects_duplicates_and_incomplete_ops(void **state)
{
	struct board_ops again = riscv_virt;
	struct board_ops no_isa = riscv_sifive;
	struct board_ops no_create = riscv_sifive;

	no_isa.isa = VM_ISA_NONE;
	no_create.create = NULL;
	assert_int_equal(board_register(&riscv_virt), 0);
	assert_int_equal(board_register(&again), -EEXIST);
	assert_int_equal(board_register(&no_isa), -EINVAL);
	assert_int_equal(board_register(&no_create), -EINVAL);
}

static void test_board_register_is_bounded(void **state)
{
	static struct board_ops many[BOARD_MAX + 1];
	static char names[BOARD_MAX + 1][16];
	unsigned i;

	for (i = 0; i <= BOARD_MAX; i++) {
		many[i] = riscv_virt;
		snprintf(names[i], sizeof(names[i]), "board-%u", i);
		many[i].name = names[i];
		assert_int_equal(board_register(&many[i]), i < BOARD_MAX ? 0 : -ENOSPC);
	}
	for (i = 0; i < BOARD_MAX; i++)
		board_unregister(&many[i]);
	assert_null(board_find(VM_ISA_RISCV64, "board-0"));
}

static void test_vm_create_builds_board_and_stopped_vcpus(void **state)
{
	struct console_capture capture;
	struct vm_config config;
	struct vm *vm = NULL;
	unsigned i;

	register_boards();
	assert_int_equal(engine_register(&hybrid), 0);
	make_config(&config, "linux", foreign_isa(), VM_ENGINE_AUTO, 4);
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), 0);
	console_capture_stop();

	assert_non_null(vm);
	assert_string_equal(vm->config.name, "linux");
	assert_ptr_equal(vm->engine, &hybrid);
	assert_ptr_equal(vm->board, board_find(foreign_isa(), "virt"));
	assert_int_equal(vm->nvcpus, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(vm->vcpus[i].id, i);
		assert_ptr_equal(vm->vcpus[i].vm, vm);
		assert_int_equal(vm->vcpus[i].state, VCPU_STOPPED);
	}
	assert_int_equal(vcpu_inits, 4);
	assert_int_equal(board_creates, 1);
	assert_non_null(strstr(capture.text, "[info] vm linux: "));
	assert_non_null(strstr(capture.text, "engine fake-hybrid, board virt, 512 MiB, 4 vCPUs\n"));

	vm_destroy(vm);
	assert_int_equal(vcpu_destroys, 4);
	assert_int_equal(board_destroys, 1);
}

static void test_vm_create_fails_naming_the_missing_engine(void **state)
{
	struct console_capture capture;
	struct vm_config config;
	struct vm *vm = NULL;

	register_boards();
	make_config(&config, "linux", VM_ISA_RISCV64, VM_ENGINE_JIT, 1);
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), -ENOENT);
	console_capture_stop();
	assert_null(vm);
	assert_string_equal(capture.text,
			    "[error] vm linux: engine 'jit' is not part of this build\n");
	assert_int_equal(board_creates, 0);
}

static void test_vm_create_fails_when_the_engine_cannot_run_the_isa(void **state)
{
	struct console_capture capture;
	struct vm_config config;
	struct vm *vm = NULL;

	register_boards();
	assert_int_equal(engine_register(&hw), 0);
	make_config(&config, "guest", foreign_isa(), VM_ENGINE_HW, 1);
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), -ENOENT);
	console_capture_stop();
	assert_non_null(strstr(capture.text, "[error] vm guest: engine 'hw' cannot run "));
	assert_non_null(strstr(capture.text, " guests on this host\n"));
}

static void test_vm_create_fails_when_auto_finds_no_engine(void **state)
{
	struct console_capture capture;
	struct vm_config config;
	struct vm *vm = NULL;

	register_boards();
	make_config(&config, "web", VM_ISA_AARCH64, VM_ENGINE_AUTO, 1);
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), -ENOENT);
	console_capture_stop();
	assert_string_equal(
		capture.text,
		"[error] vm web: no engine can run aarch64 guests here (hw, hybrid, jit "
		"and interp are all missing or unusable)\n");
}

static void test_vm_create_fails_naming_the_missing_board(void **state)
{
	struct console_capture capture;
	struct vm_config config;
	struct vm *vm = NULL;

	register_boards();
	assert_int_equal(engine_register(&interp), 0);
	make_config(&config, "linux", VM_ISA_RISCV64, VM_ENGINE_AUTO, 1);
	strcpy(config.board, "sifive_u");
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), -ENOENT);
	console_capture_stop();
	assert_string_equal(capture.text,
			    "[error] vm linux: no board 'sifive_u' for riscv64 guests\n");
}

static void test_vm_create_returns_the_boards_error_and_leaves_explaining_to_it(void **state)
{
	struct console_capture capture;
	struct vm_config config;
	struct vm *vm = NULL;

	register_boards();
	assert_int_equal(engine_register(&interp), 0);
	board_create_result = -ENOMEM;
	make_config(&config, "linux", VM_ISA_RISCV64, VM_ENGINE_INTERP, 2);
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), -ENOMEM);
	console_capture_stop();
	assert_string_equal(capture.text, "");
	assert_int_equal(vcpu_inits, 0);
}

static void test_vm_create_undoes_everything_when_a_vcpu_fails(void **state)
{
	struct console_capture capture;
	struct vm_config config;
	struct vm *vm = NULL;

	register_boards();
	assert_int_equal(engine_register(&interp), 0);
	fail_vcpu_init_at = 2;
	make_config(&config, "linux", VM_ISA_RISCV64, VM_ENGINE_AUTO, 4);
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), -EIO);
	console_capture_stop();
	assert_null(vm);
	assert_string_equal(capture.text,
			    "[error] vm linux: engine fake-interp: vCPU 2: input/output error\n");
	assert_int_equal(vcpu_inits, 2);
	assert_int_equal(vcpu_destroys, 2);
	assert_int_equal(board_creates, 1);
	assert_int_equal(board_destroys, 1);
}

static void test_vm_create_rejects_a_config_without_isa_or_cpus(void **state)
{
	struct console_capture capture;
	struct vm_config config;
	struct vm *vm = NULL;

	register_boards();
	assert_int_equal(engine_register(&interp), 0);
	make_config(&config, "linux", VM_ISA_NONE, VM_ENGINE_AUTO, 1);
	console_capture_start(&capture);
	assert_int_equal(vm_create(&config, &vm), -EINVAL);
	make_config(&config, "linux", VM_ISA_RISCV64, VM_ENGINE_AUTO, CONFIG_MAX_CPUS + 1);
	assert_int_equal(vm_create(&config, &vm), -EINVAL);
	console_capture_stop();
	assert_non_null(
		strstr(capture.text, "[error] vm linux: needs a guest ISA and 1 to 64 vCPUs\n"));
	assert_int_equal(board_creates, 0);
}

static void test_vm_exit_carries_each_reasons_payload(void **state)
{
	struct vm_exit exit = { .reason = VM_EXIT_MMIO };

	exit.mmio.addr = 0x10000000;
	exit.mmio.size = 1;
	exit.mmio.is_write = true;
	exit.mmio.data = 'A';
	assert_int_equal(exit.mmio.data, 'A');
	exit.reason = VM_EXIT_HYPERCALL;
	exit.hypercall.nr = 0x54494d45;
	exit.hypercall.args[5] = 6;
	exit.hypercall.ret[1] = 7;
	assert_int_equal(exit.hypercall.args[5], 6);
	assert_true(sizeof(exit) <= 128);
}

#define TEST(fn) cmocka_unit_test_setup(fn, reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_engine_register_rejects_incomplete_ops),
		TEST(test_engine_register_rejects_a_name_twice),
		TEST(test_engine_register_is_bounded),
		TEST(test_engine_find_says_missing_or_unusable),
		TEST(test_engine_find_prefers_the_first_registered),
		TEST(test_engine_auto_picks_hw_for_the_host_isa),
		TEST(test_engine_auto_picks_hybrid_for_a_foreign_isa),
		TEST(test_engine_auto_picks_hybrid_when_hw_is_unusable),
		TEST(test_engine_auto_falls_back_to_jit_then_interp),
		TEST(test_engine_explicit_kind_is_taken_as_asked),
		TEST(test_engine_host_isa_matches_the_compiler),
		TEST(test_board_find_goes_by_isa_and_name),
		TEST(test_board_isa_by_name_names_the_only_isa_with_that_board),
		TEST(test_board_register_rejects_duplicates_and_incomplete_ops),
		TEST(test_board_register_is_bounded),
		TEST(test_vm_create_builds_board_and_stopped_vcpus),
		TEST(test_vm_create_fails_naming_the_missing_engine),
		TEST(test_vm_create_fails_when_the_engine_cannot_run_the_isa),
		TEST(test_vm_create_fails_when_auto_finds_no_engine),
		TEST(test_vm_create_fails_naming_the_missing_board),
		TEST(test_vm_create_returns_the_boards_error_and_leaves_explaining_to_it),
		TEST(test_vm_create_undoes_everything_when_a_vcpu_fails),
		TEST(test_vm_create_rejects_a_config_without_isa_or_cpus),
		TEST(test_vm_exit_carries_each_reasons_payload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
