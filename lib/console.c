// SPDX-License-Identifier: MIT
/* The core's console output, redirectable (see lib/console.h). */
#include "lib/console.h"
#include "lib/plat.h"

static fmt_sink_fn console_sink;
static void *console_sink_ctx;

void console_set_sink(fmt_sink_fn sink, void *ctx)
{
	console_sink = sink;
	console_sink_ctx = ctx;
}

void console_write(const char *text, size_t len)
{
	if (console_sink)
		console_sink(console_sink_ctx, text, len);
	else
		plat_console_write(text, len);
}
