// SPDX-License-Identifier: MIT
/* lib/str and lib/errno: bounded copies, strict numbers, error descriptions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/errno.h"
#include "lib/str.h"

static void test_str_copy_copies_what_fits(void **state)
{
	char buf[8];

	assert_int_equal(str_copy(buf, sizeof(buf), "virt"), 0);
	assert_string_equal(buf, "virt");
	assert_int_equal(str_copy(buf, sizeof(buf), "1234567"), 0);
	assert_string_equal(buf, "1234567");
	assert_int_equal(str_copy(buf, sizeof(buf), ""), 0);
	assert_string_equal(buf, "");
}

static void test_str_copy_reports_truncation(void **state)
{
	char buf[8];

	assert_int_equal(str_copy(buf, sizeof(buf), "12345678"), -E2BIG);
	assert_string_equal(buf, "1234567");
	assert_int_equal(str_copy(buf, 1, "x"), -E2BIG);
	assert_string_equal(buf, "");
}

static void test_str_copy_with_size_zero_writes_nothing(void **state)
{
	char buf[4] = "abc";

	assert_int_equal(str_copy(buf, 0, "x"), -E2BIG);
	assert_int_equal(str_copy(buf, 0, ""), 0);
	assert_string_equal(buf, "abc");
}

static void test_str_copy_span_takes_a_piece_of_a_longer_string(void **state)
{
	char buf[16];

	assert_int_equal(str_copy_span(buf, sizeof(buf), "disk.img,readonly", 8), 0);
	assert_string_equal(buf, "disk.img");
	assert_int_equal(str_copy_span(buf, 4, "disk.img", 8), -E2BIG);
	assert_string_equal(buf, "dis");
}

static void test_str_parse_u64_reads_decimal_and_hex(void **state)
{
	uint64_t value;

	assert_int_equal(str_parse_u64("0", 1, 10, &value), 0);
	assert_int_equal(value, 0);
	assert_int_equal(str_parse_u64("4096", 4, 10, &value), 0);
	assert_int_equal(value, 4096);
	assert_int_equal(str_parse_u64("18446744073709551615", 20, 10, &value), 0);
	assert_int_equal(value, UINT64_MAX);
	assert_int_equal(str_parse_u64("3f8", 3, 16, &value), 0);
	assert_int_equal(value, 0x3f8);
	assert_int_equal(str_parse_u64("FFFFffffFFFFffff", 16, 16, &value), 0);
	assert_int_equal(value, UINT64_MAX);
	assert_int_equal(str_parse_u64("123abc", 3, 10, &value), 0);
	assert_int_equal(value, 123);
}

static void test_str_parse_u64_rejects_anything_but_digits(void **state)
{
	static const char *const bad[] = { "", " 1", "1 ", "+1", "-1", "0x10", "1_000", "1.0" };
	uint64_t value = 5;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(str_parse_u64(bad[i], strlen(bad[i]), 10, &value), -EINVAL);
	assert_int_equal(str_parse_u64("12a", 3, 10, &value), -EINVAL);
	assert_int_equal(str_parse_u64("fg", 2, 16, &value), -EINVAL);
	assert_int_equal(str_parse_u64("10", 2, 8, &value), -EINVAL);
	assert_int_equal(value, 5);
}

static void test_str_parse_u64_reports_overflow(void **state)
{
	uint64_t value = 5;

	assert_int_equal(str_parse_u64("18446744073709551616", 20, 10, &value), -ERANGE);
	assert_int_equal(str_parse_u64("10000000000000000", 17, 16, &value), -ERANGE);
	/* A bad character wins over an overflow before it. */
	assert_int_equal(str_parse_u64("99999999999999999999x", 21, 10, &value), -EINVAL);
	assert_int_equal(value, 5);
}

static void test_str_hex_digit_value_takes_both_cases_and_nothing_else(void **state)
{
	(void)state;
	assert_int_equal(str_hex_digit_value('0'), 0);
	assert_int_equal(str_hex_digit_value('9'), 9);
	assert_int_equal(str_hex_digit_value('a'), 10);
	assert_int_equal(str_hex_digit_value('F'), 15);
	assert_int_equal(str_hex_digit_value('g'), -1);
	assert_int_equal(str_hex_digit_value('/'), -1);
	assert_int_equal(str_hex_digit_value('\0'), -1);
}

static void test_errno_values_are_linuxs(void **state)
{
	assert_int_equal(EPERM, 1);
	assert_int_equal(ENOENT, 2);
	assert_int_equal(EIO, 5);
	assert_int_equal(E2BIG, 7);
	assert_int_equal(EAGAIN, 11);
	assert_int_equal(ENOMEM, 12);
	assert_int_equal(EFAULT, 14);
	assert_int_equal(EBUSY, 16);
	assert_int_equal(EEXIST, 17);
	assert_int_equal(EINVAL, 22);
	assert_int_equal(ENOSPC, 28);
	assert_int_equal(ERANGE, 34);
	assert_int_equal(ENOTSUP, 95);
	assert_int_equal(ETIMEDOUT, 110);
}

static void test_pv_strerror_takes_negated_or_plain_codes(void **state)
{
	assert_string_equal(pv_strerror(-EINVAL), "invalid argument");
	assert_string_equal(pv_strerror(EINVAL), "invalid argument");
	assert_string_equal(pv_strerror(-ENOTSUP), "not supported");
	assert_string_equal(pv_strerror(-ENOMEM), "out of memory");
}

static void test_pv_strerror_names_unknown_codes(void **state)
{
	assert_string_equal(pv_strerror(0), "unknown error");
	assert_string_equal(pv_strerror(-3), "unknown error");
	assert_string_equal(pv_strerror(-4000), "unknown error");
	assert_string_equal(pv_strerror(INT32_MIN), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_str_copy_copies_what_fits),
		cmocka_unit_test(test_str_copy_reports_truncation),
		cmocka_unit_test(test_str_copy_with_size_zero_writes_nothing),
		cmocka_unit_test(test_str_copy_span_takes_a_piece_of_a_longer_string),
		cmocka_unit_test(test_str_parse_u64_reads_decimal_and_hex),
		cmocka_unit_test(test_str_parse_u64_rejects_anything_but_digits),
		cmocka_unit_test(test_str_parse_u64_reports_overflow),
		cmocka_unit_test(test_str_hex_digit_value_takes_both_cases_and_nothing_else),
		cmocka_unit_test(test_errno_values_are_linuxs),
		cmocka_unit_test(test_pv_strerror_takes_negated_or_plain_codes),
		cmocka_unit_test(test_pv_strerror_names_unknown_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
