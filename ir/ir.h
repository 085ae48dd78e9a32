/* SPDX-License-Identifier: MIT */
/*
 * The IR every guest frontend (arch/<isa>/guest/decode.c) translates into and every backend runs:
 * the interpreter (interp/) and the JIT (jit/). Nothing here knows a guest ISA.
 *
 * A block is a straight-line array of ops over numbered temporaries, ending in an exit; exits may
 * also sit in the middle behind a condition (a taken branch). Guest state is reached only through
 * IR_GET/IR_SET at byte offsets into the ISA's architectural state struct, so the same block runs
 * against any vCPU of that ISA. IR_INSN_START marks where each guest instruction begins: every op
 * that can fault (loads, stores, helpers that raise) reports the guest PC of the last marker, which
 * is what makes exceptions precise.
 */
#ifndef PV_IR_IR_H
#define PV_IR_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ir_type {
	IR_TYPE_NONE, /* ops without a result */
	IR_I32,
	IR_I64,
	IR_F32, /* held as IEEE-754 binary32 bits */
	IR_F64, /* held as IEEE-754 binary64 bits */
	IR_V128, /* reserved for vector frontends */
};

/*
 * Operand conventions: dst and src[] are temporaries; imm is a constant operand. Integer ops take
 * and produce ir_op.type (I32 or I64) unless said otherwise. Shift and rotate amounts are taken
 * modulo the width. Division and remainder are total functions with RISC-V's results, which other
 * ISAs reach with a SETCC/SELECT or an explicit check: x / 0 = all ones (DIVU) or -1 (DIV),
 * x % 0 = x, MIN / -1 = MIN, MIN % -1 = 0. I32 values live in the low half of a 64-bit slot
 * with the upper half zero, in every backend.
 */
enum ir_opcode {
	IR_NOP,
	IR_INSN_START, /* imm: guest PC of the instruction that follows; src/dst unused */
	IR_CONST, /* dst = imm */
	IR_MOV, /* dst = src0 */
	IR_GET, /* dst = state[imm] (type-sized) */
	IR_SET, /* state[imm] = src0 */

	IR_ADD,
	IR_SUB,
	IR_MUL, /* low half */
	IR_MULH, /* high half, signed x signed */
	IR_MULHU, /* high half, unsigned x unsigned */
	IR_MULHSU, /* high half, signed src0 x unsigned src1 */
	IR_DIV,
	IR_DIVU,
	IR_REM,
	IR_REMU,
	IR_AND,
	IR_OR,
	IR_XOR,
	IR_NOT, /* dst = ~src0 */
	IR_NEG, /* dst = -src0 */
	IR_SHL,
	IR_SHR, /* logical */
	IR_SAR, /* arithmetic */
	IR_ROTL,
	IR_ROTR,
	IR_CLZ, /* count of leading zeros; the width for 0 */
	IR_CTZ, /* count of trailing zeros; the width for 0 */
	IR_POPCNT,
	IR_BSWAP,
	IR_MIN, /* signed */
	IR_MAX,
	IR_MINU,
	IR_MAXU,
	IR_SEXT, /* dst = sign-extend the low imm bits (8, 16, 32) of src0 */
	IR_ZEXT, /* dst = zero-extend the low imm bits (8, 16, 32) of src0 */
	IR_TRUNC, /* I64 src0 to I32 dst */
	IR_EXTS, /* I32 src0 to I64 dst, signed */
	IR_EXTU, /* I32 src0 to I64 dst, unsigned */
	IR_SETCC, /* dst (I32 or I64) = src0 cond src1 ? 1 : 0; cond in ir_op.cond, operands of ir_op.aux type */
	IR_SELECT, /* dst = src0 != 0 ? src1 : src2; src0 is I32 or I64, src1 and src2 of type */

	/* Addresses (src0) are I64 guest virtual addresses. */
	IR_LOAD, /* dst = mem[src0 + imm]; ir_op.mem */
	IR_STORE, /* mem[src0 + imm] = src1; ir_op.mem */
	IR_ATOMIC_RMW, /* dst = mem[src0]; mem[src0] = cond(dst, src1), atomically; ir_op.mem, rmw in cond */
	IR_CMPXCHG, /* dst = mem[src0]; if dst == src1 then mem[src0] = src2, atomically; ir_op.mem */
	IR_FENCE, /* imm: IR_FENCE_* bits */

