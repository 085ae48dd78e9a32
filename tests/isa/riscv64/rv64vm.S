/* Page-based virtual memory: Sv39, Sv48 and Sv57 walks from S-mode (and U, and M with MPRV).
 * Layout (Sv39 root; the Sv48 root points to it at index 0, the Sv57 root to the Sv48 one):
 *   0x80000000 1 GiB  leaf, identity, RWX, not U      - S code and data
 *   0xc0000000 1 GiB  leaf -> 0x80000000, RWX, U      - the same code for U (label + U_ALIAS)
 *   0x40000000 2 MiB  table L0 with 4 KiB pages, see the PAGE_* constants
 *   0x40200000 2 MiB  leaf -> 0x80200000 (aligned superpage)
 *   0x40400000 2 MiB  leaf -> 0x80201000 (misaligned superpage: page fault)
 *   0x40600000 2 MiB  table at an address with nothing behind it (access fault during the walk)
 *   0x00000000 1 GiB  leaf -> 0x80001000 (misaligned gigapage: page fault)
 *   Sv48 0x8000000000: 512 GiB leaf -> 0; Sv57 0x1000000000000: 256 TiB leaf -> 0.
 * A and D: QEMU updates them in the PTE (the spec also allows a page fault instead); the tests
 * assert the update. Each fault kind is checked with its cause and the VA in mtval/stval: not
 * valid, W without R, no permission for the access, U page from S without SUM, S page from U,
 * fetch from a U page in S even with SUM, execute-only with and without MXR, a pointer at level
 * 0, reserved PTE bits, a non-canonical VA, misaligned superpages, a fetch across pages.
 * Page faults are also taken in S through medeleg. sfence.vma makes a changed PTE visible. */
#include "test.h"

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_A 0x40
#define PTE_D 0x80
#define SATP_SV39 (8 << 60)
#define SATP_SV48 (9 << 60)
#define SATP_SV57 (10 << 60)
#define U_ALIAS 0x40000000
#define VA_BASE 0x40000000
#define PAGE_AD 0 /* -> data1, RW, A = D = 0 */
#define PAGE_RO 1 /* -> data2, R, A */
#define PAGE_INVALID 2
#define PAGE_WONLY 3 /* -> data1, W without R: reserved */
#define PAGE_USER 4 /* -> data2, R, U, A */
#define PAGE_XONLY 5 /* -> data2, X only, A */
#define PAGE_PTR 6 /* a pointer at level 0 */
#define PAGE_RSVD 7 /* -> data2, R, A, bit 60 set */
#define PAGE_CODE 8 /* -> code page, RX, A */
#define PAGE_UCODE 9 /* -> code page, RX, U, A */
#define PAGE_SWAP 10 /* -> data1, then data2, R, A */
#define PAGE_CROSS 11 /* -> data2, RW, A, D; the next one is invalid */
#define PAGE_STRADDLE 13 /* -> straddle, RX, A; the next one -> straddle + 4 KiB */
#define PAGE_STRADDLE_BAD 15 /* -> straddle, RX, A; the next one is invalid */
#define VA(p) (VA_BASE + (p) * 4096)
#define SUPER_PA 0x80200000
#define HOLE 0x30000000

	.text
	.globl test_main

/* set_pte(a0 = table, a1 = index, a2 = physical address, a3 = flags) */
set_pte:
	srli a2, a2, 12
	slli a2, a2, 10
	or a2, a2, a3
	slli a1, a1, 3
	add a0, a0, a1
	sd a2, 0(a0)
	ret

	.macro PTE table, index, pa, flags
	la a0, \table
	li a1, \index
	li a2, \pa
	li a3, \flags
	call set_pte
	.endm
	.macro PTE_TO table, index, label, flags
	la a0, \table
	li a1, \index
	la a2, \label
	li a3, \flags
	call set_pte
	.endm

	/* Runs `code` in privilege `mode` with s4 = va, expects the ecall from that mode. */
	.macro ACCESS_OK n, mode, code, va
	li s4, \va
	RUN_IN \mode, \code
	.if \mode == PRV_U
	CHECK_MTRAP_NUM \n, CAUSE_ECALL_U
	.else
	CHECK_MTRAP_NUM \n, CAUSE_ECALL_S
	.endif
	.endm
	/* Same, expecting fault `cause` with mtval = va (or va + tval_off). */
	.macro ACCESS_FAULT n, mode, code, va, cause
	li s4, \va
	RUN_IN \mode, \code
	CHECK_MTRAP_NUM \n, \cause
	TRAP_FIELD a0, TR_M_TVAL
	CHECKR a0, s4
	.endm

	/* Reads the PTE of VA(index) in the L0 table into a0. */
	.macro L0_PTE index
	la a0, l0
	ld a0, (\index * 8)(a0)
	.endm

