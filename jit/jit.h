/* SPDX-License-Identifier: MIT */
/*
 * The JIT: one optimized IR block (ir/ir.h) in, one host function out, kept in a per-vCPU code
 * cache of W^X pages (lib/plat.h's plat_code_*). The emulation engine (interp/engine.c) decides
 * when to compile and what to do with the way a compiled block ended; this folder knows neither
 * the engine nor any guest ISA.
 *
 * A compiled block is called as code(cpu, temps, exit): cpu is the engine's per-vCPU struct, which
 * helpers receive as their first argument, temps the block's scratch slots (IR temporaries live
 * there: no register allocation yet) and exit what the block fills when it leaves. The block
 * reaches the guest state, the softmmu TLB, the current instruction's PC and the "a helper
 * raised" flag through the offsets of struct jit_layout, so it behaves exactly as the
 * interpreter (interp/interp.c), op for op.
 *
 * FP arithmetic (the guest's rounding modes and IEEE flags, in the state) is compiled as a call to
 * the engine's own evaluator, jit_layout.eval_fp, one op at a time: the results are the
 * interpreter's by construction. jit_compile refuses (-ENOTSUP) a block with FP arithmetic when
 * there is no evaluator, 128-bit values, and any block on a host without a backend: the engine
 * interprets those.
 */
#ifndef PV_JIT_JIT_H
#define PV_JIT_JIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir/ir.h"
#include "mmu/tlb.h"

/* Where a compiled block finds things in the engine's per-vCPU struct, as byte offsets. */
struct jit_layout {
	size_t state; /* void *: the guest's architectural state */
	size_t tlb; /* struct tlb * */
	/* uint64_t: the current instruction's PC, as the interpreter keeps it wherever it can be
	 * read: before helper calls, on the TLB-miss paths and at every exit */
	size_t insn_pc;
	size_t raised; /* bool: set by a helper that raised; the block ends after the call */
	/* The result of one FP op (IR_INFO_FP) on temps, its IEEE flags raised in the guest's
	 * state; the op is the one in the array jit_compile was given, which must outlive the
	 * code. NULL: blocks with FP ops are refused. */
	uint64_t (*eval_fp)(void *cpu, const struct ir_op *op, const uint64_t *temps);
};

/* How a compiled block ended: the interpreter's exits (interp/interp.h), one for one. */
enum jit_exit_kind {
	JIT_EXIT_PC, /* GOTO, taken GOTO_IF, JUMP: continue at pc */
	JIT_EXIT_STATE, /* EXIT_STATE: the state's PC already names the next instruction */
	JIT_EXIT_EXCEPTION, /* EXIT_EXCEPTION: raise (cause, tval) at insn_pc */
	JIT_EXIT_FAULT, /* a load or store faulted at insn_pc: fault says how */
	JIT_EXIT_RAISED, /* a helper raised: the guest is in its trap handler */
};

struct jit_exit {
	uint32_t kind; /* enum jit_exit_kind */
	uint64_t pc;
	uint64_t cause;
	uint64_t tval;
	struct mmu_fault fault;
};

typedef void (*jit_code)(void *cpu, uint64_t *temps, struct jit_exit *exit);

struct jit_stats {
	uint64_t compiled; /* blocks turned into host code */
	uint64_t refused; /* blocks with an op the backend does not handle */
	uint64_t flushes; /* times the code cache filled up and started over */
	uint64_t code_bytes; /* host code written since the start */
};

struct jit;

/* Whether this host has a backend and executable memory: the jit and hybrid engines need both. */
bool jit_available(void);

/* A JIT with an empty code cache of cache_bytes (rounded up to pages); NULL when unavailable. */
struct jit *jit_create(const struct jit_layout *layout, size_t cache_bytes);
void jit_destroy(struct jit *jit);

/*
 * Compiles ops[0..nops) (a verified block ending in an exit) into *code. Returns 0, -ENOTSUP for
 * a block the backend refuses, -E2BIG for one whose code would not fit a block's buffer, or
 * -ENOSPC when the code cache is full: the caller flushes it (after forgetting every code
 * pointer it handed out) and tries again.
 */
int jit_compile(struct jit *jit, const struct ir_op *ops, unsigned nops, jit_code *code);

/* Where the block jit_compile compiled last lies in the code cache, entry included: for
 * disassemblers. */
void jit_last_code(const struct jit *jit, const void **start, size_t *len);

/* Empties the code cache: every jit_code returned so far becomes invalid. */
void jit_flush(struct jit *jit);

const struct jit_stats *jit_stats(const struct jit *jit);

#endif
