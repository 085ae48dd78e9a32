// SPDX-License-Identifier: MIT
/* The x86_64 host CPU's identity and counter (the TSC) for the shared bare-metal code. */
#include "uefi/host.h"

#include "arch/x86_64/host/cpu.h"

#define CPUID_TSC_CRYSTAL 0x15u

const char host_isa_name[] = "x86_64";

uint64_t host_counter_read(void)
{
	return x86_rdtsc();
}

/*
 * CPUID leaf 0x15 gives the TSC as a ratio of the core crystal clock on recent Intel CPUs. AMD
 * CPUs, older Intel ones and QEMU's TCG leave it zero: the TSC is then measured.
 */
uint64_t host_counter_hz(void)
{
	struct x86_cpuid r;

	if (x86_cpuid(0, 0).eax < CPUID_TSC_CRYSTAL)
		return 0;
	r = x86_cpuid(CPUID_TSC_CRYSTAL, 0);
	if (!r.eax || !r.ebx || !r.ecx)
		return 0;
	return (uint64_t)r.ecx * r.ebx / r.eax;
}

void host_interrupts_off(void)
{
	__asm__ volatile("cli" : : : "memory");
}

/* Without ResetSystem an x86 machine powers off through ACPI's sleep state S5: not yet here. */
void host_power_off(int status)
{
}
