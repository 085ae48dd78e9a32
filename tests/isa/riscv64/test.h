/* Macros and constants for the riscv64 ISA test programs (tohost convention).
 *
 * A program defines test_main, which runtime.S enters in M-mode with FP on, PMP open to S/U,
 * no delegation and paging off. gp holds the number of the test case being checked: on failure
 * runtime's `fail` writes (gp << 1) | 1 to tohost, so numbers stay within 1..254 (QEMU's spike
 * exits with the number as its status, which would wrap at 256).
 *
 * Registers a test case may use freely: a0-a7, t0-t6, s2-s11, f0-f31. The trap handlers clobber
 * nothing but the CSRs and the trap record. */
#ifndef ISA_TEST_H
#define ISA_TEST_H

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE (1 << 1)
#define MSTATUS_MIE (1 << 3)
#define MSTATUS_SPIE (1 << 5)
#define MSTATUS_MPIE (1 << 7)
#define MSTATUS_SPP (1 << 8)
#define MSTATUS_MPP (3 << 11)
#define MSTATUS_FS (3 << 13)
#define MSTATUS_MPRV (1 << 17)
#define MSTATUS_SUM (1 << 18)
#define MSTATUS_MXR (1 << 19)

#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_MISALIGNED_LOAD 4
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS 7
#define CAUSE_ECALL_U 8
#define CAUSE_ECALL_S 9
#define CAUSE_ECALL_M 11
#define CAUSE_FETCH_PAGE 12
#define CAUSE_LOAD_PAGE 13
#define CAUSE_STORE_PAGE 15
#define IRQ_BIT (1 << 63)
#define IRQ_S_SOFT 1
#define IRQ_M_SOFT 3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7

#define FFLAG_NX 0x01
#define FFLAG_UF 0x02
#define FFLAG_OF 0x04
#define FFLAG_DZ 0x08
#define FFLAG_NV 0x10

/* Offsets in trap_record (runtime.S): what the last trap into M or S recorded. */
#define TR_M_CAUSE 0
#define TR_M_EPC 8
#define TR_M_TVAL 16
#define TR_M_PREV 24 /* privilege the trap came from */
#define TR_M_COUNT 32
#define TR_S_CAUSE 40
#define TR_S_EPC 48
#define TR_S_TVAL 56
#define TR_S_PREV 64
#define TR_S_COUNT 72
#define TR_RESUME 80 /* where the next M trap returns to, in M-mode; 0: a trap fails the test */

#ifdef __ASSEMBLER__

/* Starts test case n: later checks report n. */
.macro TEST n
	.if (\n < 1) || (\n > 254)
	.error "test numbers must be 1..254"
	.endif
	li gp, \n
.endm

/* Fails the current test case unless register reg equals the constant val (clobbers t6). */
.macro CHECK reg, val
	li t6, \val
	bne \reg, t6, fail
.endm

/* Fails unless registers a and b are equal. */
.macro CHECKR a, b
	bne \a, \b, fail
.endm

/* rd = op(a, b) with a and b constants. */
.macro TEST_RR n, op, res, a, b
	TEST \n
	li a1, \a
	li a2, \b
	\op a0, a1, a2
	CHECK a0, \res
.endm

/* rd = op(a, imm). */
.macro TEST_RI n, op, res, a, imm
	TEST \n
	li a1, \a
	\op a0, a1, \imm
	CHECK a0, \res
.endm

/* rd = op(a). */
.macro TEST_R n, op, res, a
	TEST \n
	li a1, \a
	\op a0, a1
	CHECK a0, \res
.endm

/* Loads trap-record field off into reg. */
.macro TRAP_FIELD reg, off
	la \reg, trap_record
	ld \reg, \off(\reg)
.endm

/* Fails unless the last M trap had cause `cause`; clears the recorded cause. */
.macro CHECK_MTRAP cause
	la t5, trap_record
	ld t4, TR_M_CAUSE(t5)
	CHECK t4, \cause
	li t4, -1
	sd t4, TR_M_CAUSE(t5)
.endm

/* Starts test case n and checks the cause of the last M trap, e.g. after RUN_IN. */
.macro CHECK_MTRAP_NUM n, cause
	TEST \n
	CHECK_MTRAP \cause
.endm

/* Marks the next M trap as expected: it resumes at the code after `insns`, in M-mode. Then the
 * recorded cause must be `cause` (and a trap must have happened: the cause starts at -1). */
.macro EXPECT_TRAP n, cause, insns:vararg
	TEST \n
	la t5, trap_record
	li t4, -1
	sd t4, TR_M_CAUSE(t5)
	la t4, 9998f
	sd t4, TR_RESUME(t5)
	\insns
9998:
	CHECK_MTRAP \cause
.endm

