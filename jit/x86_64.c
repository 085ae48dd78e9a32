// SPDX-License-Identifier: MIT
/*
 * The x86-64 backend (jit/backend.h): an instruction encoder and a translator from one IR block to
 * one host function, op by op, with the interpreter's semantics (interp/interp.c, ir/eval.h).
 *
 * Fixed registers for the whole block, all callee-saved so helper calls keep them:
 *   rbx  the engine's per-vCPU struct (helpers' first argument)
 *   rbp  the temps array: temporary t lives at [rbp + 8t] (no register allocation yet)
 *   r13  the guest state    r14  the softmmu TLB    r15  the struct jit_exit to fill
 * rax, rcx, rdx, rsi, rdi and r8 are scratch within an op. I32 values are kept zero-extended in
 * their slots, which 32-bit x86 instructions give for free. Loads and stores test the softmmu TLB
 * inline and call jit/runtime.c's slow paths on a miss.
 *
 * The epilogue comes first in the code and the entry point after it, so every exit is a backward
 * jump to a known place; forward jumps (slow paths, skipped exits) are patched once their target
 * is emitted. The code uses no RIP-relative data and calls through absolute addresses, so it can
 * be produced anywhere and copied into the code cache.
 */
#include "jit/backend.h"

#include "lib/errno.h"

#if defined(__x86_64__)

#include <stdatomic.h>
#include <stddef.h>

#include "ir/info.h"

