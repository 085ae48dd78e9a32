/* SPDX-License-Identifier: MIT */
/*
 * Google's goldfish RTC ("google,goldfish-rtc") as QEMU's RISC-V virt board has it: a 64-bit
 * count of nanoseconds since the epoch and one alarm. Linux's rtc-goldfish driver reads
 * TIME_LOW first, which latches the high half for the TIME_HIGH read that follows, so the two
 * halves always belong to one instant. Setting the clock moves an offset over the board's clock,
 * not the host's. The alarm raises the line when the time passes it; the board calls
 * goldfish_rtc_poll as time goes by for that to be seen.
 */
#ifndef PV_DEV_GOLDFISH_RTC_H
#define PV_DEV_GOLDFISH_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/irq.h"
#include "lib/spinlock.h"
#include "mmu/gpa.h"

#define GOLDFISH_RTC_SIZE 0x1000u

/* Register offsets (32-bit registers). */
#define GOLDFISH_RTC_TIME_LOW 0x00u
#define GOLDFISH_RTC_TIME_HIGH 0x04u
#define GOLDFISH_RTC_ALARM_LOW 0x08u
#define GOLDFISH_RTC_ALARM_HIGH 0x0cu
#define GOLDFISH_RTC_IRQ_ENABLED 0x10u
#define GOLDFISH_RTC_CLEAR_ALARM 0x14u
#define GOLDFISH_RTC_ALARM_STATUS 0x18u
#define GOLDFISH_RTC_CLEAR_INTERRUPT 0x1cu

struct goldfish_rtc {
	uint64_t (*clock_ns)(void); /* wall clock, ns since the epoch: plat_realtime_ns */
	struct irq_line irq;
	struct spinlock lock; /* vCPUs on several host threads and the board's poll */
	int64_t offset; /* guest time = clock_ns() + offset: the guest may set its clock */
	uint32_t time_high; /* latched by the last TIME_LOW read */
	uint64_t alarm; /* ALARM_HIGH:ALARM_LOW, compared once ALARM_LOW is written */
	bool alarm_armed; /* what ALARM_STATUS reads */
	bool irq_enabled;
	bool irq_pending; /* the alarm fired and the guest has not cleared it */
};

/*
 * An RTC reading clock_ns (boards pass plat_realtime_ns) and raising irq (copied; may have no
 * set_level) for the alarm. Returns 0, or -EINVAL without a clock.
 */
int goldfish_rtc_init(struct goldfish_rtc *rtc, uint64_t (*clock_ns)(void),
		      const struct irq_line *irq);

/* Fires the alarm when the time has reached it: called by the board as time passes. */
void goldfish_rtc_poll(struct goldfish_rtc *rtc);

/* The registers, for gpa_add_mmio over GOLDFISH_RTC_SIZE bytes with the struct as opaque. */
extern const struct mmio_ops goldfish_rtc_mmio_ops;

#endif
