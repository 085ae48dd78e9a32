// SPDX-License-Identifier: MIT
/*
 * dev/plic: level-triggered gateways, priorities against thresholds, claim/complete, per-context
 * enables and the M/S lines of each hart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dev/plic.h"
#include "lib/errno.h"

struct board {
	bool line[PLIC_MAX_HARTS][2];
	unsigned changes;
};

static void set_line(void *ctx, unsigned hart, enum plic_mode mode, bool level)
{
	struct board *board = ctx;

	board->line[hart][mode] = level;
	board->changes++;
}

static const struct plic_ops ops = { set_line };

static uint32_t reg_read(struct plic *plic, uint64_t offset)
{
	uint64_t value;

	assert_int_equal(plic_mmio_ops.read(plic, offset, 4, &value), 0);
	return (uint32_t)value;
}

static void reg_write(struct plic *plic, uint64_t offset, uint32_t value)
{
	assert_int_equal(plic_mmio_ops.write(plic, offset, 4, value), 0);
}

static uint64_t enable_reg(unsigned context, unsigned irq)
{
	return PLIC_ENABLE_BASE + context * PLIC_ENABLE_STRIDE + irq / 32 * 4;
}

static uint64_t context_reg(unsigned context, unsigned reg)
{
	return PLIC_CONTEXT_BASE + context * PLIC_CONTEXT_STRIDE + reg;
}

/* Source irq at priority on context, threshold 0. */
static void route(struct plic *plic, unsigned context, unsigned irq, uint32_t priority)
{
	reg_write(plic, PLIC_PRIORITY_BASE + 4 * irq, priority);
	reg_write(plic, enable_reg(context, irq),
		  reg_read(plic, enable_reg(context, irq)) | 1u << (irq % 32));
}

static void test_plic_init_refuses_impossible_hart_counts(void **state)
{
	struct board board = { 0 };
	struct plic plic;

	assert_int_equal(plic_init(&plic, 0, &ops, &board), -EINVAL);
	assert_int_equal(plic_init(&plic, PLIC_MAX_HARTS + 1, &ops, &board), -EINVAL);
	assert_int_equal(plic_init(&plic, 1, NULL, &board), -EINVAL);
	assert_int_equal(plic_init(&plic, 2, &ops, &board), 0);
}

static void test_plic_level_raises_s_line_of_enabled_context_only(void **state)
{
	struct board board = { 0 };
	struct plic plic;

	plic_init(&plic, 2, &ops, &board);
	route(&plic, 3, 10, 1); /* hart 1, S mode */
	plic_set_level(&plic, 10, true);
	assert_true(board.line[1][PLIC_MODE_S]);
	assert_false(board.line[1][PLIC_MODE_M]);
	assert_false(board.line[0][PLIC_MODE_S]);
	assert_int_equal(reg_read(&plic, PLIC_PENDING_BASE), 1u << 10);
	/* A level that drops before the claim takes the request back. */
	plic_set_level(&plic, 10, false);
	assert_false(board.line[1][PLIC_MODE_S]);
	assert_int_equal(reg_read(&plic, PLIC_PENDING_BASE), 0);
}

static void test_plic_priority_zero_and_threshold_mask_a_source(void **state)
{
	struct board board = { 0 };
	struct plic plic;

	plic_init(&plic, 1, &ops, &board);
	route(&plic, 1, 5, 0);
	plic_set_level(&plic, 5, true);
	assert_false(board.line[0][PLIC_MODE_S]);
	reg_write(&plic, PLIC_PRIORITY_BASE + 4 * 5, 3);
	assert_true(board.line[0][PLIC_MODE_S]);
	reg_write(&plic, context_reg(1, PLIC_THRESHOLD), 3);
	assert_false(board.line[0][PLIC_MODE_S]);
	assert_int_equal(reg_read(&plic, context_reg(1, PLIC_CLAIM)), 0);
	reg_write(&plic, context_reg(1, PLIC_THRESHOLD), 2);
	assert_true(board.line[0][PLIC_MODE_S]);
	/* Priorities and thresholds keep three bits. */
	reg_write(&plic, PLIC_PRIORITY_BASE + 4 * 5, 0xffffffffu);
	assert_int_equal(reg_read(&plic, PLIC_PRIORITY_BASE + 4 * 5), PLIC_PRIORITY_MAX);
}

static void test_plic_claim_takes_highest_priority_then_lowest_number(void **state)
{
	struct board board = { 0 };
	struct plic plic;

	plic_init(&plic, 1, &ops, &board);
	route(&plic, 0, 3, 2);
	route(&plic, 0, 40, 5);
	route(&plic, 0, 41, 5);
	plic_set_level(&plic, 3, true);
	plic_set_level(&plic, 41, true);
	plic_set_level(&plic, 40, true);
	assert_int_equal(reg_read(&plic, context_reg(0, PLIC_CLAIM)), 40);
	assert_int_equal(reg_read(&plic, context_reg(0, PLIC_CLAIM)), 41);
	assert_int_equal(reg_read(&plic, context_reg(0, PLIC_CLAIM)), 3);
	assert_false(board.line[0][PLIC_MODE_M]);
	assert_int_equal(reg_read(&plic, context_reg(0, PLIC_CLAIM)), 0);
}

