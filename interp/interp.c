// SPDX-License-Identifier: MIT
/*
 * The IR interpreter (interp/interp.h): one switch over the opcode per op. Temporaries are 64-bit
 * slots; an I32 result is stored zero-extended (ir/ir.h), so every I32 op masks what it writes
 * and reads its operands' low halves. Memory goes through the softmmu; atomics are C11 atomics on
 * the host address so that they are atomic against vCPUs on other host threads. Guest state is
 * read and written with __builtin_memcpy (inlined under -ffreestanding; fields may be unaligned).
 */
#include "interp/interp.h"

#include <stdatomic.h>

#include "interp/fpu.h"
#include "ir/eval.h"
#include "ir/info.h"

/* The new memory value of an atomic read-modify-write. */
static uint64_t rmw_apply(enum ir_rmw rmw, uint64_t old, uint64_t v, unsigned bits)
{
	int64_t so = (int64_t)ir_sign_extend(old, bits), sv = (int64_t)ir_sign_extend(v, bits);

	old = ir_zero_extend(old, bits);
	v = ir_zero_extend(v, bits);
	switch (rmw) {
	case IR_RMW_XCHG:
		return v;
	case IR_RMW_ADD:
		return old + v;
	case IR_RMW_AND:
		return old & v;
	case IR_RMW_OR:
		return old | v;
	case IR_RMW_XOR:
		return old ^ v;
	case IR_RMW_MIN:
		return so < sv ? old : v;
	case IR_RMW_MAX:
		return so > sv ? old : v;
	case IR_RMW_MINU:
		return old < v ? old : v;
	default:
		return old > v ? old : v;
	}
}

static memory_order order_of(const struct ir_mem *mem)
{
	switch (mem->order & (IR_ORDER_ACQUIRE | IR_ORDER_RELEASE)) {
	case IR_ORDER_ACQUIRE:
		return memory_order_acquire;
	case IR_ORDER_RELEASE:
		return memory_order_release;
	case IR_ORDER_ACQUIRE | IR_ORDER_RELEASE:
		return memory_order_seq_cst;
	default:
		return memory_order_relaxed;
	}
}

static memory_order failure_order(memory_order order)
{
	if (order == memory_order_release)
		return memory_order_relaxed;
	if (order == memory_order_acq_rel)
		return memory_order_acquire;
	return order;
}

/*
 * One atomic step on host memory: compare-and-swap of the 1 << log2 bytes at host from
 * *expected to desired, storing the value found in *expected. Bytes and halves work on their
 * aligned 32-bit word, as narrower atomics need libatomic on some hosts.
 */
static bool atomic_cas(void *host, unsigned log2, uint64_t *expected, uint64_t desired,
		       memory_order order)
{
	memory_order fail = failure_order(order);

	if (log2 == 3) {
		_Atomic uint64_t *p = host;

		return atomic_compare_exchange_strong_explicit(p, expected, desired, order, fail);
	}
	if (log2 == 2) {
		_Atomic uint32_t *p = host;
		uint32_t e = (uint32_t)*expected;
		bool ok = atomic_compare_exchange_strong_explicit(p, &e, (uint32_t)desired, order,
								  fail);

		*expected = e;
		return ok;
	}
	uintptr_t addr = (uintptr_t)host;
	_Atomic uint32_t *word = (_Atomic uint32_t *)(addr & ~(uintptr_t)3);
	unsigned shift = (unsigned)(addr & 3) * 8, bits = 8u << log2;
	uint32_t mask = (uint32_t)ir_zero_extend(~0ull, bits) << shift;
	uint32_t old = atomic_load_explicit(word, memory_order_relaxed);

	for (;;) {
		uint32_t found = (old & mask) >> shift;
		uint32_t next = (old & ~mask) | (((uint32_t)desired << shift) & mask);

		if (found != (uint32_t)ir_zero_extend(*expected, bits)) {
			*expected = found;
			return false;
		}
		if (atomic_compare_exchange_weak_explicit(word, &old, next, order, fail))
			return true;
	}
}

