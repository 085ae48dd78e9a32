/* SPDX-License-Identifier: MIT */
/* The end of the road for an error the core cannot recover from. */
#ifndef PV_LIB_PANIC_H
#define PV_LIB_PANIC_H

/* The exit status a panic stops polyrun with (sysexits' EX_SOFTWARE: an internal error). */
#define PANIC_EXIT_STATUS 70

/*
 * Prints "panic: MESSAGE\n" on the console whatever the log level, and stops the machine through
 * plat_exit(PANIC_EXIT_STATUS). Callers pass no trailing newline.
 */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
