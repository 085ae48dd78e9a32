// SPDX-License-Identifier: MIT
/*
 * The ns16550a's registers (dev/uart16550.h). Reset values follow the datasheet; the modem
 * inputs outside loopback read as a connected terminal (CTS, DSR, DCD asserted), as QEMU's do,
 * so a driver that waits for CTS or carrier proceeds.
 */
#include <stdbool.h>
#include <stdint.h>

#include "dev/uart16550.h"
#include "lib/compiler.h"
#include "lib/errno.h"

#define UART16550_LSR_ERRORS 0x1eu /* OE, PE, FE, BI: cleared by reading LSR */
#define UART16550_MSR_DELTAS 0x0fu /* cleared by reading MSR */
#define UART16550_MSR_CONNECTED (UART16550_MSR_CTS | UART16550_MSR_DSR | UART16550_MSR_DCD)

static bool uart16550_fifo_enabled(const struct uart16550 *uart)
{
	return uart->fcr & UART16550_FCR_ENABLE;
}

/* Without FIFOs the receiver holds one byte (RBR). */
static unsigned uart16550_rx_capacity(const struct uart16550 *uart)
{
	return uart16550_fifo_enabled(uart) ? UART16550_FIFO_SIZE : 1;
}

/* Bytes in the receive FIFO that raise the data interrupt: FCR bits 7:6 pick 1, 4, 8 or 14. */
static unsigned uart16550_rx_trigger(const struct uart16550 *uart)
{
	static const uint8_t levels[4] = { 1, 4, 8, 14 };

	return uart16550_fifo_enabled(uart) ? levels[uart->fcr >> 6] : 1;
}

static bool uart16550_rls_pending(const struct uart16550 *uart)
{
	return uart->lsr & UART16550_LSR_ERRORS;
}

static bool uart16550_rdi_pending(const struct uart16550 *uart)
{
	return uart->rx_count >= uart16550_rx_trigger(uart);
}

static bool uart16550_timeout_pending(const struct uart16550 *uart)
{
	return uart->timeout_pending;
}

static bool uart16550_thri_pending(const struct uart16550 *uart)
{
	return uart->thr_pending;
}

static bool uart16550_msi_pending(const struct uart16550 *uart)
{
	return uart->msr & UART16550_MSR_DELTAS;
}

/* The interrupt sources, highest priority first: IIR names the first one pending and enabled. */
static const struct {
	uint8_t ier;
	uint8_t iir;
	bool (*pending)(const struct uart16550 *uart);
} uart16550_sources[] = {
	{ UART16550_IER_RLSI, UART16550_IIR_RLSI, uart16550_rls_pending },
	{ UART16550_IER_RDI, UART16550_IIR_RDI, uart16550_rdi_pending },
	{ UART16550_IER_RDI, UART16550_IIR_TIMEOUT, uart16550_timeout_pending },
	{ UART16550_IER_THRI, UART16550_IIR_THRI, uart16550_thri_pending },
	{ UART16550_IER_MSI, UART16550_IIR_MSI, uart16550_msi_pending },
};

static uint8_t uart16550_iir(const struct uart16550 *uart)
{
	uint8_t fifos = uart16550_fifo_enabled(uart) ? UART16550_IIR_FIFOS : 0;

	for (unsigned i = 0; i < ARRAY_SIZE(uart16550_sources); i++) {
		if ((uart->ier & uart16550_sources[i].ier) && uart16550_sources[i].pending(uart))
			return fifos | uart16550_sources[i].iir;
	}
	return fifos | UART16550_IIR_NO_INT;
}

/* Drives the line from IIR; the controller only hears about changes. */
static void uart16550_update_irq(struct uart16550 *uart)
{
	bool level = !(uart16550_iir(uart) & UART16550_IIR_NO_INT);

	if (level == uart->irq_level)
		return;
	uart->irq_level = level;
	irq_line_set(&uart->irq, level);
}

static void uart16550_rx_clear(struct uart16550 *uart)
{
	uart->rx_head = 0;
	uart->rx_count = 0;
	uart->lsr &= (uint8_t)~UART16550_LSR_DR;
	uart->timeout_pending = false;
}

/*
 * A byte arriving at the receiver. A full FIFO loses it and flags an overrun; without FIFOs it
 * overwrites RBR, as the 16450 does.
 */
static void uart16550_rx_push(struct uart16550 *uart, uint8_t byte)
{
	unsigned capacity = uart16550_rx_capacity(uart);

	uart->rx_moved = true;
	uart->lsr |= UART16550_LSR_DR;
	if (uart->rx_count == capacity) {
		uart->lsr |= UART16550_LSR_OE;
		if (capacity == 1)
			uart->rx_fifo[uart->rx_head] = byte;
		return;
	}
	uart->rx_fifo[(uart->rx_head + uart->rx_count) % UART16550_FIFO_SIZE] = byte;
	uart->rx_count++;
}

