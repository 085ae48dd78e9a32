/* SPDX-License-Identifier: MIT */
/*
 * The SiFive PLIC (platform-level interrupt controller, "riscv,plic0") as QEMU's RISC-V virt
 * board lays it out: a 32-bit priority per source, pending bits, per-context enable bits, and per
 * context a priority threshold and the claim/complete register. Each hart has two contexts,
 * M mode (2 * hart) and S mode (2 * hart + 1), whose outputs are the hart's MEIP and SEIP.
 *
 * Sources are level-triggered (kernel/irq.h): the gateway turns a high level into a pending bit
 * unless the source is already claimed and not yet completed; a completion with the level still
 * high makes it pending again. A context's output is high while some pending, enabled source has
 * a priority above its threshold. Outputs reach the board through plic_ops, called with no lock
 * held, on whatever thread changed them.
 */
#ifndef PV_DEV_PLIC_H
#define PV_DEV_PLIC_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/irq.h"
#include "lib/spinlock.h"
#include "mmu/gpa.h"

/* QEMU's virt: 95 sources (1..95; 0 means none), up to 8 harts in a 0x600000 window. */
#define PLIC_SOURCES 96u
#define PLIC_MAX_HARTS 8u
#define PLIC_MAX_CONTEXTS (2u * PLIC_MAX_HARTS)
#define PLIC_SIZE 0x600000u
#define PLIC_WORDS ((PLIC_SOURCES + 31u) / 32u)

/* Register offsets (PLIC specification, "Memory Map"). */
#define PLIC_PRIORITY_BASE 0x0u
#define PLIC_PENDING_BASE 0x1000u
#define PLIC_ENABLE_BASE 0x2000u
#define PLIC_ENABLE_STRIDE 0x80u
#define PLIC_CONTEXT_BASE 0x200000u
#define PLIC_CONTEXT_STRIDE 0x1000u
#define PLIC_THRESHOLD 0x0u
#define PLIC_CLAIM 0x4u
/* Priorities are 0 (never interrupts) to 7, as QEMU's virt has them. */
#define PLIC_PRIORITY_MAX 7u

enum plic_mode { PLIC_MODE_M, PLIC_MODE_S };

struct plic_ops {
	/* Raises or lowers hart's MEIP (PLIC_MODE_M) or SEIP (PLIC_MODE_S). */
	void (*set_line)(void *ctx, unsigned hart, enum plic_mode mode, bool level);
};

struct plic {
	const struct plic_ops *ops;
	void *ctx;
	unsigned nharts;
	struct spinlock lock; /* sources and vCPUs on several host threads */
	uint32_t priority[PLIC_SOURCES];
	uint32_t level[PLIC_WORDS]; /* the lines as the devices drive them */
	uint32_t pending[PLIC_WORDS];
	uint32_t claimed[PLIC_WORDS]; /* claimed and not yet completed */
	uint32_t enable[PLIC_MAX_CONTEXTS][PLIC_WORDS];
	uint32_t threshold[PLIC_MAX_CONTEXTS];
	bool output[PLIC_MAX_CONTEXTS]; /* the level last driven to each context's hart line */
};

/* A PLIC for nharts harts (1..PLIC_MAX_HARTS) after reset: everything 0. Returns 0 or -EINVAL. */
int plic_init(struct plic *plic, unsigned nharts, const struct plic_ops *ops, void *ctx);

/* The line of source irq (1..PLIC_SOURCES-1), for struct irq_line with the struct plic. */
void plic_set_level(void *plic, unsigned irq, bool level);

/* The registers, for gpa_add_mmio over PLIC_SIZE bytes with the struct plic as opaque. */
extern const struct mmio_ops plic_mmio_ops;

#endif
