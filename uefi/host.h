/* SPDX-License-Identifier: MIT */
/*
 * What each arch/<isa>/host provides to the shared bare-metal code in uefi/. Every host ISA
 * implements the same functions in files of the same names (cpu.c, virt_probe.c), so a reader who
 * knows one ISA's file knows where to look in the others.
 */
#ifndef PV_UEFI_HOST_H
#define PV_UEFI_HOST_H

#include <stddef.h>
#include <stdint.h>

/* The ISA's name as configurations and logs spell it: "x86_64", "aarch64", "riscv64". */
extern const char host_isa_name[];

/* A free-running counter that every CPU reads at the same rate (TSC, CNTVCT_EL0, time). */
uint64_t host_counter_read(void);

/* The counter's rate when the machine states it, or 0 when it must be measured. */
uint64_t host_counter_hz(void);

/*
 * Masks this CPU's interrupts: after ExitBootServices the firmware's handlers are no longer
 * ours to run, and the hypervisor polls until it installs its own.
 */
void host_interrupts_off(void);

/*
 * Powers the machine off without the firmware, for when its ResetSystem returned (a runtime
 * service some firmware drops at ExitBootServices); returns only where the ISA has no such way.
 */
void host_power_off(int status);

/*
 * Whether this CPU can run guests in hardware, and why or why not, for the banner:
 * "SVM usable (NPT yes)", "EL2 not usable (entered at EL1)". Always "<extension> usable (...)",
 * "<extension> not usable (...)" or "none (...)".
 */
void host_virt_describe(char *buf, size_t size);

#endif
