/* Every synchronous trap cause a program can raise without paging (page faults: rv64vm.S), with
 * mcause, mepc, mtval and the privilege it came from (mstatus.MPP):
 * ecall from U/S/M; ebreak (mtval = 0: the spec allows 0 or the pc, QEMU 7.2 writes 0); illegal
 * instructions with their bits in mtval (unknown opcode, mret/sret/wfi/sfence.vma/satp above
 * the current privilege or trapped by mstatus.TSR/TW/TVM); fetch, load and store access faults
 * at a physical address with nothing behind it (mtval = the address) and through a PMP entry
 * that denies S-mode; mret/sret landing in the right privilege with MPIE/SPIE moved to MIE/SIE.
 * No test of instruction-address-misaligned: with C, jalr clears bit 0 and branch offsets are
 * even, so no fetch can be misaligned (test 4 checks the jalr case). */
#include "test.h"

#define HOLE 0x30000000 /* nothing is mapped there on the spike board */
#define MSTATUS_TVM (1 << 20)
#define MSTATUS_TW (1 << 21)
#define MSTATUS_TSR (1 << 22)

	/* Checks mepc, mtval and the previous privilege of the last M trap. */
	.macro CHECK_MREC epc, tval, prev
	la t5, trap_record
	ld t4, TR_M_EPC(t5)
	la t6, \epc
	bne t4, t6, fail
	ld t4, TR_M_TVAL(t5)
	CHECK t4, \tval
	ld t4, TR_M_PREV(t5)
	CHECK t4, \prev
	.endm

	.text
	.globl test_main
test_main:
	RUN_IN PRV_U, u_ecall
	CHECK_MTRAP_NUM 1, CAUSE_ECALL_U
	CHECK_MREC u_ecall, 0, PRV_U
	RUN_IN PRV_S, s_ecall
	CHECK_MTRAP_NUM 2, CAUSE_ECALL_S
	CHECK_MREC s_ecall, 0, PRV_S
	EXPECT_TRAP 3, CAUSE_ECALL_M, m_ecall: ecall
	CHECK_MREC m_ecall, 0, PRV_M

	/* jalr to an odd address just clears bit 0. */
	TEST 4
	la a1, 1f
	addi a1, a1, 1
	jalr zero, 0(a1)
	j fail
1:
	EXPECT_TRAP 5, CAUSE_BREAKPOINT, brk: ebreak
	CHECK_MREC brk, 0, PRV_M
	RUN_IN PRV_U, u_ebreak
	CHECK_MTRAP_NUM 6, CAUSE_BREAKPOINT
	CHECK_MREC u_ebreak, 0, PRV_U

	/* Illegal instructions, mtval = the instruction. */
	EXPECT_TRAP 7, CAUSE_ILLEGAL, .word 0x0000000b /* custom-0 */
	TRAP_FIELD a0, TR_M_TVAL
	CHECK a0, 0x0000000b
	EXPECT_TRAP 8, CAUSE_ILLEGAL, .word 0xfe000033 /* OP with funct7 0x7f */
	TRAP_FIELD a0, TR_M_TVAL
	CHECK a0, 0xfe000033
	RUN_IN PRV_S, s_mret
	CHECK_MTRAP_NUM 9, CAUSE_ILLEGAL
	CHECK_MREC s_mret, 0x30200073, PRV_S
	RUN_IN PRV_U, u_sret
	CHECK_MTRAP_NUM 10, CAUSE_ILLEGAL
	CHECK_MREC u_sret, 0x10200073, PRV_U
	RUN_IN PRV_U, u_wfi
	CHECK_MTRAP_NUM 11, CAUSE_ILLEGAL
	RUN_IN PRV_U, u_sfence
	CHECK_MTRAP_NUM 12, CAUSE_ILLEGAL
	/* TSR: sret in S traps; TW: wfi in S traps; TVM: satp and sfence.vma in S trap. */
	li a0, MSTATUS_TSR
	csrs mstatus, a0
	RUN_IN PRV_S, s_sret
	CHECK_MTRAP_NUM 13, CAUSE_ILLEGAL
	li a0, MSTATUS_TSR
	csrc mstatus, a0
	li a0, MSTATUS_TW
	csrs mstatus, a0
	RUN_IN PRV_S, s_wfi
	CHECK_MTRAP_NUM 14, CAUSE_ILLEGAL
	li a0, MSTATUS_TW
	csrc mstatus, a0
	li a0, MSTATUS_TVM
	csrs mstatus, a0
	RUN_IN PRV_S, s_satp
	CHECK_MTRAP_NUM 15, CAUSE_ILLEGAL
	RUN_IN PRV_S, s_sfence
	CHECK_MTRAP_NUM 16, CAUSE_ILLEGAL
	li a0, MSTATUS_TVM
	csrc mstatus, a0
	/* Without the trap bits the same S-mode code runs through to its ecall. */
	RUN_IN PRV_S, s_satp
	CHECK_MTRAP_NUM 17, CAUSE_ECALL_S
	RUN_IN PRV_S, s_sfence
	CHECK_MTRAP_NUM 18, CAUSE_ECALL_S
	/* wfi in M returns at once when an interrupt enabled in mie is pending, even with
	 * mstatus.MIE clear (then no trap is taken). */
	TEST 19
	csrci mstatus, MSTATUS_MIE
	li a0, 1 << IRQ_S_SOFT
	csrw mie, a0
	csrs mip, a0
	wfi
	csrc mip, a0
	csrw mie, zero

	/* Access faults: nothing at HOLE. */
	li s2, HOLE
	EXPECT_TRAP 20, CAUSE_LOAD_ACCESS, ld a0, 0(s2)
	TRAP_FIELD a0, TR_M_TVAL
	CHECKR a0, s2
	EXPECT_TRAP 21, CAUSE_STORE_ACCESS, sw a0, 4(s2)
	TRAP_FIELD a0, TR_M_TVAL
	addi s3, s2, 4
	CHECKR a0, s3
	/* An AMO faults as a store/AMO access (7) by the spec; QEMU 7.2 reports a load access
	 * fault (5) since its atomics take the load path: either is accepted. */
	TEST 22
	la t5, trap_record
	la t4, 1f
	sd t4, TR_RESUME(t5)
	amoadd.w a0, a0, (s2)
1:	ld t4, TR_M_CAUSE(t5)
	li t6, CAUSE_STORE_ACCESS
	beq t4, t6, 2f
	CHECK t4, CAUSE_LOAD_ACCESS
2:
	EXPECT_TRAP 23, CAUSE_FETCH_ACCESS, jalr s2
	TRAP_FIELD a0, TR_M_TVAL
	CHECKR a0, s2
	TRAP_FIELD a0, TR_M_EPC
	CHECKR a0, s2
	EXPECT_TRAP 24, CAUSE_LOAD_ACCESS, flw f0, 8(s2)

	/* PMP: entry 0 denies S/U everything in the page `guarded`, entry 1 allows the rest.
	 * M-mode is not bound by unlocked entries. */
	la a0, guarded
	srli a0, a0, 2
	ori a0, a0, (4096 / 8) - 1 /* NAPOT of 4 KiB */
	csrw pmpaddr0, a0
	li a0, -1
	csrw pmpaddr1, a0
	li a0, (0x1f << 8) | 0x18 /* entry 1: NAPOT RWX; entry 0: NAPOT, no access */
	csrw pmpcfg0, a0
	TEST 25
	la a0, guarded
	ld a0, 0(a0)
	CHECK a0, 0x1122334455667788
	RUN_IN PRV_S, s_load_guarded
	CHECK_MTRAP_NUM 26, CAUSE_LOAD_ACCESS
	la a0, guarded
	TRAP_FIELD a1, TR_M_TVAL
	CHECKR a0, a1
	RUN_IN PRV_U, u_store_guarded
	CHECK_MTRAP_NUM 27, CAUSE_STORE_ACCESS
	li a0, -1
	csrw pmpaddr0, a0
	li a0, 0x1f
	csrw pmpcfg0, a0
	RUN_IN PRV_S, s_load_guarded
	CHECK_MTRAP_NUM 28, CAUSE_ECALL_S

	/* mret sets MIE from MPIE. RUN_IN's mret into S and the handler's mret back to M each do so,
	 * and the ecall between moves MIE to MPIE: MIE ends up as MPIE was before the first mret. */
	TEST 29
	li a0, MSTATUS_MIE | MSTATUS_MPIE
	csrc mstatus, a0
	RUN_IN PRV_S, s_read_nothing
	CHECK_MTRAP CAUSE_ECALL_S
	csrr a0, mstatus
	andi a1, a0, MSTATUS_MIE
	bnez a1, fail
	andi a1, a0, MSTATUS_MPIE
	beqz a1, fail /* mret leaves MPIE set */
	TEST 30
	li a0, MSTATUS_MPIE
	csrs mstatus, a0
	RUN_IN PRV_S, s_read_nothing
	CHECK_MTRAP CAUSE_ECALL_S
	csrr a0, mstatus
	andi a1, a0, MSTATUS_MIE
	beqz a1, fail
	csrci mstatus, MSTATUS_MIE
	/* sret: from S to U with SPP cleared after; SPIE -> SIE. */
	TEST 31
	li a0, MSTATUS_SPP | MSTATUS_SIE
	csrc mstatus, a0
	li a0, MSTATUS_SPIE
	csrs mstatus, a0
	RUN_IN PRV_S, s_sret_to_u
	CHECK_MTRAP CAUSE_ECALL_U
	csrr a0, mstatus
	andi a1, a0, MSTATUS_SIE
	beqz a1, fail
	andi a1, a0, MSTATUS_SPP
	bnez a1, fail
	csrci mstatus, MSTATUS_SIE
	j pass

u_ecall:
	ecall
s_ecall:
	ecall
u_ebreak:
	ebreak
s_mret:
	mret
u_sret:
	sret
u_wfi:
	wfi
u_sfence:
	sfence.vma
s_sret:
	sret
s_wfi:
	wfi
s_satp:
	csrr a0, satp
	ecall
s_sfence:
	sfence.vma
	ecall
s_load_guarded:
	la a0, guarded
	ld a0, 0(a0)
	ecall
u_store_guarded:
	la a0, guarded
	sd zero, 0(a0)
	ecall
s_read_nothing:
	ecall
s_sret_to_u:
	la a0, 1f
	csrw sepc, a0
	sret
1:	ecall

	.data
	.align 12
guarded:
	.dword 0x1122334455667788
