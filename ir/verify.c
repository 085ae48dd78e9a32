// SPDX-License-Identifier: MIT
/*
 * The IR verifier (ir/verify.h). The operand rules come from each opcode's shape in ir/info.h;
 * this file only says what each shape requires.
 */
#include "ir/verify.h"

#include <stdarg.h>

#include "ir/info.h"
#include "lib/bitmap.h"
#include "lib/errno.h"
#include "lib/fmt.h"

struct verifier {
	const struct ir_block *block;
	char *msg;
	size_t len;
	unsigned index; /* the op being checked */
	DECLARE_BITMAP(defined, IR_BLOCK_MAX_TEMPS);
};

__attribute__((format(printf, 2, 3))) static int fail(struct verifier *v, const char *fmt, ...)
{
	const struct ir_op *op = &v->block->ops[v->index];
	va_list ap;
	int n;

	n = fmt_snprintf(v->msg, v->len, "op %u (%s): ", v->index,
			 op->opcode < IR_OPCODE_COUNT ? ir_op_info[op->opcode].name : "?");
	if (n >= 0 && (size_t)n < v->len) {
		va_start(ap, fmt);
		fmt_vsnprintf(v->msg + n, v->len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool is_int(unsigned type)
{
	return type == IR_I32 || type == IR_I64;
}

static bool is_float(unsigned type)
{
	return type == IR_F32 || type == IR_F64;
}

static bool is_scalar(unsigned type)
{
	return is_int(type) || is_float(type);
}

static unsigned type_bytes(unsigned type)
{
	return type == IR_I32 || type == IR_F32 ? 4 : 8;
}

/* What a source operand must be: a type, or any integer / any float. */
#define ANY_INT 0x100u
#define ANY_FLOAT 0x200u

static int check_src(struct verifier *v, unsigned i, unsigned want)
{
	const struct ir_op *op = &v->block->ops[v->index];
	ir_temp t = op->src[i];
	unsigned type;

	if (t == IR_TEMP_NONE)
		return fail(v, "src%u is missing", i);
	if (t >= v->block->ntemps)
		return fail(v, "src%u t%u is past the block's %u temporaries", i, t,
			    v->block->ntemps);
	if (!bitmap_test(v->defined, t))
		return fail(v, "t%u used before it is defined", t);
	type = v->block->temp_type[t];
	if ((want == ANY_INT && !is_int(type)) || (want == ANY_FLOAT && !is_float(type)) ||
	    (want < ANY_INT && type != want))
		return fail(v, "src%u t%u is %s, expected %s", i, t, ir_type_name(type),
			    want == ANY_INT   ? "an integer" :
			    want == ANY_FLOAT ? "a float" :
						ir_type_name(want));
	return 0;
}

static int check_srcs(struct verifier *v, unsigned n, unsigned w0, unsigned w1, unsigned w2)
{
	const struct ir_op *op = &v->block->ops[v->index];
	unsigned want[3] = { w0, w1, w2 }, i;
	int ret;

	for (i = 0; i < 3; i++) {
		if (i >= n) {
			if (op->src[i] != IR_TEMP_NONE)
				return fail(v, "src%u is set but the op takes %u operands", i, n);
			continue;
		}
		ret = check_src(v, i, want[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int check_mem(struct verifier *v, unsigned value_type)
{
	const struct ir_op *op = &v->block->ops[v->index];

	if (op->mem.log2_size > 3)
		return fail(v, "access size 2^%u is not 1, 2, 4 or 8 bytes", op->mem.log2_size);
	if ((1u << op->mem.log2_size) > type_bytes(value_type))
		return fail(v, "%u-byte access wider than its %s value", 1u << op->mem.log2_size,
			    ir_type_name(value_type));
	if (is_float(value_type) && (1u << op->mem.log2_size) != type_bytes(value_type))
		return fail(v, "a %s access must be %u bytes", ir_type_name(value_type),
			    type_bytes(value_type));
	if (op->mem.mmu_idx >= IR_MMU_IDX_MAX)
		return fail(v, "MMU index %u is not below %u", op->mem.mmu_idx, IR_MMU_IDX_MAX);
	return 0;
}

static int check_state(struct verifier *v)
{
	const struct ir_op *op = &v->block->ops[v->index];
	const struct ir_guest *guest = v->block->guest;

	if (guest &&
	    (op->imm > guest->state_size || guest->state_size - op->imm < type_bytes(op->type)))
		return fail(v, "state offset %llu is outside the %zu-byte state",
			    (unsigned long long)op->imm, guest->state_size);
	return 0;
}

static int check_round(struct verifier *v)
{
	const struct ir_op *op = &v->block->ops[v->index];

	if ((ir_op_info[op->opcode].flags & IR_INFO_ROUND) && op->cond > IR_ROUND_DYNAMIC)
		return fail(v, "bad rounding mode %u", op->cond);
	return 0;
}

/* The operand rules of one op by its shape (dst's type is checked by the caller). */
static int check_shape(struct verifier *v, const struct ir_op *op)
{
	unsigned t = op->type;

	switch ((enum ir_shape)ir_op_info[op->opcode].shape) {
	case IR_SHAPE_NONE:
	case IR_SHAPE_MARK:
	case IR_SHAPE_GOTO:
	case IR_SHAPE_EXIT_STATE:
		return check_srcs(v, 0, 0, 0, 0);
	case IR_SHAPE_CONST:
		if (!is_scalar(t))
			return fail(v, "constant of type %s", ir_type_name(t));
		return check_srcs(v, 0, 0, 0, 0);
	case IR_SHAPE_MOV:
		return check_srcs(v, 1, t, 0, 0);
	case IR_SHAPE_GET:
		if (!is_scalar(t))
			return fail(v, "state access of type %s", ir_type_name(t));
		return check_state(v) ?: check_srcs(v, 0, 0, 0, 0);
	case IR_SHAPE_SET:
		if (!is_scalar(t))
			return fail(v, "state access of type %s", ir_type_name(t));
		return check_state(v) ?: check_srcs(v, 1, t, 0, 0);
	case IR_SHAPE_INT_UN:
	case IR_SHAPE_INT_BIN:
		if (!is_int(t))
			return fail(v, "integer op of type %s", ir_type_name(t));
		return check_srcs(v, ir_shape_nsrc(ir_op_info[op->opcode].shape), t, t, 0);
	case IR_SHAPE_EXTEND:
		if (!is_int(t))
			return fail(v, "integer op of type %s", ir_type_name(t));
		if ((op->imm != 8 && op->imm != 16 && op->imm != 32) ||
		    op->imm >= type_bytes(t) * 8)
			return fail(v, "cannot extend from %llu bits within %s",
				    (unsigned long long)op->imm, ir_type_name(t));
		return check_srcs(v, 1, t, 0, 0);
	case IR_SHAPE_TRUNC:
		if (t != IR_I32)
			return fail(v, "result must be i32");
		return check_srcs(v, 1, IR_I64, 0, 0);
	case IR_SHAPE_WIDEN:
		if (t != IR_I64)
			return fail(v, "result must be i64");
		return check_srcs(v, 1, IR_I32, 0, 0);
	case IR_SHAPE_SETCC:
		if (!is_int(t) || !is_int(op->aux))
			return fail(v, "compare needs integer result and operands");
		if (op->cond > IR_COND_GTU)
			return fail(v, "bad condition %u", op->cond);
		return check_srcs(v, 2, op->aux, op->aux, 0);
	case IR_SHAPE_SELECT:
		if (!is_scalar(t))
			return fail(v, "select of type %s", ir_type_name(t));
		return check_srcs(v, 3, ANY_INT, t, t);
	case IR_SHAPE_LOAD:
		if (!is_scalar(t))
			return fail(v, "load of type %s", ir_type_name(t));
		return check_mem(v, t) ?: check_srcs(v, 1, IR_I64, 0, 0);
	case IR_SHAPE_STORE:
		if (!is_scalar(t))
			return fail(v, "store of type %s", ir_type_name(t));
		return check_mem(v, t) ?: check_srcs(v, 2, IR_I64, t, 0);
	case IR_SHAPE_RMW:
		if (!is_int(t))
			return fail(v, "atomic of type %s", ir_type_name(t));
		if (op->cond > IR_RMW_MAXU)
			return fail(v, "bad read-modify-write %u", op->cond);
		return check_mem(v, t) ?: check_srcs(v, 2, IR_I64, t, 0);
	case IR_SHAPE_CMPXCHG:
		if (!is_int(t))
			return fail(v, "atomic of type %s", ir_type_name(t));
		return check_mem(v, t) ?: check_srcs(v, 3, IR_I64, t, t);
	case IR_SHAPE_FP_UN:
	case IR_SHAPE_FP_BIN:
	case IR_SHAPE_FP_TERN:
		if (!is_float(t))
			return fail(v, "FP op of type %s", ir_type_name(t));
		return check_round(v) ?:
			       check_srcs(v, ir_shape_nsrc(ir_op_info[op->opcode].shape), t, t, t);
	case IR_SHAPE_FP_CMP:
		if (t != IR_I64 || !is_float(op->aux))
			return fail(v, "FP compare needs an i64 result and float operands");
		return check_srcs(v, 2, op->aux, op->aux, 0);
	case IR_SHAPE_F2I:
		if (!is_int(t) || !is_float(op->aux))
			return fail(v, "needs an integer result from a float");
		return check_round(v) ?: check_srcs(v, 1, op->aux, 0, 0);
	case IR_SHAPE_I2F:
		if (!is_float(t) || !is_int(op->aux))
			return fail(v, "needs a float result from an integer");
		return check_round(v) ?: check_srcs(v, 1, op->aux, 0, 0);
	case IR_SHAPE_F2F:
		if (!is_float(t) || !is_float(op->aux) || t == op->aux)
			return fail(v, "needs two different float types");
		return check_round(v) ?: check_srcs(v, 1, op->aux, 0, 0);
	case IR_SHAPE_CALL: {
		const struct ir_helper *helper = (const struct ir_helper *)(uintptr_t)op->imm;

		if (t != IR_I64)
			return fail(v, "a call returns i64");
		if (!helper || !helper->fn || helper->nargs > 3)
			return fail(v, "no helper, or one with more than 3 arguments");
		return check_srcs(v, helper->nargs, ANY_INT, ANY_INT, ANY_INT);
	}
	case IR_SHAPE_GOTO_IF:
		return check_srcs(v, 1, ANY_INT, 0, 0);
	case IR_SHAPE_JUMP:
		return check_srcs(v, 1, IR_I64, 0, 0);
	case IR_SHAPE_EXCEPTION:
		if (op->src[0] == IR_TEMP_NONE)
			return check_srcs(v, 0, 0, 0, 0);
		return check_srcs(v, 1, IR_I64, 0, 0);
	}
	return fail(v, "unknown shape");
}

/* Whether the op can raise a guest exception, which needs an IR_INSN_START before it. */
static bool may_fault(const struct ir_op *op)
{
	if (op->opcode == IR_CALL) {
		const struct ir_helper *helper = (const struct ir_helper *)(uintptr_t)op->imm;

		return helper->flags & IR_HELPER_MAY_RAISE;
	}
	return (ir_op_info[op->opcode].flags & IR_INFO_MEM) || op->opcode == IR_EXIT_EXCEPTION;
}

int ir_verify(const struct ir_block *block, char *msg, size_t len)
{
	struct verifier v = { .block = block, .msg = msg, .len = len };
	bool seen_insn = false;
	unsigned i;
	int ret;

	bitmap_zero(v.defined, IR_BLOCK_MAX_TEMPS);
	if (block->overflow) {
		fmt_snprintf(msg, len, "block at %#llx overflowed (over %u ops or %u temporaries)",
			     (unsigned long long)block->guest_pc, IR_BLOCK_MAX_OPS,
			     IR_BLOCK_MAX_TEMPS);
		return -EINVAL;
	}
	if (block->nops == 0 || block->nops > IR_BLOCK_MAX_OPS ||
	    block->ntemps > IR_BLOCK_MAX_TEMPS) {
		fmt_snprintf(msg, len, "block at %#llx has %u ops and %u temporaries",
			     (unsigned long long)block->guest_pc, block->nops, block->ntemps);
		return -EINVAL;
	}
	for (i = 0; i < block->nops; i++) {
		const struct ir_op *op = &block->ops[i];
		const struct ir_op_info *info;

		v.index = i;
		if (op->opcode >= IR_OPCODE_COUNT)
			return fail(&v, "bad opcode %u", op->opcode);
		info = &ir_op_info[op->opcode];
		ret = check_shape(&v, op);
		if (ret)
			return ret;
		if (op->opcode == IR_INSN_START)
			seen_insn = true;
		else if (may_fault(op) && !seen_insn)
			return fail(&v, "may raise an exception before any IR_INSN_START");
		if (ir_shape_has_dst(info->shape)) {
			if (op->dst >= block->ntemps)
				return fail(&v, "dst t%u is past the block's %u temporaries",
					    op->dst, block->ntemps);
			if (block->temp_type[op->dst] != op->type)
				return fail(&v, "dst t%u is %s, the op makes %s", op->dst,
					    ir_type_name(block->temp_type[op->dst]),
					    ir_type_name(op->type));
			bitmap_set(v.defined, op->dst);
		} else if (op->dst != IR_TEMP_NONE) {
			return fail(&v, "has a dst but makes no value");
		}
		if ((info->flags & IR_INFO_ENDS) && i + 1 != block->nops)
			return fail(&v, "ends the block but %u ops follow", block->nops - i - 1);
	}
	if (!(ir_op_info[block->ops[block->nops - 1].opcode].flags & IR_INFO_ENDS)) {
		v.index = block->nops - 1;
		return fail(&v, "the block does not end with an exit");
	}
	return 0;
}
