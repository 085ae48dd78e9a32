// SPDX-License-Identifier: MIT
/*
 * jit/: every IR op the backend handles, run in the interpreter (the reference) and as host code
 * from the JIT on the same machine state, which must end identically: every temporary, the guest
 * state, guest memory, the exit, the current instruction's PC, the TLB's counters. Values are the
 * edge cases (zero, all ones, the signed extremes, shift counts at and past the width) in both
 * widths. Memory runs cold (each access misses the TLB: the slow path) and warm (the inline hit
 * path), and faults; atomics of every size and operation. Blocks the backend does not handle
 * (FP arithmetic) are refused, and a full code cache starts over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "interp/emu.h"
#include "interp/interp.h"
#include "ir/builder.h"
#include "ir/print.h"
#include "ir/verify.h"
#include "jit/jit.h"
#include "lib/compiler.h"
#include "lib/errno.h"
#include "lib/plat.h"

struct toy_state {
	uint64_t x[4];
	uint64_t pc;
	uint32_t fflags;
	uint32_t frm;
	uint64_t f64;
	uint32_t w32;
	uint32_t f32;
	uint64_t raised_cause;
	uint64_t raised_tval;
	uint64_t raised_pc;
};

#define X(n) offsetof(struct toy_state, x[n])
#define RAM_BASE 0x80000000ull
#define RAM_SIZE (64 * 1024ull)
#define MMIO_BASE 0x10040000ull
/* A second, high virtual mapping of RAM: addresses that need all 64 bits. RAM, the alias and the
 * device use different TLB entries, so a warm TLB holds them all. */
#define ALIAS_BASE 0xffffffc000080000ull

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

/* RAM and the device at their own addresses, RAM again at ALIAS_BASE; nothing else. */
static enum mmu_fault_kind toy_translate(void *ctx, uint64_t vaddr, enum mmu_access access,
					 unsigned mmu_idx, struct mmu_translation *out)
{
	uint64_t page = vaddr & ~0xfffull;

	if (page >= ALIAS_BASE && page < ALIAS_BASE + RAM_SIZE)
		page = page - ALIAS_BASE + RAM_BASE;
	else if (!(page >= RAM_BASE && page < RAM_BASE + RAM_SIZE) &&
		 !(page >= MMIO_BASE && page < MMIO_BASE + 0x1000))
		return MMU_FAULT_PAGE;
	out->paddr = page;
	out->page_shift = 12;
	out->prot = MMU_PROT_READ | MMU_PROT_WRITE | MMU_PROT_EXEC;
	out->global = true;
	return MMU_FAULT_NONE;
}

static uint64_t mmio_last_write;
static int mmio_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	*value = 0x0123456789abcdefull ^ (offset * 0x1111) ^ size;
	return 0;
}

static int mmio_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	mmio_last_write = value ^ (offset << 56) ^ ((uint64_t)size << 48);
	return 0;
}

static const struct mmio_ops toy_mmio = { mmio_read, mmio_write };

/* Everything a block can change, captured after a run. */
struct outcome {
	struct toy_state state;
	uint64_t temps[IR_BLOCK_MAX_TEMPS];
	struct interp_exit exit;
	uint64_t insn_pc;
	bool raised;
	uint64_t mmio_last_write;
	struct tlb_stats tlb_stats;
	uint8_t ram[RAM_SIZE];
};

struct fixture {
	struct toy_state state;
	struct emu_cpu cpu;
	struct tlb tlb;
	struct gpa_space *gpa;
	struct jit *jit;
	struct ir_block block;
	uint64_t temps[IR_BLOCK_MAX_TEMPS];
	uint32_t frm; /* the guest's dynamic rounding mode at the start of a run */
	struct outcome want, got;
	uint8_t ram_image[RAM_SIZE];
};

static struct fixture *fx;

static const struct jit_layout layout = {
	.state = offsetof(struct emu_cpu, state),
	.tlb = offsetof(struct emu_cpu, tlb),
	.insn_pc = offsetof(struct emu_cpu, insn_pc),
	.raised = offsetof(struct emu_cpu, raised),
	.eval_fp = interp_eval_fp,
};

/* The same without an FP evaluator: blocks with FP ops are refused. */
static const struct jit_layout layout_without_fp = {
	.state = offsetof(struct emu_cpu, state),
	.tlb = offsetof(struct emu_cpu, tlb),
	.insn_pc = offsetof(struct emu_cpu, insn_pc),
	.raised = offsetof(struct emu_cpu, raised),
};

