// SPDX-License-Identifier: MIT
/*
 * The IR builder (ir/builder.h). Emitters never fail loudly: when the block is full they mark it
 * overflowed and return IR_TEMP_NONE, which the verifier then rejects, so a frontend that checked
 * ir_block_room before an instruction never sees an overflow and one that did not cannot run a
 * truncated block.
 */
#include "ir/builder.h"

#include <string.h>

void ir_block_init(struct ir_block *block, const struct ir_guest *guest, uint64_t guest_pc)
{
	block->guest = guest;
	block->guest_pc = guest_pc;
	block->guest_phys = 0;
	block->guest_bytes = 0;
	block->guest_insns = 0;
	block->mmu_idx = 0;
	block->flags = 0;
	block->phys_page2 = IR_NO_PAGE;
	block->nops = 0;
	block->ntemps = 0;
	block->overflow = false;
}

bool ir_block_room(const struct ir_block *block, unsigned nops, unsigned ntemps)
{
	return !block->overflow && block->nops + nops <= IR_BLOCK_MAX_OPS &&
	       block->ntemps + ntemps <= IR_BLOCK_MAX_TEMPS;
}

ir_temp ir_new_temp(struct ir_block *block, enum ir_type type)
{
	if (block->ntemps >= IR_BLOCK_MAX_TEMPS) {
		block->overflow = true;
		return IR_TEMP_NONE;
	}
	block->temp_type[block->ntemps] = (uint8_t)type;
	return block->ntemps++;
}

struct ir_op *ir_emit(struct ir_block *block, enum ir_opcode opcode, enum ir_type type)
{
	struct ir_op *op;

	if (block->nops >= IR_BLOCK_MAX_OPS) {
		block->overflow = true;
		return NULL;
	}
	op = &block->ops[block->nops++];
	memset(op, 0, sizeof(*op));
	op->opcode = (uint8_t)opcode;
	op->type = (uint8_t)type;
	op->dst = IR_TEMP_NONE;
	op->src[0] = op->src[1] = op->src[2] = IR_TEMP_NONE;
	return op;
}

/* Emits an op with a fresh dst of type; NULL (block overflowed) when either does not fit. */
static struct ir_op *emit_def(struct ir_block *block, enum ir_opcode opcode, enum ir_type type)
{
	ir_temp dst = ir_new_temp(block, type);
	struct ir_op *op;

	if (dst == IR_TEMP_NONE)
		return NULL;
	op = ir_emit(block, opcode, type);
	if (op)
		op->dst = dst;
	return op;
}

static ir_temp dst_of(const struct ir_op *op)
{
	return op ? op->dst : IR_TEMP_NONE;
}

void ir_insn_start(struct ir_block *block, uint64_t guest_pc)
{
	struct ir_op *op = ir_emit(block, IR_INSN_START, IR_TYPE_NONE);

	if (op) {
		op->imm = guest_pc;
		block->guest_insns++;
	}
}

ir_temp ir_const(struct ir_block *block, enum ir_type type, uint64_t value)
{
	struct ir_op *op = emit_def(block, IR_CONST, type);

	if (op)
		op->imm = type == IR_I32 || type == IR_F32 ? (uint32_t)value : value;
	return dst_of(op);
}

ir_temp ir_get(struct ir_block *block, enum ir_type type, size_t state_offset)
{
	struct ir_op *op = emit_def(block, IR_GET, type);

	if (op)
		op->imm = state_offset;
	return dst_of(op);
}

void ir_set(struct ir_block *block, enum ir_type type, size_t state_offset, ir_temp value)
{
	struct ir_op *op = ir_emit(block, IR_SET, type);

	if (op) {
		op->imm = state_offset;
		op->src[0] = value;
	}
}

ir_temp ir_unop(struct ir_block *block, enum ir_opcode opcode, enum ir_type type, ir_temp a)
{
	struct ir_op *op = emit_def(block, opcode, type);

	if (op)
		op->src[0] = a;
	return dst_of(op);
}

ir_temp ir_binop(struct ir_block *block, enum ir_opcode opcode, enum ir_type type, ir_temp a,
		 ir_temp b)
{
	struct ir_op *op = emit_def(block, opcode, type);

	if (op) {
		op->src[0] = a;
		op->src[1] = b;
	}
	return dst_of(op);
}

ir_temp ir_extend(struct ir_block *block, enum ir_opcode opcode, enum ir_type type, ir_temp a,
		  unsigned bits)
{
	struct ir_op *op = emit_def(block, opcode, type);

	if (op) {
		op->src[0] = a;
		op->imm = bits;
	}
	return dst_of(op);
}

ir_temp ir_setcc(struct ir_block *block, enum ir_cond cond, enum ir_type operand_type, ir_temp a,
		 ir_temp b)
{
	struct ir_op *op = emit_def(block, IR_SETCC, operand_type);

	if (op) {
		op->cond = (uint8_t)cond;
		op->aux = (uint8_t)operand_type;
		op->src[0] = a;
		op->src[1] = b;
	}
	return dst_of(op);
}

ir_temp ir_select(struct ir_block *block, enum ir_type type, ir_temp cond, ir_temp if_true,
		  ir_temp if_false)
{
	struct ir_op *op = emit_def(block, IR_SELECT, type);

	if (op) {
		op->src[0] = cond;
		op->src[1] = if_true;
		op->src[2] = if_false;
	}
	return dst_of(op);
}

