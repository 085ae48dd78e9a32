// SPDX-License-Identifier: MIT
/*
 * The riscv64 frontend: decodes RV64GC (I, M, A, F, D, C, Zicsr, Zifencei, Zba, Zbb, Zbs,
 * Zicbom, Zicboz) from the hart's PC into one IR block. Major opcodes dispatch through a table;
 * the integer ALU, AMO and FP forms are tables of (mask, match) rows. Compressed instructions are
 * expanded into their 32-bit equivalents (compress.c) and decoded by the same tables, so both
 * produce the same IR; their own 16 bits are what an illegal-instruction trap reports.
 *
 * An instruction ends its block when it branches or jumps, raises, or changes state the next
 * block's translation depends on (CSR writes, xRET, fence.i, sfence.vma, WFI); emu.c also ends
 * blocks at page boundaries and a size limit.
 */
#include <stddef.h>
#include <stdint.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/decode.h"
#include "arch/riscv64/guest/helpers.h"
#include "arch/riscv64/guest/mmu.h"
#include "ir/builder.h"
#include "lib/compiler.h"

struct rv_dc {
	struct ir_block *b;
	const struct rv_cpu *cpu;
	uint64_t pc; /* this instruction */
	uint32_t insn; /* its 32-bit form */
	uint32_t raw; /* as fetched: 16 bits for a compressed instruction */
	unsigned len; /* 2 or 4 */
	unsigned mem_idx; /* MMU index of loads and stores */
	uint32_t flags; /* rv_block_flags at translation */
	bool fp_dirtied; /* this block already set mstatus.FS to Dirty */
	bool end; /* the instruction ended the block */
	unsigned index; /* of this instruction in its block */
};

#define RV_RD(i) (((i) >> 7) & 31u)
#define RV_RS1(i) (((i) >> 15) & 31u)
#define RV_RS2(i) (((i) >> 20) & 31u)
#define RV_RS3(i) ((i) >> 27)
#define RV_F3(i) (((i) >> 12) & 7u)
#define RV_F7(i) ((i) >> 25)

/* The low bits of value as a signed number. */
static int64_t rv_sext(uint64_t value, unsigned bits)
{
	return (int64_t)(value << (64 - bits)) >> (64 - bits);
}

static int64_t rv_imm_i(uint32_t i)
{
	return rv_sext(i >> 20, 12);
}

static int64_t rv_imm_s(uint32_t i)
{
	return rv_sext(((i >> 25) << 5) | ((i >> 7) & 31u), 12);
}

static int64_t rv_imm_b(uint32_t i)
{
	return rv_sext(((i >> 31) << 12) | (((i >> 7) & 1u) << 11) | (((i >> 25) & 0x3fu) << 5) |
			       (((i >> 8) & 0xfu) << 1),
		       13);
}

static int64_t rv_imm_u(uint32_t i)
{
	return rv_sext(i & 0xfffff000u, 32);
}

static int64_t rv_imm_j(uint32_t i)
{
	return rv_sext(((i >> 31) << 20) | (((i >> 12) & 0xffu) << 12) | (((i >> 20) & 1u) << 11) |
			       (((i >> 21) & 0x3ffu) << 1),
		       21);
}

/* ---- state access ---------------------------------------------------------------------------- */

#define RV_X_OFF(r) (offsetof(struct rv_cpu, x) + 8u * (r))
#define RV_F_OFF(r) (offsetof(struct rv_cpu, f) + 8u * (r))
#define RV_FIELD(name) offsetof(struct rv_cpu, name)

static ir_temp rv_c64(struct rv_dc *dc, uint64_t value)
{
	return ir_const(dc->b, IR_I64, value);
}

static ir_temp rv_c32(struct rv_dc *dc, uint32_t value)
{
	return ir_const(dc->b, IR_I32, value);
}

static ir_temp rv_get_x(struct rv_dc *dc, unsigned r)
{
	return r == 0 ? rv_c64(dc, 0) : ir_get(dc->b, IR_I64, RV_X_OFF(r));
}

static void rv_set_x(struct rv_dc *dc, unsigned r, ir_temp value)
{
	if (r != 0)
		ir_set(dc->b, IR_I64, RV_X_OFF(r), value);
}

/* A SETCC whose result is I64 0/1, whatever the operands' type. */
static ir_temp rv_setcc(struct rv_dc *dc, enum ir_cond cond, enum ir_type type, ir_temp a,
			ir_temp b)
{
	struct ir_op *op = ir_emit(dc->b, IR_SETCC, IR_I64);

	if (!op)
		return IR_TEMP_NONE;
	op->cond = (uint8_t)cond;
	op->aux = (uint8_t)type;
	op->src[0] = a;
	op->src[1] = b;
	op->dst = ir_new_temp(dc->b, IR_I64);
	return op->dst;
}

static ir_temp rv_sext32(struct rv_dc *dc, ir_temp word)
{
	return ir_extend(dc->b, IR_EXTS, IR_I64, word, 32);
}

static ir_temp rv_trunc(struct rv_dc *dc, ir_temp value)
{
	return ir_extend(dc->b, IR_TRUNC, IR_I32, value, 32);
}

/* A single-precision operand: an f register that is not NaN-boxed reads as the canonical NaN. */
static ir_temp rv_get_f32_as(struct rv_dc *dc, unsigned r, enum ir_type type)
{
	ir_temp hi = ir_get(dc->b, IR_I32, RV_F_OFF(r) + 4);
	ir_temp boxed = rv_setcc(dc, IR_COND_EQ, IR_I32, hi, rv_c32(dc, 0xffffffffu));
	ir_temp value = ir_get(dc->b, type, RV_F_OFF(r));

	return ir_select(dc->b, type, boxed, value, ir_const(dc->b, type, 0x7fc00000u));
}

static ir_temp rv_get_f(struct rv_dc *dc, unsigned r, bool dbl)
{
	return dbl ? ir_get(dc->b, IR_F64, RV_F_OFF(r)) : rv_get_f32_as(dc, r, IR_F32);
}

/* Any write to the FP registers or fcsr makes mstatus.FS Dirty, once per block. */
static void rv_fp_dirty(struct rv_dc *dc)
{
	ir_temp status;

	if (dc->fp_dirtied || (dc->flags & RV_BLOCK_FS_MASK) == RV_BLOCK_FS_DIRTY)
		return;
	status = ir_get(dc->b, IR_I64, RV_FIELD(mstatus));
	status = ir_binop(dc->b, IR_OR, IR_I64, status,
			  rv_c64(dc, RV_MSTATUS_FS_DIRTY | RV_MSTATUS_SD));
	ir_set(dc->b, IR_I64, RV_FIELD(mstatus), status);
	dc->fp_dirtied = true;
}

/* Writes a single (or the I32 bits of one), NaN-boxed. */
static void rv_set_f32(struct rv_dc *dc, unsigned r, enum ir_type type, ir_temp value)
{
	rv_fp_dirty(dc);
	ir_set(dc->b, type, RV_F_OFF(r), value);
	ir_set(dc->b, IR_I32, RV_F_OFF(r) + 4, rv_c32(dc, 0xffffffffu));
}

static void rv_set_f(struct rv_dc *dc, unsigned r, bool dbl, ir_temp value)
{
	if (dbl) {
		rv_fp_dirty(dc);
		ir_set(dc->b, IR_F64, RV_F_OFF(r), value);
	} else {
		rv_set_f32(dc, r, IR_F32, value);
	}
}