static int setup(void **state)
{
	uint32_t seed = 12345;
	size_t i;

	if (!jit_available())
		return 0;
	fx = plat_alloc(sizeof(*fx));
	fx->gpa = gpa_space_create();
	assert_int_equal(gpa_add_ram(fx->gpa, RAM_BASE, RAM_SIZE, "ram"), 0);
	assert_int_equal(gpa_add_mmio(fx->gpa, MMIO_BASE, 0x1000, &toy_mmio, NULL, "dev"), 0);
	fx->cpu.state = &fx->state;
	fx->cpu.tlb = &fx->tlb;
	fx->cpu.gpa = fx->gpa;
	fx->cpu.ops = &toy_ops;
	fx->jit = jit_create(&layout, 1u << 20);
	assert_non_null(fx->jit);
	for (i = 0; i < RAM_SIZE; i++) {
		seed = seed * 1103515245u + 12345u;
		fx->ram_image[i] = (uint8_t)(seed >> 16);
	}
	return 0;
}

static int teardown(void **state)
{
	if (!fx)
		return 0;
	jit_destroy(fx->jit);
	gpa_space_destroy(fx->gpa);
	plat_free(fx);
	fx = NULL;
	return 0;
}

static struct ir_block *start(void)
{
	ir_block_init(&fx->block, &toy_guest, 0x1000);
	ir_insn_start(&fx->block, 0x1000);
	return &fx->block;
}

/* The same machine before each of the two runs; warm fills the TLB for all of RAM. */
static void reset_machine(bool warm)
{
	uint64_t a, v;
	unsigned i;

	memset(&fx->state, 0, sizeof(fx->state));
	for (i = 0; i < 4; i++)
		fx->state.x[i] = 0x5a5a5a5a00000000ull + i;
	fx->state.pc = 0x1000;
	fx->state.frm = fx->frm;
	memset(fx->temps, 0xa5, sizeof(fx->temps));
	assert_int_equal(gpa_write(fx->gpa, RAM_BASE, fx->ram_image, RAM_SIZE), 0);
	tlb_init(&fx->tlb, fx->gpa, toy_translate, NULL);
	for (a = 0; warm && a < RAM_SIZE; a += 0x1000) {
		assert_int_equal(mmu_load(&fx->tlb, 0, RAM_BASE + a, 3, false, &v).kind, 0);
		assert_int_equal(mmu_store(&fx->tlb, 0, RAM_BASE + a, 3, false, v).kind, 0);
		assert_int_equal(mmu_load(&fx->tlb, 0, ALIAS_BASE + a, 3, false, &v).kind, 0);
		assert_int_equal(mmu_store(&fx->tlb, 0, ALIAS_BASE + a, 3, false, v).kind, 0);
	}
	fx->tlb.stats = (struct tlb_stats){ 0 };
	fx->cpu.insn_pc = 0;
	fx->cpu.raised = false;
	mmio_last_write = 0;
}

static void capture(struct outcome *out, const struct interp_exit *exit)
{
	out->state = fx->state;
	memcpy(out->temps, fx->temps, sizeof(fx->temps));
	memset(&out->exit, 0, sizeof(out->exit));
	out->exit.kind = exit->kind;
	if (exit->kind == INTERP_EXIT_PC)
		out->exit.pc = exit->pc;
	if (exit->kind == INTERP_EXIT_EXCEPTION) {
		out->exit.cause = exit->cause;
		out->exit.tval = exit->tval;
	}
	if (exit->kind == INTERP_EXIT_FAULT) {
		out->exit.fault.kind = exit->fault.kind;
		out->exit.fault.access = exit->fault.access;
		out->exit.fault.vaddr = exit->fault.vaddr;
	}
	out->insn_pc = fx->cpu.insn_pc;
	out->raised = fx->cpu.raised;
	out->mmio_last_write = mmio_last_write;
	out->tlb_stats = fx->tlb.stats;
	assert_int_equal(gpa_read(fx->gpa, RAM_BASE, out->ram, RAM_SIZE), 0);
}

/* Compiles the block, flushing the code cache when it is full, as the engine does. */
static jit_code compile(void)
{
	jit_code code;
	int err = jit_compile(fx->jit, fx->block.ops, fx->block.nops, &code);

	if (err == -ENOSPC) {
		jit_flush(fx->jit);
		err = jit_compile(fx->jit, fx->block.ops, fx->block.nops, &code);
	}
	if (err)
		fail_msg("jit_compile: %d", err);
	return code;
}

static void run_jit(jit_code code, struct interp_exit *exit)
{
	static const enum interp_exit_kind kinds[] = {
		[JIT_EXIT_PC] = INTERP_EXIT_PC,
		[JIT_EXIT_STATE] = INTERP_EXIT_STATE,
		[JIT_EXIT_EXCEPTION] = INTERP_EXIT_EXCEPTION,
		[JIT_EXIT_FAULT] = INTERP_EXIT_FAULT,
		[JIT_EXIT_RAISED] = INTERP_EXIT_RAISED,
	};
	struct jit_exit out;

	memset(&out, 0x5a, sizeof(out));
	code(&fx->cpu, fx->temps, &out);
	assert_in_range(out.kind, JIT_EXIT_PC, JIT_EXIT_RAISED);
	exit->kind = kinds[out.kind];
	exit->pc = out.pc;
	exit->cause = out.cause;
	exit->tval = out.tval;
	exit->fault = out.fault;
}

