/* SPDX-License-Identifier: MIT */
/*
 * The SiFive test finisher of QEMU's RISC-V boards (`sifive_test`, "sifive,test0"): one 32-bit
 * register at offset 0 that a guest writes to end the run. The low 16 bits say what it wants
 * (0x5555 pass/power off, 0x3333 fail, 0x7777 reset), the high 16 bits carry a fail's exit code.
 * Linux's syscon-poweroff and syscon-reboot drivers and OpenSBI's system reset use it. The device
 * only reports the request: the board turns it into VM_EXIT_SHUTDOWN or VM_EXIT_RESET.
 */
#ifndef PV_DEV_SIFIVE_TEST_H
#define PV_DEV_SIFIVE_TEST_H

#include "mmu/gpa.h"

#define SIFIVE_TEST_SIZE 0x1000u

#define SIFIVE_TEST_FAIL_CODE 0x3333u
#define SIFIVE_TEST_PASS_CODE 0x5555u
#define SIFIVE_TEST_RESET_CODE 0x7777u

enum sifive_test_request { SIFIVE_TEST_POWEROFF, SIFIVE_TEST_FAIL, SIFIVE_TEST_RESET };

/* code is the exit status the guest asked for: 0 for POWEROFF and RESET. */
typedef void (*sifive_test_report_fn)(void *ctx, enum sifive_test_request request, unsigned code);

struct sifive_test {
	sifive_test_report_fn report;
	void *ctx;
};

/* A finisher that calls report(ctx, ...) on each request. Returns 0, or -EINVAL without report. */
int sifive_test_init(struct sifive_test *test, sifive_test_report_fn report, void *ctx);

/*
 * The register, for gpa_add_mmio over SIFIVE_TEST_SIZE bytes with the struct sifive_test as
 * opaque. Reads return 0 and other values are ignored, as in QEMU.
 */
extern const struct mmio_ops sifive_test_mmio_ops;

#endif
