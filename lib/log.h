/* SPDX-License-Identifier: MIT */
/* Leveled log lines on the platform console: "[info] vm linux: 512 MiB, 1 vCPU". */
#ifndef PV_LIB_LOG_H
#define PV_LIB_LOG_H

#include <stdarg.h>

#include "lib/fmt.h"

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
const char *log_level_name(enum log_level level);
/* Returns 0 and sets *out for "error", "warn", "info", "debug"; -EINVAL otherwise. */
int log_parse_level(const char *text, enum log_level *out);

/*
 * Sends later log lines, whole, to sink(ctx, ...) instead of the console (NULL: back to the
 * console). polyrun sends them to stderr, so a guest's console on stdout stays the guest's own.
 */
void log_set_sink(fmt_sink_fn sink, void *ctx);

void log_printf(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_printf(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_printf(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

#endif
