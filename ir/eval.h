/* SPDX-License-Identifier: MIT */
/*
 * The integer semantics of the IR, once: the interpreter runs them and constant folding
 * evaluates with them, so a folded block cannot disagree with an interpreted one. Values are
 * 64-bit slots; wide says I64, else I32 (low half, upper half zero).
 */
#ifndef PV_IR_EVAL_H
#define PV_IR_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/ir.h"

__extension__ typedef __int128 ir_s128;
__extension__ typedef unsigned __int128 ir_u128;

static inline uint64_t ir_fit(uint64_t v, bool wide)
{
	return wide ? v : (uint32_t)v;
}

/* The operand as a signed value of its width. */
static inline int64_t ir_sval(uint64_t v, bool wide)
{
	return wide ? (int64_t)v : (int64_t)(int32_t)v;
}

static inline uint64_t ir_sign_extend(uint64_t v, unsigned bits)
{
	return bits >= 64 ? v : (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

static inline uint64_t ir_zero_extend(uint64_t v, unsigned bits)
{
	return bits >= 64 ? v : v & ((1ull << bits) - 1);
}

/* DIV, DIVU, REM, REMU with the corner cases of ir.h. */
static inline uint64_t ir_eval_div(uint64_t a, uint64_t b, bool wide, bool is_signed, bool rem)
{
	int64_t sa, sb, min;

	if (!is_signed) {
		a = ir_fit(a, wide);
		b = ir_fit(b, wide);
		if (b == 0)
			return rem ? a : ir_fit(~0ull, wide);
		return rem ? a % b : a / b;
	}
	sa = ir_sval(a, wide);
	sb = ir_sval(b, wide);
	min = wide ? INT64_MIN : INT32_MIN;
	if (sb == 0)
		return ir_fit(rem ? (uint64_t)sa : ~0ull, wide);
	if (sa == min && sb == -1)
		return ir_fit(rem ? 0 : (uint64_t)sa, wide);
	return ir_fit(rem ? (uint64_t)(sa % sb) : (uint64_t)(sa / sb), wide);
}

static inline uint64_t ir_eval_mulh(enum ir_opcode opcode, uint64_t a, uint64_t b, bool wide)
{
	if (!wide) {
		int64_t p;

		if (opcode == IR_MULH)
			p = (int64_t)(int32_t)a * (int32_t)b;
		else if (opcode == IR_MULHU)
			p = (int64_t)((uint64_t)(uint32_t)a * (uint32_t)b);
		else
			p = (int64_t)(int32_t)a * (int64_t)(uint32_t)b;
		return (uint32_t)((uint64_t)p >> 32);
	}
	if (opcode == IR_MULH)
		return (uint64_t)((ir_u128)((ir_s128)(int64_t)a * (int64_t)b) >> 64);
	if (opcode == IR_MULHU)
		return (uint64_t)(((ir_u128)a * b) >> 64);
	return (uint64_t)((ir_u128)((ir_s128)(int64_t)a * (ir_s128)(ir_u128)b) >> 64);
}

static inline uint64_t ir_eval_rotate(uint64_t a, uint64_t b, bool wide, bool left)
{
	unsigned width = wide ? 64 : 32, n = (unsigned)(b & (width - 1));

	a = ir_fit(a, wide);
	if (n == 0)
		return a;
	if (!left)
		n = width - n;
	return ir_fit((a << n) | (a >> (width - n)), wide);
}

static inline bool ir_eval_cond(enum ir_cond cond, uint64_t a, uint64_t b, bool wide)
{
	int64_t sa = ir_sval(a, wide), sb = ir_sval(b, wide);

	a = ir_fit(a, wide);
	b = ir_fit(b, wide);
	switch (cond) {
	case IR_COND_EQ:
		return a == b;
	case IR_COND_NE:
		return a != b;
	case IR_COND_LT:
		return sa < sb;
	case IR_COND_GE:
		return sa >= sb;
	case IR_COND_LE:
		return sa <= sb;
	case IR_COND_GT:
		return sa > sb;
	case IR_COND_LTU:
		return a < b;
	case IR_COND_GEU:
		return a >= b;
	case IR_COND_LEU:
		return a <= b;
	default:
		return a > b;
	}
}

/* NOT, NEG, CLZ, CTZ, POPCNT, BSWAP. */
static inline uint64_t ir_eval_unary(enum ir_opcode opcode, uint64_t a, bool wide)
{
	unsigned width = wide ? 64 : 32;

	a = ir_fit(a, wide);
	switch (opcode) {
	case IR_NOT:
		return ir_fit(~a, wide);
	case IR_NEG:
		return ir_fit(-a, wide);
	case IR_CLZ:
		return a ? (unsigned)__builtin_clzll(a) - (64 - width) : width;
	case IR_CTZ:
		return a ? (unsigned)__builtin_ctzll(a) : width;
	case IR_POPCNT:
		return (unsigned)__builtin_popcountll(a);
	default: /* IR_BSWAP */
		return wide ? __builtin_bswap64(a) : __builtin_bswap32((uint32_t)a);
	}
}

/* ADD..MAXU on two operands (the INT_BIN shape); operands are zero-extended I32 or I64. */
static inline uint64_t ir_eval_binary(enum ir_opcode opcode, uint64_t a, uint64_t b, bool wide)
{
	unsigned mask = wide ? 63 : 31;

	switch (opcode) {
	case IR_ADD:
		return ir_fit(a + b, wide);
	case IR_SUB:
		return ir_fit(a - b, wide);
	case IR_MUL:
		return ir_fit(a * b, wide);
	case IR_MULH:
	case IR_MULHU:
	case IR_MULHSU:
		return ir_eval_mulh(opcode, a, b, wide);
	case IR_DIV:
		return ir_eval_div(a, b, wide, true, false);
	case IR_DIVU:
		return ir_eval_div(a, b, wide, false, false);
	case IR_REM:
		return ir_eval_div(a, b, wide, true, true);
	case IR_REMU:
		return ir_eval_div(a, b, wide, false, true);
	case IR_AND:
		return a & b;
	case IR_OR:
		return a | b;
	case IR_XOR:
		return a ^ b;
	case IR_SHL:
		return ir_fit(a << (b & mask), wide);
	case IR_SHR:
		return ir_fit(a, wide) >> (b & mask);
	case IR_SAR:
		return ir_fit((uint64_t)(ir_sval(a, wide) >> (b & mask)), wide);
	case IR_ROTL:
	case IR_ROTR:
		return ir_eval_rotate(a, b, wide, opcode == IR_ROTL);
	case IR_MIN:
		return ir_sval(a, wide) < ir_sval(b, wide) ? a : b;
	case IR_MAX:
		return ir_sval(a, wide) > ir_sval(b, wide) ? a : b;
	case IR_MINU:
		return a < b ? a : b;
	default: /* IR_MAXU */
		return a > b ? a : b;
	}
}

#endif