/* The current value, as the first guess of a compare-and-swap loop; narrow ones from their word. */
static uint64_t atomic_load_host(void *host, unsigned log2)
{
	uintptr_t addr = (uintptr_t)host;
	uint32_t word;

	if (log2 == 3)
		return atomic_load_explicit((_Atomic uint64_t *)host, memory_order_relaxed);
	if (log2 == 2)
		return atomic_load_explicit((_Atomic uint32_t *)host, memory_order_relaxed);
	word = atomic_load_explicit((_Atomic uint32_t *)(addr & ~(uintptr_t)3),
				    memory_order_relaxed);
	return ir_zero_extend(word >> ((addr & 3) * 8), 8u << log2);
}

static uint64_t rmw_host(void *host, const struct ir_op *op, uint64_t value)
{
	unsigned log2 = op->mem.log2_size, bits = 8u << log2;
	memory_order order = order_of(&op->mem);
	uint64_t old = atomic_load_host(host, log2);

	if (log2 == 3 && op->cond == IR_RMW_ADD)
		return atomic_fetch_add_explicit((_Atomic uint64_t *)host, value, order);
	if (log2 == 2 && op->cond == IR_RMW_ADD)
		return atomic_fetch_add_explicit((_Atomic uint32_t *)host, (uint32_t)value, order);
	while (!atomic_cas(host, log2, &old, rmw_apply(op->cond, old, value, bits), order))
		;
	return old;
}

static uint64_t load_result(const struct ir_op *op, uint64_t v)
{
	unsigned bits = 8u << op->mem.log2_size;

	v = op->mem.sign ? ir_sign_extend(v, bits) : ir_zero_extend(v, bits);
	return ir_fit(v, op->type == IR_I64 || op->type == IR_F64);
}

static enum ir_round resolve_round(const struct emu_cpu *cpu, uint8_t round)
{
	uint32_t dynamic;

	if (round != IR_ROUND_DYNAMIC)
		return round;
	__builtin_memcpy(&dynamic, (const char *)cpu->state + cpu->ops->ir->round_offset, 4);
	/* The frontend checks the mode before it reaches an op; anything else rounds to even. */
	return dynamic < IR_ROUND_DYNAMIC ? dynamic : IR_ROUND_NEAREST_EVEN;
}

static void raise_fflags(struct emu_cpu *cpu, unsigned flags)
{
	uint32_t *fflags = (uint32_t *)((char *)cpu->state + cpu->ops->ir->fflags_offset);

	*fflags |= flags;
}

static enum fpu_format fmt_of(uint8_t type)
{
	return type == IR_F64 ? FPU_F64 : FPU_F32;
}

static unsigned int_bits(uint8_t type)
{
	return type == IR_I64 ? 64 : 32;
}