	/* Floating point on F32/F64 by ir_op.type; rounding mode in ir_op.cond (enum ir_round);
	 * exception flags accumulate into the frontend's flags field (struct ir_guest.fflags_offset). */
	IR_FADD,
	IR_FSUB,
	IR_FMUL,
	IR_FDIV,
	IR_FSQRT, /* dst = sqrt(src0) */
	IR_FMADD, /* dst = src0 * src1 + src2, one rounding */
	IR_FMSUB, /* dst = src0 * src1 - src2 */
	IR_FNMADD, /* dst = -(src0 * src1) - src2 */
	IR_FNMSUB, /* dst = -(src0 * src1) + src2 */
	IR_FMIN, /* IEEE 754-2019 minimumNumber; -0 < +0 */
	IR_FMAX,
	IR_FEQ, /* dst I64 = 0/1 on operands of ir_op.aux type (F32/F64); quiet compare */
	IR_FLT, /* signaling compare */
	IR_FLE,
	/* dst integer ir_op.type from float ir_op.aux type; IR_FCVT_UNSIGNED in imm. Out of range
	 * saturates, NaN gives the largest value, both raising invalid (RISC-V's rule). */
	IR_FCVT_F2I,
	IR_FCVT_I2F, /* dst float ir_op.type from integer ir_op.aux type; IR_FCVT_UNSIGNED in imm */
	IR_FCVT_F2F, /* dst float ir_op.type from float ir_op.aux type */

	/* dst (I64) = helper(cpu, src0, src1, src2); imm: const struct ir_helper *. Integer arguments,
	 * I32 ones zero-extended; unused ones are IR_TEMP_NONE and pass 0. */
	IR_CALL,

	/* Exits: the block stops and the engine continues at the guest PC the exit names. */
	IR_EXIT_GOTO, /* direct: next PC = imm (chainable) */
	IR_EXIT_GOTO_IF, /* if src0 != 0: next PC = imm; else fall through to the next op */
	IR_EXIT_JUMP, /* indirect: next PC = src0 */
	IR_EXIT_EXCEPTION, /* raise cause imm with value src0 (I64, or IR_TEMP_NONE for 0) here */
	IR_EXIT_STATE, /* next PC already written to the state's PC by a helper (traps, xRET, CSRs) */

	IR_OPCODE_COUNT
};

enum ir_cond {
	IR_COND_EQ,
	IR_COND_NE,
	IR_COND_LT, /* signed */
	IR_COND_GE,
	IR_COND_LE,
	IR_COND_GT,
	IR_COND_LTU, /* unsigned */
	IR_COND_GEU,
	IR_COND_LEU,
	IR_COND_GTU,
};

enum ir_rmw {
	IR_RMW_XCHG,
	IR_RMW_ADD,
	IR_RMW_AND,
	IR_RMW_OR,
	IR_RMW_XOR,
	IR_RMW_MIN,
	IR_RMW_MAX,
	IR_RMW_MINU,
	IR_RMW_MAXU,
};

enum ir_round {
	IR_ROUND_NEAREST_EVEN,
	IR_ROUND_TO_ZERO,
	IR_ROUND_DOWN,
	IR_ROUND_UP,
	IR_ROUND_NEAREST_MAX, /* ties away from zero */
	/* The frontend's current mode (struct ir_guest.round_offset), which the frontend keeps
	 * valid or checks before the op (RISC-V: an invalid frm makes the instruction illegal). */
	IR_ROUND_DYNAMIC,
};

/* IEEE exception flags, accumulated as RISC-V's fflags orders them. */
#define IR_FFLAG_INEXACT 0x01u
#define IR_FFLAG_UNDERFLOW 0x02u
#define IR_FFLAG_OVERFLOW 0x04u
#define IR_FFLAG_DIVZERO 0x08u
#define IR_FFLAG_INVALID 0x10u

#define IR_FCVT_UNSIGNED 1u

