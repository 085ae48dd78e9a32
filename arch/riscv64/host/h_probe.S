/* SPDX-License-Identifier: MIT */
/*
 * rv_h_probe: returns 1 when hstatus can be read (the hart runs in HS-mode: the H extension is
 * implemented and the firmware left it enabled), 0 when the read raises an illegal-instruction
 * exception. S-mode software cannot read misa, so trying the CSR is the only direct test.
 *
 * For the duration of the read this installs its own trap vector with interrupts off; the vector
 * clears the result register, steps sepc over the faulting instruction and returns. Only a0, a1,
 * t0 and t1 are touched, all caller-saved.
 */
#define CSR_HSTATUS 0x600 /* by number: the assembler accepts the name only with the H extension */
#define SSTATUS_SIE 0x2

	.text
	.globl	rv_h_probe
	.type	rv_h_probe, @function
rv_h_probe:
	csrrci	t1, sstatus, SSTATUS_SIE
	lla	t0, rv_h_probe_trap
	csrrw	t0, stvec, t0
	li	a0, 1
	csrr	a1, CSR_HSTATUS
	csrw	stvec, t0
	andi	t1, t1, SSTATUS_SIE
	csrs	sstatus, t1
	ret
	.size	rv_h_probe, . - rv_h_probe

	/* stvec's direct mode needs a 4-byte aligned vector; csrr is never compressed: 4 bytes. */
	.balign	4
rv_h_probe_trap:
	li	a0, 0
	csrr	a1, sepc
	addi	a1, a1, 4
	csrw	sepc, a1
	sret
	.size	rv_h_probe_trap, . - rv_h_probe_trap
