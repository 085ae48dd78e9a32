/* RV64D: every double instruction. Rounding: each static mode on a tie and on a sign pair, the
 * dynamic mode from frm, and the reserved modes (static 5/6 and dynamic with frm 5..7) raising
 * illegal instruction. Flags: each of NV, DZ, OF, UF, NX raised by the operation that must raise
 * it, none by exact ones. NaNs: results are the canonical NaN 0x7ff8000000000000, signaling
 * inputs raise NV, fmin/fmax return the other operand for one NaN and order -0 < +0, fsgnj*
 * keep payloads. Conversions saturate with NV, fma rounds once, fcvt.d.s unboxes. */
#include "test.h"

#define ONE 0x3ff0000000000000
#define TWO 0x4000000000000000
#define THREE 0x4008000000000000
#define HALF 0x3fe0000000000000
#define MONE 0xbff0000000000000
#define PZERO 0x0000000000000000
#define MZERO 0x8000000000000000
#define PINF 0x7ff0000000000000
#define MINF 0xfff0000000000000
#define QNAN 0x7ff8000000000000
#define SNAN 0x7ff0000000000001
#define QNANP 0x7ff8000000000123 /* quiet NaN with a payload */
#define DMAX 0x7fefffffffffffff
#define MINNORM 0x0010000000000000
#define TINY 0x3ca0000000000000 /* 2^-53: half an ulp of 1.0 */
#define MTINY 0xbca0000000000000

	.text
	.globl test_main
