// SPDX-License-Identifier: MIT
/*
 * The goldfish RTC's registers (dev/goldfish_rtc.h), following QEMU's model: 32-bit accesses
 * only, unknown offsets read as zero and ignore writes. Writing a TIME half replaces that half of
 * the current time; writing ALARM_HIGH only stores it, writing ALARM_LOW arms the alarm (at once
 * firing it when its time has already come), as Linux writes HIGH then LOW.
 */
#include <stdbool.h>
#include <stdint.h>

#include "dev/goldfish_rtc.h"
#include "lib/compiler.h"
#include "lib/errno.h"

int goldfish_rtc_init(struct goldfish_rtc *rtc, uint64_t (*clock_ns)(void),
		      const struct irq_line *irq)
{
	if (!clock_ns)
		return -EINVAL;
	*rtc = (struct goldfish_rtc){ .clock_ns = clock_ns };
	if (irq)
		rtc->irq = *irq;
	spin_lock_init(&rtc->lock);
	return 0;
}

static uint64_t goldfish_rtc_now(const struct goldfish_rtc *rtc)
{
	return rtc->clock_ns() + (uint64_t)rtc->offset;
}

static void goldfish_rtc_update_irq(struct goldfish_rtc *rtc)
{
	irq_line_set(&rtc->irq, rtc->irq_pending && rtc->irq_enabled);
}

/* Fires an armed alarm whose time has come; called with the lock held. */
static void goldfish_rtc_check_alarm(struct goldfish_rtc *rtc)
{
	if (!rtc->alarm_armed || goldfish_rtc_now(rtc) < rtc->alarm)
		return;
	rtc->alarm_armed = false;
	rtc->irq_pending = true;
	goldfish_rtc_update_irq(rtc);
}

void goldfish_rtc_poll(struct goldfish_rtc *rtc)
{
	spin_lock(&rtc->lock);
	goldfish_rtc_check_alarm(rtc);
	spin_unlock(&rtc->lock);
}

/* Moves the guest's clock so that the bits under mask now read as value. */
static void goldfish_rtc_set_time(struct goldfish_rtc *rtc, uint64_t value, uint64_t mask)
{
	uint64_t now = goldfish_rtc_now(rtc);

	rtc->offset += (int64_t)(((now & ~mask) | (value & mask)) - now);
}

static uint32_t goldfish_rtc_read_time_low(struct goldfish_rtc *rtc)
{
	uint64_t now = goldfish_rtc_now(rtc);

	rtc->time_high = (uint32_t)(now >> 32);
	return (uint32_t)now;
}

static uint32_t goldfish_rtc_read_time_high(struct goldfish_rtc *rtc)
{
	return rtc->time_high;
}

static uint32_t goldfish_rtc_read_alarm_low(struct goldfish_rtc *rtc)
{
	return (uint32_t)rtc->alarm;
}

static uint32_t goldfish_rtc_read_alarm_high(struct goldfish_rtc *rtc)
{
	return (uint32_t)(rtc->alarm >> 32);
}

static uint32_t goldfish_rtc_read_irq_enabled(struct goldfish_rtc *rtc)
{
	return rtc->irq_enabled;
}

static uint32_t goldfish_rtc_read_alarm_status(struct goldfish_rtc *rtc)
{
	return rtc->alarm_armed;
}

static void goldfish_rtc_write_time_low(struct goldfish_rtc *rtc, uint32_t value)
{
	goldfish_rtc_set_time(rtc, value, 0xffffffffull);
}

static void goldfish_rtc_write_time_high(struct goldfish_rtc *rtc, uint32_t value)
{
	goldfish_rtc_set_time(rtc, (uint64_t)value << 32, 0xffffffffull << 32);
}

static void goldfish_rtc_write_alarm_low(struct goldfish_rtc *rtc, uint32_t value)
{
	rtc->alarm = (rtc->alarm & (0xffffffffull << 32)) | value;
	rtc->alarm_armed = true;
	goldfish_rtc_check_alarm(rtc);
}

