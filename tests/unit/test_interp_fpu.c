// SPDX-License-Identifier: MIT
/*
 * interp/fpu: the soft IEEE arithmetic against the host's SSE arithmetic (x86_64 hosts) for
 * the four rounding modes both know (results and exception flags, on random and edge-case
 * operands), and against hand-computed values for what the host cannot show: round to nearest
 * max-magnitude, fused multiply-add, RISC-V's saturating conversions, canonical NaNs, min/max.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "interp/fpu.h"

#if defined(__x86_64__)
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Random operands biased to the edges: zeros, subnormals, extremes, infinities, NaNs. */
static uint64_t operand64(void)
{
	static const uint64_t exps[] = { 0,	1,     2,     0x3fe, 0x3ff, 0x400, 0x7fd,
					 0x7fe, 0x7ff, 0x3cb, 0x434, 0x1,   0x36 };
	uint64_t r = next(), frac = next() & ((1ull << 52) - 1);

	switch (r & 7) {
	case 0:
	case 1:
		return next();
	case 2:
		frac &= ~0ull << (next() % 53);
		break;
	default:
		break;
	}
	return ((r >> 8) & 1) << 63 | exps[(r >> 16) % (sizeof(exps) / sizeof(exps[0]))] << 52 |
	       (((r >> 24) & 3) ? frac : 0);
}

static uint32_t operand32(void)
{
	static const uint32_t exps[] = { 0, 1, 2, 0x7e, 0x7f, 0x80, 0xfd, 0xfe, 0xff, 0x68, 0x96 };
	uint64_t r = next();
	uint32_t frac = (uint32_t)next() & ((1u << 23) - 1);

	if ((r & 7) < 2)
		return (uint32_t)next();
	return (uint32_t)((r >> 8) & 1) << 31 |
	       exps[(r >> 16) % (sizeof(exps) / sizeof(exps[0]))] << 23 |
	       (((r >> 24) & 3) ? frac : 0);
}

/*
 * The host's FP control through MXCSR directly: <fenv.h> lives in libm, which the unit tests do not
 * link, and x86's SSE detects tininess after rounding as RISC-V does (Arm's FPU detects it before,
 * so the comparisons only run on x86_64 hosts).
 */
#define HOST_COMPARE 1
#define HOST_NEAREST 0
#define HOST_DOWN 1
#define HOST_UP 2
#define HOST_TO_ZERO 3

static unsigned read_mxcsr(void)
{
	unsigned v;

	__asm__ __volatile__("stmxcsr %0" : "=m"(v));
	return v;
}

static void write_mxcsr(unsigned v)
{
	__asm__ __volatile__("ldmxcsr %0" ::"m"(v));
}

static void host_setround(int mode)
{
	write_mxcsr((read_mxcsr() & ~0x6000u) | ((unsigned)mode << 13));
}

static void feclearexcept_all(void)
{
	write_mxcsr(read_mxcsr() & ~0x3fu);
}

static unsigned host_flags(void)
{
	unsigned m = read_mxcsr(), f = 0;

	f |= (m & 0x20) ? IR_FFLAG_INEXACT : 0;
	f |= (m & 0x10) ? IR_FFLAG_UNDERFLOW : 0;
	f |= (m & 0x08) ? IR_FFLAG_OVERFLOW : 0;
	f |= (m & 0x04) ? IR_FFLAG_DIVZERO : 0;
	f |= (m & 0x01) ? IR_FFLAG_INVALID : 0;
	return f;
}

static double host_sqrt(double v)
{
	__asm__("sqrtsd %1, %0" : "=x"(v) : "x"(v));
	return v;
}

static float host_sqrtf(float v)
{
	__asm__("sqrtss %1, %0" : "=x"(v) : "x"(v));
	return v;
}

static const struct {
	int host;
	enum ir_round ir;
} modes[] = {
	{ HOST_NEAREST, IR_ROUND_NEAREST_EVEN },
	{ HOST_TO_ZERO, IR_ROUND_TO_ZERO },
	{ HOST_DOWN, IR_ROUND_DOWN },
	{ HOST_UP, IR_ROUND_UP },
};

enum op { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, OP_COUNT };

static double host64(enum op op, double a, double b)
{
	volatile double va = a, vb = b, r;

	switch (op) {
	case OP_ADD:
		r = va + vb;
		break;
	case OP_SUB:
		r = va - vb;
		break;
	case OP_MUL:
		r = va * vb;
		break;
	case OP_DIV:
		r = va / vb;
		break;
	default:
		r = host_sqrt(va);
		break;
	}
	return r;
}

