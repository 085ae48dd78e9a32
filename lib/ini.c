// SPDX-License-Identifier: MIT
/*
 * The INI reader (see lib/ini.h). Each line is first checked as bytes (length, text, UTF-8), then
 * copied into a buffer where it is cut into NUL-terminated pieces for the handler.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "lib/compiler.h"
#include "lib/errno.h"
#include "lib/ini.h"

#define STRINGIFY(x) #x
#define TO_STRING(x) STRINGIFY(x)

struct ini_reader {
	ini_handler_fn handler;
	void *ctx;
	struct ini_error *err;
	unsigned line;
	bool in_section;
	char section[INI_LINE_MAX + 1]; /* the current header's words, NUL-separated */
	char *name; /* into section: the header's second word or "" */
	char buf[INI_LINE_MAX + 1]; /* the line being cut into pieces */
};

static const char *const error_text[] = {
	[INI_ERR_NONE] = "no error",
	[INI_ERR_LINE_TOO_LONG] = "line is longer than " TO_STRING(INI_LINE_MAX) " bytes",
	[INI_ERR_NUL_BYTE] = "NUL byte (the file must be text)",
	[INI_ERR_CONTROL_BYTE] = "control character (the file must be text)",
	[INI_ERR_BAD_UTF8] = "invalid UTF-8 (the file must be text)",
	[INI_ERR_BAD_HEADER] = "malformed section header (use [section] or [section NAME])",
	[INI_ERR_KEY_OUTSIDE_SECTION] = "key outside any section",
	[INI_ERR_NO_EQUALS] = "line is neither a section header nor 'key = value'",
	[INI_ERR_EMPTY_KEY] = "empty key before '='",
	[INI_ERR_BAD_KEY] = "key may only use letters, digits, '_', '-' and '.'",
	[INI_ERR_UNTERMINATED_QUOTE] = "quoted value has no closing quote",
	[INI_ERR_TEXT_AFTER_QUOTE] = "text after the closing quote",
};

const char *ini_error_text(enum ini_error_kind kind)
{
	if ((unsigned)kind < ARRAY_SIZE(error_text))
		return error_text[kind];
	return "unknown error";
}

