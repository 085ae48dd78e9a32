// SPDX-License-Identifier: MIT
/* The opcode table of ir/info.h. */
#include "ir/info.h"

#include "lib/compiler.h"

#define OP(op, text, shape_, flags_) [op] = { .name = text, .shape = shape_, .flags = flags_ }
#define FP_ROUND (IR_INFO_FP | IR_INFO_EFFECT | IR_INFO_ROUND)
#define FP_FLAGS (IR_INFO_FP | IR_INFO_EFFECT)

const struct ir_op_info ir_op_info[IR_OPCODE_COUNT] = {
	OP(IR_NOP, "nop", IR_SHAPE_NONE, 0),
	OP(IR_INSN_START, "insn", IR_SHAPE_MARK, IR_INFO_EFFECT),
	OP(IR_CONST, "const", IR_SHAPE_CONST, 0),
	OP(IR_MOV, "mov", IR_SHAPE_MOV, 0),
	OP(IR_GET, "get", IR_SHAPE_GET, 0),
	OP(IR_SET, "set", IR_SHAPE_SET, IR_INFO_EFFECT),
	OP(IR_ADD, "add", IR_SHAPE_INT_BIN, 0),
	OP(IR_SUB, "sub", IR_SHAPE_INT_BIN, 0),
	OP(IR_MUL, "mul", IR_SHAPE_INT_BIN, 0),
	OP(IR_MULH, "mulh", IR_SHAPE_INT_BIN, 0),
	OP(IR_MULHU, "mulhu", IR_SHAPE_INT_BIN, 0),
	OP(IR_MULHSU, "mulhsu", IR_SHAPE_INT_BIN, 0),
	OP(IR_DIV, "div", IR_SHAPE_INT_BIN, 0),
	OP(IR_DIVU, "divu", IR_SHAPE_INT_BIN, 0),
	OP(IR_REM, "rem", IR_SHAPE_INT_BIN, 0),
	OP(IR_REMU, "remu", IR_SHAPE_INT_BIN, 0),
	OP(IR_AND, "and", IR_SHAPE_INT_BIN, 0),
	OP(IR_OR, "or", IR_SHAPE_INT_BIN, 0),
	OP(IR_XOR, "xor", IR_SHAPE_INT_BIN, 0),
	OP(IR_NOT, "not", IR_SHAPE_INT_UN, 0),
	OP(IR_NEG, "neg", IR_SHAPE_INT_UN, 0),
	OP(IR_SHL, "shl", IR_SHAPE_INT_BIN, 0),
	OP(IR_SHR, "shr", IR_SHAPE_INT_BIN, 0),
	OP(IR_SAR, "sar", IR_SHAPE_INT_BIN, 0),
	OP(IR_ROTL, "rotl", IR_SHAPE_INT_BIN, 0),
	OP(IR_ROTR, "rotr", IR_SHAPE_INT_BIN, 0),
	OP(IR_CLZ, "clz", IR_SHAPE_INT_UN, 0),
	OP(IR_CTZ, "ctz", IR_SHAPE_INT_UN, 0),
	OP(IR_POPCNT, "popcnt", IR_SHAPE_INT_UN, 0),
	OP(IR_BSWAP, "bswap", IR_SHAPE_INT_UN, 0),
	OP(IR_MIN, "min", IR_SHAPE_INT_BIN, 0),
	OP(IR_MAX, "max", IR_SHAPE_INT_BIN, 0),
	OP(IR_MINU, "minu", IR_SHAPE_INT_BIN, 0),
	OP(IR_MAXU, "maxu", IR_SHAPE_INT_BIN, 0),
	OP(IR_SEXT, "sext", IR_SHAPE_EXTEND, 0),
	OP(IR_ZEXT, "zext", IR_SHAPE_EXTEND, 0),
	OP(IR_TRUNC, "trunc", IR_SHAPE_TRUNC, 0),
	OP(IR_EXTS, "exts", IR_SHAPE_WIDEN, 0),
	OP(IR_EXTU, "extu", IR_SHAPE_WIDEN, 0),
	OP(IR_SETCC, "setcc", IR_SHAPE_SETCC, 0),
	OP(IR_SELECT, "select", IR_SHAPE_SELECT, 0),
	OP(IR_LOAD, "load", IR_SHAPE_LOAD, IR_INFO_EFFECT | IR_INFO_MEM),
	OP(IR_STORE, "store", IR_SHAPE_STORE, IR_INFO_EFFECT | IR_INFO_MEM),
	OP(IR_ATOMIC_RMW, "atomic", IR_SHAPE_RMW, IR_INFO_EFFECT | IR_INFO_MEM),
	OP(IR_CMPXCHG, "cmpxchg", IR_SHAPE_CMPXCHG, IR_INFO_EFFECT | IR_INFO_MEM),
	OP(IR_FENCE, "fence", IR_SHAPE_NONE, IR_INFO_EFFECT),
	OP(IR_FADD, "fadd", IR_SHAPE_FP_BIN, FP_ROUND),
	OP(IR_FSUB, "fsub", IR_SHAPE_FP_BIN, FP_ROUND),
	OP(IR_FMUL, "fmul", IR_SHAPE_FP_BIN, FP_ROUND),
	OP(IR_FDIV, "fdiv", IR_SHAPE_FP_BIN, FP_ROUND),
	OP(IR_FSQRT, "fsqrt", IR_SHAPE_FP_UN, FP_ROUND),
	OP(IR_FMADD, "fmadd", IR_SHAPE_FP_TERN, FP_ROUND),
	OP(IR_FMSUB, "fmsub", IR_SHAPE_FP_TERN, FP_ROUND),
	OP(IR_FNMADD, "fnmadd", IR_SHAPE_FP_TERN, FP_ROUND),
	OP(IR_FNMSUB, "fnmsub", IR_SHAPE_FP_TERN, FP_ROUND),
	OP(IR_FMIN, "fmin", IR_SHAPE_FP_BIN, FP_FLAGS),
	OP(IR_FMAX, "fmax", IR_SHAPE_FP_BIN, FP_FLAGS),
	OP(IR_FEQ, "feq", IR_SHAPE_FP_CMP, FP_FLAGS),
	OP(IR_FLT, "flt", IR_SHAPE_FP_CMP, FP_FLAGS),
	OP(IR_FLE, "fle", IR_SHAPE_FP_CMP, FP_FLAGS),
	OP(IR_FCVT_F2I, "fcvt.f2i", IR_SHAPE_F2I, FP_ROUND),
	OP(IR_FCVT_I2F, "fcvt.i2f", IR_SHAPE_I2F, FP_ROUND),
	OP(IR_FCVT_F2F, "fcvt.f2f", IR_SHAPE_F2F, FP_ROUND),
	OP(IR_CALL, "call", IR_SHAPE_CALL, IR_INFO_EFFECT),
	OP(IR_EXIT_GOTO, "goto", IR_SHAPE_GOTO, IR_INFO_EFFECT | IR_INFO_EXIT | IR_INFO_ENDS),
	OP(IR_EXIT_GOTO_IF, "goto_if", IR_SHAPE_GOTO_IF, IR_INFO_EFFECT | IR_INFO_EXIT),
	OP(IR_EXIT_JUMP, "jump", IR_SHAPE_JUMP, IR_INFO_EFFECT | IR_INFO_EXIT | IR_INFO_ENDS),
	OP(IR_EXIT_EXCEPTION, "exception", IR_SHAPE_EXCEPTION,
	   IR_INFO_EFFECT | IR_INFO_EXIT | IR_INFO_ENDS),
	OP(IR_EXIT_STATE, "exit_state", IR_SHAPE_EXIT_STATE,
	   IR_INFO_EFFECT | IR_INFO_EXIT | IR_INFO_ENDS),
};

