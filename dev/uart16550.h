/* SPDX-License-Identifier: MIT */
/*
 * The ns16550a UART as Linux's 8250 driver, OpenSBI and U-Boot drive it: eight byte-wide
 * registers (RBR/THR, IER, IIR/FCR, LCR, MCR, LSR, MSR, SCR; DLL/DLM behind LCR's DLAB), 16-byte
 * FIFOs, loopback, and an interrupt line carrying the 16550's prioritised sources (line status,
 * received data, character timeout, THR empty, modem status).
 *
 * Transmission is instant: a byte written to THR goes straight to the chardev (or, in loopback,
 * to the receive FIFO), so THR and the transmitter always read empty. Input is pulled from the
 * chardev when the board calls uart16550_poll, as much as the receive FIFO has room for; the same
 * poll stands in for the character-timeout timer: bytes left below the FIFO's trigger level with
 * nothing moving in or out since the previous poll raise the timeout interrupt, which is how
 * Linux learns of a few typed characters.
 */
#ifndef PV_DEV_UART16550_H
#define PV_DEV_UART16550_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/chardev.h"
#include "kernel/irq.h"
#include "lib/spinlock.h"
#include "mmu/gpa.h"

#define UART16550_NREGS 8u
#define UART16550_FIFO_SIZE 16u

/* Register numbers: the offset is the number shifted left by reg_shift. */
#define UART16550_RBR 0u /* read; THR on write; DLL with LCR.DLAB */
#define UART16550_IER 1u /* DLM with LCR.DLAB */
#define UART16550_IIR 2u /* read; FCR on write */
#define UART16550_LCR 3u
#define UART16550_MCR 4u
#define UART16550_LSR 5u
#define UART16550_MSR 6u
#define UART16550_SCR 7u

#define UART16550_IER_RDI 0x01u /* received data available (and character timeout) */
#define UART16550_IER_THRI 0x02u /* transmitter holding register empty */
#define UART16550_IER_RLSI 0x04u /* receiver line status */
#define UART16550_IER_MSI 0x08u /* modem status */

#define UART16550_IIR_NO_INT 0x01u
#define UART16550_IIR_MSI 0x00u
#define UART16550_IIR_THRI 0x02u
#define UART16550_IIR_RDI 0x04u
#define UART16550_IIR_RLSI 0x06u
#define UART16550_IIR_TIMEOUT 0x0cu
#define UART16550_IIR_FIFOS 0xc0u /* both bits set while the FIFOs are enabled */

#define UART16550_FCR_ENABLE 0x01u
#define UART16550_FCR_CLEAR_RX 0x02u
#define UART16550_FCR_CLEAR_TX 0x04u

#define UART16550_LCR_DLAB 0x80u

#define UART16550_MCR_DTR 0x01u
#define UART16550_MCR_RTS 0x02u
#define UART16550_MCR_OUT1 0x04u
#define UART16550_MCR_OUT2 0x08u
#define UART16550_MCR_LOOP 0x10u

#define UART16550_LSR_DR 0x01u
#define UART16550_LSR_OE 0x02u
#define UART16550_LSR_THRE 0x20u
#define UART16550_LSR_TEMT 0x40u

#define UART16550_MSR_DCTS 0x01u
#define UART16550_MSR_DDSR 0x02u
#define UART16550_MSR_TERI 0x04u
#define UART16550_MSR_DDCD 0x08u
#define UART16550_MSR_CTS 0x10u
#define UART16550_MSR_DSR 0x20u
#define UART16550_MSR_RI 0x40u
#define UART16550_MSR_DCD 0x80u

struct uart16550_config {
	/* Register n sits at offset n << reg_shift: 0 on QEMU's virt, 2 on many SoCs. */
	unsigned reg_shift;
	/* The widest access in bytes (the DT's reg-io-width): 1 on virt, 4 with 32-bit buses. */
	unsigned io_width;
};

struct uart16550 {
	struct uart16550_config config;
	struct irq_line irq;
	struct chardev chardev;
	struct spinlock lock; /* vCPUs on several host threads and the board's poll */
	uint8_t ier, lcr, mcr, lsr, msr, scr, dll, dlm;
	uint8_t fcr; /* FIFO enable and trigger level: FCR is write-only */
	uint8_t rx_fifo[UART16550_FIFO_SIZE];
	unsigned rx_head, rx_count;
	bool thr_pending; /* THR-empty interrupt: until IIR reports it or THR is written */
	bool timeout_pending; /* character timeout: until RBR is read */
	bool rx_moved; /* a byte entered or left the receive FIFO since the previous poll */
	bool irq_level;
};

/*
 * A UART after reset, wired to irq and chardev (both copied; either may be NULL: no interrupt,
 * or output dropped and no input). Returns 0, or -EINVAL for io_width not 1, 2, 4 or 8, wider
 * than the register stride (1 << reg_shift), or a reg_shift above 3.
 */
int uart16550_init(struct uart16550 *uart, const struct uart16550_config *config,
		   const struct irq_line *irq, const struct chardev *chardev);

/* Bytes of register space: what gpa_add_mmio maps (8 << reg_shift). */
uint64_t uart16550_mmio_size(const struct uart16550 *uart);

/* Pulls waiting input into the receive FIFO and runs the character timeout: called as time passes. */
void uart16550_poll(struct uart16550 *uart);

/*
 * The registers, for gpa_add_mmio with the struct uart16550 as opaque. An access wider than
 * io_width or not at a register's offset is refused (-EINVAL: an access fault); offsets past the
 * eighth register read as zero and ignore writes.
 */
extern const struct mmio_ops uart16550_mmio_ops;

#endif
