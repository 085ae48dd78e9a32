/* RV64M: every multiply and divide, with the corner cases the spec defines instead of trapping:
 * division by zero (quotient all ones, remainder the dividend), signed overflow (quotient the
 * dividend, remainder 0), and the W forms' sign extension of 32-bit results. */
#include "test.h"

	.text
	.globl test_main
test_main:
	TEST_RR 1, mul, 0x0000000000000006, 2, 3
	TEST_RR 2, mul, 0x0000000000000001, -1, -1
	TEST_RR 3, mul, 0x8000000000000000, 0x4000000000000000, 2
	TEST_RR 4, mulh, 0xffffffffffffffff, -1, 1
	TEST_RR 5, mulh, 0x0000000000000000, -1, -1
	TEST_RR 6, mulh, 0xc000000000000000, 0x8000000000000000, 0x7fffffffffffffff
	TEST_RR 7, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000
	TEST_RR 8, mulhu, 0xfffffffffffffffe, -1, -1
	TEST_RR 9, mulhu, 0x0000000000000000, 0xffffffff, 0xffffffff
	TEST_RR 10, mulhu, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff
	TEST_RR 11, mulhsu, 0xffffffffffffffff, -1, -1
	TEST_RR 12, mulhsu, 0x0000000000000000, 1, -1
	TEST_RR 13, mulhsu, 0xc000000000000000, 0x8000000000000000, 0x8000000000000000
	TEST_RR 14, mulw, 0xffffffff80000000, 0x40000000, 2
	TEST_RR 15, mulw, 0x0000000000000001, 0xffffffffffffffff, 0x00000000ffffffff
	TEST_RR 16, mulw, 0x0000000000000000, 0x100000000, 0x100000000

	TEST_RR 17, div, -3, 20, -6
	TEST_RR 18, div, 3, -20, -6
	TEST_RR 19, div, -3, -20, 6
	TEST_RR 20, div, -1, 7, 0 /* by zero */
	TEST_RR 21, div, -1, -7, 0
	TEST_RR 22, div, 0x8000000000000000, 0x8000000000000000, -1 /* overflow */
	TEST_RR 23, divu, 0x0aaaaaaaaaaaaaaa, -4, 24
	TEST_RR 24, divu, -1, 5, 0
	TEST_RR 25, divu, 0, 0x8000000000000000, -1
	TEST_RR 26, rem, 2, 20, -6
	TEST_RR 27, rem, -2, -20, 6
	TEST_RR 28, rem, 7, 7, 0 /* by zero: the dividend */
	TEST_RR 29, rem, 0, 0x8000000000000000, -1 /* overflow */
	TEST_RR 30, remu, 12, -4, 24
	TEST_RR 31, remu, -7, -7, 0
	TEST_RR 32, remu, 0x8000000000000000, 0x8000000000000000, -1

	TEST_RR 33, divw, -3, 20, -6
	TEST_RR 34, divw, -1, 0x123400000007, 0x5600000000 /* divisor's low 32 bits are 0 */
	TEST_RR 35, divw, 0xffffffff80000000, 0x80000000, -1 /* overflow, sign-extended */
	TEST_RR 36, divw, 0x15555552, 0xffffffff80000014, 0x7fffffffa /* -2^31+20 / -6 */
	TEST_RR 37, divuw, 0x7fffffff, 0xfffffffe, 2
	TEST_RR 38, divuw, 0xffffffffffffffff, 5, 0
	TEST_RR 39, divuw, 0xffffffff80000000, 0x80000000, 1
	TEST_RR 40, remw, 2, 20, -6
	TEST_RR 41, remw, 0xffffffff80000000, 0x80000000, 0 /* by zero: sext(dividend) */
	TEST_RR 42, remw, 0, 0x80000000, -1
	TEST_RR 43, remw, 7, 0xabcd00000007, 0x100000000
	TEST_RR 44, remuw, 0xfffffffffffffffe, 0xfffffffe, 0xffffffff
	TEST_RR 45, remuw, 0xffffffff87654321, 0x87654321, 0
	TEST_RR 46, remuw, 1, 0x12345678fffffff, 0x100000002
	j pass
