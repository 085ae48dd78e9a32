// SPDX-License-Identifier: MIT
/* ir/opt and ir/print: what each pass removes or rewrites, what it must keep, and the printout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ir/builder.h"
#include "ir/opt.h"
#include "ir/print.h"
#include "ir/verify.h"

struct toy_state {
	uint64_t x[4];
	uint64_t pc;
	uint32_t fflags;
	uint32_t frm;
};

#define X(n) offsetof(struct toy_state, x[n])

static const char *toy_name(size_t offset)
{
	static const char *const names[] = { "x0", "x1", "x2", "x3", "pc" };

	return offset % 8 == 0 && offset / 8 < 5 ? names[offset / 8] : NULL;
}

static const struct ir_guest toy_guest = {
	.isa_name = "toy",
	.state_size = sizeof(struct toy_state),
	.pc_offset = offsetof(struct toy_state, pc),
	.fflags_offset = offsetof(struct toy_state, fflags),
	.round_offset = offsetof(struct toy_state, frm),
	.canonical_nan = true,
	.state_name = toy_name,
};

static struct ir_block block;

static uint64_t nothing(void *cpu, uint64_t a, uint64_t b, uint64_t c)
{
	return 0;
}

static const struct ir_helper reads = { "reads", nothing, 0, IR_HELPER_READS_STATE };
static const struct ir_helper writes = { "writes", nothing, 0, IR_HELPER_WRITES_STATE };
static const struct ir_helper pure = { "pure", nothing, 0, 0 };

static struct ir_block *start(void)
{
	ir_block_init(&block, &toy_guest, 0x1000);
	ir_insn_start(&block, 0x1000);
	return &block;
}

static void verify(void)
{
	char msg[160];

	if (ir_verify(&block, msg, sizeof(msg)))
		fail_msg("%s", msg);
}

static unsigned count(enum ir_opcode opcode)
{
	unsigned i, n = 0;

	for (i = 0; i < block.nops; i++)
		n += block.ops[i].opcode == opcode;
	return n;
}

static const struct ir_op *first(enum ir_opcode opcode)
{
	unsigned i;

	for (i = 0; i < block.nops; i++)
		if (block.ops[i].opcode == opcode)
			return &block.ops[i];
	return NULL;
}

static void test_fold_evaluates_constant_expressions(void **state)
{
	struct ir_block *b = start();
	ir_temp c = ir_binop(b, IR_MUL, IR_I64, ir_const(b, IR_I64, 6), ir_const(b, IR_I64, 7));
	ir_temp d = ir_binop(b, IR_DIV, IR_I32, ir_const(b, IR_I32, 5), ir_const(b, IR_I32, 0));

	ir_set(b, IR_I64, X(0), c);
	ir_set(b, IR_I64, X(1), ir_extend(b, IR_EXTS, IR_I64, d, 32));
	ir_exit_goto(b, 0x1004);
	assert_true(ir_fold_constants(&block) >= 3);
	verify();
	ir_eliminate_dead_code(&block);
	verify();
	assert_int_equal(count(IR_MUL) + count(IR_DIV) + count(IR_EXTS), 0);
	assert_int_equal(count(IR_CONST), 2);
	assert_int_equal(first(IR_CONST)->imm, 42);
	assert_int_equal(block.ops[2].opcode, IR_CONST);
	assert_int_equal(block.ops[2].imm, ~0ull);
	/* Nothing here can raise: the instruction marker went too. */
	assert_int_equal(count(IR_INSN_START), 0);
}

static void test_fold_turns_constant_branches_into_gotos_or_nothing(void **state)
{
	struct ir_block *b = start();
	ir_temp x = ir_get(b, IR_I64, X(0));

	ir_exit_goto_if(
		b, ir_setcc(b, IR_COND_GT, IR_I64, ir_const(b, IR_I64, 1), ir_const(b, IR_I64, 2)),
		0x2000);
	ir_exit_goto_if(
		b, ir_setcc(b, IR_COND_LTU, IR_I64, ir_const(b, IR_I64, 1), ir_const(b, IR_I64, 2)),
		0x3000);
	ir_set(b, IR_I64, X(1), x);
	ir_exit_goto(b, 0x4000);
	ir_optimize(&block);
	verify();
	assert_int_equal(count(IR_EXIT_GOTO_IF), 0);
	assert_int_equal(count(IR_SET), 0);
	assert_int_equal(block.ops[block.nops - 1].opcode, IR_EXIT_GOTO);
	assert_int_equal(block.ops[block.nops - 1].imm, 0x3000);
}