/* The modem inputs: wired back from MCR in loopback, a connected terminal otherwise. */
static void uart16550_update_msr(struct uart16550 *uart)
{
	uint8_t old = uart->msr, lines = UART16550_MSR_CONNECTED, changed, deltas = 0;

	if (uart->mcr & UART16550_MCR_LOOP) {
		lines = 0;
		if (uart->mcr & UART16550_MCR_RTS)
			lines |= UART16550_MSR_CTS;
		if (uart->mcr & UART16550_MCR_DTR)
			lines |= UART16550_MSR_DSR;
		if (uart->mcr & UART16550_MCR_OUT1)
			lines |= UART16550_MSR_RI;
		if (uart->mcr & UART16550_MCR_OUT2)
			lines |= UART16550_MSR_DCD;
	}
	changed = (old ^ lines) & 0xf0u;
	if (changed & UART16550_MSR_CTS)
		deltas |= UART16550_MSR_DCTS;
	if (changed & UART16550_MSR_DSR)
		deltas |= UART16550_MSR_DDSR;
	if (changed & UART16550_MSR_DCD)
		deltas |= UART16550_MSR_DDCD;
	/* TERI reports the trailing edge of ring only: RI going from on to off. */
	if ((changed & UART16550_MSR_RI) && (old & UART16550_MSR_RI))
		deltas |= UART16550_MSR_TERI;
	uart->msr = lines | (old & UART16550_MSR_DELTAS) | deltas;
}

static uint8_t uart16550_read_rbr(struct uart16550 *uart)
{
	uint8_t byte;

	if (uart->lcr & UART16550_LCR_DLAB)
		return uart->dll;
	if (uart->rx_count == 0)
		return 0;
	byte = uart->rx_fifo[uart->rx_head];
	uart->rx_head = (uart->rx_head + 1) % UART16550_FIFO_SIZE;
	uart->rx_count--;
	uart->rx_moved = true;
	uart->timeout_pending = false;
	if (uart->rx_count == 0)
		uart->lsr &= (uint8_t)~UART16550_LSR_DR;
	return byte;
}

static void uart16550_write_thr(struct uart16550 *uart, uint8_t byte)
{
	if (uart->lcr & UART16550_LCR_DLAB) {
		uart->dll = byte;
		return;
	}
	if (uart->mcr & UART16550_MCR_LOOP)
		uart16550_rx_push(uart, byte);
	else if (uart->chardev.write)
		uart->chardev.write(uart->chardev.backend, &byte, 1);
	/* Sent at once: THR is empty again and says so. */
	uart->thr_pending = true;
}

static uint8_t uart16550_read_ier(struct uart16550 *uart)
{
	return (uart->lcr & UART16550_LCR_DLAB) ? uart->dlm : uart->ier;
}

/*
 * Enabling the THR-empty interrupt while THR is empty raises it: Linux starts transmitting that
 * way, and its probe checks that IIR then reports it.
 */
static void uart16550_write_ier(struct uart16550 *uart, uint8_t value)
{
	if (uart->lcr & UART16550_LCR_DLAB) {
		uart->dlm = value;
		return;
	}
	uart->ier = value & 0x0fu;
	if (uart->ier & UART16550_IER_THRI)
		uart->thr_pending = true;
}

/* Reading IIR acknowledges a THR-empty interrupt when that is what it reports. */
static uint8_t uart16550_read_iir(struct uart16550 *uart)
{
	uint8_t iir = uart16550_iir(uart);

	if ((iir & 0x0fu) == UART16550_IIR_THRI)
		uart->thr_pending = false;
	return iir;
}

/*
 * FCR: the other bits only take when FIFO enable is written as 1, and turning the FIFOs on or
 * off empties them. There is no transmit FIFO to clear: bytes leave at once.
 */
static void uart16550_write_fcr(struct uart16550 *uart, uint8_t value)
{
	uint8_t fcr = (value & UART16550_FCR_ENABLE) ? (value & 0xc1u) : 0;

	if (((fcr ^ uart->fcr) & UART16550_FCR_ENABLE) || (value & UART16550_FCR_CLEAR_RX))
		uart16550_rx_clear(uart);
	uart->fcr = fcr;
}

static uint8_t uart16550_read_lcr(struct uart16550 *uart)
{
	return uart->lcr;
}

static void uart16550_write_lcr(struct uart16550 *uart, uint8_t value)
{
	uart->lcr = value;
}

static uint8_t uart16550_read_mcr(struct uart16550 *uart)
{
	return uart->mcr;
}

static void uart16550_write_mcr(struct uart16550 *uart, uint8_t value)
{
	uart->mcr = value & 0x1fu;
	uart16550_update_msr(uart);
}