static const uint8_t shape_nsrc[] = {
	[IR_SHAPE_NONE] = 0,   [IR_SHAPE_MARK] = 0,	 [IR_SHAPE_CONST] = 0,
	[IR_SHAPE_MOV] = 1,    [IR_SHAPE_GET] = 0,	 [IR_SHAPE_SET] = 1,
	[IR_SHAPE_INT_UN] = 1, [IR_SHAPE_INT_BIN] = 2,	 [IR_SHAPE_EXTEND] = 1,
	[IR_SHAPE_TRUNC] = 1,  [IR_SHAPE_WIDEN] = 1,	 [IR_SHAPE_SETCC] = 2,
	[IR_SHAPE_SELECT] = 3, [IR_SHAPE_LOAD] = 1,	 [IR_SHAPE_STORE] = 2,
	[IR_SHAPE_RMW] = 2,    [IR_SHAPE_CMPXCHG] = 3,	 [IR_SHAPE_FP_UN] = 1,
	[IR_SHAPE_FP_BIN] = 2, [IR_SHAPE_FP_TERN] = 3,	 [IR_SHAPE_FP_CMP] = 2,
	[IR_SHAPE_F2I] = 1,    [IR_SHAPE_I2F] = 1,	 [IR_SHAPE_F2F] = 1,
	[IR_SHAPE_CALL] = 3,   [IR_SHAPE_GOTO] = 0,	 [IR_SHAPE_GOTO_IF] = 1,
	[IR_SHAPE_JUMP] = 1,   [IR_SHAPE_EXCEPTION] = 1, [IR_SHAPE_EXIT_STATE] = 0,
};

