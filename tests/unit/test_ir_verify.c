// SPDX-License-Identifier: MIT
/* ir/builder and ir/verify: well-formed blocks pass, each kind of ill-formed block is named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ir/builder.h"
#include "ir/verify.h"
#include "lib/errno.h"

struct toy_state {
	uint64_t x[4];
	uint64_t pc;
	uint32_t fflags;
	uint32_t frm;
};

static const struct ir_guest toy_guest = {
	.isa_name = "toy",
	.state_size = sizeof(struct toy_state),
	.pc_offset = offsetof(struct toy_state, pc),
	.fflags_offset = offsetof(struct toy_state, fflags),
	.round_offset = offsetof(struct toy_state, frm),
	.canonical_nan = true,
};

static struct ir_block block;
static char msg[200];

static uint64_t helper_fn(void *cpu, uint64_t a, uint64_t b, uint64_t c)
{
	return a + b + c;
}

static const struct ir_helper two_args = { "two", helper_fn, 2, 0 };

static void start(void)
{
	ir_block_init(&block, &toy_guest, 0x1000);
	ir_insn_start(&block, 0x1000);
}

static int verify(void)
{
	msg[0] = '\0';
	return ir_verify(&block, msg, sizeof(msg));
}

static void expect_rejected(const char *words)
{
	assert_int_equal(verify(), -EINVAL);
	if (!strstr(msg, words))
		fail_msg("message '%s' lacks '%s'", msg, words);
}

static void test_ir_verify_accepts_a_well_formed_block(void **state)
{
	struct ir_mem mem = { .log2_size = 2, .sign = true, .mmu_idx = 1 };
	ir_temp a, b, sum, cond, loaded, f;

	start();
	a = ir_get(&block, IR_I64, offsetof(struct toy_state, x[1]));
	b = ir_const(&block, IR_I64, 5);
	sum = ir_binop(&block, IR_ADD, IR_I64, a, b);
	ir_set(&block, IR_I64, offsetof(struct toy_state, x[2]), sum);
	loaded = ir_load(&block, IR_I64, mem, sum, -4);
	ir_store(&block, mem, sum, 8, loaded);
	f = ir_fconvert(&block, IR_FCVT_I2F, IR_F64, IR_I64, IR_ROUND_DYNAMIC, false, loaded);
	f = ir_fbinop(&block, IR_FADD, IR_F64, IR_ROUND_NEAREST_EVEN, f, f);
	assert_int_not_equal(f, IR_TEMP_NONE);
	ir_call(&block, &two_args, a, b, IR_TEMP_NONE);
	cond = ir_setcc(&block, IR_COND_LTU, IR_I64, a, b);
	ir_exit_goto_if(&block, cond, 0x2000);
	ir_insn_start(&block, 0x1004);
	ir_exit_goto(&block, 0x1008);
	assert_int_equal(verify(), 0);
	assert_int_equal(block.guest_insns, 2);
}

static void test_ir_verify_rejects_a_temp_used_before_it_is_defined(void **state)
{
	ir_temp t;

	start();
	t = ir_new_temp(&block, IR_I64);
	ir_set(&block, IR_I64, 0, t);
	ir_exit_goto(&block, 0);
	expect_rejected("used before it is defined");
}

static void test_ir_verify_rejects_mismatched_operand_types(void **state)
{
	ir_temp a, b;

	start();
	a = ir_const(&block, IR_I64, 1);
	b = ir_const(&block, IR_I32, 2);
	ir_binop(&block, IR_ADD, IR_I64, a, b);
	ir_exit_goto(&block, 0);
	expect_rejected("src1 t1 is i32, expected i64");
}

static void test_ir_verify_rejects_a_block_without_a_final_exit(void **state)
{
	start();
	ir_const(&block, IR_I64, 1);
	expect_rejected("does not end with an exit");
}

static void test_ir_verify_rejects_ops_after_an_exit(void **state)
{
	start();
	ir_exit_goto(&block, 0);
	ir_exit_goto(&block, 4);
	expect_rejected("ends the block but 1 ops follow");
}

static void test_ir_verify_rejects_a_bad_opcode_cond_size_and_rounding(void **state)
{
	struct ir_mem mem = { .log2_size = 4 };
	ir_temp a, f;

	start();
	assert_non_null(ir_emit(&block, IR_OPCODE_COUNT, IR_TYPE_NONE));
	ir_exit_goto(&block, 0);
	expect_rejected("bad opcode");

	start();
	a = ir_const(&block, IR_I64, 1);
	ir_setcc(&block, (enum ir_cond)42, IR_I64, a, a);
	ir_exit_goto(&block, 0);
	expect_rejected("bad condition 42");

	start();
	a = ir_const(&block, IR_I64, 1);
	ir_load(&block, IR_I64, mem, a, 0);
	ir_exit_goto(&block, 0);
	expect_rejected("not 1, 2, 4 or 8 bytes");

	start();
	a = ir_const(&block, IR_I64, 1);
	f = ir_fconvert(&block, IR_FCVT_I2F, IR_F64, IR_I64, IR_ROUND_TO_ZERO, false, a);
	ir_fbinop(&block, IR_FADD, IR_F64, (enum ir_round)9, f, f);
	ir_exit_goto(&block, 0);
	expect_rejected("bad rounding mode 9");
}

static void test_ir_verify_rejects_exits_with_wrong_operands(void **state)
{
	start();
	ir_exit_jump(&block, ir_const(&block, IR_I32, 4));
	expect_rejected("expected i64");

	start();
	ir_exit_exception(&block, 2, ir_const(&block, IR_F64, 0));
	expect_rejected("expected i64");

	start();
	ir_exit_goto_if(&block, ir_const(&block, IR_F32, 1), 8);
	ir_exit_goto(&block, 0);
	expect_rejected("expected an integer");
}

static void test_ir_verify_rejects_temps_out_of_range(void **state)
{
	struct ir_op *op;

	start();
	op = ir_emit(&block, IR_SET, IR_I64);
	op->src[0] = 500;
	ir_exit_goto(&block, 0);
	expect_rejected("past the block's 0 temporaries");
}

static void test_ir_verify_rejects_state_accesses_outside_the_state(void **state)
{
	start();
	ir_get(&block, IR_I64, sizeof(struct toy_state) - 4);
	ir_exit_goto(&block, 0);
	expect_rejected("outside the");
}

static void test_ir_verify_rejects_a_fault_before_any_insn_start(void **state)
{
	struct ir_mem mem = { .log2_size = 3 };

	ir_block_init(&block, &toy_guest, 0);
	ir_load(&block, IR_I64, mem, ir_const(&block, IR_I64, 0), 0);
	ir_exit_goto(&block, 0);
	expect_rejected("before any IR_INSN_START");
}

static void test_ir_verify_rejects_a_call_with_extra_arguments(void **state)
{
	ir_temp a;

	start();
	a = ir_const(&block, IR_I64, 1);
	ir_call(&block, &two_args, a, a, a);
	ir_exit_goto(&block, 0);
	expect_rejected("src2 is set but the op takes 2 operands");
}

static void test_ir_builder_marks_a_full_block_overflowed(void **state)
{
	unsigned i;

	start();
	assert_true(ir_block_room(&block, 10, 10));
	for (i = 0; i < IR_BLOCK_MAX_OPS + 5; i++)
		ir_const(&block, IR_I64, i);
	assert_true(block.overflow);
	assert_false(ir_block_room(&block, 1, 0));
	assert_int_equal(ir_const(&block, IR_I64, 0), IR_TEMP_NONE);
	expect_rejected("overflowed");
}

static void test_ir_verify_rejects_a_dst_of_the_wrong_type(void **state)
{
	struct ir_op *op;

	start();
	op = ir_emit(&block, IR_CONST, IR_I64);
	op->dst = ir_new_temp(&block, IR_F32);
	ir_exit_goto(&block, 0);
	expect_rejected("dst t0 is f32, the op makes i64");
}

static void test_ir_verify_rejects_bad_extension_widths(void **state)
{
	start();
	ir_extend(&block, IR_SEXT, IR_I32, ir_const(&block, IR_I32, 1), 32);
	ir_exit_goto(&block, 0);
	expect_rejected("cannot extend from 32 bits within i32");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ir_verify_accepts_a_well_formed_block),
		cmocka_unit_test(test_ir_verify_rejects_a_temp_used_before_it_is_defined),
		cmocka_unit_test(test_ir_verify_rejects_mismatched_operand_types),
		cmocka_unit_test(test_ir_verify_rejects_a_block_without_a_final_exit),
		cmocka_unit_test(test_ir_verify_rejects_ops_after_an_exit),
		cmocka_unit_test(test_ir_verify_rejects_a_bad_opcode_cond_size_and_rounding),
		cmocka_unit_test(test_ir_verify_rejects_exits_with_wrong_operands),
		cmocka_unit_test(test_ir_verify_rejects_temps_out_of_range),
		cmocka_unit_test(test_ir_verify_rejects_state_accesses_outside_the_state),
		cmocka_unit_test(test_ir_verify_rejects_a_fault_before_any_insn_start),
		cmocka_unit_test(test_ir_verify_rejects_a_call_with_extra_arguments),
		cmocka_unit_test(test_ir_builder_marks_a_full_block_overflowed),
		cmocka_unit_test(test_ir_verify_rejects_a_dst_of_the_wrong_type),
		cmocka_unit_test(test_ir_verify_rejects_bad_extension_widths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