static int fail(struct ini_reader *r, enum ini_error_kind kind, unsigned column)
{
	r->err->kind = kind;
	r->err->line = r->line;
	r->err->column = column;
	return -EINVAL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_comment_start(char c)
{
	return c == '#' || c == ';';
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

static char *skip_blanks(char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

/* Cuts trailing blanks off the string that ends just before end. */
static void trim_end(char *start, char *end)
{
	while (end > start && is_blank(end[-1]))
		end--;
	*end = '\0';
}

/*
 * The length of the well-formed UTF-8 sequence at p (at most avail bytes), or 0. Overlong forms,
 * UTF-16 surrogates and code points past U+10FFFF are not well-formed.
 */
static size_t utf8_sequence_length(const uint8_t *p, size_t avail)
{
	uint8_t lead = p[0];
	uint8_t low = 0x80;
	uint8_t high = 0xbf;
	size_t len;
	size_t i;

	if (lead < 0x80)
		return 1;
	if (lead >= 0xc2 && lead <= 0xdf)
		len = 2;
	else if (lead >= 0xe0 && lead <= 0xef)
		len = 3;
	else if (lead >= 0xf0 && lead <= 0xf4)
		len = 4;
	else
		return 0;
	/* The second byte's range is narrower after these leads; that excludes the bad forms. */
	if (lead == 0xe0)
		low = 0xa0;
	else if (lead == 0xed)
		high = 0x9f;
	else if (lead == 0xf0)
		low = 0x90;
	else if (lead == 0xf4)
		high = 0x8f;
	if (avail < len || p[1] < low || p[1] > high)
		return 0;
	for (i = 2; i < len; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	}
	return len;
}

/* Checks that the line (without its ending) is text. */
static int check_text(struct ini_reader *r, const char *line, size_t len)
{
	const uint8_t *bytes = (const uint8_t *)line;
	size_t i = 0;

	while (i < len) {
		uint8_t c = bytes[i];
		size_t n;

		if (c == 0)
			return fail(r, INI_ERR_NUL_BYTE, (unsigned)i + 1);
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(r, INI_ERR_CONTROL_BYTE, (unsigned)i + 1);
		n = utf8_sequence_length(bytes + i, len - i);
		if (n == 0)
			return fail(r, INI_ERR_BAD_UTF8, (unsigned)i + 1);
		i += n;
	}
	return 0;
}

static int emit(struct ini_reader *r, const char *key, const char *value)
{
	struct ini_entry entry = {
		.line = r->line,
		.section = r->section,
		.name = r->name,
		.key = key,
		.value = value,
	};
	int ret = r->handler(r->ctx, &entry);

	if (ret < 0) {
		r->err->kind = INI_ERR_NONE;
		r->err->line = r->line;
		r->err->column = 0;
	}
	return ret;
}

/* Finds the word at or after p, before limit: [*start, *end), empty when there is none. */
static void find_word(char *p, char *limit, char **start, char **end)
{
	while (p < limit && is_blank(*p))
		p++;
	*start = p;
	while (p < limit && !is_blank(*p))
		p++;
	*end = p;
}

/* p points just after '['. The header's words are kept for the entries that follow it. */
static int parse_header(struct ini_reader *r, char *p)
{
	char *close = strchr(p, ']');
	char *first, *first_end, *second, *second_end, *third, *third_end, *after;
	size_t first_len, second_len;

	if (!close || memchr(p, '[', (size_t)(close - p)))
		return fail(r, INI_ERR_BAD_HEADER, 0);
	after = skip_blanks(close + 1);
	if (*after != '\0' && !is_comment_start(*after))
		return fail(r, INI_ERR_BAD_HEADER, 0);
	find_word(p, close, &first, &first_end);
	find_word(first_end, close, &second, &second_end);
	find_word(second_end, close, &third, &third_end);
	if (first == first_end || third != third_end)
		return fail(r, INI_ERR_BAD_HEADER, 0);

	/* Both words fit: they come from a line no longer than the buffer. */
	first_len = (size_t)(first_end - first);
	second_len = (size_t)(second_end - second);
	memcpy(r->section, first, first_len);
	r->section[first_len] = '\0';
	r->name = r->section + first_len + 1;
	memcpy(r->name, second, second_len);
	r->name[second_len] = '\0';
	r->in_section = true;
	return emit(r, NULL, NULL);
}

/*
 * Unquotes in place the value that starts after the opening quote at p; only blanks or a comment
 * may follow the closing quote.
 */
static int parse_quoted(struct ini_reader *r, char *p)
{
	char *out = p;

	for (;;) {
		if (*p == '\0')
			return fail(r, INI_ERR_UNTERMINATED_QUOTE, 0);
		if (*p == '"')
			break;
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		*out++ = *p++;
	}
	*out = '\0';
	p = skip_blanks(p + 1);
	if (*p != '\0' && !is_comment_start(*p))
		return fail(r, INI_ERR_TEXT_AFTER_QUOTE, 0);
	return 0;
}

static int parse_key_value(struct ini_reader *r, char *p)
{
	char *equals = strchr(p, '=');
	char *value;
	char *k;

	if (!equals)
		return fail(r, INI_ERR_NO_EQUALS, 0);
	trim_end(p, equals);
	if (*p == '\0')
		return fail(r, INI_ERR_EMPTY_KEY, 0);
	for (k = p; *k != '\0'; k++) {
		if (!is_key_char(*k))
			return fail(r, INI_ERR_BAD_KEY, 0);
	}
	if (!r->in_section)
		return fail(r, INI_ERR_KEY_OUTSIDE_SECTION, 0);

	value = skip_blanks(equals + 1);
	if (*value == '"') {
		int ret = parse_quoted(r, value + 1);

		if (ret < 0)
			return ret;
		return emit(r, p, value + 1);
	}
	for (k = value; *k != '\0'; k++) {
		if (is_comment_start(*k) && (k == value || is_blank(k[-1])))
			break;
	}
	trim_end(value, k);
	return emit(r, p, value);
}

static int parse_line(struct ini_reader *r, const char *line, size_t len)
{
	char *p;
	int ret;

	if (len > INI_LINE_MAX)
		return fail(r, INI_ERR_LINE_TOO_LONG, 0);
	ret = check_text(r, line, len);
	if (ret < 0)
		return ret;
	memcpy(r->buf, line, len);
	r->buf[len] = '\0';

	p = skip_blanks(r->buf);
	if (*p == '\0' || is_comment_start(*p))
		return 0;
	if (*p == '[')
		return parse_header(r, p + 1);
	return parse_key_value(r, p);
}

int ini_parse(const char *text, size_t len, ini_handler_fn handler, void *ctx,
	      struct ini_error *err)
{
	static const char bom[] = "\xef\xbb\xbf";
	struct ini_reader r = { .handler = handler, .ctx = ctx, .err = err };
	size_t pos = 0;

	err->kind = INI_ERR_NONE;
	err->line = 0;
	err->column = 0;
	if (len >= sizeof(bom) - 1 && memcmp(text, bom, sizeof(bom) - 1) == 0)
		pos = sizeof(bom) - 1;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t next = nl ? end + 1 : len;
		int ret;

		/* CR belongs to the line ending only right before LF (or at the end of the file). */
		if (end > pos && text[end - 1] == '\r')
			end--;
		r.line++;
		ret = parse_line(&r, text + pos, end - pos);
		if (ret < 0)
			return ret;
		pos = next;
	}
	return 0;
}