static void goldfish_rtc_write_alarm_high(struct goldfish_rtc *rtc, uint32_t value)
{
	rtc->alarm = (rtc->alarm & 0xffffffffull) | (uint64_t)value << 32;
}

static void goldfish_rtc_write_irq_enabled(struct goldfish_rtc *rtc, uint32_t value)
{
	rtc->irq_enabled = value & 1u;
	goldfish_rtc_update_irq(rtc);
}

/* Disarms the alarm; an interrupt it already raised stays until CLEAR_INTERRUPT. */
static void goldfish_rtc_write_clear_alarm(struct goldfish_rtc *rtc, uint32_t value)
{
	rtc->alarm_armed = false;
}

static void goldfish_rtc_write_clear_interrupt(struct goldfish_rtc *rtc, uint32_t value)
{
	rtc->irq_pending = false;
	goldfish_rtc_update_irq(rtc);
}

/* The register map, one row per 32-bit register; a missing handler reads 0 or ignores writes. */
static const struct {
	uint32_t (*read)(struct goldfish_rtc *rtc);
	void (*write)(struct goldfish_rtc *rtc, uint32_t value);
} goldfish_rtc_regs[] = {
	[GOLDFISH_RTC_TIME_LOW / 4] = { goldfish_rtc_read_time_low, goldfish_rtc_write_time_low },
	[GOLDFISH_RTC_TIME_HIGH / 4] = { goldfish_rtc_read_time_high,
					 goldfish_rtc_write_time_high },
	[GOLDFISH_RTC_ALARM_LOW / 4] = { goldfish_rtc_read_alarm_low,
					 goldfish_rtc_write_alarm_low },
	[GOLDFISH_RTC_ALARM_HIGH / 4] = { goldfish_rtc_read_alarm_high,
					  goldfish_rtc_write_alarm_high },
	[GOLDFISH_RTC_IRQ_ENABLED / 4] = { goldfish_rtc_read_irq_enabled,
					   goldfish_rtc_write_irq_enabled },
	[GOLDFISH_RTC_CLEAR_ALARM / 4] = { NULL, goldfish_rtc_write_clear_alarm },
	[GOLDFISH_RTC_ALARM_STATUS / 4] = { goldfish_rtc_read_alarm_status, NULL },
	[GOLDFISH_RTC_CLEAR_INTERRUPT / 4] = { NULL, goldfish_rtc_write_clear_interrupt },
};

/* The row of a 32-bit access at offset, or -EINVAL for another width (an access fault). */
static int goldfish_rtc_reg(uint64_t offset, unsigned size, unsigned *index)
{
	if (size != 4 || (offset & 3u))
		return -EINVAL;
	*index = (unsigned)(offset / 4);
	return 0;
}

static int goldfish_rtc_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	struct goldfish_rtc *rtc = opaque;
	unsigned index;
	int err = goldfish_rtc_reg(offset, size, &index);

	*value = 0;
	if (err)
		return err;
	if (index >= ARRAY_SIZE(goldfish_rtc_regs) || !goldfish_rtc_regs[index].read)
		return 0;
	spin_lock(&rtc->lock);
	*value = goldfish_rtc_regs[index].read(rtc);
	spin_unlock(&rtc->lock);
	return 0;
}

static int goldfish_rtc_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	struct goldfish_rtc *rtc = opaque;
	unsigned index;
	int err = goldfish_rtc_reg(offset, size, &index);

	if (err)
		return err;
	if (index >= ARRAY_SIZE(goldfish_rtc_regs) || !goldfish_rtc_regs[index].write)
		return 0;
	spin_lock(&rtc->lock);
	goldfish_rtc_regs[index].write(rtc, (uint32_t)value);
	spin_unlock(&rtc->lock);
	return 0;
}

const struct mmio_ops goldfish_rtc_mmio_ops = {
	.read = goldfish_rtc_read,
	.write = goldfish_rtc_write,
};
