// SPDX-License-Identifier: MIT
/* lib/fmt: the core's printf, checked case by case and against the host C library's snprintf. */
#include <limits.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/compiler.h"
#include "lib/fmt.h"
#include "tests/unit/console_capture.h"

/* Formats with both the core and the host, and fails with the format when they differ. */
static unsigned compare_count;

static void check_against_host(const char *fmt, ...)
{
	char ours[512];
	char host[512];
	va_list ap;
	va_list ap2;
	int our_len;
	int host_len;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	our_len = fmt_vsnprintf(ours, sizeof(ours), fmt, ap);
	host_len = vsnprintf(host, sizeof(host), fmt, ap2);
	va_end(ap2);
	va_end(ap);
	if (our_len != host_len || strcmp(ours, host) != 0)
		fail_msg("format \"%s\": ours \"%s\" (%d), host \"%s\" (%d)", fmt, ours, our_len,
			 host, host_len);
	compare_count++;
}

static const char *const widths[] = { "", "1", "3", "12", "*" };
static const char *const precisions[] = { "", ".", ".0", ".1", ".3", ".17", ".*" };

/* Every combination of the given flags, each at most once, in the order given. */
static void build_flags(const char *allowed, unsigned mask, char *out)
{
	size_t i;

	for (i = 0; allowed[i] != '\0'; i++) {
		if (mask & (1u << i))
			*out++ = allowed[i];
	}
	*out = '\0';
}

static void make_format(char *fmt, size_t size, const char *flags, const char *width,
			const char *precision, const char *length, char conversion)
{
	snprintf(fmt, size, "<%%%s%s%s%s%c>", flags, width, precision, length, conversion);
}

/*
 * Calls check_against_host with value passed as the type the length modifier names, after the
 * '*' width and precision arguments when the format has them.
 */
#define CHECK_TYPED(fmt, width, precision, type, value)               \
	do {                                                          \
		bool star_w = strcmp(width, "*") == 0;                \
		bool star_p = strcmp(precision, ".*") == 0;           \
		if (star_w && star_p)                                 \
			check_against_host(fmt, 7, 4, (type)(value)); \
		else if (star_w)                                      \
			check_against_host(fmt, -9, (type)(value));   \
		else if (star_p)                                      \
			check_against_host(fmt, 5, (type)(value));    \
		else                                                  \
			check_against_host(fmt, (type)(value));       \
	} while (0)

static const long long signed_values[] = {
	0,
	1,
	-1,
	7,
	-7,
	42,
	-42,
	127,
	-128,
	255,
	32767,
	-32768,
	65535,
	INT_MAX,
	INT_MIN,
	(long long)UINT_MAX,
	LLONG_MAX,
	LLONG_MIN,
	1234567890123LL,
	-987654321098LL,
};

static const char *const lengths[] = { "hh", "h", "", "l", "ll", "z", "t", "j" };

/* x passed as the type that lengths[length] names for a signed conversion. */
static void check_signed(const char *fmt, const char *width, const char *precision, size_t length,
			 long long x)
{
	switch (length) {
	case 0:
		CHECK_TYPED(fmt, width, precision, int, (signed char)x);
		break;
	case 1:
		CHECK_TYPED(fmt, width, precision, int, (short)x);
		break;
	case 2:
		CHECK_TYPED(fmt, width, precision, int, (int)x);
		break;
	case 3:
		CHECK_TYPED(fmt, width, precision, long, x);
		break;
	case 4:
		CHECK_TYPED(fmt, width, precision, long long, x);
		break;
	case 5:
	case 6:
		CHECK_TYPED(fmt, width, precision, ptrdiff_t, x);
		break;
	default:
		CHECK_TYPED(fmt, width, precision, intmax_t, x);
		break;
	}
}

/* x passed as the type that lengths[length] names for an unsigned conversion. */
static void check_unsigned(const char *fmt, const char *width, const char *precision, size_t length,
			   unsigned long long x)
{
	switch (length) {
	case 0:
		CHECK_TYPED(fmt, width, precision, unsigned, (unsigned char)x);
		break;
	case 1:
		CHECK_TYPED(fmt, width, precision, unsigned, (unsigned short)x);
		break;
	case 2:
		CHECK_TYPED(fmt, width, precision, unsigned, (unsigned)x);
		break;
	case 3:
		CHECK_TYPED(fmt, width, precision, unsigned long, x);
		break;
	case 4:
		CHECK_TYPED(fmt, width, precision, unsigned long long, x);
		break;
	case 5:
	case 6:
		CHECK_TYPED(fmt, width, precision, size_t, x);
		break;
	default:
		CHECK_TYPED(fmt, width, precision, uintmax_t, x);
		break;
	}
}

