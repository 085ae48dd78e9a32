/* SPDX-License-Identifier: MIT */
/*
 * What each IR opcode looks like, as data: its printed name, which operands it uses and what it
 * may do besides computing dst. The verifier, the printer and the passes read this one table, so
 * a new opcode is described once.
 */
#ifndef PV_IR_INFO_H
#define PV_IR_INFO_H

#include "ir/ir.h"

/* Operand and type rules, checked by ir_verify and relied on by every backend. */
enum ir_shape {
	IR_SHAPE_NONE, /* NOP, FENCE: no operands */
	IR_SHAPE_MARK, /* INSN_START */
	IR_SHAPE_CONST, /* dst of any scalar type, imm */
	IR_SHAPE_MOV, /* dst and src0 of one type */
	IR_SHAPE_GET, /* dst of any scalar type, imm: state offset */
	IR_SHAPE_SET, /* src0 of type, imm: state offset */
	IR_SHAPE_INT_UN, /* I32/I64: dst, src0 */
	IR_SHAPE_INT_BIN, /* I32/I64: dst, src0, src1 */
	IR_SHAPE_EXTEND, /* SEXT/ZEXT within I32/I64, imm bits */
	IR_SHAPE_TRUNC, /* I32 dst from I64 src0 */
	IR_SHAPE_WIDEN, /* I64 dst from I32 src0 */
	IR_SHAPE_SETCC, /* integer dst, src0/src1 of aux type */
	IR_SHAPE_SELECT, /* dst of type, src0 integer, src1/src2 of type */
	IR_SHAPE_LOAD, /* I32/I64 dst, I64 address */
	IR_SHAPE_STORE, /* I64 address, src1 of type */
	IR_SHAPE_RMW, /* I32/I64 dst, I64 address, src1 of type */
	IR_SHAPE_CMPXCHG, /* I32/I64 dst, I64 address, src1/src2 of type */
	IR_SHAPE_FP_UN, /* F32/F64 dst and src0 */
	IR_SHAPE_FP_BIN, /* F32/F64 dst, src0, src1 */
	IR_SHAPE_FP_TERN, /* F32/F64 dst, src0..2 */
	IR_SHAPE_FP_CMP, /* I64 dst, src0/src1 of aux (F32/F64) */
	IR_SHAPE_F2I, /* integer dst, float src0 of aux */
	IR_SHAPE_I2F, /* float dst, integer src0 of aux */
	IR_SHAPE_F2F, /* float dst, float src0 of aux */
	IR_SHAPE_CALL, /* I64 dst, up to nargs integer arguments */
	IR_SHAPE_GOTO, /* imm: next PC */
	IR_SHAPE_GOTO_IF, /* integer src0, imm */
	IR_SHAPE_JUMP, /* I64 src0 */
	IR_SHAPE_EXCEPTION, /* I64 src0 or none, imm cause */
	IR_SHAPE_EXIT_STATE, /* nothing */
};

/* ir_op_info.flags */
#define IR_INFO_EFFECT 0x1u /* must stay even when dst is unused (memory, state, flags, exits) */
#define IR_INFO_EXIT 0x2u /* leaves the block (always, or when taken) */
#define IR_INFO_ENDS 0x4u /* ends the block unconditionally: nothing may follow */
#define IR_INFO_FP 0x8u /* reads the rounding mode, accumulates IEEE flags */
#define IR_INFO_MEM 0x10u /* accesses guest memory through ir_op.mem */
#define IR_INFO_ROUND 0x20u /* ir_op.cond is an enum ir_round */

struct ir_op_info {
	const char *name;
	uint8_t shape; /* enum ir_shape */
	uint8_t flags; /* IR_INFO_* */
};

extern const struct ir_op_info ir_op_info[IR_OPCODE_COUNT];

/* The number of source operands an op of this shape reads (CALL: up to 3). */
unsigned ir_shape_nsrc(enum ir_shape shape);
/* Whether the shape writes dst. */
bool ir_shape_has_dst(enum ir_shape shape);

/* Names for printing. */
const char *ir_type_name(enum ir_type type);
const char *ir_cond_name(enum ir_cond cond);
const char *ir_rmw_name(enum ir_rmw rmw);
const char *ir_round_name(enum ir_round round);

#endif