/* The op that defines temporary t, printed for the failure message. */
static const char *def_of(ir_temp t, char *buf, size_t len)
{
	unsigned i;

	for (i = 0; i < fx->block.nops; i++)
		if (fx->block.ops[i].dst == t) {
			ir_print_op(&fx->block, &fx->block.ops[i], buf, len);
			return buf;
		}
	return "?";
}

static void compare(const char *how)
{
	const struct outcome *w = &fx->want, *g = &fx->got;
	unsigned t;

	char op[160];

	for (t = 0; t < fx->block.ntemps; t++)
		if (w->temps[t] != g->temps[t])
			fail_msg("%s: t%u (%s) is %#llx in the JIT, %#llx interpreted", how, t,
				 def_of((ir_temp)t, op, sizeof(op)),
				 (unsigned long long)g->temps[t], (unsigned long long)w->temps[t]);
	assert_int_equal(g->exit.kind, w->exit.kind);
	assert_memory_equal(&g->exit, &w->exit, sizeof(g->exit));
	assert_memory_equal(&g->state, &w->state, sizeof(g->state));
	assert_int_equal(g->insn_pc, w->insn_pc);
	assert_int_equal(g->raised, w->raised);
	assert_int_equal(g->mmio_last_write, w->mmio_last_write);
	assert_int_equal(g->tlb_stats.misses, w->tlb_stats.misses);
	assert_int_equal(g->tlb_stats.slow, w->tlb_stats.slow);
	assert_memory_equal(g->ram, w->ram, RAM_SIZE);
}

/* Runs the block as built in both backends from the same machine, and compares. */
static void run_both_warm(bool warm)
{
	struct interp_exit exit;
	jit_code code;
	char msg[160];

	if (ir_verify(&fx->block, msg, sizeof(msg)))
		fail_msg("%s", msg);
	code = compile();
	reset_machine(warm);
	interp_exec(&fx->cpu, fx->block.ops, fx->temps, &exit);
	capture(&fx->want, &exit);
	reset_machine(warm);
	run_jit(code, &exit);
	capture(&fx->got, &exit);
	compare(warm ? "warm TLB" : "cold TLB");
}

static void run_both(void)
{
	run_both_warm(false);
}

static const uint64_t values[] = {
	0,
	1,
	2,
	7,
	31,
	32,
	33,
	63,
	64,
	65,
	0x7f,
	0x80,
	0xff,
	0x8000,
	0xffff,
	0x7fffffff,
	0x80000000,
	0xfffffff9,
	0xffffffff,
	0x100000000ull,
	0x7fffffffffffffffull,
	0x8000000000000000ull,
	0xfffffffffffffff9ull,
	0xffffffffffffffffull,
	0x123456789abcdef0ull,
	0xfedcba9876543210ull,
};
#define NVALUES (sizeof(values) / sizeof(values[0]))

static uint64_t fit(uint64_t v, enum ir_type type)
{
	return type == IR_I64 ? v : (uint32_t)v;
}

static const enum ir_type int_types[] = { IR_I32, IR_I64 };

static void skip_without_jit(void)
{
	if (!fx)
		skip();
}

