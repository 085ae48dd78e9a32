/* Runs one generated stream and captures its final state (shared by both wrappers).
 *
 * run_stream(entry): saves the C caller's callee-saved state, jumps to the stream, which may
 * use every register, and comes back through stream_done, which stores x1..x31, f0..f31 and
 * fcsr into difftest_regs (x2, x8 and x31 hold buffer addresses: stored as 0, since the two
 * wrappers place the buffer differently). The scratch buffer difftest_buf is here too. */

	.text
	.globl run_stream, stream_done
run_stream:
	la t0, host_ctx
	sd ra, 0(t0)
	sd sp, 8(t0)
	sd gp, 16(t0)
	sd tp, 24(t0)
	sd s0, 32(t0)
	sd s1, 40(t0)
	sd s2, 48(t0)
	sd s3, 56(t0)
	sd s4, 64(t0)
	sd s5, 72(t0)
	sd s6, 80(t0)
	sd s7, 88(t0)
	sd s8, 96(t0)
	sd s9, 104(t0)
	sd s10, 112(t0)
	sd s11, 120(t0)
	jr a0

stream_done:
	/* x31 is the stream's AMO address register: free to use as the pointer. */
	la x31, difftest_regs
	sd x1, 8(x31)
	sd x3, 24(x31)
	sd x4, 32(x31)
	sd x5, 40(x31)
	sd x6, 48(x31)
	sd x7, 56(x31)
	sd x9, 72(x31)
	sd x10, 80(x31)
	sd x11, 88(x31)
	sd x12, 96(x31)
	sd x13, 104(x31)
	sd x14, 112(x31)
	sd x15, 120(x31)
	sd x16, 128(x31)
	sd x17, 136(x31)
	sd x18, 144(x31)
	sd x19, 152(x31)
	sd x20, 160(x31)
	sd x21, 168(x31)
	sd x22, 176(x31)
	sd x23, 184(x31)
	sd x24, 192(x31)
	sd x25, 200(x31)
	sd x26, 208(x31)
	sd x27, 216(x31)
	sd x28, 224(x31)
	sd x29, 232(x31)
	sd x30, 240(x31)
	sd zero, 0(x31)
	sd zero, 16(x31)
	sd zero, 64(x31)
	sd zero, 248(x31)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd f\n, (256 + \n * 8)(x31)
	.endr
	csrr x1, fcsr
	sd x1, 512(x31)
	la t0, host_ctx
	ld ra, 0(t0)
	ld sp, 8(t0)
	ld gp, 16(t0)
	ld tp, 24(t0)
	ld s0, 32(t0)
	ld s1, 40(t0)
	ld s2, 48(t0)
	ld s3, 56(t0)
	ld s4, 64(t0)
	ld s5, 72(t0)
	ld s6, 80(t0)
	ld s7, 88(t0)
	ld s8, 96(t0)
	ld s9, 104(t0)
	ld s10, 112(t0)
	ld s11, 120(t0)
	ret

	.bss
	.align 12
	.globl difftest_buf, difftest_regs
difftest_buf:
	.skip 4096
difftest_regs:
	.skip 520 /* x0..x31, f0..f31, fcsr */
	.align 3
host_ctx:
	.skip 128
