// SPDX-License-Identifier: MIT
/* The aarch64 host CPU's identity and counter (the generic timer's virtual count). */
#include "uefi/host.h"

const char host_isa_name[] = "aarch64";

uint64_t host_counter_read(void)
{
	uint64_t count;

	/* Without the barrier the read may be satisfied early, out of program order. */
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(count) : : "memory");
	return count;
}

/* The firmware programs CNTFRQ_EL0 with the counter's rate for every later stage to read. */
uint64_t host_counter_hz(void)
{
	uint64_t hz;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
	return hz;
}
