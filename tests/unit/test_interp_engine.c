// SPDX-License-Identifier: MIT
/*
 * interp/engine: the emulation engine's run loop on a toy guest ISA registered through
 * interp/emu.h. Covers the block cache (reuse, invalidation by DMA and by guest stores, fence.i),
 * precise exceptions (fetch faults, load faults, illegal instructions), WFI, kicks, helper exits
 * and `-d ir` output.
 *
 * The toy ISA: 32-bit words, byte 0 the opcode, byte 1 rd, byte 2 rs, byte 3 a signed imm8.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "interp/emu.h"
#include "ir/builder.h"
#include "kernel/engine.h"
#include "lib/errno.h"
#include "tests/unit/console_capture.h"

enum toy_op { ADDI = 1, BNEZ, STORE, LOAD, WFI, EXIT, FENCEI, AMOADD };

struct toy_state {
	uint64_t x[8];
	uint64_t pc;
	uint32_t fflags;
	uint32_t frm;
	uint64_t tvec, epc, cause, tval;
	uint64_t irq;
};

#define RAM 0x80000000ull
#define TVEC (RAM + 0x800)
#define X(n) offsetof(struct toy_state, x[n])

static const struct ir_guest toy_guest = {
	.isa_name = "toy",
	.state_size = sizeof(struct toy_state),
	.pc_offset = offsetof(struct toy_state, pc),
	.fflags_offset = offsetof(struct toy_state, fflags),
	.round_offset = offsetof(struct toy_state, frm),
	.canonical_nan = true,
};

static uint32_t insn(enum toy_op op, unsigned rd, unsigned rs, int imm)
{
	return op | rd << 8 | rs << 16 | (uint32_t)(uint8_t)imm << 24;
}

static struct toy_state *toy(struct emu_cpu *cpu)
{
	return cpu->state;
}

static uint64_t helper_wfi(void *cpu, uint64_t a, uint64_t b, uint64_t c)
{
	emu_halt(cpu);
	return 0;
}

static uint64_t helper_exit(void *cpu, uint64_t code, uint64_t b, uint64_t c)
{
	struct vm_exit exit = { .reason = VM_EXIT_SHUTDOWN };

	exit.fault.cause = code;
	emu_exit(cpu, &exit);
	return 0;
}

static const struct ir_helper wfi_helper = { "wfi", helper_wfi, 0, 0 };
static const struct ir_helper exit_helper = { "exit", helper_exit, 1, IR_HELPER_READS_STATE };

static void toy_reset(struct emu_cpu *cpu)
{
	memset(cpu->state, 0, sizeof(struct toy_state));
	toy(cpu)->pc = RAM;
	toy(cpu)->tvec = TVEC;
}

static void toy_raise(struct emu_cpu *cpu, uint64_t cause, uint64_t tval)
{
	toy(cpu)->epc = toy(cpu)->pc;
	toy(cpu)->cause = cause;
	toy(cpu)->tval = tval;
	toy(cpu)->pc = toy(cpu)->tvec;
}

static unsigned toy_interrupts(struct emu_cpu *cpu)
{
	return toy(cpu)->irq ? EMU_IRQ_PENDING : 0;
}

static enum mmu_fault_kind identity(void *ctx, uint64_t vaddr, enum mmu_access access,
				    unsigned mmu_idx, struct mmu_translation *out)
{
	out->paddr = vaddr;
	out->page_shift = 12;
	out->prot = MMU_PROT_READ | MMU_PROT_WRITE | MMU_PROT_EXEC;
	return MMU_FAULT_NONE;
}

static unsigned toy_fetch_idx(struct emu_cpu *cpu)
{
	return 0;
}

static void toy_fault_cause(struct emu_cpu *cpu, const struct mmu_fault *fault, uint64_t *cause,
			    uint64_t *tval)
{
	*cause = 10 + fault->kind * 3 + fault->access;
	*tval = fault->vaddr;
}

/* One instruction; returns whether it ended the block. */
static bool decode(struct ir_block *b, uint64_t pc, uint32_t word)
{
	struct ir_mem mem = { .log2_size = 3 };
	unsigned rd = (word >> 8) & 7, rs = (word >> 16) & 7;
	int64_t imm = (int8_t)(word >> 24);

	ir_insn_start(b, pc);
	switch (word & 0xff) {
	case ADDI:
		ir_set(b, IR_I64, X(rd),
		       ir_binop(b, IR_ADD, IR_I64, ir_get(b, IR_I64, X(rs)),
				ir_const(b, IR_I64, (uint64_t)imm)));
		return false;
	case BNEZ:
		ir_exit_goto_if(b, ir_get(b, IR_I64, X(rs)), pc + (uint64_t)(imm * 4));
		ir_exit_goto(b, pc + 4);
		return true;
	case STORE:
		ir_store(b, mem, ir_get(b, IR_I64, X(rs)), 0, ir_get(b, IR_I64, X(rd)));
		return false;
	case LOAD:
		ir_set(b, IR_I64, X(rd), ir_load(b, IR_I64, mem, ir_get(b, IR_I64, X(rs)), 0));
		return false;
	case WFI:
		ir_call(b, &wfi_helper, IR_TEMP_NONE, IR_TEMP_NONE, IR_TEMP_NONE);
		ir_exit_goto(b, pc + 4);
		return true;
	case EXIT:
		ir_call(b, &exit_helper, ir_get(b, IR_I64, X(rd)), IR_TEMP_NONE, IR_TEMP_NONE);
		ir_exit_goto(b, pc + 4);
		return true;
	case AMOADD:
		mem.aligned = true;
		mem.order = IR_ORDER_ACQUIRE | IR_ORDER_RELEASE;
		ir_set(b, IR_I64, X(rd),
		       ir_atomic_rmw(b, IR_RMW_ADD, IR_I64, mem, ir_get(b, IR_I64, X(rs)),
				     ir_const(b, IR_I64, (uint64_t)imm)));
		return false;
	case FENCEI:
		ir_fence(b, IR_FENCE_INSN);
		ir_exit_goto(b, pc + 4);
		return true;
	default:
		ir_exit_exception(b, 2, ir_const(b, IR_I64, word));
		return true;
	}
}

