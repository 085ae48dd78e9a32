// SPDX-License-Identifier: MIT
/*
 * arch/riscv64/guest/compress: every RV64C form expands to the 32-bit instruction GNU as encodes
 * for the same operation (pairs assembled with -march=rv64gc and rv64g), and reserved encodings
 * expand to 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arch/riscv64/guest/decode.h"
#include "lib/compiler.h"

static const struct {
	uint16_t compressed;
	uint32_t expanded;
} pairs[] = {
	{ 0x0800, 0x01010413 }, /* addi s0, sp, 16 */
	{ 0x1ffc, 0x3fc10793 }, /* addi a5, sp, 1020 */
	{ 0x2500, 0x00853407 }, /* fld fs0, 8(a0) */
	{ 0x3f7c, 0x0f873787 }, /* fld fa5, 248(a4) */
	{ 0x41c8, 0x0045a503 }, /* lw a0, 4(a1) */
	{ 0x5ef0, 0x07c6a603 }, /* lw a2, 124(a3) */
	{ 0x6588, 0x0085b503 }, /* ld a0, 8(a1) */
	{ 0x7fe4, 0x0f87b483 }, /* ld s1, 248(a5) */
	{ 0xa904, 0x00953827 }, /* fsd fs1, 16(a0) */
	{ 0xc1a8, 0x04a5a023 }, /* sw a0, 64(a1) */
	{ 0xfc38, 0x06e43c23 }, /* sd a4, 120(s0) */
	{ 0x0001, 0x00000013 }, /* nop */
	{ 0x156d, 0xffb50513 }, /* addi a0, a0, -5 */
	{ 0x0ffd, 0x01ff8f93 }, /* addi t6, t6, 31 */
	{ 0x250d, 0x0035051b }, /* addiw a0, a0, 3 */
	{ 0x3901, 0xfe09091b }, /* addiw s2, s2, -32 */
	{ 0x5565, 0xff900513 }, /* li a0, -7 */
	{ 0x42fd, 0x01f00293 }, /* li t0, 31 */
	{ 0x7139, 0xfc010113 }, /* addi sp, sp, -64 */
	{ 0x617d, 0x1f010113 }, /* addi sp, sp, 496 */
	{ 0x7101, 0xe0010113 }, /* addi sp, sp, -512 */
	{ 0x657d, 0x0001f537 }, /* lui a0, 0x1f */
	{ 0x7301, 0xfffe0337 }, /* lui t1, 0xfffe0 */
	{ 0x800d, 0x00345413 }, /* srli s0, s0, 3 */
	{ 0x93fd, 0x03f7d793 }, /* srli a5, a5, 63 */
	{ 0x9485, 0x4214d493 }, /* srai s1, s1, 33 */
	{ 0x9bf9, 0xffe7f793 }, /* andi a5, a5, -2 */
	{ 0x897d, 0x01f57513 }, /* andi a0, a0, 31 */
	{ 0x8d0d, 0x40b50533 }, /* sub a0, a0, a1 */
	{ 0x8e35, 0x00d64633 }, /* xor a2, a2, a3 */
	{ 0x8c45, 0x00946433 }, /* or s0, s0, s1 */
	{ 0x8f7d, 0x00f77733 }, /* and a4, a4, a5 */
	{ 0x9d0d, 0x40b5053b }, /* subw a0, a0, a1 */
	{ 0x9eb9, 0x00e686bb }, /* addw a3, a3, a4 */
	{ 0xa095, 0x0640006f }, /* j .+100 */
	{ 0xb001, 0x801ff06f }, /* j .-2048 */
	{ 0xaffd, 0x7fe0006f }, /* j .+2046 */
	{ 0xc911, 0x00050a63 }, /* beqz a0, .+20 */
	{ 0xd081, 0xf00480e3 }, /* beqz s1, .-256 */
	{ 0xeffd, 0x0e079f63 }, /* bnez a5, .+254 */
	{ 0x1522, 0x02851513 }, /* slli a0, a0, 40 */
	{ 0x0e06, 0x001e1e13 }, /* slli t3, t3, 1 */
	{ 0x2542, 0x01013507 }, /* fld fa0, 16(sp) */
	{ 0x3ffe, 0x1f813f87 }, /* fld ft11, 504(sp) */
	{ 0x4532, 0x00c12503 }, /* lw a0, 12(sp) */
	{ 0x50fe, 0x0fc12083 }, /* lw ra, 252(sp) */
	{ 0x6562, 0x01813503 }, /* ld a0, 24(sp) */
	{ 0x7dfe, 0x1f813d83 }, /* ld s11, 504(sp) */
	{ 0x8502, 0x00050067 }, /* jr a0 */
	{ 0x8082, 0x00008067 }, /* ret */
	{ 0x852e, 0x00b00533 }, /* mv a0, a1: add a0, zero, a1 */
	{ 0x8f6e, 0x01b00f33 }, /* mv t5, s11: add t5, zero, s11 */
	{ 0x9002, 0x00100073 }, /* ebreak */
	{ 0x9502, 0x000500e7 }, /* jalr a0 */
	{ 0x952e, 0x00b50533 }, /* add a0, a0, a1 */
	{ 0x9116, 0x00510133 }, /* add sp, sp, t0 */
	{ 0xa42a, 0x00a13427 }, /* fsd fa0, 8(sp) */
	{ 0xbfee, 0x1fb13c27 }, /* fsd fs11, 504(sp) */
	{ 0xc22a, 0x00a12223 }, /* sw a0, 4(sp) */
	{ 0xdffe, 0x0ff12e23 }, /* sw t6, 252(sp) */
	{ 0xe22a, 0x10a13023 }, /* sd a0, 256(sp) */
	{ 0xff86, 0x1e113c23 }, /* sd ra, 504(sp) */
};

static void test_each_compressed_form_expands_to_its_base_instruction(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(pairs); i++) {
		if (rv_expand_compressed(pairs[i].compressed) != pairs[i].expanded)
			fail_msg("0x%04x expands to 0x%08x, expected 0x%08x", pairs[i].compressed,
				 rv_expand_compressed(pairs[i].compressed), pairs[i].expanded);
	}
}

static void test_reserved_compressed_encodings_expand_to_zero(void **state)
{
	static const uint16_t reserved[] = {
		0x0000, /* all zeros: c.addi4spn with a zero immediate */
		0x8000, /* quadrant 0, funct3 4 */
		0x2001, /* c.addiw x0 */
		0x6101, /* c.addi16sp 0 */
		0x6081, /* c.lui ra, 0 */
		0x9c41, /* quadrant 1 misc-alu, c[12] = 1, funct2 2 */
		0x9c61, /* quadrant 1 misc-alu, c[12] = 1, funct2 3 */
		0x4002, /* c.lwsp x0 */
		0x6002, /* c.ldsp x0 */
		0x8002, /* c.jr x0 */
	};

	for (size_t i = 0; i < ARRAY_SIZE(reserved); i++)
		if (rv_expand_compressed(reserved[i]) != 0)
			fail_msg("0x%04x is reserved but expands to 0x%08x", reserved[i],
				 rv_expand_compressed(reserved[i]));
}

static void test_instruction_length_comes_from_the_low_bits(void **state)
{
	assert_int_equal(rv_insn_length(0x4515), 2);
	assert_int_equal(rv_insn_length(0x00b50533), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_compressed_form_expands_to_its_base_instruction),
		cmocka_unit_test(test_reserved_compressed_encodings_expand_to_zero),
		cmocka_unit_test(test_instruction_length_comes_from_the_low_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
