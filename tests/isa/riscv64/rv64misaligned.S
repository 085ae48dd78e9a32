/* Misaligned loads and stores (not atomics: rv64a.S). The spec lets an implementation either
 * perform them or trap (address-misaligned or access fault); QEMU 7.2 performs them, for every
 * width, integer and FP, signed and unsigned, also across a cache line and a page boundary,
 * and the tests assert that. Little-endian byte order throughout. */
#include "test.h"

	.text
	.globl test_main
test_main:
	la s2, bytes
	TEST 1
	lh a0, 1(s2)
	CHECK a0, 0x0201
	TEST 2
	lhu a0, 7(s2)
	CHECK a0, 0x0807
	TEST 3
	lh a0, 0x0f(s2)
	CHECK a0, 0xffffffffffff900f /* bytes 0x0f, 0x90 */
	TEST 4
	lw a0, 3(s2)
	CHECK a0, 0x06050403
	TEST 5
	lw a0, 0x0e(s2)
	CHECK a0, 0xffffffff91900f0e
	TEST 6
	lwu a0, 0x0e(s2)
	CHECK a0, 0x91900f0e
	TEST 7
	ld a0, 5(s2)
	CHECK a0, 0x0c0b0a0908070605
	TEST 8
	ld a0, 0x0b(s2)
	CHECK a0, 0x9291900f0e0d0c0b
	/* Across a 64-byte line: the page is 4 KiB aligned, offset 0x3d. */
	TEST 9
	la s3, page
	li a1, 0x1122334455667788
	sd a1, 0x3d(s3)
	ld a0, 0x3d(s3)
	CHECKR a0, a1
	TEST 10
	lbu a0, 0x3d(s3)
	CHECK a0, 0x88
	lbu a0, 0x44(s3)
	CHECK a0, 0x11
	/* Across the page boundary (s4 = page + 0x800). */
	addi s4, s3, 0x7ff
	addi s4, s4, 1
	TEST 11
	li a1, 0xa1a2a3a4a5a6a7a8
	sd a1, 0x7fb(s4)
	ld a0, 0x7fb(s4)
	CHECKR a0, a1
	lwu a0, 0x7fd(s4)
	CHECK a0, 0xa3a4a5a6
	TEST 12
	li a1, 0xcafe
	sh a1, 0x7ff(s4)
	lbu a0, 0x7ff(s4)
	CHECK a0, 0xfe
	addi s5, s4, 0x7ff
	lbu a0, 1(s5)
	CHECK a0, 0xca
	TEST 13
	li a1, 0xdeadbeef
	sw a1, 0x101(s3)
	lw a0, 0x101(s3)
	CHECK a0, 0xffffffffdeadbeef
	/* FP. */
	TEST 14
	li a1, 0x400921fb54442d18
	fmv.d.x f1, a1
	fsd f1, 0x203(s3)
	fld f2, 0x203(s3)
	fmv.x.d a0, f2
	CHECKR a0, a1
	TEST 15
	flw f3, 0x205(s3)
	fmv.x.d a0, f3
	CHECK a0, 0xffffffff21fb5444
	fsw f3, 0x301(s3)
	lwu a0, 0x301(s3)
	CHECK a0, 0x21fb5444
	/* Compressed loads/stores with a misaligned base. */
	TEST 16
	addi s0, s3, 0x401
	li a1, 0x0102030405060708
	c.sd a1, 8(s0)
	c.ld a2, 8(s0)
	CHECKR a2, a1
	c.lw a2, 12(s0)
	CHECK a2, 0x01020304
	j pass

	.data
	.align 4
bytes:
	.byte 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
	.byte 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f
	.byte 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97
	.align 12
page:
	.skip 8192