/* Every FP op: its result (compares: 0 or 1), flags into the guest's accumulated flags. */
static uint64_t fp_op(struct emu_cpu *cpu, const struct ir_op *op, const uint64_t *temps)
{
	struct fpu_env env = { .default_nan = cpu->ops->ir->canonical_nan };
	uint64_t a = temps[op->src[0]], b = 0, c = 0, r;
	bool is_unsigned = op->imm & IR_FCVT_UNSIGNED;
	enum fpu_format fmt = fmt_of(op->type);

	if (ir_op_info[op->opcode].flags & IR_INFO_ROUND)
		env.round = (uint8_t)resolve_round(cpu, op->cond);
	if (ir_shape_nsrc(ir_op_info[op->opcode].shape) >= 2)
		b = temps[op->src[1]];
	if (ir_shape_nsrc(ir_op_info[op->opcode].shape) >= 3)
		c = temps[op->src[2]];
	switch (op->opcode) {
	case IR_FADD:
		r = fpu_add(&env, fmt, a, b);
		break;
	case IR_FSUB:
		r = fpu_sub(&env, fmt, a, b);
		break;
	case IR_FMUL:
		r = fpu_mul(&env, fmt, a, b);
		break;
	case IR_FDIV:
		r = fpu_div(&env, fmt, a, b);
		break;
	case IR_FSQRT:
		r = fpu_sqrt(&env, fmt, a);
		break;
	case IR_FMADD:
		r = fpu_fma(&env, fmt, a, b, c, false, false);
		break;
	case IR_FMSUB:
		r = fpu_fma(&env, fmt, a, b, c, false, true);
		break;
	case IR_FNMADD:
		r = fpu_fma(&env, fmt, a, b, c, true, true);
		break;
	case IR_FNMSUB:
		r = fpu_fma(&env, fmt, a, b, c, true, false);
		break;
	case IR_FMIN:
		r = fpu_min(&env, fmt, a, b);
		break;
	case IR_FMAX:
		r = fpu_max(&env, fmt, a, b);
		break;
	case IR_FEQ:
		r = fpu_eq(&env, fmt_of(op->aux), a, b);
		break;
	case IR_FLT:
		r = fpu_lt(&env, fmt_of(op->aux), a, b);
		break;
	case IR_FLE:
		r = fpu_le(&env, fmt_of(op->aux), a, b);
		break;
	case IR_FCVT_F2I:
		r = fpu_to_int(&env, fmt_of(op->aux), a, int_bits(op->type), is_unsigned);
		break;
	case IR_FCVT_I2F:
		r = fpu_from_int(&env, fmt, a, int_bits(op->aux), is_unsigned);
		break;
	default: /* IR_FCVT_F2F */
		r = fpu_convert(&env, fmt, fmt_of(op->aux), a);
		break;
	}
	if (env.flags)
		raise_fflags(cpu, env.flags);
	return r;
}

uint64_t interp_eval_fp(void *cpu, const struct ir_op *op, const uint64_t *temps)
{
	return fp_op(cpu, op, temps);
}

static void fence(struct emu_cpu *cpu, uint64_t bits)
{
	/* IR_FENCE_INSN needs nothing here: a store to a page holding translated code moves the
	 * page's generation, which retires those blocks at their next lookup. */
	if (bits & ~(uint64_t)IR_FENCE_INSN)
		atomic_thread_fence(memory_order_seq_cst);
}

static uint64_t state_get(const struct emu_cpu *cpu, const struct ir_op *op)
{
	const char *p = (const char *)cpu->state + op->imm;
	uint32_t v32;
	uint64_t v64;

	if (op->type == IR_I64 || op->type == IR_F64) {
		__builtin_memcpy(&v64, p, 8);
		return v64;
	}
	__builtin_memcpy(&v32, p, 4);
	return v32;
}

static void state_set(struct emu_cpu *cpu, const struct ir_op *op, uint64_t v)
{
	char *p = (char *)cpu->state + op->imm;
	uint32_t v32 = (uint32_t)v;

	if (op->type == IR_I64 || op->type == IR_F64)
		__builtin_memcpy(p, &v, 8);
	else
		__builtin_memcpy(p, &v32, 4);
}

static uint64_t call_arg(const uint64_t *temps, ir_temp t)
{
	return t == IR_TEMP_NONE ? 0 : temps[t];
}

/*
 * One case per opcode with the opcode a constant, so that the compiler specializes ir/eval.h's
 * switch away and each case is the operation alone.
 */
#define NEXT() goto *handlers[(++op)->opcode]
#define BINARY(opcode)                                                                            \
	temps[op->dst] =                                                                          \
		ir_eval_binary(opcode, temps[op->src[0]], temps[op->src[1]], op->type == IR_I64); \
	NEXT()
#define UNARY(opcode)                                                                  \
	temps[op->dst] = ir_eval_unary(opcode, temps[op->src[0]], op->type == IR_I64); \
	NEXT()

