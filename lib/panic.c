// SPDX-License-Identifier: MIT
/* panic (see lib/panic.h). */
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>

#include "lib/fmt.h"
#include "lib/panic.h"
#include "lib/plat.h"
#include "lib/spinlock.h"

#define NO_CPU UINT_MAX

_Noreturn void panic(const char *fmt, ...)
{
	static atomic_uint panic_cpu = NO_CPU;
	unsigned self = plat_cpu_self();
	unsigned first = NO_CPU;
	va_list ap;

	/*
	 * Only the first panic prints. Another CPU panicking meanwhile waits for that CPU to stop the
	 * machine, so the message that matters is not cut short; a panic raised on the same CPU while
	 * printing (from the console path) stops at once rather than recursing.
	 */
	if (!atomic_compare_exchange_strong(&panic_cpu, &first, self)) {
		if (first == self)
			plat_exit(PANIC_EXIT_STATUS);
		for (;;)
			cpu_relax();
	}
	fmt_printf("panic: ");
	va_start(ap, fmt);
	fmt_vprintf(fmt, ap);
	va_end(ap);
	fmt_printf("\n");
	plat_exit(PANIC_EXIT_STATUS);
}
