/* Zicsr and Zifencei: the six CSR instructions (old value returned; rs1 = x0 / uimm = 0 for
 * csrrs/csrrc does not write, so it may read a read-only CSR, while csrrw always writes),
 * illegal instruction with the instruction bits in mtval for writes to read-only CSRs, unknown
 * CSRs, and CSRs above the current privilege; the counters and their enables, time; misa;
 * sstatus and sie/sip as views of the M registers; and fence.i making freshly stored code
 * visible, twice on the same address so a stale translation shows. */
#include "test.h"

#define MISA_EXT(c) (1 << ((c) - 'A'))

	.text
	.globl test_main
test_main:
	TEST 1
	li a1, 0x1234
	csrw mscratch, a1
	li a1, 0xff00
	csrrw a0, mscratch, a1
	CHECK a0, 0x1234
	TEST 2
	li a1, 0x0ff0
	csrrs a0, mscratch, a1
	CHECK a0, 0xff00
	csrr a0, mscratch
	CHECK a0, 0xfff0
	TEST 3
	li a1, 0x00f0
	csrrc a0, mscratch, a1
	CHECK a0, 0xfff0
	csrr a0, mscratch
	CHECK a0, 0xff00
	TEST 4
	csrrwi a0, mscratch, 0x1f
	CHECK a0, 0xff00
	csrrsi a0, mscratch, 0x10
	CHECK a0, 0x1f
	csrrci a0, mscratch, 0x3
	CHECK a0, 0x1f
	csrr a0, mscratch
	CHECK a0, 0x1c
	TEST 5
	csrrw zero, mscratch, zero /* rd = x0: write only */
	csrr a0, mscratch
	CHECK a0, 0
	/* Restore mscratch: the M trap handler depends on it. */
	la a0, m_save
	csrw mscratch, a0

	/* Read-only CSRs: reading with csrrs/csrrc x0 or csrrsi/csrrci 0 is fine... */
	TEST 6
	csrr a0, mhartid
	CHECK a0, 0
	csrrc a0, mhartid, zero
	csrrsi a0, mvendorid, 0
	csrrci a0, mimpid, 0
	/* ...writing (csrrw even with x0, csrrs with a non-zero register) is illegal. */
	.macro ILLEGAL32 n, insn:vararg
	EXPECT_TRAP \n, CAUSE_ILLEGAL, \insn
	la t5, 9998b
	lwu t5, -4(t5)
	TRAP_FIELD a0, TR_M_TVAL
	CHECKR a0, t5
	.endm
	ILLEGAL32 7, csrw mhartid, zero
	li a1, 1
	ILLEGAL32 8, csrs mhartid, a1
	ILLEGAL32 9, csrrwi a0, mvendorid, 0
	ILLEGAL32 10, csrrsi a0, cycle, 1
	/* An unimplemented CSR number (custom read/write space). */
	ILLEGAL32 11, csrr a0, 0x801

	/* misa: RV64 with I, M, A, F, D, C, S, U. */
	TEST 12
	csrr a0, misa
	srli a1, a0, 62
	CHECK a1, 2
	li a1, MISA_EXT('I') | MISA_EXT('M') | MISA_EXT('A') | MISA_EXT('F') | MISA_EXT('D')
	li a3, MISA_EXT('C') | MISA_EXT('S') | MISA_EXT('U')
	or a1, a1, a3
	and a2, a0, a1
	CHECKR a2, a1

	/* Counters count: mcycle/cycle and minstret/instret. */
	TEST 13
	csrr a0, minstret
	nop
	nop
	csrr a1, minstret
	sub a1, a1, a0
	li a2, 3 /* at least the two nops and the first read retire in between */
	bltu a1, a2, fail
	TEST 14
	rdcycle a0
	li a2, 100