/* Splits case number n into digits of the given radixes, lowest first. */
static size_t take(size_t *n, size_t radix)
{
	size_t digit = *n % radix;

	*n /= radix;
	return digit;
}

static void test_fmt_signed_conversions_match_host_snprintf(void **state)
{
	size_t total = 2 * ARRAY_SIZE(lengths) * 16 * ARRAY_SIZE(widths) * ARRAY_SIZE(precisions) *
		       ARRAY_SIZE(signed_values);
	char flags[8];
	char fmt[64];
	size_t n;

	for (n = 0; n < total; n++) {
		size_t i = n;
		long long x = signed_values[take(&i, ARRAY_SIZE(signed_values))];
		const char *precision = precisions[take(&i, ARRAY_SIZE(precisions))];
		const char *width = widths[take(&i, ARRAY_SIZE(widths))];
		size_t length = take(&i, ARRAY_SIZE(lengths));
		unsigned mask = (unsigned)take(&i, 16);

		build_flags("-+ 0", mask, flags);
		make_format(fmt, sizeof(fmt), flags, width, precision, lengths[length], "di"[i]);
		check_signed(fmt, width, precision, length, x);
	}
}

static void test_fmt_unsigned_conversions_match_host_snprintf(void **state)
{
	size_t total = 4 * ARRAY_SIZE(lengths) * 8 * ARRAY_SIZE(widths) * ARRAY_SIZE(precisions) *
		       ARRAY_SIZE(signed_values);
	char flags[8];
	char fmt[64];
	size_t n;

	for (n = 0; n < total; n++) {
		size_t i = n;
		long long x = signed_values[take(&i, ARRAY_SIZE(signed_values))];
		const char *precision = precisions[take(&i, ARRAY_SIZE(precisions))];
		const char *width = widths[take(&i, ARRAY_SIZE(widths))];
		size_t length = take(&i, ARRAY_SIZE(lengths));
		unsigned mask = (unsigned)take(&i, 8);
		char conversion = "uoxX"[i];

		build_flags("-0#", mask, flags);
		/* '#' is undefined with 'u'. */
		if (conversion == 'u' && strchr(flags, '#'))
			continue;
		make_format(fmt, sizeof(fmt), flags, width, precision, lengths[length], conversion);
		check_unsigned(fmt, width, precision, length, (unsigned long long)x);
	}
}

static void test_fmt_strings_and_chars_match_host_snprintf(void **state)
{
	static const char *const texts[] = { "", "a", "hello", "polyvisor hypervisor" };
	static const int chars[] = { 'a', 'Z', ' ', '%', 0x7e };
	char flags[4];
	char fmt[64];
	unsigned mask;
	size_t w, p, v;

	for (mask = 0; mask < 2; mask++)
		for (w = 0; w < 5; w++) {
			build_flags("-", mask, flags);
			for (p = 0; p < 7; p++)
				for (v = 0; v < 4; v++) {
					make_format(fmt, sizeof(fmt), flags, widths[w],
						    precisions[p], "", 's');
					CHECK_TYPED(fmt, widths[w], precisions[p], const char *,
						    texts[v]);
				}
			for (v = 0; v < 5; v++) {
				make_format(fmt, sizeof(fmt), flags, widths[w], "", "", 'c');
				CHECK_TYPED(fmt, widths[w], "", int, chars[v]);
			}
		}
}

static void test_fmt_pointers_match_host_snprintf(void **state)
{
	static const uintptr_t values[] = { 1, 0x1000, 0xdeadbeef, UINTPTR_MAX };
	size_t v;

	for (v = 0; v < 4; v++) {
		void *ptr = (void *)values[v];

		check_against_host("%p", ptr);
		check_against_host("[%20p]", ptr);
		check_against_host("[%-20p]", ptr);
	}
}

static void test_fmt_compared_thousands_of_cases(void **state)
{
	/* Guards the table tests above against silently checking nothing. */
	assert_true(compare_count > 50000);
}

static void test_fmt_prints_int64_min_exactly(void **state)
{
	char buf[64];

	fmt_snprintf(buf, sizeof(buf),
		     "%lld|%jd|%"
		     "ld",
		     (long long)INT64_MIN, (intmax_t)INT64_MIN, (long)INT64_MIN);
	assert_string_equal(buf, "-9223372036854775808|-9223372036854775808|-9223372036854775808");
	fmt_snprintf(buf, sizeof(buf), "%llu %llx %llo", (unsigned long long)UINT64_MAX,
		     (unsigned long long)UINT64_MAX, (unsigned long long)UINT64_MAX);
	assert_string_equal(buf, "18446744073709551615 ffffffffffffffff 1777777777777777777777");
}

static void test_fmt_prints_null_string_as_null_in_parentheses(void **state)
{
	/* volatile: the compiler would otherwise reject a NULL it can see. */
	const char *volatile nothing = NULL;
	char buf[32];

	fmt_snprintf(buf, sizeof(buf), "[%s] [%8s] [%.3s]", nothing, nothing, nothing);
	assert_string_equal(buf, "[(null)] [  (null)] [(nu]");
}

static void test_fmt_prints_null_pointer_as_0x0(void **state)
{
	char buf[32];

	fmt_snprintf(buf, sizeof(buf), "%p", NULL);
	assert_string_equal(buf, "0x0");
}

static void test_fmt_snprintf_truncates_and_returns_full_length(void **state)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "vm %s: %d MiB", "linux", 512), 17);
	assert_string_equal(buf, "vm linu");
	assert_int_equal(fmt_snprintf(buf, 1, "abc"), 3);
	assert_string_equal(buf, "");
}

static void test_fmt_snprintf_with_size_zero_writes_nothing(void **state)
{
	char buf[4] = "xyz";

	assert_int_equal(fmt_snprintf(buf, 0, "%d", 12345), 5);
	assert_string_equal(buf, "xyz");
	assert_int_equal(fmt_snprintf(NULL, 0, "%s", "counted"), 7);
}

static void test_fmt_snprintf_fills_the_buffer_exactly(void **state)
{
	char buf[6];

	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%05d", 42), 5);
	assert_string_equal(buf, "00042");
}

static void test_fmt_star_width_negative_means_left_justified(void **state)
{
	char buf[32];

	fmt_snprintf(buf, sizeof(buf), "[%*d]", -6, 42);
	assert_string_equal(buf, "[42    ]");
}

static void test_fmt_star_precision_negative_means_none(void **state)
{
	char buf[32];

	fmt_snprintf(buf, sizeof(buf), "[%.*d] [%.*s]", -1, 0, -3, "whole");
	assert_string_equal(buf, "[0] [whole]");
}

static void test_fmt_precision_zero_with_zero_prints_no_digits(void **state)
{
	char buf[32];

	fmt_snprintf(buf, sizeof(buf), "[%.0d] [%3.0u] [%#.0o] [%#.0x]", 0, 0, 0, 0);
	assert_string_equal(buf, "[] [   ] [0] []");
}

static void test_fmt_hash_flag_prefixes_hex_and_octal(void **state)
{
	char buf[64];

	fmt_snprintf(buf, sizeof(buf), "%#x %#X %#o %#x %#010x", 255, 255, 8, 0, 0xbeef);
	assert_string_equal(buf, "0xff 0XFF 010 0 0x0000beef");
}

static void test_fmt_string_precision_reads_no_further(void **state)
{
	const char unterminated[4] = { 'a', 'b', 'c', 'd' };
	char buf[16];

	fmt_snprintf(buf, sizeof(buf), "%.4s|%.2s", unterminated, unterminated);
	assert_string_equal(buf, "abcd|ab");
}

static void test_fmt_char_nul_is_printed_and_counted(void **state)
{
	char buf[8];

	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "a%cb", 0), 3);
	assert_memory_equal(buf, "a\0b", 4);
}

static void test_fmt_percent_percent_prints_one_percent(void **state)
{
	char buf[16];

	fmt_snprintf(buf, sizeof(buf), "100%% %d%%", 5);
	assert_string_equal(buf, "100% 5%");
}

static void test_fmt_unknown_conversion_is_printed_as_written(void **state)
{
	/* Through a variable: the compiler's format check would reject these literals. */
	const char *unknown = "a %y b %-5q c %ls d";
	char buf[64];

	assert_int_equal(fmt_snprintf(buf, sizeof(buf), unknown, 0), 19);
	assert_string_equal(buf, "a %y b %-5q c %ls d");
}

