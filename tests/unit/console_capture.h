/* SPDX-License-Identifier: MIT */
/*
 * Reads what the core prints: installs a lib/console.h sink that keeps the text in a buffer, so a
 * test can compare log lines and messages without touching the platform console.
 */
#ifndef PV_TESTS_UNIT_CONSOLE_CAPTURE_H
#define PV_TESTS_UNIT_CONSOLE_CAPTURE_H

#include <string.h>

#include "lib/console.h"

struct console_capture {
	char text[8192];
	size_t len;
};

static inline void console_capture_sink(void *ctx, const char *text, size_t len)
{
	struct console_capture *capture = ctx;
	size_t room = sizeof(capture->text) - 1 - capture->len;
	size_t n = len < room ? len : room;

	memcpy(capture->text + capture->len, text, n);
	capture->len += n;
	capture->text[capture->len] = '\0';
}

/* From now on the core's console text lands in capture->text, NUL-terminated. */
static inline void console_capture_start(struct console_capture *capture)
{
	capture->len = 0;
	capture->text[0] = '\0';
	console_set_sink(console_capture_sink, capture);
}

static inline void console_capture_stop(void)
{
	console_set_sink(NULL, NULL);
}

#endif
