/* RV64I: every base instruction, incl. W forms (32-bit result sign-extended, shift amounts taken
 * mod 32), shifts by the full 6-bit amount, sign/zero extension of every load, x0 as destination,
 * branches taken and not taken in both signed and unsigned senses, and the link values of jal
 * and jalr (jalr clears bit 0 of the target). */
#include "test.h"

	.text
	.globl test_main
test_main:
	TEST_RR 1, add, 0x0000000100000000, 0xffffffff, 1
	TEST_RR 2, add, 0xfffffffffffffffe, 0x7fffffffffffffff, 0x7fffffffffffffff
	TEST_RR 3, sub, -1, 0, 1
	TEST_RR 4, sub, 0x8000000000000001, 0, 0x7fffffffffffffff
	TEST_RI 5, addi, 0x7ff, 0, 2047
	TEST_RI 6, addi, -2049, -1, -2048
	TEST_RR 7, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f
	TEST_RR 8, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f
	TEST_RR 9, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f
	TEST_RI 10, andi, 0xff00ff00, 0xff00ff00, -1
	TEST_RI 11, ori, -1, 0xff00ff00, -1
	TEST_RI 12, xori, 0xffffffff00ff00ff, 0xff00ff00, -1
	TEST_RR 13, slt, 1, -1, 0
	TEST_RR 14, slt, 0, 0, -1
	TEST_RR 15, sltu, 0, -1, 0
	TEST_RR 16, sltu, 1, 0, -1
	TEST_RI 17, slti, 1, -5, -4
	TEST_RI 18, sltiu, 1, 5, -1
	TEST_RI 19, sltiu, 0, -2, -3
	TEST_RR 20, sll, 0x8000000000000000, 1, 63
	TEST_RR 21, sll, 2, 1, 65 /* amount is rs2[5:0] */
	TEST_RR 22, srl, 1, 0x8000000000000000, 63
	TEST_RR 23, srl, 0x4000000000000000, 0x8000000000000000, 0x41
	TEST_RR 24, sra, -1, 0x8000000000000000, 63
	TEST_RR 25, sra, 0xc000000000000000, 0x8000000000000000, 0xffffffffffffffc1
	TEST_RI 26, slli, 0xfffffffe00000000, 0xffffffff, 33
	TEST_RI 27, srli, 0x7fffffffffffffff, -1, 1
	TEST_RI 28, srai, -1, -1, 63
	TEST_RI 29, srai, 0x0000000000000001, 0x4000000000000000, 62
	/* W forms: 32-bit results sign-extended, upper input bits ignored. */
	TEST_RR 30, addw, 0xffffffff80000000, 0x7fffffff, 1
	TEST_RR 31, addw, 0, 0xffffffff00000000, 0x1200000000
	TEST_RR 32, subw, 0x7fffffff, 0x80000000, 1
	TEST_RI 33, addiw, 0xffffffff80000000, 0x7fffffff, 1
	TEST_RI 34, addiw, 0x7ff, 0x1234567800000000, 2047
	TEST_RI 35, addiw, 0xffffffffffffffff, 0xffffffff, 0 /* sext.w */
	TEST_RR 36, sllw, 0xffffffff80000000, 1, 31
	TEST_RR 37, sllw, 2, 1, 33 /* amount is rs2[4:0] */
	TEST_RR 38, srlw, 1, 0xffffffff80000000, 31
	TEST_RR 39, srlw, 0x40000000, 0x80000000, 0x21
	TEST_RR 40, srlw, 0xffffffff80000000, 0x80000000, 32
	TEST_RR 41, sraw, -1, 0x80000000, 31
	TEST_RR 42, sraw, 0xffffffffc0000000, 0x80000000, 0xffffffe1
	TEST_RR 43, sraw, 0x7fffffff, 0xffffffff7fffffff, 64
	TEST_RI 44, slliw, 0xffffffff80000000, 0x1, 31
	TEST_RI 45, srliw, 0x00000001, 0xfffffffff0000000, 31
	TEST_RI 46, sraiw, 0xffffffffffffffff, 0x80000000, 31
	TEST_RI 47, sraiw, 0x12345678, 0xffffffff12345678, 0

	/* lui/auipc: lui sign-extends on RV64. */
	TEST 48
	lui a0, 0x80000
	CHECK a0, 0xffffffff80000000
	TEST 49
	lui a0, 0x7ffff
	CHECK a0, 0x7ffff000
	TEST 50
