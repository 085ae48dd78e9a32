// SPDX-License-Identifier: MIT
/*
 * interp/interp: each IR op class run by the interpreter against expected values (division
 * corner cases, every condition, shifts modulo the width, memory with sign and size, misaligned
 * and faulting accesses, MMIO, atomics across host threads, exits, helpers). Every integer case
 * also runs after constant folding, which must give the same answer.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "interp/emu.h"
#include "interp/interp.h"
#include "ir/builder.h"
#include "ir/opt.h"
#include "ir/verify.h"
#include "lib/plat.h"

struct toy_state {
	uint64_t x[4];
	uint64_t pc;
	uint32_t fflags;
	uint32_t frm;
	uint64_t raised_cause;
	uint64_t raised_tval;
	uint64_t raised_pc;
};

#define X0 offsetof(struct toy_state, x[0])
#define RAM_BASE 0x80000000ull
#define RAM_SIZE (64 * 1024ull)
#define MMIO_BASE 0x10000000ull

static const struct ir_guest toy_guest = {
	.isa_name = "toy",
	.state_size = sizeof(struct toy_state),
	.pc_offset = offsetof(struct toy_state, pc),
	.fflags_offset = offsetof(struct toy_state, fflags),
	.round_offset = offsetof(struct toy_state, frm),
	.canonical_nan = true,
};

static void toy_raise(struct emu_cpu *cpu, uint64_t cause, uint64_t tval)
{
	struct toy_state *s = cpu->state;

	s->raised_cause = cause;
	s->raised_tval = tval;
	s->raised_pc = s->pc;
	s->pc = 0x100;
}

static const struct emu_guest_ops toy_ops = {
	.isa = VM_ISA_AARCH64,
	.ir = &toy_guest,
	.raise_exception = toy_raise,
};

/* Identity translation, read/write/execute, as if paging were off. */
static enum mmu_fault_kind identity(void *ctx, uint64_t vaddr, enum mmu_access access,
				    unsigned mmu_idx, struct mmu_translation *out)
{
	out->paddr = vaddr;
	out->page_shift = 12;
	out->prot = MMU_PROT_READ | MMU_PROT_WRITE | MMU_PROT_EXEC;
	out->global = true;
	return MMU_FAULT_NONE;
}

static uint64_t mmio_last_write;
static int mmio_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	if (offset >= 0x100)
		return -1;
	*value = offset + size;
	return 0;
}

static int mmio_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	mmio_last_write = value ^ (offset << 56);
	return 0;
}

static const struct mmio_ops toy_mmio = { mmio_read, mmio_write };

struct fixture {
	struct toy_state state;
	struct emu_cpu cpu;
	struct tlb tlb;
	struct gpa_space *gpa;
	struct ir_block block;
	uint64_t temps[IR_BLOCK_MAX_TEMPS];
	struct interp_exit exit;
};

static struct fixture *fx;

static int setup(void **state)
{
	fx = plat_alloc(sizeof(*fx));
	fx->gpa = gpa_space_create();
	assert_int_equal(gpa_add_ram(fx->gpa, RAM_BASE, RAM_SIZE, "ram"), 0);
	assert_int_equal(gpa_add_mmio(fx->gpa, MMIO_BASE, 0x100, &toy_mmio, NULL, "dev"), 0);
	tlb_init(&fx->tlb, fx->gpa, identity, NULL);
	fx->cpu.state = &fx->state;
	fx->cpu.tlb = &fx->tlb;
	fx->cpu.gpa = fx->gpa;
	fx->cpu.ops = &toy_ops;
	return 0;
}

static int teardown(void **state)
{
	gpa_space_destroy(fx->gpa);
	plat_free(fx);
	return 0;
}

static struct ir_block *start(void)
{
	ir_block_init(&fx->block, &toy_guest, 0x1000);
	ir_insn_start(&fx->block, 0x1000);
	return &fx->block;
}

/* Verifies and runs the block as built; returns how it ended. */
static enum interp_exit_kind run(void)
{
	char msg[160];

	if (ir_verify(&fx->block, msg, sizeof(msg)))
		fail_msg("%s", msg);
	fx->cpu.raised = false;
	interp_exec(&fx->cpu, fx->block.ops, fx->temps, &fx->exit);
	return fx->exit.kind;
}

/* x0 after the block, run as built and again after optimization (both must agree). */
static uint64_t run_for_x0(void)
{
	struct ir_block copy = fx->block;
	uint64_t first;
	char msg[160];

	fx->state.x[0] = 0xdeadbeefdeadbeefull;
	run();
	first = fx->state.x[0];
	fx->block = copy;
	ir_optimize(&fx->block);
	if (ir_verify(&fx->block, msg, sizeof(msg)))
		fail_msg("optimized: %s", msg);
	fx->state.x[0] = 0xdeadbeefdeadbeefull;
	run();
	assert_int_equal(fx->state.x[0], first);
	return first;
}

static uint64_t binop(enum ir_opcode opcode, enum ir_type type, uint64_t a, uint64_t b)
{
	struct ir_block *bl = start();
	ir_temp r = ir_binop(bl, opcode, type, ir_const(bl, type, a), ir_const(bl, type, b));

	ir_set(bl, IR_I64, X0, type == IR_I64 ? r : ir_extend(bl, IR_EXTU, IR_I64, r, 32));
	ir_exit_goto(bl, 0);
	return run_for_x0();
}

static uint64_t unop(enum ir_opcode opcode, enum ir_type type, uint64_t a)
{
	struct ir_block *bl = start();
	ir_temp r = ir_unop(bl, opcode, type, ir_const(bl, type, a));

	ir_set(bl, IR_I64, X0, type == IR_I64 ? r : ir_extend(bl, IR_EXTU, IR_I64, r, 32));
	ir_exit_goto(bl, 0);
	return run_for_x0();
}

#define I64_MIN 0x8000000000000000ull

static void test_interp_division_corner_cases_follow_ir_h(void **state)
{
	assert_int_equal(binop(IR_DIV, IR_I64, 7, 0), ~0ull);
	assert_int_equal(binop(IR_DIVU, IR_I64, 7, 0), ~0ull);
	assert_int_equal(binop(IR_REM, IR_I64, 7, 0), 7);
	assert_int_equal(binop(IR_REMU, IR_I64, 7, 0), 7);
	assert_int_equal(binop(IR_DIV, IR_I64, I64_MIN, ~0ull), I64_MIN);
	assert_int_equal(binop(IR_REM, IR_I64, I64_MIN, ~0ull), 0);
	assert_int_equal(binop(IR_DIV, IR_I64, (uint64_t)-7, 2), (uint64_t)-3);
	assert_int_equal(binop(IR_REM, IR_I64, (uint64_t)-7, 2), (uint64_t)-1);
	assert_int_equal(binop(IR_DIVU, IR_I64, (uint64_t)-7, 2), 0x7ffffffffffffffcull);
	assert_int_equal(binop(IR_DIV, IR_I32, 7, 0), 0xffffffffu);
	assert_int_equal(binop(IR_DIVU, IR_I32, 7, 0), 0xffffffffu);
	assert_int_equal(binop(IR_REM, IR_I32, 0xfffffff9u, 0), 0xfffffff9u);
	assert_int_equal(binop(IR_DIV, IR_I32, 0x80000000u, 0xffffffffu), 0x80000000u);
	assert_int_equal(binop(IR_REM, IR_I32, 0x80000000u, 0xffffffffu), 0);
	assert_int_equal(binop(IR_DIV, IR_I32, 0xfffffff9u, 2), 0xfffffffdu);
	assert_int_equal(binop(IR_REMU, IR_I32, 0xfffffff9u, 0x10), 9);
}

static void test_interp_multiplies_give_both_halves(void **state)
{
	assert_int_equal(binop(IR_MUL, IR_I64, 0x100000001ull, 0x100000001ull), 0x200000001ull);
	assert_int_equal(binop(IR_MULH, IR_I64, ~0ull, ~0ull), 0);
	assert_int_equal(binop(IR_MULHU, IR_I64, ~0ull, ~0ull), 0xfffffffffffffffeull);
	assert_int_equal(binop(IR_MULHSU, IR_I64, ~0ull, ~0ull), ~0ull);
	assert_int_equal(binop(IR_MULH, IR_I64, I64_MIN, I64_MIN), 0x4000000000000000ull);
	assert_int_equal(binop(IR_MULHSU, IR_I64, I64_MIN, 2), ~0ull);
	assert_int_equal(binop(IR_MUL, IR_I32, 0x10000, 0x10000), 0);
	assert_int_equal(binop(IR_MULH, IR_I32, 0xffffffffu, 0xffffffffu), 0);
	assert_int_equal(binop(IR_MULHU, IR_I32, 0xffffffffu, 0xffffffffu), 0xfffffffeu);
	assert_int_equal(binop(IR_MULHSU, IR_I32, 0xffffffffu, 0xffffffffu), 0xffffffffu);
}

static void test_interp_shifts_and_rotates_take_the_amount_modulo_the_width(void **state)
{
	assert_int_equal(binop(IR_SHL, IR_I64, 1, 65), 2);
	assert_int_equal(binop(IR_SHL, IR_I32, 1, 33), 2);
	assert_int_equal(binop(IR_SHL, IR_I32, 0x80000001u, 1), 2);
	assert_int_equal(binop(IR_SHR, IR_I64, I64_MIN, 63), 1);
	assert_int_equal(binop(IR_SHR, IR_I32, 0x80000000u, 63), 1);
	assert_int_equal(binop(IR_SAR, IR_I64, I64_MIN, 63), ~0ull);
	assert_int_equal(binop(IR_SAR, IR_I32, 0x80000000u, 31), 0xffffffffu);
	assert_int_equal(binop(IR_ROTL, IR_I64, I64_MIN | 1, 1), 3);
	assert_int_equal(binop(IR_ROTR, IR_I64, 3, 1), I64_MIN | 1);
	assert_int_equal(binop(IR_ROTL, IR_I32, 0x80000001u, 33), 3);
	assert_int_equal(binop(IR_ROTR, IR_I32, 3, 0), 3);
	assert_int_equal(binop(IR_ROTR, IR_I32, 3, 1), 0x80000001u);
}

static void test_interp_logic_min_max_and_bit_counts(void **state)
{
	assert_int_equal(binop(IR_AND, IR_I64, 0xff00, 0x0ff0), 0x0f00);
	assert_int_equal(binop(IR_OR, IR_I64, 0xff00, 0x0ff0), 0xfff0);
	assert_int_equal(binop(IR_XOR, IR_I32, 0xff00, 0x0ff0), 0xf0f0);
	assert_int_equal(binop(IR_SUB, IR_I32, 0, 1), 0xffffffffu);
	assert_int_equal(binop(IR_ADD, IR_I32, 0xffffffffu, 2), 1);
	assert_int_equal(binop(IR_MIN, IR_I64, (uint64_t)-5, 3), (uint64_t)-5);
	assert_int_equal(binop(IR_MAX, IR_I64, (uint64_t)-5, 3), 3);
	assert_int_equal(binop(IR_MIN, IR_I32, 0xfffffffbu, 3), 0xfffffffbu);
	assert_int_equal(binop(IR_MAX, IR_I32, 0xfffffffbu, 3), 3);
	assert_int_equal(binop(IR_MINU, IR_I32, 0xfffffffbu, 3), 3);
	assert_int_equal(binop(IR_MAXU, IR_I64, (uint64_t)-5, 3), (uint64_t)-5);
	assert_int_equal(unop(IR_NOT, IR_I32, 0), 0xffffffffu);
	assert_int_equal(unop(IR_NEG, IR_I64, 1), ~0ull);
	assert_int_equal(unop(IR_CLZ, IR_I64, 0), 64);
	assert_int_equal(unop(IR_CLZ, IR_I32, 0), 32);
	assert_int_equal(unop(IR_CLZ, IR_I32, 1), 31);
	assert_int_equal(unop(IR_CLZ, IR_I64, 1), 63);
	assert_int_equal(unop(IR_CTZ, IR_I32, 0), 32);
	assert_int_equal(unop(IR_CTZ, IR_I64, I64_MIN), 63);
	assert_int_equal(unop(IR_POPCNT, IR_I64, ~0ull), 64);
	assert_int_equal(unop(IR_POPCNT, IR_I32, 0xf0f0), 8);
	assert_int_equal(unop(IR_BSWAP, IR_I32, 0x11223344u), 0x44332211u);
	assert_int_equal(unop(IR_BSWAP, IR_I64, 0x1122334455667788ull), 0x8877665544332211ull);
}

static uint64_t extend(enum ir_opcode opcode, enum ir_type type, enum ir_type from, uint64_t a,
		       unsigned bits)
{
	struct ir_block *bl = start();
	ir_temp r = ir_extend(bl, opcode, type, ir_const(bl, from, a), bits);

	ir_set(bl, IR_I64, X0, type == IR_I64 ? r : ir_extend(bl, IR_EXTU, IR_I64, r, 32));
	ir_exit_goto(bl, 0);
	return run_for_x0();
}

static void test_interp_extensions_and_truncation(void **state)
{
	assert_int_equal(extend(IR_SEXT, IR_I64, IR_I64, 0x80, 8), 0xffffffffffffff80ull);
	assert_int_equal(extend(IR_SEXT, IR_I64, IR_I64, 0x7fff, 16), 0x7fff);
	assert_int_equal(extend(IR_SEXT, IR_I64, IR_I64, 0x80000000u, 32), 0xffffffff80000000ull);
	assert_int_equal(extend(IR_SEXT, IR_I32, IR_I32, 0x8000, 16), 0xffff8000u);
	assert_int_equal(extend(IR_ZEXT, IR_I64, IR_I64, ~0ull, 16), 0xffff);
	assert_int_equal(extend(IR_TRUNC, IR_I32, IR_I64, 0x123456789ull, 32), 0x23456789u);
	assert_int_equal(extend(IR_EXTS, IR_I64, IR_I32, 0x80000000u, 32), 0xffffffff80000000ull);
	assert_int_equal(extend(IR_EXTU, IR_I64, IR_I32, 0x80000000u, 32), 0x80000000u);
}

static uint64_t setcc(enum ir_cond cond, enum ir_type type, uint64_t a, uint64_t b)
{
	struct ir_block *bl = start();
	ir_temp r = ir_setcc(bl, cond, type, ir_const(bl, type, a), ir_const(bl, type, b));

	ir_set(bl, IR_I64, X0, type == IR_I64 ? r : ir_extend(bl, IR_EXTU, IR_I64, r, 32));
	ir_exit_goto(bl, 0);
	return run_for_x0();
}

static void test_interp_every_condition_signed_and_unsigned(void **state)
{
	/* (-1, 1): signed less, unsigned greater; and equal operands. */
	static const struct {
		enum ir_cond cond;
		uint64_t minus_one_vs_one, equal;
	} table[] = {
		{ IR_COND_EQ, 0, 1 },  { IR_COND_NE, 1, 0 },  { IR_COND_LT, 1, 0 },
		{ IR_COND_GE, 0, 1 },  { IR_COND_LE, 1, 1 },  { IR_COND_GT, 0, 0 },
		{ IR_COND_LTU, 0, 0 }, { IR_COND_GEU, 1, 1 }, { IR_COND_LEU, 0, 1 },
		{ IR_COND_GTU, 1, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		assert_int_equal(setcc(table[i].cond, IR_I64, ~0ull, 1), table[i].minus_one_vs_one);
		assert_int_equal(setcc(table[i].cond, IR_I32, 0xffffffffu, 1),
				 table[i].minus_one_vs_one);
		assert_int_equal(setcc(table[i].cond, IR_I64, 5, 5), table[i].equal);
		assert_int_equal(setcc(table[i].cond, IR_I32, 5, 5), table[i].equal);
	}
}

static void test_interp_select_picks_by_a_nonzero_condition(void **state)
{
	struct ir_block *bl;
	ir_temp r;

	bl = start();
	r = ir_select(bl, IR_I64, ir_const(bl, IR_I32, 2), ir_const(bl, IR_I64, 10),
		      ir_const(bl, IR_I64, 20));
	ir_set(bl, IR_I64, X0, r);
	ir_exit_goto(bl, 0);
	assert_int_equal(run_for_x0(), 10);
	bl = start();
	r = ir_select(bl, IR_I64, ir_const(bl, IR_I64, 0), ir_const(bl, IR_I64, 10),
		      ir_const(bl, IR_I64, 20));
	ir_set(bl, IR_I64, X0, r);
	ir_exit_goto(bl, 0);
	assert_int_equal(run_for_x0(), 20);
}

static struct ir_mem mem(unsigned log2, bool sign, bool aligned)
{
	return (struct ir_mem){ .log2_size = (uint8_t)log2, .sign = sign, .aligned = aligned };
}

/* Loads the value of size at addr with sign (after the block stored store_value there). */
static uint64_t load_back(uint64_t addr, unsigned log2, bool sign, uint64_t store_value)
{
	struct ir_block *bl = start();
	ir_temp a = ir_const(bl, IR_I64, addr - 8);

	ir_store(bl, mem(3, false, false), a, 8, ir_const(bl, IR_I64, store_value));
	ir_set(bl, IR_I64, X0, ir_load(bl, IR_I64, mem(log2, sign, false), a, 8));
	ir_exit_goto(bl, 0);
	assert_int_equal(run(), INTERP_EXIT_PC);
	return fx->state.x[0];
}

static void test_interp_loads_extend_by_size_and_sign(void **state)
{
	uint64_t v = 0x8182838485868788ull;

	assert_int_equal(load_back(RAM_BASE + 0x100, 0, false, v), 0x88);
	assert_int_equal(load_back(RAM_BASE + 0x100, 0, true, v), 0xffffffffffffff88ull);
	assert_int_equal(load_back(RAM_BASE + 0x100, 1, true, v), 0xffffffffffff8788ull);
	assert_int_equal(load_back(RAM_BASE + 0x100, 2, false, v), 0x85868788u);
	assert_int_equal(load_back(RAM_BASE + 0x100, 2, true, v), 0xffffffff85868788ull);
	assert_int_equal(load_back(RAM_BASE + 0x100, 3, true, v), v);
}

static void test_interp_misaligned_access_splits_across_pages(void **state)
{
	uint64_t addr = RAM_BASE + 0x1000 - 3;
	uint8_t bytes[8];

	assert_int_equal(load_back(addr, 3, false, 0x0807060504030201ull), 0x0807060504030201ull);
	assert_int_equal(gpa_read(fx->gpa, addr, bytes, 8), 0);
	assert_int_equal(bytes[0], 1);
	assert_int_equal(bytes[7], 8);
}

static void test_interp_aligned_access_faults_when_misaligned(void **state)
{
	struct ir_block *bl = start();

	ir_load(bl, IR_I64, mem(2, false, true), ir_const(bl, IR_I64, RAM_BASE + 2), 0);
	ir_exit_goto(bl, 0);
	assert_int_equal(run(), INTERP_EXIT_FAULT);
	assert_int_equal(fx->exit.fault.kind, MMU_FAULT_MISALIGNED);
	assert_int_equal(fx->exit.fault.access, MMU_LOAD);
	assert_int_equal(fx->exit.fault.vaddr, RAM_BASE + 2);
}

static void test_interp_access_outside_memory_faults_at_its_instruction(void **state)
{
	struct ir_block *bl = start();

	ir_insn_start(bl, 0x1004);
	ir_store(bl, mem(3, false, false), ir_const(bl, IR_I64, 0x4000), 0,
		 ir_const(bl, IR_I64, 1));
	ir_insn_start(bl, 0x1008);
	ir_exit_goto(bl, 0);
	assert_int_equal(run(), INTERP_EXIT_FAULT);
	assert_int_equal(fx->exit.fault.kind, MMU_FAULT_ACCESS);
	assert_int_equal(fx->exit.fault.access, MMU_STORE);
	assert_int_equal(fx->cpu.insn_pc, 0x1004);
}

static void test_interp_mmio_goes_to_the_device(void **state)
{
	struct ir_block *bl = start();

	ir_set(bl, IR_I64, X0,
	       ir_load(bl, IR_I64, mem(2, false, false), ir_const(bl, IR_I64, MMIO_BASE + 0x10),
		       0));
	ir_store(bl, mem(3, false, false), ir_const(bl, IR_I64, MMIO_BASE + 8), 0,
		 ir_const(bl, IR_I64, 0x55));
	ir_exit_goto(bl, 0);
	assert_int_equal(run(), INTERP_EXIT_PC);
	assert_int_equal(fx->state.x[0], 0x14);
	assert_int_equal(mmio_last_write, 0x55 ^ (8ull << 56));
}

static uint64_t rmw(enum ir_rmw op, unsigned log2, uint64_t old, uint64_t value, uint64_t *now)
{
	struct ir_block *bl = start();
	uint64_t addr = RAM_BASE + 0x200;
	struct ir_mem m = mem(log2, true, true);

	m.order = IR_ORDER_ACQUIRE | IR_ORDER_RELEASE;
	assert_int_equal(gpa_write(fx->gpa, addr, &old, 8), 0);
	ir_set(bl, IR_I64, X0,
	       ir_atomic_rmw(bl, op, IR_I64, m, ir_const(bl, IR_I64, addr),
			     ir_const(bl, IR_I64, value)));
	ir_exit_goto(bl, 0);
	assert_int_equal(run(), INTERP_EXIT_PC);
	assert_int_equal(gpa_read(fx->gpa, addr, now, 8), 0);
	return fx->state.x[0];
}

static void test_interp_atomic_rmw_of_every_kind_and_size(void **state)
{
	static const struct {
		enum ir_rmw op;
		unsigned log2;
		uint64_t old, value, result, memory;
	} table[] = {
		{ IR_RMW_XCHG, 3, 5, 9, 5, 9 },
		{ IR_RMW_ADD, 3, 5, 9, 5, 14 },
		{ IR_RMW_ADD, 2, 0x1ffffffffull, 1, ~0ull, 0x100000000ull },
		{ IR_RMW_AND, 3, 0xff, 0x0f, 0xff, 0x0f },
		{ IR_RMW_OR, 2, 0xf0, 0x0f, 0xf0, 0xff },
		{ IR_RMW_XOR, 3, 0xff, 0x0f, 0xff, 0xf0 },
		{ IR_RMW_MIN, 3, (uint64_t)-1, 3, ~0ull, ~0ull },
		{ IR_RMW_MAX, 2, 0xffffffffu, 3, ~0ull, 3 },
		{ IR_RMW_MINU, 2, 0xffffffffu, 3, ~0ull, 3 },
		{ IR_RMW_MAXU, 3, 2, 3, 2, 3 },
		{ IR_RMW_ADD, 0, 0x11ff, 1, ~0ull, 0x1100 },
		{ IR_RMW_XCHG, 1, 0x12345678, 0xabcd, 0x5678, 0x1234abcd },
	};
	uint64_t now;
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		assert_int_equal(rmw(table[i].op, table[i].log2, table[i].old, table[i].value,
				     &now),
				 table[i].result);
		assert_int_equal(now, table[i].memory);
	}
}

static void test_interp_cmpxchg_swaps_only_on_a_match(void **state)
{
	uint64_t addr = RAM_BASE + 0x300, v = 7, now;
	struct ir_block *bl;

	assert_int_equal(gpa_write(fx->gpa, addr, &v, 8), 0);
	bl = start();
	ir_set(bl, IR_I64, X0,
	       ir_cmpxchg(bl, IR_I64, mem(3, false, true), ir_const(bl, IR_I64, addr),
			  ir_const(bl, IR_I64, 6), ir_const(bl, IR_I64, 100)));
	ir_exit_goto(bl, 0);
	run();
	assert_int_equal(fx->state.x[0], 7);
	assert_int_equal(gpa_read(fx->gpa, addr, &now, 8), 0);
	assert_int_equal(now, 7);
	bl = start();
	ir_set(bl, IR_I64, X0,
	       ir_cmpxchg(bl, IR_I64, mem(2, true, true), ir_const(bl, IR_I64, addr),
			  ir_const(bl, IR_I64, 7), ir_const(bl, IR_I64, 0xffffffffu)));
	ir_exit_goto(bl, 0);
	run();
	assert_int_equal(fx->state.x[0], 7);
	assert_int_equal(gpa_read(fx->gpa, addr, &now, 8), 0);
	assert_int_equal(now, 0xffffffffu);
}

static void test_interp_atomics_fault_on_misalignment_and_mmio(void **state)
{
	struct ir_block *bl = start();

	ir_atomic_rmw(bl, IR_RMW_ADD, IR_I64, mem(3, false, true),
		      ir_const(bl, IR_I64, RAM_BASE + 4), ir_const(bl, IR_I64, 1));
	ir_exit_goto(bl, 0);
	assert_int_equal(run(), INTERP_EXIT_FAULT);
	assert_int_equal(fx->exit.fault.kind, MMU_FAULT_MISALIGNED);
	assert_int_equal(fx->exit.fault.access, MMU_STORE);
	bl = start();
	ir_atomic_rmw(bl, IR_RMW_ADD, IR_I64, mem(3, false, true), ir_const(bl, IR_I64, MMIO_BASE),
		      ir_const(bl, IR_I64, 1));
	ir_exit_goto(bl, 0);
	assert_int_equal(run(), INTERP_EXIT_FAULT);
	assert_int_equal(fx->exit.fault.kind, MMU_FAULT_ACCESS);
}