static void test_plic_source_held_high_is_pending_again_after_complete(void **state)
{
	struct board board = { 0 };
	struct plic plic;

	plic_init(&plic, 1, &ops, &board);
	route(&plic, 1, 1, 1);
	plic_set_level(&plic, 1, true);
	assert_int_equal(reg_read(&plic, context_reg(1, PLIC_CLAIM)), 1);
	assert_false(board.line[0][PLIC_MODE_S]);
	/* In service: the still-high line is not pending until the completion. */
	plic_set_level(&plic, 1, true);
	assert_false(board.line[0][PLIC_MODE_S]);
	reg_write(&plic, context_reg(1, PLIC_CLAIM), 1);
	assert_true(board.line[0][PLIC_MODE_S]);
	assert_int_equal(reg_read(&plic, context_reg(1, PLIC_CLAIM)), 1);
	plic_set_level(&plic, 1, false);
	reg_write(&plic, context_reg(1, PLIC_CLAIM), 1);
	assert_false(board.line[0][PLIC_MODE_S]);
	assert_int_equal(reg_read(&plic, context_reg(1, PLIC_CLAIM)), 0);
}

static void test_plic_complete_of_source_not_enabled_is_ignored(void **state)
{
	struct board board = { 0 };
	struct plic plic;

	plic_init(&plic, 1, &ops, &board);
	route(&plic, 1, 7, 1);
	plic_set_level(&plic, 7, true);
	assert_int_equal(reg_read(&plic, context_reg(1, PLIC_CLAIM)), 7);
	reg_write(&plic, context_reg(0, PLIC_CLAIM), 7);
	assert_false(board.line[0][PLIC_MODE_S]);
	reg_write(&plic, context_reg(1, PLIC_CLAIM), 7);
	assert_true(board.line[0][PLIC_MODE_S]);
}

static void test_plic_registers_refuse_source_zero_and_pending_writes(void **state)
{
	struct board board = { 0 };
	struct plic plic;

	plic_init(&plic, 1, &ops, &board);
	reg_write(&plic, PLIC_PRIORITY_BASE, 7);
	assert_int_equal(reg_read(&plic, PLIC_PRIORITY_BASE), 0);
	reg_write(&plic, enable_reg(0, 0), 0xffffffffu);
	assert_int_equal(reg_read(&plic, enable_reg(0, 0)), 0xfffffffeu);
	reg_write(&plic, PLIC_PENDING_BASE, 0xffffffffu);
	assert_int_equal(reg_read(&plic, PLIC_PENDING_BASE), 0);
	plic_set_level(&plic, 0, true);
	plic_set_level(&plic, PLIC_SOURCES, true);
	assert_int_equal(board.changes, 0);
}

static void test_plic_contexts_past_the_harts_and_odd_sizes_read_zero(void **state)
{
	struct board board = { 0 };
	struct plic plic;
	uint64_t value = 1;

	plic_init(&plic, 1, &ops, &board);
	reg_write(&plic, context_reg(2, PLIC_THRESHOLD), 5);
	assert_int_equal(reg_read(&plic, context_reg(2, PLIC_THRESHOLD)), 0);
	reg_write(&plic, enable_reg(2, 1), 0xffu);
	assert_int_equal(reg_read(&plic, enable_reg(2, 1)), 0);
	reg_write(&plic, context_reg(0, PLIC_THRESHOLD), 4);
	assert_int_equal(plic_mmio_ops.read(&plic, context_reg(0, PLIC_THRESHOLD), 8, &value), 0);
	assert_int_equal(value, 0);
	assert_int_equal(plic_mmio_ops.read(&plic, PLIC_SIZE - 4, 4, &value), 0);
	assert_int_equal(value, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plic_init_refuses_impossible_hart_counts),
		cmocka_unit_test(test_plic_level_raises_s_line_of_enabled_context_only),
		cmocka_unit_test(test_plic_priority_zero_and_threshold_mask_a_source),
		cmocka_unit_test(test_plic_claim_takes_highest_priority_then_lowest_number),
		cmocka_unit_test(test_plic_source_held_high_is_pending_again_after_complete),
		cmocka_unit_test(test_plic_complete_of_source_not_enabled_is_ignored),
		cmocka_unit_test(test_plic_registers_refuse_source_zero_and_pending_writes),
		cmocka_unit_test(test_plic_contexts_past_the_harts_and_odd_sizes_read_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