static struct ir_mem rv_mem(struct rv_dc *dc, unsigned log2_size, bool sign, bool aligned)
{
	return (struct ir_mem){ .log2_size = (uint8_t)log2_size,
				.sign = sign,
				.aligned = aligned,
				.mmu_idx = (uint8_t)dc->mem_idx };
}

/* ---- block exits ----------------------------------------------------------------------------- */

static void rv_end_goto(struct rv_dc *dc, uint64_t pc)
{
	ir_exit_goto(dc->b, pc);
	dc->end = true;
}

/* After an instruction that changed state the next block's lookup must see: no chaining. */
static void rv_end_state(struct rv_dc *dc)
{
	ir_set(dc->b, IR_I64, RV_FIELD(pc), rv_c64(dc, dc->pc + dc->len));
	ir_exit_state(dc->b);
	dc->end = true;
}

static void rv_illegal(struct rv_dc *dc)
{
	ir_exit_exception(dc->b, RV_EXC_ILLEGAL_INSN, rv_c64(dc, dc->raw));
	dc->end = true;
}

/* ---- integer ALU: one table for OP, OP-32, OP-IMM and OP-IMM-32 --------------------------------- */

enum rv_operand {
	RV_OPND_REG, /* rs2 */
	RV_OPND_IMM, /* I-type immediate */
	RV_OPND_SHAMT, /* imm[5:0] */
	RV_OPND_NONE, /* unary */
};

struct rv_alu {
	uint32_t mask;
	uint32_t match;
	uint8_t operand; /* enum rv_operand */
	uint8_t arg; /* the IR opcode, condition or shift count the emitter uses */
	ir_temp (*emit)(struct rv_dc *dc, unsigned arg, ir_temp a, ir_temp b);
};

static ir_temp rv_alu_op64(struct rv_dc *dc, unsigned op, ir_temp a, ir_temp b)
{
	return ir_binop(dc->b, (enum ir_opcode)op, IR_I64, a, b);
}

/* The W forms: the low 32 bits, result sign-extended. */
static ir_temp rv_alu_op32(struct rv_dc *dc, unsigned op, ir_temp a, ir_temp b)
{
	return rv_sext32(dc, ir_binop(dc->b, (enum ir_opcode)op, IR_I32, rv_trunc(dc, a),
				      rv_trunc(dc, b)));
}

static ir_temp rv_alu_setcc(struct rv_dc *dc, unsigned cond, ir_temp a, ir_temp b)
{
	return rv_setcc(dc, (enum ir_cond)cond, IR_I64, a, b);
}

static ir_temp rv_alu_unop64(struct rv_dc *dc, unsigned op, ir_temp a, ir_temp b)
{
	return ir_unop(dc->b, (enum ir_opcode)op, IR_I64, a);
}

/* clzw, ctzw, cpopw: counts of the low word, small and non-negative. */
static ir_temp rv_alu_unop32(struct rv_dc *dc, unsigned op, ir_temp a, ir_temp b)
{
	ir_temp count = ir_unop(dc->b, (enum ir_opcode)op, IR_I32, rv_trunc(dc, a));

	return ir_extend(dc->b, IR_EXTU, IR_I64, count, 32);
}

static ir_temp rv_alu_sext(struct rv_dc *dc, unsigned bits, ir_temp a, ir_temp b)
{
	return ir_extend(dc->b, IR_SEXT, IR_I64, a, bits);
}

static ir_temp rv_alu_zext(struct rv_dc *dc, unsigned bits, ir_temp a, ir_temp b)
{
	return ir_extend(dc->b, IR_ZEXT, IR_I64, a, bits);
}

/* andn, orn, xnor: op(a, ~b) with the xor's result inverted instead. */
static ir_temp rv_alu_andn(struct rv_dc *dc, unsigned op, ir_temp a, ir_temp b)
{
	return ir_binop(dc->b, IR_AND, IR_I64, a, ir_unop(dc->b, IR_NOT, IR_I64, b));
}

static ir_temp rv_alu_orn(struct rv_dc *dc, unsigned op, ir_temp a, ir_temp b)
{
	return ir_binop(dc->b, IR_OR, IR_I64, a, ir_unop(dc->b, IR_NOT, IR_I64, b));
}

static ir_temp rv_alu_xnor(struct rv_dc *dc, unsigned op, ir_temp a, ir_temp b)
{
	return ir_unop(dc->b, IR_NOT, IR_I64, ir_binop(dc->b, IR_XOR, IR_I64, a, b));
}

/* sh1add..sh3add: (a << n) + b. */
static ir_temp rv_alu_shadd(struct rv_dc *dc, unsigned shift, ir_temp a, ir_temp b)
{
	ir_temp scaled = ir_binop(dc->b, IR_SHL, IR_I64, a, rv_c64(dc, shift));

	return ir_binop(dc->b, IR_ADD, IR_I64, scaled, b);
}

/* add.uw, sh1add.uw..sh3add.uw: the index is the zero-extended low word of a. */
static ir_temp rv_alu_shadd_uw(struct rv_dc *dc, unsigned shift, ir_temp a, ir_temp b)
{
	return rv_alu_shadd(dc, shift, ir_extend(dc->b, IR_ZEXT, IR_I64, a, 32), b);
}

static ir_temp rv_alu_slli_uw(struct rv_dc *dc, unsigned op, ir_temp a, ir_temp b)
{
	return ir_binop(dc->b, IR_SHL, IR_I64, ir_extend(dc->b, IR_ZEXT, IR_I64, a, 32), b);
}

static ir_temp rv_alu_bit(struct rv_dc *dc, ir_temp index)
{
	return ir_binop(dc->b, IR_SHL, IR_I64, rv_c64(dc, 1), index);
}

static ir_temp rv_alu_bclr(struct rv_dc *dc, unsigned op, ir_temp a, ir_temp b)
{
	return ir_binop(dc->b, IR_AND, IR_I64, a,
			ir_unop(dc->b, IR_NOT, IR_I64, rv_alu_bit(dc, b)));
}

/* bset and binv: OR or XOR with the bit. */
static ir_temp rv_alu_bitop(struct rv_dc *dc, unsigned op, ir_temp a, ir_temp b)
{
	return ir_binop(dc->b, (enum ir_opcode)op, IR_I64, a, rv_alu_bit(dc, b));
}

static ir_temp rv_alu_bext(struct rv_dc *dc, unsigned op, ir_temp a, ir_temp b)
{
	ir_temp shifted = ir_binop(dc->b, IR_SHR, IR_I64, a, b);

	return ir_binop(dc->b, IR_AND, IR_I64, shifted, rv_c64(dc, 1));
}

static uint64_t rv_orc_b(void *cpu, uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t result = 0;

	for (unsigned i = 0; i < 64; i += 8)
		if ((a >> i) & 0xff)
			result |= 0xffull << i;
	return result;
}

static const struct ir_helper rv_helper_orc_b = { .name = "orc.b", .fn = rv_orc_b, .nargs = 1 };

static ir_temp rv_alu_orc_b(struct rv_dc *dc, unsigned op, ir_temp a, ir_temp b)
{
	return ir_call(dc->b, &rv_helper_orc_b, a, IR_TEMP_NONE, IR_TEMP_NONE);
}

#define RV_MASK_R 0xfe00707fu
#define RV_MASK_I 0x0000707fu
#define RV_MASK_SH6 0xfc00707fu
#define RV_MASK_U12 0xfff0707fu
#define RV_R(f7, f3, opc) (((uint32_t)(f7) << 25) | ((f3) << 12) | (opc))
#define RV_SH6(f6, f3, opc) (((uint32_t)(f6) << 26) | ((f3) << 12) | (opc))
#define RV_U12(f12, f3, opc) (((uint32_t)(f12) << 20) | ((f3) << 12) | (opc))

#define OP 0x33
#define OP32 0x3b
#define OPI 0x13
#define OPI32 0x1b

#define ROW_R(f7, f3, opc, emit, arg)                                \
	{                                                            \
		RV_MASK_R, RV_R(f7, f3, opc), RV_OPND_REG, arg, emit \
	}
#define ROW_I(f3, opc, emit, arg)                                   \
	{                                                           \
		RV_MASK_I, RV_R(0, f3, opc), RV_OPND_IMM, arg, emit \
	}
#define ROW_SH6(f6, f3, opc, emit, arg)                                    \
	{                                                                  \
		RV_MASK_SH6, RV_SH6(f6, f3, opc), RV_OPND_SHAMT, arg, emit \
	}
#define ROW_SH5(f7, f3, opc, emit, arg)                                \
	{                                                              \
		RV_MASK_R, RV_R(f7, f3, opc), RV_OPND_SHAMT, arg, emit \
	}
#define ROW_U(f12, f3, opc, emit, arg)                                     \
	{                                                                  \
		RV_MASK_U12, RV_U12(f12, f3, opc), RV_OPND_NONE, arg, emit \
	}

static const struct rv_alu rv_alu_table[] = {
	/* RV64I */
	ROW_R(0x00, 0, OP, rv_alu_op64, IR_ADD),
	ROW_R(0x20, 0, OP, rv_alu_op64, IR_SUB),
	ROW_R(0x00, 1, OP, rv_alu_op64, IR_SHL),
	ROW_R(0x00, 2, OP, rv_alu_setcc, IR_COND_LT),
	ROW_R(0x00, 3, OP, rv_alu_setcc, IR_COND_LTU),
	ROW_R(0x00, 4, OP, rv_alu_op64, IR_XOR),
	ROW_R(0x00, 5, OP, rv_alu_op64, IR_SHR),
	ROW_R(0x20, 5, OP, rv_alu_op64, IR_SAR),
	ROW_R(0x00, 6, OP, rv_alu_op64, IR_OR),
	ROW_R(0x00, 7, OP, rv_alu_op64, IR_AND),
	ROW_R(0x00, 0, OP32, rv_alu_op32, IR_ADD),
	ROW_R(0x20, 0, OP32, rv_alu_op32, IR_SUB),
	ROW_R(0x00, 1, OP32, rv_alu_op32, IR_SHL),
	ROW_R(0x00, 5, OP32, rv_alu_op32, IR_SHR),
	ROW_R(0x20, 5, OP32, rv_alu_op32, IR_SAR),
	ROW_I(0, OPI, rv_alu_op64, IR_ADD),
	ROW_I(2, OPI, rv_alu_setcc, IR_COND_LT),
	ROW_I(3, OPI, rv_alu_setcc, IR_COND_LTU),
	ROW_I(4, OPI, rv_alu_op64, IR_XOR),
	ROW_I(6, OPI, rv_alu_op64, IR_OR),
	ROW_I(7, OPI, rv_alu_op64, IR_AND),
	ROW_SH6(0x00, 1, OPI, rv_alu_op64, IR_SHL),
	ROW_SH6(0x00, 5, OPI, rv_alu_op64, IR_SHR),
	ROW_SH6(0x10, 5, OPI, rv_alu_op64, IR_SAR),
	ROW_I(0, OPI32, rv_alu_op32, IR_ADD),
	ROW_SH5(0x00, 1, OPI32, rv_alu_op32, IR_SHL),
	ROW_SH5(0x00, 5, OPI32, rv_alu_op32, IR_SHR),
	ROW_SH5(0x20, 5, OPI32, rv_alu_op32, IR_SAR),
	/* M */
	ROW_R(0x01, 0, OP, rv_alu_op64, IR_MUL),
	ROW_R(0x01, 1, OP, rv_alu_op64, IR_MULH),
	ROW_R(0x01, 2, OP, rv_alu_op64, IR_MULHSU),
	ROW_R(0x01, 3, OP, rv_alu_op64, IR_MULHU),
	ROW_R(0x01, 4, OP, rv_alu_op64, IR_DIV),
	ROW_R(0x01, 5, OP, rv_alu_op64, IR_DIVU),
	ROW_R(0x01, 6, OP, rv_alu_op64, IR_REM),
	ROW_R(0x01, 7, OP, rv_alu_op64, IR_REMU),
	ROW_R(0x01, 0, OP32, rv_alu_op32, IR_MUL),
	ROW_R(0x01, 4, OP32, rv_alu_op32, IR_DIV),
	ROW_R(0x01, 5, OP32, rv_alu_op32, IR_DIVU),
	ROW_R(0x01, 6, OP32, rv_alu_op32, IR_REM),
	ROW_R(0x01, 7, OP32, rv_alu_op32, IR_REMU),
	/* Zba */
	ROW_R(0x10, 2, OP, rv_alu_shadd, 1),
	ROW_R(0x10, 4, OP, rv_alu_shadd, 2),
	ROW_R(0x10, 6, OP, rv_alu_shadd, 3),
	ROW_R(0x04, 0, OP32, rv_alu_shadd_uw, 0),
	ROW_R(0x10, 2, OP32, rv_alu_shadd_uw, 1),
	ROW_R(0x10, 4, OP32, rv_alu_shadd_uw, 2),
	ROW_R(0x10, 6, OP32, rv_alu_shadd_uw, 3),
	ROW_SH6(0x02, 1, OPI32, rv_alu_slli_uw, 0),
	/* Zbb */
	ROW_R(0x20, 7, OP, rv_alu_andn, 0),
	ROW_R(0x20, 6, OP, rv_alu_orn, 0),
	ROW_R(0x20, 4, OP, rv_alu_xnor, 0),
	ROW_R(0x05, 4, OP, rv_alu_op64, IR_MIN),
	ROW_R(0x05, 5, OP, rv_alu_op64, IR_MINU),
	ROW_R(0x05, 6, OP, rv_alu_op64, IR_MAX),
	ROW_R(0x05, 7, OP, rv_alu_op64, IR_MAXU),
	ROW_R(0x30, 1, OP, rv_alu_op64, IR_ROTL),
	ROW_R(0x30, 5, OP, rv_alu_op64, IR_ROTR),
	ROW_R(0x30, 1, OP32, rv_alu_op32, IR_ROTL),
	ROW_R(0x30, 5, OP32, rv_alu_op32, IR_ROTR),
	ROW_SH6(0x18, 5, OPI, rv_alu_op64, IR_ROTR),
	ROW_SH5(0x30, 5, OPI32, rv_alu_op32, IR_ROTR),
	ROW_U(0x600, 1, OPI, rv_alu_unop64, IR_CLZ),
	ROW_U(0x601, 1, OPI, rv_alu_unop64, IR_CTZ),
	ROW_U(0x602, 1, OPI, rv_alu_unop64, IR_POPCNT),
	ROW_U(0x604, 1, OPI, rv_alu_sext, 8),
	ROW_U(0x605, 1, OPI, rv_alu_sext, 16),
	ROW_U(0x287, 5, OPI, rv_alu_orc_b, 0),
	ROW_U(0x6b8, 5, OPI, rv_alu_unop64, IR_BSWAP),
	ROW_U(0x600, 1, OPI32, rv_alu_unop32, IR_CLZ),
	ROW_U(0x601, 1, OPI32, rv_alu_unop32, IR_CTZ),
	ROW_U(0x602, 1, OPI32, rv_alu_unop32, IR_POPCNT),
	ROW_U(0x080, 4, OP32, rv_alu_zext, 16),
	/* Zbs */
	ROW_R(0x24, 1, OP, rv_alu_bclr, 0),
	ROW_R(0x14, 1, OP, rv_alu_bitop, IR_OR),
	ROW_R(0x34, 1, OP, rv_alu_bitop, IR_XOR),
	ROW_R(0x24, 5, OP, rv_alu_bext, 0),
	ROW_SH6(0x12, 1, OPI, rv_alu_bclr, 0),
	ROW_SH6(0x0a, 1, OPI, rv_alu_bitop, IR_OR),
	ROW_SH6(0x1a, 1, OPI, rv_alu_bitop, IR_XOR),
	ROW_SH6(0x12, 5, OPI, rv_alu_bext, 0),
};

