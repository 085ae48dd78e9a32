/* SPDX-License-Identifier: MIT */
/*
 * One console shared by the VMs: bare metal's serial line, polyrun's stdio. Each VM's console
 * device attaches a port. While one port is attached the console is simply that VM's. From the
 * second on:
 *   - every line a VM writes starts with "[NAME] " and reaches the console whole (a line left
 *     unfinished for a tenth of a second, such as a prompt, is shown as it is, and ended before
 *     another VM's line), so lines never mix;
 *   - input goes to one VM at a time, the first attached at start: Ctrl-A then a port's number
 *     (1-9, in attach order) moves it, Ctrl-A h lists the keys and VMs, Ctrl-A Ctrl-A sends a
 *     Ctrl-A to the VM.
 * Ports are used from their VMs' threads; the mux takes its own lock.
 */
#ifndef PV_KERNEL_CONSOLE_MUX_H
#define PV_KERNEL_CONSOLE_MUX_H

#include <stddef.h>
#include <stdint.h>

#define CONSOLE_MUX_PORTS 9
#define CONSOLE_MUX_ESCAPE 0x01 /* Ctrl-A */

struct console_port;

/* The port of the VM called name, made on its first attach. Returns 0, -ENOSPC past
 * CONSOLE_MUX_PORTS VMs. */
int console_mux_attach(const char *name, struct console_port **out);
/* Undoes one attach; at the last, input that went to the port goes to the first one left. */
void console_mux_detach(struct console_port *port);

void console_port_write(struct console_port *port, const uint8_t *buf, size_t len);
/* Up to len bytes of the input meant for this port; how many (0 when none waits). */
size_t console_port_read(struct console_port *port, uint8_t *buf, size_t len);

#endif
