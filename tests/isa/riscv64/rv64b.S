/* Zba, Zbb, Zbs: every instruction, with the .uw forms' zero extension of the low word, the W
 * forms' sign extension, rotates by 0 and by amounts >= the width, counts of 0 and all-ones
 * inputs, and bit indexes taken mod 64. */
#include "test.h"

	.text
	.globl test_main
test_main:
	/* Zba */
	TEST_RR 1, sh1add, 0x0000000000000203, 0x100, 3
	TEST_RR 2, sh2add, 0xfffffffffffffffc, -1, 0
	TEST_RR 3, sh3add, 0x8000000000000000, 0x1000000000000000, 0
	TEST_RR 4, add.uw, 0x0000000100000000, 0xffffffffffffffff, 1
	TEST_RR 5, sh1add.uw, 0x00000001fffffffe, 0x12345678ffffffff, 0
	TEST_RR 6, sh2add.uw, 0x00000003fffffffd, 0xffffffffffffffff, 1
	TEST_RR 7, sh3add.uw, 0x0000000400000000, 0x1080000000, 0
	TEST_RI 8, slli.uw, 0x00000000fffffffe, 0xabcdef017fffffff, 1
	TEST_RI 9, slli.uw, 0xffffffff00000000, 0x12345678ffffffff, 32
	TEST_RI 10, slli.uw, 0x8000000000000000, 0x1, 63
	TEST_R 11, zext.w, 0x0000000080000000, 0xffffffff80000000

	/* Zbb */
	TEST_RR 12, andn, 0x0f0f, 0xffff, 0xfffffffffffff0f0
	TEST_RR 13, orn, 0xffffffffffff0f0f, 0x0f0f, 0xf0f0
	TEST_RR 14, xnor, 0xfffffffffffffff0, 0x5, 0xa
	TEST_R 15, clz, 64, 0
	TEST_R 16, clz, 0, -1
	TEST_R 17, clz, 63, 1
	TEST_R 18, clzw, 32, 0xffffffff00000000
	TEST_R 19, clzw, 0, 0x80000000
	TEST_R 20, clzw, 31, 1
	TEST_R 21, ctz, 64, 0
	TEST_R 22, ctz, 63, 0x8000000000000000
	TEST_R 23, ctzw, 32, 0xffffffff00000000
	TEST_R 24, ctzw, 31, 0x80000000
	TEST_R 25, cpop, 64, -1
	TEST_R 26, cpop, 0, 0
	TEST_R 27, cpop, 3, 0x8000000000000101
	TEST_R 28, cpopw, 32, -1
	TEST_R 29, cpopw, 1, 0xffffffff00000001
	TEST_RR 30, max, 1, -1, 1
	TEST_RR 31, maxu, -1, -1, 1
	TEST_RR 32, min, -1, -1, 1
	TEST_RR 33, minu, 1, -1, 1
	TEST_R 34, sext.b, 0xffffffffffffff80, 0x1280
	TEST_R 35, sext.b, 0x7f, 0xffffff7f
	TEST_R 36, sext.h, 0xffffffffffff8000, 0x18000
	TEST_R 37, zext.h, 0x8000, 0xffffffffffff8000
	TEST_RR 38, rol, 0x0000000000000003, 0x8000000000000001, 1
	TEST_RR 39, rol, 0x8000000000000001, 0x8000000000000001, 64 /* amount mod 64 */
	TEST_RR 40, ror, 0xc000000000000000, 0x8000000000000001, 1
	TEST_RR 41, ror, 0x0000000000000003, 0x8000000000000001, 127
	TEST_RI 42, rori, 0x2000000000000000, 1, 3
	TEST_RI 43, rori, 0x0000000000000002, 1, 63
	TEST_RR 44, rolw, 0x0000000000000003, 0x80000001, 1
	TEST_RR 45, rolw, 0xffffffff80000001, 0x80000001, 32
	TEST_RR 46, rorw, 0xffffffffc0000000, 0x0000000180000001, 1
	TEST_RI 47, roriw, 0xffffffff80000000, 1, 1
	TEST_RI 48, roriw, 0x0000000012345678, 0xfedcba9812345678, 0
	TEST_R 49, orc.b, 0xff00ff00ffff00ff, 0x0100800012340001
	TEST_R 50, rev8, 0xefcdab8967452301, 0x0123456789abcdef

	/* Zbs: the index is rs2[5:0] / shamt. */
	TEST_RR 51, bclr, 0x7fffffffffffffff, -1, 63
	TEST_RR 52, bclr, 0xfffffffffffffffe, -1, 64
	TEST_RI 53, bclri, 0xffffffff7fffffff, -1, 31
	TEST_RR 54, bext, 1, 0x8000000000000000, 63
	TEST_RR 55, bext, 0, 0x8000000000000000, 62
	TEST_RI 56, bexti, 1, 0x100000000, 32
	TEST_RR 57, binv, 0x8000000000000000, 0, 127
	TEST_RI 58, binvi, 0, 1, 0
	TEST_RR 59, bset, 0x0000000100000000, 0, 32
	TEST_RI 60, bseti, 0x8000000000000001, 1, 63
	j pass
