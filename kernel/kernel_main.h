/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor proper, entered by the bare-metal platform once it owns the machine: what the
 * firmware said about it arrives in struct boot_info, and kernel_main builds and runs every VM
 * of the configuration. The platform registers its engines, guest ISAs and boards first.
 */
#ifndef PV_KERNEL_KERNEL_MAIN_H
#define PV_KERNEL_KERNEL_MAIN_H

#include <stdint.h>

#include "kernel/config.h"

/* A linear framebuffer the firmware set up (UEFI's GOP); size 0 when there is none. */
struct boot_framebuffer {
	uint64_t base;
	uint64_t size;
	uint32_t width, height;
	uint32_t pixels_per_line;
};

struct boot_info {
	const struct pv_config *config; /* NULL when there was none to read */
	uint64_t free_memory; /* bytes the platform's allocator was given */
	uint64_t acpi_rsdp; /* physical addresses; 0 when the firmware published none */
	uint64_t smbios;
	struct boot_framebuffer framebuffer;
};

/*
 * Says what the machine offers, builds every VM of info->config and runs them all until each
 * has stopped, one line per VM: "vm NAME: powered off", "... powered off, guest status N",
 * "vm NAME: not started: REASON" (the others still run) or "vm NAME: stopped: REASON". Returns
 * how many VMs did not end with a clean power-off.
 */
unsigned kernel_main(const struct boot_info *info);

#endif