#define THREADS 4
#define ADDS_PER_THREAD 20000

struct adder {
	struct toy_state state;
	struct emu_cpu cpu;
	struct tlb tlb;
	const struct ir_block *block;
	uint64_t temps[IR_BLOCK_MAX_TEMPS];
};

static void *add_loop(void *arg)
{
	struct adder *a = arg;
	struct interp_exit exit;
	int i;

	for (i = 0; i < ADDS_PER_THREAD; i++)
		interp_exec(&a->cpu, a->block->ops, a->temps, &exit);
	return NULL;
}

static void test_interp_atomic_adds_are_atomic_across_host_threads(void **state)
{
	static struct adder adders[THREADS];
	pthread_t threads[THREADS];
	uint64_t counter = 0, wide = 0;
	struct ir_block *bl = start();
	ir_temp one = ir_const(bl, IR_I64, 1);
	int i;

	ir_atomic_rmw(bl, IR_RMW_ADD, IR_I64, mem(3, false, true),
		      ir_const(bl, IR_I64, RAM_BASE + 0x400), one);
	ir_atomic_rmw(bl, IR_RMW_MAXU, IR_I64, mem(2, false, true),
		      ir_const(bl, IR_I64, RAM_BASE + 0x408), ir_const(bl, IR_I64, 3));
	ir_atomic_rmw(bl, IR_RMW_ADD, IR_I32, mem(1, false, true),
		      ir_const(bl, IR_I64, RAM_BASE + 0x40c), ir_const(bl, IR_I32, 1));
	ir_exit_goto(bl, 0);
	assert_int_equal(gpa_write(fx->gpa, RAM_BASE + 0x400, &counter, 8), 0);
	assert_int_equal(gpa_write(fx->gpa, RAM_BASE + 0x408, &counter, 8), 0);
	for (i = 0; i < THREADS; i++) {
		adders[i].cpu.state = &adders[i].state;
		adders[i].cpu.tlb = &adders[i].tlb;
		adders[i].cpu.ops = &toy_ops;
		adders[i].block = bl;
		tlb_init(&adders[i].tlb, fx->gpa, identity, NULL);
	}
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, add_loop, &adders[i]), 0);
	for (i = 0; i < THREADS; i++)
		pthread_join(threads[i], NULL);
	assert_int_equal(gpa_read(fx->gpa, RAM_BASE + 0x400, &counter, 8), 0);
	assert_int_equal(counter, THREADS * ADDS_PER_THREAD);
	assert_int_equal(gpa_read(fx->gpa, RAM_BASE + 0x408, &wide, 8), 0);
	/* MAXU on the low word, and the halfword counter (mod 2^16) beside it. */
	assert_int_equal(wide & 0xffffffffu, 3);
	assert_int_equal(wide >> 32, (THREADS * ADDS_PER_THREAD) & 0xffff);
}

static void test_interp_exits_report_the_next_pc(void **state)
{
	struct ir_block *bl = start();

	ir_exit_goto_if(bl, ir_const(bl, IR_I64, 0), 0x2000);
	ir_exit_goto_if(bl, ir_const(bl, IR_I32, 1), 0x3000);
	ir_exit_goto(bl, 0x4000);
	assert_int_equal(run(), INTERP_EXIT_PC);
	assert_int_equal(fx->exit.pc, 0x3000);
	bl = start();
	ir_exit_jump(bl, ir_const(bl, IR_I64, 0x5000));
	assert_int_equal(run(), INTERP_EXIT_PC);
	assert_int_equal(fx->exit.pc, 0x5000);
	bl = start();
	ir_exit_exception(bl, 2, ir_const(bl, IR_I64, 0xbad));
	assert_int_equal(run(), INTERP_EXIT_EXCEPTION);
	assert_int_equal(fx->exit.cause, 2);
	assert_int_equal(fx->exit.tval, 0xbad);
	bl = start();
	ir_exit_exception(bl, 3, IR_TEMP_NONE);
	assert_int_equal(run(), INTERP_EXIT_EXCEPTION);
	assert_int_equal(fx->exit.tval, 0);
	bl = start();
	ir_exit_state(bl);
	assert_int_equal(run(), INTERP_EXIT_STATE);
}

static uint64_t add3(void *cpu, uint64_t a, uint64_t b, uint64_t c)
{
	assert_ptr_equal(cpu, &fx->cpu);
	return a + b * 10 + c * 100;
}

static uint64_t raise_if(void *cpu, uint64_t a, uint64_t b, uint64_t c)
{
	if (a)
		emu_raise(cpu, 13, a);
	return 0;
}

static const struct ir_helper add3_helper = { "add3", add3, 3, 0 };
static const struct ir_helper raise_helper = { "raise_if", raise_if, 1, IR_HELPER_MAY_RAISE };

static void test_interp_helpers_get_the_cpu_and_may_raise_precisely(void **state)
{
	struct ir_block *bl = start();

	ir_set(bl, IR_I64, X0,
	       ir_call(bl, &add3_helper, ir_const(bl, IR_I64, 1), ir_const(bl, IR_I32, 2),
		       ir_const(bl, IR_I64, 3)));
	ir_insn_start(bl, 0x1004);
	ir_call(bl, &raise_helper, ir_const(bl, IR_I64, 0), IR_TEMP_NONE, IR_TEMP_NONE);
	ir_insn_start(bl, 0x1008);
	ir_call(bl, &raise_helper, ir_const(bl, IR_I64, 0x77), IR_TEMP_NONE, IR_TEMP_NONE);
	ir_set(bl, IR_I64, X0, ir_const(bl, IR_I64, 0));
	ir_exit_goto(bl, 0x2000);
	assert_int_equal(run(), INTERP_EXIT_RAISED);
	assert_int_equal(fx->state.x[0], 321);
	assert_int_equal(fx->state.raised_cause, 13);
	assert_int_equal(fx->state.raised_tval, 0x77);
	assert_int_equal(fx->state.raised_pc, 0x1008);
	assert_int_equal(fx->state.pc, 0x100);
}

static void test_interp_state_get_and_set_use_the_type_size(void **state)
{
	struct ir_block *bl = start();

	fx->state.x[1] = 0x1111111122222222ull;
	ir_set(bl, IR_I32, offsetof(struct toy_state, x[1]),
	       ir_get(bl, IR_I32, offsetof(struct toy_state, x[1]) + 4));
	ir_exit_goto(bl, 0);
	run();
	assert_int_equal(fx->state.x[1], 0x1111111111111111ull);
}

#define F64_ONE 0x3ff0000000000000ull
#define F64_TWO 0x4000000000000000ull
#define F64_THREE 0x4008000000000000ull

/* Runs one FP op on constants, returning x0 (the result bits) with fflags cleared before. */
static uint64_t fp_run(enum ir_opcode opcode, enum ir_type type, enum ir_round round, uint64_t a,
		       uint64_t b, uint64_t c)
{
	struct ir_block *bl = start();
	ir_temp ta = ir_const(bl, type, a), tb = ir_const(bl, type, b), tc = ir_const(bl, type, c);
	ir_temp r;

	if (opcode >= IR_FMADD && opcode <= IR_FNMSUB)
		r = ir_ffused(bl, opcode, type, round, ta, tb, tc);
	else if (opcode == IR_FSQRT)
		r = ir_fsqrt(bl, type, round, ta);
	else
		r = ir_fbinop(bl, opcode, type, round, ta, tb);
	ir_set(bl, type, X0, r);
	ir_exit_goto(bl, 0);
	fx->state.x[0] = 0;
	fx->state.fflags = 0;
	run();
	return fx->state.x[0];
}

static void test_interp_fp_ops_round_by_the_op_or_the_dynamic_mode(void **state)
{
	uint64_t third_rne, third_up;

	assert_int_equal(fp_run(IR_FADD, IR_F64, IR_ROUND_NEAREST_EVEN, F64_ONE, F64_TWO, 0),
			 F64_THREE);
	assert_int_equal(fx->state.fflags, 0);
	third_rne = fp_run(IR_FDIV, IR_F64, IR_ROUND_NEAREST_EVEN, F64_ONE, F64_THREE, 0);
	assert_int_equal(third_rne, 0x3fd5555555555555ull);
	assert_int_equal(fx->state.fflags, IR_FFLAG_INEXACT);
	fx->state.frm = IR_ROUND_UP;
	third_up = fp_run(IR_FDIV, IR_F64, IR_ROUND_DYNAMIC, F64_ONE, F64_THREE, 0);
	assert_int_equal(third_up, 0x3fd5555555555556ull);
	fx->state.frm = IR_ROUND_NEAREST_EVEN;
	assert_int_equal(fp_run(IR_FDIV, IR_F32, IR_ROUND_NEAREST_EVEN, 0x3f800000u, 0, 0),
			 0x7f800000u);
	assert_int_equal(fx->state.fflags, IR_FFLAG_DIVZERO);
	assert_int_equal(fp_run(IR_FSQRT, IR_F64, IR_ROUND_NEAREST_EVEN, 0x4010000000000000ull, 0,
				0),
			 F64_TWO);
	/* The fused family: 1*2 +/- 3 with each sign. */
	assert_int_equal(fp_run(IR_FMADD, IR_F64, 0, F64_ONE, F64_TWO, F64_THREE),
			 0x4014000000000000ull);
	assert_int_equal(fp_run(IR_FMSUB, IR_F64, 0, F64_ONE, F64_TWO, F64_THREE),
			 0xbff0000000000000ull);
	assert_int_equal(fp_run(IR_FNMADD, IR_F64, 0, F64_ONE, F64_TWO, F64_THREE),
			 0xc014000000000000ull);
	assert_int_equal(fp_run(IR_FNMSUB, IR_F64, 0, F64_ONE, F64_TWO, F64_THREE), F64_ONE);
	/* NaN results are canonical for this guest; flags accumulate until cleared. */
	assert_int_equal(fp_run(IR_FMUL, IR_F64, 0, 0x7ff0000000000000ull, 0, 0),
			 0x7ff8000000000000ull);
	assert_int_equal(fx->state.fflags, IR_FFLAG_INVALID);
}