static bool rv_decode_alu(struct rv_dc *dc)
{
	const struct rv_alu *row = NULL;
	ir_temp a, b = IR_TEMP_NONE;

	for (size_t i = 0; i < ARRAY_SIZE(rv_alu_table); i++) {
		if ((dc->insn & rv_alu_table[i].mask) == rv_alu_table[i].match) {
			row = &rv_alu_table[i];
			break;
		}
	}
	if (!row)
		return false;
	a = rv_get_x(dc, RV_RS1(dc->insn));
	switch (row->operand) {
	case RV_OPND_REG:
		b = rv_get_x(dc, RV_RS2(dc->insn));
		break;
	case RV_OPND_IMM:
		b = rv_c64(dc, (uint64_t)rv_imm_i(dc->insn));
		break;
	case RV_OPND_SHAMT:
		b = rv_c64(dc, (dc->insn >> 20) & 63u);
		break;
	}
	rv_set_x(dc, RV_RD(dc->insn), row->emit(dc, row->arg, a, b));
	return true;
}

/* ---- upper immediates, jumps, branches ---------------------------------------------------------- */

static bool rv_decode_lui(struct rv_dc *dc)
{
	rv_set_x(dc, RV_RD(dc->insn), rv_c64(dc, (uint64_t)rv_imm_u(dc->insn)));
	return true;
}

static bool rv_decode_auipc(struct rv_dc *dc)
{
	rv_set_x(dc, RV_RD(dc->insn), rv_c64(dc, dc->pc + (uint64_t)rv_imm_u(dc->insn)));
	return true;
}

static bool rv_decode_jal(struct rv_dc *dc)
{
	rv_set_x(dc, RV_RD(dc->insn), rv_c64(dc, dc->pc + dc->len));
	rv_end_goto(dc, dc->pc + (uint64_t)rv_imm_j(dc->insn));
	return true;
}

static bool rv_decode_jalr(struct rv_dc *dc)
{
	ir_temp target;

	if (RV_F3(dc->insn) != 0)
		return false;
	/* The target is computed before rd is written: rd may be rs1. */
	target = ir_binop(dc->b, IR_ADD, IR_I64, rv_get_x(dc, RV_RS1(dc->insn)),
			  rv_c64(dc, (uint64_t)rv_imm_i(dc->insn)));
	target = ir_binop(dc->b, IR_AND, IR_I64, target, rv_c64(dc, ~1ull));
	rv_set_x(dc, RV_RD(dc->insn), rv_c64(dc, dc->pc + dc->len));
	ir_exit_jump(dc->b, target);
	dc->end = true;
	return true;
}

/* funct3 -> condition; 2 and 3 are reserved. */
static const struct {
	bool valid;
	uint8_t cond;
} rv_branch_conds[8] = {
	[0] = { true, IR_COND_EQ }, [1] = { true, IR_COND_NE },	 [4] = { true, IR_COND_LT },
	[5] = { true, IR_COND_GE }, [6] = { true, IR_COND_LTU }, [7] = { true, IR_COND_GEU },
};

static bool rv_decode_branch(struct rv_dc *dc)
{
	unsigned f3 = RV_F3(dc->insn);
	ir_temp taken;

	if (!rv_branch_conds[f3].valid)
		return false;
	taken = rv_setcc(dc, (enum ir_cond)rv_branch_conds[f3].cond, IR_I64,
			 rv_get_x(dc, RV_RS1(dc->insn)), rv_get_x(dc, RV_RS2(dc->insn)));
	ir_exit_goto_if(dc->b, taken, dc->pc + (uint64_t)rv_imm_b(dc->insn));
	rv_end_goto(dc, dc->pc + dc->len);
	return true;
}

/* ---- loads and stores -------------------------------------------------------------------------- */

/* funct3 -> (log2 size, signed); funct3 7 is reserved. */
static const struct {
	bool valid;
	uint8_t log2_size;
	bool sign;
} rv_load_forms[8] = {
	[0] = { true, 0, true },  [1] = { true, 1, true },  [2] = { true, 2, true },
	[3] = { true, 3, false }, [4] = { true, 0, false }, [5] = { true, 1, false },
	[6] = { true, 2, false },
};

static bool rv_decode_load(struct rv_dc *dc)
{
	unsigned f3 = RV_F3(dc->insn);
	ir_temp value;

	if (!rv_load_forms[f3].valid)
		return false;
	value = ir_load(dc->b, IR_I64,
			rv_mem(dc, rv_load_forms[f3].log2_size, rv_load_forms[f3].sign, false),
			rv_get_x(dc, RV_RS1(dc->insn)), rv_imm_i(dc->insn));
	rv_set_x(dc, RV_RD(dc->insn), value);
	return true;
}

static bool rv_decode_store(struct rv_dc *dc)
{
	unsigned f3 = RV_F3(dc->insn);

	if (f3 > 3)
		return false;
	ir_store(dc->b, rv_mem(dc, f3, false, false), rv_get_x(dc, RV_RS1(dc->insn)),
		 rv_imm_s(dc->insn), rv_get_x(dc, RV_RS2(dc->insn)));
	return true;
}

/* ---- fences and cache-block operations -------------------------------------------------------- */

/* fence's predecessor/successor sets (I, O, R, W bits) as IR fence bits; I/O count as memory. */
static unsigned rv_fence_bits(uint32_t insn)
{
	unsigned pred = (insn >> 24) & 0xfu, succ = (insn >> 20) & 0xfu, bits = 0;
	bool pred_r = pred & 0xau, pred_w = pred & 0x5u, succ_r = succ & 0xau, succ_w = succ & 0x5u;

	if (pred_r && succ_r)
		bits |= IR_FENCE_LOAD_LOAD;
	if (pred_r && succ_w)
		bits |= IR_FENCE_LOAD_STORE;
	if (pred_w && succ_r)
		bits |= IR_FENCE_STORE_LOAD;
	if (pred_w && succ_w)
		bits |= IR_FENCE_STORE_STORE;
	return bits;
}