static void test_jit_binary_ops_match_the_interpreter(void **state)
{
	static const enum ir_opcode ops[] = {
		IR_ADD,	 IR_SUB,  IR_MUL, IR_MULH, IR_MULHU, IR_MULHSU, IR_DIV, IR_DIVU,
		IR_REM,	 IR_REMU, IR_AND, IR_OR,   IR_XOR,   IR_SHL,	IR_SHR, IR_SAR,
		IR_ROTL, IR_ROTR, IR_MIN, IR_MAX,  IR_MINU,  IR_MAXU,
	};
	unsigned o, t, i, j;

	skip_without_jit();
	for (o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
		for (t = 0; t < 2; t++)
			for (i = 0; i < NVALUES; i++) {
				enum ir_type type = int_types[t];
				struct ir_block *bl = start();
				ir_temp a = ir_const(bl, type, fit(values[i], type));

				for (j = 0; j < NVALUES; j++)
					ir_binop(bl, ops[o], type, a,
						 ir_const(bl, type, fit(values[j], type)));
				ir_exit_goto(bl, 0x2000);
				run_both();
			}
}

static void test_jit_operands_from_state_match_the_interpreter(void **state)
{
	unsigned t, i;

	skip_without_jit();
	for (t = 0; t < 2; t++)
		for (i = 0; i < NVALUES; i++) {
			enum ir_type type = int_types[t];
			struct ir_block *bl = start();
			ir_temp a = ir_get(bl, type, X(0)),
				b = ir_const(bl, type, fit(values[i], type));

			ir_set(bl, type, X(1), ir_binop(bl, IR_DIV, type, a, b));
			ir_set(bl, type, X(2), ir_binop(bl, IR_SHL, type, b, a));
			ir_set(bl, type, X(3), ir_binop(bl, IR_SUB, type, b, a));
			ir_exit_goto(bl, 0x2000);
			run_both();
		}
}

static void test_jit_unary_ops_match_the_interpreter(void **state)
{
	static const enum ir_opcode ops[] = { IR_NOT, IR_NEG, IR_CLZ, IR_CTZ, IR_POPCNT, IR_BSWAP };
	unsigned o, t, i;

	skip_without_jit();
	for (o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
		for (t = 0; t < 2; t++) {
			enum ir_type type = int_types[t];
			struct ir_block *bl = start();

			for (i = 0; i < NVALUES; i++)
				ir_unop(bl, ops[o], type, ir_const(bl, type, fit(values[i], type)));
			ir_exit_goto(bl, 0x2000);
			run_both();
		}
}

static void test_jit_extensions_match_the_interpreter(void **state)
{
	static const unsigned bits[] = { 8, 16, 32 };
	unsigned t, b, i;

	skip_without_jit();
	for (t = 0; t < 2; t++)
		for (b = 0; b < 3; b++) {
			enum ir_type type = int_types[t];
			struct ir_block *bl = start();

			if (bits[b] == 32 && type == IR_I32)
				continue;
			for (i = 0; i < NVALUES; i++) {
				ir_temp v = ir_const(bl, type, fit(values[i], type));

				ir_extend(bl, IR_SEXT, type, v, bits[b]);
				ir_extend(bl, IR_ZEXT, type, v, bits[b]);
			}
			ir_exit_goto(bl, 0x2000);
			run_both();
		}
	for (i = 0; i < NVALUES; i++) {
		struct ir_block *bl = start();
		ir_temp wide = ir_const(bl, IR_I64, values[i]);
		ir_temp narrow = ir_const(bl, IR_I32, (uint32_t)values[i]);

		ir_extend(bl, IR_TRUNC, IR_I32, wide, 32);
		ir_extend(bl, IR_EXTS, IR_I64, narrow, 32);
		ir_extend(bl, IR_EXTU, IR_I64, narrow, 32);
		ir_exit_goto(bl, 0x2000);
		run_both();
	}
}

static void test_jit_setcc_and_select_match_the_interpreter(void **state)
{
	unsigned c, t, i, j;

	skip_without_jit();
	for (c = IR_COND_EQ; c <= IR_COND_GTU; c++)
		for (t = 0; t < 2; t++)
			for (i = 0; i < NVALUES; i++) {
				enum ir_type type = int_types[t];
				struct ir_block *bl = start();
				ir_temp a = ir_const(bl, type, fit(values[i], type));

				for (j = 0; j < NVALUES; j++) {
					ir_temp b = ir_const(bl, type, fit(values[j], type));
					ir_temp cc = ir_setcc(bl, c, type, a, b);

					ir_select(bl, IR_I64, cc, ir_const(bl, IR_I64, values[j]),
						  ir_const(bl, IR_I64, values[i]));
				}
				ir_exit_goto(bl, 0x2000);
				run_both();
			}
	for (i = 0; i < NVALUES; i++) {
		struct ir_block *bl = start();
		ir_temp cond = ir_const(bl, IR_I32, (uint32_t)values[i]);

		ir_select(bl, IR_I32, cond, ir_const(bl, IR_I32, 0xffffffff),
			  ir_const(bl, IR_I32, 7));
		ir_select(bl, IR_F64, cond, ir_const(bl, IR_F64, 0x3ff0000000000000ull),
			  ir_const(bl, IR_F64, values[i]));
		ir_exit_goto(bl, 0x2000);
		run_both();
	}
}

static void test_jit_state_consts_and_moves_match_the_interpreter(void **state)
{
	unsigned i;

	skip_without_jit();
	for (i = 0; i < NVALUES; i++) {
		struct ir_block *bl = start();
		ir_temp w = ir_const(bl, IR_I64, values[i]);
		ir_temp n = ir_const(bl, IR_I32, (uint32_t)values[i]);

		ir_set(bl, IR_I64, X(0), w);
		ir_set(bl, IR_I32, offsetof(struct toy_state, w32), n);
		ir_set(bl, IR_F64, offsetof(struct toy_state, f64),
		       ir_const(bl, IR_F64, values[i]));
		ir_set(bl, IR_F32, offsetof(struct toy_state, f32),
		       ir_const(bl, IR_F32, (uint32_t)~values[i]));
		ir_unop(bl, IR_MOV, IR_I64, ir_get(bl, IR_I64, X(1)));
		ir_unop(bl, IR_MOV, IR_I32, ir_get(bl, IR_I32, X(2)));
		ir_get(bl, IR_F64, offsetof(struct toy_state, f64));
		ir_get(bl, IR_F32, offsetof(struct toy_state, f32));
		ir_set(bl, IR_I32, X(3), ir_get(bl, IR_I32, X(0)));
		ir_insn_start(bl, values[i]);
		ir_fence(bl, IR_FENCE_LOAD_LOAD | IR_FENCE_STORE_STORE);
		ir_fence(bl, IR_FENCE_INSN);
		ir_exit_goto(bl, values[i]);
		run_both();
	}
}

static uint64_t mix_helper(void *cpu, uint64_t a, uint64_t b, uint64_t c)
{
	struct emu_cpu *emu = cpu;

	return a * 3 + b * 5 + c * 7 + *(uint64_t *)emu->state;
}

static uint64_t raise_helper(void *cpu, uint64_t a, uint64_t b, uint64_t c)
{
	if (a)
		emu_raise(cpu, 9, a);
	return 77;
}

static const struct ir_helper mix = { "mix", mix_helper, 3, IR_HELPER_READS_STATE };
static const struct ir_helper mix1 = { "mix1", mix_helper, 1, IR_HELPER_READS_STATE };
static const struct ir_helper raiser = { "raise", raise_helper, 1, IR_HELPER_MAY_RAISE };

static void test_jit_calls_match_the_interpreter(void **state)
{
	unsigned i;

	skip_without_jit();
	for (i = 0; i < NVALUES; i++) {
		struct ir_block *bl = start();
		ir_temp v = ir_const(bl, IR_I64, values[i]);

		ir_set(bl, IR_I64, X(1), ir_call(bl, &mix, v, ir_const(bl, IR_I32, 3), v));
		ir_set(bl, IR_I64, X(2), ir_call(bl, &mix1, v, IR_TEMP_NONE, IR_TEMP_NONE));
		ir_insn_start(bl, 0x1004);
		ir_set(bl, IR_I64, X(3), ir_call(bl, &raiser, v, IR_TEMP_NONE, IR_TEMP_NONE));
		ir_set(bl, IR_I64, X(0), v);
		ir_exit_goto(bl, 0x2000);
		run_both();
	}
}

static void test_jit_exits_match_the_interpreter(void **state)
{
	struct ir_block *bl;
	unsigned i;

	skip_without_jit();
	for (i = 0; i < NVALUES; i++) {
		bl = start();
		ir_exit_goto_if(bl, ir_const(bl, IR_I32, (uint32_t)values[i]), 0x3000);
		ir_exit_goto_if(bl, ir_const(bl, IR_I64, values[i]), values[i]);
		ir_exit_jump(bl, ir_const(bl, IR_I64, values[i] ^ 1));
		run_both();

		bl = start();
		ir_exit_exception(bl, values[i], ir_const(bl, IR_I64, ~values[i]));
		run_both();
	}
	bl = start();
	ir_exit_exception(bl, 2, IR_TEMP_NONE);
	run_both();
	bl = start();
	ir_exit_state(bl);
	run_both();
	bl = start();
	ir_exit_goto(bl, 0xffffffff80000000ull);
	run_both();
}

static struct ir_mem mem(unsigned log2, bool sign, bool aligned)
{
	return (struct ir_mem){ .log2_size = (uint8_t)log2, .sign = sign, .aligned = aligned };
}

/* Every size, sign and result type at addr (+ offset), loaded and stored back elsewhere. */
static void access_all(uint64_t addr, int64_t offset, bool warm)
{
	unsigned log2, s, t;

	for (log2 = 0; log2 < 4; log2++)
		for (s = 0; s < 2; s++)
			for (t = 0; t < 2; t++) {
				struct ir_block *bl;
				ir_temp a, v;

				if (log2 == 3 && int_types[t] == IR_I32)
					continue;
				bl = start();
				a = ir_const(bl, IR_I64, addr);
				v = ir_load(bl, int_types[t], mem(log2, s, false), a, offset);

				ir_set(bl, int_types[t], X(0), v);
				ir_store(bl, mem(log2, false, false), a, offset + 0x21, v);
				ir_store(bl, mem(3 - log2, false, false), a, offset - 0x7,
					 ir_const(bl, IR_I64, 0x1122334455667788ull));
				ir_exit_goto(bl, 0x2000);
				run_both_warm(warm);
			}
}

static void test_jit_memory_hits_and_misses_match_the_interpreter(void **state)
{
	static const uint64_t addrs[] = {
		RAM_BASE + 0x100,  RAM_BASE + 0x1ffc, /* misaligned ones cross a page */
		RAM_BASE + 0x3001, ALIAS_BASE + 0x5008, ALIAS_BASE + 0x6fff, MMIO_BASE + 0x40,
	};
	unsigned i;

	skip_without_jit();
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		access_all(addrs[i], 0, false);
		access_all(addrs[i], 0, true);
	}
	/* The offset carries the address: large ones need a 64-bit immediate. */
	access_all(0x40, (int64_t)(ALIAS_BASE + 0x2000), true);
	access_all(0x40, (int64_t)(RAM_BASE + 0x2000), false);
	access_all(RAM_BASE + 0x4000, -0x800, true);
}

static void test_jit_warm_accesses_take_the_inline_path(void **state)
{
	struct ir_block *bl;

	skip_without_jit();
	bl = start();
	ir_set(bl, IR_I64, X(0),
	       ir_load(bl, IR_I64, mem(3, false, true), ir_const(bl, IR_I64, RAM_BASE + 0x808), 0));
	ir_store(bl, mem(2, false, true), ir_const(bl, IR_I64, ALIAS_BASE + 0x1010), 0,
		 ir_const(bl, IR_I32, 0xabcdef01));
	ir_exit_goto(bl, 0x2000);
	run_both_warm(true);
	assert_int_equal(fx->got.tlb_stats.misses, 0);
	assert_int_equal(fx->got.tlb_stats.slow, 0);
	run_both_warm(false);
	assert_int_equal(fx->got.tlb_stats.misses, 2);
}

static void test_jit_memory_faults_match_the_interpreter(void **state)
{
	static const uint64_t bad[] = { 0x1000, RAM_BASE + RAM_SIZE, ALIAS_BASE - 8 };
	unsigned i, log2;

	skip_without_jit();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ir_block *bl = start();

		ir_set(bl, IR_I64, X(0), ir_const(bl, IR_I64, 1));
		ir_insn_start(bl, 0x1004);
		ir_load(bl, IR_I64, mem(3, false, false), ir_const(bl, IR_I64, bad[i]), 0);
		ir_set(bl, IR_I64, X(1), ir_const(bl, IR_I64, 2));
		ir_exit_goto(bl, 0x2000);
		run_both();
		assert_int_equal(fx->got.exit.kind, INTERP_EXIT_FAULT);

		bl = start();
		ir_insn_start(bl, 0x1008);
		ir_store(bl, mem(0, false, false), ir_const(bl, IR_I64, bad[i]), 0,
			 ir_const(bl, IR_I64, 3));
		ir_exit_goto(bl, 0x2000);
		run_both_warm(true);
		assert_int_equal(fx->got.exit.kind, INTERP_EXIT_FAULT);
	}
	for (log2 = 1; log2 < 4; log2++) {
		struct ir_block *bl = start();

		ir_load(bl, IR_I64, mem(log2, false, true), ir_const(bl, IR_I64, RAM_BASE + 1), 0);
		ir_exit_goto(bl, 0x2000);
		run_both_warm(true);
		assert_int_equal(fx->got.exit.fault.kind, MMU_FAULT_MISALIGNED);

		bl = start();
		ir_store(bl, mem(log2, false, true), ir_const(bl, IR_I64, RAM_BASE + 0x103), 0,
			 ir_const(bl, IR_I64, 5));
		ir_exit_goto(bl, 0x2000);
		run_both_warm(true);
		assert_int_equal(fx->got.exit.fault.kind, MMU_FAULT_MISALIGNED);
	}
}

