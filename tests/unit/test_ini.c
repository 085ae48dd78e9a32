// SPDX-License-Identifier: MIT
/* lib/ini: the INI syntax, and each rejection with the line (and column) it names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/errno.h"
#include "lib/ini.h"

/* Every entry, one per line of text: "LINE [SECTION NAME] KEY=<VALUE>" or "LINE [SECTION NAME]". */
struct transcript {
	char text[4096];
	size_t len;
	int stop_at_line; /* the handler refuses the entry on this line with -EPERM */
};

static int record(void *ctx, const struct ini_entry *e)
{
	struct transcript *t = ctx;
	char *out = t->text + t->len;
	size_t room = sizeof(t->text) - t->len;
	int n;

	if ((int)e->line == t->stop_at_line)
		return -EPERM;
	if (e->key)
		n = snprintf(out, room, "%u [%s %s] %s=<%s>\n", e->line, e->section, e->name,
			     e->key, e->value);
	else
		n = snprintf(out, room, "%u [%s %s]\n", e->line, e->section, e->name);
	t->len += (size_t)n;
	return 0;
}

static int parse(const char *text, struct transcript *t, struct ini_error *err)
{
	t->len = 0;
	t->text[0] = '\0';
	return ini_parse(text, strlen(text), record, t, err);
}

/* Parses text expecting a syntax error of kind at line and column. */
static void expect_error(const char *text, enum ini_error_kind kind, unsigned line, unsigned column)
{
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(ini_parse(text, strlen(text), record, &t, &err), -EINVAL);
	assert_int_equal(err.kind, kind);
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, column);
}

static void test_ini_reads_sections_and_keys_in_order(void **state)
{
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(parse("[global]\n"
			       "log = debug\n"
			       "\n"
			       "[vm linux]\n"
			       "isa=riscv64\n"
			       "memory   =\t512M  \n",
			       &t, &err),
			 0);
	assert_string_equal(t.text, "1 [global ]\n"
				    "2 [global ] log=<debug>\n"
				    "4 [vm linux]\n"
				    "5 [vm linux] isa=<riscv64>\n"
				    "6 [vm linux] memory=<512M>\n");
}

static void test_ini_skips_comments_and_blank_lines(void **state)
{
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(parse("# a comment\n"
			       "; another\n"
			       "   \t\n"
			       "  # indented comment\n"
			       "[global]  # after a header\n"
			       "log = warn # inline\n"
			       "serial = com1\t; inline too\n",
			       &t, &err),
			 0);
	assert_string_equal(t.text, "5 [global ]\n"
				    "6 [global ] log=<warn>\n"
				    "7 [global ] serial=<com1>\n");
}

static void test_ini_keeps_comment_characters_inside_a_word(void **state)
{
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(parse("[vm a]\ncmdline = root=/dev/vda;x quiet#1\n", &t, &err), 0);
	assert_string_equal(t.text, "1 [vm a]\n2 [vm a] cmdline=<root=/dev/vda;x quiet#1>\n");
}

static void test_ini_splits_at_the_first_equals_sign(void **state)
{
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(parse("[vm a]\ncmdline = console=ttyS0 init=/sbin/init\n", &t, &err), 0);
	assert_string_equal(t.text, "1 [vm a]\n2 [vm a] cmdline=<console=ttyS0 init=/sbin/init>\n");
}

static void test_ini_quoted_value_keeps_blanks_and_comment_characters(void **state)
{
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(parse("[vm a]\n"
			       "cmdline = \"  console=ttyS0 # not a comment ; \"  # a comment\n"
			       "initrd = \"\"\n",
			       &t, &err),
			 0);
	assert_string_equal(t.text, "1 [vm a]\n"
				    "2 [vm a] cmdline=<  console=ttyS0 # not a comment ; >\n"
				    "3 [vm a] initrd=<>\n");
}

static void test_ini_quoted_value_unescapes_quote_and_backslash(void **state)
{
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(parse("[vm a]\ncmdline = \"say \\\"hi\\\" c:\\\\dir \\n\"\n", &t, &err),
			 0);
	assert_string_equal(t.text, "1 [vm a]\n2 [vm a] cmdline=<say \"hi\" c:\\dir \\n>\n");
}

static void test_ini_accepts_crlf_line_endings(void **state)
{
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(parse("[global]\r\nlog = info\r\n\r\n[vm b]\r\nisa = x86_64\r", &t, &err),
			 0);
	assert_string_equal(t.text, "1 [global ]\n"
				    "2 [global ] log=<info>\n"
				    "4 [vm b]\n"
				    "5 [vm b] isa=<x86_64>\n");
}

static void test_ini_reads_a_last_line_without_newline(void **state)
{
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(parse("[global]\nlog = error", &t, &err), 0);
	assert_string_equal(t.text, "1 [global ]\n2 [global ] log=<error>\n");
}

static void test_ini_skips_a_utf8_byte_order_mark(void **state)
{
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(parse("\xef\xbb\xbf[global]\n", &t, &err), 0);
	assert_string_equal(t.text, "1 [global ]\n");
}

static void test_ini_accepts_utf8_text_and_tabs(void **state)
{
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(parse("# Gr\xc3\xbc\xc3\x9f\x65 \xe2\x82\xac \xf0\x9f\x98\x80\n[vm a]\n"
			       "kernel =\t/boot/\xc3\xa9t\xc3\xa9\n",
			       &t, &err),
			 0);
	assert_string_equal(t.text, "2 [vm a]\n3 [vm a] kernel=</boot/\xc3\xa9t\xc3\xa9>\n");
}

static void test_ini_allows_empty_values(void **state)
{
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(parse("[vm a]\ncmdline =\ninitrd = # none\n", &t, &err), 0);
	assert_string_equal(t.text, "1 [vm a]\n2 [vm a] cmdline=<>\n3 [vm a] initrd=<>\n");
}

static void test_ini_header_words_may_be_spaced(void **state)
{
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(parse("[  vm \t web-1  ]\n", &t, &err), 0);
	assert_string_equal(t.text, "1 [vm web-1]\n");
}

static void test_ini_empty_text_has_no_entries(void **state)
{
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(parse("", &t, &err), 0);
	assert_string_equal(t.text, "");
}

static void test_ini_stops_with_the_handlers_error_and_its_line(void **state)
{
	struct transcript t = { .stop_at_line = 3 };
	struct ini_error err;

	assert_int_equal(parse("[vm a]\nisa = x86_64\nmemory = 1G\ncpus = 2\n", &t, &err), -EPERM);
	assert_int_equal(err.kind, INI_ERR_NONE);
	assert_int_equal(err.line, 3);
	assert_string_equal(t.text, "1 [vm a]\n2 [vm a] isa=<x86_64>\n");
}

static void test_ini_rejects_overlong_line_with_its_number(void **state)
{
	char *text = malloc(INI_LINE_MAX + 64);
	size_t len;

	strcpy(text, "[vm a]\ncmdline = ");
	len = strlen(text);
	memset(text + len, 'x', INI_LINE_MAX);
	strcpy(text + len + INI_LINE_MAX, "\nisa = x86_64\n");
	expect_error(text, INI_ERR_LINE_TOO_LONG, 2, 0);
	free(text);
}

static void test_ini_accepts_a_line_of_exactly_the_limit(void **state)
{
	char *text = malloc(INI_LINE_MAX + 64);
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;
	size_t len;

	strcpy(text, "[vm a]\nk = ");
	len = strlen(text);
	memset(text + len, 'v', INI_LINE_MAX - 4);
	strcpy(text + len + INI_LINE_MAX - 4, "\r\n");
	assert_int_equal(parse(text, &t, &err), 0);
	free(text);
}

static void test_ini_rejects_nul_byte_with_line_and_column(void **state)
{
	static const char text[] = "[vm a]\nisa = x8\0_64\n";
	struct transcript t = { .stop_at_line = -1 };
	struct ini_error err;

	assert_int_equal(ini_parse(text, sizeof(text) - 1, record, &t, &err), -EINVAL);
	assert_int_equal(err.kind, INI_ERR_NUL_BYTE);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 9);
}

static void test_ini_rejects_control_characters(void **state)
{
	expect_error("[vm a]\nisa = \x1b[31m\n", INI_ERR_CONTROL_BYTE, 2, 7);
	expect_error("[vm a]\nisa = x\x7f\n", INI_ERR_CONTROL_BYTE, 2, 8);
	expect_error("[global]\rlog = info\n", INI_ERR_CONTROL_BYTE, 1, 9);
	expect_error("\x0c[global]\n", INI_ERR_CONTROL_BYTE, 1, 1);
}

static void test_ini_rejects_invalid_utf8(void **state)
{
	expect_error("[vm a]\nkernel = \xff\n", INI_ERR_BAD_UTF8, 2, 10);
	/* A lone continuation byte, a truncated sequence, an overlong '/', a surrogate, and a
	 * code point past U+10FFFF. */
	expect_error("# \x80\n", INI_ERR_BAD_UTF8, 1, 3);
	expect_error("# \xc3\n", INI_ERR_BAD_UTF8, 1, 3);
	expect_error("# \xc0\xaf\n", INI_ERR_BAD_UTF8, 1, 3);
	expect_error("# \xe0\x80\xaf\n", INI_ERR_BAD_UTF8, 1, 3);
	expect_error("# \xed\xa0\x80\n", INI_ERR_BAD_UTF8, 1, 3);
	expect_error("# \xf4\x90\x80\x80\n", INI_ERR_BAD_UTF8, 1, 3);
	expect_error("# \xe2\x82\n", INI_ERR_BAD_UTF8, 1, 3);
}

