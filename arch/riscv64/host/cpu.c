// SPDX-License-Identifier: MIT
/* The riscv64 host CPU's identity and counter (the time CSR). */
#include <libfdt.h>

#include "uefi/host.h"
#include "uefi/uefi.h"

const char host_isa_name[] = "riscv64";

uint64_t host_counter_read(void)
{
	uint64_t time;

	__asm__ volatile("rdtime %0" : "=r"(time));
	return time;
}

/* RISC-V has no register holding the rate: the device tree's /cpus node states it. */
uint64_t host_counter_hz(void)
{
	const void *fdt = efi_fdt();
	const fdt32_t *hz;
	int cpus, len;

	if (!fdt)
		return 0;
	cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0)
		return 0;
	hz = fdt_getprop(fdt, cpus, "timebase-frequency", &len);
	if (!hz || len != sizeof(*hz))
		return 0;
	return fdt32_to_cpu(*hz);
}

/* UEFI runs in S mode here: sstatus.SIE (bit 1) gates every interrupt it could take. */
void host_interrupts_off(void)
{
	__asm__ volatile("csrci sstatus, 2" : : : "memory");
}

#define SBI_EXT_SRST 0x53525354u /* "SRST", system reset */
#define SBI_SRST_SHUTDOWN 0u
#define SBI_SRST_NO_REASON 0u
#define SBI_SRST_FAILURE 1u

/* The SBI below S mode outlives UEFI: its system-reset extension powers off. */
void host_power_off(int status)
{
	register uint64_t a0 __asm__("a0") = SBI_SRST_SHUTDOWN;
	register uint64_t a1 __asm__("a1") = status ? SBI_SRST_FAILURE : SBI_SRST_NO_REASON;
	register uint64_t a6 __asm__("a6") = 0;
	register uint64_t a7 __asm__("a7") = SBI_EXT_SRST;

	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
}
