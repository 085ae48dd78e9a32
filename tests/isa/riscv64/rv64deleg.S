/* Delegation to S-mode: exceptions named in medeleg and interrupts named in mideleg taken from
 * U or S go to stvec with scause/sepc/stval and sstatus.SPP/SPIE set, and never from M; an
 * S-level interrupt delegated to S is taken in U always, in S only with sstatus.SIE, never in
 * M; undelegated causes still go to M. And mstatus.MPRV: M-mode loads and stores checked with
 * the privilege in MPP (here through a PMP entry that denies S and U), fetches not. */
#include "test.h"

	/* Checks the last trap into S: cause, epc label, tval, previous privilege. */
	.macro CHECK_SREC cause, epc, prev
	la t5, trap_record
	ld t4, TR_S_CAUSE(t5)
	CHECK t4, \cause
	li t4, -1
	sd t4, TR_S_CAUSE(t5)
	ld t4, TR_S_EPC(t5)
	la t6, \epc
	bne t4, t6, fail
	ld t4, TR_S_PREV(t5)
	CHECK t4, \prev
	.endm

	.text
	.globl test_main
test_main:
	/* medeleg and mideleg hold the delegable bits. */
	TEST 1
	li a0, (1 << CAUSE_ECALL_U) | (1 << CAUSE_ILLEGAL)
	ori a0, a0, (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_LOAD_ACCESS)
	csrw medeleg, a0
	csrr a1, medeleg
	CHECKR a1, a0
	/* ecall from U goes to S (which hands back to M with an ecall from S). */
	RUN_IN PRV_U, u_ecall
	CHECK_MTRAP_NUM 2, CAUSE_ECALL_S
	CHECK_SREC CAUSE_ECALL_U, u_ecall, PRV_U
	TRAP_FIELD a0, TR_S_TVAL
	CHECK a0, 0
	/* Illegal instruction in S goes to S, with the bits in stval. */
	RUN_IN PRV_S, s_illegal
	CHECK_MTRAP_NUM 3, CAUSE_ECALL_S
	CHECK_SREC CAUSE_ILLEGAL, s_illegal, PRV_S
	TRAP_FIELD a0, TR_S_TVAL
	CHECK a0, 0x0000000b
	RUN_IN PRV_U, u_ebreak
	CHECK_MTRAP_NUM 4, CAUSE_ECALL_S
	CHECK_SREC CAUSE_BREAKPOINT, u_ebreak, PRV_U
	/* A load access fault in S goes to S with the address in stval. */
	RUN_IN PRV_S, s_hole
	CHECK_MTRAP_NUM 5, CAUSE_ECALL_S
	CHECK_SREC CAUSE_LOAD_ACCESS, s_hole_load, PRV_S
	TRAP_FIELD a0, TR_S_TVAL
	CHECK a0, 0x30000000
	/* Not delegated: ecall from S, store access fault go to M. */
	RUN_IN PRV_S, s_store_hole
	CHECK_MTRAP_NUM 6, CAUSE_STORE_ACCESS
	/* Exceptions in M never go to S, whatever medeleg says. */
	EXPECT_TRAP 7, CAUSE_ILLEGAL, .word 0x0000000b
	TRAP_FIELD a0, TR_S_COUNT
	mv s2, a0
	EXPECT_TRAP 8, CAUSE_BREAKPOINT, ebreak
	TRAP_FIELD a0, TR_S_COUNT
	CHECKR a0, s2
	/* Entering S sets SPIE from SIE and clears SIE. */
	TEST 9
	csrsi sstatus, MSTATUS_SIE
	RUN_IN PRV_U, u_ecall
	CHECK_MTRAP CAUSE_ECALL_S
	csrr a0, sstatus
	andi a1, a0, MSTATUS_SIE
	bnez a1, fail
	andi a1, a0, MSTATUS_SPIE
	beqz a1, fail
	csrw medeleg, zero

	/* Interrupts: SSIP delegated. */
	li a0, 1 << IRQ_S_SOFT
	csrw mideleg, a0
	csrw mie, a0
	/* In M: never taken, whatever SIE and MIE say. */
	TEST 10
	csrsi mstatus, MSTATUS_SIE | MSTATUS_MIE
	TRAP_FIELD s2, TR_S_COUNT
	li a0, 1 << IRQ_S_SOFT
	csrs mip, a0
	nop
	nop
	TRAP_FIELD a0, TR_S_COUNT
	CHECKR a0, s2
	csrci mstatus, MSTATUS_SIE | MSTATUS_MIE
	/* In S with SIE clear: not taken (the S code runs to its ecall). */
	RUN_IN PRV_S, s_spin_then_ecall
	CHECK_MTRAP_NUM 11, CAUSE_ECALL_S
	TRAP_FIELD a0, TR_S_COUNT
	CHECKR a0, s2
	/* In U: taken with SIE clear; the S handler masks sie and returns, U then ecalls. */
	RUN_IN PRV_U, u_spin_then_ecall
	CHECK_MTRAP_NUM 12, CAUSE_ECALL_U
	CHECK_SREC IRQ_BIT | IRQ_S_SOFT, u_spin_then_ecall, PRV_U
	/* In S with SIE set: taken. sret from the handler needs SPIE... the handler returns to S
	 * with SIE = SPIE = 1 but sie now masked, so the S code reaches its ecall. */
	li a0, 1 << IRQ_S_SOFT
	csrw mie, a0
	csrsi sstatus, MSTATUS_SIE
	RUN_IN PRV_S, s_spin_then_ecall
	CHECK_MTRAP_NUM 13, CAUSE_ECALL_S
	CHECK_SREC IRQ_BIT | IRQ_S_SOFT, s_spin_then_ecall, PRV_S
	li a0, 1 << IRQ_S_SOFT
	csrc mip, a0
	csrw mideleg, zero
	csrci sstatus, MSTATUS_SIE

	/* S can read and clear sip.SSIP itself once delegated. */
	TEST 14
	li a0, 1 << IRQ_S_SOFT
	csrw mideleg, a0
	csrs mip, a0
	csrr a1, sip
	CHECK a1, 1 << IRQ_S_SOFT
	csrc sip, a0
	csrr a1, mip
	andi a1, a1, 1 << IRQ_S_SOFT
	bnez a1, fail
	csrw mideleg, zero

	/* MPRV: the page `guarded` is closed to S and U by PMP entry 0. */
	la a0, guarded
	srli a0, a0, 2
	ori a0, a0, (4096 / 8) - 1
	csrw pmpaddr0, a0
	li a0, -1
	csrw pmpaddr1, a0
	li a0, (0x1f << 8) | 0x18
	csrw pmpcfg0, a0
	la s2, guarded
	TEST 15
	ld a0, 0(s2)
	CHECK a0, 0x5555aaaa5555aaaa
	/* MPRV with MPP = S: the load is checked as S and faults. */
	li a0, MSTATUS_MPP
	csrc mstatus, a0
	li a0, (PRV_S << 11) | MSTATUS_MPRV
	csrs mstatus, a0
	EXPECT_TRAP 16, CAUSE_LOAD_ACCESS, ld a0, 0(s2)
	/* The handler's mret back to M left MPRV set and MPP = U (the least privileged mode). */
	TEST 17
	csrr a0, mstatus
	li a1, MSTATUS_MPRV | MSTATUS_MPP
	and a0, a0, a1
	CHECK a0, MSTATUS_MPRV
	/* MPRV with MPP = U on a store. */
	EXPECT_TRAP 18, CAUSE_STORE_ACCESS, sd zero, 0(s2)
	/* MPRV with MPP = M: loads as M. */
	TEST 19
	li a0, MSTATUS_MPP
	csrs mstatus, a0
	ld a0, 0(s2)
	CHECK a0, 0x5555aaaa5555aaaa
	/* Not tested: privileged spec 1.12 has an mret to a lower privilege clear MPRV, QEMU 7.2
	 * keeps it. */
	li a0, MSTATUS_MPRV
	csrc mstatus, a0
	li a0, -1
	csrw pmpaddr0, a0
	li a0, 0x1f
	csrw pmpcfg0, a0
	j pass

u_ecall:
	ecall
s_illegal:
	.word 0x0000000b
u_ebreak:
	ebreak
s_hole:
	li a0, 0x30000000
s_hole_load:
	ld a0, 0(a0)
	ecall
s_store_hole:
	li a0, 0x30000000
	sd a0, 0(a0)
	ecall
s_spin_then_ecall:
	nop
	nop
	nop
	nop
	ecall
u_spin_then_ecall:
	nop
	nop
	ecall

	.data
	.align 12
guarded:
	.dword 0x5555aaaa5555aaaa
