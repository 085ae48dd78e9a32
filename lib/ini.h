/* SPDX-License-Identifier: MIT */
/*
 * A generic INI reader over a file held in memory. It knows the syntax only; what the sections and
 * keys mean, and the messages a person reads, belong to the caller (kernel/config.c for
 * polyvisor.cfg).
 *
 * Syntax, line by line (LF or CRLF endings; a UTF-8 byte order mark at the start is skipped):
 *   [section]  or  [section NAME]     a header: one or two words; starts a section
 *   key = value                       a key of the current section; the first '=' splits
 *   # comment   ; comment              whole-line comments
 * Keys use letters, digits, '_', '-' and '.'. Blanks (spaces, tabs) around keys, values and
 * header words are dropped. An unquoted value ends at a '#' or ';' that begins it or follows a
 * blank (an inline comment), so "root=/dev/vda;x" stays whole. A value in double quotes keeps
 * everything inside, blanks, '#' and ';' included, with \" for a quote and \\ for a backslash; only
 * blanks or a comment may follow the closing quote.
 * The file must be text: UTF-8, no NUL, no control characters but tab (and CR before LF).
 */
#ifndef PV_LIB_INI_H
#define PV_LIB_INI_H

#include <stddef.h>

/* The longest line, in bytes without its line ending. */
#define INI_LINE_MAX 2048

/* One header or key, handed to the caller; the strings live until the handler returns. */
struct ini_entry {
	unsigned line; /* 1-based */
	const char *section; /* "vm" for [vm linux] */
	const char *name; /* "linux" for [vm linux]; "" for a one-word header such as [global] */
	const char *key; /* NULL when the entry is the header itself */
	const char *value; /* NULL when the entry is the header itself; quotes removed */
};

/* Returns 0 to go on, or a negative errno that stops ini_parse and becomes its result. */
typedef int (*ini_handler_fn)(void *ctx, const struct ini_entry *entry);

enum ini_error_kind {
	INI_ERR_NONE, /* no syntax error (the handler may have stopped the parse) */
	INI_ERR_LINE_TOO_LONG,
	INI_ERR_NUL_BYTE,
	INI_ERR_CONTROL_BYTE,
	INI_ERR_BAD_UTF8,
	INI_ERR_BAD_HEADER,
	INI_ERR_KEY_OUTSIDE_SECTION,
	INI_ERR_NO_EQUALS,
	INI_ERR_EMPTY_KEY,
	INI_ERR_BAD_KEY,
	INI_ERR_UNTERMINATED_QUOTE,
	INI_ERR_TEXT_AFTER_QUOTE,
};

struct ini_error {
	enum ini_error_kind kind;
	unsigned line; /* 1-based line of the error, or of the entry the handler refused */
	unsigned column; /* 1-based byte column of a bad byte; 0 when the whole line is at fault */
};

/*
 * Reads text[0..len) and calls handler for each header and key, in file order. Returns 0, -EINVAL
 * for a syntax error (err says which and where), or the handler's error (err->kind INI_ERR_NONE,
 * err->line its entry's line).
 */
int ini_parse(const char *text, size_t len, ini_handler_fn handler, void *ctx,
	      struct ini_error *err);

/* What is wrong, for a message: "line is longer than 2048 bytes". */
const char *ini_error_text(enum ini_error_kind kind);

#endif