test_main:
	/* Sv39 tables. */
	PTE root39, 2, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
	PTE root39, 3, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D
	PTE_TO root39, 1, l1, PTE_V
	PTE root39, 0, 0x80001000, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
	PTE_TO l1, 0, l0, PTE_V
	PTE l1, 1, SUPER_PA, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
	PTE l1, 2, SUPER_PA + 0x1000, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
	PTE l1, 3, HOLE, PTE_V
	PTE_TO l0, PAGE_AD, data1, PTE_V | PTE_R | PTE_W
	PTE_TO l0, PAGE_RO, data2, PTE_V | PTE_R | PTE_A
	PTE_TO l0, PAGE_WONLY, data1, PTE_V | PTE_W | PTE_A | PTE_D
	PTE_TO l0, PAGE_USER, data2, PTE_V | PTE_R | PTE_U | PTE_A
	PTE_TO l0, PAGE_XONLY, data2, PTE_V | PTE_X | PTE_A
	PTE_TO l0, PAGE_PTR, data2, PTE_V
	PTE_TO l0, PAGE_RSVD, data2, PTE_V | PTE_R | PTE_A
	la a0, l0
	ld a1, (PAGE_RSVD * 8)(a0)
	li a2, 1 << 60
	or a1, a1, a2
	sd a1, (PAGE_RSVD * 8)(a0)
	PTE_TO l0, PAGE_CODE, code_page, PTE_V | PTE_R | PTE_X | PTE_A
	PTE_TO l0, PAGE_UCODE, code_page, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A
	PTE_TO l0, PAGE_SWAP, data1, PTE_V | PTE_R | PTE_A
	PTE_TO l0, PAGE_CROSS, data2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
	PTE_TO l0, PAGE_STRADDLE, straddle, PTE_V | PTE_R | PTE_X | PTE_A
	PTE_TO l0, PAGE_STRADDLE + 1, straddle + 4096, PTE_V | PTE_R | PTE_X | PTE_A
	PTE_TO l0, PAGE_STRADDLE_BAD, straddle, PTE_V | PTE_R | PTE_X | PTE_A
	/* The superpage's first bytes, written physically. */
	li a0, SUPER_PA
	li a1, 0x5151515151515151
	sd a1, 0x238(a0)
	/* Sv48 and Sv57 roots. */
	PTE_TO root48, 0, root39, PTE_V
	PTE root48, 1, 0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
	PTE_TO root57, 0, root48, PTE_V
	PTE root57, 1, 0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D

	la a0, root39
	srli a0, a0, 12
	li a1, SATP_SV39
	or a0, a0, a1
	csrw satp, a0
	sfence.vma
	/* satp reads back (Sv39 is supported). */
	TEST 1
	csrr a1, satp
	CHECKR a1, a0

	/* A and D: a load sets A only, a store sets D too. */
	TEST 2
	L0_PTE PAGE_AD
	andi a0, a0, PTE_A | PTE_D
	CHECK a0, 0
	ACCESS_OK 3, PRV_S, s_load, VA(PAGE_AD)
	CHECK a0, 0x1111111111111111
	TEST 4
	L0_PTE PAGE_AD
	andi a0, a0, PTE_A | PTE_D
	CHECK a0, PTE_A
	ACCESS_OK 5, PRV_S, s_store, VA(PAGE_AD) + 8
	TEST 6
	L0_PTE PAGE_AD
	andi a0, a0, PTE_A | PTE_D
	CHECK a0, PTE_A | PTE_D
	TEST 7
	la a0, data1
	ld a0, 8(a0)
	CHECK a0, 0x7777
	/* Store to a page without W. */
	ACCESS_FAULT 8, PRV_S, s_store, VA(PAGE_RO), CAUSE_STORE_PAGE
	ACCESS_OK 9, PRV_S, s_load, VA(PAGE_RO) + 16
	CHECK a0, 0x2222222222222222
	/* Invalid PTE: each access kind gives its own fault. */
	ACCESS_FAULT 10, PRV_S, s_load, VA(PAGE_INVALID) + 0x10, CAUSE_LOAD_PAGE
	ACCESS_FAULT 11, PRV_S, s_store, VA(PAGE_INVALID), CAUSE_STORE_PAGE
	/* An AMO is a store/AMO page fault (15) by the spec; QEMU 7.2 reports a load page fault
	 * (13): either is accepted. */
	li s4, VA(PAGE_INVALID)
	RUN_IN PRV_S, s_amo
	TEST 12
	TRAP_FIELD a0, TR_M_CAUSE
	li a1, CAUSE_STORE_PAGE
	beq a0, a1, 1f
	CHECK a0, CAUSE_LOAD_PAGE
1:	TRAP_FIELD a0, TR_M_TVAL
	CHECKR a0, s4
	ACCESS_FAULT 13, PRV_S, s_jump, VA(PAGE_INVALID), CAUSE_FETCH_PAGE
	/* W without R is reserved. */
	ACCESS_FAULT 14, PRV_S, s_load, VA(PAGE_WONLY), CAUSE_LOAD_PAGE
	ACCESS_FAULT 15, PRV_S, s_store, VA(PAGE_WONLY), CAUSE_STORE_PAGE
	/* Fetch: from a page without X, from an RX page (runs), from a U page in S. */
	ACCESS_FAULT 16, PRV_S, s_jump, VA(PAGE_RO), CAUSE_FETCH_PAGE
	ACCESS_OK 17, PRV_S, s_jump, VA(PAGE_CODE)
	CHECK a0, 77
	ACCESS_FAULT 18, PRV_S, s_jump, VA(PAGE_UCODE), CAUSE_FETCH_PAGE
	/* SUM: S reads a U page only with SUM; S never fetches from one. */
	ACCESS_FAULT 19, PRV_S, s_load, VA(PAGE_USER), CAUSE_LOAD_PAGE
	li a0, MSTATUS_SUM
	csrs mstatus, a0
	ACCESS_OK 20, PRV_S, s_load, VA(PAGE_USER)
	CHECK a0, 0x2222222222222222
	ACCESS_FAULT 21, PRV_S, s_jump, VA(PAGE_UCODE), CAUSE_FETCH_PAGE
	li a0, MSTATUS_SUM
	csrc mstatus, a0
	/* U: its own pages work, S pages fault. */
	ACCESS_OK 22, PRV_U, u_load, VA(PAGE_USER)
	CHECK a0, 0x2222222222222222
	ACCESS_FAULT 23, PRV_U, u_load, VA(PAGE_RO), CAUSE_LOAD_PAGE
	ACCESS_OK 24, PRV_U, u_jump, VA(PAGE_UCODE)
	CHECK a0, 77
	ACCESS_FAULT 25, PRV_U, u_jump, VA(PAGE_CODE), CAUSE_FETCH_PAGE
	/* MXR: an execute-only page is readable only with MXR. */
	ACCESS_FAULT 26, PRV_S, s_load, VA(PAGE_XONLY), CAUSE_LOAD_PAGE
	li a0, MSTATUS_MXR
	csrs mstatus, a0
	ACCESS_OK 27, PRV_S, s_load, VA(PAGE_XONLY)
	CHECK a0, 0x2222222222222222
	ACCESS_FAULT 28, PRV_S, s_store, VA(PAGE_XONLY), CAUSE_STORE_PAGE
	li a0, MSTATUS_MXR
	csrc mstatus, a0
	/* A pointer (V without R/W/X) at the last level, reserved bits 63:54. */
	ACCESS_FAULT 29, PRV_S, s_load, VA(PAGE_PTR), CAUSE_LOAD_PAGE
	ACCESS_FAULT 30, PRV_S, s_load, VA(PAGE_RSVD), CAUSE_LOAD_PAGE
	/* Superpages: an aligned 2 MiB one works, misaligned 2 MiB and 1 GiB ones fault. */
	ACCESS_OK 31, PRV_S, s_load, 0x40200238
	CHECK a0, 0x5151515151515151
	ACCESS_FAULT 32, PRV_S, s_load, 0x40400238, CAUSE_LOAD_PAGE
	ACCESS_FAULT 33, PRV_S, s_load, 0x238, CAUSE_LOAD_PAGE
	/* Non-canonical: bits 63:39 must equal bit 38. */
	ACCESS_FAULT 34, PRV_S, s_load, 0x0000008000000000 | VA(PAGE_RO), CAUSE_LOAD_PAGE
	ACCESS_FAULT 35, PRV_S, s_load, 0xffffff8000000000 | VA(PAGE_RO), CAUSE_LOAD_PAGE
	/* A table at a hole: the spec makes the walk's failed read an access fault (5); QEMU 7.2
	 * reports a load page fault (13): either is accepted, with the VA in mtval. */
	li s4, 0x40600000
	RUN_IN PRV_S, s_load
	TEST 36
	TRAP_FIELD a0, TR_M_CAUSE
	li a1, CAUSE_LOAD_ACCESS
	beq a0, a1, 1f
	CHECK a0, CAUSE_LOAD_PAGE
1:	TRAP_FIELD a0, TR_M_TVAL
	CHECKR a0, s4
	/* A misaligned load across into an invalid page faults with the address of that page
	 * (QEMU's choice; the spec allows the access's address too). */
	ACCESS_OK 37, PRV_S, s_load, VA(PAGE_CROSS) + 0xff8
	li s4, VA(PAGE_CROSS) + 0xffc
	RUN_IN PRV_S, s_load
	CHECK_MTRAP_NUM 38, CAUSE_LOAD_PAGE
	TRAP_FIELD a0, TR_M_TVAL
	CHECK a0, VA(PAGE_CROSS + 1)

	/* A 32-bit instruction across two pages runs; with the second page invalid it raises a
	 * fetch page fault with mepc at the instruction and mtval at the second page (QEMU's
	 * choice; the spec allows the instruction's address too). */
	ACCESS_OK 57, PRV_S, s_jump, VA(PAGE_STRADDLE) + 0xffe
	CHECK a0, 55
	li s4, VA(PAGE_STRADDLE_BAD) + 0xffe
	RUN_IN PRV_S, s_jump
	CHECK_MTRAP_NUM 58, CAUSE_FETCH_PAGE
	TRAP_FIELD a0, TR_M_EPC
	CHECKR a0, s4
	TRAP_FIELD a0, TR_M_TVAL
	CHECK a0, VA(PAGE_STRADDLE_BAD + 1)

	/* sfence.vma: a changed PTE is seen after it. */
	ACCESS_OK 39, PRV_S, s_load, VA(PAGE_SWAP)
	CHECK a0, 0x1111111111111111
	PTE_TO l0, PAGE_SWAP, data2, PTE_V | PTE_R | PTE_A
	li s5, VA(PAGE_SWAP)
	sfence.vma s5, zero
	ACCESS_OK 40, PRV_S, s_load, VA(PAGE_SWAP)
	CHECK a0, 0x2222222222222222

	/* MPRV: M-mode loads translated with the privilege in MPP. */
	TEST 41
	li a0, MSTATUS_MPP
	csrc mstatus, a0
	li a0, (PRV_S << 11) | MSTATUS_MPRV
	csrs mstatus, a0
	li s4, VA(PAGE_RO)
	ld a0, 0(s4)
	li a1, MSTATUS_MPRV
	csrc mstatus, a1
	CHECK a0, 0x2222222222222222
	/* With MPP = U the S page faults. (The trap record is set up before MPRV goes on: under
	 * MPRV its stores would be translated as U too.) */
	TEST 42
	la t5, trap_record
	la t4, 1f
	sd t4, TR_RESUME(t5)
	li a0, MSTATUS_MPP
	csrc mstatus, a0
	li a0, MSTATUS_MPRV
	csrs mstatus, a0
	ld a0, 0(s4)
