/* SPDX-License-Identifier: MIT */
/*
 * IEEE 754 binary32 and binary64 arithmetic in integer code: the interpreter's FP (and the JIT's
 * fallback for what a host FPU rounds differently). Written here instead of using the host's FPU
 * through <fenv.h> because the guest's answer must not depend on the host: round-to-nearest-
 * max-magnitude exists in no host fenv, Arm hosts detect tininess before rounding where RISC-V
 * and x86 detect it after, NaN results differ between hosts, and bare metal would have to save
 * and switch the host's FP control register around every guest op.
 *
 * Values are raw bits in a uint64_t (binary32 in the low half). Every function takes the
 * rounding mode (never IR_ROUND_DYNAMIC: the caller resolves it) and ORs the IEEE exception
 * flags it raises (IR_FFLAG_*) into env->flags.
 */
#ifndef PV_INTERP_FPU_H
#define PV_INTERP_FPU_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/ir.h"

enum fpu_format { FPU_F32, FPU_F64 };

struct fpu_env {
	uint8_t round; /* enum ir_round, resolved */
	uint8_t flags; /* IR_FFLAG_* raised so far */
	bool default_nan; /* NaN results are the canonical quiet NaN (struct ir_guest) */
};

uint64_t fpu_add(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b);
uint64_t fpu_sub(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b);
uint64_t fpu_mul(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b);
uint64_t fpu_div(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b);
uint64_t fpu_sqrt(struct fpu_env *env, enum fpu_format fmt, uint64_t a);
/* a * b + c with one rounding; negate_product and negate_addend give FMSUB, FNMADD, FNMSUB. */
uint64_t fpu_fma(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b, uint64_t c,
		 bool negate_product, bool negate_addend);
/* IEEE 754-2019 minimumNumber / maximumNumber, with -0 below +0. */
uint64_t fpu_min(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b);
uint64_t fpu_max(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b);
/* Compares: eq is quiet (invalid on signaling NaNs only), lt and le signal on any NaN. */
bool fpu_eq(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b);
bool fpu_lt(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b);
bool fpu_le(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b);
/* To a 32- or 64-bit integer, saturating with invalid (NaN gives the largest value). */
uint64_t fpu_to_int(struct fpu_env *env, enum fpu_format fmt, uint64_t a, unsigned bits,
		    bool is_unsigned);
/* From a 32- or 64-bit integer (the low bits of a, sign-extended when signed). */
uint64_t fpu_from_int(struct fpu_env *env, enum fpu_format fmt, uint64_t a, unsigned bits,
		      bool is_unsigned);
uint64_t fpu_convert(struct fpu_env *env, enum fpu_format to, enum fpu_format from, uint64_t a);

#endif
