// SPDX-License-Identifier: MIT
/*
 * RV64C: each compressed instruction expands to the 32-bit instruction it stands for, so the
 * decoder's tables and IR serve both. The table is indexed by quadrant and funct3; reserved
 * encodings (and the all-zero parcel) expand to 0, which the decoder reports as illegal. HINTs
 * (rd = x0 forms the spec reserves for hints) expand to their base instructions, which write
 * nothing.
 */
#include <stdint.h>

#include "arch/riscv64/guest/decode.h"

/* Bit fields of the 16-bit parcel. */
static uint32_t rv_cbits(uint16_t c, unsigned hi, unsigned lo)
{
	return ((uint32_t)c >> lo) & ((1u << (hi - lo + 1)) - 1);
}

/* The three-bit register fields name x8..x15 (and f8..f15). */
static uint32_t rv_creg(uint16_t c, unsigned lo)
{
	return 8 + rv_cbits(c, lo + 2, lo);
}

/* A sign-extended 6-bit immediate from c[12] and c[6:2]. */
static int32_t rv_cimm6(uint16_t c)
{
	int32_t imm = (int32_t)((rv_cbits(c, 12, 12) << 5) | rv_cbits(c, 6, 2));

	return imm & 0x20 ? imm - 0x40 : imm;
}

