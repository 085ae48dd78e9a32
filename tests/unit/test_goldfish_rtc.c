// SPDX-License-Identifier: MIT
/* dev/goldfish_rtc: the time latch, setting the clock, the alarm and its interrupt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dev/goldfish_rtc.h"
#include "lib/errno.h"
#include "lib/plat.h"

static uint64_t fake_now;

static uint64_t fake_clock(void)
{
	return fake_now;
}

struct line {
	bool level;
	unsigned changes;
};

static void set_level(void *controller, unsigned irq, bool level)
{
	struct line *line = controller;

	assert_int_equal(irq, 11);
	if (line->level != level)
		line->changes++;
	line->level = level;
}

static uint32_t rd(struct goldfish_rtc *rtc, uint64_t offset)
{
	uint64_t value;

	assert_int_equal(goldfish_rtc_mmio_ops.read(rtc, offset, 4, &value), 0);
	return (uint32_t)value;
}

static void wr(struct goldfish_rtc *rtc, uint64_t offset, uint32_t value)
{
	assert_int_equal(goldfish_rtc_mmio_ops.write(rtc, offset, 4, value), 0);
}

static void make_rtc(struct goldfish_rtc *rtc, struct line *line)
{
	struct irq_line irq = { .set_level = set_level, .controller = line, .irq = 11 };

	*line = (struct line){ 0 };
	fake_now = 0x0000000512345678ull;
	assert_int_equal(goldfish_rtc_init(rtc, fake_clock, &irq), 0);
}

static void test_goldfish_rtc_time_low_latches_the_high_half(void **state)
{
	struct goldfish_rtc rtc;
	struct line line;

	make_rtc(&rtc, &line);
	fake_now = 0x00000005fffffff0ull;
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_TIME_LOW), 0xfffffff0u);
	/* The low half carries over before TIME_HIGH is read: the latch keeps the pair whole. */
	fake_now = 0x0000000600000010ull;
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_TIME_HIGH), 5);
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_TIME_LOW), 0x10);
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_TIME_HIGH), 6);
}

static void test_goldfish_rtc_setting_the_time_moves_an_offset(void **state)
{
	struct goldfish_rtc rtc;
	struct line line;

	make_rtc(&rtc, &line);
	wr(&rtc, GOLDFISH_RTC_TIME_HIGH, 0x17);
	wr(&rtc, GOLDFISH_RTC_TIME_LOW, 0x1000);
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_TIME_LOW), 0x1000);
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_TIME_HIGH), 0x17);
	/* The guest's clock then runs with the host's. */
	fake_now += 500;
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_TIME_LOW), 0x1000 + 500);
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_TIME_HIGH), 0x17);
}

static void test_goldfish_rtc_alarm_raises_irq_when_time_passes_it(void **state)
{
	struct goldfish_rtc rtc;
	struct line line;
	uint64_t alarm;

	make_rtc(&rtc, &line);
	alarm = fake_now + 1000;
	wr(&rtc, GOLDFISH_RTC_ALARM_HIGH, (uint32_t)(alarm >> 32));
	wr(&rtc, GOLDFISH_RTC_ALARM_LOW, (uint32_t)alarm);
	wr(&rtc, GOLDFISH_RTC_IRQ_ENABLED, 1);
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_ALARM_STATUS), 1);
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_ALARM_LOW), (uint32_t)alarm);
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_ALARM_HIGH), (uint32_t)(alarm >> 32));
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_IRQ_ENABLED), 1);

	fake_now += 999;
	goldfish_rtc_poll(&rtc);
	assert_false(line.level);
	fake_now += 1;
	goldfish_rtc_poll(&rtc);
	assert_true(line.level);
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_ALARM_STATUS), 0);

	/* The level stays up until the guest clears the interrupt. */
	goldfish_rtc_poll(&rtc);
	assert_true(line.level);
	wr(&rtc, GOLDFISH_RTC_CLEAR_INTERRUPT, 1);
	assert_false(line.level);
	assert_int_equal(line.changes, 2);
}

static void test_goldfish_rtc_alarm_in_the_past_fires_at_once(void **state)
{
	struct goldfish_rtc rtc;
	struct line line;

	make_rtc(&rtc, &line);
	wr(&rtc, GOLDFISH_RTC_IRQ_ENABLED, 1);
	wr(&rtc, GOLDFISH_RTC_ALARM_HIGH, 0);
	wr(&rtc, GOLDFISH_RTC_ALARM_LOW, 1);
	assert_true(line.level);
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_ALARM_STATUS), 0);
}