static float host32(enum op op, float a, float b)
{
	volatile float va = a, vb = b, r;

	switch (op) {
	case OP_ADD:
		r = va + vb;
		break;
	case OP_SUB:
		r = va - vb;
		break;
	case OP_MUL:
		r = va * vb;
		break;
	case OP_DIV:
		r = va / vb;
		break;
	default:
		r = host_sqrtf(va);
		break;
	}
	return r;
}

static uint64_t soft(struct fpu_env *env, enum fpu_format fmt, enum op op, uint64_t a, uint64_t b)
{
	switch (op) {
	case OP_ADD:
		return fpu_add(env, fmt, a, b);
	case OP_SUB:
		return fpu_sub(env, fmt, a, b);
	case OP_MUL:
		return fpu_mul(env, fmt, a, b);
	case OP_DIV:
		return fpu_div(env, fmt, a, b);
	default:
		return fpu_sqrt(env, fmt, a);
	}
}

static bool nan64(uint64_t v)
{
	return (v & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
}

static bool nan32(uint64_t v)
{
	return (v & 0x7fffffffu) > 0x7f800000u;
}

#define ROUNDS 40000

static void test_fpu_binary64_matches_the_host_in_every_mode(void **state)
{
	unsigned m, i, op;

	for (m = 0; m < 4; m++) {
		for (op = 0; op < OP_COUNT; op++) {
			for (i = 0; i < ROUNDS; i++) {
				uint64_t a = operand64(), b = operand64(), want, got;
				struct fpu_env env = { .round = (uint8_t)modes[m].ir,
						       .default_nan = true };
				double da, db, dr;
				unsigned flags;

				memcpy(&da, &a, 8);
				memcpy(&db, &b, 8);
				host_setround(modes[m].host);
				feclearexcept_all();
				dr = host64(op, da, db);
				flags = host_flags();
				host_setround(HOST_NEAREST);
				memcpy(&want, &dr, 8);
				got = soft(&env, FPU_F64, op, a, b);
				if (nan64(want))
					want = 0x7ff8000000000000ull;
				if (got != want || env.flags != flags)
					fail_msg(
						"op %u mode %u: %#llx, %#llx: got %#llx flags %#x, "
						"want %#llx flags %#x",
						op, m, (unsigned long long)a, (unsigned long long)b,
						(unsigned long long)got, env.flags,
						(unsigned long long)want, flags);
			}
		}
	}
}

static void test_fpu_binary32_matches_the_host_in_every_mode(void **state)
{
	unsigned m, i, op;

	for (m = 0; m < 4; m++) {
		for (op = 0; op < OP_COUNT; op++) {
			for (i = 0; i < ROUNDS; i++) {
				uint32_t a = operand32(), b = operand32(), want;
				struct fpu_env env = { .round = (uint8_t)modes[m].ir,
						       .default_nan = true };
				float fa, fb, fr;
				unsigned flags;
				uint64_t got;

				memcpy(&fa, &a, 4);
				memcpy(&fb, &b, 4);
				host_setround(modes[m].host);
				feclearexcept_all();
				fr = host32(op, fa, fb);
				flags = host_flags();
				host_setround(HOST_NEAREST);
				memcpy(&want, &fr, 4);
				got = soft(&env, FPU_F32, op, a, b);
				if (nan32(want))
					want = 0x7fc00000u;
				if (got != want || env.flags != flags)
					fail_msg("op %u mode %u: %#x, %#x: got %#llx flags %#x, "
						 "want %#x flags %#x",
						 op, m, a, b, (unsigned long long)got, env.flags,
						 want, flags);
			}
		}
	}
}

static void test_fpu_conversions_match_the_host_in_every_mode(void **state)
{
	unsigned m, i;

	for (m = 0; m < 4; m++) {
		for (i = 0; i < ROUNDS; i++) {
			uint64_t a = operand64(), i64 = next() >> (next() % 64), got, want;
			struct fpu_env env = { .round = (uint8_t)modes[m].ir, .default_nan = true };
			volatile double vd;
			volatile float vf;
			unsigned flags;
			uint32_t w32;

			/* f64 -> f32 */
			memcpy((void *)&vd, &a, 8);
			host_setround(modes[m].host);
			feclearexcept_all();
			vf = (float)vd;
			flags = host_flags();
			host_setround(HOST_NEAREST);
			memcpy(&w32, (const void *)&vf, 4);
			want = nan32(w32) ? 0x7fc00000u : w32;
			got = fpu_convert(&env, FPU_F32, FPU_F64, a);
			assert_int_equal(got, want);
			assert_int_equal(env.flags, flags);

			/* signed and unsigned 64-bit integers -> f64 and f32 */
			env.flags = 0;
			host_setround(modes[m].host);
			feclearexcept_all();
			vd = (double)(int64_t)i64;
			flags = host_flags();
			host_setround(HOST_NEAREST);
			memcpy(&want, (const void *)&vd, 8);
			assert_int_equal(fpu_from_int(&env, FPU_F64, i64, 64, false), want);
			assert_int_equal(env.flags, flags);
			env.flags = 0;
			host_setround(modes[m].host);
			feclearexcept_all();
			vf = (float)i64;
			flags = host_flags();
			host_setround(HOST_NEAREST);
			memcpy(&w32, (const void *)&vf, 4);
			assert_int_equal(fpu_from_int(&env, FPU_F32, i64, 64, true), w32);
			assert_int_equal(env.flags, flags);
		}
	}
}

static void test_fpu_to_int_truncates_like_the_host_in_range(void **state)
{
	unsigned i;

	for (i = 0; i < ROUNDS; i++) {
		uint64_t a = operand64();
		struct fpu_env env = { .round = IR_ROUND_TO_ZERO, .default_nan = true };
		double d;

		memcpy(&d, &a, 8);
		if (!(d > -9.2e18 && d < 9.2e18))
			continue;
		feclearexcept_all();
		assert_int_equal(fpu_to_int(&env, FPU_F64, a, 64, false), (uint64_t)(int64_t)d);
		assert_int_equal(env.flags, d == (double)(int64_t)d ? 0 : IR_FFLAG_INEXACT);
	}
}

/* inf * 0 + qNaN: invalid for RISC-V (and IEEE's recommendation), quiet on x86. */
static bool inf_times_zero_plus_qnan(uint64_t a, uint64_t b, uint64_t c, enum fpu_format fmt)
{
	uint64_t abs = fmt == FPU_F64 ? 0x7fffffffffffffffull : 0x7fffffffu;
	uint64_t inf = fmt == FPU_F64 ? 0x7ff0000000000000ull : 0x7f800000u;
	uint64_t quiet = fmt == FPU_F64 ? 0x0008000000000000ull : 0x00400000u;
	bool nan_c = (c & abs) > inf && (c & quiet);

	return nan_c && (((a & abs) == inf && !(b & abs)) || ((b & abs) == inf && !(a & abs)));
}

/* Fused multiply-add against the host's FMA3 instructions, when the CPU has them. */
static void test_fpu_fma_matches_the_host_fma3_in_every_mode(void **state)
{
	unsigned m, i;

	if (!__builtin_cpu_supports("fma"))
		skip();
	for (m = 0; m < 4; m++) {
		for (i = 0; i < ROUNDS; i++) {
			uint64_t a = operand64(), b = operand64(), c = operand64(), want, got;
			uint32_t a32 = operand32(), b32 = operand32(), c32 = operand32(), w32;
			struct fpu_env env = { .round = (uint8_t)modes[m].ir, .default_nan = true };
			double da, db, dc;
			float fa, fb, fc;
			unsigned flags;

			memcpy(&da, &a, 8);
			memcpy(&db, &b, 8);
			memcpy(&dc, &c, 8);
			host_setround(modes[m].host);
			feclearexcept_all();
			__asm__ __volatile__("vfmadd213sd %2, %1, %0"
					     : "+x"(da)
					     : "x"(db), "x"(dc));
			flags = host_flags();
			host_setround(HOST_NEAREST);
			memcpy(&want, &da, 8);
			got = fpu_fma(&env, FPU_F64, a, b, c, false, false);
			if (nan64(want))
				want = 0x7ff8000000000000ull;
			if (inf_times_zero_plus_qnan(a, b, c, FPU_F64))
				flags |= IR_FFLAG_INVALID;
			if (got != want || env.flags != flags)
				fail_msg(
					"fma mode %u: %#llx %#llx %#llx: got %#llx/%#x want %#llx/%#x",
					m, (unsigned long long)a, (unsigned long long)b,
					(unsigned long long)c, (unsigned long long)got, env.flags,
					(unsigned long long)want, flags);

			memcpy(&fa, &a32, 4);
			memcpy(&fb, &b32, 4);
			memcpy(&fc, &c32, 4);
			env.flags = 0;
			host_setround(modes[m].host);
			feclearexcept_all();
			__asm__ __volatile__("vfmadd213ss %2, %1, %0"
					     : "+x"(fa)
					     : "x"(fb), "x"(fc));
			flags = host_flags();
			host_setround(HOST_NEAREST);
			memcpy(&w32, &fa, 4);
			got = fpu_fma(&env, FPU_F32, a32, b32, c32, false, false);
			if (nan32(w32))
				w32 = 0x7fc00000u;
			if (inf_times_zero_plus_qnan(a32, b32, c32, FPU_F32))
				flags |= IR_FFLAG_INVALID;
			if (got != w32 || env.flags != flags)
				fail_msg("fmaf mode %u: %#x %#x %#x: got %#llx/%#x want %#x/%#x", m,
					 a32, b32, c32, (unsigned long long)got, env.flags, w32,
					 flags);
		}
	}
}
#endif

static void test_fpu_to_int_saturates_with_invalid_as_risc_v_says(void **state)
{
	static const struct {
		uint64_t value;
		unsigned bits;
		bool is_unsigned;
		enum ir_round round;
		uint64_t result;
		unsigned flags;
	} table[] = {
		{ 0x7ff8000000000000ull, 32, false, IR_ROUND_NEAREST_EVEN, 0x7fffffff, 0x10 },
		{ 0x7ff8000000000000ull, 64, true, IR_ROUND_NEAREST_EVEN, ~0ull, 0x10 },
		{ 0xfff0000000000000ull, 32, false, IR_ROUND_NEAREST_EVEN, 0x80000000u, 0x10 },
		{ 0xfff0000000000000ull, 32, true, IR_ROUND_NEAREST_EVEN, 0, 0x10 },
		{ 0x41e0000000000000ull, 32, false, IR_ROUND_NEAREST_EVEN, 0x7fffffff, 0x10 },
		{ 0xc1e0000000000000ull, 32, false, IR_ROUND_NEAREST_EVEN, 0x80000000u, 0 },
		{ 0x43e0000000000000ull, 64, false, IR_ROUND_NEAREST_EVEN, 0x7fffffffffffffffull,
		  0x10 },
		{ 0x43e0000000000000ull, 64, true, IR_ROUND_NEAREST_EVEN, 1ull << 63, 0 },
		{ 0xbfd3333333333333ull, 32, true, IR_ROUND_TO_ZERO, 0, 0x01 }, /* -0.3 */
		{ 0xbff0000000000000ull, 32, true, IR_ROUND_TO_ZERO, 0, 0x10 }, /* -1.0 */
		{ 0x3ff8000000000000ull, 32, false, IR_ROUND_NEAREST_EVEN, 2, 0x01 }, /* 1.5 */
		{ 0x4004000000000000ull, 32, false, IR_ROUND_NEAREST_EVEN, 2, 0x01 }, /* 2.5 */
		{ 0x4004000000000000ull, 32, false, IR_ROUND_NEAREST_MAX, 3, 0x01 },
		{ 0xc004000000000000ull, 32, false, IR_ROUND_NEAREST_MAX, 0xfffffffd, 0x01 },
		{ 0xc004000000000000ull, 32, false, IR_ROUND_DOWN, 0xfffffffd, 0x01 },
		{ 0x4004000000000000ull, 32, false, IR_ROUND_UP, 3, 0x01 },
		{ 0x3fd0000000000000ull, 32, false, IR_ROUND_UP, 1, 0x01 }, /* 0.25 */
	};
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct fpu_env env = { .round = (uint8_t)table[i].round, .default_nan = true };

		assert_int_equal(fpu_to_int(&env, FPU_F64, table[i].value, table[i].bits,
					    table[i].is_unsigned),
				 table[i].result);
		assert_int_equal(env.flags, table[i].flags);
	}
}