static void test_fmt_trailing_percent_is_printed(void **state)
{
	const char *trailing = "50%";
	char buf[16];

	fmt_snprintf(buf, sizeof(buf), trailing, 0);
	assert_string_equal(buf, "50%");
}

static void test_fmt_huge_width_saturates_instead_of_overflowing(void **state)
{
	char huge[32];
	char buf[8];

	/* Built at run time: the compiler would reject this width in a literal. */
	strcpy(huge, "%99999999999999999999d");

	/* The width saturates at INT_MAX; the count saturates too and no write passes the buffer. */
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), huge, 1), INT_MAX);
	assert_string_equal(buf, "       ");
}

struct piece_log {
	char text[256];
	size_t len;
	unsigned calls;
};

static void piece_sink(void *ctx, const char *text, size_t len)
{
	struct piece_log *log = ctx;

	memcpy(log->text + log->len, text, len);
	log->len += len;
	log->calls++;
}

static void format_to_pieces(struct piece_log *log, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	assert_int_equal(fmt_vformat(piece_sink, log, fmt, ap),
			 (int)strlen("vm linux: 00512 MiB  "));
	va_end(ap);
}

static void test_fmt_vformat_sends_every_byte_to_the_sink(void **state)
{
	struct piece_log log = { .len = 0 };

	format_to_pieces(&log, "vm %s: %05d MiB%2s", "linux", 512, "");
	log.text[log.len] = '\0';
	assert_string_equal(log.text, "vm linux: 00512 MiB  ");
	assert_true(log.calls >= 4);
}

static void test_fmt_long_padding_is_complete(void **state)
{
	char buf[128];

	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%100d", 7), 100);
	assert_int_equal(strspn(buf, " "), 99);
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%0100d", -7), 100);
	assert_int_equal(buf[0], '-');
	assert_int_equal(strspn(buf + 1, "0"), 98);
}

static void test_fmt_printf_writes_to_the_console(void **state)
{
	struct console_capture capture;

	console_capture_start(&capture);
	assert_int_equal(fmt_printf("hello %s %u\n", "core", 3u), 13);
	console_capture_stop();
	assert_string_equal(capture.text, "hello core 3\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_signed_conversions_match_host_snprintf),
		cmocka_unit_test(test_fmt_unsigned_conversions_match_host_snprintf),
		cmocka_unit_test(test_fmt_strings_and_chars_match_host_snprintf),
		cmocka_unit_test(test_fmt_pointers_match_host_snprintf),
		cmocka_unit_test(test_fmt_compared_thousands_of_cases),
		cmocka_unit_test(test_fmt_prints_int64_min_exactly),
		cmocka_unit_test(test_fmt_prints_null_string_as_null_in_parentheses),
		cmocka_unit_test(test_fmt_prints_null_pointer_as_0x0),
		cmocka_unit_test(test_fmt_snprintf_truncates_and_returns_full_length),
		cmocka_unit_test(test_fmt_snprintf_with_size_zero_writes_nothing),
		cmocka_unit_test(test_fmt_snprintf_fills_the_buffer_exactly),
		cmocka_unit_test(test_fmt_star_width_negative_means_left_justified),
		cmocka_unit_test(test_fmt_star_precision_negative_means_none),
		cmocka_unit_test(test_fmt_precision_zero_with_zero_prints_no_digits),
		cmocka_unit_test(test_fmt_hash_flag_prefixes_hex_and_octal),
		cmocka_unit_test(test_fmt_string_precision_reads_no_further),
		cmocka_unit_test(test_fmt_char_nul_is_printed_and_counted),
		cmocka_unit_test(test_fmt_percent_percent_prints_one_percent),
		cmocka_unit_test(test_fmt_unknown_conversion_is_printed_as_written),
		cmocka_unit_test(test_fmt_trailing_percent_is_printed),
		cmocka_unit_test(test_fmt_huge_width_saturates_instead_of_overflowing),
		cmocka_unit_test(test_fmt_vformat_sends_every_byte_to_the_sink),
		cmocka_unit_test(test_fmt_long_padding_is_complete),
		cmocka_unit_test(test_fmt_printf_writes_to_the_console),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
