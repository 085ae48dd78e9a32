// SPDX-License-Identifier: MIT
/*
 * The printf-family formatter (see lib/fmt.h). One pass over the format: each conversion is
 * rendered as [left padding][sign or 0x][zeros][digits or text][right padding], and every piece goes
 * to the sink as it is known, so no intermediate buffer bounds the output length.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "lib/console.h"
#include "lib/fmt.h"

enum fmt_length {
	LEN_INT,
	LEN_CHAR,
	LEN_SHORT,
	LEN_LONG,
	LEN_LLONG,
	LEN_SIZE,
	LEN_PTRDIFF,
	LEN_INTMAX
};

struct fmt_spec {
	bool left; /* '-' */
	bool plus; /* '+' */
	bool space; /* ' ' */
	bool zero; /* '0' */
	bool alt; /* '#' */
	int width; /* 0 when none */
	int precision; /* -1 when none */
	enum fmt_length length;
};

struct fmt_out {
	fmt_sink_fn sink;
	void *ctx;
	size_t count;
};

static void emit(struct fmt_out *out, const char *text, size_t len)
{
	if (len == 0)
		return;
	out->sink(out->ctx, text, len);
	out->count += len;
}

/* Padding goes out in slices of a constant run rather than one sink call per byte. */
static void emit_repeat(struct fmt_out *out, char c, size_t count)
{
	static const char spaces[] = "                                ";
	static const char zeros[] = "00000000000000000000000000000000";
	const char *run = c == '0' ? zeros : spaces;

	while (count > 0) {
		size_t n = count < sizeof(spaces) - 1 ? count : sizeof(spaces) - 1;

		emit(out, run, n);
		count -= n;
	}
}

/* Reads a decimal field width or precision; saturates rather than overflowing. */
static int read_decimal(const char **p)
{
	int value = 0;

	while (**p >= '0' && **p <= '9') {
		int digit = **p - '0';

		value = value > (INT_MAX - digit) / 10 ? INT_MAX : value * 10 + digit;
		(*p)++;
	}
	return value;
}

static const char *parse_length(const char *p, enum fmt_length *length)
{
	switch (*p) {
	case 'h':
		if (p[1] == 'h') {
			*length = LEN_CHAR;
			return p + 2;
		}
		*length = LEN_SHORT;
		return p + 1;
	case 'l':
		if (p[1] == 'l') {
			*length = LEN_LLONG;
			return p + 2;
		}
		*length = LEN_LONG;
		return p + 1;
	case 'z':
		*length = LEN_SIZE;
		return p + 1;
	case 't':
		*length = LEN_PTRDIFF;
		return p + 1;
	case 'j':
		*length = LEN_INTMAX;
		return p + 1;
	default:
		*length = LEN_INT;
		return p;
	}
}

static intmax_t fetch_signed(enum fmt_length length, va_list *ap)
{
	switch (length) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		/* The signed type matching size_t: the same width on every target we build for. */
		return va_arg(*ap, ptrdiff_t);
	case LEN_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	case LEN_INTMAX:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static uintmax_t fetch_unsigned(enum fmt_length length, va_list *ap)
{
	switch (length) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	case LEN_PTRDIFF:
		/* The unsigned type matching ptrdiff_t: size_t on every target we build for. */
		return va_arg(*ap, size_t);
	case LEN_INTMAX:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned);
	}
}

/*
 * Renders one integer. prefix is the sign or "0x"/"0X", already decided by the caller; the
 * precision is a minimum digit count, and a zero value with precision 0 prints no digits at all.
 */
static void emit_integer(struct fmt_out *out, const struct fmt_spec *spec, uintmax_t value,
			 unsigned base, bool upper, const char *prefix)
{
	const char *digit_set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[sizeof(uintmax_t) * CHAR_BIT / 3 + 1];
	size_t ndigits = 0;
	size_t nprefix = strlen(prefix);
	size_t nzeros = 0;
	size_t total;

	while (value != 0) {
		digits[sizeof(digits) - ++ndigits] = digit_set[value % base];
		value /= base;
	}
	if (spec->precision < 0 && ndigits == 0)
		digits[sizeof(digits) - ++ndigits] = '0';
	if (spec->precision >= 0 && (size_t)spec->precision > ndigits)
		nzeros = (size_t)spec->precision - ndigits;
	/* '#' with 'o' makes the first digit a zero, adding one only when there is none yet. */
	if (spec->alt && base == 8 && nzeros == 0 &&
	    (ndigits == 0 || digits[sizeof(digits) - ndigits] != '0'))
		nzeros = 1;

	total = nprefix + nzeros + ndigits;
	if (!spec->left && spec->zero && spec->precision < 0 && (size_t)spec->width > total) {
		nzeros += (size_t)spec->width - total;
		total = (size_t)spec->width;
	}
	if (!spec->left && (size_t)spec->width > total)
		emit_repeat(out, ' ', (size_t)spec->width - total);
	emit(out, prefix, nprefix);
	emit_repeat(out, '0', nzeros);
	emit(out, digits + sizeof(digits) - ndigits, ndigits);
	if (spec->left && (size_t)spec->width > total)
		emit_repeat(out, ' ', (size_t)spec->width - total);
}

/* Text of a known length, padded to the field width; '-' puts the padding after it. */
static void emit_padded(struct fmt_out *out, const struct fmt_spec *spec, const char *text,
			size_t len)
{
	if (!spec->left && (size_t)spec->width > len)
		emit_repeat(out, ' ', (size_t)spec->width - len);
	emit(out, text, len);
	if (spec->left && (size_t)spec->width > len)
		emit_repeat(out, ' ', (size_t)spec->width - len);
}

