// SPDX-License-Identifier: MIT
/* dev/clint: msip lines, mtimecmp against mtime, writes to mtime, 32-bit halves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dev/clint.h"
#include "lib/errno.h"

struct board {
	uint64_t ticks;
	bool soft[4];
	bool timer[4];
};

static uint64_t read_ticks(void *ctx)
{
	return ((struct board *)ctx)->ticks;
}

static void set_line(void *ctx, unsigned hart, enum clint_line line, bool level)
{
	struct board *board = ctx;

	if (line == CLINT_SOFT)
		board->soft[hart] = level;
	else
		board->timer[hart] = level;
}

static const struct clint_ops ops = { read_ticks, set_line };

static uint64_t reg_read(struct clint *clint, uint64_t offset, unsigned size)
{
	uint64_t value;

	assert_int_equal(clint_mmio_ops.read(clint, offset, size, &value), 0);
	return value;
}

static void reg_write(struct clint *clint, uint64_t offset, unsigned size, uint64_t value)
{
	assert_int_equal(clint_mmio_ops.write(clint, offset, size, value), 0);
}

static void test_clint_init_refuses_impossible_hart_counts(void **state)
{
	struct board board = { 0 };
	struct clint clint;

	assert_int_equal(clint_init(&clint, 0, &ops, &board), -EINVAL);
	assert_int_equal(clint_init(&clint, CLINT_MAX_HARTS + 1, &ops, &board), -EINVAL);
	assert_int_equal(clint_init(&clint, 2, &ops, &board), 0);
}

static void test_clint_msip_drives_the_software_line(void **state)
{
	struct board board = { 0 };
	struct clint clint;

	assert_int_equal(clint_init(&clint, 2, &ops, &board), 0);
	reg_write(&clint, CLINT_MSIP_BASE + 4, 4, 0xff);
	assert_true(board.soft[1]);
	assert_false(board.soft[0]);
	assert_int_equal(reg_read(&clint, CLINT_MSIP_BASE + 4, 4), 1);
	reg_write(&clint, CLINT_MSIP_BASE + 4, 4, 0);
	assert_false(board.soft[1]);
	/* A hart that does not exist reads as zero. */
	reg_write(&clint, CLINT_MSIP_BASE + 8, 4, 1);
	assert_int_equal(reg_read(&clint, CLINT_MSIP_BASE + 8, 4), 0);
}

static void test_clint_timer_line_follows_mtime_against_mtimecmp(void **state)
{
	struct board board = { .ticks = 100 };
	struct clint clint;

	assert_int_equal(clint_init(&clint, 1, &ops, &board), 0);
	/* mtimecmp resets to 0: pending until programmed. */
	clint_update(&clint);
	assert_true(board.timer[0]);
	reg_write(&clint, CLINT_MTIMECMP_BASE, 8, 150);
	assert_false(board.timer[0]);
	board.ticks = 149;
	clint_update(&clint);
	assert_false(board.timer[0]);
	board.ticks = 150;
	clint_update(&clint);
	assert_true(board.timer[0]);
	assert_int_equal(reg_read(&clint, CLINT_MTIME, 8), 150);
}

static void test_clint_mtime_write_moves_the_timer(void **state)
{
	struct board board = { .ticks = 1000 };
	struct clint clint;

	assert_int_equal(clint_init(&clint, 1, &ops, &board), 0);
	reg_write(&clint, CLINT_MTIMECMP_BASE, 8, 600);
	assert_true(board.timer[0]);
	reg_write(&clint, CLINT_MTIME, 8, 500);
	assert_false(board.timer[0]);
	board.ticks += 100;
	assert_int_equal(clint_mtime(&clint), 600);
	assert_int_equal(reg_read(&clint, CLINT_MTIME, 8), 600);
}

static void test_clint_registers_take_32_bit_halves(void **state)
{
	struct board board = { 0 };
	struct clint clint;

	assert_int_equal(clint_init(&clint, 1, &ops, &board), 0);
	reg_write(&clint, CLINT_MTIMECMP_BASE + 4, 4, 0x12345678);
	reg_write(&clint, CLINT_MTIMECMP_BASE, 4, 0x9abcdef0);
	assert_int_equal(reg_read(&clint, CLINT_MTIMECMP_BASE, 8), 0x123456789abcdef0ull);
	assert_int_equal(reg_read(&clint, CLINT_MTIMECMP_BASE + 4, 4), 0x12345678);
	reg_write(&clint, CLINT_MTIME + 4, 4, 1);
	assert_int_equal(reg_read(&clint, CLINT_MTIME, 8), 1ull << 32);
	/* Misaligned or odd-sized accesses touch nothing. */
	reg_write(&clint, CLINT_MTIMECMP_BASE + 2, 4, 0);
	reg_write(&clint, CLINT_MTIMECMP_BASE, 2, 0);
	assert_int_equal(reg_read(&clint, CLINT_MTIMECMP_BASE, 8), 0x123456789abcdef0ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clint_init_refuses_impossible_hart_counts),
		cmocka_unit_test(test_clint_msip_drives_the_software_line),
		cmocka_unit_test(test_clint_timer_line_follows_mtime_against_mtimecmp),
		cmocka_unit_test(test_clint_mtime_write_moves_the_timer),
		cmocka_unit_test(test_clint_registers_take_32_bit_halves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
