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