static void test_fpu_round_to_nearest_max_magnitude_rounds_ties_away(void **state)
{
	struct fpu_env env = { .round = IR_ROUND_NEAREST_MAX, .default_nan = true };

	/* 1 + 2^-53 is a tie between 1 and 1 + 2^-52: away from zero. */
	assert_int_equal(fpu_add(&env, FPU_F64, 0x3ff0000000000000ull, 0x3ca0000000000000ull),
			 0x3ff0000000000001ull);
	assert_int_equal(env.flags, IR_FFLAG_INEXACT);
	env.round = IR_ROUND_NEAREST_EVEN;
	assert_int_equal(fpu_add(&env, FPU_F64, 0x3ff0000000000000ull, 0x3ca0000000000000ull),
			 0x3ff0000000000000ull);
	env.round = IR_ROUND_NEAREST_MAX;
	assert_int_equal(fpu_add(&env, FPU_F32, 0xbf800000u, 0xb3800000u), 0xbf800001u);
	/* Overflow rounds to infinity under RMM. */
	env.flags = 0;
	assert_int_equal(fpu_mul(&env, FPU_F32, 0x7f000000u, 0x40000000u), 0x7f800000u);
	assert_int_equal(env.flags, IR_FFLAG_OVERFLOW | IR_FFLAG_INEXACT);
}