static bool rv_decode_cbo(struct rv_dc *dc)
{
	unsigned kind = (unsigned)(dc->insn >> 20);
	ir_temp base;

	if (RV_RD(dc->insn) != 0 || (kind != RV_CBO_INVAL && kind != RV_CBO_CLEAN &&
				     kind != RV_CBO_FLUSH && kind != RV_CBO_ZERO))
		return false;
	ir_call(dc->b, &rv_helper_cbo_check, rv_c64(dc, kind), rv_c64(dc, dc->raw), IR_TEMP_NONE);
	if (kind != RV_CBO_ZERO) {
		/* Memory here is coherent with every observer: what remains is the ordering. */
		ir_fence(dc->b, IR_FENCE_LOAD_LOAD | IR_FENCE_LOAD_STORE | IR_FENCE_STORE_LOAD |
					IR_FENCE_STORE_STORE);
		return true;
	}
	base = ir_binop(dc->b, IR_AND, IR_I64, rv_get_x(dc, RV_RS1(dc->insn)),
			rv_c64(dc, ~(uint64_t)(RV_CACHE_BLOCK_SIZE - 1)));
	for (unsigned off = 0; off < RV_CACHE_BLOCK_SIZE; off += 8)
		ir_store(dc->b, rv_mem(dc, 3, false, true), base, off, rv_c64(dc, 0));
	return true;
}

static bool rv_decode_misc_mem(struct rv_dc *dc)
{
	switch (RV_F3(dc->insn)) {
	case 0:
		ir_fence(dc->b, rv_fence_bits(dc->insn));
		return true;
	case 1:
		/* Written code pages already retire their blocks: ending the block, so that what
		 * follows is fetched anew, is all fence.i needs. */
		ir_fence(dc->b, IR_FENCE_INSN);
		rv_end_state(dc);
		return true;
	case 2:
		return rv_decode_cbo(dc);
	default:
		return false;
	}
}

/* ---- SYSTEM: environment calls, xRET, WFI, sfence.vma, CSRs ----------------------------------- */

static const uint8_t rv_ecall_causes[4] = {
	[RV_PRIV_U] = RV_EXC_ECALL_U,
	[RV_PRIV_S] = RV_EXC_ECALL_S,
	[2] = RV_EXC_ILLEGAL_INSN,
	[RV_PRIV_M] = RV_EXC_ECALL_M,
};

static bool rv_sys_ecall(struct rv_dc *dc)
{
	ir_exit_exception(dc->b, rv_ecall_causes[dc->cpu->priv & 3], rv_c64(dc, 0));
	dc->end = true;
	return true;
}

/* tval may be 0 or the PC; 0 is what QEMU reports, so both agree in differential runs. */
static bool rv_sys_ebreak(struct rv_dc *dc)
{
	ir_exit_exception(dc->b, RV_EXC_BREAKPOINT, rv_c64(dc, 0));
	dc->end = true;
	return true;
}

/* xRET's helper writes the PC; nothing after it in the block may run. */
static bool rv_sys_xret(struct rv_dc *dc, const struct ir_helper *helper)
{
	ir_call(dc->b, helper, rv_c64(dc, dc->raw), IR_TEMP_NONE, IR_TEMP_NONE);
	ir_exit_state(dc->b);
	dc->end = true;
	return true;
}

static bool rv_sys_mret(struct rv_dc *dc)
{
	return rv_sys_xret(dc, &rv_helper_mret);
}

static bool rv_sys_sret(struct rv_dc *dc)
{
	return rv_sys_xret(dc, &rv_helper_sret);
}

static bool rv_sys_wfi(struct rv_dc *dc)
{
	ir_set(dc->b, IR_I64, RV_FIELD(pc), rv_c64(dc, dc->pc + dc->len));
	ir_call(dc->b, &rv_helper_wfi, rv_c64(dc, dc->raw), IR_TEMP_NONE, IR_TEMP_NONE);
	ir_exit_state(dc->b);
	dc->end = true;
	return true;
}

static bool rv_sys_sfence_vma(struct rv_dc *dc)
{
	ir_call(dc->b, &rv_helper_sfence_vma, rv_get_x(dc, RV_RS1(dc->insn)),
		rv_get_x(dc, RV_RS2(dc->insn)), rv_c64(dc, dc->raw));
	rv_end_state(dc);
	return true;
}

static const struct {
	uint32_t mask;
	uint32_t match;
	bool (*decode)(struct rv_dc *dc);
} rv_system_table[] = {
	{ 0xffffffffu, 0x00000073u, rv_sys_ecall }, { 0xffffffffu, 0x00100073u, rv_sys_ebreak },
	{ 0xffffffffu, 0x10200073u, rv_sys_sret },  { 0xffffffffu, 0x30200073u, rv_sys_mret },
	{ 0xffffffffu, 0x10500073u, rv_sys_wfi },   { 0xfe007fffu, 0x12000073u, rv_sys_sfence_vma },
};

static bool rv_decode_csr(struct rv_dc *dc)
{
	unsigned f3 = RV_F3(dc->insn), op = f3 & 3u, rd = RV_RD(dc->insn), rs1 = RV_RS1(dc->insn);
	bool writes = op == RV_CSR_OP_RW || rs1 != 0;
	unsigned control = (dc->insn >> 20) | (op << RV_CSR_OP_SHIFT) |
			   (dc->index << RV_CSR_INDEX_SHIFT);
	ir_temp source, old;

	if (op == 0)
		return false;
	/* csrrw with rd = x0 does not read: no read side effects, no read permission needed. */
	if (op != RV_CSR_OP_RW || rd != 0)
		control |= RV_CSR_DO_READ;
	if (writes)
		control |= RV_CSR_DO_WRITE;
	source = f3 & 4u ? rv_c64(dc, rs1) : rv_get_x(dc, rs1);
	old = ir_call(dc->b, &rv_helper_csr, rv_c64(dc, control), source, rv_c64(dc, dc->raw));
	rv_set_x(dc, rd, old);
	if (writes)
		rv_end_state(dc);
	return true;
}

static bool rv_decode_system(struct rv_dc *dc)
{
	if (RV_F3(dc->insn) != 0)
		return rv_decode_csr(dc);
	for (size_t i = 0; i < ARRAY_SIZE(rv_system_table); i++)
		if ((dc->insn & rv_system_table[i].mask) == rv_system_table[i].match)
			return rv_system_table[i].decode(dc);
	return false;
}

/* ---- A: LR/SC and AMOs ------------------------------------------------------------------------- */

enum { RV_AMO_LR = 0x100, RV_AMO_SC = 0x101 };

/* funct5 -> IR_RMW_* or LR/SC; absent rows are reserved. */
static const struct {
	bool valid;
	uint16_t op;
} rv_amo_ops[32] = {
	[0x00] = { true, IR_RMW_ADD },	[0x01] = { true, IR_RMW_XCHG },
	[0x02] = { true, RV_AMO_LR },	[0x03] = { true, RV_AMO_SC },
	[0x04] = { true, IR_RMW_XOR },	[0x08] = { true, IR_RMW_OR },
	[0x0c] = { true, IR_RMW_AND },	[0x10] = { true, IR_RMW_MIN },
	[0x14] = { true, IR_RMW_MAX },	[0x18] = { true, IR_RMW_MINU },
	[0x1c] = { true, IR_RMW_MAXU },
};

