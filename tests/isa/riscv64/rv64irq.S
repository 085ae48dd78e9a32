/* Interrupts into M-mode: machine software (CLINT msip), machine timer (CLINT mtimecmp against
 * mtime), supervisor software and timer raised by M writing mip; mcause with the interrupt bit,
 * mepc at the interrupted instruction; priority MSI over MTI and SSI over STI when both are
 * pending; M interrupts taken in U and S whatever mstatus.MIE says, and not taken in M while
 * MIE is clear.
 * The runtime's handler masks mie when it takes an interrupt, so a level that stays pending
 * fires once; its mret sets MIE again (from MPIE), so each test clears MIE before arming.
 * QEMU's spike CLINT resets mtimecmp to 0: MTIP is pending from the start until it is written. */
#include "test.h"

#define CLINT_MSIP 0x2000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME 0x200bff8

	/* Waits until the M trap count moves past s3 (or fails after a bound); mstatus.MIE is set
	 * on entry and on exit. wfi lets QEMU deliver the timer promptly: a plain loop can run for
	 * milliseconds before it does. The check and the wfi run with MIE clear (wfi still wakes on
	 * the pending interrupt), so that an interrupt taken between them cannot leave wfi waiting
	 * for one that never comes. */
	.macro WAIT_TRAP
	li t1, 10000000
1:	csrci mstatus, MSTATUS_MIE
	TRAP_FIELD t0, TR_M_COUNT
	bne t0, s3, 2f
	wfi
	csrsi mstatus, MSTATUS_MIE
	addi t1, t1, -1
	bnez t1, 1b
	j fail
2:	csrsi mstatus, MSTATUS_MIE
	.endm

	.text
	.globl test_main
test_main:
	li s2, CLINT_MSIP
	/* Pending but disabled in mie: nothing happens. */
	TEST 1
	TRAP_FIELD s3, TR_M_COUNT
	li a0, 1
	sw a0, 0(s2)
	csrsi mstatus, MSTATUS_MIE
	nop
	nop
	TRAP_FIELD a0, TR_M_COUNT
	CHECKR a0, s3
	csrr a0, mip
	andi a0, a0, 1 << IRQ_M_SOFT
	beqz a0, fail
	/* Enabled: taken at once, mepc is the next instruction to run. */
	TEST 2
	li a0, 1 << IRQ_M_SOFT
	csrw mie, a0