static void test_fpu_fused_multiply_add_rounds_once(void **state)
{
	struct fpu_env env = { .round = IR_ROUND_NEAREST_EVEN, .default_nan = true };
	/* (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 exactly; unfused it would be 0. */
	uint64_t a = 0x3ff0000000000001ull, b = 0x3feffffffffffffeull, one = 0x3ff0000000000000ull;

	assert_int_equal(fpu_fma(&env, FPU_F64, a, b, one, false, true), 0xb970000000000000ull);
	assert_int_equal(env.flags, 0);
	/* FNMADD: -(a*b) - c; FNMSUB: -(a*b) + c. */
	assert_int_equal(fpu_fma(&env, FPU_F64, one, one, one, true, true), 0xc000000000000000ull);
	assert_int_equal(fpu_fma(&env, FPU_F64, one, one, one, true, false), 0);
	/* inf * 0 + qNaN is invalid; x * y + (-x * y) is +0, -0 when rounding down. */
	assert_int_equal(fpu_fma(&env, FPU_F64, 0x7ff0000000000000ull, 0, 0x7ff8000000000000ull,
				 false, false),
			 0x7ff8000000000000ull);
	assert_int_equal(env.flags, IR_FFLAG_INVALID);
	env.round = IR_ROUND_DOWN;
	assert_int_equal(fpu_fma(&env, FPU_F64, one, one, one, false, true), 1ull << 63);
	/* Single precision: 3 * fl(1/3) - 1 = 2^-25, the rounding error of 1/3 times 3. */
	env.round = IR_ROUND_NEAREST_EVEN;
	env.flags = 0;
	assert_int_equal(fpu_fma(&env, FPU_F32, 0x40400000u, 0x3eaaaaabu, 0x3f800000u, false, true),
			 0x33000000u);
	assert_int_equal(env.flags, 0);
}