static uint32_t rv_enc_i(uint32_t opc, uint32_t f3, uint32_t rd, uint32_t rs1, int32_t imm)
{
	return ((uint32_t)imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}

static uint32_t rv_enc_s(uint32_t opc, uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm)
{
	uint32_t u = (uint32_t)imm;

	return ((u >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((u & 31u) << 7) | opc;
}

static uint32_t rv_enc_r(uint32_t opc, uint32_t f7, uint32_t f3, uint32_t rd, uint32_t rs1,
			 uint32_t rs2)
{
	return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}

static uint32_t rv_enc_b(uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm)
{
	uint32_t u = (uint32_t)imm;

	return (((u >> 12) & 1u) << 31) | (((u >> 5) & 0x3fu) << 25) | (rs2 << 20) | (rs1 << 15) |
	       (f3 << 12) | (((u >> 1) & 0xfu) << 8) | (((u >> 11) & 1u) << 7) | 0x63u;
}

static uint32_t rv_enc_j(uint32_t rd, int32_t imm)
{
	uint32_t u = (uint32_t)imm;

	return (((u >> 20) & 1u) << 31) | (((u >> 1) & 0x3ffu) << 21) | (((u >> 11) & 1u) << 20) |
	       (((u >> 12) & 0xffu) << 12) | (rd << 7) | 0x6fu;
}

enum {
	RV_OPC_LOAD = 0x03,
	RV_OPC_LOAD_FP = 0x07,
	RV_OPC_OP_IMM = 0x13,
	RV_OPC_OP_IMM_32 = 0x1b,
	RV_OPC_STORE = 0x23,
	RV_OPC_STORE_FP = 0x27,
	RV_OPC_OP = 0x33,
	RV_OPC_LUI = 0x37,
	RV_OPC_OP_32 = 0x3b,
	RV_OPC_JALR = 0x67,
};

/* Quadrant 0: loads and stores relative to rs1' with scaled unsigned offsets. */

static uint32_t rv_c_addi4spn(uint16_t c)
{
	uint32_t imm = (rv_cbits(c, 12, 11) << 4) | (rv_cbits(c, 10, 7) << 6) |
		       (rv_cbits(c, 6, 6) << 2) | (rv_cbits(c, 5, 5) << 3);

	return imm ? rv_enc_i(RV_OPC_OP_IMM, 0, rv_creg(c, 2), 2, (int32_t)imm) : 0;
}

/* Offsets of the word (lw, sw) and doubleword (ld, sd, fld, fsd) forms. */
static int32_t rv_c_off_w(uint16_t c)
{
	return (int32_t)((rv_cbits(c, 12, 10) << 3) | (rv_cbits(c, 6, 6) << 2) |
			 (rv_cbits(c, 5, 5) << 6));
}

static int32_t rv_c_off_d(uint16_t c)
{
	return (int32_t)((rv_cbits(c, 12, 10) << 3) | (rv_cbits(c, 6, 5) << 6));
}

static uint32_t rv_c_fld(uint16_t c)
{
	return rv_enc_i(RV_OPC_LOAD_FP, 3, rv_creg(c, 2), rv_creg(c, 7), rv_c_off_d(c));
}

static uint32_t rv_c_lw(uint16_t c)
{
	return rv_enc_i(RV_OPC_LOAD, 2, rv_creg(c, 2), rv_creg(c, 7), rv_c_off_w(c));
}

static uint32_t rv_c_ld(uint16_t c)
{
	return rv_enc_i(RV_OPC_LOAD, 3, rv_creg(c, 2), rv_creg(c, 7), rv_c_off_d(c));
}

static uint32_t rv_c_fsd(uint16_t c)
{
	return rv_enc_s(RV_OPC_STORE_FP, 3, rv_creg(c, 7), rv_creg(c, 2), rv_c_off_d(c));
}

static uint32_t rv_c_sw(uint16_t c)
{
	return rv_enc_s(RV_OPC_STORE, 2, rv_creg(c, 7), rv_creg(c, 2), rv_c_off_w(c));
}

static uint32_t rv_c_sd(uint16_t c)
{
	return rv_enc_s(RV_OPC_STORE, 3, rv_creg(c, 7), rv_creg(c, 2), rv_c_off_d(c));
}

/* Quadrant 1: immediates, the ALU on rd', jumps and branches. */

static uint32_t rv_c_addi(uint16_t c)
{
	uint32_t rd = rv_cbits(c, 11, 7);

	return rv_enc_i(RV_OPC_OP_IMM, 0, rd, rd, rv_cimm6(c));
}

static uint32_t rv_c_addiw(uint16_t c)
{
	uint32_t rd = rv_cbits(c, 11, 7);

	return rd ? rv_enc_i(RV_OPC_OP_IMM_32, 0, rd, rd, rv_cimm6(c)) : 0;
}

static uint32_t rv_c_li(uint16_t c)
{
	return rv_enc_i(RV_OPC_OP_IMM, 0, rv_cbits(c, 11, 7), 0, rv_cimm6(c));
}

static uint32_t rv_c_lui_addi16sp(uint16_t c)
{
	uint32_t rd = rv_cbits(c, 11, 7);
	int32_t imm;

	if (rd == 2) {
		imm = (int32_t)((rv_cbits(c, 6, 6) << 4) | (rv_cbits(c, 5, 5) << 6) |
				(rv_cbits(c, 4, 3) << 7) | (rv_cbits(c, 2, 2) << 5));
		if (rv_cbits(c, 12, 12))
			imm -= 1 << 9;
		return imm ? rv_enc_i(RV_OPC_OP_IMM, 0, 2, 2, imm) : 0;
	}
	imm = rv_cimm6(c);
	return imm ? ((uint32_t)imm << 12) | (rd << 7) | RV_OPC_LUI : 0;
}

static uint32_t rv_c_misc_alu(uint16_t c)
{
	/* c[12] with c[6:5]: sub, xor, or, and; subw, addw; the rest are reserved. */
	static const struct {
		uint8_t opc, f7, f3;
	} reg_ops[8] = {
		{ RV_OPC_OP, 0x20, 0 }, { RV_OPC_OP, 0x00, 4 },	   { RV_OPC_OP, 0x00, 6 },
		{ RV_OPC_OP, 0x00, 7 }, { RV_OPC_OP_32, 0x20, 0 }, { RV_OPC_OP_32, 0x00, 0 },
	};
	uint32_t rd = rv_creg(c, 7), shamt = (rv_cbits(c, 12, 12) << 5) | rv_cbits(c, 6, 2);
	unsigned sel;

	switch (rv_cbits(c, 11, 10)) {
	case 0:
		return rv_enc_i(RV_OPC_OP_IMM, 5, rd, rd, (int32_t)shamt);
	case 1:
		return rv_enc_i(RV_OPC_OP_IMM, 5, rd, rd, (int32_t)(shamt | 0x400u));
	case 2:
		return rv_enc_i(RV_OPC_OP_IMM, 7, rd, rd, rv_cimm6(c));
	default:
		sel = (rv_cbits(c, 12, 12) << 2) | rv_cbits(c, 6, 5);
		if (sel >= 6)
			return 0;
		return rv_enc_r(reg_ops[sel].opc, reg_ops[sel].f7, reg_ops[sel].f3, rd, rd,
				rv_creg(c, 2));
	}
}

static uint32_t rv_c_j(uint16_t c)
{
	int32_t imm = (int32_t)((rv_cbits(c, 11, 11) << 4) | (rv_cbits(c, 10, 9) << 8) |
				(rv_cbits(c, 8, 8) << 10) | (rv_cbits(c, 7, 7) << 6) |
				(rv_cbits(c, 6, 6) << 7) | (rv_cbits(c, 5, 3) << 1) |
				(rv_cbits(c, 2, 2) << 5));

	if (rv_cbits(c, 12, 12))
		imm -= 1 << 11;
	return rv_enc_j(0, imm);
}

static int32_t rv_c_branch_off(uint16_t c)
{
	int32_t imm = (int32_t)((rv_cbits(c, 11, 10) << 3) | (rv_cbits(c, 6, 5) << 6) |
				(rv_cbits(c, 4, 3) << 1) | (rv_cbits(c, 2, 2) << 5));

	return rv_cbits(c, 12, 12) ? imm - (1 << 8) : imm;
}

static uint32_t rv_c_beqz(uint16_t c)
{
	return rv_enc_b(0, rv_creg(c, 7), 0, rv_c_branch_off(c));
}

static uint32_t rv_c_bnez(uint16_t c)
{
	return rv_enc_b(1, rv_creg(c, 7), 0, rv_c_branch_off(c));
}

/* Quadrant 2: stack-pointer-relative accesses, register moves, jumps through registers. */

static uint32_t rv_c_slli(uint16_t c)
{
	uint32_t rd = rv_cbits(c, 11, 7), shamt = (rv_cbits(c, 12, 12) << 5) | rv_cbits(c, 6, 2);

	return rv_enc_i(RV_OPC_OP_IMM, 1, rd, rd, (int32_t)shamt);
}

static int32_t rv_c_sp_off_w(uint16_t c)
{
	return (int32_t)((rv_cbits(c, 12, 12) << 5) | (rv_cbits(c, 6, 4) << 2) |
			 (rv_cbits(c, 3, 2) << 6));
}

static int32_t rv_c_sp_off_d(uint16_t c)
{
	return (int32_t)((rv_cbits(c, 12, 12) << 5) | (rv_cbits(c, 6, 5) << 3) |
			 (rv_cbits(c, 4, 2) << 6));
}

static uint32_t rv_c_fldsp(uint16_t c)
{
	return rv_enc_i(RV_OPC_LOAD_FP, 3, rv_cbits(c, 11, 7), 2, rv_c_sp_off_d(c));
}

static uint32_t rv_c_lwsp(uint16_t c)
{
	uint32_t rd = rv_cbits(c, 11, 7);

	return rd ? rv_enc_i(RV_OPC_LOAD, 2, rd, 2, rv_c_sp_off_w(c)) : 0;
}

static uint32_t rv_c_ldsp(uint16_t c)
{
	uint32_t rd = rv_cbits(c, 11, 7);

	return rd ? rv_enc_i(RV_OPC_LOAD, 3, rd, 2, rv_c_sp_off_d(c)) : 0;
}

/* c.jr, c.mv, c.ebreak, c.jalr, c.add, told apart by c[12], rs1 and rs2. */
static uint32_t rv_c_jr_mv_add(uint16_t c)
{
	uint32_t rd = rv_cbits(c, 11, 7), rs2 = rv_cbits(c, 6, 2);

	if (!rv_cbits(c, 12, 12)) {
		if (rs2)
			return rv_enc_r(RV_OPC_OP, 0, 0, rd, 0, rs2);
		return rd ? rv_enc_i(RV_OPC_JALR, 0, 0, rd, 0) : 0;
	}
	if (rs2)
		return rv_enc_r(RV_OPC_OP, 0, 0, rd, rd, rs2);
	return rd ? rv_enc_i(RV_OPC_JALR, 0, 1, rd, 0) : 0x00100073u;
}

static int32_t rv_c_ss_off_w(uint16_t c)
{
	return (int32_t)((rv_cbits(c, 12, 9) << 2) | (rv_cbits(c, 8, 7) << 6));
}

static int32_t rv_c_ss_off_d(uint16_t c)
{
	return (int32_t)((rv_cbits(c, 12, 10) << 3) | (rv_cbits(c, 9, 7) << 6));
}

static uint32_t rv_c_fsdsp(uint16_t c)
{
	return rv_enc_s(RV_OPC_STORE_FP, 3, 2, rv_cbits(c, 6, 2), rv_c_ss_off_d(c));
}

static uint32_t rv_c_swsp(uint16_t c)
{
	return rv_enc_s(RV_OPC_STORE, 2, 2, rv_cbits(c, 6, 2), rv_c_ss_off_w(c));
}

static uint32_t rv_c_sdsp(uint16_t c)
{
	return rv_enc_s(RV_OPC_STORE, 3, 2, rv_cbits(c, 6, 2), rv_c_ss_off_d(c));
}

/* [quadrant][funct3]; NULL rows are reserved (quadrant 0's funct3 4 belongs to Zcb). */
static uint32_t (*const rv_c_table[3][8])(uint16_t c) = {
	{ rv_c_addi4spn, rv_c_fld, rv_c_lw, rv_c_ld, NULL, rv_c_fsd, rv_c_sw, rv_c_sd },
	{ rv_c_addi, rv_c_addiw, rv_c_li, rv_c_lui_addi16sp, rv_c_misc_alu, rv_c_j, rv_c_beqz,
	  rv_c_bnez },
	{ rv_c_slli, rv_c_fldsp, rv_c_lwsp, rv_c_ldsp, rv_c_jr_mv_add, rv_c_fsdsp, rv_c_swsp,
	  rv_c_sdsp },
};

uint32_t rv_expand_compressed(uint16_t insn)
{
	unsigned quadrant = insn & 3u;
	uint32_t (*expand)(uint16_t c);

	if (quadrant == 3)
		return 0;
	expand = rv_c_table[quadrant][insn >> 13];
	return expand ? expand(insn) : 0;
}
