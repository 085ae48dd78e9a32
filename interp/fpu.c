// SPDX-License-Identifier: MIT
/*
 * Soft IEEE 754 arithmetic (interp/fpu.h). Every finite operand is unpacked to a sign, an exponent
 * and a 64-bit significand with its leading one at bit 62; exact intermediate results are formed
 * in 128-bit integers (GCC's unsigned __int128, on all three hosts), collapsed to 64 bits with a
 * sticky bit, and rounded once by round_pack for the destination format. One code path serves
 * binary32 and binary64: the formats differ only in the constants of struct format.
 */
#include "interp/fpu.h"

__extension__ typedef unsigned __int128 u128;

struct format {
	unsigned frac_bits;
	int32_t bias;
	uint64_t exp_max; /* the all-ones exponent field of infinities and NaNs */
	uint64_t default_nan;
};

static const struct format formats[] = {
	[FPU_F32] = { 23, 127, 0xff, 0x7fc00000ull },
	[FPU_F64] = { 52, 1023, 0x7ff, 0x7ff8000000000000ull },
};

enum fp_class { FP_ZERO, FP_FINITE, FP_INF, FP_QNAN, FP_SNAN };

/* value = (-1)^sign * sig * 2^(exp - 62) for finite values, sig's leading one at bit 62. */
struct unpacked {
	bool sign;
	enum fp_class cls;
	int32_t exp;
	uint64_t sig;
};

static unsigned sign_shift(const struct format *f)
{
	return f->frac_bits + (f->exp_max == 0xff ? 8 : 11);
}

static unsigned msb64(uint64_t v)
{
	return 63u - (unsigned)__builtin_clzll(v);
}

static unsigned msb128(u128 v)
{
	uint64_t hi = (uint64_t)(v >> 64);

	return hi ? 64 + msb64(hi) : msb64((uint64_t)v);
}

/* Shifts right, ORing every bit shifted out into bit 0 (the sticky bit). */
static uint64_t shr_jam64(uint64_t v, unsigned n)
{
	if (n == 0)
		return v;
	if (n >= 64)
		return v != 0;
	return (v >> n) | ((v << (64 - n)) != 0);
}

static u128 shr_jam128(u128 v, unsigned n)
{
	if (n == 0)
		return v;
	if (n >= 128)
		return v != 0;
	return (v >> n) | ((v << (128 - n)) != 0);
}

static struct unpacked unpack(enum fpu_format fmt, uint64_t bits)
{
	const struct format *f = &formats[fmt];
	uint64_t frac = bits & ((1ull << f->frac_bits) - 1);
	uint64_t field = (bits >> f->frac_bits) & f->exp_max;
	struct unpacked u = { .sign = (bits >> sign_shift(f)) & 1 };
	unsigned shift;

	if (field == f->exp_max) {
		if (!frac)
			u.cls = FP_INF;
		else
			u.cls = (frac >> (f->frac_bits - 1)) & 1 ? FP_QNAN : FP_SNAN;
		return u;
	}
	if (field == 0) {
		if (!frac) {
			u.cls = FP_ZERO;
			return u;
		}
		shift = 62 - msb64(frac);
		u.cls = FP_FINITE;
		u.sig = frac << shift;
		u.exp = 63 - f->bias - (int32_t)f->frac_bits - (int32_t)shift;
		return u;
	}
	u.cls = FP_FINITE;
	u.sig = (frac | (1ull << f->frac_bits)) << (62 - f->frac_bits);
	u.exp = (int32_t)field - f->bias;
	return u;
}

static bool is_nan(const struct unpacked *u)
{
	return u->cls == FP_QNAN || u->cls == FP_SNAN;
}

static uint64_t sign_bit(enum fpu_format fmt, bool sign)
{
	return (uint64_t)sign << sign_shift(&formats[fmt]);
}

static uint64_t pack_zero(enum fpu_format fmt, bool sign)
{
	return sign_bit(fmt, sign);
}

static uint64_t pack_inf(enum fpu_format fmt, bool sign)
{
	return sign_bit(fmt, sign) | (formats[fmt].exp_max << formats[fmt].frac_bits);
}

static uint64_t invalid_nan(struct fpu_env *env, enum fpu_format fmt)
{
	env->flags |= IR_FFLAG_INVALID;
	return formats[fmt].default_nan;
}

/*
 * The NaN result of an op with NaN operands: invalid when any is signaling; the canonical NaN,
 * or the first NaN operand made quiet.
 */
static uint64_t propagate_nan(struct fpu_env *env, enum fpu_format fmt, const uint64_t *bits,
			      const struct unpacked *u, unsigned n)
{
	uint64_t quiet_bit = 1ull << (formats[fmt].frac_bits - 1);
	unsigned i, first = n;

	for (i = 0; i < n; i++) {
		if (u[i].cls == FP_SNAN)
			env->flags |= IR_FFLAG_INVALID;
		if (is_nan(&u[i]) && first == n)
			first = i;
	}
	if (env->default_nan || first == n)
		return formats[fmt].default_nan;
	return bits[first] | quiet_bit;
}

static uint64_t round_increment(enum ir_round round, bool sign, uint64_t mask, uint64_t half)
{
	switch (round) {
	case IR_ROUND_TO_ZERO:
		return 0;
	case IR_ROUND_DOWN:
		return sign ? mask : 0;
	case IR_ROUND_UP:
		return sign ? 0 : mask;
	default: /* nearest, ties to even or away */
		return half;
	}
}

static uint64_t overflow(struct fpu_env *env, enum fpu_format fmt, bool sign)
{
	const struct format *f = &formats[fmt];
	enum ir_round round = env->round;
	bool to_inf = round == IR_ROUND_NEAREST_EVEN || round == IR_ROUND_NEAREST_MAX ||
		      (round == IR_ROUND_UP && !sign) || (round == IR_ROUND_DOWN && sign);

	env->flags |= IR_FFLAG_OVERFLOW | IR_FFLAG_INEXACT;
	if (to_inf)
		return pack_inf(fmt, sign);
	return sign_bit(fmt, sign) |
	       (((f->exp_max - 1) << f->frac_bits) | ((1ull << f->frac_bits) - 1));
}

/*
 * Rounds (-1)^sign * sig * 2^(exp - 62), sig's leading one at bit 62 and a sticky bit 0, to fmt.
 * Tininess is detected after rounding (RISC-V, x86): a result is tiny when rounding it to the
 * format's precision with an unbounded exponent still leaves it below the smallest normal.
 */
static uint64_t round_pack(struct fpu_env *env, enum fpu_format fmt, bool sign, int32_t exp,
			   uint64_t sig)
{
	const struct format *f = &formats[fmt];
	unsigned shift = 62 - f->frac_bits;
	uint64_t mask = (1ull << shift) - 1, half = 1ull << (shift - 1);
	uint64_t inc = round_increment(env->round, sign, mask, half);
	int32_t biased = exp + f->bias;
	uint64_t round_bits, field, packed;
	bool tiny = false;

	if (biased >= (int32_t)f->exp_max)
		return overflow(env, fmt, sign);
	if (biased <= 0) {
		tiny = biased < 0 || sig + inc < (1ull << 63);
		sig = shr_jam64(sig, (unsigned)(1 - biased) > 64 ? 64 : (unsigned)(1 - biased));
		field = 0;
	} else {
		/* The significand's leading one then carries the field up to biased. */
		field = (uint64_t)biased - 1;
	}
	round_bits = sig & mask;
	sig = (sig + inc) >> shift;
	if (round_bits == half && env->round == IR_ROUND_NEAREST_EVEN)
		sig &= ~1ull;
	packed = (field << f->frac_bits) + sig;
	if ((packed >> f->frac_bits) >= f->exp_max)
		return overflow(env, fmt, sign);
	if (round_bits) {
		env->flags |= IR_FFLAG_INEXACT;
		if (tiny)
			env->flags |= IR_FFLAG_UNDERFLOW;
	}
	return sign_bit(fmt, sign) | packed;
}

/* Rounds (-1)^sign * s * 2^e (s != 0) to fmt. */
static uint64_t round_pack128(struct fpu_env *env, enum fpu_format fmt, bool sign, u128 s,
			      int32_t e)
{
	unsigned m = msb128(s);
	uint64_t sig = m > 62 ? (uint64_t)shr_jam128(s, m - 62) : (uint64_t)s << (62 - m);

	return round_pack(env, fmt, sign, e + (int32_t)m, sig);
}

/* The exact zero of x - x (or of adding opposite zeros): +0, or -0 when rounding down. */
static uint64_t cancel_zero(const struct fpu_env *env, enum fpu_format fmt)
{
	return pack_zero(fmt, env->round == IR_ROUND_DOWN);
}

/* (-1)^sa * sa_ * 2^ea + (-1)^sb * sb_ * 2^eb, both nonzero and at most 126 bits wide. */
static uint64_t add_exact(struct fpu_env *env, enum fpu_format fmt, bool sa, u128 ma, int32_t ea,
			  bool sb, u128 mb, int32_t eb)
{
	unsigned na = 125 - msb128(ma), nb = 125 - msb128(mb), d;
	bool sign;
	u128 s;

	ma <<= na;
	ea -= (int32_t)na;
	mb <<= nb;
	eb -= (int32_t)nb;
	if (ea < eb) {
		u128 tm = ma;
		int32_t te = ea;
		bool ts = sa;

		ma = mb, ea = eb, sa = sb;
		mb = tm, eb = te, sb = ts;
	}
	d = (unsigned)(ea - eb) > 128 ? 128 : (unsigned)(ea - eb);
	mb = shr_jam128(mb, d);
	if (sa == sb) {
		s = ma + mb;
		sign = sa;
	} else if (ma >= mb) {
		s = ma - mb;
		sign = sa;
	} else {
		s = mb - ma;
		sign = sb;
	}
	if (s == 0)
		return cancel_zero(env, fmt);
	return round_pack128(env, fmt, sign, s, ea);
}

static uint64_t add_signed(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b,
			   bool negate_b)
{
	struct unpacked u[2] = { unpack(fmt, a), unpack(fmt, b) };
	uint64_t bits[2] = { a, b };
	bool sb = u[1].sign ^ negate_b;

	if (is_nan(&u[0]) || is_nan(&u[1]))
		return propagate_nan(env, fmt, bits, u, 2);
	if (u[0].cls == FP_INF) {
		if (u[1].cls == FP_INF && sb != u[0].sign)
			return invalid_nan(env, fmt);
		return pack_inf(fmt, u[0].sign);
	}
	if (u[1].cls == FP_INF)
		return pack_inf(fmt, sb);
	if (u[0].cls == FP_ZERO && u[1].cls == FP_ZERO)
		return u[0].sign == sb ? pack_zero(fmt, sb) : cancel_zero(env, fmt);
	if (u[1].cls == FP_ZERO)
		return a;
	if (u[0].cls == FP_ZERO)
		return b ^ sign_bit(fmt, negate_b);
	return add_exact(env, fmt, u[0].sign, u[0].sig, u[0].exp - 62, sb, u[1].sig, u[1].exp - 62);
}

uint64_t fpu_add(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b)
{
	return add_signed(env, fmt, a, b, false);
}

uint64_t fpu_sub(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b)
{
	return add_signed(env, fmt, a, b, true);
}

uint64_t fpu_mul(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b)
{
	struct unpacked u[2] = { unpack(fmt, a), unpack(fmt, b) };
	uint64_t bits[2] = { a, b };
	bool sign = u[0].sign ^ u[1].sign;

	if (is_nan(&u[0]) || is_nan(&u[1]))
		return propagate_nan(env, fmt, bits, u, 2);
	if (u[0].cls == FP_INF || u[1].cls == FP_INF) {
		if (u[0].cls == FP_ZERO || u[1].cls == FP_ZERO)
			return invalid_nan(env, fmt);
		return pack_inf(fmt, sign);
	}
	if (u[0].cls == FP_ZERO || u[1].cls == FP_ZERO)
		return pack_zero(fmt, sign);
	return round_pack128(env, fmt, sign, (u128)u[0].sig * u[1].sig, u[0].exp + u[1].exp - 124);
}

uint64_t fpu_div(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b)
{
	struct unpacked u[2] = { unpack(fmt, a), unpack(fmt, b) };
	uint64_t bits[2] = { a, b };
	bool sign = u[0].sign ^ u[1].sign;
	u128 num, q;

	if (is_nan(&u[0]) || is_nan(&u[1]))
		return propagate_nan(env, fmt, bits, u, 2);
	if (u[0].cls == FP_INF) {
		if (u[1].cls == FP_INF)
			return invalid_nan(env, fmt);
		return pack_inf(fmt, sign);
	}
	if (u[1].cls == FP_INF)
		return pack_zero(fmt, sign);
	if (u[1].cls == FP_ZERO) {
		if (u[0].cls == FP_ZERO)
			return invalid_nan(env, fmt);
		env->flags |= IR_FFLAG_DIVZERO;
		return pack_inf(fmt, sign);
	}
	if (u[0].cls == FP_ZERO)
		return pack_zero(fmt, sign);
	num = (u128)u[0].sig << 64;
	q = num / u[1].sig;
	q |= (num % u[1].sig) != 0;
	return round_pack128(env, fmt, sign, q, u[0].exp - u[1].exp - 64);
}

/* floor(sqrt(n)) for n < 2^126, bit by bit from the top. */
static uint64_t isqrt128(u128 n)
{
	uint64_t r = 0;
	int bit;

	for (bit = 62; bit >= 0; bit--) {
		uint64_t t = r | (1ull << bit);

		if ((u128)t * t <= n)
			r = t;
	}
	return r;
}

uint64_t fpu_sqrt(struct fpu_env *env, enum fpu_format fmt, uint64_t a)
{
	struct unpacked u = unpack(fmt, a);
	int32_t e;
	unsigned k;
	uint64_t r;
	u128 n;

	if (is_nan(&u))
		return propagate_nan(env, fmt, &a, &u, 1);
	if (u.cls == FP_ZERO)
		return a;
	if (u.sign)
		return invalid_nan(env, fmt);
	if (u.cls == FP_INF)
		return a;
	/* sqrt(sig * 2^e) with e - k even: sqrt(sig << k) * 2^((e - k) / 2). */
	e = u.exp - 62;
	k = (e & 1) ? 63 : 62;
	n = (u128)u.sig << k;
	r = isqrt128(n);
	r |= (u128)r * r != n;
	return round_pack128(env, fmt, false, r, (e - (int32_t)k) / 2);
}

uint64_t fpu_fma(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b, uint64_t c,
		 bool negate_product, bool negate_addend)
{
	struct unpacked u[3] = { unpack(fmt, a), unpack(fmt, b), unpack(fmt, c) };
	uint64_t bits[3] = { a, b, c };
	bool sp = u[0].sign ^ u[1].sign ^ negate_product;
	bool sc = u[2].sign ^ negate_addend;
	bool prod_inf = u[0].cls == FP_INF || u[1].cls == FP_INF;
	bool prod_zero = u[0].cls == FP_ZERO || u[1].cls == FP_ZERO;

	if (is_nan(&u[0]) || is_nan(&u[1]))
		return propagate_nan(env, fmt, bits, u, 3);
	/* inf * 0 is invalid even when the addend is a quiet NaN (RISC-V, Berkeley SoftFloat). */
	if (prod_inf && prod_zero) {
		if (u[2].cls == FP_SNAN)
			env->flags |= IR_FFLAG_INVALID;
		return invalid_nan(env, fmt);
	}
	if (is_nan(&u[2]))
		return propagate_nan(env, fmt, bits, u, 3);
	if (prod_inf) {
		if (u[2].cls == FP_INF && sc != sp)
			return invalid_nan(env, fmt);
		return pack_inf(fmt, sp);
	}
	if (u[2].cls == FP_INF)
		return pack_inf(fmt, sc);
	if (prod_zero) {
		if (u[2].cls == FP_ZERO)
			return sp == sc ? pack_zero(fmt, sp) : cancel_zero(env, fmt);
		return (c & ~sign_bit(fmt, true)) | sign_bit(fmt, sc);
	}
	if (u[2].cls == FP_ZERO)
		return round_pack128(env, fmt, sp, (u128)u[0].sig * u[1].sig,
				     u[0].exp + u[1].exp - 124);
	return add_exact(env, fmt, sp, (u128)u[0].sig * u[1].sig, u[0].exp + u[1].exp - 124, sc,
			 u[2].sig, u[2].exp - 62);
}

/* A key whose unsigned order is the numeric order of non-NaN values, with -0 below +0. */
static uint64_t order_key(enum fpu_format fmt, uint64_t bits)
{
	uint64_t sign = sign_bit(fmt, true);

	return (bits & sign) ? ~bits & (sign | (sign - 1)) : bits | sign;
}

static uint64_t min_max(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b,
			bool want_max)
{
	struct unpacked u[2] = { unpack(fmt, a), unpack(fmt, b) };
	uint64_t bits[2] = { a, b };
	bool a_less;

	if (u[0].cls == FP_SNAN || u[1].cls == FP_SNAN)
		env->flags |= IR_FFLAG_INVALID;
	if (is_nan(&u[0]) && is_nan(&u[1]))
		return propagate_nan(env, fmt, bits, u, 2);
	if (is_nan(&u[0]))
		return b;
	if (is_nan(&u[1]))
		return a;
	a_less = order_key(fmt, a) < order_key(fmt, b);
	return a_less != want_max ? a : b;
}

uint64_t fpu_min(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b)
{
	return min_max(env, fmt, a, b, false);
}

uint64_t fpu_max(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b)
{
	return min_max(env, fmt, a, b, true);
}

/* -1, 0, 1 for a < b, a == b, a > b, or 2 when unordered; raises invalid as signaling says. */
static int compare(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b, bool signaling)
{
	struct unpacked ua = unpack(fmt, a), ub = unpack(fmt, b);
	uint64_t ka, kb;

	if (is_nan(&ua) || is_nan(&ub)) {
		if (signaling || ua.cls == FP_SNAN || ub.cls == FP_SNAN)
			env->flags |= IR_FFLAG_INVALID;
		return 2;
	}
	if (ua.cls == FP_ZERO && ub.cls == FP_ZERO)
		return 0;
	ka = order_key(fmt, a);
	kb = order_key(fmt, b);
	return ka < kb ? -1 : ka > kb;
}

bool fpu_eq(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b)
{
	return compare(env, fmt, a, b, false) == 0;
}

bool fpu_lt(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b)
{
	return compare(env, fmt, a, b, true) == -1;
}

bool fpu_le(struct fpu_env *env, enum fpu_format fmt, uint64_t a, uint64_t b)
{
	int r = compare(env, fmt, a, b, true);

	return r == -1 || r == 0;
}

/* The saturated result of an out-of-range or NaN conversion (NaN counts as positive). */
static uint64_t to_int_saturate(struct fpu_env *env, bool negative, unsigned bits, bool is_unsigned)
{
	uint64_t width_mask = bits == 64 ? ~0ull : (1ull << bits) - 1;

	env->flags |= IR_FFLAG_INVALID;
	if (is_unsigned)
		return negative ? 0 : width_mask;
	if (negative)
		return (1ull << (bits - 1)) & width_mask;
	return width_mask >> 1;
}

uint64_t fpu_to_int(struct fpu_env *env, enum fpu_format fmt, uint64_t a, unsigned bits,
		    bool is_unsigned)
{
	struct unpacked u = unpack(fmt, a);
	uint64_t width_mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
	uint64_t mag, frac, half, limit;
	bool carry, exact_half;
	int32_t shift;

	if (is_nan(&u))
		return to_int_saturate(env, false, bits, is_unsigned);
	if (u.cls == FP_INF || (u.cls == FP_FINITE && u.exp > 63))
		return to_int_saturate(env, u.sign, bits, is_unsigned);
	if (u.cls == FP_ZERO)
		return 0;
	/* The magnitude, rounded to an integer by the rounding mode. */
	shift = 62 - u.exp;
	if (shift <= 0) {
		mag = u.sig << -shift;
		frac = 0;
		half = 1;
		exact_half = false;
	} else if (shift >= 64) {
		mag = 0;
		frac = 1; /* below one half: only directed modes round it up */
		half = 2;
		exact_half = false;
	} else {
		mag = u.sig >> shift;
		frac = u.sig & ((1ull << shift) - 1);
		half = 1ull << (shift - 1);
		exact_half = frac == half;
	}
	switch (env->round) {
	case IR_ROUND_TO_ZERO:
		carry = false;
		break;
	case IR_ROUND_DOWN:
		carry = u.sign && frac;
		break;
	case IR_ROUND_UP:
		carry = !u.sign && frac;
		break;
	case IR_ROUND_NEAREST_MAX:
		carry = frac >= half;
		break;
	default:
		carry = frac > half || (exact_half && (mag & 1));
		break;
	}
	if (carry) {
		if (mag == ~0ull)
			return to_int_saturate(env, u.sign, bits, is_unsigned);
		mag++;
	}
	if (is_unsigned)
		limit = u.sign ? 0 : width_mask;
	else
		limit = u.sign ? 1ull << (bits - 1) : width_mask >> 1;
	if (mag > limit)
		return to_int_saturate(env, u.sign, bits, is_unsigned);
	if (frac)
		env->flags |= IR_FFLAG_INEXACT;
	return (u.sign ? -mag : mag) & width_mask;
}

uint64_t fpu_from_int(struct fpu_env *env, enum fpu_format fmt, uint64_t a, unsigned bits,
		      bool is_unsigned)
{
	bool negative = false;
	uint64_t mag;
	unsigned m;

	if (bits == 32)
		a = is_unsigned ? (uint32_t)a : (uint64_t)(int64_t)(int32_t)a;
	mag = a;
	if (!is_unsigned && (int64_t)a < 0) {
		negative = true;
		mag = -a;
	}
	if (!mag)
		return pack_zero(fmt, false);
	m = msb64(mag);
	return round_pack(env, fmt, negative, (int32_t)m,
			  m > 62 ? shr_jam64(mag, m - 62) : mag << (62 - m));
}

uint64_t fpu_convert(struct fpu_env *env, enum fpu_format to, enum fpu_format from, uint64_t a)
{
	struct unpacked u = unpack(from, a);
	const struct format *ft = &formats[to], *ff = &formats[from];
	uint64_t payload;

	if (is_nan(&u)) {
		if (u.cls == FP_SNAN)
			env->flags |= IR_FFLAG_INVALID;
		if (env->default_nan)
			return ft->default_nan;
		/* Keep the payload's top bits, as x86 and Arm do without default NaN. */
		payload = a & ((1ull << ff->frac_bits) - 1);
		payload = to == FPU_F64 ? payload << (ft->frac_bits - ff->frac_bits) :
					  payload >> (ff->frac_bits - ft->frac_bits);
		return pack_inf(to, u.sign) | payload | (1ull << (ft->frac_bits - 1));
	}
	if (u.cls == FP_INF)
		return pack_inf(to, u.sign);
	if (u.cls == FP_ZERO)
		return pack_zero(to, u.sign);
	return round_pack(env, to, u.sign, u.exp, u.sig);
}
