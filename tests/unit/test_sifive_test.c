// SPDX-License-Identifier: MIT
/* dev/sifive_test: each finisher code becomes its request, everything else is ignored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dev/sifive_test.h"
#include "lib/errno.h"

struct reports {
	unsigned count;
	enum sifive_test_request request;
	unsigned code;
};

static void record(void *ctx, enum sifive_test_request request, unsigned code)
{
	struct reports *reports = ctx;

	reports->count++;
	reports->request = request;
	reports->code = code;
}

static void write_reg(struct sifive_test *test, uint64_t offset, unsigned size, uint64_t value)
{
	assert_int_equal(sifive_test_mmio_ops.write(test, offset, size, value), 0);
}

static void test_sifive_test_pass_code_powers_off_with_status_zero(void **state)
{
	struct reports reports = { 0 };
	struct sifive_test test;

	assert_int_equal(sifive_test_init(&test, record, &reports), 0);
	write_reg(&test, 0, 4, SIFIVE_TEST_PASS_CODE);
	assert_int_equal(reports.count, 1);
	assert_int_equal(reports.request, SIFIVE_TEST_POWEROFF);
	assert_int_equal(reports.code, 0);
	/* The high half means nothing for a pass. */
	write_reg(&test, 0, 4, 0x00075555);
	assert_int_equal(reports.count, 2);
	assert_int_equal(reports.code, 0);
}

static void test_sifive_test_fail_code_carries_the_exit_code(void **state)
{
	struct reports reports = { 0 };
	struct sifive_test test;

	assert_int_equal(sifive_test_init(&test, record, &reports), 0);
	write_reg(&test, 0, 4, (42u << 16) | SIFIVE_TEST_FAIL_CODE);
	assert_int_equal(reports.count, 1);
	assert_int_equal(reports.request, SIFIVE_TEST_FAIL);
	assert_int_equal(reports.code, 42);
	write_reg(&test, 0, 4, 0xffff0000u | SIFIVE_TEST_FAIL_CODE);
	assert_int_equal(reports.code, 0xffff);
}

static void test_sifive_test_reset_code_requests_reset(void **state)
{
	struct reports reports = { 0 };
	struct sifive_test test;

	assert_int_equal(sifive_test_init(&test, record, &reports), 0);
	write_reg(&test, 0, 2, SIFIVE_TEST_RESET_CODE);
	assert_int_equal(reports.count, 1);
	assert_int_equal(reports.request, SIFIVE_TEST_RESET);
	assert_int_equal(reports.code, 0);
}

static void test_sifive_test_ignores_other_values_offsets_and_reads(void **state)
{
	struct reports reports = { 0 };
	struct sifive_test test;
	uint64_t value = 1;

	assert_int_equal(sifive_test_init(&test, record, &reports), 0);
	write_reg(&test, 0, 4, 0x1234);
	write_reg(&test, 0, 4, 0);
	write_reg(&test, 4, 4, SIFIVE_TEST_PASS_CODE);
	write_reg(&test, 0, 1, 0x55);
	assert_int_equal(reports.count, 0);
	assert_int_equal(sifive_test_mmio_ops.read(&test, 0, 4, &value), 0);
	assert_int_equal(value, 0);
}

static void test_sifive_test_init_needs_a_callback(void **state)
{
	struct sifive_test test;

	assert_int_equal(sifive_test_init(&test, NULL, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sifive_test_pass_code_powers_off_with_status_zero),
		cmocka_unit_test(test_sifive_test_fail_code_carries_the_exit_code),
		cmocka_unit_test(test_sifive_test_reset_code_requests_reset),
		cmocka_unit_test(test_sifive_test_ignores_other_values_offsets_and_reads),
		cmocka_unit_test(test_sifive_test_init_needs_a_callback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
