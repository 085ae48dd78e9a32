// SPDX-License-Identifier: MIT
/*
 * Can this aarch64 CPU run guests in hardware? Only if the firmware handed over at EL2: nothing
 * running at EL1 can reach EL2 afterwards. HCR_EL2.E2H says whether the firmware left the
 * Virtualization Host Extensions on (EL2 then runs the EL1 register layout); the hardware engine
 * must know which layout it programs. HCR_EL2 is read only at EL2: at EL1 the read is undefined.
 */
#include "uefi/host.h"

#include "lib/fmt.h"

#define CURRENT_EL_SHIFT 2
#define CURRENT_EL_MASK 3u
#define HCR_EL2_E2H (1ull << 34)

static unsigned a64_current_el(void)
{
	uint64_t current_el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(current_el));
	return (current_el >> CURRENT_EL_SHIFT) & CURRENT_EL_MASK;
}

static uint64_t a64_read_hcr_el2(void)
{
	uint64_t hcr;

	__asm__ volatile("mrs %0, hcr_el2" : "=r"(hcr));
	return hcr;
}

void host_virt_describe(char *buf, size_t size)
{
	unsigned el = a64_current_el();

	if (el == 2)
		fmt_snprintf(buf, size, "EL2 usable (entered at EL2, VHE %s)",
			     a64_read_hcr_el2() & HCR_EL2_E2H ? "on" : "off");
	else
		fmt_snprintf(buf, size, "EL2 not usable (entered at EL%u)", el);
}
