// SPDX-License-Identifier: MIT
/*
 * interp/engine's jit and hybrid engines on a toy guest ISA: hot blocks run as host code (jit from
 * their first run, hybrid after EMU_HYBRID_THRESHOLD interpreted runs) with the interpreter's
 * results; a block the JIT refuses (FP arithmetic) runs interpreted, atomics and all; code the guest rewrites is
 * compiled again; a load that faults in host code raises at its own instruction.
 *
 * The toy ISA: 32-bit words, byte 0 the opcode, byte 1 rd, byte 2 rs, byte 3 a signed imm8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "interp/emu.h"
#include "ir/builder.h"
#include "jit/jit.h"
#include "kernel/engine.h"

enum toy_op { ADDI = 1, BNEZ, STORE, LOAD, EXIT, FENCEI, AMOADD, FADD };

struct toy_state {
	uint64_t x[8];
	uint64_t pc;
	uint32_t fflags;
	uint32_t frm;
	uint64_t epc, cause, tval;
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

static uint64_t helper_exit(void *cpu, uint64_t code, uint64_t b, uint64_t c)
{
	struct vm_exit exit = { .reason = VM_EXIT_SHUTDOWN };

	exit.fault.cause = code;
	emu_exit(cpu, &exit);
	return 0;
}

static const struct ir_helper exit_helper = { "exit", helper_exit, 1, IR_HELPER_READS_STATE };

static void toy_reset(struct emu_cpu *cpu)
{
	memset(cpu->state, 0, sizeof(struct toy_state));
	toy(cpu)->pc = RAM;
}

static void toy_raise(struct emu_cpu *cpu, uint64_t cause, uint64_t tval)
{
	toy(cpu)->epc = toy(cpu)->pc;
	toy(cpu)->cause = cause;
	toy(cpu)->tval = tval;
	toy(cpu)->pc = TVEC;
}

static unsigned toy_interrupts(struct emu_cpu *cpu)
{
	return 0;
}

/* RAM is mapped where it is; the page at 0 is not, so loads from it fault. */
static enum mmu_fault_kind identity(void *ctx, uint64_t vaddr, enum mmu_access access,
				    unsigned mmu_idx, struct mmu_translation *out)
{
	if (vaddr < 0x1000)
		return MMU_FAULT_PAGE;
	out->paddr = vaddr & ~0xfffull;
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
		ir_set(b, IR_I64, X(rd), ir_load(b, IR_I64, mem, ir_get(b, IR_I64, X(rs)), imm));
		return false;
	case EXIT:
		ir_call(b, &exit_helper, ir_get(b, IR_I64, X(rd)), IR_TEMP_NONE, IR_TEMP_NONE);
		ir_exit_goto(b, pc + 4);
		return true;
	case AMOADD:
		mem.aligned = true;
		ir_set(b, IR_I64, X(rd),
		       ir_atomic_rmw(b, IR_RMW_ADD, IR_I64, mem, ir_get(b, IR_I64, X(rs)),
				     ir_const(b, IR_I64, (uint64_t)imm)));
		return false;
	case FADD:
		ir_set(b, IR_F64, X(rd),
		       ir_fbinop(b, IR_FADD, IR_F64, IR_ROUND_NEAREST_EVEN,
				 ir_get(b, IR_F64, X(rd)), ir_get(b, IR_F64, X(rs))));
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

/* One vCPU per engine under test, each with its own RAM. */
struct machine {
	const struct engine_ops *engine;
	struct vm vm;
	struct vcpu vcpu;
	struct toy_state st;
	struct vm_exit exit;
};

/* A fresh vCPU for each test, of the engine in the test's prestate. */
static int setup(void **state)
{
	static struct machine m;

	if (!jit_available())
		return 0;
	memset(&m, 0, sizeof(m));
	assert_int_equal(emu_register_guest(&toy_ops), 0);
	m.engine = *state;
	m.vm.config.isa = VM_ISA_AARCH64;
	m.vm.gpa = gpa_space_create();
	assert_int_equal(gpa_add_ram(m.vm.gpa, RAM, 0x10000, "ram"), 0);
	m.vcpu.vm = &m.vm;
	assert_true(m.engine->probe(VM_ISA_AARCH64));
	assert_false(m.engine->probe(VM_ISA_X86_64));
	assert_int_equal(m.engine->vcpu_init(&m.vcpu), 0);
	*state = &m;
	return 0;
}

static int teardown(void **state)
{
	struct machine *m = *state;

	if (!jit_available())
		return 0;
	m->engine->vcpu_destroy(&m->vcpu);
	gpa_space_destroy(m->vm.gpa);
	emu_unregister_guest(&toy_ops);
	return 0;
}

/* The machine of this test; skips when the host has no JIT. */
static struct machine *machine_of(void **state)
{
	if (!jit_available())
		skip();
	return *state;
}

/* The state as at reset, with pc at RAM; the code in RAM stays, and so do its blocks. */
static void restart(struct machine *m)
{
	memset(&m->st, 0, sizeof(m->st));
	m->st.pc = RAM;
	assert_int_equal(m->engine->set_state(&m->vcpu, (const struct arch_state *)&m->st), 0);
}

static void load(struct machine *m, const uint32_t *program, size_t n)
{
	assert_int_equal(gpa_write(m->vm.gpa, RAM, program, n * 4), 0);
	restart(m);
}

static enum vm_exit_reason run(struct machine *m)
{
	assert_int_equal(m->engine->vcpu_run(&m->vcpu, &m->exit), 0);
	assert_int_equal(m->engine->get_state(&m->vcpu, (struct arch_state *)&m->st), 0);
	return m->exit.reason;
}

static void test_jit_engine_runs_hot_blocks_as_host_code(void **state)
{
	const uint32_t program[] = {
		insn(ADDI, 1, 0, 100), insn(ADDI, 2, 2, 3), insn(ADDI, 1, 1, -1),
		insn(BNEZ, 0, 1, -2),  insn(EXIT, 2, 0, 0),
	};
	struct machine *m = machine_of(state);
	struct emu_cpu *cpu = emu_cpu_of(&m->vcpu);
	struct emu_stats before = cpu->stats;

	load(m, program, 5);
	assert_int_equal(run(m), VM_EXIT_SHUTDOWN);
	assert_int_equal(m->exit.fault.cause, 300);
	assert_int_equal(m->st.x[2], 300);
	assert_int_equal(m->st.pc, RAM + 20);
	/* The loop's block runs 100 times: as host code from the first run (jit) or after the
	 * threshold (hybrid), which the blocks that run once never reach. */
	if (m->engine == &jit_engine_ops) {
		assert_int_equal(cpu->stats.blocks_compiled - before.blocks_compiled,
				 cpu->stats.blocks_translated - before.blocks_translated);
		assert_int_equal(cpu->stats.blocks_run_compiled - before.blocks_run_compiled,
				 cpu->stats.blocks_run - before.blocks_run);
	} else {
		assert_int_equal(cpu->stats.blocks_compiled - before.blocks_compiled, 1);
		assert_int_equal(cpu->stats.blocks_run_compiled - before.blocks_run_compiled,
				 100 - EMU_HYBRID_THRESHOLD);
	}
}

/* Atomics and FP (through the interpreter's softfloat) run as host code, with the same results. */
static void test_jit_engine_compiles_atomic_and_fp_blocks(void **state)
{
	const uint32_t program[] = {
		insn(ADDI, 1, 0, 40), /* 0x00 */
		insn(ADDI, 6, 6, 0x40), /* 0x04: x6 = RAM + 0x1000, a page without code */
		insn(ADDI, 6, 6, 0x40), insn(ADDI, 6, 6, 0x40), insn(ADDI, 6, 6, 0x40),
		insn(AMOADD, 2, 6, 5), /* 0x14: the loop, 40 times */
		insn(FADD, 3, 4, 0),	insn(ADDI, 1, 1, -1),	insn(BNEZ, 0, 1, -3),
		insn(LOAD, 5, 6, 0),	insn(EXIT, 5, 0, 0),
	};
	struct machine *m = machine_of(state);
	struct emu_cpu *cpu = emu_cpu_of(&m->vcpu);
	uint64_t zero = 0;

	assert_int_equal(gpa_write(m->vm.gpa, RAM + 0x1000, &zero, 8), 0);
	load(m, program, 11);
	m->st.x[6] = RAM + 0xf00;
	m->st.x[4] = 3; /* the smallest denormals add exactly */
	assert_int_equal(m->engine->set_state(&m->vcpu, (const struct arch_state *)&m->st), 0);
	assert_int_equal(run(m), VM_EXIT_SHUTDOWN);
	assert_int_equal(m->exit.fault.cause, 200);
	assert_int_equal(m->st.x[2], 195);
	assert_int_equal(m->st.x[3], 120);
	/* The loop's block ran 39 times after the first pass: as host code from its first run
	 * (jit) or once past the threshold (hybrid). */
	assert_true(cpu->stats.blocks_compiled > 0);
	assert_true(cpu->stats.blocks_run_compiled >=
		    (m->engine == &jit_engine_ops ? 39u : 39u - EMU_HYBRID_THRESHOLD + 1));
}

static void test_jit_engine_compiles_code_the_guest_patched_again(void **state)
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
	uint64_t patch = insn(ADDI, 3, 0, 9) | (uint64_t)insn(EXIT, 3, 0, 0) << 32;
	struct machine *m = machine_of(state);
	unsigned i;

	assert_int_equal(gpa_write(m->vm.gpa, RAM + 0x200, &patch, 8), 0);
	/* Often enough that hybrid compiles the block at 0x04 before it is patched. */
	load(m, program, 8);
	for (i = 0; i <= EMU_HYBRID_THRESHOLD; i++) {
		restart(m);
		assert_int_equal(run(m), VM_EXIT_SHUTDOWN);
		assert_int_equal(m->exit.fault.cause, 1);
	}
	assert_true(emu_cpu_of(&m->vcpu)->stats.blocks_run_compiled > 0);
	restart(m);
	m->st.x[1] = 1;
	m->st.x[5] = 1;
	m->st.x[6] = RAM + 0x200;
	m->st.x[7] = RAM + 4;
	assert_int_equal(m->engine->set_state(&m->vcpu, (const struct arch_state *)&m->st), 0);
	assert_int_equal(run(m), VM_EXIT_SHUTDOWN);
	assert_int_equal(m->exit.fault.cause, 9);
}

