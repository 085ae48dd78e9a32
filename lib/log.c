// SPDX-License-Identifier: MIT
/* Leveled log lines (see lib/log.h). */
#include <string.h>

#include "lib/compiler.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "lib/fmt.h"
#include "lib/log.h"

/* Sized so that a usual line reaches the console in one write, which keeps CPUs' lines whole. */
#define LOG_LINE_BUFFER 256

static const char *const level_names[] = {
	[LOG_ERROR] = "error",
	[LOG_WARN] = "warn",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
};

static enum log_level current_level = LOG_INFO;
static fmt_sink_fn line_sink;
static void *line_sink_ctx;

void log_set_sink(fmt_sink_fn sink, void *ctx)
{
	line_sink = sink;
	line_sink_ctx = ctx;
}

void log_set_level(enum log_level level)
{
	current_level = level;
}

enum log_level log_get_level(void)
{
	return current_level;
}

const char *log_level_name(enum log_level level)
{
	if ((unsigned)level < ARRAY_SIZE(level_names))
		return level_names[level];
	return "?";
}

int log_parse_level(const char *text, enum log_level *out)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(level_names); i++) {
		if (strcmp(text, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

struct log_line {
	char buf[LOG_LINE_BUFFER];
	size_t len;
};

static void log_line_flush(struct log_line *line)
{
	if (line_sink)
		line_sink(line_sink_ctx, line->buf, line->len);
	else
		console_write(line->buf, line->len);
	line->len = 0;
}

/* Collects the line; only a line longer than the buffer reaches the console in several writes. */
static void log_line_sink(void *ctx, const char *text, size_t len)
{
	struct log_line *line = ctx;

	while (len > 0) {
		size_t room = sizeof(line->buf) - line->len;
		size_t n = len < room ? len : room;

		memcpy(line->buf + line->len, text, n);
		line->len += n;
		text += n;
		len -= n;
		if (line->len == sizeof(line->buf))
			log_line_flush(line);
	}
}

static void log_line_printf(struct log_line *line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(log_line_sink, line, fmt, ap);
	va_end(ap);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	struct log_line line;
	va_list ap;

	if (level > current_level)
		return;
	line.len = 0;
	log_line_printf(&line, "[%s] ", log_level_name(level));
	va_start(ap, fmt);
	fmt_vformat(log_line_sink, &line, fmt, ap);
	va_end(ap);
	log_line_sink(&line, "\n", 1);
	log_line_flush(&line);
}