/* FP: check f register bits (via a0) and the accrued flags, which are then cleared. */
.macro CHECK_FD freg, bits, flags
	fmv.x.d a0, \freg
	CHECK a0, \bits
	csrrci a0, fflags, 0x1f
	CHECK a0, \flags
.endm

/* Double op with two operands given as bit patterns; rm is an assembler rounding-mode operand
 * (rne, rtz, rdn, rup, rmm, dyn). */
.macro TEST_D2 n, op, rm, res, flags, a, b
	TEST \n
	li a1, \a
	li a2, \b
	fmv.d.x f1, a1
	fmv.d.x f2, a2
	csrwi fflags, 0
	\op f3, f1, f2, \rm
	CHECK_FD f3, \res, \flags
.endm

/* Same without a rounding-mode operand (fmin, fmax, fsgnj). */
.macro TEST_D2N n, op, res, flags, a, b
	TEST \n
	li a1, \a
	li a2, \b
	fmv.d.x f1, a1
	fmv.d.x f2, a2
	csrwi fflags, 0
	\op f3, f1, f2
	CHECK_FD f3, \res, \flags
.endm

/* Single: operands are 32-bit patterns, NaN-boxed by the macro; the result's full 64 bits are
 * checked, so results must be given boxed (0xffffffff_xxxxxxxx). */
.macro BOX_S freg, bits
	li a1, (\bits) | 0xffffffff00000000
	fmv.d.x \freg, a1
.endm

.macro TEST_S2 n, op, rm, res, flags, a, b
	TEST \n
	BOX_S f1, \a
	BOX_S f2, \b
	csrwi fflags, 0
	\op f3, f1, f2, \rm
	CHECK_FD f3, (\res) | 0xffffffff00000000, \flags
.endm

.macro TEST_S2N n, op, res, flags, a, b
	TEST \n
	BOX_S f1, \a
	BOX_S f2, \b
	csrwi fflags, 0
	\op f3, f1, f2
	CHECK_FD f3, (\res) | 0xffffffff00000000, \flags
.endm

/* Three-operand fused ops. */
.macro TEST_D3 n, op, rm, res, flags, a, b, c
	TEST \n
	li a1, \a
	fmv.d.x f1, a1
	li a1, \b
	fmv.d.x f2, a1
	li a1, \c
	fmv.d.x f4, a1
	csrwi fflags, 0
	\op f3, f1, f2, f4, \rm
	CHECK_FD f3, \res, \flags
.endm

.macro TEST_S3 n, op, rm, res, flags, a, b, c
	TEST \n
	BOX_S f1, \a
	BOX_S f2, \b
	BOX_S f4, \c
	csrwi fflags, 0
	\op f3, f1, f2, f4, \rm
	CHECK_FD f3, (\res) | 0xffffffff00000000, \flags
.endm

/* FP -> integer register results (compares, fclass, conversions to integer, fmv.x). The source
 * is loaded raw with fmv.d.x, so single operands must be given boxed by the caller. */
.macro TEST_FX n, op, res, flags, a, rm:vararg
	TEST \n
	li a1, \a
	fmv.d.x f1, a1
	csrwi fflags, 0
	.ifb \rm
	\op a0, f1
	.else
	\op a0, f1, \rm
	.endif
	CHECK a0, \res
	csrrci a0, fflags, 0x1f
	CHECK a0, \flags
.endm

.macro TEST_FXX n, op, res, flags, a, b
	TEST \n
	li a1, \a
	fmv.d.x f1, a1
	li a1, \b
	fmv.d.x f2, a1
	csrwi fflags, 0
	\op a0, f1, f2
	CHECK a0, \res
	csrrci a0, fflags, 0x1f
	CHECK a0, \flags
.endm

/* Integer -> FP register (fcvt.d.l and friends, fmv.w.x); full 64-bit result checked. */
.macro TEST_XF n, op, res, flags, a, rm:vararg
	TEST \n
	li a1, \a
	csrwi fflags, 0
	.ifb \rm
	\op f3, a1
	.else
	\op f3, a1, \rm
	.endif
	CHECK_FD f3, \res, \flags
.endm

/* FP -> FP one operand (fsqrt, fcvt.s.d, fcvt.d.s); raw 64-bit source. */
.macro TEST_FF n, op, res, flags, a, rm:vararg
	TEST \n
	li a1, \a
	fmv.d.x f1, a1
	csrwi fflags, 0
	.ifb \rm
	\op f3, f1
	.else
	\op f3, f1, \rm
	.endif
	CHECK_FD f3, \res, \flags
.endm

/* Runs code at `target` in privilege `mode` (PRV_U/S/M); the next trap into M-mode comes back
 * here, in M-mode (runtime.S: enter_mode). Clobbers a0, a1, ra, t0-t5. */
.macro RUN_IN mode, target
	li a0, \mode
	la a1, \target
	call enter_mode
.endm

#endif /* __ASSEMBLER__ */
#endif /* ISA_TEST_H */