unsigned ir_shape_nsrc(enum ir_shape shape)
{
	return shape_nsrc[shape];
}

bool ir_shape_has_dst(enum ir_shape shape)
{
	switch (shape) {
	case IR_SHAPE_NONE:
	case IR_SHAPE_MARK:
	case IR_SHAPE_SET:
	case IR_SHAPE_STORE:
	case IR_SHAPE_GOTO:
	case IR_SHAPE_GOTO_IF:
	case IR_SHAPE_JUMP:
	case IR_SHAPE_EXCEPTION:
	case IR_SHAPE_EXIT_STATE:
		return false;
	default:
		return true;
	}
}

static const char *const type_names[] = {
	[IR_TYPE_NONE] = "none", [IR_I32] = "i32", [IR_I64] = "i64",
	[IR_F32] = "f32",	 [IR_F64] = "f64", [IR_V128] = "v128",
};

static const char *const cond_names[] = {
	[IR_COND_EQ] = "eq",   [IR_COND_NE] = "ne",   [IR_COND_LT] = "lt",   [IR_COND_GE] = "ge",
	[IR_COND_LE] = "le",   [IR_COND_GT] = "gt",   [IR_COND_LTU] = "ltu", [IR_COND_GEU] = "geu",
	[IR_COND_LEU] = "leu", [IR_COND_GTU] = "gtu",
};

static const char *const rmw_names[] = {
	[IR_RMW_XCHG] = "xchg", [IR_RMW_ADD] = "add",	[IR_RMW_AND] = "and",
	[IR_RMW_OR] = "or",	[IR_RMW_XOR] = "xor",	[IR_RMW_MIN] = "min",
	[IR_RMW_MAX] = "max",	[IR_RMW_MINU] = "minu", [IR_RMW_MAXU] = "maxu",
};

static const char *const round_names[] = {
	[IR_ROUND_NEAREST_EVEN] = "rne", [IR_ROUND_TO_ZERO] = "rtz",	 [IR_ROUND_DOWN] = "rdn",
	[IR_ROUND_UP] = "rup",		 [IR_ROUND_NEAREST_MAX] = "rmm", [IR_ROUND_DYNAMIC] = "dyn",
};

#define NAME_OR_QUESTION(table, index) \
	((unsigned)(index) < ARRAY_SIZE(table) && (table)[index] ? (table)[index] : "?")

const char *ir_type_name(enum ir_type type)
{
	return NAME_OR_QUESTION(type_names, type);
}

const char *ir_cond_name(enum ir_cond cond)
{
	return NAME_OR_QUESTION(cond_names, cond);
}

const char *ir_rmw_name(enum ir_rmw rmw)
{
	return NAME_OR_QUESTION(rmw_names, rmw);
}

const char *ir_round_name(enum ir_round round)
{
	return NAME_OR_QUESTION(round_names, round);
}
