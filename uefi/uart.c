// SPDX-License-Identifier: MIT
/* The polled console UART: line discipline and the choice of driver. */
#include "uefi/uart.h"

#include "lib/fmt.h"

static void uart_putc(const struct uart *uart, char c)
{
	if (uart->type == UART_PL011)
		pl011_putc(uart, c);
	else
		uart16550_putc(uart, c);
}

void uart_write(const struct uart *uart, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			uart_putc(uart, '\r');
		uart_putc(uart, buf[i]);
	}
}

int uart_getc(const struct uart *uart)
{
	return uart->type == UART_PL011 ? pl011_getc(uart) : uart16550_getc(uart);
}

void uart_describe(const struct uart *uart, char *buf, size_t size)
{
	const char *name = uart->type == UART_PL011 ? "PL011" : "16550";

	if (uart->port_io)
		fmt_snprintf(buf, size, "%s at I/O %#lx", name, (unsigned long)uart->base);
	else if (uart->type == UART_16550 && (uart->reg_shift || uart->io_width != 1))
		fmt_snprintf(buf, size, "%s at MMIO %#lx, reg-shift %u, io-width %u", name,
			     (unsigned long)uart->base, uart->reg_shift, uart->io_width);
	else
		fmt_snprintf(buf, size, "%s at MMIO %#lx", name, (unsigned long)uart->base);
}
