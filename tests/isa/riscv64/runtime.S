/* Runtime of the riscv64 ISA test programs: reset code, the M- and S-mode trap handlers, HTIF
 * tohost/fromhost, pass/fail and enter_mode. See test.h for the conventions. */
#include "test.h"

	.section .text.init, "ax"
	.globl _start
_start:
	/* Known state for every program: the spec leaves most of it undefined at reset. */
	la t0, m_trap_vector
	csrw mtvec, t0
	la t0, m_save
	csrw mscratch, t0
	la t0, s_trap_vector
	csrw stvec, t0
	la t0, s_save
	csrw sscratch, t0
	csrw medeleg, zero
	csrw mideleg, zero
	csrw mie, zero
	csrw satp, zero
	/* menvcfg.STCE off: no Sstc timer, so mip.STIP stays writable by M. */
	csrw menvcfg, zero
	/* S and U have no access at all without a PMP entry: open the whole space. */
	li t0, -1
	csrw pmpaddr0, t0
	li t0, 0x1f /* NAPOT, R, W, X */
	csrw pmpcfg0, t0
	li t0, MSTATUS_FS
	csrs mstatus, t0
	csrwi fcsr, 0
	la sp, stack_top
	li gp, 0
	j test_main

	.text
	.globl pass, fail, enter_mode
pass:
	li t0, 1
	j write_tohost
fail:
	/* Test number 0 would read as a pass: report 255 for a failure outside any test case. */
	mv t0, gp
	bnez t0, 1f
	li t0, 255
1:	slli t0, t0, 1
	ori t0, t0, 1
write_tohost:
	la t1, tohost
	sd t0, 0(t1)
1:	j 1b

/* enter_mode(a0 = privilege, a1 = target): runs target in that privilege; the next trap into
 * M-mode returns to our caller in M-mode with its registers as the trapping code left them. */
enter_mode:
	la t0, trap_record
	sd ra, TR_RESUME(t0)
	li t0, MSTATUS_MPP
	csrc mstatus, t0
	slli a0, a0, 11
	csrs mstatus, a0
	csrw mepc, a1
	mret

	.align 2
m_trap_vector:
	csrrw t0, mscratch, t0
	sd t1, 0(t0)
	sd t2, 8(t0)
	sd t3, 16(t0)
	csrr t1, mscratch
	sd t1, 24(t0)
	csrw mscratch, t0
	la t3, trap_record
	csrr t1, mcause
	sd t1, TR_M_CAUSE(t3)
	csrr t2, mepc
	sd t2, TR_M_EPC(t3)
	csrr t2, mtval
	sd t2, TR_M_TVAL(t3)
	csrr t2, mstatus
	srli t2, t2, 11
	andi t2, t2, 3
	sd t2, TR_M_PREV(t3)
	ld t2, TR_M_COUNT(t3)
	addi t2, t2, 1
	sd t2, TR_M_COUNT(t3)
	/* An interrupt masks all sources, so that a level that stays pending cannot fire again. */
	bgez t1, 1f
	csrw mie, zero
1:	ld t2, TR_RESUME(t3)
	bnez t2, m_resume
	/* Without a resume address an interrupt returns where it struck; any other trap nobody
	 * expected fails the test. */
	bgez t1, fail
	j m_return
m_resume:
	sd zero, TR_RESUME(t3)
	csrw mepc, t2
	li t2, MSTATUS_MPP
	csrs mstatus, t2
m_return:
	csrr t0, mscratch
	ld t1, 0(t0)
	ld t2, 8(t0)
	ld t3, 16(t0)
	ld t0, 24(t0)
	mret

/* S-mode handler (used once medeleg/mideleg delegate): records the trap, then hands control
 * back to the M-mode test with an ecall from S (cause 9), which its enter_mode caller expects.
 * Runs with whatever satp the test set: tests map this code and trap_record at their physical
 * addresses. */
	.align 2
s_trap_vector:
	csrrw t0, sscratch, t0
	sd t1, 0(t0)
	sd t2, 8(t0)
	sd t3, 16(t0)
	csrr t1, sscratch
	sd t1, 24(t0)
	csrw sscratch, t0
	la t3, trap_record
	csrr t1, scause
	sd t1, TR_S_CAUSE(t3)
	csrr t2, sepc
	sd t2, TR_S_EPC(t3)
	csrr t2, stval
	sd t2, TR_S_TVAL(t3)
	csrr t2, sstatus
	srli t2, t2, 8
	andi t2, t2, 1
	sd t2, TR_S_PREV(t3)
	ld t2, TR_S_COUNT(t3)
	addi t2, t2, 1
	sd t2, TR_S_COUNT(t3)
	/* An interrupt is masked and returned from; anything else goes back to M. */
	bgez t1, 1f
	csrw sie, zero
	csrr t0, sscratch
	ld t1, 0(t0)
	ld t2, 8(t0)
	ld t3, 16(t0)
	ld t0, 24(t0)
	sret
1:	ecall

	.section .tohost, "aw", @progbits
	.align 6
	.globl tohost, fromhost
	.type tohost, @object
	.type fromhost, @object
	/* QEMU finds the HTIF words by these symbols and insists on their size. */
tohost:
	.dword 0
	.size tohost, 8
	.align 6
fromhost:
	.dword 0
	.size fromhost, 8

	.data
	.align 3
	.globl trap_record, m_save, s_save
trap_record:
	.dword -1, 0, 0, 0, 0 /* M: cause, epc, tval, previous privilege, count */
	.dword -1, 0, 0, 0, 0 /* S: the same */
	.dword 0 /* resume address of the next M trap */
m_save:
	.dword 0, 0, 0, 0
s_save:
	.dword 0, 0, 0, 0

	.bss
	.align 4
stack:
	.skip 4096
stack_top:
