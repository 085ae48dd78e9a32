/* SPDX-License-Identifier: MIT */
/*
 * The serial port the hypervisor writes its own console to, by polling: before ExitBootServices
 * beside the firmware's console, afterwards alone (and then its input too). The drivers use the
 * port as the firmware set it up (baud rate, framing): it is the firmware's console port too.
 */
#ifndef PV_UEFI_UART_H
#define PV_UEFI_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum uart_type { UART_16550, UART_PL011 };

struct uart {
	enum uart_type type;
	bool port_io; /* 16550 behind x86 I/O ports rather than MMIO */
	uintptr_t base; /* MMIO address or I/O port */
	unsigned reg_shift; /* register n is at base + (n << reg_shift) */
	unsigned io_width; /* bytes per register access: 1, 2 or 4 */
	char origin[80]; /* how it was found, for the log: "ACPI SPCR" */
};

/* Sends len bytes, turning "\n" into "\r\n" as serial terminals expect. */
void uart_write(const struct uart *uart, const char *buf, size_t len);

/* The next received byte, or -EAGAIN when none is waiting. */
int uart_getc(const struct uart *uart);

/* "16550 at I/O 0x3f8", "PL011 at MMIO 0x9000000". */
void uart_describe(const struct uart *uart, char *buf, size_t size);

void uart16550_putc(const struct uart *uart, char c);
void pl011_putc(const struct uart *uart, char c);
int uart16550_getc(const struct uart *uart);
int pl011_getc(const struct uart *uart);

/*
 * The firmware's console UART: the ACPI SPCR table, else the device tree's /chosen/stdout-path,
 * else the ISA's legacy port (COM1 on x86_64). Returns 0 or -ENODEV.
 */
int uart_find(struct uart *out);

#endif
