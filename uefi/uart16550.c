// SPDX-License-Identifier: MIT
/*
 * The 16550 family, polled: PC COM ports behind x86 I/O ports, and the MMIO
 * variants of other machines, whose registers may be spaced (reg-shift) and accessed wider than a
 * byte (reg-io-width) as the device tree or ACPI SPCR says.
 */
#include "lib/errno.h"
#include "uefi/uart.h"

#if defined(__x86_64__)
#include "arch/x86_64/host/cpu.h"
#endif

#define UART16550_THR 0 /* transmit holding register */
#define UART16550_RBR 0 /* receive buffer register */
#define UART16550_LSR 5 /* line status register */
#define UART16550_LSR_DR 0x01 /* data ready */
#define UART16550_LSR_THRE 0x20 /* transmit holding register empty */

/*
 * How long to wait for the transmitter before dropping a byte: a port that is absent or stuck
 * must slow the console down, not hang the machine.
 */
#define UART16550_TX_SPINS 100000u

static uint8_t uart16550_read(const struct uart *uart, unsigned reg)
{
	uintptr_t addr = uart->base + ((uintptr_t)reg << uart->reg_shift);

#if defined(__x86_64__)
	if (uart->port_io)
		return x86_inb((uint16_t)addr);
#endif
	if (uart->io_width == 4)
		return (uint8_t) * (volatile uint32_t *)addr;
	if (uart->io_width == 2)
		return (uint8_t) * (volatile uint16_t *)addr;
	return *(volatile uint8_t *)addr;
}

static void uart16550_write(const struct uart *uart, unsigned reg, uint8_t value)
{
	uintptr_t addr = uart->base + ((uintptr_t)reg << uart->reg_shift);

#if defined(__x86_64__)
	if (uart->port_io) {
		x86_outb((uint16_t)addr, value);
		return;
	}
#endif
	if (uart->io_width == 4)
		*(volatile uint32_t *)addr = value;
	else if (uart->io_width == 2)
		*(volatile uint16_t *)addr = value;
	else
		*(volatile uint8_t *)addr = value;
}

void uart16550_putc(const struct uart *uart, char c)
{
	for (unsigned spins = 0; spins < UART16550_TX_SPINS; spins++) {
		if (uart16550_read(uart, UART16550_LSR) & UART16550_LSR_THRE) {
			uart16550_write(uart, UART16550_THR, (uint8_t)c);
			return;
		}
	}
}

int uart16550_getc(const struct uart *uart)
{
	if (!(uart16550_read(uart, UART16550_LSR) & UART16550_LSR_DR))
		return -EAGAIN;
	return uart16550_read(uart, UART16550_RBR);
}