static void test_jit_atomics_match_the_interpreter(void **state)
{
	static const uint64_t operands[] = { 0,
					     1,
					     0x7f,
					     0x80,
					     0xffff,
					     0x80000000,
					     0xfffffff9,
					     0x8000000000000000ull,
					     0xffffffffffffffffull };
	unsigned rmw, log2, s, t, i;

	skip_without_jit();
	for (rmw = IR_RMW_XCHG; rmw <= IR_RMW_MAXU; rmw++)
		for (log2 = 0; log2 < 4; log2++)
			for (s = 0; s < 2; s++)
				for (t = 0; t < 2; t++) {
					enum ir_type type = int_types[t];
					struct ir_block *bl;
					ir_temp a;

					if (log2 == 3 && type == IR_I32)
						continue;
					bl = start();
					/* RAM's bytes there have every top bit pattern. */
					a = ir_const(bl, IR_I64, RAM_BASE + 0x1230 + (8u << log2));
					for (i = 0; i < sizeof(operands) / sizeof(operands[0]); i++)
						ir_atomic_rmw(bl, rmw, type, mem(log2, s, true), a,
							      ir_const(bl, type,
								       fit(operands[i], type)));
					ir_exit_goto(bl, 0x2000);
					run_both_warm(t == 0);
				}
	for (log2 = 0; log2 < 4; log2++) {
		struct ir_block *bl = start();
		ir_temp a = ir_const(bl, IR_I64, ALIAS_BASE + 0x2468);
		ir_temp old = ir_load(bl, IR_I64, mem(log2, false, true), a, 0);

		/* fails (expected is off by one), then succeeds, then fails against the new value */
		ir_cmpxchg(bl, IR_I64, mem(log2, true, true), a,
			   ir_binop(bl, IR_ADD, IR_I64, old, ir_const(bl, IR_I64, 1)),
			   ir_const(bl, IR_I64, 0x1111111111111111ull));
		ir_cmpxchg(bl, IR_I64, mem(log2, false, true), a, old,
			   ir_const(bl, IR_I64, 0xfedcba9876543210ull));
		ir_cmpxchg(bl, IR_I64, mem(log2, true, true), a, old, ir_const(bl, IR_I64, 5));
		ir_exit_goto(bl, 0x2000);
		run_both();
	}
}