irq_here:
	nop
	WAIT_TRAP
	CHECK_MTRAP IRQ_BIT | IRQ_M_SOFT
	TRAP_FIELD a0, TR_M_EPC
	la a1, irq_here
	CHECKR a0, a1
	TEST 3
	sw zero, 0(s2)
	csrr a0, mip
	andi a0, a0, 1 << IRQ_M_SOFT
	bnez a0, fail
	/* MIE clear: an enabled pending interrupt waits in M... */
	TEST 4
	csrci mstatus, MSTATUS_MIE
	TRAP_FIELD s3, TR_M_COUNT
	li a0, 1
	sw a0, 0(s2)
	li a0, 1 << IRQ_M_SOFT
	csrw mie, a0
	nop
	TRAP_FIELD a0, TR_M_COUNT
	CHECKR a0, s3
	/* ...but is taken as soon as the hart is in U (and S). */
	RUN_IN PRV_U, spin
	CHECK_MTRAP_NUM 5, IRQ_BIT | IRQ_M_SOFT
	TRAP_FIELD a0, TR_M_PREV
	CHECK a0, PRV_U
	/* The handler's mret back to M set MIE again (from MPIE): clear it first. */
	csrci mstatus, MSTATUS_MIE
	li a0, 1 << IRQ_M_SOFT
	csrw mie, a0
	RUN_IN PRV_S, spin
	CHECK_MTRAP_NUM 6, IRQ_BIT | IRQ_M_SOFT
	sw zero, 0(s2)
	csrw mie, zero

	/* Machine timer: mtimecmp a little after mtime. */
	TEST 7
	li s4, CLINT_MTIMECMP
	li s5, CLINT_MTIME
	ld a0, 0(s5)
	ld a1, 0(s5)
	bltu a1, a0, fail /* mtime never goes back */
	addi a0, a1, 200
	sd a0, 0(s4)
	TRAP_FIELD s3, TR_M_COUNT
	li a0, 1 << IRQ_M_TIMER
	csrw mie, a0
	csrsi mstatus, MSTATUS_MIE
	WAIT_TRAP
	CHECK_MTRAP IRQ_BIT | IRQ_M_TIMER
	TEST 8
	csrr a0, mip
	andi a0, a0, 1 << IRQ_M_TIMER
	beqz a0, fail /* still pending: mtime >= mtimecmp */
	li a0, -1
	sd a0, 0(s4)
	csrr a0, mip
	andi a0, a0, 1 << IRQ_M_TIMER
	bnez a0, fail
	/* Both MSI and MTI pending: MSI first. */
	TEST 9
	csrci mstatus, MSTATUS_MIE
	sd zero, 0(s4)
	li a0, 1
	sw a0, 0(s2)
	li a0, (1 << IRQ_M_SOFT) | (1 << IRQ_M_TIMER)
	csrw mie, a0
	TRAP_FIELD s3, TR_M_COUNT
	csrsi mstatus, MSTATUS_MIE
	WAIT_TRAP
	CHECK_MTRAP IRQ_BIT | IRQ_M_SOFT
	sw zero, 0(s2)
	li a0, -1
	sd a0, 0(s4)

	/* S-level interrupts raised by M through mip, not delegated: they trap to M. */
	TEST 10
	csrci mstatus, MSTATUS_MIE
	TRAP_FIELD s3, TR_M_COUNT
	li a0, 1 << IRQ_S_SOFT
	csrs mip, a0
	csrw mie, a0
	csrsi mstatus, MSTATUS_MIE
	WAIT_TRAP
	CHECK_MTRAP IRQ_BIT | IRQ_S_SOFT
	li a0, 1 << IRQ_S_SOFT
	csrc mip, a0
	TEST 11
	csrci mstatus, MSTATUS_MIE
	TRAP_FIELD s3, TR_M_COUNT
	li a0, 1 << IRQ_S_TIMER
	csrs mip, a0
	csrw mie, a0
	csrsi mstatus, MSTATUS_MIE
	WAIT_TRAP
	CHECK_MTRAP IRQ_BIT | IRQ_S_TIMER
	li a0, 1 << IRQ_S_TIMER
	csrc mip, a0
	/* SSI before STI. (Between M and S sources the spec orders MEI, MSI, MTI, SEI, SSI, STI;
	 * QEMU 7.2 without AIA takes the lowest-numbered pending one, e.g. SSI before MTI, so only
	 * pairs where both orders agree are tested.) */
	TEST 12
	csrci mstatus, MSTATUS_MIE
	TRAP_FIELD s3, TR_M_COUNT
	li a0, (1 << IRQ_S_SOFT) | (1 << IRQ_S_TIMER)
	csrs mip, a0
	csrw mie, a0
	csrsi mstatus, MSTATUS_MIE
	WAIT_TRAP
	CHECK_MTRAP IRQ_BIT | IRQ_S_SOFT
	li a0, (1 << IRQ_S_SOFT) | (1 << IRQ_S_TIMER)
	csrc mip, a0
	/* mip.MSIP and MTIP are read-only through the CSR. */
	TEST 13
	li a0, (1 << IRQ_M_SOFT) | (1 << IRQ_M_TIMER)
	csrs mip, a0
	csrr a0, mip
	andi a0, a0, (1 << IRQ_M_SOFT) | (1 << IRQ_M_TIMER)
	CHECK a0, 0
	csrci mstatus, MSTATUS_MIE
	j pass

spin:
	j spin
