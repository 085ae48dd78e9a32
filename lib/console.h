/* SPDX-License-Identifier: MIT */
/*
 * Where the core's own text (fmt_printf, log lines, panic) goes: the platform console, unless a sink
 * is installed. kernel/'s console multiplexer installs one to interleave the hypervisor's lines with
 * the guests' consoles, and unit tests install one to read what was printed.
 */
#ifndef PV_LIB_CONSOLE_H
#define PV_LIB_CONSOLE_H

#include <stddef.h>

#include "lib/fmt.h"

/*
 * Sends later console text to sink(ctx, ...), or back to plat_console_write when sink is NULL.
 * Install it before other CPUs print: the pair is not swapped atomically.
 */
void console_set_sink(fmt_sink_fn sink, void *ctx);

void console_write(const char *text, size_t len);

#endif