static struct mmu_fault toy_translate(struct emu_cpu *cpu, struct ir_block *b)
{
	uint64_t pc = b->guest_pc, phys;
	const uint8_t *host;
	struct mmu_fault f = mmu_fetch(cpu->tlb, 0, pc, &host, &phys);
	unsigned n;

	if (f.kind != MMU_FAULT_NONE)
		return f;
	b->guest_phys = phys;
	for (n = 0;; n++, pc += 4, host += 4) {
		uint32_t word;

		memcpy(&word, host, 4);
		if (decode(b, pc, word))
			break;
		if (n == 7 || ((pc + 4) & 0xfff) == 0) {
			ir_exit_goto(b, pc + 4);
			break;
		}
	}
	b->guest_bytes = (uint32_t)(pc + 4 - b->guest_pc);
	return f;
}

static const struct emu_guest_ops toy_ops = {
	.isa = VM_ISA_AARCH64,
	.ir = &toy_guest,
	.reset = toy_reset,
	.translate = toy_translate,
	.raise_exception = toy_raise,
	.check_interrupts = toy_interrupts,
	.tlb_translate = identity,
	.fetch_mmu_idx = toy_fetch_idx,
	.fault_cause = toy_fault_cause,
};

static struct vm vm;
static struct vcpu vcpu;
static struct toy_state st;
static struct vm_exit exit_info;