static uint8_t uart16550_read_lsr(struct uart16550 *uart)
{
	uint8_t lsr = uart->lsr;

	uart->lsr &= (uint8_t)~UART16550_LSR_ERRORS;
	return lsr;
}

static uint8_t uart16550_read_msr(struct uart16550 *uart)
{
	uint8_t msr = uart->msr;

	uart->msr &= (uint8_t)~UART16550_MSR_DELTAS;
	return msr;
}

static uint8_t uart16550_read_scr(struct uart16550 *uart)
{
	return uart->scr;
}

static void uart16550_write_scr(struct uart16550 *uart, uint8_t value)
{
	uart->scr = value;
}

/* The register map; LSR and MSR are read-only (writes are ignored, as on the 16550A). */
static const struct {
	uint8_t (*read)(struct uart16550 *uart);
	void (*write)(struct uart16550 *uart, uint8_t value);
} uart16550_regs[UART16550_NREGS] = {
	[UART16550_RBR] = { uart16550_read_rbr, uart16550_write_thr },
	[UART16550_IER] = { uart16550_read_ier, uart16550_write_ier },
	[UART16550_IIR] = { uart16550_read_iir, uart16550_write_fcr },
	[UART16550_LCR] = { uart16550_read_lcr, uart16550_write_lcr },
	[UART16550_MCR] = { uart16550_read_mcr, uart16550_write_mcr },
	[UART16550_LSR] = { uart16550_read_lsr, NULL },
	[UART16550_MSR] = { uart16550_read_msr, NULL },
	[UART16550_SCR] = { uart16550_read_scr, uart16550_write_scr },
};

int uart16550_init(struct uart16550 *uart, const struct uart16550_config *config,
		   const struct irq_line *irq, const struct chardev *chardev)
{
	unsigned width = config->io_width;

	if (config->reg_shift > 3 || (width != 1 && width != 2 && width != 4 && width != 8) ||
	    width > 1u << config->reg_shift)
		return -EINVAL;
	*uart = (struct uart16550){
		.config = *config,
		.lsr = UART16550_LSR_THRE | UART16550_LSR_TEMT,
		.msr = UART16550_MSR_CONNECTED,
	};
	if (irq)
		uart->irq = *irq;
	if (chardev)
		uart->chardev = *chardev;
	spin_lock_init(&uart->lock);
	return 0;
}

uint64_t uart16550_mmio_size(const struct uart16550 *uart)
{
	return (uint64_t)UART16550_NREGS << uart->config.reg_shift;
}

void uart16550_poll(struct uart16550 *uart)
{
	uint8_t buf[UART16550_FIFO_SIZE];
	size_t room, got;

	spin_lock(&uart->lock);
	/* In loopback the receiver hears only the transmitter, as on the chip. */
	if (!(uart->mcr & UART16550_MCR_LOOP) && uart->chardev.read) {
		room = uart16550_rx_capacity(uart) - uart->rx_count;
		got = room ? uart->chardev.read(uart->chardev.backend, buf, room) : 0;
		for (size_t i = 0; i < got && i < room; i++)
			uart16550_rx_push(uart, buf[i]);
	}
	if (uart16550_fifo_enabled(uart) && uart->rx_count && !uart->rx_moved)
		uart->timeout_pending = true;
	uart->rx_moved = false;
	uart16550_update_irq(uart);
	spin_unlock(&uart->lock);
}

/*
 * The register an access reaches (UART16550_NREGS past the last one): -EINVAL when too wide or
 * not at a register's first byte.
 */
static int uart16550_reg(const struct uart16550 *uart, uint64_t offset, unsigned size,
			 unsigned *reg)
{
	uint64_t index = offset >> uart->config.reg_shift;

	if (size > uart->config.io_width || (offset & ((1ull << uart->config.reg_shift) - 1)))
		return -EINVAL;
	*reg = index < UART16550_NREGS ? (unsigned)index : UART16550_NREGS;
	return 0;
}

static int uart16550_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	struct uart16550 *uart = opaque;
	unsigned reg;
	int err = uart16550_reg(uart, offset, size, &reg);

	*value = 0;
	if (err || reg == UART16550_NREGS)
		return err;
	spin_lock(&uart->lock);
	*value = uart16550_regs[reg].read(uart);
	uart16550_update_irq(uart);
	spin_unlock(&uart->lock);
	return 0;
}

static int uart16550_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	struct uart16550 *uart = opaque;
	unsigned reg;
	int err = uart16550_reg(uart, offset, size, &reg);

	if (err || reg == UART16550_NREGS || !uart16550_regs[reg].write)
		return err;
	spin_lock(&uart->lock);
	uart16550_regs[reg].write(uart, (uint8_t)value);
	uart16550_update_irq(uart);
	spin_unlock(&uart->lock);
	return 0;
}

const struct mmio_ops uart16550_mmio_ops = {
	.read = uart16550_read,
	.write = uart16550_write,
};
