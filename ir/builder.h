/* SPDX-License-Identifier: MIT */
/*
 * Building IR blocks: what a frontend calls while it decodes. Every emitter returns the new
 * temporary (or nothing); when the block runs out of room the builder marks it overflowed and
 * the frontend ends the block before the instruction being decoded (ir_block_room tells it when
 * to stop early).
 */
#ifndef PV_IR_BUILDER_H
#define PV_IR_BUILDER_H

#include "ir/ir.h"

void ir_block_init(struct ir_block *block, const struct ir_guest *guest, uint64_t guest_pc);

/* Whether at least nops more ops and ntemps more temporaries fit. */
bool ir_block_room(const struct ir_block *block, unsigned nops, unsigned ntemps);

ir_temp ir_new_temp(struct ir_block *block, enum ir_type type);
/* Appends a raw op and returns it for the caller to fill; NULL when the block is full. */
struct ir_op *ir_emit(struct ir_block *block, enum ir_opcode opcode, enum ir_type type);

/* Marks the start of a guest instruction (and counts it in guest_insns). */
void ir_insn_start(struct ir_block *block, uint64_t guest_pc);
ir_temp ir_const(struct ir_block *block, enum ir_type type, uint64_t value);
ir_temp ir_get(struct ir_block *block, enum ir_type type, size_t state_offset);
void ir_set(struct ir_block *block, enum ir_type type, size_t state_offset, ir_temp value);

/* Unary (NOT, NEG, CLZ, CTZ, POPCNT, BSWAP, FSQRT, MOV) and binary ops of one type. */
ir_temp ir_unop(struct ir_block *block, enum ir_opcode opcode, enum ir_type type, ir_temp a);
ir_temp ir_binop(struct ir_block *block, enum ir_opcode opcode, enum ir_type type, ir_temp a,
		 ir_temp b);
/* SEXT/ZEXT of the low bits (8, 16, 32) within type; TRUNC, EXTS, EXTU between I32 and I64. */
ir_temp ir_extend(struct ir_block *block, enum ir_opcode opcode, enum ir_type type, ir_temp a,
		  unsigned bits);
/* 1 or 0 as a temporary of operand_type. */
ir_temp ir_setcc(struct ir_block *block, enum ir_cond cond, enum ir_type operand_type, ir_temp a,
		 ir_temp b);
ir_temp ir_select(struct ir_block *block, enum ir_type type, ir_temp cond, ir_temp if_true,
		  ir_temp if_false);

ir_temp ir_load(struct ir_block *block, enum ir_type type, struct ir_mem mem, ir_temp addr,
		int64_t offset);
/* The stored type is value's type; mem.log2_size may be narrower (the low bytes are stored). */
void ir_store(struct ir_block *block, struct ir_mem mem, ir_temp addr, int64_t offset,
	      ir_temp value);
ir_temp ir_atomic_rmw(struct ir_block *block, enum ir_rmw rmw, enum ir_type type, struct ir_mem mem,
		      ir_temp addr, ir_temp value);
ir_temp ir_cmpxchg(struct ir_block *block, enum ir_type type, struct ir_mem mem, ir_temp addr,
		   ir_temp expected, ir_temp desired);
void ir_fence(struct ir_block *block, unsigned fence_bits);

/* FP: binary (FADD..FDIV, FMIN, FMAX), unary (FSQRT), fused (FMADD..FNMSUB), compares, converts. */
ir_temp ir_fbinop(struct ir_block *block, enum ir_opcode opcode, enum ir_type type,
		  enum ir_round round, ir_temp a, ir_temp b);
ir_temp ir_fsqrt(struct ir_block *block, enum ir_type type, enum ir_round round, ir_temp a);
ir_temp ir_ffused(struct ir_block *block, enum ir_opcode opcode, enum ir_type type,
		  enum ir_round round, ir_temp a, ir_temp b, ir_temp c);
/* FEQ, FLT, FLE on operands of type: an I64 0 or 1. */
ir_temp ir_fcompare(struct ir_block *block, enum ir_opcode opcode, enum ir_type type, ir_temp a,
		    ir_temp b);
ir_temp ir_fconvert(struct ir_block *block, enum ir_opcode opcode, enum ir_type to,
		    enum ir_type from, enum ir_round round, bool is_unsigned, ir_temp a);

/* Calls helper with up to three arguments (IR_TEMP_NONE for unused); returns its I64 result. */
ir_temp ir_call(struct ir_block *block, const struct ir_helper *helper, ir_temp a, ir_temp b,
		ir_temp c);

void ir_exit_goto(struct ir_block *block, uint64_t guest_pc);
void ir_exit_goto_if(struct ir_block *block, ir_temp cond, uint64_t guest_pc);
void ir_exit_jump(struct ir_block *block, ir_temp guest_pc);
void ir_exit_exception(struct ir_block *block, uint64_t cause, ir_temp value);
void ir_exit_state(struct ir_block *block);

#endif