/* A W-sized value in an I64 temporary, as the I32 the access uses. */
static ir_temp rv_amo_operand(struct rv_dc *dc, ir_temp value, bool word)
{
	return word ? rv_trunc(dc, value) : value;
}

static ir_temp rv_amo_result(struct rv_dc *dc, ir_temp value, bool word)
{
	return word ? rv_sext32(dc, value) : value;
}

/*
 * SC succeeds when this hart holds a reservation on addr and memory still holds what LR read:
 * IR_CMPXCHG checks the value atomically against other harts. Without a reservation the
 * exchange writes back the value it compares against, which changes nothing, so one op serves
 * both outcomes.
 */
static void rv_decode_sc(struct rv_dc *dc, struct ir_mem mem, ir_temp addr, bool word)
{
	enum ir_type type = word ? IR_I32 : IR_I64;
	ir_temp valid, same, ok, expected, desired, old, success;

	valid = ir_get(dc->b, IR_I64, RV_FIELD(reservation_valid));
	same = rv_setcc(dc, IR_COND_EQ, IR_I64, addr,
			ir_get(dc->b, IR_I64, RV_FIELD(reservation_addr)));
	ok = ir_binop(dc->b, IR_AND, IR_I64, valid, same);
	expected = rv_amo_operand(dc, ir_get(dc->b, IR_I64, RV_FIELD(reservation_value)), word);
	desired = ir_select(dc->b, type, ok,
			    rv_amo_operand(dc, rv_get_x(dc, RV_RS2(dc->insn)), word), expected);
	old = ir_cmpxchg(dc->b, type, mem, addr, expected, desired);
	success =
		ir_binop(dc->b, IR_AND, IR_I64, ok, rv_setcc(dc, IR_COND_EQ, type, old, expected));
	ir_set(dc->b, IR_I64, RV_FIELD(reservation_valid), rv_c64(dc, 0));
	rv_set_x(dc, RV_RD(dc->insn), ir_binop(dc->b, IR_XOR, IR_I64, success, rv_c64(dc, 1)));
}

static bool rv_decode_amo(struct rv_dc *dc)
{
	unsigned f3 = RV_F3(dc->insn), f5 = dc->insn >> 27;
	bool word = f3 == 2;
	struct ir_mem mem;
	ir_temp addr, value;

	if ((f3 != 2 && f3 != 3) || !rv_amo_ops[f5].valid)
		return false;
	if (rv_amo_ops[f5].op == RV_AMO_LR && RV_RS2(dc->insn) != 0)
		return false;
	mem = rv_mem(dc, f3, true, true);
	mem.order = (uint8_t)(((dc->insn >> 26) & 1u ? IR_ORDER_ACQUIRE : 0) |
			      ((dc->insn >> 25) & 1u ? IR_ORDER_RELEASE : 0));
	addr = rv_get_x(dc, RV_RS1(dc->insn));
	switch (rv_amo_ops[f5].op) {
	case RV_AMO_LR:
		value = ir_load(dc->b, IR_I64, mem, addr, 0);
		ir_set(dc->b, IR_I64, RV_FIELD(reservation_addr), addr);
		ir_set(dc->b, IR_I64, RV_FIELD(reservation_value), value);
		ir_set(dc->b, IR_I64, RV_FIELD(reservation_valid), rv_c64(dc, 1));
		rv_set_x(dc, RV_RD(dc->insn), value);
		break;
	case RV_AMO_SC:
		rv_decode_sc(dc, mem, addr, word);
		break;
	default:
		value = ir_atomic_rmw(dc->b, (enum ir_rmw)rv_amo_ops[f5].op, word ? IR_I32 : IR_I64,
				      mem, addr,
				      rv_amo_operand(dc, rv_get_x(dc, RV_RS2(dc->insn)), word));
		rv_set_x(dc, RV_RD(dc->insn), rv_amo_result(dc, value, word));
		break;
	}
	return true;
}

/* ---- F and D ----------------------------------------------------------------------------------- */

/* FP instructions are illegal while mstatus.FS is Off; the block's flags carry FS. */
static bool rv_fp_enabled(struct rv_dc *dc)
{
	return (dc->flags & RV_BLOCK_FS_MASK) != 0;
}

/* The rm field: a static mode, or DYN (frm) which must itself be valid. 5 and 6 are reserved. */
static bool rv_fp_round(struct rv_dc *dc, enum ir_round *round)
{
	unsigned rm = RV_F3(dc->insn);

	if (rm <= 4) {
		*round = (enum ir_round)rm;
		return true;
	}
	if (rm == 7 && (dc->flags & RV_BLOCK_FRM_VALID)) {
		*round = IR_ROUND_DYNAMIC;
		return true;
	}
	return false;
}

static bool rv_decode_fp_load(struct rv_dc *dc)
{
	unsigned f3 = RV_F3(dc->insn), rd = RV_RD(dc->insn);
	ir_temp value;

	if ((f3 != 2 && f3 != 3) || !rv_fp_enabled(dc))
		return false;
	value = ir_load(dc->b, f3 == 3 ? IR_I64 : IR_I32, rv_mem(dc, f3, false, false),
			rv_get_x(dc, RV_RS1(dc->insn)), rv_imm_i(dc->insn));
	if (f3 == 3) {
		rv_fp_dirty(dc);
		ir_set(dc->b, IR_I64, RV_F_OFF(rd), value);
	} else {
		rv_set_f32(dc, rd, IR_I32, value);
	}
	return true;
}

static bool rv_decode_fp_store(struct rv_dc *dc)
{
	unsigned f3 = RV_F3(dc->insn);
	enum ir_type type = f3 == 3 ? IR_I64 : IR_I32;

	if ((f3 != 2 && f3 != 3) || !rv_fp_enabled(dc))
		return false;
	/* Stores move the bits as they are: no NaN-boxing check. */
	ir_store(dc->b, rv_mem(dc, f3, false, false), rv_get_x(dc, RV_RS1(dc->insn)),
		 rv_imm_s(dc->insn), ir_get(dc->b, type, RV_F_OFF(RV_RS2(dc->insn))));
	return true;
}

static bool rv_decode_fp_fused(struct rv_dc *dc)
{
	/* opcode bits 3:2 select FMADD, FMSUB, FNMSUB, FNMADD. */
	static const uint8_t ops[4] = { IR_FMADD, IR_FMSUB, IR_FNMSUB, IR_FNMADD };
	unsigned fmt = (dc->insn >> 25) & 3u;
	enum ir_round round;
	bool dbl = fmt == 1;
	ir_temp result;

	if (fmt > 1 || !rv_fp_enabled(dc) || !rv_fp_round(dc, &round))
		return false;
	result = ir_ffused(dc->b, (enum ir_opcode)ops[(dc->insn >> 2) & 3u], dbl ? IR_F64 : IR_F32,
			   round, rv_get_f(dc, RV_RS1(dc->insn), dbl),
			   rv_get_f(dc, RV_RS2(dc->insn), dbl),
			   rv_get_f(dc, RV_RS3(dc->insn), dbl));
	rv_set_f(dc, RV_RD(dc->insn), dbl, result);
	return true;
}

