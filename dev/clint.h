/* SPDX-License-Identifier: MIT */
/*
 * The CLINT (core-local interruptor) of SiFive's cores and of Spike's and QEMU's RISC-V boards:
 * per-hart software-interrupt bits (msip), timer compare registers (mtimecmp) and the shared
 * timer (mtime). The board supplies the timebase and drives each hart's MSIP and MTIP lines
 * through its ops; a timer line is evaluated again whenever mtime or mtimecmp is written and
 * whenever the board calls clint_update (time moves on by itself, registers do not).
 */
#ifndef PV_DEV_CLINT_H
#define PV_DEV_CLINT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/spinlock.h"
#include "mmu/gpa.h"

#define CLINT_SIZE 0x10000u
#define CLINT_MSIP_BASE 0x0000u
#define CLINT_MTIMECMP_BASE 0x4000u
#define CLINT_MTIME 0xbff8u
#define CLINT_MAX_HARTS 64

enum clint_line { CLINT_SOFT, CLINT_TIMER };

struct clint_ops {
	/* Free-running ticks of the board's timebase. */
	uint64_t (*read_timebase)(void *ctx);
	/* Raises or lowers hart's MSIP (CLINT_SOFT) or MTIP (CLINT_TIMER). */
	void (*set_line)(void *ctx, unsigned hart, enum clint_line line, bool level);
};

struct clint {
	const struct clint_ops *ops;
	void *ctx;
	unsigned nharts;
	struct spinlock lock; /* harts on several host threads reach the registers */
	uint64_t mtime_offset; /* mtime = timebase + offset, so a write to mtime moves it */
	uint32_t msip[CLINT_MAX_HARTS];
	uint64_t mtimecmp[CLINT_MAX_HARTS];
};

/*
 * A CLINT for nharts harts (at most CLINT_MAX_HARTS) after reset: msip clear, mtimecmp 0 as in
 * QEMU (so MTIP is pending until software programs the compare register), mtime from the
 * timebase. Returns 0 or -EINVAL.
 */
int clint_init(struct clint *clint, unsigned nharts, const struct clint_ops *ops, void *ctx);

/* mtime now: what the time CSR of the harts reads. */
uint64_t clint_mtime(const struct clint *clint);

/* Drives every hart's MTIP from mtime >= mtimecmp: called as time passes. */
void clint_update(struct clint *clint);

/* The registers, for gpa_add_mmio over CLINT_SIZE bytes with the struct clint as opaque. */
extern const struct mmio_ops clint_mmio_ops;

#endif