enum reg { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

#define R_CPU RBX
#define R_TEMPS RBP
#define R_STATE R13
#define R_TLB R14
#define R_EXIT R15
#define NO_INDEX (-1)

/* Condition codes, as the low nibble of Jcc, SETcc and CMOVcc. */
enum cc {
	CC_B = 2,
	CC_AE = 3,
	CC_E = 4,
	CC_NE = 5,
	CC_BE = 6,
	CC_A = 7,
	CC_L = 0xc,
	CC_GE = 0xd,
	CC_LE = 0xe,
	CC_G = 0xf,
};

static const uint8_t cond_cc[] = {
	[IR_COND_EQ] = CC_E,   [IR_COND_NE] = CC_NE, [IR_COND_LT] = CC_L,  [IR_COND_GE] = CC_GE,
	[IR_COND_LE] = CC_LE,  [IR_COND_GT] = CC_G,  [IR_COND_LTU] = CC_B, [IR_COND_GEU] = CC_AE,
	[IR_COND_LEU] = CC_BE, [IR_COND_GTU] = CC_A,
};

/*
 * Opcodes as one number: the opcode bytes in bits 0-15 (two bytes when above 0xff, 0x0f first)
 * and a mandatory prefix (0x66, 0xf3), which goes before REX, in bits 16-23.
 */
#define OP_ADD 0x03u /* r, r/m */
#define OP_OR 0x0bu
#define OP_AND 0x23u
#define OP_SUB 0x2bu
#define OP_XOR 0x33u
#define OP_CMP 0x3bu
#define OP_MOVSXD 0x63u
#define OP_IMUL_IMM 0x69u /* r, r/m, imm32 */
#define OP_GRP1_BYTE 0x80u /* /digit r/m8, imm8 */
#define OP_GRP1_IMM8 0x83u /* /digit r/m, imm8 */
#define OP_GRP1_IMM32 0x81u
#define OP_MOV_STORE8 0x88u /* r/m8, r8 */
#define OP_MOV_STORE 0x89u /* r/m, r */
#define OP_MOV_STORE16 0x660089u
#define OP_MOV_LOAD 0x8bu /* r, r/m */
#define OP_LEA 0x8du
#define OP_TEST8 0x84u
#define OP_TEST 0x85u
#define OP_SHIFT_IMM8 0xc1u /* /digit r/m, imm8 */
#define OP_MOV_IMM32 0xc7u /* /0 r/m, imm32 */
#define OP_SHIFT_CL 0xd3u /* /digit r/m, cl */
#define OP_GRP3 0xf7u /* /2 not, /3 neg, /4 mul, /5 imul, /6 div, /7 idiv */
#define OP_CALL_RM 0xffu /* /2 */
#define OP_IMUL 0x0fafu
#define OP_MOVZX8 0x0fb6u
#define OP_MOVZX16 0x0fb7u
#define OP_MOVSX8 0x0fbeu
#define OP_MOVSX16 0x0fbfu
#define OP_BSF 0x0fbcu
#define OP_BSR 0x0fbdu
#define OP_POPCNT 0xf30fb8u
#define OP_CMOV(cc) (0x0f40u | (cc))
#define OP_SETCC(cc) (0x0f90u | (cc))

/* /digit of OP_SHIFT_CL and OP_SHIFT_IMM8 */
enum { SHIFT_ROL = 0, SHIFT_ROR = 1, SHIFT_SHL = 4, SHIFT_SHR = 5, SHIFT_SAR = 7 };

/* Room every op may use before the buffer's end is checked again: the longest op is far less. */
#define OP_MAX_BYTES 256u

struct asm_buf {
	uint8_t *p;
	size_t len;
	size_t cap;
	const struct jit_layout *layout;
	/* The last IR_INSN_START's PC, stored into the vCPU only where it can be read (helpers,
	 * slow paths, exits): one store per block instead of one per guest instruction. */
	uint64_t insn_pc;
	bool insn_pc_stored;
};

static void put8(struct asm_buf *a, unsigned v)
{
	a->p[a->len++] = (uint8_t)v;
}

static void put32(struct asm_buf *a, uint32_t v)
{
	__builtin_memcpy(a->p + a->len, &v, 4);
	a->len += 4;
}

static void put64(struct asm_buf *a, uint64_t v)
{
	__builtin_memcpy(a->p + a->len, &v, 8);
	a->len += 8;
}

static bool fits_s32(uint64_t v)
{
	return (int64_t)v == (int32_t)v;
}

/* Prefix, REX when needed, then the opcode bytes. */
static void opcode(struct asm_buf *a, uint32_t op, bool w, unsigned reg, unsigned index,
		   unsigned base)
{
	unsigned rex = 0x40 | (w ? 8 : 0) | (reg & 8 ? 4 : 0) | (index & 8 ? 2 : 0) |
		       (base & 8 ? 1 : 0);

	if (op >> 16)
		put8(a, op >> 16);
	if (rex != 0x40)
		put8(a, rex);
	if ((op & 0xffff) > 0xff)
		put8(a, (op >> 8) & 0xff);
	put8(a, op & 0xff);
}

/* op reg, [base + index + disp] (index NO_INDEX: none); reg is a /digit for group opcodes. */
static void op_mem(struct asm_buf *a, uint32_t op, bool w, unsigned reg, unsigned base, int index,
		   int32_t disp)
{
	unsigned mod = disp == (int8_t)disp ? 1 : 2;
	/* rsp and r12 as a base can only be said with a SIB byte, whose index 100 means none. */
	bool sib = index != NO_INDEX || (base & 7) == RSP;

	opcode(a, op, w, reg, index == NO_INDEX ? 0 : (unsigned)index, base);
	put8(a, mod << 6 | (reg & 7) << 3 | (sib ? 4 : base & 7));
	if (sib)
		put8(a, (unsigned)(index == NO_INDEX ? RSP : index) << 3 | (base & 7));
	if (mod == 1)
		put8(a, (uint8_t)disp);
	else
		put32(a, (uint32_t)disp);
}

/* op reg, rm between registers. */
static void op_reg(struct asm_buf *a, uint32_t op, bool w, unsigned reg, unsigned rm)
{
	opcode(a, op, w, reg, 0, rm);
	put8(a, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

static int32_t temp_disp(ir_temp t)
{
	return (int32_t)t * 8;
}

static void load_temp(struct asm_buf *a, unsigned reg, ir_temp t, bool w)
{
	op_mem(a, OP_MOV_LOAD, w, reg, R_TEMPS, NO_INDEX, temp_disp(t));
}

static void store_temp(struct asm_buf *a, unsigned reg, ir_temp t)
{
	op_mem(a, OP_MOV_STORE, true, reg, R_TEMPS, NO_INDEX, temp_disp(t));
}

/* reg = v, in the shortest form that gives all 64 bits. */
static void mov_imm(struct asm_buf *a, unsigned reg, uint64_t v)
{
	if (v <= UINT32_MAX) {
		opcode(a, 0xb8 + (reg & 7), false, 0, 0, reg);
		put32(a, (uint32_t)v);
	} else if (fits_s32(v)) {
		op_reg(a, OP_MOV_IMM32, true, 0, reg);
		put32(a, (uint32_t)v);
	} else {
		opcode(a, 0xb8 + (reg & 7), true, 0, 0, reg);
		put64(a, v);
	}
}

/* The 64-bit slot at [base + disp] = v. */
static void store_imm(struct asm_buf *a, unsigned base, int32_t disp, uint64_t v)
{
	if (fits_s32(v)) {
		op_mem(a, OP_MOV_IMM32, true, 0, base, NO_INDEX, disp);
		put32(a, (uint32_t)v);
	} else {
		mov_imm(a, RAX, v);
		op_mem(a, OP_MOV_STORE, true, RAX, base, NO_INDEX, disp);
	}
}

/* Jumps forward: the rel32 is filled by patch() once the target is known. */
static size_t jcc_forward(struct asm_buf *a, unsigned cc)
{
	put8(a, 0x0f);
	put8(a, 0x80 | cc);
	put32(a, 0);
	return a->len - 4;
}

static size_t jmp_forward(struct asm_buf *a)
{
	put8(a, 0xe9);
	put32(a, 0);
	return a->len - 4;
}

static void patch(struct asm_buf *a, size_t at)
{
	uint32_t rel = (uint32_t)(a->len - (at + 4));

	__builtin_memcpy(a->p + at, &rel, 4);
}

/* The epilogue is at offset 0: every exit jumps back to it. */
static void jmp_epilogue(struct asm_buf *a)
{
	int64_t rel = -(int64_t)(a->len + 2);

	if (rel >= INT8_MIN) {
		put8(a, 0xeb);
		put8(a, (uint8_t)rel);
	} else {
		put8(a, 0xe9);
		put32(a, (uint32_t)(-(int64_t)(a->len + 4)));
	}
}

static void jcc_epilogue(struct asm_buf *a, unsigned cc)
{
	put8(a, 0x0f);
	put8(a, 0x80 | cc);
	put32(a, (uint32_t)(-(int64_t)(a->len + 4)));
}

static void call_abs(struct asm_buf *a, const void *fn)
{
	mov_imm(a, RAX, (uint64_t)(uintptr_t)fn);
	op_reg(a, OP_CALL_RM, false, 2, RAX);
}

static void push(struct asm_buf *a, unsigned reg)
{
	opcode(a, 0x50 + (reg & 7), false, 0, 0, reg);
}

static void pop(struct asm_buf *a, unsigned reg)
{
	opcode(a, 0x58 + (reg & 7), false, 0, 0, reg);
}

static void epilogue(struct asm_buf *a)
{
	pop(a, R15);
	pop(a, R14);
	pop(a, R13);
	pop(a, RBP);
	pop(a, RBX);
	put8(a, 0xc3);
}

/* Five pushes after the return address leave rsp 16-byte aligned for calls, as SysV wants. */
static void prologue(struct asm_buf *a)
{
	push(a, RBX);
	push(a, RBP);
	push(a, R13);
	push(a, R14);
	push(a, R15);
	op_reg(a, OP_MOV_LOAD, true, R_CPU, RDI);
	op_reg(a, OP_MOV_LOAD, true, R_TEMPS, RSI);
	op_reg(a, OP_MOV_LOAD, true, R_EXIT, RDX);
	op_mem(a, OP_MOV_LOAD, true, R_STATE, R_CPU, NO_INDEX, (int32_t)a->layout->state);
	op_mem(a, OP_MOV_LOAD, true, R_TLB, R_CPU, NO_INDEX, (int32_t)a->layout->tlb);
}

/* The vCPU's insn_pc = the current instruction's, on a path that may continue without it. */
static void store_insn_pc(struct asm_buf *a)
{
	store_imm(a, R_CPU, (int32_t)a->layout->insn_pc, a->insn_pc);
}

/* The same on the main path: once stored, it holds until the next IR_INSN_START. */
static void sync_insn_pc(struct asm_buf *a)
{
	if (a->insn_pc_stored)
		return;
	store_insn_pc(a);
	a->insn_pc_stored = true;
}

/* ---- exits ---------------------------------------------------------------------------------- */

static void exit_kind(struct asm_buf *a, enum jit_exit_kind kind)
{
	op_mem(a, OP_MOV_IMM32, false, 0, R_EXIT, NO_INDEX, offsetof(struct jit_exit, kind));
	put32(a, kind);
}

static void exit_pc_imm(struct asm_buf *a, uint64_t pc)
{
	exit_kind(a, JIT_EXIT_PC);
	store_imm(a, R_EXIT, offsetof(struct jit_exit, pc), pc);
	jmp_epilogue(a);
}

static void emit_exit(struct asm_buf *a, const struct ir_op *op)
{
	size_t skip;

	sync_insn_pc(a);
	switch (op->opcode) {
	case IR_EXIT_GOTO:
		exit_pc_imm(a, op->imm);
		break;
	case IR_EXIT_GOTO_IF:
		op_mem(a, OP_GRP1_IMM8, true, 7, R_TEMPS, NO_INDEX, temp_disp(op->src[0]));
		put8(a, 0);
		skip = jcc_forward(a, CC_E);
		exit_pc_imm(a, op->imm);
		patch(a, skip);
		break;
	case IR_EXIT_JUMP:
		exit_kind(a, JIT_EXIT_PC);
		load_temp(a, RAX, op->src[0], true);
		op_mem(a, OP_MOV_STORE, true, RAX, R_EXIT, NO_INDEX, offsetof(struct jit_exit, pc));
		jmp_epilogue(a);
		break;
	case IR_EXIT_EXCEPTION:
		exit_kind(a, JIT_EXIT_EXCEPTION);
		store_imm(a, R_EXIT, offsetof(struct jit_exit, cause), op->imm);
		if (op->src[0] == IR_TEMP_NONE) {
			store_imm(a, R_EXIT, offsetof(struct jit_exit, tval), 0);
		} else {
			load_temp(a, RAX, op->src[0], true);
			op_mem(a, OP_MOV_STORE, true, RAX, R_EXIT, NO_INDEX,
			       offsetof(struct jit_exit, tval));
		}
		jmp_epilogue(a);
		break;
	default: /* IR_EXIT_STATE */
		exit_kind(a, JIT_EXIT_STATE);
		jmp_epilogue(a);
		break;
	}
}

/* ---- integer ops ---------------------------------------------------------------------------- */

/* The two-operand ALU ops whose x86 form is "op r, r/m". */
static const uint32_t alu_op[IR_OPCODE_COUNT] = {
	[IR_ADD] = OP_ADD, [IR_SUB] = OP_SUB, [IR_AND] = OP_AND,
	[IR_OR] = OP_OR,   [IR_XOR] = OP_XOR, [IR_MUL] = OP_IMUL,
};

/* Shifts and rotates: x86 masks the count by the width, as the IR does. */
static const uint8_t shift_digit[IR_OPCODE_COUNT] = {
	[IR_SHL] = SHIFT_SHL,  [IR_SHR] = SHIFT_SHR,  [IR_SAR] = SHIFT_SAR,
	[IR_ROTL] = SHIFT_ROL, [IR_ROTR] = SHIFT_ROR,
};

/* MIN..MAXU: keep src0 unless this condition on (src0, src1) picks src1. */
static const uint8_t minmax_cc[IR_OPCODE_COUNT] = {
	[IR_MIN] = CC_G,
	[IR_MAX] = CC_L,
	[IR_MINU] = CC_A,
	[IR_MAXU] = CC_B,
};

/* MIN..MAXU of the atomics: store the operand unless this condition on (old, operand) keeps
 * old; the same choice as minmax_cc's. */
static const uint8_t rmw_cc[] = {
	[IR_RMW_MIN] = CC_G,
	[IR_RMW_MAX] = CC_L,
	[IR_RMW_MINU] = CC_A,
	[IR_RMW_MAXU] = CC_B,
};

/* High halves; 32-bit forms take the full 64-bit product of the extended operands. */
static void emit_mulh(struct asm_buf *a, const struct ir_op *op, bool w)
{
	ir_temp x = op->src[0], y = op->src[1];

	if (!w) {
		if (op->opcode == IR_MULHU)
			load_temp(a, RAX, x, false);
		else
			op_mem(a, OP_MOVSXD, true, RAX, R_TEMPS, NO_INDEX, temp_disp(x));
		if (op->opcode == IR_MULH)
			op_mem(a, OP_MOVSXD, true, RCX, R_TEMPS, NO_INDEX, temp_disp(y));
		else
			load_temp(a, RCX, y, false);
		op_reg(a, OP_IMUL, true, RAX, RCX);
		op_reg(a, OP_SHIFT_IMM8, true, SHIFT_SHR, RAX);
		put8(a, 32);
		store_temp(a, RAX, op->dst);
		return;
	}
	load_temp(a, RAX, x, true);
	op_mem(a, OP_GRP3, true, op->opcode == IR_MULH ? 5 : 4, R_TEMPS, NO_INDEX, temp_disp(y));
	if (op->opcode == IR_MULHSU) {
		/* signed x unsigned = unsigned product minus y when x is negative */
		load_temp(a, RCX, x, true);
		op_reg(a, OP_SHIFT_IMM8, true, SHIFT_SAR, RCX);
		put8(a, 63);
		op_mem(a, OP_AND, true, RCX, R_TEMPS, NO_INDEX, temp_disp(y));
		op_reg(a, OP_SUB, true, RDX, RCX);
	}
	store_temp(a, RDX, op->dst);
}

/*
 * DIV, DIVU, REM, REMU with ir.h's total results: x / 0 = -1, x % 0 = x, and (signed) x / -1 =
 * -x, x % -1 = 0, which covers MIN / -1 without idiv's overflow trap.
 */
static void emit_div(struct asm_buf *a, const struct ir_op *op, bool w)
{
	bool is_signed = op->opcode == IR_DIV || op->opcode == IR_REM;
	bool rem = op->opcode == IR_REM || op->opcode == IR_REMU;
	size_t zero, minus_one = 0, done1 = 0, done2;

	load_temp(a, RAX, op->src[0], w);
	load_temp(a, RCX, op->src[1], w);
	op_reg(a, OP_TEST, w, RCX, RCX);
	zero = jcc_forward(a, CC_E);
	if (is_signed) {
		op_reg(a, OP_GRP1_IMM8, w, 7, RCX); /* cmp rcx, -1 */
		put8(a, 0xff);
		minus_one = jcc_forward(a, CC_NE);
		if (rem)
			op_reg(a, OP_XOR, false, RAX, RAX);
		else
			op_reg(a, OP_GRP3, w, 3, RAX); /* neg */
		done1 = jmp_forward(a);
		patch(a, minus_one);
		opcode(a, 0x99, w, 0, 0, 0); /* cdq / cqo */
		op_reg(a, OP_GRP3, w, 7, RCX); /* idiv */
	} else {
		op_reg(a, OP_XOR, false, RDX, RDX);
		op_reg(a, OP_GRP3, w, 6, RCX); /* div */
	}
	if (rem)
		op_reg(a, OP_MOV_LOAD, w, RAX, RDX);
	done2 = jmp_forward(a);
	patch(a, zero);
	if (!rem)
		mov_imm(a, RAX, w ? UINT64_MAX : UINT32_MAX);
	if (is_signed)
		patch(a, done1);
	patch(a, done2);
	store_temp(a, RAX, op->dst);
}

static void emit_unary(struct asm_buf *a, const struct ir_op *op, bool w)
{
	unsigned width = w ? 64 : 32;
	int32_t src = temp_disp(op->src[0]);

	switch (op->opcode) {
	case IR_NOT:
	case IR_NEG:
		load_temp(a, RAX, op->src[0], w);
		op_reg(a, OP_GRP3, w, op->opcode == IR_NOT ? 2 : 3, RAX);
		break;
	case IR_BSWAP:
		load_temp(a, RAX, op->src[0], w);
		opcode(a, 0x0fc8, w, 0, 0, RAX);
		break;
	case IR_CLZ:
		/* width - 1 - bsr, as (width - 1) ^ bsr; a zero source picks 2 * width - 1, which
		 * the xor turns into width. */
		mov_imm(a, RCX, 2 * width - 1);
		op_mem(a, OP_BSR, w, RAX, R_TEMPS, NO_INDEX, src);
		op_reg(a, OP_CMOV(CC_E), w, RAX, RCX);
		op_reg(a, OP_GRP1_IMM8, false, 6, RAX); /* xor eax, width - 1 */
		put8(a, width - 1);
		break;
	case IR_CTZ:
		mov_imm(a, RCX, width);
		op_mem(a, OP_BSF, w, RAX, R_TEMPS, NO_INDEX, src);
		op_reg(a, OP_CMOV(CC_E), w, RAX, RCX);
		break;
	default: /* IR_POPCNT */
		op_mem(a, OP_POPCNT, w, RAX, R_TEMPS, NO_INDEX, src);
		break;
	}
	store_temp(a, RAX, op->dst);
}

static void emit_binary(struct asm_buf *a, const struct ir_op *op, bool w)
{
	switch (op->opcode) {
	case IR_MULH:
	case IR_MULHU:
	case IR_MULHSU:
		emit_mulh(a, op, w);
		return;
	case IR_DIV:
	case IR_DIVU:
	case IR_REM:
	case IR_REMU:
		emit_div(a, op, w);
		return;
	case IR_SHL:
	case IR_SHR:
	case IR_SAR:
	case IR_ROTL:
	case IR_ROTR:
		load_temp(a, RAX, op->src[0], w);
		load_temp(a, RCX, op->src[1], false);
		op_reg(a, OP_SHIFT_CL, w, shift_digit[op->opcode], RAX);
		break;
	case IR_MIN:
	case IR_MAX:
	case IR_MINU:
	case IR_MAXU:
		load_temp(a, RAX, op->src[0], w);
		load_temp(a, RCX, op->src[1], w);
		op_reg(a, OP_CMP, w, RAX, RCX);
		op_reg(a, OP_CMOV(minmax_cc[op->opcode]), w, RAX, RCX);
		break;
	default:
		load_temp(a, RAX, op->src[0], w);
		op_mem(a, alu_op[op->opcode], w, RAX, R_TEMPS, NO_INDEX, temp_disp(op->src[1]));
		break;
	}
	store_temp(a, RAX, op->dst);
}

/* SEXT, ZEXT (imm bits 8, 16, 32 within the type), TRUNC, EXTS, EXTU. */
static void emit_extend(struct asm_buf *a, const struct ir_op *op, bool w)
{
	int32_t src = temp_disp(op->src[0]);

	switch (op->opcode) {
	case IR_SEXT:
		if (op->imm == 32)
			op_mem(a, OP_MOVSXD, true, RAX, R_TEMPS, NO_INDEX, src);
		else
			op_mem(a, op->imm == 8 ? OP_MOVSX8 : OP_MOVSX16, w, RAX, R_TEMPS, NO_INDEX,
			       src);
		break;
	case IR_ZEXT:
		if (op->imm == 32)
			load_temp(a, RAX, op->src[0], false);
		else
			op_mem(a, op->imm == 8 ? OP_MOVZX8 : OP_MOVZX16, false, RAX, R_TEMPS,
			       NO_INDEX, src);
		break;
	case IR_EXTS:
		op_mem(a, OP_MOVSXD, true, RAX, R_TEMPS, NO_INDEX, src);
		break;
	default: /* IR_TRUNC, IR_EXTU: the low half, zero-extended */
		load_temp(a, RAX, op->src[0], false);
		break;
	}
	store_temp(a, RAX, op->dst);
}

/* ---- memory --------------------------------------------------------------------------------- */

/* rsi = the access's virtual address. */
static void emit_address(struct asm_buf *a, const struct ir_op *op)
{
	load_temp(a, RSI, op->src[0], true);
	if (op->imm == 0)
		return;
	if (fits_s32(op->imm)) {
		op_reg(a, OP_GRP1_IMM32, true, 0, RSI);
		put32(a, (uint32_t)op->imm);
	} else {
		mov_imm(a, RAX, op->imm);
		op_reg(a, OP_ADD, true, RSI, RAX);
	}
}

/*
 * mmu_load/mmu_store's hit test on rsi: rax = the entry's offset within its MMU index's table,
 * then the tag compare. Returns where the jump to the slow path must be patched; on a hit rsi
 * becomes the host address.
 */
static size_t emit_tlb_hit(struct asm_buf *a, const struct ir_op *op, size_t tag)
{
	int32_t table = (int32_t)(offsetof(struct tlb, entries) +
				  op->mem.mmu_idx * sizeof(((struct tlb *)0)->entries[0]));
	uint64_t mask = GPA_PAGE_MASK | ((1ull << op->mem.log2_size) - 1);
	size_t miss;

	op_reg(a, OP_MOV_LOAD, true, RAX, RSI);
	op_reg(a, OP_SHIFT_IMM8, true, SHIFT_SHR, RAX);
	put8(a, GPA_PAGE_SHIFT);
	op_reg(a, OP_GRP1_IMM32, false, 4, RAX); /* and eax, TLB_ENTRIES - 1 */
	put32(a, TLB_ENTRIES - 1);
	op_reg(a, OP_IMUL_IMM, false, RAX, RAX);
	put32(a, sizeof(struct tlb_entry));
	op_reg(a, OP_MOV_LOAD, true, RCX, RSI);
	op_reg(a, OP_GRP1_IMM32, true, 4, RCX); /* and rcx, mask (sign-extended) */
	put32(a, (uint32_t)mask);
	op_mem(a, OP_CMP, true, RCX, R_TLB, RAX, table + (int32_t)tag);
	miss = jcc_forward(a, CC_NE);
	op_mem(a, OP_ADD, true, RSI, R_TLB, RAX,
	       table + (int32_t)offsetof(struct tlb_entry, addend));
	return miss;
}

/* The slow path's answer: true (al) means it faulted and filled the exit. */
static void leave_if_faulted(struct asm_buf *a)
{
	op_reg(a, OP_TEST8, false, RAX, RAX);
	jcc_epilogue(a, CC_NE);
}

/* "reg = r/m": the 1 << log2 bytes of r/m, sign- or zero-extended to 64 (wide) or 32 bits. */
struct extension {
	uint32_t code;
	bool w;
};

static struct extension extension(unsigned log2, bool sign, bool wide)
{
	switch (log2) {
	case 0:
		return (struct extension){ sign ? OP_MOVSX8 : OP_MOVZX8, sign && wide };
	case 1:
		return (struct extension){ sign ? OP_MOVSX16 : OP_MOVZX16, sign && wide };
	case 2:
		return (struct extension){ sign && wide ? OP_MOVSXD : OP_MOV_LOAD, sign && wide };
	default:
		return (struct extension){ OP_MOV_LOAD, wide };
	}
}

/* A memory op's result as the interpreter's load_result gives it. */
static struct extension result_extension(const struct ir_op *op)
{
	return extension(op->mem.log2_size, op->mem.sign, op->type == IR_I64 || op->type == IR_F64);
}

static void emit_load(struct asm_buf *a, const struct ir_op *op)
{
	struct extension ext = result_extension(op);
	size_t miss, done;

	emit_address(a, op);
	miss = emit_tlb_hit(a, op, offsetof(struct tlb_entry, tag_read));
	op_mem(a, ext.code, ext.w, RAX, RSI, NO_INDEX, 0);
	store_temp(a, RAX, op->dst);
	done = jmp_forward(a);
	patch(a, miss);
	store_insn_pc(a);
	op_reg(a, OP_MOV_LOAD, true, RDI, R_TLB);
	mov_imm(a, RDX, jit_mem_desc(op));
	op_mem(a, OP_LEA, true, RCX, R_TEMPS, NO_INDEX, temp_disp(op->dst));
	op_reg(a, OP_MOV_LOAD, true, R8, R_EXIT);
	call_abs(a, (const void *)jit_load_slow);
	leave_if_faulted(a);
	patch(a, done);
}

static void emit_store(struct asm_buf *a, const struct ir_op *op)
{
	static const uint32_t store_op[] = { OP_MOV_STORE8, OP_MOV_STORE16, OP_MOV_STORE,
					     OP_MOV_STORE };
	size_t miss, done;

	emit_address(a, op);
	miss = emit_tlb_hit(a, op, offsetof(struct tlb_entry, tag_write));
	load_temp(a, RDX, op->src[1], true);
	op_mem(a, store_op[op->mem.log2_size], op->mem.log2_size == 3, RDX, RSI, NO_INDEX, 0);
	done = jmp_forward(a);
	patch(a, miss);
	store_insn_pc(a);
	op_reg(a, OP_MOV_LOAD, true, RDI, R_TLB);
	load_temp(a, RDX, op->src[1], true);
	mov_imm(a, RCX, jit_mem_desc(op));
	op_reg(a, OP_MOV_LOAD, true, R8, R_EXIT);
	call_abs(a, (const void *)jit_store_slow);
	leave_if_faulted(a);
	patch(a, done);
}

/*
 * op on the 1 << log2 bytes at [rsi], reg the register operand: the byte form for one byte, else
 * the word form with 0x66 for two bytes and REX.W for eight. lock adds the LOCK prefix.
 */
static void sized_op(struct asm_buf *a, bool lock, uint32_t op8, uint32_t op, unsigned log2,
		     unsigned reg)
{
	if (lock)
		put8(a, 0xf0);
	if (log2 == 0)
		op_mem(a, op8, false, reg, RSI, NO_INDEX, 0);
	else
		op_mem(a, op | (log2 == 1 ? 0x660000u : 0), log2 == 3, reg, RSI, NO_INDEX, 0);
}

#define OP_XCHG8 0x86u
#define OP_XCHG 0x87u
#define OP_CMPXCHG8 0x0fb0u
#define OP_CMPXCHG 0x0fb1u
#define OP_XADD8 0x0fc0u
#define OP_XADD 0x0fc1u

/*
 * IR_ATOMIC_RMW and IR_CMPXCHG as locked host instructions on the host address
 * jit_atomic_ptr finds (x86's locked operations are full barriers, stronger than any order
 * the IR asks for). XCHG and ADD have their own instructions; the others are a compare-exchange
 * loop. rax ends with the old value, extended as a load's result.
 */
static void emit_atomic(struct asm_buf *a, const struct ir_op *op)
{
	unsigned log2 = op->mem.log2_size;
	bool is_signed = op->cond == IR_RMW_MIN || op->cond == IR_RMW_MAX;
	struct extension old = extension(log2, is_signed, true), ext = result_extension(op);
	size_t retry;

	sync_insn_pc(a);
	op_reg(a, OP_MOV_LOAD, true, RDI, R_TLB);
	load_temp(a, RSI, op->src[0], true);
	mov_imm(a, RDX, jit_mem_desc(op));
	op_reg(a, OP_MOV_LOAD, true, RCX, R_EXIT);
	call_abs(a, (const void *)jit_atomic_ptr);
	op_reg(a, OP_TEST, true, RAX, RAX);
	jcc_epilogue(a, CC_E);
	op_reg(a, OP_MOV_LOAD, true, RSI, RAX);
	if (op->opcode == IR_CMPXCHG) {
		load_temp(a, RAX, op->src[1], true);
		load_temp(a, RCX, op->src[2], true);
		sized_op(a, true, OP_CMPXCHG8, OP_CMPXCHG, log2, RCX);
	} else if (op->cond == IR_RMW_XCHG || op->cond == IR_RMW_ADD) {
		load_temp(a, RAX, op->src[1], true);
		if (op->cond == IR_RMW_XCHG)
			sized_op(a, false, OP_XCHG8, OP_XCHG, log2, RAX);
		else
			sized_op(a, true, OP_XADD8, OP_XADD, log2, RAX);
	} else {
		/* rdx = the operand, rax = the value in memory, both extended for the compare */
		op_mem(a, old.code, old.w, RDX, R_TEMPS, NO_INDEX, temp_disp(op->src[1]));
		op_mem(a, old.code, old.w, RAX, RSI, NO_INDEX, 0);
		retry = a->len;
		op_reg(a, old.code, old.w, RCX, RAX);
		if (op->cond == IR_RMW_AND)
			op_reg(a, OP_AND, true, RCX, RDX);
		else if (op->cond == IR_RMW_OR)
			op_reg(a, OP_OR, true, RCX, RDX);
		else if (op->cond == IR_RMW_XOR)
			op_reg(a, OP_XOR, true, RCX, RDX);
		else {
			op_reg(a, OP_CMP, true, RCX, RDX);
			op_reg(a, OP_CMOV(rmw_cc[op->cond]), true, RCX, RDX);
		}
		sized_op(a, true, OP_CMPXCHG8, OP_CMPXCHG, log2, RCX);
		/* Lost a race: rax now holds what memory had; compute again from it. */
		put8(a, 0x0f);
		put8(a, 0x80 | CC_NE);
		put32(a, (uint32_t)((int64_t)retry - (int64_t)(a->len + 4)));
	}
	op_reg(a, ext.code, ext.w, RAX, RAX);
	store_temp(a, RAX, op->dst);
}

/* ---- the rest ------------------------------------------------------------------------------- */

static void emit_call(struct asm_buf *a, const struct ir_op *op)
{
	static const enum reg arg_reg[3] = { RSI, RDX, RCX };
	const struct ir_helper *helper = (const struct ir_helper *)(uintptr_t)op->imm;
	size_t ok;
	unsigned i;

	sync_insn_pc(a);
	op_reg(a, OP_MOV_LOAD, true, RDI, R_CPU);
	for (i = 0; i < 3; i++) {
		if (op->src[i] == IR_TEMP_NONE)
			op_reg(a, OP_XOR, false, arg_reg[i], arg_reg[i]);
		else
			load_temp(a, arg_reg[i], op->src[i], true);
	}
	call_abs(a, (const void *)helper->fn);
	store_temp(a, RAX, op->dst);
	/* As the interpreter: a helper that raised ends the block, whatever its flags said. */
	op_mem(a, OP_GRP1_BYTE, false, 7, R_CPU, NO_INDEX, (int32_t)a->layout->raised);
	put8(a, 0);
	ok = jcc_forward(a, CC_E);
	exit_kind(a, JIT_EXIT_RAISED);
	jmp_epilogue(a);
	patch(a, ok);
}

/* An FP op: the engine's evaluator computes it, flags and rounding mode included. */
static void emit_eval_fp(struct asm_buf *a, const struct ir_op *op)
{
	op_reg(a, OP_MOV_LOAD, true, RDI, R_CPU);
	mov_imm(a, RSI, (uint64_t)(uintptr_t)op);
	op_reg(a, OP_MOV_LOAD, true, RDX, R_TEMPS);
	call_abs(a, (const void *)a->layout->eval_fp);
	store_temp(a, RAX, op->dst);
}

static void emit_state(struct asm_buf *a, const struct ir_op *op)
{
	bool wide = op->type == IR_I64 || op->type == IR_F64;

	if (op->opcode == IR_GET) {
		op_mem(a, OP_MOV_LOAD, wide, RAX, R_STATE, NO_INDEX, (int32_t)op->imm);
		store_temp(a, RAX, op->dst);
	} else {
		load_temp(a, RAX, op->src[0], true);
		op_mem(a, OP_MOV_STORE, wide, RAX, R_STATE, NO_INDEX, (int32_t)op->imm);
	}
}

static void emit_op(struct asm_buf *a, const struct ir_op *op)
{
	bool w = op->type == IR_I64;

	if (ir_op_info[op->opcode].flags & IR_INFO_FP) {
		emit_eval_fp(a, op);
		return;
	}
	switch (ir_op_info[op->opcode].shape) {
	case IR_SHAPE_NONE:
		/* NOP; FENCE orders memory (mfence); instruction-fetch coherence needs nothing,
		 * as in the interpreter: written code pages retire their blocks. */
		if (op->opcode == IR_FENCE && (op->imm & ~(uint64_t)IR_FENCE_INSN)) {
			put8(a, 0x0f);
			put8(a, 0xae);
			put8(a, 0xf0);
		}
		break;
	case IR_SHAPE_MARK:
		a->insn_pc = op->imm;
		a->insn_pc_stored = false;
		break;
	case IR_SHAPE_CONST:
		store_imm(a, R_TEMPS, temp_disp(op->dst), op->imm);
		break;
	case IR_SHAPE_MOV:
		load_temp(a, RAX, op->src[0], true);
		store_temp(a, RAX, op->dst);
		break;
	case IR_SHAPE_GET:
	case IR_SHAPE_SET:
		emit_state(a, op);
		break;
	case IR_SHAPE_INT_UN:
		emit_unary(a, op, w);
		break;
	case IR_SHAPE_INT_BIN:
		emit_binary(a, op, w);
		break;
	case IR_SHAPE_EXTEND:
	case IR_SHAPE_TRUNC:
	case IR_SHAPE_WIDEN:
		emit_extend(a, op, w);
		break;
	case IR_SHAPE_SETCC:
		load_temp(a, RAX, op->src[0], op->aux == IR_I64);
		op_mem(a, OP_CMP, op->aux == IR_I64, RAX, R_TEMPS, NO_INDEX, temp_disp(op->src[1]));
		op_reg(a, OP_SETCC(cond_cc[op->cond]), false, 0, RAX);
		op_reg(a, OP_MOVZX8, false, RAX, RAX);
		store_temp(a, RAX, op->dst);
		break;
	case IR_SHAPE_SELECT:
		load_temp(a, RAX, op->src[1], true);
		load_temp(a, RCX, op->src[2], true);
		op_mem(a, OP_GRP1_IMM8, true, 7, R_TEMPS, NO_INDEX, temp_disp(op->src[0]));
		put8(a, 0);
		op_reg(a, OP_CMOV(CC_E), true, RAX, RCX);
		store_temp(a, RAX, op->dst);
		break;
	case IR_SHAPE_LOAD:
		emit_load(a, op);
		break;
	case IR_SHAPE_STORE:
		emit_store(a, op);
		break;
	case IR_SHAPE_RMW:
	case IR_SHAPE_CMPXCHG:
		emit_atomic(a, op);
		break;
	case IR_SHAPE_CALL:
		emit_call(a, op);
		break;
	default: /* the exits */
		emit_exit(a, op);
		break;
	}
}

/* CPUID traps under a hypervisor: asked once, then remembered (every thread finds the same). */
static bool host_has_popcnt(void)
{
	static _Atomic int known; /* 0: not asked yet, 1: yes, -1: no */
	int answer = atomic_load_explicit(&known, memory_order_relaxed);
	unsigned eax = 1, ebx, ecx = 0, edx;

	if (!answer) {
		__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
		answer = ecx & (1u << 23) ? 1 : -1;
		atomic_store_explicit(&known, answer, memory_order_relaxed);
	}
	return answer > 0;
}

/* What this backend handles: integer, memory, atomics, calls, exits; FP ops through the engine's
 * evaluator when it has one. */
static bool supported(const struct jit_layout *layout, const struct ir_op *op)
{
	if (op->type == IR_V128 ||
	    ((ir_op_info[op->opcode].flags & IR_INFO_FP) && !layout->eval_fp))
		return false;
	return op->opcode != IR_POPCNT || host_has_popcnt();
}

bool jit_backend_present(void)
{
	return true;
}

int jit_backend_translate(const struct jit_layout *layout, const struct ir_op *ops, unsigned nops,
			  uint8_t *buf, size_t cap, size_t *len, size_t *entry)
{
	struct asm_buf a = { .p = buf, .cap = cap, .layout = layout, .insn_pc_stored = true };
	unsigned i;

	for (i = 0; i < nops; i++)
		if (!supported(layout, &ops[i]))
			return -ENOTSUP;
	if (cap < 2 * OP_MAX_BYTES)
		return -E2BIG;
	epilogue(&a);
	*entry = a.len;
	prologue(&a);
	for (i = 0; i < nops; i++) {
		if (a.len + OP_MAX_BYTES > a.cap)
			return -E2BIG;
		emit_op(&a, &ops[i]);
	}
	*len = a.len;
	return 0;
}

#else /* no backend for this host ISA: the JIT reports itself unavailable */

bool jit_backend_present(void)
{
	return false;
}

int jit_backend_translate(const struct jit_layout *layout, const struct ir_op *ops, unsigned nops,
			  uint8_t *buf, size_t cap, size_t *len, size_t *entry)
{
	return -ENOTSUP;
}

#endif
