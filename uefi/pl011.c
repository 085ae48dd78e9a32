// SPDX-License-Identifier: MIT
/*
 * Arm PL011 (and the SBSA generic UART, its register subset), polled. Every access
 * is 32 bits wide: the SBSA UART permits nothing else.
 */
#include "lib/errno.h"
#include "uefi/uart.h"

#define PL011_DR 0x00 /* data register */
#define PL011_FR 0x18 /* flag register */
#define PL011_FR_TXFF 0x20 /* transmit FIFO full */
#define PL011_FR_RXFE 0x10 /* receive FIFO empty */

/* See uart16550.c: an absent or stuck port must not hang the machine. */
#define PL011_TX_SPINS 100000u

static volatile uint32_t *pl011_reg(const struct uart *uart, unsigned offset)
{
	return (volatile uint32_t *)(uart->base + offset);
}

void pl011_putc(const struct uart *uart, char c)
{
	for (unsigned spins = 0; spins < PL011_TX_SPINS; spins++) {
		if (!(*pl011_reg(uart, PL011_FR) & PL011_FR_TXFF)) {
			*pl011_reg(uart, PL011_DR) = (uint8_t)c;
			return;
		}
	}
}

int pl011_getc(const struct uart *uart)
{
	if (*pl011_reg(uart, PL011_FR) & PL011_FR_RXFE)
		return -EAGAIN;
	return (int)(*pl011_reg(uart, PL011_DR) & 0xffu);
}
