/* SPDX-License-Identifier: MIT */
/*
 * The printf-family formatter of the core: one implementation for bare metal and polyrun, so
 * output is byte-identical on every platform. Supports the C99 conversions the core uses:
 * %d %i %u %x %X %o %c %s %p %% with flags (- + space 0 #), width, precision (also *), and the
 * length modifiers hh h l ll z t j. No floating point. Where C leaves a choice: %p prints "0x" and
 * lowercase hex (0x0 for NULL), %s prints "(null)" for NULL, and a conversion outside this list
 * (%n, %f, %ls, ...) is printed as written and takes no argument.
 */
#ifndef PV_LIB_FMT_H
#define PV_LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives formatted output in pieces. */
typedef void (*fmt_sink_fn)(void *ctx, const char *text, size_t len);

/* Format into a sink; returns the number of bytes produced. */
int fmt_vformat(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap);

/* snprintf semantics: always NUL-terminates when size > 0; returns the untruncated length. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Format straight to the platform console. */
int fmt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fmt_vprintf(const char *fmt, va_list ap);

#endif