static void test_jit_atomic_faults_match_the_interpreter(void **state)
{
	static const uint64_t bad[] = { RAM_BASE + 0x102, 0x1000, MMIO_BASE + 8 };
	unsigned i;

	skip_without_jit();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ir_block *bl = start();

		ir_set(bl, IR_I64, X(0), ir_const(bl, IR_I64, 1));
		ir_insn_start(bl, 0x1004);
		ir_atomic_rmw(bl, IR_RMW_ADD, IR_I64, mem(3, false, true),
			      ir_const(bl, IR_I64, bad[i]), ir_const(bl, IR_I64, 1));
		ir_exit_goto(bl, 0x2000);
		run_both();
		assert_int_equal(fx->got.exit.kind, INTERP_EXIT_FAULT);

		bl = start();
		ir_insn_start(bl, 0x1008);
		ir_cmpxchg(bl, IR_I32, mem(2, false, true), ir_const(bl, IR_I64, bad[i]),
			   ir_const(bl, IR_I32, 0), ir_const(bl, IR_I32, 1));
		ir_exit_goto(bl, 0x2000);
		run_both_warm(true);
		assert_int_equal(fx->got.exit.kind, INTERP_EXIT_FAULT);
	}
}

/* Every FP op shape, both widths, static and dynamic rounding (frm from the state), values
 * that raise every IEEE flag: the JIT's results, flags included, are the interpreter's. */
