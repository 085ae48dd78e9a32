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

/* Debug, SError, IRQ and FIQ: all four DAIF bits. */
void host_interrupts_off(void)
{
	__asm__ volatile("msr daifset, #0xf" : : : "memory");
}

/* PSCI SYSTEM_OFF needs the conduit (HVC or SMC) from the FADT or device tree: not yet here. */
void host_power_off(int status)
{
}