static int setup(void **state)
{
	struct emu_guest_ops incomplete = toy_ops;

	incomplete.translate = NULL;
	assert_int_equal(emu_register_guest(&incomplete), -EINVAL);
	assert_int_equal(emu_register_guest(NULL), -EINVAL);
	assert_int_equal(emu_register_guest(&toy_ops), 0);
	assert_int_equal(emu_register_guest(&toy_ops), -EEXIST);
	vm.config.isa = VM_ISA_AARCH64;
	vm.gpa = gpa_space_create();
	assert_int_equal(gpa_add_ram(vm.gpa, RAM, 0x10000, "ram"), 0);
	vcpu.vm = &vm;
	assert_true(interp_engine_ops.probe(VM_ISA_AARCH64));
	assert_false(interp_engine_ops.probe(VM_ISA_X86_64));
	assert_int_equal(interp_engine_ops.vcpu_init(&vcpu), 0);
	return 0;
}

static int teardown(void **state)
{
	interp_engine_ops.vcpu_destroy(&vcpu);
	gpa_space_destroy(vm.gpa);
	emu_unregister_guest(&toy_ops);
	assert_null(emu_find_guest(VM_ISA_AARCH64));
	return 0;
}

/* Loads the program at RAM and the state, with pc at RAM. */
static void load(const uint32_t *program, size_t n)
{
	assert_int_equal(gpa_write(vm.gpa, RAM, program, n * 4), 0);
	memset(&st, 0, sizeof(st));
	st.pc = RAM;
	st.tvec = TVEC;
	assert_int_equal(interp_engine_ops.set_state(&vcpu, (const struct arch_state *)&st), 0);
}

static enum vm_exit_reason run(void)
{
	assert_int_equal(interp_engine_ops.vcpu_run(&vcpu, &exit_info), 0);
	assert_int_equal(interp_engine_ops.get_state(&vcpu, (struct arch_state *)&st), 0);
	return exit_info.reason;
}

static void test_engine_runs_a_loop_from_the_block_cache(void **state)
{
	const uint32_t program[] = {
		insn(ADDI, 1, 0, 100), insn(ADDI, 2, 2, 3), insn(ADDI, 1, 1, -1),
		insn(BNEZ, 0, 1, -2),  insn(EXIT, 2, 0, 0),
	};
	struct emu_cpu *cpu = emu_cpu_of(&vcpu);
	uint64_t translated = cpu->stats.blocks_translated, run_before = cpu->stats.blocks_run;

	load(program, 5);
	assert_int_equal(run(), VM_EXIT_SHUTDOWN);
	assert_int_equal(exit_info.fault.cause, 300);
	assert_int_equal(st.x[2], 300);
	assert_int_equal(st.pc, RAM + 20);
	assert_true(cpu->stats.blocks_translated - translated <= 4);
	assert_true(cpu->stats.blocks_run - run_before >= 100);
}

static void test_engine_retranslates_code_a_device_rewrote(void **state)
{
	uint32_t program[] = { insn(ADDI, 3, 0, 5), insn(EXIT, 3, 0, 0) };
	struct emu_cpu *cpu = emu_cpu_of(&vcpu);
	uint64_t invalidated;

	load(program, 2);
	assert_int_equal(run(), VM_EXIT_SHUTDOWN);
	assert_int_equal(exit_info.fault.cause, 5);
	invalidated = cpu->stats.blocks_invalidated;
	program[0] = insn(ADDI, 3, 0, 7);
	load(program, 2);
	assert_int_equal(run(), VM_EXIT_SHUTDOWN);
	assert_int_equal(exit_info.fault.cause, 7);
	assert_int_equal(cpu->stats.blocks_invalidated, invalidated + 1);
}

static void test_engine_sees_code_the_guest_patched_itself(void **state)
{
	const uint32_t program[] = {
		insn(BNEZ, 0, 1, 4), /* 0x00: x1 != 0 -> the patcher at 0x10 */
		insn(ADDI, 3, 0, 1), /* 0x04: patched to ADDI x3, x0, 9 */
		insn(EXIT, 3, 0, 0), /* 0x08 */
		0,
		insn(LOAD, 4, 6, 0), /* 0x10: x4 = the new instruction */
		insn(STORE, 4, 7, 0), /* 0x14: write it over 0x04 (and 0x08) */
		insn(FENCEI, 0, 0, 0), /* 0x18 */
		insn(BNEZ, 0, 5, -6), /* 0x1c: back to 0x04 */
	};
	uint64_t patch = (uint64_t)insn(EXIT, 3, 0, 0) << 32 | insn(ADDI, 3, 0, 9);

	assert_int_equal(gpa_write(vm.gpa, RAM + 0x1000, &patch, 8), 0);
	load(program, 8);
	assert_int_equal(run(), VM_EXIT_SHUTDOWN);
	assert_int_equal(exit_info.fault.cause, 1);
	st.pc = RAM;
	st.x[1] = 1;
	st.x[5] = 1;
	st.x[6] = RAM + 0x1000;
	st.x[7] = RAM + 4;
	interp_engine_ops.set_state(&vcpu, (const struct arch_state *)&st);
	assert_int_equal(run(), VM_EXIT_SHUTDOWN);
	assert_int_equal(exit_info.fault.cause, 9);
}

static void test_engine_raises_fetch_faults_at_the_target_pc(void **state)
{
	const uint32_t handler = insn(EXIT, 0, 0, 0);

	load(&handler, 1);
	assert_int_equal(gpa_write(vm.gpa, TVEC, &handler, 4), 0);
	st.pc = 0x5000;
	interp_engine_ops.set_state(&vcpu, (const struct arch_state *)&st);
	assert_int_equal(run(), VM_EXIT_SHUTDOWN);
	assert_int_equal(st.cause, 10 + MMU_FAULT_ACCESS * 3 + MMU_FETCH);
	assert_int_equal(st.epc, 0x5000);
	assert_int_equal(st.tval, 0x5000);
}

static void test_engine_faults_precisely_at_the_faulting_load(void **state)
{
	const uint32_t program[] = { insn(ADDI, 2, 0, 1), insn(LOAD, 3, 0, 0), insn(ADDI, 2, 0, 2),
				     insn(EXIT, 0, 0, 0) };
	const uint32_t handler = insn(EXIT, 2, 0, 0);

	load(program, 4);
	assert_int_equal(gpa_write(vm.gpa, TVEC, &handler, 4), 0);
	assert_int_equal(run(), VM_EXIT_SHUTDOWN);
	assert_int_equal(st.cause, 10 + MMU_FAULT_ACCESS * 3 + MMU_LOAD);
	assert_int_equal(st.epc, RAM + 4);
	assert_int_equal(st.tval, 0);
	assert_int_equal(exit_info.fault.cause, 1);
}

static void test_engine_raises_illegal_instructions_with_their_bits(void **state)
{
	const uint32_t program[] = { insn(ADDI, 2, 0, 1), 0xee };
	const uint32_t handler = insn(EXIT, 2, 0, 0);

	load(program, 2);
	assert_int_equal(gpa_write(vm.gpa, TVEC, &handler, 4), 0);
	assert_int_equal(run(), VM_EXIT_SHUTDOWN);
	assert_int_equal(st.cause, 2);
	assert_int_equal(st.tval, 0xee);
	assert_int_equal(st.epc, RAM + 4);
}

static void test_engine_halts_on_wfi_until_an_interrupt_is_pending(void **state)
{
	const uint32_t program[] = { insn(WFI, 0, 0, 0), insn(EXIT, 0, 0, 0) };

	load(program, 2);
	assert_int_equal(run(), VM_EXIT_HALT);
	assert_int_equal(run(), VM_EXIT_HALT);
	st.irq = 1;
	/* set_state would end the halt itself; the interrupt must do it here. */
	toy(emu_cpu_of(&vcpu))->irq = 1;
	assert_int_equal(run(), VM_EXIT_SHUTDOWN);
	assert_int_equal(st.pc, RAM + 8);
}

