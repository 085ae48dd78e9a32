// SPDX-License-Identifier: MIT
/* The IR printer (ir/print.h). */
#include "ir/print.h"

#include <stdarg.h>

#include "ir/info.h"

/* Appends to a fixed buffer, truncating silently (lines are short; the buffer is ample). */
struct line {
	char *buf;
	size_t len;
	size_t used;
};

__attribute__((format(printf, 2, 3))) static void put(struct line *line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (line->used >= line->len)
		return;
	va_start(ap, fmt);
	n = fmt_vsnprintf(line->buf + line->used, line->len - line->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		line->used += (size_t)n;
}

static void put_temp(struct line *line, ir_temp t)
{
	if (t == IR_TEMP_NONE)
		put(line, "-");
	else
		put(line, "t%u", t);
}

static void put_srcs(struct line *line, const struct ir_op *op, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		put(line, i ? ", " : " ");
		put_temp(line, op->src[i]);
	}
}

static void put_state(struct line *line, const struct ir_block *block, uint64_t offset)
{
	const char *name = NULL;

	if (block->guest && block->guest->state_name)
		name = block->guest->state_name((size_t)offset);
	if (name)
		put(line, "%s", name);
	else
		put(line, "state[%llu]", (unsigned long long)offset);
}

static void put_mem(struct line *line, const struct ir_op *op)
{
	put(line, ".%s%u%s.mmu%u", op->mem.sign ? "s" : "u", 8u << op->mem.log2_size,
	    op->mem.aligned ? ".aligned" : "", op->mem.mmu_idx);
	if (op->mem.order & IR_ORDER_ACQUIRE)
		put(line, ".aq");
	if (op->mem.order & IR_ORDER_RELEASE)
		put(line, ".rl");
}

void ir_print_op(const struct ir_block *block, const struct ir_op *op, char *buf, size_t len)
{
	struct line line = { buf, len, 0 };
	const struct ir_op_info *info;
	enum ir_shape shape;

	if (len)
		buf[0] = '\0';
	if (op->opcode >= IR_OPCODE_COUNT) {
		put(&line, "bad opcode %u", op->opcode);
		return;
	}
	info = &ir_op_info[op->opcode];
	shape = (enum ir_shape)info->shape;
	if (ir_shape_has_dst(shape)) {
		put_temp(&line, op->dst);
		put(&line, ":%s = ", ir_type_name(op->type));
	}
	put(&line, "%s", info->name);
	switch (shape) {
	case IR_SHAPE_MARK:
	case IR_SHAPE_GOTO:
		put(&line, " %#llx", (unsigned long long)op->imm);
		break;
	case IR_SHAPE_NONE:
		if (op->opcode == IR_FENCE)
			put(&line, " %#llx", (unsigned long long)op->imm);
		break;
	case IR_SHAPE_CONST:
		put(&line, " %#llx", (unsigned long long)op->imm);
		break;
	case IR_SHAPE_GET:
		put(&line, " ");
		put_state(&line, block, op->imm);
		break;
	case IR_SHAPE_SET:
		put(&line, ".%s ", ir_type_name(op->type));
		put_state(&line, block, op->imm);
		put(&line, ",");
		put_srcs(&line, op, 1);
		break;
	case IR_SHAPE_EXTEND:
		put(&line, ".%llu", (unsigned long long)op->imm);
		put_srcs(&line, op, 1);
		break;
	case IR_SHAPE_SETCC:
		put(&line, ".%s.%s", ir_cond_name(op->cond), ir_type_name(op->aux));
		put_srcs(&line, op, 2);
		break;
	case IR_SHAPE_LOAD:
	case IR_SHAPE_STORE:
		put_mem(&line, op);
		put(&line, " [");
		put_temp(&line, op->src[0]);
		put(&line, " + %#llx]", (unsigned long long)op->imm);
		if (shape == IR_SHAPE_STORE) {
			put(&line, ", ");
			put_temp(&line, op->src[1]);
		}
		break;
	case IR_SHAPE_RMW:
		put(&line, ".%s", ir_rmw_name(op->cond));
		put_mem(&line, op);
		put_srcs(&line, op, 2);
		break;
	case IR_SHAPE_CMPXCHG:
		put_mem(&line, op);
		put_srcs(&line, op, 3);
		break;
	case IR_SHAPE_FP_CMP:
		put(&line, ".%s", ir_type_name(op->aux));
		put_srcs(&line, op, 2);
		break;
	case IR_SHAPE_F2I:
	case IR_SHAPE_I2F:
	case IR_SHAPE_F2F:
		put(&line, ".%s%s.%s", ir_type_name(op->aux),
		    op->imm & IR_FCVT_UNSIGNED ? ".unsigned" : "", ir_round_name(op->cond));
		put_srcs(&line, op, 1);
		break;
	case IR_SHAPE_FP_UN:
	case IR_SHAPE_FP_BIN:
	case IR_SHAPE_FP_TERN:
		if (info->flags & IR_INFO_ROUND)
			put(&line, ".%s", ir_round_name(op->cond));
		put_srcs(&line, op, ir_shape_nsrc(shape));
		break;
	case IR_SHAPE_CALL: {
		const struct ir_helper *helper = (const struct ir_helper *)(uintptr_t)op->imm;

		put(&line, " %s(", helper && helper->name ? helper->name : "?");
		put_temp(&line, op->src[0]);
		put(&line, ", ");
		put_temp(&line, op->src[1]);
		put(&line, ", ");
		put_temp(&line, op->src[2]);
		put(&line, ")");
		break;
	}
	case IR_SHAPE_GOTO_IF:
		put_srcs(&line, op, 1);
		put(&line, ", %#llx", (unsigned long long)op->imm);
		break;
	case IR_SHAPE_EXCEPTION:
		put(&line, " %#llx,", (unsigned long long)op->imm);
		put_srcs(&line, op, 1);
		break;
	default:
		put_srcs(&line, op, ir_shape_nsrc(shape));
		break;
	}
}

void ir_print(const struct ir_block *block, fmt_sink_fn sink, void *ctx)
{
	char buf[256];
	struct line line = { buf, sizeof(buf), 0 };
	unsigned i;

	put(&line, "block %#llx (phys %#llx, mmu %u, %u insns, %u ops, %u temps)\n",
	    (unsigned long long)block->guest_pc, (unsigned long long)block->guest_phys,
	    block->mmu_idx, block->guest_insns, block->nops, block->ntemps);
	sink(ctx, buf, line.used);
	for (i = 0; i < block->nops; i++) {
		size_t n;

		buf[0] = buf[1] = ' ';
		ir_print_op(block, &block->ops[i], buf + 2, sizeof(buf) - 3);
		for (n = 2; buf[n]; n++)
			;
		buf[n++] = '\n';
		sink(ctx, buf, n);
	}
}