static void test_goldfish_rtc_masked_or_cleared_alarm_keeps_line_low(void **state)
{
	struct goldfish_rtc rtc;
	struct line line;
	uint64_t alarm;

	make_rtc(&rtc, &line);
	alarm = fake_now + 10;
	wr(&rtc, GOLDFISH_RTC_ALARM_HIGH, (uint32_t)(alarm >> 32));
	wr(&rtc, GOLDFISH_RTC_ALARM_LOW, (uint32_t)alarm);
	fake_now += 10;
	goldfish_rtc_poll(&rtc);
	/* Pending but masked: enabling the interrupt then raises the line. */
	assert_false(line.level);
	wr(&rtc, GOLDFISH_RTC_IRQ_ENABLED, 1);
	assert_true(line.level);
	wr(&rtc, GOLDFISH_RTC_IRQ_ENABLED, 0);
	assert_false(line.level);
	wr(&rtc, GOLDFISH_RTC_CLEAR_INTERRUPT, 1);

	/* A disarmed alarm never fires. */
	wr(&rtc, GOLDFISH_RTC_IRQ_ENABLED, 1);
	alarm = fake_now + 10;
	wr(&rtc, GOLDFISH_RTC_ALARM_LOW, (uint32_t)alarm);
	wr(&rtc, GOLDFISH_RTC_CLEAR_ALARM, 1);
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_ALARM_STATUS), 0);
	fake_now += 100;
	goldfish_rtc_poll(&rtc);
	assert_false(line.level);
}

static void test_goldfish_rtc_refuses_other_widths_and_ignores_unknown_offsets(void **state)
{
	struct goldfish_rtc rtc;
	struct line line;
	uint64_t value = 7;

	make_rtc(&rtc, &line);
	assert_int_equal(goldfish_rtc_mmio_ops.read(&rtc, 0, 8, &value), -EINVAL);
	assert_int_equal(goldfish_rtc_mmio_ops.read(&rtc, 1, 1, &value), -EINVAL);
	assert_int_equal(goldfish_rtc_mmio_ops.write(&rtc, 0, 2, 0), -EINVAL);
	assert_int_equal(rd(&rtc, 0x20), 0);
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_CLEAR_ALARM), 0);
	wr(&rtc, 0x800, 1);
	wr(&rtc, GOLDFISH_RTC_ALARM_STATUS, 1);
	assert_int_equal(rd(&rtc, GOLDFISH_RTC_ALARM_STATUS), 0);
	assert_int_equal(goldfish_rtc_init(&rtc, NULL, NULL), -EINVAL);
}

/* The board's clock: plat_realtime_ns is past 2020 and moves forward. */
static void test_goldfish_rtc_with_plat_realtime_reads_wall_clock(void **state)
{
	struct goldfish_rtc rtc;
	uint64_t first, second;

	assert_int_equal(goldfish_rtc_init(&rtc, plat_realtime_ns, NULL), 0);
	first = rd(&rtc, GOLDFISH_RTC_TIME_LOW);
	first |= (uint64_t)rd(&rtc, GOLDFISH_RTC_TIME_HIGH) << 32;
	second = rd(&rtc, GOLDFISH_RTC_TIME_LOW);
	second |= (uint64_t)rd(&rtc, GOLDFISH_RTC_TIME_HIGH) << 32;
	assert_true(first > 1577836800ull * 1000000000u);
	assert_true(second >= first);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_goldfish_rtc_time_low_latches_the_high_half),
		cmocka_unit_test(test_goldfish_rtc_setting_the_time_moves_an_offset),
		cmocka_unit_test(test_goldfish_rtc_alarm_raises_irq_when_time_passes_it),
		cmocka_unit_test(test_goldfish_rtc_alarm_in_the_past_fires_at_once),
		cmocka_unit_test(test_goldfish_rtc_masked_or_cleared_alarm_keeps_line_low),
		cmocka_unit_test(
			test_goldfish_rtc_refuses_other_widths_and_ignores_unknown_offsets),
		cmocka_unit_test(test_goldfish_rtc_with_plat_realtime_reads_wall_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