static void test_fpu_nans_are_canonical_or_propagated_as_configured(void **state)
{
	struct fpu_env env = { .round = IR_ROUND_NEAREST_EVEN, .default_nan = true };
	uint64_t snan = 0x7ff0000000000001ull, qnan = 0xfff8000000000123ull, one = 0x3ff0ull << 48;

	assert_int_equal(fpu_add(&env, FPU_F64, one, snan), 0x7ff8000000000000ull);
	assert_int_equal(env.flags, IR_FFLAG_INVALID);
	env.flags = 0;
	assert_int_equal(fpu_mul(&env, FPU_F64, qnan, one), 0x7ff8000000000000ull);
	assert_int_equal(env.flags, 0);
	env.default_nan = false;
	assert_int_equal(fpu_mul(&env, FPU_F64, one, qnan), qnan);
	assert_int_equal(fpu_add(&env, FPU_F64, snan, qnan), 0x7ff8000000000001ull);
	assert_int_equal(fpu_convert(&env, FPU_F32, FPU_F64, qnan), 0xffc00000u);
	env.default_nan = true;
	assert_int_equal(fpu_convert(&env, FPU_F64, FPU_F32, 0xff800001u), 0x7ff8000000000000ull);
}

static void test_fpu_min_max_follow_minimum_number(void **state)
{
	struct fpu_env env = { .default_nan = true };
	uint64_t pz = 0, nz = 1ull << 63, one = 0x3ff0ull << 48, qnan = 0x7ff8ull << 48;

	assert_int_equal(fpu_min(&env, FPU_F64, pz, nz), nz);
	assert_int_equal(fpu_max(&env, FPU_F64, nz, pz), pz);
	assert_int_equal(fpu_min(&env, FPU_F64, qnan, one), one);
	assert_int_equal(fpu_max(&env, FPU_F64, one, qnan), one);
	assert_int_equal(env.flags, 0);
	assert_int_equal(fpu_min(&env, FPU_F64, qnan, qnan), qnan);
	assert_int_equal(fpu_min(&env, FPU_F64, 0x7ff0000000000001ull, one), one);
	assert_int_equal(env.flags, IR_FFLAG_INVALID);
	assert_int_equal(fpu_min(&env, FPU_F32, 0xbf800000u, 0x3f800000u), 0xbf800000u);
}