1:	li a0, MSTATUS_MPRV
	csrc mstatus, a0
	CHECK_MTRAP CAUSE_LOAD_PAGE

	/* Page faults delegated to S: stval and scause. */
	li a0, (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE) | (1 << CAUSE_FETCH_PAGE)
	csrw medeleg, a0
	li s4, VA(PAGE_INVALID) + 0x18
	RUN_IN PRV_S, s_load
	CHECK_MTRAP_NUM 43, CAUSE_ECALL_S
	TRAP_FIELD a0, TR_S_CAUSE
	CHECK a0, CAUSE_LOAD_PAGE
	TRAP_FIELD a0, TR_S_TVAL
	CHECKR a0, s4
	li s4, VA(PAGE_RO)
	RUN_IN PRV_U, u_store
	CHECK_MTRAP_NUM 44, CAUSE_ECALL_S
	TRAP_FIELD a0, TR_S_CAUSE
	CHECK a0, CAUSE_STORE_PAGE
	TRAP_FIELD a0, TR_S_PREV
	CHECK a0, PRV_U
	csrw medeleg, zero

	/* Sv48: the same tables one level down, plus a 512 GiB page. */
	la a0, root48
	srli a0, a0, 12
	li a1, SATP_SV48
	or a0, a0, a1
	csrw satp, a0
	sfence.vma
	TEST 45
	csrr a1, satp
	CHECKR a1, a0
	ACCESS_OK 46, PRV_S, s_load, VA(PAGE_RO)
	CHECK a0, 0x2222222222222222
	ACCESS_OK 47, PRV_S, s_load, 0x8000000000 + SUPER_PA + 0x238
	CHECK a0, 0x5151515151515151
	ACCESS_FAULT 48, PRV_S, s_load, 0x10000000000, CAUSE_LOAD_PAGE /* index 2: invalid */
	/* Canonical under Sv39 rules is not enough: bits 63:48 must equal bit 47. */
	ACCESS_FAULT 49, PRV_S, s_load, 0x0000800000000000, CAUSE_LOAD_PAGE
	ACCESS_OK 50, PRV_S, s_load, 0x0000008000000000 + SUPER_PA + 0x238
	CHECK a0, 0x5151515151515151

	/* Sv57: one more level, plus a 256 TiB page. */
	la a0, root57
	srli a0, a0, 12
	li a1, SATP_SV57
	or a0, a0, a1
	csrw satp, a0
	sfence.vma
	TEST 51
	csrr a1, satp
	CHECKR a1, a0
	ACCESS_OK 52, PRV_S, s_load, VA(PAGE_AD)
	CHECK a0, 0x1111111111111111
	ACCESS_OK 53, PRV_S, s_load, 0x1000000000000 + SUPER_PA + 0x238
	CHECK a0, 0x5151515151515151
	ACCESS_OK 54, PRV_S, s_load, 0x8000000000 + SUPER_PA + 0x238
	CHECK a0, 0x5151515151515151
	ACCESS_FAULT 55, PRV_S, s_load, 0x0080000000000000, CAUSE_LOAD_PAGE
	/* An unsupported mode leaves satp unchanged (the write is ignored as a whole). */
	TEST 56
	csrr a0, satp
	li a1, 11 << 60
	csrw satp, a1
	csrr a1, satp
	CHECKR a1, a0
	csrw satp, zero
	sfence.vma
	j pass

/* The code run in S or U: s4 is the address, a0 the result; each ends with ecall. Under the
 * mappings, U runs it through the U alias. */
s_load:
	ld a0, 0(s4)
	ecall
s_store:
	li a0, 0x7777
	sd a0, 0(s4)
	ecall
s_amo:
	amoadd.d a0, a0, (s4)
	ecall
s_jump:
	jalr s4
	ecall
	.set u_load, s_load + U_ALIAS
	.set u_store, s_store + U_ALIAS
	.set u_jump, s_jump + U_ALIAS

	/* Mapped at VA(PAGE_CODE) and VA(PAGE_UCODE): returns 77 to s_jump. */
	.align 12
code_page:
	li a0, 77
	ret
	.align 12

	/* A 4-byte instruction split over two pages: li a0, 55, then ret. */
	.align 12
straddle:
	.skip 4094
	.option push
	.option norvc
	li a0, 55
	ret
	.option pop
	.align 12

	.data
	.align 12
data1:
	.rept 512
	.dword 0x1111111111111111
	.endr
data2:
	.rept 512
	.dword 0x2222222222222222
	.endr

	.bss
	.align 12
root39:
	.skip 4096
l1:
	.skip 4096
l0:
	.skip 4096
root48:
	.skip 4096
root57:
	.skip 4096