static void test_jit_engine_faults_precisely_in_host_code(void **state)
{
	const uint32_t program[] = {
		insn(ADDI, 1, 0, 7), insn(ADDI, 2, 0, 0x10), insn(LOAD, 3, 2, 8),
		insn(ADDI, 1, 0, 9), insn(EXIT, 1, 0, 0),
	};
	uint32_t handler[] = { insn(EXIT, 1, 0, 0) };
	struct machine *m = machine_of(state);
	unsigned i;

	assert_int_equal(gpa_write(m->vm.gpa, TVEC, handler, 4), 0);
	load(m, program, 5);
	for (i = 0; i <= EMU_HYBRID_THRESHOLD; i++) {
		restart(m);
		assert_int_equal(run(m), VM_EXIT_SHUTDOWN);
		assert_int_equal(m->exit.fault.cause, 7);
		assert_int_equal(m->st.epc, RAM + 8);
		assert_int_equal(m->st.cause, 10 + MMU_FAULT_PAGE * 3 + MMU_LOAD);
		assert_int_equal(m->st.tval, 0x18);
	}
	assert_true(emu_cpu_of(&m->vcpu)->stats.blocks_run_compiled > 0);
}

/* Each test once per engine, named after both. */
#define TEST(f, engine)                                                                 \
	{                                                                               \
		.name = #engine "/" #f, .test_func = f, .setup_func = setup,            \
		.teardown_func = teardown, .initial_state = (void *)(uintptr_t)&engine, \
	}
#define ENGINE_TESTS(engine)                                                         \
	TEST(test_jit_engine_runs_hot_blocks_as_host_code, engine),                  \
		TEST(test_jit_engine_compiles_atomic_and_fp_blocks, engine),         \
		TEST(test_jit_engine_compiles_code_the_guest_patched_again, engine), \
		TEST(test_jit_engine_faults_precisely_in_host_code, engine)

int main(void)
{
	const struct CMUnitTest tests[] = {
		ENGINE_TESTS(jit_engine_ops),
		ENGINE_TESTS(hybrid_engine_ops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