static uint64_t rv_fclass_bits(uint64_t bits, unsigned exp_bits, unsigned frac_bits)
{
	uint64_t frac = bits & ((1ull << frac_bits) - 1);
	uint64_t exp = (bits >> frac_bits) & ((1ull << exp_bits) - 1);
	bool neg = (bits >> (exp_bits + frac_bits)) & 1u;
	uint64_t exp_max = (1ull << exp_bits) - 1;

	if (exp == exp_max) {
		if (frac == 0)
			return neg ? 1u << 0 : 1u << 7;
		return frac >> (frac_bits - 1) ? 1u << 9 : 1u << 8;
	}
	if (exp == 0) {
		if (frac == 0)
			return neg ? 1u << 3 : 1u << 4;
		return neg ? 1u << 2 : 1u << 5;
	}
	return neg ? 1u << 1 : 1u << 6;
}

static uint64_t rv_fclass_s(void *cpu, uint64_t bits, uint64_t b, uint64_t c)
{
	/* Not NaN-boxed: the canonical NaN, a quiet NaN. */
	if (bits >> 32 != 0xffffffffu)
		return 1u << 9;
	return rv_fclass_bits(bits & 0xffffffffu, 8, 23);
}

static uint64_t rv_fclass_d(void *cpu, uint64_t bits, uint64_t b, uint64_t c)
{
	return rv_fclass_bits(bits, 11, 52);
}

static const struct ir_helper rv_helper_fclass_s = { .name = "fclass.s",
						     .fn = rv_fclass_s,
						     .nargs = 1 };
static const struct ir_helper rv_helper_fclass_d = { .name = "fclass.d",
						     .fn = rv_fclass_d,
						     .nargs = 1 };

/* OP-FP forms, by funct7 with the format in its low two bits. */
enum rv_fp_form {
	RV_FP_ARITH, /* fadd..fdiv: arg is the IR op, rounded */
	RV_FP_SQRT,
	RV_FP_SGNJ,
	RV_FP_MINMAX,
	RV_FP_CVT_FF, /* fcvt.s.d, fcvt.d.s */
	RV_FP_CMP,
	RV_FP_CVT_F2I,
	RV_FP_CVT_I2F,
	RV_FP_MV_X_CLASS, /* fmv.x.w/d (funct3 0), fclass (funct3 1) */
	RV_FP_MV_F,
};

static const struct {
	uint8_t funct5;
	uint8_t form;
	uint8_t arg;
} rv_fp_table[] = {
	{ 0x00, RV_FP_ARITH, IR_FADD }, { 0x01, RV_FP_ARITH, IR_FSUB },
	{ 0x02, RV_FP_ARITH, IR_FMUL }, { 0x03, RV_FP_ARITH, IR_FDIV },
	{ 0x0b, RV_FP_SQRT, 0 },	{ 0x04, RV_FP_SGNJ, 0 },
	{ 0x05, RV_FP_MINMAX, 0 },	{ 0x08, RV_FP_CVT_FF, 0 },
	{ 0x14, RV_FP_CMP, 0 },		{ 0x18, RV_FP_CVT_F2I, 0 },
	{ 0x1a, RV_FP_CVT_I2F, 0 },	{ 0x1c, RV_FP_MV_X_CLASS, 0 },
	{ 0x1e, RV_FP_MV_F, 0 },
};

/* fsgnj, fsgnjn, fsgnjx on the integer view of the operands, which keeps NaN payloads. */
static bool rv_fp_sgnj(struct rv_dc *dc, bool dbl)
{
	enum ir_type type = dbl ? IR_I64 : IR_I32;
	uint64_t sign = dbl ? 1ull << 63 : 1ull << 31;
	unsigned f3 = RV_F3(dc->insn);
	ir_temp a, b, sign_b, result;

	if (f3 > 2)
		return false;
	a = dbl ? ir_get(dc->b, IR_I64, RV_F_OFF(RV_RS1(dc->insn))) :
		  rv_get_f32_as(dc, RV_RS1(dc->insn), IR_I32);
	b = dbl ? ir_get(dc->b, IR_I64, RV_F_OFF(RV_RS2(dc->insn))) :
		  rv_get_f32_as(dc, RV_RS2(dc->insn), IR_I32);
	if (f3 == 1)
		b = ir_unop(dc->b, IR_NOT, type, b);
	sign_b = ir_binop(dc->b, IR_AND, type, b, ir_const(dc->b, type, sign));
	if (f3 == 2)
		result = ir_binop(dc->b, IR_XOR, type, a, sign_b);
	else
		result = ir_binop(dc->b, IR_OR, type,
				  ir_binop(dc->b, IR_AND, type, a, ir_const(dc->b, type, ~sign)),
				  sign_b);
	if (dbl) {
		rv_fp_dirty(dc);
		ir_set(dc->b, IR_I64, RV_F_OFF(RV_RD(dc->insn)), result);
	} else {
		rv_set_f32(dc, RV_RD(dc->insn), IR_I32, result);
	}
	return true;
}

/* fcvt between integers and floats: rs2 selects w, wu, l, lu. */
static bool rv_fp_cvt_int(struct rv_dc *dc, bool dbl, bool to_int)
{
	unsigned kind = RV_RS2(dc->insn);
	enum ir_type ftype = dbl ? IR_F64 : IR_F32, itype = kind < 2 ? IR_I32 : IR_I64;
	bool is_unsigned = kind & 1u;
	enum ir_round round;
	ir_temp value;

	if (kind > 3 || !rv_fp_round(dc, &round))
		return false;
	if (to_int) {
		value = ir_fconvert(dc->b, IR_FCVT_F2I, itype, ftype, round, is_unsigned,
				    rv_get_f(dc, RV_RS1(dc->insn), dbl));
		/* Its flags change fcsr: FP state, though no f register is written. */
		rv_fp_dirty(dc);
		/* The W forms sign-extend their 32-bit result, unsigned or not. */
		rv_set_x(dc, RV_RD(dc->insn), itype == IR_I32 ? rv_sext32(dc, value) : value);
		return true;
	}
	value = rv_get_x(dc, RV_RS1(dc->insn));
	if (itype == IR_I32)
		value = rv_trunc(dc, value);
	rv_set_f(dc, RV_RD(dc->insn), dbl,
		 ir_fconvert(dc->b, IR_FCVT_I2F, ftype, itype, round, is_unsigned, value));
	return true;
}

static bool rv_fp_cmp(struct rv_dc *dc, bool dbl)
{
	static const uint8_t ops[3] = { IR_FLE, IR_FLT, IR_FEQ };
	unsigned f3 = RV_F3(dc->insn);

	if (f3 > 2)
		return false;
	/* A signaling (or, for FLT and FLE, any) NaN raises invalid in fcsr: FP state. */
	rv_fp_dirty(dc);
	rv_set_x(dc, RV_RD(dc->insn),
		 ir_fcompare(dc->b, (enum ir_opcode)ops[f3], dbl ? IR_F64 : IR_F32,
			     rv_get_f(dc, RV_RS1(dc->insn), dbl),
			     rv_get_f(dc, RV_RS2(dc->insn), dbl)));
	return true;
}

