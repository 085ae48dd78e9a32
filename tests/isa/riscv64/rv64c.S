/* RV64C: every compressed instruction, written with its c. mnemonic so the assembler cannot
 * pick the long form, and the reserved encodings that must raise illegal instruction with the
 * 16-bit instruction in mtval (QEMU 7.2 reports the bits; the spec allows 0 too, we pin QEMU's
 * choice). Uses s0/s1 (x8/x9) as the compressed register set needs them. */
#include "test.h"

	.text
	.globl test_main
test_main:
	.option push
	.option rvc
	TEST 1
	c.li a0, -32
	CHECK a0, -32
	TEST 2
	c.li a0, 31
	c.addi a0, -32
	CHECK a0, -1
	TEST 3
	c.lui a0, 0xfffe0 /* nzimm[17:12] = 0x20: sign-extended */
	CHECK a0, 0xfffffffffffe0000
	TEST 4
	c.lui a0, 1
	CHECK a0, 0x1000
	TEST 5
	li a0, 0x7fffffff
	c.addiw a0, 1
	CHECK a0, 0xffffffff80000000
	TEST 6
	li a0, 0x1234567800000005
	c.addiw a0, 0 /* sext.w */
	CHECK a0, 5
	TEST 7
	li s0, 0x8000000000000000
	c.srli s0, 63
	CHECK s0, 1
	TEST 8
	li s0, 0x8000000000000000
	c.srai s0, 62
	CHECK s0, 0xfffffffffffffffe
	TEST 9
	li s0, 0xff
	c.andi s0, -16
	CHECK s0, 0xf0
	TEST 10
	li a0, 1
	c.slli a0, 63
	CHECK a0, 0x8000000000000000
	TEST 11
	li s1, 5
	li a5, 7
	c.sub s1, a5
	CHECK s1, -2
	TEST 12
	li s1, 0xf0f0
	li a5, 0xff00
	c.xor s1, a5
	CHECK s1, 0x0ff0
	TEST 13
	li s1, 0xf0f0
	c.or s1, a5
	CHECK s1, 0xfff0
	TEST 14
	li s1, 0xf0f0
	c.and s1, a5
	CHECK s1, 0xf000
	TEST 15
	li s1, 0x80000000
	li a5, 1
	c.subw s1, a5
	CHECK s1, 0x7fffffff
	TEST 16
	li s1, 0x7fffffff
	c.addw s1, a5
	CHECK s1, 0xffffffff80000000
	TEST 17
	li a1, 0x1111
	c.mv a0, a1
	CHECK a0, 0x1111
	TEST 18
	li a1, 0x2222
	c.add a0, a1
	CHECK a0, 0x3333
	TEST 19
	c.nop
	c.addi a0, 0 /* a hint: nothing happens */
	CHECK a0, 0x3333

	/* Stack-pointer forms, on a private area. */
	TEST 20
	mv s2, sp
	la sp, area
	c.addi16sp sp, 496
	c.addi16sp sp, -512
	la a1, area
	addi a1, a1, -16
	CHECKR sp, a1
	TEST 21
	c.addi4spn a0, sp, 1020
	addi a1, sp, 1020
	CHECKR a0, a1
	TEST 22
	addi sp, sp, 16 /* back at area */
	li a1, 0x0123456789abcdef
	c.sdsp a1, 8(sp)
	c.ldsp a0, 8(sp)
	CHECKR a0, a1
	TEST 23
	li a1, 0x87654321
	c.swsp a1, 4(sp)
	c.lwsp a0, 4(sp)
	CHECK a0, 0xffffffff87654321
	TEST 24
	fmv.d.x f1, a1
	c.fsdsp f1, 16(sp)
	c.fldsp f2, 16(sp)
	fmv.x.d a0, f2
	CHECKR a0, a1
	mv sp, s2

	/* Register-based loads and stores. */
	TEST 25
	la s0, area
	li a1, 0xfedcba9876543210
	c.sd a1, 248(s0)
	c.ld a0, 248(s0)
	CHECKR a0, a1
	TEST 26
	c.sw a1, 124(s0)
	c.lw a2, 124(s0)
	CHECK a2, 0x76543210
	TEST 27
	li a1, 0x80000000
	c.sw a1, 0(s0)
	c.lw a2, 0(s0)
	CHECK a2, 0xffffffff80000000
	TEST 28
	li a1, 0x4000000000000000
	fmv.d.x f8, a1
	c.fsd f8, 8(s0)
	c.fld f9, 8(s0)
	fmv.x.d a0, f9
	CHECKR a0, a1

	/* Control transfer. */
	TEST 29
	c.j 1f
	j fail
1:	TEST 30
	li s0, 0
	c.beqz s0, 1f
	j fail
1:	li s0, 1
	c.beqz s0, fail
	TEST 31
	c.bnez s0, 1f
	j fail
1:	li s0, 0
	c.bnez s0, fail
	TEST 32
	la a1, 1f
	c.jr a1
	j fail
1:	TEST 33
	la a1, 1f
	c.jalr a1
2:	j fail
1:	la a2, 2b
	CHECKR ra, a2
	/* Backward compressed branch loop. */
	TEST 34
	li s0, 4
	li a0, 0
1:	c.addi a0, 5
	c.addi s0, -1
	c.bnez s0, 1b
	CHECK a0, 20
	.option pop

	/* c.ebreak traps as a breakpoint. */
	EXPECT_TRAP 35, CAUSE_BREAKPOINT, c.ebreak

	/* Reserved encodings: illegal, with the instruction in mtval. */
	.macro ILLEGAL16 n, bits
	EXPECT_TRAP \n, CAUSE_ILLEGAL, .2byte \bits
	TRAP_FIELD a0, TR_M_TVAL
	CHECK a0, \bits
	.endm
	ILLEGAL16 36, 0x0000 /* all zeros */
	ILLEGAL16 37, 0x0004 /* c.addi4spn with nzuimm 0 */
	ILLEGAL16 38, 0x6101 /* c.addi16sp with nzimm 0 */
	ILLEGAL16 39, 0x6501 /* c.lui a0 with nzimm 0 */
	ILLEGAL16 40, 0x8002 /* c.jr x0 */
	ILLEGAL16 41, 0x4002 /* c.lwsp x0 */
	ILLEGAL16 42, 0x6002 /* c.ldsp x0 */
	ILLEGAL16 43, 0x2001 /* c.addiw x0 */
	ILLEGAL16 44, 0x9c41 /* c.subw with funct2 2 and bit 12 set: reserved */
	j pass

	.data
	.align 4
	.skip 16
area:
	.skip 1040