static void test_ini_rejects_bytes_in_comments_too(void **state)
{
	/* Binary data is caught wherever it is, not only where a value would be read. */
	expect_error("[global]\n# \x01 binary\n", INI_ERR_CONTROL_BYTE, 2, 3);
}

static void test_ini_rejects_key_outside_any_section(void **state)
{
	expect_error("# top\nlog = info\n[global]\n", INI_ERR_KEY_OUTSIDE_SECTION, 2, 0);
}

static void test_ini_rejects_malformed_headers(void **state)
{
	expect_error("[global\n", INI_ERR_BAD_HEADER, 1, 0);
	expect_error("[]\n", INI_ERR_BAD_HEADER, 1, 0);
	expect_error("[   ]\n", INI_ERR_BAD_HEADER, 1, 0);
	expect_error("[vm a b]\n", INI_ERR_BAD_HEADER, 1, 0);
	expect_error("[vm a] x\n", INI_ERR_BAD_HEADER, 1, 0);
	expect_error("[vm [a]\n", INI_ERR_BAD_HEADER, 1, 0);
	expect_error("[vm a]]\n", INI_ERR_BAD_HEADER, 1, 0);
}

static void test_ini_rejects_line_without_equals(void **state)
{
	expect_error("[vm a]\nisa x86_64\n", INI_ERR_NO_EQUALS, 2, 0);
}

static void test_ini_rejects_empty_key(void **state)
{
	expect_error("[vm a]\n  = x86_64\n", INI_ERR_EMPTY_KEY, 2, 0);
}

static void test_ini_rejects_key_with_other_characters(void **state)
{
	expect_error("[vm a]\nmem ory = 1G\n", INI_ERR_BAD_KEY, 2, 0);
	expect_error("[vm a]\n\"isa\" = x86_64\n", INI_ERR_BAD_KEY, 2, 0);
}

static void test_ini_rejects_unterminated_quote(void **state)
{
	expect_error("[vm a]\ncmdline = \"console=ttyS0\n", INI_ERR_UNTERMINATED_QUOTE, 2, 0);
	expect_error("[vm a]\ncmdline = \"ends in escape\\\"\n", INI_ERR_UNTERMINATED_QUOTE, 2, 0);
}

static void test_ini_rejects_text_after_closing_quote(void **state)
{
	expect_error("[vm a]\ncmdline = \"a\" b\n", INI_ERR_TEXT_AFTER_QUOTE, 2, 0);
}

static void test_ini_error_texts_name_the_problem(void **state)
{
	assert_string_equal(ini_error_text(INI_ERR_LINE_TOO_LONG),
			    "line is longer than 2048 bytes");
	assert_string_equal(ini_error_text(INI_ERR_KEY_OUTSIDE_SECTION), "key outside any section");
	assert_string_equal(ini_error_text((enum ini_error_kind)99), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ini_reads_sections_and_keys_in_order),
		cmocka_unit_test(test_ini_skips_comments_and_blank_lines),
		cmocka_unit_test(test_ini_keeps_comment_characters_inside_a_word),
		cmocka_unit_test(test_ini_splits_at_the_first_equals_sign),
		cmocka_unit_test(test_ini_quoted_value_keeps_blanks_and_comment_characters),
		cmocka_unit_test(test_ini_quoted_value_unescapes_quote_and_backslash),
		cmocka_unit_test(test_ini_accepts_crlf_line_endings),
		cmocka_unit_test(test_ini_reads_a_last_line_without_newline),
		cmocka_unit_test(test_ini_skips_a_utf8_byte_order_mark),
		cmocka_unit_test(test_ini_accepts_utf8_text_and_tabs),
		cmocka_unit_test(test_ini_allows_empty_values),
		cmocka_unit_test(test_ini_header_words_may_be_spaced),
		cmocka_unit_test(test_ini_empty_text_has_no_entries),
		cmocka_unit_test(test_ini_stops_with_the_handlers_error_and_its_line),
		cmocka_unit_test(test_ini_rejects_overlong_line_with_its_number),
		cmocka_unit_test(test_ini_accepts_a_line_of_exactly_the_limit),
		cmocka_unit_test(test_ini_rejects_nul_byte_with_line_and_column),
		cmocka_unit_test(test_ini_rejects_control_characters),
		cmocka_unit_test(test_ini_rejects_invalid_utf8),
		cmocka_unit_test(test_ini_rejects_bytes_in_comments_too),
		cmocka_unit_test(test_ini_rejects_key_outside_any_section),
		cmocka_unit_test(test_ini_rejects_malformed_headers),
		cmocka_unit_test(test_ini_rejects_line_without_equals),
		cmocka_unit_test(test_ini_rejects_empty_key),
		cmocka_unit_test(test_ini_rejects_key_with_other_characters),
		cmocka_unit_test(test_ini_rejects_unterminated_quote),
		cmocka_unit_test(test_ini_rejects_text_after_closing_quote),
		cmocka_unit_test(test_ini_error_texts_name_the_problem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
