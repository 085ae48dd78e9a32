/* Bare-metal wrapper of the bench loops for a spike board (polyrun's or QEMU's): M-mode, prints
 * the checksum in hex through the HTIF console, then reports pass through tohost. */
	.section .text.init, "ax"
	.globl _start
_start:
	.option push
	.option norelax
	la gp, __global_pointer$
	.option pop
	la sp, stack_top
	call bench_main
	mv s0, a0
	li s1, 16
1:	srli a0, s0, 60
	addi a0, a0, '0'
	li t1, '9'
	ble a0, t1, 2f
	addi a0, a0, 'a' - '9' - 1
2:	call putchar
	slli s0, s0, 4
	addi s1, s1, -1
	bnez s1, 1b
	li a0, '\n'
	call putchar
	li a0, 1
	call htif
3:	j 3b

/* putchar(a0): HTIF device 1 (console), command 1 (write a byte). */
putchar:
	li t0, 0x0101000000000000
	or a0, a0, t0
	/* fall through */
/* htif(a0): writes tohost and waits until the host has taken it. */
htif:
	la t0, tohost
	sd a0, 0(t0)
1:	ld t1, 0(t0)
	bnez t1, 1b
	ret

	.section .tohost, "aw"
	.align 3
	.globl tohost, fromhost
tohost:	.dword 0
	.size tohost, 8
fromhost: .dword 0
	.size fromhost, 8

	.bss
	.align 4
	.space 65536
stack_top:
