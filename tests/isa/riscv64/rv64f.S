/* RV64F: every single instruction, the same corner cases as rv64d.S (rounding modes, each flag,
 * canonical NaN 0x7fc00000, fmin/fmax with sNaN and signed zeros, saturating conversions, one
 * rounding in fma), plus NaN boxing: single results are written with the upper 32 bits all
 * ones, single inputs that are not so boxed read as the canonical NaN, while fmv.x.w and fsw
 * take the low 32 bits whatever the upper ones are. */
#include "test.h"

#define ONE 0x3f800000
#define TWO 0x40000000
#define THREE 0x40400000
#define HALF 0x3f000000
#define MONE 0xbf800000
#define PZERO 0x00000000
#define MZERO 0x80000000
#define PINF 0x7f800000
#define MINF 0xff800000
#define QNAN 0x7fc00000
#define SNAN 0x7f800001
#define QNANP 0x7fc00123
#define FMAX 0x7f7fffff
#define MINNORM 0x00800000
#define TINY 0x33800000 /* 2^-24: half an ulp of 1.0 */
#define MTINY 0xb3800000
#define B(x) (0xffffffff00000000 | (x)) /* NaN-boxed */

	.text
	.globl test_main
test_main:
	TEST_S2 1, fadd.s, rne, THREE, 0, ONE, TWO
	TEST_S2 2, fadd.s, rne, ONE, FFLAG_NX, ONE, TINY
	TEST_S2 3, fadd.s, rtz, ONE, FFLAG_NX, ONE, TINY
	TEST_S2 4, fadd.s, rdn, ONE, FFLAG_NX, ONE, TINY
	TEST_S2 5, fadd.s, rup, 0x3f800001, FFLAG_NX, ONE, TINY
	TEST_S2 6, fadd.s, rmm, 0x3f800001, FFLAG_NX, ONE, TINY
	TEST_S2 7, fadd.s, rne, MONE, FFLAG_NX, MONE, MTINY
	TEST_S2 8, fadd.s, rtz, MONE, FFLAG_NX, MONE, MTINY
	TEST_S2 9, fadd.s, rdn, 0xbf800001, FFLAG_NX, MONE, MTINY
	TEST_S2 10, fadd.s, rup, MONE, FFLAG_NX, MONE, MTINY
	TEST_S2 11, fadd.s, rmm, 0xbf800001, FFLAG_NX, MONE, MTINY
	TEST_S2 12, fadd.s, rne, PZERO, 0, ONE, MONE
	TEST_S2 13, fadd.s, rdn, MZERO, 0, ONE, MONE
	TEST_S2 14, fsub.s, rne, QNAN, FFLAG_NV, PINF, PINF
	TEST_S2 15, fsub.s, rne, MONE, 0, ONE, TWO
	fsrmi 3
	TEST_S2 16, fadd.s, dyn, 0x3f800001, FFLAG_NX, ONE, TINY
	fsrmi 2
	TEST_S2 17, fadd.s, dyn, 0xbf800001, FFLAG_NX, MONE, MTINY
	fsrmi 6
	EXPECT_TRAP 18, CAUSE_ILLEGAL, fadd.s f3, f1, f2, dyn
	fsrmi 0
	EXPECT_TRAP 19, CAUSE_ILLEGAL, .insn r OP_FP, 5, 0, f3, f1, f2

	TEST_S2 20, fmul.s, rne, PINF, FFLAG_OF | FFLAG_NX, FMAX, TWO
	TEST_S2 21, fmul.s, rtz, FMAX, FFLAG_OF | FFLAG_NX, FMAX, TWO
	TEST_S2 22, fmul.s, rne, QNAN, FFLAG_NV, PZERO, MINF
	TEST_S2 23, fmul.s, rne, 0x00400000, 0, MINNORM, HALF
	TEST_S2 24, fmul.s, rne, PZERO, FFLAG_UF | FFLAG_NX, 1, HALF
	TEST_S2 25, fmul.s, rup, 1, FFLAG_UF | FFLAG_NX, 1, HALF
	TEST_S2 26, fdiv.s, rne, PINF, FFLAG_DZ, ONE, PZERO
	TEST_S2 27, fdiv.s, rne, MINF, FFLAG_DZ, ONE, MZERO
	TEST_S2 28, fdiv.s, rne, QNAN, FFLAG_NV, PZERO, PZERO
	TEST_S2 29, fdiv.s, rne, 0x3eaaaaab, FFLAG_NX, ONE, THREE
	TEST_S2 30, fdiv.s, rtz, 0x3eaaaaaa, FFLAG_NX, ONE, THREE
	TEST_S2 31, fadd.s, rne, QNAN, 0, QNANP, ONE
	TEST_S2 32, fadd.s, rne, QNAN, FFLAG_NV, SNAN, ONE

	TEST_FF 33, fsqrt.s, B(TWO), 0, B(0x40800000), rne
	TEST_FF 34, fsqrt.s, B(0x3fb504f3), FFLAG_NX, B(TWO), rne
	TEST_FF 35, fsqrt.s, B(0x3fb504f4), FFLAG_NX, B(TWO), rup
	TEST_FF 36, fsqrt.s, B(QNAN), FFLAG_NV, B(MONE), rne
	TEST_FF 37, fsqrt.s, B(MZERO), 0, B(MZERO), rne

	TEST_S2N 38, fmin.s, ONE, 0, ONE, QNANP
	TEST_S2N 39, fmax.s, ONE, 0, QNANP, ONE
	TEST_S2N 40, fmin.s, ONE, FFLAG_NV, SNAN, ONE
	TEST_S2N 41, fmax.s, ONE, FFLAG_NV, ONE, SNAN
	TEST_S2N 42, fmin.s, QNAN, 0, QNANP, QNANP
	TEST_S2N 43, fmax.s, QNAN, FFLAG_NV, SNAN, SNAN
	TEST_S2N 44, fmin.s, MZERO, 0, PZERO, MZERO
	TEST_S2N 45, fmax.s, PZERO, 0, MZERO, PZERO
	TEST_S2N 46, fmax.s, PZERO, 0, PZERO, MZERO
	TEST_S2N 47, fmin.s, MINF, 0, ONE, MINF

	TEST_S2N 48, fsgnj.s, 0xff800001, 0, SNAN, MONE
	TEST_S2N 49, fsgnjn.s, 0xffc00123, 0, QNANP, ONE
	TEST_S2N 50, fsgnjx.s, ONE, 0, MONE, MONE
	TEST_S2N 51, fsgnjx.s, MONE, 0, MONE, ONE

	TEST_FXX 52, feq.s, 1, 0, B(MZERO), B(PZERO)
	TEST_FXX 53, feq.s, 0, FFLAG_NV, B(SNAN), B(ONE)
	TEST_FXX 54, feq.s, 0, 0, B(QNAN), B(ONE)
	TEST_FXX 55, flt.s, 1, 0, B(MONE), B(ONE)
	TEST_FXX 56, flt.s, 0, FFLAG_NV, B(QNAN), B(ONE)
	TEST_FXX 57, fle.s, 1, 0, B(MZERO), B(PZERO)
	TEST_FXX 58, fle.s, 0, FFLAG_NV, B(ONE), B(SNAN)

	TEST_FX 59, fclass.s, 1 << 0, 0, B(MINF)
	TEST_FX 60, fclass.s, 1 << 1, 0, B(MONE)
	TEST_FX 61, fclass.s, 1 << 2, 0, B(0x807fffff)
	TEST_FX 62, fclass.s, 1 << 3, 0, B(MZERO)
	TEST_FX 63, fclass.s, 1 << 4, 0, B(PZERO)
	TEST_FX 64, fclass.s, 1 << 5, 0, B(1)
	TEST_FX 65, fclass.s, 1 << 6, 0, B(ONE)
	TEST_FX 66, fclass.s, 1 << 7, 0, B(PINF)
	TEST_FX 67, fclass.s, 1 << 8, 0, B(SNAN)
	TEST_FX 68, fclass.s, 1 << 9, 0, B(QNANP)

	TEST_FX 69, fcvt.w.s, 3, FFLAG_NX, B(0x406ccccd), rtz /* 3.7 */
	TEST_FX 70, fcvt.w.s, 4, FFLAG_NX, B(0x406ccccd), rne
	TEST_FX 71, fcvt.w.s, -4, FFLAG_NX, B(0xc0600000), rne /* -3.5 */
	TEST_FX 72, fcvt.w.s, -3, FFLAG_NX, B(0xc0600000), rup
	TEST_FX 73, fcvt.w.s, 2, FFLAG_NX, B(0x40200000), rne /* 2.5 */
	TEST_FX 74, fcvt.w.s, 3, FFLAG_NX, B(0x40200000), rmm
	TEST_FX 75, fcvt.w.s, 0x7fffffff, FFLAG_NV, B(0x501502f9), rtz /* 1e10 */
	TEST_FX 76, fcvt.w.s, 0xffffffff80000000, FFLAG_NV, B(0xd01502f9), rtz
	TEST_FX 77, fcvt.w.s, 0x7fffffff, FFLAG_NV, B(QNAN), rtz
	TEST_FX 78, fcvt.w.s, 0xffffffff80000000, 0, B(0xcf000000), rtz /* -2^31 */
	TEST_FX 79, fcvt.wu.s, 0, FFLAG_NV, B(MONE), rtz
	TEST_FX 80, fcvt.wu.s, 0, FFLAG_NX, B(0xbf000000), rtz
	TEST_FX 81, fcvt.wu.s, 0xffffffffffffffff, FFLAG_NV, B(SNAN), rtz
	TEST_FX 82, fcvt.wu.s, 0xffffffff80000000, 0, B(0x4f000000), rtz /* 2^31 */
	TEST_FX 83, fcvt.l.s, 0x7fffffffffffffff, FFLAG_NV, B(0x5f000000), rtz /* 2^63 */
	TEST_FX 84, fcvt.l.s, 0x8000000000000000, 0, B(0xdf000000), rtz
	TEST_FX 85, fcvt.l.s, 0x7fffffffffffffff, FFLAG_NV, B(PINF), rtz
	TEST_FX 86, fcvt.l.s, -1, FFLAG_NX, B(0xbf000000), rdn
	TEST_FX 87, fcvt.lu.s, 0xffffffffffffffff, FFLAG_NV, B(0x5f800000), rtz /* 2^64 */
	TEST_FX 88, fcvt.lu.s, 0, FFLAG_NV, B(MINF), rtz
	TEST_FX 89, fcvt.lu.s, 1, FFLAG_NX, B(0x3f000001), rup
	/* An unboxed input converts as the canonical NaN. */
	TEST_FX 90, fcvt.w.s, 0x7fffffff, FFLAG_NV, 0x000000003f800000, rtz

	TEST_XF 91, fcvt.s.w, B(0xcf000000), 0, 0x1234567880000000
	TEST_XF 92, fcvt.s.wu, B(0x4f800000), FFLAG_NX, 0xffffffffffffffff, rne
	TEST_XF 93, fcvt.s.l, B(0x4b800000), FFLAG_NX, 0x1000001, rne
	TEST_XF 94, fcvt.s.l, B(0x4b800001), FFLAG_NX, 0x1000001, rup
	TEST_XF 95, fcvt.s.lu, B(0x5f800000), FFLAG_NX, 0xffffffffffffffff, rne
	TEST_XF 96, fcvt.s.l, B(MONE), 0, -1, rne
	TEST_XF 97, fcvt.s.wu, B(PZERO), 0, 0xffffffff00000000, rne

	TEST_S3 98, fmadd.s, rne, 0x40a00000, 0, ONE, TWO, THREE
	TEST_S3 99, fmsub.s, rne, MONE, 0, ONE, TWO, THREE
	TEST_S3 100, fnmsub.s, rne, ONE, 0, ONE, TWO, THREE
	TEST_S3 101, fnmadd.s, rne, 0xc0a00000, 0, ONE, TWO, THREE
	TEST_S3 102, fmadd.s, rne, 0x337ffffe, 0, 0x3f800001, 0x3f7fffff, MONE
	TEST_S3 103, fmadd.s, rne, QNAN, FFLAG_NV, PINF, PZERO, QNANP

	/* NaN boxing. An unboxed operand is the canonical NaN (quiet: no NV). */
	TEST 104
	li a1, 0x000000003f800000
	fmv.d.x f1, a1
	BOX_S f2, ONE
	csrwi fflags, 0
	fadd.s f3, f1, f2
	CHECK_FD f3, B(QNAN), 0
	TEST 105
	li a1, 0xfffffffe3f800000 /* one upper bit clear is enough */
	fmv.d.x f1, a1
	BOX_S f2, TWO
	fmin.s f3, f1, f2
	CHECK_FD f3, B(TWO), 0
	TEST 106
	li a1, 0x7fffffff3f800000
	fmv.d.x f1, a1
	BOX_S f2, MONE
	fsgnj.s f3, f1, f2
	CHECK_FD f3, B(0xffc00000), 0
	TEST 107
	fclass.s a0, f1
	CHECK a0, 1 << 9
	TEST 108
	feq.s a0, f1, f1
	CHECK a0, 0
	csrr a0, fflags
	CHECK a0, 0
	/* fmv.x.w ignores boxing and sign-extends bit 31; fmv.w.x boxes. */
	TEST 109
	li a1, 0x123456789abcdef0
	fmv.d.x f1, a1
	fmv.x.w a0, f1
	CHECK a0, 0xffffffff9abcdef0
	TEST 110
	li a1, 0x123456783f800000
	fmv.w.x f1, a1
	fmv.x.d a0, f1
	CHECK a0, B(ONE)
	/* flw boxes, fsw stores the low word of whatever the register holds. */
	TEST 111
	la s2, buf
	li a1, 0x5555555500000000 | SNAN
	sd a1, 0(s2)
	flw f1, 0(s2)
	fmv.x.d a0, f1
	CHECK a0, B(SNAN)
	TEST 112
	li a1, 0x0123456789abcdef
	fmv.d.x f1, a1
	fsw f1, 8(s2)
	lwu a0, 8(s2)
	CHECK a0, 0x89abcdef
	csrr a0, fflags
	CHECK a0, 0
	j pass

	.data
	.align 3
buf:
	.dword 0, 0