void interp_exec(struct emu_cpu *cpu, const struct ir_op *ops, uint64_t *temps,
		 struct interp_exit *exit)
{
	/* Threaded dispatch: each handler jumps to the next op's own, so that the host's branch
	 * predictor learns op sequences instead of sharing one indirect jump. The verifier admits
	 * only the opcodes listed. */
	static const void *const handlers[IR_OPCODE_COUNT] = {
		[IR_NOP] = &&L_IR_NOP,
		[IR_INSN_START] = &&L_IR_INSN_START,
		[IR_CONST] = &&L_IR_CONST,
		[IR_MOV] = &&L_IR_MOV,
		[IR_GET] = &&L_IR_GET,
		[IR_SET] = &&L_IR_SET,
		[IR_ADD] = &&L_IR_ADD,
		[IR_SUB] = &&L_IR_SUB,
		[IR_MUL] = &&L_IR_MUL,
		[IR_MULH] = &&L_IR_MULH,
		[IR_MULHU] = &&L_IR_MULHU,
		[IR_MULHSU] = &&L_IR_MULHSU,
		[IR_DIV] = &&L_IR_DIV,
		[IR_DIVU] = &&L_IR_DIVU,
		[IR_REM] = &&L_IR_REM,
		[IR_REMU] = &&L_IR_REMU,
		[IR_AND] = &&L_IR_AND,
		[IR_OR] = &&L_IR_OR,
		[IR_XOR] = &&L_IR_XOR,
		[IR_SHL] = &&L_IR_SHL,
		[IR_SHR] = &&L_IR_SHR,
		[IR_SAR] = &&L_IR_SAR,
		[IR_ROTL] = &&L_IR_ROTL,
		[IR_ROTR] = &&L_IR_ROTR,
		[IR_MIN] = &&L_IR_MIN,
		[IR_MAX] = &&L_IR_MAX,
		[IR_MINU] = &&L_IR_MINU,
		[IR_MAXU] = &&L_IR_MAXU,
		[IR_NOT] = &&L_IR_NOT,
		[IR_NEG] = &&L_IR_NEG,
		[IR_CLZ] = &&L_IR_CLZ,
		[IR_CTZ] = &&L_IR_CTZ,
		[IR_POPCNT] = &&L_IR_POPCNT,
		[IR_BSWAP] = &&L_IR_BSWAP,
		[IR_SEXT] = &&L_IR_SEXT,
		[IR_ZEXT] = &&L_IR_ZEXT,
		[IR_TRUNC] = &&L_IR_TRUNC,
		[IR_EXTU] = &&L_IR_EXTU,
		[IR_EXTS] = &&L_IR_EXTS,
		[IR_SETCC] = &&L_IR_SETCC,
		[IR_SELECT] = &&L_IR_SELECT,
		[IR_LOAD] = &&L_IR_LOAD,
		[IR_STORE] = &&L_IR_STORE,
		[IR_ATOMIC_RMW] = &&L_IR_ATOMIC_RMW,
		[IR_CMPXCHG] = &&L_IR_CMPXCHG,
		[IR_FENCE] = &&L_IR_FENCE,
		[IR_FADD] = &&L_IR_FADD,
		[IR_FSUB] = &&L_IR_FSUB,
		[IR_FMUL] = &&L_IR_FMUL,
		[IR_FDIV] = &&L_IR_FDIV,
		[IR_FSQRT] = &&L_IR_FSQRT,
		[IR_FMADD] = &&L_IR_FMADD,
		[IR_FMSUB] = &&L_IR_FMSUB,
		[IR_FNMADD] = &&L_IR_FNMADD,
		[IR_FNMSUB] = &&L_IR_FNMSUB,
		[IR_FMIN] = &&L_IR_FMIN,
		[IR_FMAX] = &&L_IR_FMAX,
		[IR_FEQ] = &&L_IR_FEQ,
		[IR_FLT] = &&L_IR_FLT,
		[IR_FLE] = &&L_IR_FLE,
		[IR_FCVT_F2I] = &&L_IR_FCVT_F2I,
		[IR_FCVT_I2F] = &&L_IR_FCVT_I2F,
		[IR_FCVT_F2F] = &&L_IR_FCVT_F2F,
		[IR_CALL] = &&L_IR_CALL,
		[IR_EXIT_GOTO] = &&L_IR_EXIT_GOTO,
		[IR_EXIT_GOTO_IF] = &&L_IR_EXIT_GOTO_IF,
		[IR_EXIT_JUMP] = &&L_IR_EXIT_JUMP,
		[IR_EXIT_EXCEPTION] = &&L_IR_EXIT_EXCEPTION,
		[IR_EXIT_STATE] = &&L_IR_EXIT_STATE,
	};
	struct tlb *tlb = cpu->tlb;
	struct mmu_fault fault;
	const struct ir_op *op = ops;
	const struct ir_helper *helper;
	uint64_t a;
	void *host;