static void emit_string(struct fmt_out *out, const struct fmt_spec *spec, const char *text)
{
	size_t len = 0;

	/* Never reads past the precision: the text need not be NUL-terminated within it. */
	while ((spec->precision < 0 || len < (size_t)spec->precision) && text[len] != '\0')
		len++;
	emit_padded(out, spec, text, len);
}

static const char *parse_flags(const char *p, struct fmt_spec *spec)
{
	for (;; p++) {
		switch (*p) {
		case '-':
			spec->left = true;
			break;
		case '+':
			spec->plus = true;
			break;
		case ' ':
			spec->space = true;
			break;
		case '0':
			spec->zero = true;
			break;
		case '#':
			spec->alt = true;
			break;
		default:
			return p;
		}
	}
}

/*
 * Parses the conversion after '%' and renders it. Returns the position after it, or NULL for a
 * conversion this formatter does not know; the caller then prints the sequence as written.
 */
static const char *format_one(struct fmt_out *out, const char *p, va_list *ap)
{
	struct fmt_spec spec = { .precision = -1 };
	char c;

	p = parse_flags(p, &spec);
	if (*p == '*') {
		int width = va_arg(*ap, int);

		/* A negative width argument means '-' and its magnitude. */
		if (width < 0) {
			spec.left = true;
			width = width == INT_MIN ? INT_MAX : -width;
		}
		spec.width = width;
		p++;
	} else {
		spec.width = read_decimal(&p);
	}
	if (*p == '.') {
		p++;
		if (*p == '*') {
			int precision = va_arg(*ap, int);

			/* A negative precision argument is taken as if none was given. */
			spec.precision = precision < 0 ? -1 : precision;
			p++;
		} else {
			spec.precision = read_decimal(&p);
		}
	}
	p = parse_length(p, &spec.length);
	c = *p;
	/* Wide characters and strings (%lc, %ls) are not supported: print them as written. */
	if ((c == 'c' || c == 's') && spec.length != LEN_INT)
		return NULL;

	switch (c) {
	case 'd':
	case 'i': {
		intmax_t value = fetch_signed(spec.length, ap);
		/* Negating in unsigned arithmetic keeps INT64_MIN exact. */
		uintmax_t magnitude = value < 0 ? 0u - (uintmax_t)value : (uintmax_t)value;
		const char *sign = value < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";

		emit_integer(out, &spec, magnitude, 10, false, sign);
		break;
	}
	case 'u':
		emit_integer(out, &spec, fetch_unsigned(spec.length, ap), 10, false, "");
		break;
	case 'o':
		emit_integer(out, &spec, fetch_unsigned(spec.length, ap), 8, false, "");
		break;
	case 'x':
	case 'X': {
		uintmax_t value = fetch_unsigned(spec.length, ap);
		const char *prefix = spec.alt && value != 0 ? (c == 'x' ? "0x" : "0X") : "";

		emit_integer(out, &spec, value, 16, c == 'X', prefix);
		break;
	}
	case 'p': {
		uintptr_t value = (uintptr_t)va_arg(*ap, void *);

		emit_integer(out, &spec, value, 16, false, "0x");
		break;
	}
	case 'c': {
		char ch = (char)va_arg(*ap, int);

		emit_padded(out, &spec, &ch, 1);
		break;
	}
	case 's': {
		const char *text = va_arg(*ap, const char *);

		emit_string(out, &spec, text ? text : "(null)");
		break;
	}
	case '%':
		emit(out, "%", 1);
		break;
	default:
		return NULL;
	}
	return p + 1;
}

int fmt_vformat(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_out out = { .sink = sink, .ctx = ctx };
	const char *p = fmt;
	va_list args;

	/* A copy, so that helpers can take a pointer to it whatever va_list's type is. */
	va_copy(args, ap);
	while (*p != '\0') {
		const char *start = p;
		const char *next;

		while (*p != '\0' && *p != '%')
			p++;
		emit(&out, start, (size_t)(p - start));
		if (*p == '\0')
			break;
		next = format_one(&out, p + 1, &args);
		if (next) {
			p = next;
		} else {
			/* Unknown conversion: print the '%' and go on with the text after it. */
			emit(&out, "%", 1);
			p++;
		}
	}
	va_end(args);
	return out.count > INT_MAX ? INT_MAX : (int)out.count;
}

struct fmt_buffer {
	char *buf;
	size_t size; /* room for text, not counting the terminating NUL */
	size_t len;
};

static void buffer_sink(void *ctx, const char *text, size_t len)
{
	struct fmt_buffer *b = ctx;
	size_t room = b->size - b->len;
	size_t n = len < room ? len : room;

	/* Once full (or with no buffer at all: size 0) only the count goes on. */
	if (n == 0)
		return;
	memcpy(b->buf + b->len, text, n);
	b->len += n;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buffer b = { .buf = buf, .size = size > 0 ? size - 1 : 0 };
	int count = fmt_vformat(buffer_sink, &b, fmt, ap);

	if (size > 0)
		buf[b.len] = '\0';
	return count;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int count;

	va_start(ap, fmt);
	count = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return count;
}

static void console_sink(void *ctx, const char *text, size_t len)
{
	console_write(text, len);
}

int fmt_vprintf(const char *fmt, va_list ap)
{
	return fmt_vformat(console_sink, NULL, fmt, ap);
}

int fmt_printf(const char *fmt, ...)
{
	va_list ap;
	int count;

	va_start(ap, fmt);
	count = fmt_vprintf(fmt, ap);
	va_end(ap);
	return count;
}