static bool rv_fp_mv_x_class(struct rv_dc *dc, bool dbl)
{
	unsigned f3 = RV_F3(dc->insn), rs1 = RV_RS1(dc->insn);
	ir_temp value;

	if (RV_RS2(dc->insn) != 0 || f3 > 1)
		return false;
	if (f3 == 1) {
		value = ir_call(dc->b, dbl ? &rv_helper_fclass_d : &rv_helper_fclass_s,
				ir_get(dc->b, IR_I64, RV_F_OFF(rs1)), IR_TEMP_NONE, IR_TEMP_NONE);
	} else if (dbl) {
		value = ir_get(dc->b, IR_I64, RV_F_OFF(rs1));
	} else {
		/* fmv.x.w moves the low bits whatever the box holds. */
		value = rv_sext32(dc, ir_get(dc->b, IR_I32, RV_F_OFF(rs1)));
	}
	rv_set_x(dc, RV_RD(dc->insn), value);
	return true;
}

static bool rv_fp_mv_f(struct rv_dc *dc, bool dbl)
{
	ir_temp value = rv_get_x(dc, RV_RS1(dc->insn));

	if (RV_RS2(dc->insn) != 0 || RV_F3(dc->insn) != 0)
		return false;
	if (dbl) {
		rv_fp_dirty(dc);
		ir_set(dc->b, IR_I64, RV_F_OFF(RV_RD(dc->insn)), value);
	} else {
		rv_set_f32(dc, RV_RD(dc->insn), IR_I32, rv_trunc(dc, value));
	}
	return true;
}

static bool rv_decode_op_fp(struct rv_dc *dc)
{
	unsigned funct7 = RV_F7(dc->insn), fmt = funct7 & 3u, funct5 = funct7 >> 2;
	unsigned rs1 = RV_RS1(dc->insn), rs2 = RV_RS2(dc->insn);
	bool dbl = fmt == 1;
	enum ir_type type = dbl ? IR_F64 : IR_F32;
	enum ir_round round;
	size_t i;

	if (fmt > 1 || !rv_fp_enabled(dc))
		return false;
	for (i = 0; i < ARRAY_SIZE(rv_fp_table); i++)
		if (rv_fp_table[i].funct5 == funct5)
			break;
	if (i == ARRAY_SIZE(rv_fp_table))
		return false;
	switch (rv_fp_table[i].form) {
	case RV_FP_ARITH:
		if (!rv_fp_round(dc, &round))
			return false;
		rv_set_f(dc, RV_RD(dc->insn), dbl,
			 ir_fbinop(dc->b, (enum ir_opcode)rv_fp_table[i].arg, type, round,
				   rv_get_f(dc, rs1, dbl), rv_get_f(dc, rs2, dbl)));
		return true;
	case RV_FP_SQRT:
		if (rs2 != 0 || !rv_fp_round(dc, &round))
			return false;
		rv_set_f(dc, RV_RD(dc->insn), dbl,
			 ir_fsqrt(dc->b, type, round, rv_get_f(dc, rs1, dbl)));
		return true;
	case RV_FP_SGNJ:
		return rv_fp_sgnj(dc, dbl);
	case RV_FP_MINMAX:
		if (RV_F3(dc->insn) > 1)
			return false;
		rv_set_f(dc, RV_RD(dc->insn), dbl,
			 ir_fbinop(dc->b, RV_F3(dc->insn) ? IR_FMAX : IR_FMIN, type,
				   IR_ROUND_NEAREST_EVEN, rv_get_f(dc, rs1, dbl),
				   rv_get_f(dc, rs2, dbl)));
		return true;
	case RV_FP_CVT_FF:
		/* fcvt.s.d has fmt S and rs2 1; fcvt.d.s has fmt D and rs2 0. */
		if (rs2 != (dbl ? 0u : 1u) || !rv_fp_round(dc, &round))
			return false;
		rv_set_f(dc, RV_RD(dc->insn), dbl,
			 ir_fconvert(dc->b, IR_FCVT_F2F, type, dbl ? IR_F32 : IR_F64, round, false,
				     rv_get_f(dc, rs1, !dbl)));
		return true;
	case RV_FP_CMP:
		return rv_fp_cmp(dc, dbl);
	case RV_FP_CVT_F2I:
		return rv_fp_cvt_int(dc, dbl, true);
	case RV_FP_CVT_I2F:
		return rv_fp_cvt_int(dc, dbl, false);
	case RV_FP_MV_X_CLASS:
		return rv_fp_mv_x_class(dc, dbl);
	default:
		return rv_fp_mv_f(dc, dbl);
	}
}

/* ---- the major-opcode table -------------------------------------------------------------------- */

static bool (*const rv_major_table[32])(struct rv_dc *dc) = {
	[0x03 >> 2] = rv_decode_load,	  [0x07 >> 2] = rv_decode_fp_load,
	[0x0f >> 2] = rv_decode_misc_mem, [0x13 >> 2] = rv_decode_alu,
	[0x17 >> 2] = rv_decode_auipc,	  [0x1b >> 2] = rv_decode_alu,
	[0x23 >> 2] = rv_decode_store,	  [0x27 >> 2] = rv_decode_fp_store,
	[0x2f >> 2] = rv_decode_amo,	  [0x33 >> 2] = rv_decode_alu,
	[0x37 >> 2] = rv_decode_lui,	  [0x3b >> 2] = rv_decode_alu,
	[0x43 >> 2] = rv_decode_fp_fused, [0x47 >> 2] = rv_decode_fp_fused,
	[0x4b >> 2] = rv_decode_fp_fused, [0x4f >> 2] = rv_decode_fp_fused,
	[0x53 >> 2] = rv_decode_op_fp,	  [0x63 >> 2] = rv_decode_branch,
	[0x67 >> 2] = rv_decode_jalr,	  [0x6f >> 2] = rv_decode_jal,
	[0x73 >> 2] = rv_decode_system,
};

void rv_decoder_init(struct rv_decoder *decoder, struct ir_block *block, const struct rv_cpu *cpu,
		     uint32_t flags)
{
	*decoder = (struct rv_decoder){ .block = block, .cpu = cpu, .flags = flags };
}

bool rv_decode_insn(struct rv_decoder *decoder, uint64_t pc, uint32_t raw)
{
	struct rv_dc dc = {
		.b = decoder->block,
		.cpu = decoder->cpu,
		.pc = pc,
		.raw = raw,
		.len = rv_insn_length(raw),
		.mem_idx = decoder->flags & RV_BLOCK_MEM_IDX_MASK,
		.flags = decoder->flags,
		.fp_dirtied = decoder->fp_dirtied,
		.index = decoder->insns++,
	};
	bool (*decode)(struct rv_dc * dc);

	dc.insn = dc.len == 2 ? rv_expand_compressed((uint16_t)raw) : raw;
	ir_insn_start(dc.b, pc);
	/* An expansion of 0 marks a reserved compressed encoding: 0 is no valid instruction. */
	decode = dc.insn ? rv_major_table[(dc.insn >> 2) & 31u] : NULL;
	if ((dc.insn & 3u) != 3u || !decode || !decode(&dc))
		rv_illegal(&dc);
	decoder->fp_dirtied = dc.fp_dirtied;
	return dc.end;
}