static void test_interp_fp_compares_and_conversions(void **state)
{
	struct ir_block *bl = start();
	ir_temp one = ir_const(bl, IR_F64, F64_ONE), two = ir_const(bl, IR_F64, F64_TWO);
	ir_temp lt = ir_fcompare(bl, IR_FLT, IR_F64, one, two);
	ir_temp f32 =
		ir_fconvert(bl, IR_FCVT_F2F, IR_F32, IR_F64, IR_ROUND_NEAREST_EVEN, false, two);
	ir_temp i = ir_fconvert(bl, IR_FCVT_F2I, IR_I32, IR_F32, IR_ROUND_TO_ZERO, false, f32);
	ir_temp back = ir_fconvert(bl, IR_FCVT_I2F, IR_F64, IR_I64, IR_ROUND_NEAREST_EVEN, true,
				   ir_const(bl, IR_I64, ~0ull));

	ir_set(bl, IR_I64, X0, lt);
	ir_set(bl, IR_I64, offsetof(struct toy_state, x[1]), ir_extend(bl, IR_EXTS, IR_I64, i, 32));
	ir_set(bl, IR_F64, offsetof(struct toy_state, x[2]), back);
	ir_set(bl, IR_F32, offsetof(struct toy_state, x[3]), f32);
	ir_exit_goto(bl, 0);
	fx->state.x[3] = ~0ull;
	fx->state.fflags = 0;
	run();
	assert_int_equal(fx->state.x[0], 1);
	assert_int_equal(fx->state.x[1], 2);
	assert_int_equal(fx->state.x[2], 0x43f0000000000000ull);
	assert_int_equal(fx->state.x[3], 0xffffffff40000000ull);
	assert_int_equal(fx->state.fflags, IR_FFLAG_INEXACT);
}

static void test_interp_float_loads_and_stores_keep_all_bits(void **state)
{
	struct ir_block *bl = start();
	ir_temp addr = ir_const(bl, IR_I64, RAM_BASE + 0x500);
	ir_temp d = ir_const(bl, IR_F64, 0x400921fb54442d18ull);

	ir_store(bl, mem(3, false, true), addr, 0, d);
	ir_set(bl, IR_F64, X0, ir_load(bl, IR_F64, mem(3, false, true), addr, 0));
	ir_store(bl, mem(2, false, true), addr, 8, ir_const(bl, IR_F32, 0x40490fdbu));
	ir_set(bl, IR_F32, offsetof(struct toy_state, x[1]),
	       ir_load(bl, IR_F32, mem(2, false, true), addr, 8));
	ir_exit_goto(bl, 0);
	fx->state.x[1] = 0;
	run();
	assert_int_equal(fx->state.x[0], 0x400921fb54442d18ull);
	assert_int_equal(fx->state.x[1], 0x40490fdbu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interp_division_corner_cases_follow_ir_h),
		cmocka_unit_test(test_interp_multiplies_give_both_halves),
		cmocka_unit_test(test_interp_shifts_and_rotates_take_the_amount_modulo_the_width),
		cmocka_unit_test(test_interp_logic_min_max_and_bit_counts),
		cmocka_unit_test(test_interp_extensions_and_truncation),
		cmocka_unit_test(test_interp_every_condition_signed_and_unsigned),
		cmocka_unit_test(test_interp_select_picks_by_a_nonzero_condition),
		cmocka_unit_test(test_interp_loads_extend_by_size_and_sign),
		cmocka_unit_test(test_interp_misaligned_access_splits_across_pages),
		cmocka_unit_test(test_interp_aligned_access_faults_when_misaligned),
		cmocka_unit_test(test_interp_access_outside_memory_faults_at_its_instruction),
		cmocka_unit_test(test_interp_mmio_goes_to_the_device),
		cmocka_unit_test(test_interp_atomic_rmw_of_every_kind_and_size),
		cmocka_unit_test(test_interp_cmpxchg_swaps_only_on_a_match),
		cmocka_unit_test(test_interp_atomics_fault_on_misalignment_and_mmio),
		cmocka_unit_test(test_interp_atomic_adds_are_atomic_across_host_threads),
		cmocka_unit_test(test_interp_exits_report_the_next_pc),
		cmocka_unit_test(test_interp_helpers_get_the_cpu_and_may_raise_precisely),
		cmocka_unit_test(test_interp_state_get_and_set_use_the_type_size),
		cmocka_unit_test(test_interp_fp_ops_round_by_the_op_or_the_dynamic_mode),
		cmocka_unit_test(test_interp_fp_compares_and_conversions),
		cmocka_unit_test(test_interp_float_loads_and_stores_keep_all_bits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