static void test_state_pass_forwards_gets_and_drops_overwritten_sets(void **state)
{
	struct ir_block *b = start();
	ir_temp a = ir_get(b, IR_I64, X(1));
	ir_temp a2 = ir_get(b, IR_I64, X(1));

	ir_set(b, IR_I64, X(2), ir_binop(b, IR_ADD, IR_I64, a, a2));
	ir_set(b, IR_I64, X(2), a);
	ir_set(b, IR_I64, X(3), ir_get(b, IR_I64, X(2)));
	ir_exit_goto(b, 0);
	ir_optimize(&block);
	verify();
	assert_int_equal(count(IR_GET), 1);
	assert_int_equal(count(IR_SET), 2);
	assert_int_equal(count(IR_ADD), 0);
}

static void test_state_pass_keeps_sets_that_something_can_observe(void **state)
{
	struct ir_mem mem = { .log2_size = 3 };
	struct ir_block *b = start();
	ir_temp one = ir_const(b, IR_I64, 1);

	/* A load may fault: the handler sees x1 = 1 before the second SET. */
	ir_set(b, IR_I64, X(1), one);
	ir_load(b, IR_I64, mem, one, 0);
	ir_set(b, IR_I64, X(1), ir_const(b, IR_I64, 2));
	/* A helper that reads the state, and a conditional exit. */
	ir_set(b, IR_I64, X(2), one);
	ir_call(b, &reads, IR_TEMP_NONE, IR_TEMP_NONE, IR_TEMP_NONE);
	ir_set(b, IR_I64, X(2), ir_const(b, IR_I64, 3));
	ir_set(b, IR_I64, X(3), one);
	ir_exit_goto_if(b, ir_get(b, IR_I64, X(0)), 0x2000);
	ir_set(b, IR_I64, X(3), ir_const(b, IR_I64, 4));
	/* A pure helper observes nothing: this SET dies. */
	ir_set(b, IR_I64, X(0), one);
	ir_call(b, &pure, IR_TEMP_NONE, IR_TEMP_NONE, IR_TEMP_NONE);
	ir_set(b, IR_I64, X(0), ir_const(b, IR_I64, 5));
	ir_exit_goto(b, 0);
	ir_optimize(&block);
	verify();
	assert_int_equal(count(IR_SET), 7);
}

static void test_state_pass_forgets_values_a_helper_may_write(void **state)
{
	struct ir_block *b = start();

	ir_set(b, IR_I64, X(1), ir_get(b, IR_I64, X(0)));
	ir_call(b, &writes, IR_TEMP_NONE, IR_TEMP_NONE, IR_TEMP_NONE);
	ir_set(b, IR_I64, X(2), ir_get(b, IR_I64, X(0)));
	ir_exit_goto(b, 0);
	ir_optimize(&block);
	verify();
	assert_int_equal(count(IR_GET), 2);
}

static void test_state_pass_treats_fp_ops_as_touching_the_flags(void **state)
{
	struct ir_block *b = start();
	size_t fflags = offsetof(struct toy_state, fflags);
	ir_temp f = ir_fconvert(b, IR_FCVT_I2F, IR_F64, IR_I64, IR_ROUND_TO_ZERO, false,
				ir_const(b, IR_I64, 3));

	ir_set(b, IR_I32, fflags, ir_const(b, IR_I32, 0));
	ir_fbinop(b, IR_FDIV, IR_F64, IR_ROUND_NEAREST_EVEN, f, f);
	ir_set(b, IR_I32, fflags, ir_get(b, IR_I32, fflags));
	ir_exit_goto(b, 0);
	ir_optimize(&block);
	verify();
	assert_int_equal(count(IR_SET), 2);
	assert_int_equal(count(IR_GET), 1);
	assert_int_equal(count(IR_FDIV), 1);
}

static void test_dce_removes_unused_pure_ops_and_keeps_effects(void **state)
{
	struct ir_mem mem = { .log2_size = 3 };
	struct ir_block *b = start();
	ir_temp x = ir_get(b, IR_I64, X(0));

	ir_binop(b, IR_ADD, IR_I64, x, x);
	ir_unop(b, IR_NOT, IR_I64, x);
	ir_load(b, IR_I64, mem, x, 0);
	ir_call(b, &pure, IR_TEMP_NONE, IR_TEMP_NONE, IR_TEMP_NONE);
	ir_emit(b, IR_NOP, IR_TYPE_NONE);
	ir_exit_goto(b, 0);
	assert_int_equal(ir_eliminate_dead_code(&block), 3);
	verify();
	assert_int_equal(block.nops, 5);
	assert_int_equal(count(IR_LOAD), 1);
	assert_int_equal(count(IR_CALL), 1);
	assert_int_equal(count(IR_INSN_START), 1);
}