static void test_jit_fp_ops_match_the_interpreter(void **state)
{
	static const uint64_t f64s[] = {
		0x3ff0000000000000ull, /* 1.0 */
		0xbff8000000000000ull, /* -1.5 */
		0x7ff8000000000000ull, /* quiet NaN */
		0x7ff0000000000001ull, /* signalling NaN */
		0x7ff0000000000000ull, /* +inf */
		0x0000000000000001ull, /* the smallest subnormal */
		0x43e0000000000000ull, /* 2^63: out of range for a signed conversion */
		0x3fb999999999999aull, /* 0.1, inexact in most operations */
	};
	static const enum ir_opcode binops[] = { IR_FADD, IR_FSUB, IR_FMUL,
						 IR_FDIV, IR_FMIN, IR_FMAX };
	static const enum ir_opcode compares[] = { IR_FEQ, IR_FLT, IR_FLE };
	static const enum ir_round rounds[] = { IR_ROUND_DYNAMIC, IR_ROUND_NEAREST_EVEN,
						IR_ROUND_TO_ZERO, IR_ROUND_UP };
	struct ir_block *bl;
	ir_temp a, b, c;

	skip_without_jit();
	for (size_t i = 0; i < ARRAY_SIZE(f64s); i++) {
		for (size_t r = 0; r < ARRAY_SIZE(rounds); r++) {
			bl = start();
			a = ir_const(bl, IR_F64, f64s[i]);
			b = ir_const(bl, IR_F64, f64s[(i + 3) % ARRAY_SIZE(f64s)]);
			c = ir_const(bl, IR_F64, f64s[(i + 5) % ARRAY_SIZE(f64s)]);
			for (size_t o = 0; o < ARRAY_SIZE(binops); o++)
				ir_set(bl, IR_F64, X(o % 4),
				       ir_fbinop(bl, binops[o], IR_F64, rounds[r], a, b));
			ir_set(bl, IR_F64, offsetof(struct toy_state, f64),
			       ir_fsqrt(bl, IR_F64, rounds[r], b));
			ir_set(bl, IR_F64, X(0),
			       ir_ffused(bl, IR_FMADD, IR_F64, rounds[r], a, b, c));
			ir_set(bl, IR_F64, X(1),
			       ir_ffused(bl, IR_FNMSUB, IR_F64, rounds[r], c, a, b));
			for (size_t o = 0; o < ARRAY_SIZE(compares); o++)
				ir_set(bl, IR_I64, X(2),
				       ir_fcompare(bl, compares[o], IR_F64, a, b));
			ir_set(bl, IR_I64, X(3),
			       ir_fconvert(bl, IR_FCVT_F2I, IR_I64, IR_F64, rounds[r], false, a));
			ir_set(bl, IR_I32, offsetof(struct toy_state, w32),
			       ir_fconvert(bl, IR_FCVT_F2I, IR_I32, IR_F64, rounds[r], true, c));
			ir_set(bl, IR_F32, offsetof(struct toy_state, f32),
			       ir_fconvert(bl, IR_FCVT_F2F, IR_F32, IR_F64, rounds[r], false, a));
			ir_set(bl, IR_F64, offsetof(struct toy_state, f64),
			       ir_fconvert(bl, IR_FCVT_I2F, IR_F64, IR_I64, rounds[r], false,
					   ir_get(bl, IR_I64, X(3))));
			ir_exit_goto(bl, 0x2000);
			fx->frm = (uint32_t)r;
			run_both();
		}
	}
}

