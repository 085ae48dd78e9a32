// SPDX-License-Identifier: MIT
/* String helpers (see lib/str.h). */
#include <stdbool.h>
#include <string.h>

#include "lib/errno.h"
#include "lib/str.h"

int str_copy_span(char *dst, size_t size, const char *src, size_t len)
{
	size_t n = len;

	if (size == 0)
		return len == 0 ? 0 : -E2BIG;
	if (n > size - 1)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return n == len ? 0 : -E2BIG;
}

int str_copy(char *dst, size_t size, const char *src)
{
	return str_copy_span(dst, size, src, strlen(src));
}

int str_hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int str_parse_u64(const char *text, size_t len, unsigned base, uint64_t *out)
{
	uint64_t value = 0;
	bool overflow = false;
	size_t i;

	if (len == 0 || (base != 10 && base != 16))
		return -EINVAL;
	/* Scans to the end even after an overflow, so that "99999999999999999999x" is -EINVAL. */
	for (i = 0; i < len; i++) {
		int digit = str_hex_digit_value(text[i]);

		if (digit < 0 || (unsigned)digit >= base)
			return -EINVAL;
		if (value > (UINT64_MAX - (unsigned)digit) / base)
			overflow = true;
		value = value * base + (unsigned)digit;
	}
	if (overflow)
		return -ERANGE;
	*out = value;
	return 0;
}