ir_temp ir_load(struct ir_block *block, enum ir_type type, struct ir_mem mem, ir_temp addr,
		int64_t offset)
{
	struct ir_op *op = emit_def(block, IR_LOAD, type);

	if (op) {
		op->mem = mem;
		op->src[0] = addr;
		op->imm = (uint64_t)offset;
	}
	return dst_of(op);
}

void ir_store(struct ir_block *block, struct ir_mem mem, ir_temp addr, int64_t offset,
	      ir_temp value)
{
	enum ir_type type = value < block->ntemps ? block->temp_type[value] : IR_TYPE_NONE;
	struct ir_op *op = ir_emit(block, IR_STORE, type);

	if (op) {
		op->mem = mem;
		op->src[0] = addr;
		op->src[1] = value;
		op->imm = (uint64_t)offset;
	}
}

ir_temp ir_atomic_rmw(struct ir_block *block, enum ir_rmw rmw, enum ir_type type, struct ir_mem mem,
		      ir_temp addr, ir_temp value)
{
	struct ir_op *op = emit_def(block, IR_ATOMIC_RMW, type);

	if (op) {
		op->cond = (uint8_t)rmw;
		op->mem = mem;
		op->src[0] = addr;
		op->src[1] = value;
	}
	return dst_of(op);
}

ir_temp ir_cmpxchg(struct ir_block *block, enum ir_type type, struct ir_mem mem, ir_temp addr,
		   ir_temp expected, ir_temp desired)
{
	struct ir_op *op = emit_def(block, IR_CMPXCHG, type);

	if (op) {
		op->mem = mem;
		op->src[0] = addr;
		op->src[1] = expected;
		op->src[2] = desired;
	}
	return dst_of(op);
}

void ir_fence(struct ir_block *block, unsigned fence_bits)
{
	struct ir_op *op = ir_emit(block, IR_FENCE, IR_TYPE_NONE);

	if (op)
		op->imm = fence_bits;
}

ir_temp ir_fbinop(struct ir_block *block, enum ir_opcode opcode, enum ir_type type,
		  enum ir_round round, ir_temp a, ir_temp b)
{
	struct ir_op *op = emit_def(block, opcode, type);

	if (op) {
		op->cond = (uint8_t)round;
		op->src[0] = a;
		op->src[1] = b;
	}
	return dst_of(op);
}

ir_temp ir_fsqrt(struct ir_block *block, enum ir_type type, enum ir_round round, ir_temp a)
{
	struct ir_op *op = emit_def(block, IR_FSQRT, type);

	if (op) {
		op->cond = (uint8_t)round;
		op->src[0] = a;
	}
	return dst_of(op);
}

ir_temp ir_ffused(struct ir_block *block, enum ir_opcode opcode, enum ir_type type,
		  enum ir_round round, ir_temp a, ir_temp b, ir_temp c)
{
	struct ir_op *op = emit_def(block, opcode, type);

	if (op) {
		op->cond = (uint8_t)round;
		op->src[0] = a;
		op->src[1] = b;
		op->src[2] = c;
	}
	return dst_of(op);
}

ir_temp ir_fcompare(struct ir_block *block, enum ir_opcode opcode, enum ir_type type, ir_temp a,
		    ir_temp b)
{
	struct ir_op *op = emit_def(block, opcode, IR_I64);

	if (op) {
		op->aux = (uint8_t)type;
		op->src[0] = a;
		op->src[1] = b;
	}
	return dst_of(op);
}

ir_temp ir_fconvert(struct ir_block *block, enum ir_opcode opcode, enum ir_type to,
		    enum ir_type from, enum ir_round round, bool is_unsigned, ir_temp a)
{
	struct ir_op *op = emit_def(block, opcode, to);

	if (op) {
		op->aux = (uint8_t)from;
		op->cond = (uint8_t)round;
		op->imm = is_unsigned ? IR_FCVT_UNSIGNED : 0;
		op->src[0] = a;
	}
	return dst_of(op);
}

ir_temp ir_call(struct ir_block *block, const struct ir_helper *helper, ir_temp a, ir_temp b,
		ir_temp c)
{
	struct ir_op *op = emit_def(block, IR_CALL, IR_I64);

	if (op) {
		op->imm = (uint64_t)(uintptr_t)helper;
		op->src[0] = a;
		op->src[1] = b;
		op->src[2] = c;
	}
	return dst_of(op);
}

void ir_exit_goto(struct ir_block *block, uint64_t guest_pc)
{
	struct ir_op *op = ir_emit(block, IR_EXIT_GOTO, IR_TYPE_NONE);

	if (op)
		op->imm = guest_pc;
}

void ir_exit_goto_if(struct ir_block *block, ir_temp cond, uint64_t guest_pc)
{
	struct ir_op *op = ir_emit(block, IR_EXIT_GOTO_IF, IR_TYPE_NONE);

	if (op) {
		op->src[0] = cond;
		op->imm = guest_pc;
	}
}

void ir_exit_jump(struct ir_block *block, ir_temp guest_pc)
{
	struct ir_op *op = ir_emit(block, IR_EXIT_JUMP, IR_TYPE_NONE);

	if (op)
		op->src[0] = guest_pc;
}

void ir_exit_exception(struct ir_block *block, uint64_t cause, ir_temp value)
{
	struct ir_op *op = ir_emit(block, IR_EXIT_EXCEPTION, IR_TYPE_NONE);

	if (op) {
		op->imm = cause;
		op->src[0] = value;
	}
}

void ir_exit_state(struct ir_block *block)
{
	ir_emit(block, IR_EXIT_STATE, IR_TYPE_NONE);
}