1:	auipc a0, 0
	la a1, 1b
	CHECKR a0, a1
	TEST 51
1:	auipc a0, 0xfffff
	la a1, 1b
	li a2, -4096
	add a1, a1, a2
	CHECKR a0, a1

	/* Writes to x0 are dropped. */
	TEST 52
	li a1, 5
	add zero, a1, a1
	lui zero, 1
	CHECKR zero, x0
	bnez zero, fail

	/* Loads: sign and zero extension of each width; stores of each width. */
	TEST 53
	la s2, data
	lb a0, 7(s2)
	CHECK a0, 0xfffffffffffffff8
	TEST 54
	lbu a0, 7(s2)
	CHECK a0, 0xf8
	TEST 55
	lh a0, 6(s2)
	CHECK a0, 0xfffffffffffff8f7
	TEST 56
	lhu a0, 6(s2)
	CHECK a0, 0xf8f7
	TEST 57
	lw a0, 4(s2)
	CHECK a0, 0xfffffffff8f7f6f5
	TEST 58
	lwu a0, 4(s2)
	CHECK a0, 0xf8f7f6f5
	TEST 59
	ld a0, 0(s2)
	CHECK a0, 0xf8f7f6f5f4f3f2f1
	TEST 60
	lw a0, -4(s2) /* negative offset */
	CHECK a0, 0x44332211
	TEST 61
	la s3, scratch
	li a1, 0x1122334455667788
	sd a1, 0(s3)
	sb zero, 0(s3)
	sh zero, 2(s3)
	sw zero, 4(s3)
	ld a0, 0(s3)
	CHECK a0, 0x0000000000007700
	TEST 62
	li a1, -1
	sd a1, 8(s3)
	li a1, 0x12345678
	sw a1, 12(s3)
	li a1, 0xab
	sb a1, 8(s3)
	li a1, 0xcdef
	sh a1, 10(s3)
	ld a0, 8(s3)
	CHECK a0, 0x12345678cdefffab

	/* Branches: each taken and not taken, signed vs unsigned. */
	.macro BR_TAKEN n, op, a, b
	TEST \n
	li a1, \a
	li a2, \b
	\op a1, a2, 1f
	j fail
1:
	.endm
	.macro BR_NOT n, op, a, b
	TEST \n
	li a1, \a
	li a2, \b
	\op a1, a2, fail
	.endm
	BR_TAKEN 63, beq, -1, -1
	BR_NOT 64, beq, 1, 2
	BR_TAKEN 65, bne, 1, 2
	BR_NOT 66, bne, 7, 7
	BR_TAKEN 67, blt, -1, 0
	BR_NOT 68, blt, 0, -1
	BR_NOT 69, blt, 3, 3
	BR_TAKEN 70, bge, 3, 3
	BR_TAKEN 71, bge, 0, -1
	BR_NOT 72, bge, -1, 0
	BR_TAKEN 73, bltu, 0, -1
	BR_NOT 74, bltu, -1, 0
	BR_TAKEN 75, bgeu, -1, 0
	BR_NOT 76, bgeu, 0, -1
	BR_TAKEN 77, bgeu, 5, 5

	/* Backward branch: a counted loop. */
	TEST 78
	li a0, 0
	li a1, 10
1:	addi a0, a0, 3
	addi a1, a1, -1
	bnez a1, 1b
	CHECK a0, 30

	/* jal/jalr: link value, rd = rs1, bit 0 of the target cleared, x0 as link. */
	TEST 79
	jal a0, 1f
2:	j fail
1:	la a1, 2b
	CHECKR a0, a1
	TEST 80
	la a1, 1f
	jalr a0, 0(a1)
2:	j fail
1:	la a2, 2b
	CHECKR a0, a2
	TEST 81
	la a1, 1f
	addi a1, a1, -3
	jalr a1, 4(a1) /* target (1f + 1) & ~1; rd = rs1 reads the old value */
2:	j fail
	.align 2
1:	la a2, 2b
	CHECKR a1, a2
	TEST 82
	la a1, 1f
	jalr zero, 0(a1)
	j fail
1:	TEST 83
	jal zero, 1f
	j fail
1:
	/* fence, fence.tso, pause and the other hints execute as no-ops. */
	TEST 84
	li a0, 9
	fence
	fence rw, rw
	fence.tso
	fence i, o
	pause
	nop
	CHECK a0, 9
	j pass

	.data
	.align 3
	.word 0x44332211
data:
	.byte 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8
scratch:
	.skip 64