	goto *handlers[op->opcode];

L_IR_NOP:
	NEXT();
L_IR_INSN_START:
	cpu->insn_pc = op->imm;
	NEXT();
L_IR_CONST:
	temps[op->dst] = op->imm;
	NEXT();
L_IR_MOV:
	temps[op->dst] = temps[op->src[0]];
	NEXT();
L_IR_GET:
	temps[op->dst] = state_get(cpu, op);
	NEXT();
L_IR_SET:
	state_set(cpu, op, temps[op->src[0]]);
	NEXT();
L_IR_ADD:
	BINARY(IR_ADD);
L_IR_SUB:
	BINARY(IR_SUB);
L_IR_MUL:
	BINARY(IR_MUL);
L_IR_MULH:
	BINARY(IR_MULH);
L_IR_MULHU:
	BINARY(IR_MULHU);
L_IR_MULHSU:
	BINARY(IR_MULHSU);
L_IR_DIV:
	BINARY(IR_DIV);
L_IR_DIVU:
	BINARY(IR_DIVU);
L_IR_REM:
	BINARY(IR_REM);
L_IR_REMU:
	BINARY(IR_REMU);
L_IR_AND:
	BINARY(IR_AND);
L_IR_OR:
	BINARY(IR_OR);
L_IR_XOR:
	BINARY(IR_XOR);
L_IR_SHL:
	BINARY(IR_SHL);
L_IR_SHR:
	BINARY(IR_SHR);
L_IR_SAR:
	BINARY(IR_SAR);
L_IR_ROTL:
	BINARY(IR_ROTL);
L_IR_ROTR:
	BINARY(IR_ROTR);
L_IR_MIN:
	BINARY(IR_MIN);
L_IR_MAX:
	BINARY(IR_MAX);
L_IR_MINU:
	BINARY(IR_MINU);
L_IR_MAXU:
	BINARY(IR_MAXU);
L_IR_NOT:
	UNARY(IR_NOT);
L_IR_NEG:
	UNARY(IR_NEG);
L_IR_CLZ:
	UNARY(IR_CLZ);
L_IR_CTZ:
	UNARY(IR_CTZ);
L_IR_POPCNT:
	UNARY(IR_POPCNT);
L_IR_BSWAP:
	UNARY(IR_BSWAP);
L_IR_SEXT:
	temps[op->dst] =
		ir_fit(ir_sign_extend(temps[op->src[0]], (unsigned)op->imm), op->type == IR_I64);
	NEXT();
L_IR_ZEXT:
	temps[op->dst] = ir_zero_extend(temps[op->src[0]], (unsigned)op->imm);
	NEXT();
L_IR_TRUNC:
L_IR_EXTU:
	temps[op->dst] = (uint32_t)temps[op->src[0]];
	NEXT();
L_IR_EXTS:
	temps[op->dst] = (uint64_t)(int64_t)(int32_t)temps[op->src[0]];
	NEXT();
L_IR_SETCC:
	temps[op->dst] =
		ir_eval_cond(op->cond, temps[op->src[0]], temps[op->src[1]], op->aux == IR_I64);
	NEXT();
L_IR_SELECT:
	temps[op->dst] = temps[op->src[0]] ? temps[op->src[1]] : temps[op->src[2]];
	NEXT();
L_IR_LOAD:
	fault = mmu_load(tlb, op->mem.mmu_idx, temps[op->src[0]] + op->imm, op->mem.log2_size,
			 op->mem.aligned, &a);
	if (__builtin_expect(fault.kind != MMU_FAULT_NONE, 0))
		goto memory_fault;
	temps[op->dst] = load_result(op, a);
	NEXT();
L_IR_STORE:
	fault = mmu_store(tlb, op->mem.mmu_idx, temps[op->src[0]] + op->imm, op->mem.log2_size,
			  op->mem.aligned, temps[op->src[1]]);
	if (__builtin_expect(fault.kind != MMU_FAULT_NONE, 0))
		goto memory_fault;
	NEXT();
L_IR_ATOMIC_RMW:
	fault = mmu_atomic_ptr(tlb, op->mem.mmu_idx, temps[op->src[0]], op->mem.log2_size, true,
			       &host);
	if (fault.kind != MMU_FAULT_NONE)
		goto memory_fault;
	temps[op->dst] = load_result(op, rmw_host(host, op, temps[op->src[1]]));
	NEXT();
L_IR_CMPXCHG:
	fault = mmu_atomic_ptr(tlb, op->mem.mmu_idx, temps[op->src[0]], op->mem.log2_size, true,
			       &host);
	if (fault.kind != MMU_FAULT_NONE)
		goto memory_fault;
	a = temps[op->src[1]];
	atomic_cas(host, op->mem.log2_size, &a, temps[op->src[2]], order_of(&op->mem));
	temps[op->dst] = load_result(op, a);
	NEXT();
L_IR_FENCE:
	fence(cpu, op->imm);
	NEXT();
L_IR_FADD:
L_IR_FSUB:
L_IR_FMUL:
L_IR_FDIV:
L_IR_FSQRT:
L_IR_FMADD:
L_IR_FMSUB:
L_IR_FNMADD:
L_IR_FNMSUB:
L_IR_FMIN:
L_IR_FMAX:
L_IR_FEQ:
L_IR_FLT:
L_IR_FLE:
L_IR_FCVT_F2I:
L_IR_FCVT_I2F:
L_IR_FCVT_F2F:
	temps[op->dst] = fp_op(cpu, op, temps);
	NEXT();
L_IR_CALL:
	helper = (const struct ir_helper *)(uintptr_t)op->imm;
	temps[op->dst] = helper->fn(cpu, call_arg(temps, op->src[0]), call_arg(temps, op->src[1]),
				    call_arg(temps, op->src[2]));
	if (cpu->raised) {
		exit->kind = INTERP_EXIT_RAISED;
		return;
	}
	NEXT();
L_IR_EXIT_GOTO:
	exit->kind = INTERP_EXIT_PC;
	exit->pc = op->imm;
	return;
L_IR_EXIT_GOTO_IF:
	if (temps[op->src[0]]) {
		exit->kind = INTERP_EXIT_PC;
		exit->pc = op->imm;
		return;
	}
	NEXT();
L_IR_EXIT_JUMP:
	exit->kind = INTERP_EXIT_PC;
	exit->pc = temps[op->src[0]];
	return;
L_IR_EXIT_EXCEPTION:
	exit->kind = INTERP_EXIT_EXCEPTION;
	exit->cause = op->imm;
	exit->tval = call_arg(temps, op->src[0]);
	return;
L_IR_EXIT_STATE:
	exit->kind = INTERP_EXIT_STATE;
	return;
memory_fault:
	exit->kind = INTERP_EXIT_FAULT;
	exit->fault = fault;
}