#define IR_FENCE_LOAD_LOAD 0x1u
#define IR_FENCE_LOAD_STORE 0x2u
#define IR_FENCE_STORE_LOAD 0x4u
#define IR_FENCE_STORE_STORE 0x8u
#define IR_FENCE_INSN 0x10u /* instruction-fetch coherence (fence.i, isb) */

/* A memory access: size, sign and which translation regime (the frontend's MMU index). */
#define IR_MMU_IDX_MAX 8

struct ir_mem {
	uint8_t log2_size; /* 0..3: 1, 2, 4, 8 bytes */
	bool sign; /* sign-extend a narrower load to ir_op.type */
	bool aligned; /* misalignment faults instead of being split */
	uint8_t order; /* IR_ORDER_* bits for atomics and LR/SC */
	uint8_t mmu_idx; /* below IR_MMU_IDX_MAX */
};
#define IR_ORDER_ACQUIRE 0x1u
#define IR_ORDER_RELEASE 0x2u

/* A C function a block calls for what IR does not express directly (CSRs, traps, xRET). */
struct ir_helper {
	const char *name; /* printed by ir_print */
	uint64_t (*fn)(void *cpu, uint64_t a, uint64_t b, uint64_t c);
	uint8_t nargs; /* 0..3 */
	uint8_t flags; /* IR_HELPER_* */
};
#define IR_HELPER_READS_STATE 0x1u /* guest registers must be in the state before the call */
#define IR_HELPER_WRITES_STATE 0x2u /* registers cached by the backend must be reloaded after */
#define IR_HELPER_MAY_RAISE \
	0x4u /* may raise a guest exception (precise: uses the last INSN_START) */

typedef uint16_t ir_temp;
#define IR_TEMP_NONE ((ir_temp)0xffff)

struct ir_op {
	uint8_t opcode; /* enum ir_opcode */
	uint8_t type; /* enum ir_type of the result (or of the stored value, for stores and SET) */
	uint8_t cond; /* enum ir_cond, ir_rmw or ir_round, by opcode */
	uint8_t aux; /* operand type where it differs from type: SETCC, FCVT */
	struct ir_mem mem;
	ir_temp dst;
	ir_temp src[3];
	uint64_t imm;
};

/* What a frontend tells the IR about its state struct, shared by all its blocks. */
struct ir_guest {
	const char *isa_name;
	size_t state_size;
	size_t pc_offset; /* uint64_t guest PC */
	size_t fflags_offset; /* uint32_t IEEE flags accumulated by FP ops (IR_FFLAG_*) */
	size_t round_offset; /* uint32_t current enum ir_round, for IR_ROUND_DYNAMIC */
	/* Result of an FP op that produces a NaN: true returns the canonical quiet NaN (RISC-V),
	 * false propagates the first NaN operand, quieted (x86, Arm without DN). */
	bool canonical_nan;
	/* Names guest-state offsets in ir_print output ("x5", "pc"); may be NULL. */
	const char *(*state_name)(size_t offset);
};

#define IR_NO_PAGE UINT64_MAX

#define IR_BLOCK_MAX_OPS 1024
#define IR_BLOCK_MAX_TEMPS 1024

struct ir_block {
	const struct ir_guest *guest;
	uint64_t guest_pc; /* virtual PC of the first instruction */
	uint64_t guest_phys; /* its guest-physical address, the block cache's key */
	uint32_t guest_bytes; /* bytes of guest code covered; a block never crosses a page */
	uint32_t guest_insns;
	uint8_t mmu_idx; /* translation regime the code was fetched under */
	uint32_t flags; /* the frontend's translation-time state (emu_guest_ops.block_flags) */
	/* Guest-physical page of the block's last bytes when an instruction straddles a page
	 * boundary, else IR_NO_PAGE: a write to either page makes the block stale. */
	uint64_t phys_page2;
	uint16_t nops;
	uint16_t ntemps;
	bool overflow; /* an emitter found no room: the block must not run */
	uint8_t temp_type[IR_BLOCK_MAX_TEMPS]; /* enum ir_type of each temporary */
	struct ir_op ops[IR_BLOCK_MAX_OPS];
};

#endif
