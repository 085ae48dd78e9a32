/* Bare-metal wrapper of the differential test for a spike board (QEMU's or polyrun's): runs in
 * M-mode with FP on, writes the dump through the HTIF console (device 1, command 1: one
 * character per tohost write), then reports pass through tohost. A trap means a stream did
 * something the generator must not produce: it prints the cause and pc and fails. */
#define MSTATUS_FS (3 << 13)

	.section .text.init, "ax"
	.globl _start
_start:
	la sp, stack_top
	la t0, trap
	csrw mtvec, t0
	li t0, MSTATUS_FS
	csrs mstatus, t0
	call difftest_main
	li a0, 1
	call htif
1:	j 1b

	.text
	.globl difftest_write
/* htif(a0 = command): writes tohost and waits until the host has taken it. */
htif:
	la t0, tohost
	sd a0, 0(t0)
1:	ld t1, 0(t0)
	bnez t1, 1b
	la t0, fromhost
	sd zero, 0(t0)
	ret

/* difftest_write(text, len) */
difftest_write:
	mv t3, ra
	mv t4, a0
	add t5, a0, a1
1:	beq t4, t5, 2f
	lbu a0, 0(t4)
	li t2, 0x0101000000000000 /* device 1 (console), command 1 (putchar) */
	or a0, a0, t2
	call htif
	addi t4, t4, 1
	j 1b
2:	mv ra, t3
	ret

	.align 2
trap:
	la sp, stack_top
	la a0, trap_text
	la a1, trap_text_end
	sub a1, a1, a0
	call difftest_write
	csrr a0, mcause
	call put_reg
	csrr a0, mepc
	call put_reg
	li a0, (1 << 1) | 1
	call htif
1:	j 1b

/* put_reg(a0): " 0123456789abcdef" on the console. */
put_reg:
	mv t6, ra
	la t4, reg_text
	li t2, 16
1:	srli t3, a0, 60
	slli a0, a0, 4
	la t5, hex_digits
	add t5, t5, t3
	lbu t3, 0(t5)
	sb t3, 1(t4)
	addi t4, t4, 1
	addi t2, t2, -1
	bnez t2, 1b
	la a0, reg_text
	li a1, 17
	call difftest_write
	mv ra, t6
	ret

	.section .rodata
trap_text:
	.ascii "trap: mcause, mepc:"
trap_text_end:
hex_digits:
	.ascii "0123456789abcdef"

	.data
reg_text:
	.ascii " 0000000000000000"

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

	.bss
	.align 4
	.skip 8192
stack_top:
