// SPDX-License-Identifier: MIT
/*
 * dev/uart16550: the registers as Linux's 8250 driver probes and runs them (scratch, loopback,
 * FIFO detection, divisor latch, THR-empty and receive interrupts), reaching a chardev.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dev/uart16550.h"
#include "lib/errno.h"

struct backend {
	uint8_t out[64];
	size_t nout;
	uint8_t in[64];
	size_t nin, in_pos;
	bool level;
	unsigned edges; /* times the line went up */
};

static void backend_write(void *ctx, const uint8_t *buf, size_t len)
{
	struct backend *b = ctx;

	assert_true(b->nout + len <= sizeof(b->out));
	memcpy(b->out + b->nout, buf, len);
	b->nout += len;
}

static size_t backend_read(void *ctx, uint8_t *buf, size_t len)
{
	struct backend *b = ctx;
	size_t n = b->nin - b->in_pos < len ? b->nin - b->in_pos : len;

	memcpy(buf, b->in + b->in_pos, n);
	b->in_pos += n;
	return n;
}

static void set_level(void *controller, unsigned irq, bool level)
{
	struct backend *b = controller;

	assert_int_equal(irq, 10);
	if (level && !b->level)
		b->edges++;
	b->level = level;
}

static void give_input(struct backend *b, const char *text)
{
	size_t len = strlen(text);

	memcpy(b->in + b->nin, text, len);
	b->nin += len;
}

static void make_uart(struct uart16550 *uart, struct backend *b, unsigned shift, unsigned width)
{
	struct uart16550_config config = { .reg_shift = shift, .io_width = width };
	struct irq_line irq = { .set_level = set_level, .controller = b, .irq = 10 };
	struct chardev chardev = { .write = backend_write, .read = backend_read, .backend = b };

	memset(b, 0, sizeof(*b));
	assert_int_equal(uart16550_init(uart, &config, &irq, &chardev), 0);
}

static uint8_t in8(struct uart16550 *uart, unsigned reg)
{
	uint64_t value;

	assert_int_equal(uart16550_mmio_ops.read(uart, reg << uart->config.reg_shift, 1, &value),
			 0);
	return (uint8_t)value;
}

static void out8(struct uart16550 *uart, unsigned reg, uint8_t value)
{
	assert_int_equal(uart16550_mmio_ops.write(uart, reg << uart->config.reg_shift, 1, value),
			 0);
}

static void test_uart16550_reset_state_reads_idle(void **state)
{
	struct uart16550 uart;
	struct backend b;

	make_uart(&uart, &b, 0, 1);
	assert_int_equal(uart16550_mmio_size(&uart), 8);
	assert_int_equal(in8(&uart, UART16550_IER), 0);
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_NO_INT);
	assert_int_equal(in8(&uart, UART16550_LSR), UART16550_LSR_THRE | UART16550_LSR_TEMT);
	assert_int_equal(in8(&uart, UART16550_MSR),
			 UART16550_MSR_CTS | UART16550_MSR_DSR | UART16550_MSR_DCD);
	assert_false(b.level);
}

/* serial8250's autoconfig: IER keeps only its four bits, SCR keeps everything. */
static void test_uart16550_scratch_and_ier_tests_pass(void **state)
{
	struct uart16550 uart;
	struct backend b;

	make_uart(&uart, &b, 0, 1);
	out8(&uart, UART16550_IER, 0);
	assert_int_equal(in8(&uart, UART16550_IER), 0);
	out8(&uart, UART16550_IER, 0xff);
	assert_int_equal(in8(&uart, UART16550_IER), 0x0f);
	out8(&uart, UART16550_IER, 0);
	out8(&uart, UART16550_SCR, 0xa5);
	assert_int_equal(in8(&uart, UART16550_SCR), 0xa5);
	out8(&uart, UART16550_SCR, 0x5a);
	assert_int_equal(in8(&uart, UART16550_SCR), 0x5a);
}

static void test_uart16550_loopback_wires_mcr_to_msr_and_thr_to_rbr(void **state)
{
	struct uart16550 uart;
	struct backend b;

	make_uart(&uart, &b, 0, 1);
	/* Linux's probe: LOOP | OUT2 | RTS must read back as DCD | CTS. */
	out8(&uart, UART16550_MCR, UART16550_MCR_LOOP | UART16550_MCR_OUT2 | UART16550_MCR_RTS);
	assert_int_equal(in8(&uart, UART16550_MSR) & 0xf0, UART16550_MSR_DCD | UART16550_MSR_CTS);
	out8(&uart, UART16550_MCR, UART16550_MCR_LOOP | UART16550_MCR_DTR | UART16550_MCR_OUT1);
	assert_int_equal(in8(&uart, UART16550_MSR),
			 UART16550_MSR_DSR | UART16550_MSR_RI | UART16550_MSR_DCTS |
				 UART16550_MSR_DDSR | UART16550_MSR_DDCD);
	/* Reading MSR cleared the deltas; RI falling sets TERI. */
	out8(&uart, UART16550_MCR, UART16550_MCR_LOOP | UART16550_MCR_DTR);
	assert_int_equal(in8(&uart, UART16550_MSR), UART16550_MSR_DSR | UART16550_MSR_TERI);
	assert_int_equal(in8(&uart, UART16550_MSR), UART16550_MSR_DSR);

	out8(&uart, UART16550_RBR, 'x');
	assert_int_equal(b.nout, 0);
	assert_true(in8(&uart, UART16550_LSR) & UART16550_LSR_DR);
	assert_int_equal(in8(&uart, UART16550_RBR), 'x');
	assert_false(in8(&uart, UART16550_LSR) & UART16550_LSR_DR);
	/* Input waiting outside is not heard in loopback. */
	give_input(&b, "q");
	uart16550_poll(&uart);
	assert_false(in8(&uart, UART16550_LSR) & UART16550_LSR_DR);
	out8(&uart, UART16550_MCR, 0);
	out8(&uart, UART16550_RBR, 'y');
	assert_int_equal(b.nout, 1);
	assert_int_equal(b.out[0], 'y');
}

static void test_uart16550_dlab_switches_to_divisor_latches(void **state)
{
	struct uart16550 uart;
	struct backend b;

	make_uart(&uart, &b, 0, 1);
	out8(&uart, UART16550_IER, UART16550_IER_RDI);
	out8(&uart, UART16550_LCR, UART16550_LCR_DLAB | 0x03);
	out8(&uart, UART16550_RBR, 0x01);
	out8(&uart, UART16550_IER, 0x02);
	assert_int_equal(in8(&uart, UART16550_RBR), 0x01);
	assert_int_equal(in8(&uart, UART16550_IER), 0x02);
	assert_int_equal(in8(&uart, UART16550_LCR), UART16550_LCR_DLAB | 0x03);
	assert_int_equal(b.nout, 0);
	out8(&uart, UART16550_LCR, 0x03);
	assert_int_equal(in8(&uart, UART16550_IER), UART16550_IER_RDI);
	out8(&uart, UART16550_RBR, 'a');
	assert_int_equal(b.nout, 1);
}

/* Linux's FIFO detection: IIR's top bits read 11 once FCR enables the FIFOs, 00 after. */
static void test_uart16550_fifo_enable_shows_in_iir(void **state)
{
	struct uart16550 uart;
	struct backend b;

	make_uart(&uart, &b, 0, 1);
	out8(&uart, UART16550_IIR, UART16550_FCR_ENABLE);
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_FIFOS | UART16550_IIR_NO_INT);
	/* The 16750's 64-byte bit is not there: a 16550A. */
	out8(&uart, UART16550_IIR, UART16550_FCR_ENABLE | 0x20);
	assert_int_equal(in8(&uart, UART16550_IIR) & 0xe0, UART16550_IIR_FIFOS);
	out8(&uart, UART16550_IIR, 0);
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_NO_INT);
}

static void test_uart16550_thr_empty_interrupt_raised_and_cleared_by_iir_read(void **state)
{
	struct uart16550 uart;
	struct backend b;

	make_uart(&uart, &b, 0, 1);
	out8(&uart, UART16550_IER, UART16550_IER_THRI);
	assert_true(b.level);
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_THRI);
	assert_false(b.level);
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_NO_INT);
	/* Linux's startup test: re-enabling the interrupt raises it again. */
	out8(&uart, UART16550_IER, 0);
	out8(&uart, UART16550_IER, UART16550_IER_THRI);
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_THRI);
	/* Each byte sent empties THR again, which interrupts again. */
	out8(&uart, UART16550_RBR, 'h');
	assert_true(b.level);
	assert_int_equal(b.edges, 3);
	out8(&uart, UART16550_IER, 0);
	assert_false(b.level);
	assert_int_equal(b.nout, 1);
}

static void test_uart16550_rx_interrupt_on_poll_with_input(void **state)
{
	struct uart16550 uart;
	struct backend b;

	make_uart(&uart, &b, 0, 1);
	out8(&uart, UART16550_IER, UART16550_IER_RDI);
	uart16550_poll(&uart);
	assert_false(b.level);
	give_input(&b, "ab");
	/* Without FIFOs the receiver holds one byte; the other waits in the backend. */
	uart16550_poll(&uart);
	assert_true(b.level);
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_RDI);
	assert_int_equal(in8(&uart, UART16550_LSR),
			 UART16550_LSR_THRE | UART16550_LSR_TEMT | UART16550_LSR_DR);
	assert_int_equal(in8(&uart, UART16550_RBR), 'a');
	assert_false(b.level);
	uart16550_poll(&uart);
	assert_int_equal(in8(&uart, UART16550_RBR), 'b');
	assert_false(b.level);
	assert_int_equal(in8(&uart, UART16550_LSR), UART16550_LSR_THRE | UART16550_LSR_TEMT);
}

static void test_uart16550_fifo_trigger_level_and_character_timeout(void **state)
{
	struct uart16550 uart;
	struct backend b;

	make_uart(&uart, &b, 0, 1);
	/* Linux's setting for a 16550A: FIFOs on, receive trigger at 8 bytes. */
	out8(&uart, UART16550_IIR, UART16550_FCR_ENABLE | UART16550_FCR_CLEAR_RX | 0x80);
	out8(&uart, UART16550_IER, UART16550_IER_RDI);
	give_input(&b, "hi");
	uart16550_poll(&uart);
	assert_false(b.level);
	/* Nothing moved since: the timeout reports the two bytes below the trigger. */
	uart16550_poll(&uart);
	assert_true(b.level);
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_FIFOS | UART16550_IIR_TIMEOUT);
	assert_int_equal(in8(&uart, UART16550_RBR), 'h');
	assert_false(b.level);
	assert_int_equal(in8(&uart, UART16550_RBR), 'i');

	give_input(&b, "0123456789abcdefXYZ");
	uart16550_poll(&uart);
	assert_true(b.level);
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_FIFOS | UART16550_IIR_RDI);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(in8(&uart, UART16550_RBR), "0123456789abcdef"[i]);
	assert_false(b.level);
	uart16550_poll(&uart);
	assert_int_equal(in8(&uart, UART16550_RBR), 'X');
	/* FCR can empty the receive FIFO. */
	out8(&uart, UART16550_IIR, UART16550_FCR_ENABLE | UART16550_FCR_CLEAR_RX);
	assert_false(in8(&uart, UART16550_LSR) & UART16550_LSR_DR);
}

static void test_uart16550_overrun_sets_oe_and_line_status_interrupt(void **state)
{
	struct uart16550 uart;
	struct backend b;

	make_uart(&uart, &b, 0, 1);
	out8(&uart, UART16550_IIR, UART16550_FCR_ENABLE);
	out8(&uart, UART16550_IER, UART16550_IER_RLSI | UART16550_IER_RDI);
	out8(&uart, UART16550_MCR, UART16550_MCR_LOOP);
	for (unsigned i = 0; i < 17; i++)
		out8(&uart, UART16550_RBR, (uint8_t)('A' + i));
	/* Line status outranks received data. */
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_FIFOS | UART16550_IIR_RLSI);
	assert_int_equal(in8(&uart, UART16550_LSR) & (UART16550_LSR_OE | UART16550_LSR_DR),
			 UART16550_LSR_OE | UART16550_LSR_DR);
	assert_int_equal(in8(&uart, UART16550_LSR) & UART16550_LSR_OE, 0);
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_FIFOS | UART16550_IIR_RDI);
	/* The sixteen that fit are kept, the seventeenth was lost. */
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(in8(&uart, UART16550_RBR), 'A' + i);
	assert_false(in8(&uart, UART16550_LSR) & UART16550_LSR_DR);
	assert_false(b.level);
}

static void test_uart16550_modem_status_interrupt_has_lowest_priority(void **state)
{
	struct uart16550 uart;
	struct backend b;

	make_uart(&uart, &b, 0, 1);
	out8(&uart, UART16550_IER, UART16550_IER_MSI | UART16550_IER_THRI);
	out8(&uart, UART16550_MCR, UART16550_MCR_LOOP);
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_THRI);
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_MSI);
	assert_true(b.level);
	in8(&uart, UART16550_MSR);
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_NO_INT);
	assert_false(b.level);
}

static void test_uart16550_reg_shift_and_width(void **state)
{
	struct uart16550_config bad = { .reg_shift = 0, .io_width = 4 };
	struct uart16550 uart;
	struct backend b;
	uint64_t value;

	make_uart(&uart, &b, 2, 4);
	assert_int_equal(uart16550_mmio_size(&uart), 32);
	assert_int_equal(uart16550_mmio_ops.write(&uart, UART16550_SCR << 2, 4, 0x1234577), 0);
	assert_int_equal(uart16550_mmio_ops.read(&uart, UART16550_SCR << 2, 4, &value), 0);
	assert_int_equal(value, 0x77);
	assert_int_equal(uart16550_mmio_ops.read(&uart, UART16550_SCR << 2, 1, &value), 0);
	assert_int_equal(value, 0x77);
	assert_int_equal(uart16550_mmio_ops.read(&uart, (UART16550_SCR << 2) + 1, 1, &value),
			 -EINVAL);
	assert_int_equal(uart16550_mmio_ops.read(&uart, 0, 8, &value), -EINVAL);
	/* Past the registers: reads zero, writes ignored. */
	assert_int_equal(uart16550_mmio_ops.read(&uart, 0x40, 4, &value), 0);
	assert_int_equal(value, 0);
	assert_int_equal(uart16550_mmio_ops.write(&uart, 0x40, 4, 1), 0);

	make_uart(&uart, &b, 0, 1);
	assert_int_equal(uart16550_mmio_ops.read(&uart, 0, 4, &value), -EINVAL);
	assert_int_equal(uart16550_init(&uart, &bad, NULL, NULL), -EINVAL);
	bad = (struct uart16550_config){ .reg_shift = 2, .io_width = 3 };
	assert_int_equal(uart16550_init(&uart, &bad, NULL, NULL), -EINVAL);
	bad = (struct uart16550_config){ .reg_shift = 4, .io_width = 1 };
	assert_int_equal(uart16550_init(&uart, &bad, NULL, NULL), -EINVAL);
}

/* A UART with no line and no backend still works: output is dropped, nothing arrives. */
static void test_uart16550_without_irq_or_chardev(void **state)
{
	struct uart16550_config config = { .reg_shift = 0, .io_width = 1 };
	struct uart16550 uart;

	assert_int_equal(uart16550_init(&uart, &config, NULL, NULL), 0);
	out8(&uart, UART16550_IER, UART16550_IER_THRI | UART16550_IER_RDI);
	out8(&uart, UART16550_RBR, 'z');
	uart16550_poll(&uart);
	assert_int_equal(in8(&uart, UART16550_IIR), UART16550_IIR_THRI);
	assert_int_equal(in8(&uart, UART16550_LSR), UART16550_LSR_THRE | UART16550_LSR_TEMT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uart16550_reset_state_reads_idle),
		cmocka_unit_test(test_uart16550_scratch_and_ier_tests_pass),
		cmocka_unit_test(test_uart16550_loopback_wires_mcr_to_msr_and_thr_to_rbr),
		cmocka_unit_test(test_uart16550_dlab_switches_to_divisor_latches),
		cmocka_unit_test(test_uart16550_fifo_enable_shows_in_iir),
		cmocka_unit_test(test_uart16550_thr_empty_interrupt_raised_and_cleared_by_iir_read),
		cmocka_unit_test(test_uart16550_rx_interrupt_on_poll_with_input),
		cmocka_unit_test(test_uart16550_fifo_trigger_level_and_character_timeout),
		cmocka_unit_test(test_uart16550_overrun_sets_oe_and_line_status_interrupt),
		cmocka_unit_test(test_uart16550_modem_status_interrupt_has_lowest_priority),
		cmocka_unit_test(test_uart16550_reg_shift_and_width),
		cmocka_unit_test(test_uart16550_without_irq_or_chardev),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