test_main:
	TEST_D2 1, fadd.d, rne, THREE, 0, ONE, TWO
	/* 1 + 2^-53 is a tie between 1 and 1 + 2^-52. */
	TEST_D2 2, fadd.d, rne, ONE, FFLAG_NX, ONE, TINY
	TEST_D2 3, fadd.d, rtz, ONE, FFLAG_NX, ONE, TINY
	TEST_D2 4, fadd.d, rdn, ONE, FFLAG_NX, ONE, TINY
	TEST_D2 5, fadd.d, rup, 0x3ff0000000000001, FFLAG_NX, ONE, TINY
	TEST_D2 6, fadd.d, rmm, 0x3ff0000000000001, FFLAG_NX, ONE, TINY
	TEST_D2 7, fadd.d, rne, MONE, FFLAG_NX, MONE, MTINY
	TEST_D2 8, fadd.d, rtz, MONE, FFLAG_NX, MONE, MTINY
	TEST_D2 9, fadd.d, rdn, 0xbff0000000000001, FFLAG_NX, MONE, MTINY
	TEST_D2 10, fadd.d, rup, MONE, FFLAG_NX, MONE, MTINY
	TEST_D2 11, fadd.d, rmm, 0xbff0000000000001, FFLAG_NX, MONE, MTINY
	/* x + -x is +0 in every mode but rdn, where it is -0. */
	TEST_D2 12, fadd.d, rne, PZERO, 0, ONE, MONE
	TEST_D2 13, fadd.d, rdn, MZERO, 0, ONE, MONE
	TEST_D2 14, fsub.d, rne, PZERO, 0, ONE, ONE
	TEST_D2 15, fsub.d, rne, QNAN, FFLAG_NV, PINF, PINF
	TEST_D2 16, fsub.d, rne, MONE, 0, ONE, TWO
	/* Dynamic rounding: frm selects. */
	TEST 17
	fsrmi a0, 3 /* rup; old frm is 0 */
	CHECK a0, 0
	TEST_D2 18, fadd.d, dyn, 0x3ff0000000000001, FFLAG_NX, ONE, TINY
	fsrmi 4
	TEST_D2 19, fadd.d, dyn, 0xbff0000000000001, FFLAG_NX, MONE, MTINY
	fsrmi 2
	TEST_D2 20, fadd.d, dyn, 0xbff0000000000001, FFLAG_NX, MONE, MTINY
	fsrmi 1
	TEST_D2 21, fadd.d, dyn, ONE, FFLAG_NX, ONE, TINY
	fsrmi 0
	TEST_D2 22, fadd.d, dyn, ONE, FFLAG_NX, ONE, TINY
	/* Reserved rounding modes: static 5 and 6 encoded directly, dynamic with frm = 5, 6, 7. */
	EXPECT_TRAP 23, CAUSE_ILLEGAL, .insn r OP_FP, 5, 1, f3, f1, f2
	EXPECT_TRAP 24, CAUSE_ILLEGAL, .insn r OP_FP, 6, 1, f3, f1, f2
	fsrmi 5
	EXPECT_TRAP 25, CAUSE_ILLEGAL, fadd.d f3, f1, f2, dyn
	fsrmi 7
	EXPECT_TRAP 26, CAUSE_ILLEGAL, fmul.d f3, f1, f2, dyn
	/* An instruction without a rounding mode is fine whatever frm holds. */
	TEST_D2N 27, fmin.d, ONE, 0, ONE, TWO
	fsrmi 0

	TEST_D2 28, fmul.d, rne, PINF, FFLAG_OF | FFLAG_NX, DMAX, TWO
	TEST_D2 29, fmul.d, rtz, DMAX, FFLAG_OF | FFLAG_NX, DMAX, TWO
	TEST_D2 30, fmul.d, rdn, DMAX, FFLAG_OF | FFLAG_NX, DMAX, TWO
	TEST_D2 31, fmul.d, rup, PINF, FFLAG_OF | FFLAG_NX, DMAX, TWO
	TEST_D2 32, fmul.d, rne, QNAN, FFLAG_NV, PZERO, PINF
	/* Subnormal results: exact ones raise nothing, inexact tiny ones UF and NX. */
	TEST_D2 33, fmul.d, rne, 0x0008000000000000, 0, MINNORM, HALF
	TEST_D2 34, fmul.d, rne, PZERO, FFLAG_UF | FFLAG_NX, 1, HALF
	TEST_D2 35, fmul.d, rup, 1, FFLAG_UF | FFLAG_NX, 1, HALF
	TEST_D2 36, fmul.d, rne, MZERO, 0, MZERO, ONE
	TEST_D2 37, fdiv.d, rne, PINF, FFLAG_DZ, ONE, PZERO
	TEST_D2 38, fdiv.d, rne, MINF, FFLAG_DZ, MONE, PZERO
	TEST_D2 39, fdiv.d, rne, QNAN, FFLAG_NV, PZERO, PZERO
	TEST_D2 40, fdiv.d, rne, QNAN, FFLAG_NV, PINF, MINF
	TEST_D2 41, fdiv.d, rne, 0x3fd5555555555555, FFLAG_NX, ONE, THREE
	TEST_D2 42, fdiv.d, rup, 0x3fd5555555555556, FFLAG_NX, ONE, THREE
	TEST_D2 43, fdiv.d, rne, HALF, 0, ONE, TWO
	/* NaN inputs: the result is always the canonical NaN, NV only for a signaling one. */
	TEST_D2 44, fadd.d, rne, QNAN, 0, QNANP, ONE
	TEST_D2 45, fmul.d, rne, QNAN, FFLAG_NV, ONE, SNAN
	TEST_D2 46, fdiv.d, rne, QNAN, 0, QNANP, PZERO

	TEST_FF 47, fsqrt.d, TWO, 0, 0x4010000000000000, rne
	TEST_FF 48, fsqrt.d, 0x3ff6a09e667f3bcd, FFLAG_NX, TWO, rne
	TEST_FF 49, fsqrt.d, 0x3ff6a09e667f3bcc, FFLAG_NX, TWO, rtz
	TEST_FF 50, fsqrt.d, QNAN, FFLAG_NV, MONE, rne
	TEST_FF 51, fsqrt.d, MZERO, 0, MZERO, rne
	TEST_FF 52, fsqrt.d, PINF, 0, PINF, rne

	/* fmin/fmax: one NaN gives the other operand; two give the canonical NaN; sNaN sets NV;
	 * -0 is below +0. */
	TEST_D2N 53, fmin.d, ONE, 0, ONE, QNANP
	TEST_D2N 54, fmax.d, ONE, 0, QNANP, ONE
	TEST_D2N 55, fmin.d, ONE, FFLAG_NV, SNAN, ONE
	TEST_D2N 56, fmax.d, ONE, FFLAG_NV, ONE, SNAN
	TEST_D2N 57, fmin.d, QNAN, 0, QNANP, QNANP
	TEST_D2N 58, fmax.d, QNAN, FFLAG_NV, SNAN, QNANP
	TEST_D2N 59, fmin.d, MZERO, 0, PZERO, MZERO
	TEST_D2N 60, fmin.d, MZERO, 0, MZERO, PZERO
	TEST_D2N 61, fmax.d, PZERO, 0, MZERO, PZERO
	TEST_D2N 62, fmax.d, PZERO, 0, PZERO, MZERO
	TEST_D2N 63, fmin.d, MINF, 0, MINF, MONE
	TEST_D2N 64, fmax.d, TWO, 0, MONE, TWO

	/* Sign injection is a bit operation: payloads kept, no flags even for sNaN. */
	TEST_D2N 65, fsgnj.d, 0xfff0000000000001, 0, SNAN, MONE
	TEST_D2N 66, fsgnjn.d, 0xfff8000000000123, 0, QNANP, ONE
	TEST_D2N 67, fsgnjx.d, ONE, 0, MONE, MONE
	TEST_D2N 68, fsgnjx.d, MONE, 0, ONE, MONE
	TEST_D2N 69, fsgnj.d, MZERO, 0, PZERO, MINF

	/* Compares: quiet feq (NV only for sNaN), signaling flt/fle (NV for any NaN). */
	TEST_FXX 70, feq.d, 1, 0, MZERO, PZERO
	TEST_FXX 71, feq.d, 0, 0, QNAN, QNAN
	TEST_FXX 72, feq.d, 0, FFLAG_NV, SNAN, ONE
	TEST_FXX 73, flt.d, 0, 0, MZERO, PZERO
	TEST_FXX 74, flt.d, 1, 0, MONE, ONE
	TEST_FXX 75, flt.d, 0, FFLAG_NV, QNAN, ONE
	TEST_FXX 76, fle.d, 1, 0, MZERO, PZERO
	TEST_FXX 77, fle.d, 0, FFLAG_NV, ONE, QNAN
	TEST_FXX 78, fle.d, 1, 0, MINF, MINF

	/* fclass: one bit per class. */
	TEST_FX 79, fclass.d, 1 << 0, 0, MINF
	TEST_FX 80, fclass.d, 1 << 1, 0, MONE
	TEST_FX 81, fclass.d, 1 << 2, 0, 0x800fffffffffffff
	TEST_FX 82, fclass.d, 1 << 3, 0, MZERO
	TEST_FX 83, fclass.d, 1 << 4, 0, PZERO
	TEST_FX 84, fclass.d, 1 << 5, 0, 1
	TEST_FX 85, fclass.d, 1 << 6, 0, ONE
	TEST_FX 86, fclass.d, 1 << 7, 0, PINF
	TEST_FX 87, fclass.d, 1 << 8, 0, SNAN
	TEST_FX 88, fclass.d, 1 << 9, 0, QNANP

	/* To integer: each rounding mode, then saturation with NV (NaN is the largest value). */
	TEST_FX 89, fcvt.w.d, 3, FFLAG_NX, 0x400d99999999999a, rtz /* 3.7 */
	TEST_FX 90, fcvt.w.d, 4, FFLAG_NX, 0x400d99999999999a, rne
	TEST_FX 91, fcvt.w.d, -4, FFLAG_NX, 0xc00c000000000000, rne /* -3.5 */
	TEST_FX 92, fcvt.w.d, -3, FFLAG_NX, 0xc00c000000000000, rtz
	TEST_FX 93, fcvt.w.d, -4, FFLAG_NX, 0xc00c000000000000, rmm
	TEST_FX 94, fcvt.w.d, -3, FFLAG_NX, 0xc00c000000000000, rup
	TEST_FX 95, fcvt.w.d, 2, FFLAG_NX, 0x4004000000000000, rne /* 2.5 ties to even */
	TEST_FX 96, fcvt.w.d, 3, FFLAG_NX, 0x4004000000000000, rmm
	TEST_FX 97, fcvt.w.d, 0x7fffffff, FFLAG_NV, 0x4202a05f20000000, rtz /* 1e10 */
	TEST_FX 98, fcvt.w.d, 0xffffffff80000000, FFLAG_NV, 0xc202a05f20000000, rtz
	TEST_FX 99, fcvt.w.d, 0x7fffffff, FFLAG_NV, QNAN, rtz
	TEST_FX 100, fcvt.w.d, 0x7fffffff, FFLAG_NV, PINF, rtz
	TEST_FX 101, fcvt.w.d, 0xffffffff80000000, FFLAG_NV, MINF, rtz
	TEST_FX 102, fcvt.w.d, 0xffffffff80000000, 0, 0xc1e0000000000000, rtz /* -2^31 exact */
	TEST_FX 103, fcvt.wu.d, 0, FFLAG_NV, MONE, rtz
	TEST_FX 104, fcvt.wu.d, 0, FFLAG_NX, 0xbfe0000000000000, rtz /* -0.5 -> 0 is in range */
	TEST_FX 105, fcvt.wu.d, 0xffffffffffffffff, FFLAG_NV, QNAN, rtz /* 2^32-1, sign-extended */
	TEST_FX 106, fcvt.wu.d, 0xffffffffffffffff, FFLAG_NV, 0x4202a05f20000000, rtz
	TEST_FX 107, fcvt.wu.d, 0xffffffff80000000, 0, 0x41e0000000000000, rtz /* 2^31 */
	TEST_FX 108, fcvt.l.d, 0x7fffffffffffffff, FFLAG_NV, 0x43e0000000000000, rtz /* 2^63 */
	TEST_FX 109, fcvt.l.d, 0x8000000000000000, 0, 0xc3e0000000000000, rtz
	TEST_FX 110, fcvt.l.d, 0x7fffffffffffffff, FFLAG_NV, SNAN, rtz
	TEST_FX 111, fcvt.l.d, 0x8000000000000000, FFLAG_NV, MINF, rtz
	TEST_FX 112, fcvt.l.d, -1, FFLAG_NX, 0xbfe0000000000000, rdn
	TEST_FX 113, fcvt.lu.d, 0xffffffffffffffff, FFLAG_NV, QNAN, rtz
	TEST_FX 114, fcvt.lu.d, 0, FFLAG_NV, MONE, rtz
	TEST_FX 115, fcvt.lu.d, 0xffffffffffffffff, FFLAG_NV, 0x43f0000000000000, rtz /* 2^64 */
	TEST_FX 116, fcvt.lu.d, 0x8000000000000000, 0, 0x43e0000000000000, rtz
	TEST_FX 117, fcvt.lu.d, 1, FFLAG_NX, 0x3fe0000000000001, rup

	/* From integer: W forms read the low word only. */
	TEST_XF 118, fcvt.d.w, 0xc1e0000000000000, 0, 0x1234567880000000
	TEST_XF 119, fcvt.d.wu, 0x41efffffffe00000, 0, 0xffffffffffffffff
	TEST_XF 120, fcvt.d.l, 0x43e0000000000000, FFLAG_NX, 0x7fffffffffffffff, rne
	TEST_XF 121, fcvt.d.l, 0x43dfffffffffffff, FFLAG_NX, 0x7fffffffffffffff, rtz
	TEST_XF 122, fcvt.d.lu, 0x43f0000000000000, FFLAG_NX, 0xffffffffffffffff, rne
	TEST_XF 123, fcvt.d.l, MONE, 0, -1, rne
	TEST_XF 124, fcvt.d.lu, PZERO, 0, 0, rne

	/* Between precisions: fcvt.s.d rounds and canonicalizes; fcvt.d.s unboxes (an unboxed input
	 * is the canonical NaN, without NV). */
	TEST_FF 125, fcvt.s.d, 0xffffffff3f800000, 0, ONE, rne
	TEST_FF 126, fcvt.s.d, 0xffffffff7f800000, FFLAG_OF | FFLAG_NX, 0x7e37e43c8800759c, rne /* 1e300 */
	TEST_FF 127, fcvt.s.d, 0xffffffff7f7fffff, FFLAG_OF | FFLAG_NX, 0x7e37e43c8800759c, rtz
	TEST_FF 128, fcvt.s.d, 0xffffffff7fc00000, 0, QNANP, rne
	TEST_FF 129, fcvt.s.d, 0xffffffff7fc00000, FFLAG_NV, SNAN, rne
	TEST_FF 130, fcvt.s.d, 0xffffffff3eaaaaab, FFLAG_NX, 0x3fd5555555555555, rne
	TEST_FF 131, fcvt.s.d, 0xffffffff3eaaaaaa, FFLAG_NX, 0x3fd5555555555555, rtz
	TEST_FF 132, fcvt.d.s, ONE, 0, 0xffffffff3f800000
	TEST_FF 133, fcvt.d.s, QNAN, 0, 0x000000003f800000
	TEST_FF 134, fcvt.d.s, QNAN, FFLAG_NV, 0xffffffff7f800001
	TEST_FF 135, fcvt.d.s, MINF, 0, 0xffffffffff800000

	/* Fused multiply-add: one rounding. (1 + 2^-52)(1 - 2^-53) - 1 = 2^-53 - 2^-105 exactly,
	 * which a separate multiply (rounding the product to 1) and add would make 0. */
	TEST_D3 136, fmadd.d, rne, 0x4014000000000000, 0, ONE, TWO, THREE
	TEST_D3 137, fmsub.d, rne, MONE, 0, ONE, TWO, THREE
	TEST_D3 138, fnmsub.d, rne, ONE, 0, ONE, TWO, THREE
	TEST_D3 139, fnmadd.d, rne, 0xc014000000000000, 0, ONE, TWO, THREE
	TEST_D3 140, fmadd.d, rne, 0x3c9ffffffffffffe, 0, 0x3ff0000000000001, 0x3fefffffffffffff, MONE
	/* inf * 0 is invalid even when the addend is a quiet NaN. */
	TEST_D3 141, fmadd.d, rne, QNAN, FFLAG_NV, PINF, PZERO, QNANP
	TEST_D3 142, fmadd.d, rne, QNAN, FFLAG_NV, PINF, ONE, MINF
	TEST_D3 143, fmadd.d, rne, QNAN, 0, ONE, ONE, QNANP
	TEST_D3 144, fnmadd.d, rdn, MZERO, 0, ONE, PZERO, PZERO /* -(+0) - (+0) */

	/* fld/fsd move raw bits; fmv.x.d/fmv.d.x too. */
	TEST 145
	la s2, buf
	li a1, SNAN
	sd a1, 0(s2)
	fld f5, 0(s2)
	fsd f5, 8(s2)
	ld a0, 8(s2)
	CHECK a0, SNAN
	csrr a0, fflags
	CHECK a0, 0

	/* fcsr: frm and fflags views, reserved upper bits ignored. */
	TEST 146
	li a1, 0xffffffff
	csrw fcsr, a1
	csrr a0, fcsr
	CHECK a0, 0xff
	frrm a0
	CHECK a0, 7
	frflags a0
	CHECK a0, 0x1f
	TEST 147
	fsflagsi a0, 0x3
	CHECK a0, 0x1f
	csrr a0, fcsr
	CHECK a0, 0xe3
	fsrm a0, zero
	CHECK a0, 7
	csrr a0, fcsr
	CHECK a0, 0x03
	csrwi fcsr, 0

	/* With mstatus.FS off, every FP instruction and FP CSR access is illegal. */
	li a0, MSTATUS_FS
	csrc mstatus, a0
	EXPECT_TRAP 148, CAUSE_ILLEGAL, fadd.d f1, f1, f1
	EXPECT_TRAP 149, CAUSE_ILLEGAL, csrr a0, fcsr
	EXPECT_TRAP 150, CAUSE_ILLEGAL, fld f1, 0(sp)
	li a0, MSTATUS_FS
	csrs mstatus, a0
	/* An FP write marks FS dirty, and SD (bit 63) follows. */
	TEST 151
	li a0, MSTATUS_FS
	csrc mstatus, a0
	li a0, 1 << 13 /* initial */
	csrs mstatus, a0
	fmv.d.x f1, zero
	csrr a0, mstatus
	srli a1, a0, 13
	andi a1, a1, 3
	CHECK a1, 3
	bgez a0, fail
	j pass

	.data
	.align 3
buf:
	.dword 0, 0