static void test_jit_refuses_what_it_does_not_handle(void **state)
{
	struct jit *plain;
	struct ir_block *bl;
	jit_code code;

	skip_without_jit();
	plain = jit_create(&layout_without_fp, 1u << 16);
	assert_non_null(plain);
	bl = start();
	ir_set(bl, IR_F64, offsetof(struct toy_state, f64),
	       ir_fbinop(bl, IR_FADD, IR_F64, IR_ROUND_DYNAMIC, ir_const(bl, IR_F64, 0),
			 ir_const(bl, IR_F64, 0)));
	ir_exit_goto(bl, 0x2000);
	assert_int_equal(jit_compile(plain, bl->ops, bl->nops, &code), -ENOTSUP);

	bl = start();
	ir_set(bl, IR_I64, X(0),
	       ir_fconvert(bl, IR_FCVT_F2I, IR_I64, IR_F64, IR_ROUND_TO_ZERO, false,
			   ir_get(bl, IR_F64, offsetof(struct toy_state, f64))));
	ir_exit_goto(bl, 0x2000);
	assert_int_equal(jit_compile(plain, bl->ops, bl->nops, &code), -ENOTSUP);
	assert_int_equal(jit_stats(plain)->refused, 2);
	jit_destroy(plain);
}

static void test_jit_full_code_cache_starts_over(void **state)
{
	struct jit *small;
	struct ir_block *bl;
	struct jit_exit exit;
	jit_code code;
	unsigned n = 0;
	int err;

	skip_without_jit();
	small = jit_create(&layout, PLAT_PAGE_SIZE);
	assert_non_null(small);
	bl = start();
	ir_set(bl, IR_I64, X(0),
	       ir_binop(bl, IR_ADD, IR_I64, ir_get(bl, IR_I64, X(0)), ir_const(bl, IR_I64, 1)));
	ir_exit_goto(bl, 0x2000);
	while ((err = jit_compile(small, bl->ops, bl->nops, &code)) == 0)
		n++;
	assert_int_equal(err, -ENOSPC);
	assert_true(n > 1);
	jit_flush(small);
	assert_int_equal(jit_compile(small, bl->ops, bl->nops, &code), 0);
	reset_machine(false);
	code(&fx->cpu, fx->temps, &exit);
	assert_int_equal(exit.kind, JIT_EXIT_PC);
	assert_int_equal(exit.pc, 0x2000);
	assert_int_equal(fx->state.x[0], 0x5a5a5a5a00000001ull);
	assert_int_equal(jit_stats(small)->compiled, n + 1);
	assert_int_equal(jit_stats(small)->flushes, 1);
	jit_destroy(small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jit_binary_ops_match_the_interpreter),
		cmocka_unit_test(test_jit_operands_from_state_match_the_interpreter),
		cmocka_unit_test(test_jit_unary_ops_match_the_interpreter),
		cmocka_unit_test(test_jit_extensions_match_the_interpreter),
		cmocka_unit_test(test_jit_setcc_and_select_match_the_interpreter),
		cmocka_unit_test(test_jit_state_consts_and_moves_match_the_interpreter),
		cmocka_unit_test(test_jit_calls_match_the_interpreter),
		cmocka_unit_test(test_jit_exits_match_the_interpreter),
		cmocka_unit_test(test_jit_memory_hits_and_misses_match_the_interpreter),
		cmocka_unit_test(test_jit_warm_accesses_take_the_inline_path),
		cmocka_unit_test(test_jit_memory_faults_match_the_interpreter),
		cmocka_unit_test(test_jit_atomics_match_the_interpreter),
		cmocka_unit_test(test_jit_atomic_faults_match_the_interpreter),
		cmocka_unit_test(test_jit_fp_ops_match_the_interpreter),
		cmocka_unit_test(test_jit_refuses_what_it_does_not_handle),
		cmocka_unit_test(test_jit_full_code_cache_starts_over),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