static void test_engine_returns_soon_after_a_kick(void **state)
{
	const uint32_t program[] = { insn(EXIT, 0, 0, 0) };

	load(program, 1);
	interp_engine_ops.vcpu_kick(&vcpu);
	assert_int_equal(run(), VM_EXIT_KICK);
	assert_int_equal(st.pc, RAM);
	assert_int_equal(run(), VM_EXIT_SHUTDOWN);
}

static void test_engine_prints_blocks_with_debug_ir(void **state)
{
	static struct console_capture capture;
	const uint32_t program[] = { insn(ADDI, 1, 0, 42), insn(EXIT, 1, 0, 0) };

	load(program, 2);
	/* Different code at the same address: translated again, so printed. */
	emu_set_debug(EMU_DEBUG_IR);
	console_capture_start(&capture);
	assert_int_equal(run(), VM_EXIT_SHUTDOWN);
	console_capture_stop();
	emu_set_debug(0);
	assert_non_null(strstr(capture.text, "block 0x80000000"));
	assert_non_null(strstr(capture.text, "call exit("));
	assert_non_null(strstr(capture.text, "optimized:"));
}

static void *run_vcpu(void *arg)
{
	struct vm_exit out;

	assert_int_equal(interp_engine_ops.vcpu_run(arg, &out), 0);
	assert_int_equal(out.reason, VM_EXIT_SHUTDOWN);
	return NULL;
}

static void test_engine_amos_are_atomic_between_vcpus_on_two_threads(void **state)
{
	const uint32_t program[] = { insn(ADDI, 1, 0, 100), insn(ADDI, 2, 0, 100),
				     insn(AMOADD, 3, 6, 1), insn(ADDI, 2, 2, -1),
				     insn(BNEZ, 0, 2, -2),  insn(ADDI, 1, 1, -1),
				     insn(BNEZ, 0, 1, -5),  insn(EXIT, 0, 0, 0) };
	struct vcpu second = { .id = 1, .vm = &vm };
	pthread_t threads[2];
	uint64_t counter = 0;
	int i;

	assert_int_equal(gpa_write(vm.gpa, RAM + 0x2000, &counter, 8), 0);
	assert_int_equal(interp_engine_ops.vcpu_init(&second), 0);
	load(program, 8);
	st.x[6] = RAM + 0x2000;
	interp_engine_ops.set_state(&vcpu, (const struct arch_state *)&st);
	interp_engine_ops.set_state(&second, (const struct arch_state *)&st);
	assert_int_equal(pthread_create(&threads[0], NULL, run_vcpu, &vcpu), 0);
	assert_int_equal(pthread_create(&threads[1], NULL, run_vcpu, &second), 0);
	for (i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	assert_int_equal(gpa_read(vm.gpa, RAM + 0x2000, &counter, 8), 0);
	assert_int_equal(counter, 2 * 100 * 100);
	interp_engine_ops.vcpu_destroy(&second);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_runs_a_loop_from_the_block_cache),
		cmocka_unit_test(test_engine_retranslates_code_a_device_rewrote),
		cmocka_unit_test(test_engine_sees_code_the_guest_patched_itself),
		cmocka_unit_test(test_engine_raises_fetch_faults_at_the_target_pc),
		cmocka_unit_test(test_engine_faults_precisely_at_the_faulting_load),
		cmocka_unit_test(test_engine_raises_illegal_instructions_with_their_bits),
		cmocka_unit_test(test_engine_halts_on_wfi_until_an_interrupt_is_pending),
		cmocka_unit_test(test_engine_returns_soon_after_a_kick),
		cmocka_unit_test(test_engine_prints_blocks_with_debug_ir),
		cmocka_unit_test(test_engine_amos_are_atomic_between_vcpus_on_two_threads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