static void test_fpu_compares_signal_as_ieee_says(void **state)
{
	struct fpu_env env = { .default_nan = true };
	uint64_t one = 0x3ff0ull << 48, two = 0x4000ull << 48, qnan = 0x7ff8ull << 48;
	uint64_t snan = 0x7ff0000000000001ull;

	assert_true(fpu_lt(&env, FPU_F64, one, two));
	assert_true(fpu_le(&env, FPU_F64, one, one));
	assert_true(fpu_eq(&env, FPU_F64, 0, 1ull << 63));
	assert_false(fpu_lt(&env, FPU_F64, 1ull << 63, 0));
	assert_true(fpu_lt(&env, FPU_F64, two | (1ull << 63), one));
	assert_int_equal(env.flags, 0);
	assert_false(fpu_eq(&env, FPU_F64, qnan, qnan));
	assert_int_equal(env.flags, 0);
	assert_false(fpu_eq(&env, FPU_F64, snan, one));
	assert_int_equal(env.flags, IR_FFLAG_INVALID);
	env.flags = 0;
	assert_false(fpu_le(&env, FPU_F64, qnan, one));
	assert_int_equal(env.flags, IR_FFLAG_INVALID);
	env.flags = 0;
	assert_true(fpu_lt(&env, FPU_F32, 0xbf800000u, 0x3f800000u));
	assert_int_equal(env.flags, 0);
}

static void test_fpu_underflow_is_detected_after_rounding(void **state)
{
	struct fpu_env env = { .round = IR_ROUND_NEAREST_EVEN, .default_nan = true };
	/* (2^-1022 - 2^-1074) * (1 + 2^-52): rounds up to the smallest normal -> not tiny. */
	uint64_t r = fpu_mul(&env, FPU_F64, 0x000fffffffffffffull, 0x3ff0000000000001ull);

	assert_int_equal(r, 0x0010000000000000ull);
	assert_int_equal(env.flags, IR_FFLAG_INEXACT);
	env.flags = 0;
	env.round = IR_ROUND_TO_ZERO;
	r = fpu_mul(&env, FPU_F64, 0x000fffffffffffffull, 0x3ff0000000000001ull);
	assert_int_equal(r, 0x000fffffffffffffull);
	assert_int_equal(env.flags, IR_FFLAG_INEXACT | IR_FFLAG_UNDERFLOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef HOST_COMPARE
		cmocka_unit_test(test_fpu_binary64_matches_the_host_in_every_mode),
		cmocka_unit_test(test_fpu_binary32_matches_the_host_in_every_mode),
		cmocka_unit_test(test_fpu_conversions_match_the_host_in_every_mode),
		cmocka_unit_test(test_fpu_to_int_truncates_like_the_host_in_range),
		cmocka_unit_test(test_fpu_fma_matches_the_host_fma3_in_every_mode),
#endif
		cmocka_unit_test(test_fpu_to_int_saturates_with_invalid_as_risc_v_says),
		cmocka_unit_test(test_fpu_round_to_nearest_max_magnitude_rounds_ties_away),
		cmocka_unit_test(test_fpu_fused_multiply_add_rounds_once),
		cmocka_unit_test(test_fpu_nans_are_canonical_or_propagated_as_configured),
		cmocka_unit_test(test_fpu_min_max_follow_minimum_number),
		cmocka_unit_test(test_fpu_compares_signal_as_ieee_says),
		cmocka_unit_test(test_fpu_underflow_is_detected_after_rounding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
