/* SPDX-License-Identifier: MIT */
/*
 * String helpers that the C library lacks or gets wrong for us: bounded copies that report
 * truncation instead of hiding it, and strict number parsing (strtoull takes signs, spaces and
 * "0x" where a config value must not).
 */
#ifndef PV_LIB_STR_H
#define PV_LIB_STR_H

#include <stddef.h>
#include <stdint.h>

/*
 * Copies src into dst[size], always NUL-terminated when size > 0. Returns 0, or -E2BIG when src did
 * not fit (dst then holds as much as fits).
 */
int str_copy(char *dst, size_t size, const char *src);

/* str_copy of the len bytes at src, which need not be NUL-terminated. */
int str_copy_span(char *dst, size_t size, const char *src, size_t len);

/* The value of a hexadecimal digit (either case), or -1 for any other character. */
int str_hex_digit_value(char c);

/*
 * Parses exactly the len bytes at text as an unsigned number in base 10 or 16: digits only, no
 * sign, blank or prefix. Returns 0, -EINVAL for an empty or non-digit text, -ERANGE past UINT64_MAX.
 */
int str_parse_u64(const char *text, size_t len, unsigned base, uint64_t *out);

#endif