struct text {
	char buf[2048];
	size_t len;
};

static void sink(void *ctx, const char *s, size_t len)
{
	struct text *t = ctx;

	assert_true(t->len + len < sizeof(t->buf));
	memcpy(t->buf + t->len, s, len);
	t->len += len;
	t->buf[t->len] = '\0';
}

static void test_print_shows_one_line_per_op_with_state_names(void **state)
{
	struct ir_mem mem = { .log2_size = 2, .sign = true, .aligned = true, .mmu_idx = 1 };
	struct ir_block *b = start();
	struct text t = { .len = 0 };
	ir_temp x = ir_get(b, IR_I64, X(1));
	ir_temp y = ir_load(b, IR_I64, mem, x, 8);

	ir_set(b, IR_I64, X(2), ir_binop(b, IR_ADD, IR_I64, x, y));
	ir_exit_goto_if(b, ir_setcc(b, IR_COND_LTU, IR_I64, x, y), 0x2000);
	ir_call(b, &reads, IR_TEMP_NONE, IR_TEMP_NONE, IR_TEMP_NONE);
	ir_exit_goto(b, 0x1004);
	ir_print(&block, sink, &t);
	assert_string_equal(t.buf, "block 0x1000 (phys 0, mmu 0, 1 insns, 9 ops, 5 temps)\n"
				   "  insn 0x1000\n"
				   "  t0:i64 = get x1\n"
				   "  t1:i64 = load.s32.aligned.mmu1 [t0 + 0x8]\n"
				   "  t2:i64 = add t0, t1\n"
				   "  set.i64 x2, t2\n"
				   "  t3:i64 = setcc.ltu.i64 t0, t1\n"
				   "  goto_if t3, 0x2000\n"
				   "  t4:i64 = call reads(-, -, -)\n"
				   "  goto 0x1004\n");
}

static void test_copies_propagate_through_forwarded_gets(void **state)
{
	struct ir_mem mem = { .log2_size = 3 };
	struct ir_block *b = start();
	ir_temp x = ir_get(b, IR_I64, X(1));

	ir_insn_start(b, 0x1004);
	ir_set(b, IR_I64, X(2), ir_binop(b, IR_ADD, IR_I64, ir_get(b, IR_I64, X(1)), x));
	ir_insn_start(b, 0x1008);
	ir_store(b, mem, ir_get(b, IR_I64, X(2)), 0, ir_get(b, IR_I64, X(1)));
	ir_exit_goto(b, 0);
	ir_optimize(&block);
	verify();
	assert_int_equal(count(IR_MOV), 0);
	assert_int_equal(count(IR_GET), 1);
	/* Only the store's instruction keeps its marker. */
	assert_int_equal(count(IR_INSN_START), 1);
	assert_int_equal(first(IR_INSN_START)->imm, 0x1008);
	assert_int_equal(first(IR_STORE)->src[1], x);
	assert_int_equal(first(IR_ADD)->src[0], x);
}

static void test_copies_stop_at_a_redefined_source(void **state)
{
	struct ir_block *b = start();
	ir_temp x = ir_const(b, IR_I64, 1), y = ir_unop(b, IR_MOV, IR_I64, x);
	struct ir_op *redefine = ir_emit(b, IR_GET, IR_I64);

	redefine->dst = x;
	redefine->imm = X(0);
	ir_set(b, IR_I64, X(1), y);
	ir_exit_goto(b, 0);
	assert_int_equal(ir_propagate_copies(&block), 0);
	assert_int_equal(block.ops[4].src[0], y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_evaluates_constant_expressions),
		cmocka_unit_test(test_fold_turns_constant_branches_into_gotos_or_nothing),
		cmocka_unit_test(test_state_pass_forwards_gets_and_drops_overwritten_sets),
		cmocka_unit_test(test_state_pass_keeps_sets_that_something_can_observe),
		cmocka_unit_test(test_state_pass_forgets_values_a_helper_may_write),
		cmocka_unit_test(test_state_pass_treats_fp_ops_as_touching_the_flags),
		cmocka_unit_test(test_dce_removes_unused_pure_ops_and_keeps_effects),
		cmocka_unit_test(test_copies_propagate_through_forwarded_gets),
		cmocka_unit_test(test_copies_stop_at_a_redefined_source),
		cmocka_unit_test(test_print_shows_one_line_per_op_with_state_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