1:	addi a2, a2, -1
	bnez a2, 1b
	rdcycle a1
	bgeu a0, a1, fail
	TEST 15
	rdinstret a0
	csrr a1, instret
	bltu a1, a0, fail
	/* Counters are writable in M-mode. */
	TEST 16
	li a1, 1 << 40
	csrw minstret, a1
	csrr a0, minstret
	bltu a0, a1, fail
	srli a0, a0, 41
	bnez a0, fail

	/* Counter access from S and U: S needs mcounteren, U needs mcounteren and scounteren. */
	csrw mcounteren, zero
	csrw scounteren, zero
	RUN_IN PRV_S, read_cycle
	CHECK_MTRAP_NUM 17, CAUSE_ILLEGAL
	li a0, 5 /* CY and IR */
	csrw mcounteren, a0
	RUN_IN PRV_S, read_cycle
	CHECK_MTRAP_NUM 18, CAUSE_ECALL_S
	RUN_IN PRV_U, read_cycle
	CHECK_MTRAP_NUM 19, CAUSE_ILLEGAL
	li a0, 5
	csrw scounteren, a0
	RUN_IN PRV_U, read_cycle
	CHECK_MTRAP_NUM 20, CAUSE_ECALL_U
	li a0, 1 /* CY only */
	csrw scounteren, a0
	RUN_IN PRV_U, read_instret
	CHECK_MTRAP_NUM 21, CAUSE_ILLEGAL

	/* M-level CSRs from S, S-level CSRs from U. */
	RUN_IN PRV_S, read_mstatus
	CHECK_MTRAP_NUM 22, CAUSE_ILLEGAL
	RUN_IN PRV_U, read_sstatus
	CHECK_MTRAP_NUM 23, CAUSE_ILLEGAL
	RUN_IN PRV_S, read_sstatus
	CHECK_MTRAP_NUM 24, CAUSE_ECALL_S

	/* sstatus is a window on mstatus. */
	TEST 25
	li a0, MSTATUS_SIE | MSTATUS_MIE
	csrc mstatus, a0
	csrsi sstatus, MSTATUS_SIE
	csrr a0, mstatus
	andi a0, a0, MSTATUS_SIE | MSTATUS_MIE
	CHECK a0, MSTATUS_SIE
	csrci sstatus, MSTATUS_SIE
	/* sstatus does not show M fields. */
	TEST 26
	li a0, MSTATUS_MPP
	csrs mstatus, a0
	csrr a0, sstatus
	li a1, MSTATUS_MPP | MSTATUS_MIE | MSTATUS_MPIE
	and a0, a0, a1
	CHECK a0, 0
	/* sie shows only what mideleg delegates (privileged spec 1.12). */
	TEST 27
	li a0, 1 << IRQ_S_SOFT
	csrw mideleg, a0
	li a0, (1 << IRQ_S_SOFT) | (1 << IRQ_S_TIMER)
	csrw mie, a0
	csrr a0, sie
	CHECK a0, 1 << IRQ_S_SOFT
	csrw mie, zero
	csrw mideleg, zero

	/* mepc holds 2-byte aligned addresses. (The spec makes bit 0 read as zero; QEMU 7.2 keeps
	 * it, so a set bit 0 is not tested.) */
	TEST 28
	li a0, 0x80000002
	csrw mepc, a0
	csrr a0, mepc
	CHECK a0, 0x80000002
	/* mtvec: direct mode keeps the base. */
	TEST 29
	csrr s2, mtvec
	li a0, 0x80000100
	csrw mtvec, a0
	csrr a0, mtvec
	CHECK a0, 0x80000100
	csrw mtvec, s2

	/* fence.i: code written by stores runs after fence.i, even where it ran before. */
	TEST 30
	la s2, patch
	li a1, 0x02a00513 /* li a0, 42 */
	sw a1, 0(s2)
	fence.i
	li a0, 0
	jalr s2
	CHECK a0, 42
	TEST 31
	li a1, 0x06300513 /* li a0, 99 */
	sw a1, 0(s2)
	fence.i
	jalr s2
	CHECK a0, 99
	/* Patching the instruction right after the store, in the same block, with fence.i. */
	TEST 32
	la s2, 1f
	li a1, 0x00700513 /* li a0, 7 */
	li a0, 0
	sw a1, 0(s2)
	fence.i
1:	.word 0x00100513 /* li a0, 1, overwritten */
	CHECK a0, 7

	/* The time CSR: QEMU's spike board does not provide it (rdtime is illegal even in M); a
	 * board that does must count with the CLINT's mtime, never backwards. */
	TEST 33
	la t5, trap_record
	li t4, -1
	sd t4, TR_M_CAUSE(t5)
	la t4, 1f
	sd t4, TR_RESUME(t5)
	li a0, 0
	rdtime a0
1:	ld t4, TR_M_CAUSE(t5)
	bltz t4, 2f
	CHECK t4, CAUSE_ILLEGAL
	j 3f
2:	sd zero, TR_RESUME(t5)
	li a1, 0x200bff8
	ld a1, 0(a1)
	bltu a1, a0, fail
3:	j pass

read_cycle:
	rdcycle a0
	ecall
read_instret:
	rdinstret a0
	ecall
read_mstatus:
	csrr a0, mstatus
	ecall
read_sstatus:
	csrr a0, sstatus
	ecall

	/* Writable code for the fence.i tests: data that gets executed. */
	.data
	.align 2
patch:
	.word 0x00100513 /* li a0, 1 */
	.word 0x00008067 /* ret */
