// SPDX-License-Identifier: MIT
/*
 * riscv64 instructions end to end: each program is decoded to IR by arch/riscv64/guest, verified,
 * optimized and run by the interpreter engine on the spike board, then the hart's registers are
 * checked. Programs were assembled with GNU as (the source is beside each word); they end in
 * WFI, and the trap vector holds a WFI too, so a run stops at the first trap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/emu.h"
#include "arch/riscv64/guest/spike.h"
#include "interp/emu.h"
#include "ir/builder.h"
#include "kernel/board.h"
#include "kernel/engine.h"
#include "kernel/vm.h"
#include "lib/str.h"
#include "mmu/gpa.h"

#define W(x) (uint8_t)(x), (uint8_t)((x) >> 8), (uint8_t)((x) >> 16), (uint8_t)((x) >> 24)
#define H(x) (uint8_t)(x), (uint8_t)((x) >> 8)

#define BASE RV_SPIKE_RAM_BASE
#define TRAP (BASE + 0x800)
#define DATA (BASE + 0x1000)
#define RAM_SIZE (16ull << 20)
#define WFI 0x10500073u

/* Register numbers by ABI name. */
enum {
	RA = 1,
	SP = 2,
	T0 = 5,
	A0 = 10,
	A1,
	A2,
	A3,
	A4,
	A5,
	A6,
	A7,
	S2 = 18,
	S3,
	S4,
	S5,
	S6,
	S7,
	S8,
	S9,
	S10,
	S11
};

static const uint8_t prog_alu[] = {
	W(0x00500513), /* addi a0,zero,5 */
	W(0xffd00593), /* addi a1,zero,-3 */
	W(0x00b50633), /* add a2,a0,a1 */
	W(0x40b506b3), /* sub a3,a0,a1 */
	W(0x00a5a733), /* slt a4,a1,a0 */
	W(0x00a5b7b3), /* sltu a5,a1,a0 */
	W(0x00a51833), /* sll a6,a0,a0 */
	W(0x4015d893), /* srai a7,a1,0x1 */
	W(0x03c5d913), /* srli s2,a1,0x3c */
	W(0xfffff9b7), /* lui s3,0xfffff */
	W(0x00000a17), /* auipc s4,0x0 */
	W(0x7ff50a9b), /* addiw s5,a0,2047 */
	W(0x800002b7), /* lui t0,0x80000 */
	W(0xfff2829b), /* addiw t0,t0,-1 */
	W(0x00528b3b), /* addw s6,t0,t0 */
	W(0x00a29bbb), /* sllw s7,t0,a0 */
	W(0x40a5dc3b), /* sraw s8,a1,a0 */
	W(0x0045dc9b), /* srliw s9,a1,0x4 */
	W(0xfff54d13), /* xori s10,a0,-1 */
	W(0x00f5fd93), /* andi s11,a1,15 */
};

static const uint8_t prog_branches[] = {
	W(0x00000513), /* addi a0,zero,0 */
	W(0x00a00593), /* addi a1,zero,10 */
	W(0x00b50533), /* add a0,a0,a1 */
	W(0xfff58593), /* addi a1,a1,-1 */
	W(0xfe059ce3), /* bne a1,zero,8 */
	W(0x00c000ef), /* jal ra,20 */
	W(0x00100693), /* addi a3,zero,1 */
	W(0x00c0006f), /* jal zero,28 */
	W(0x00700613), /* addi a2,zero,7 */
	W(0x00008067), /* jalr zero,0(ra) */
	W(0x00a5d463), /* bge a1,a0,30 */
	W(0x00100713), /* addi a4,zero,1 */
	W(0x00b56463), /* bltu a0,a1,38 */
	W(0x00100793), /* addi a5,zero,1 */
};

static const uint8_t prog_loadstore[] = {
	W(0x000802b7), /* lui t0,0x80 */
	W(0x0012829b), /* addiw t0,t0,1 */
	W(0x00c29293), /* slli t0,t0,0xc */
	W(0xff030337), /* lui t1,0xff030 */
	W(0x5073031b), /* addiw t1,t1,1287 */
	W(0x00c31313), /* slli t1,t1,0xc */
	W(0x09130313), /* addi t1,t1,145 */
	W(0x00c31313), /* slli t1,t1,0xc */
	W(0xb0d30313), /* addi t1,t1,-1267 */
	W(0x00f31313), /* slli t1,t1,0xf */
	W(0x78830313), /* addi t1,t1,1928 */
	W(0x0062b023), /* sd t1,0(t0) */
	W(0x00028503), /* lb a0,0(t0) */
	W(0x0002c583), /* lbu a1,0(t0) */
	W(0x00229603), /* lh a2,2(t0) */
	W(0x0022d683), /* lhu a3,2(t0) */
	W(0x0042a703), /* lw a4,4(t0) */
	W(0x0042e783), /* lwu a5,4(t0) */
	W(0x0012b803), /* ld a6,1(t0) */
	W(0x0062a423), /* sw t1,8(t0) */
	W(0x0082a883), /* lw a7,8(t0) */
	W(0x00628823), /* sb t1,16(t0) */
	W(0x00629923), /* sh t1,18(t0) */
	W(0x0102b903), /* ld s2,16(t0) */
};

static const uint8_t prog_muldiv[] = {
	W(0xff900513), /* addi a0,zero,-7 */
	W(0x00200593), /* addi a1,zero,2 */
	W(0x02b50633), /* mul a2,a0,a1 */
	W(0x02b516b3), /* mulh a3,a0,a1 */
	W(0x02b53733), /* mulhu a4,a0,a1 */
	W(0x02b527b3), /* mulhsu a5,a0,a1 */
	W(0x02b54833), /* div a6,a0,a1 */
	W(0x02b568b3), /* rem a7,a0,a1 */
	W(0x02055933), /* divu s2,a0,zero */
	W(0x020569b3), /* rem s3,a0,zero */
	W(0xfff0029b), /* addiw t0,zero,-1 */
	W(0x03f29293), /* slli t0,t0,0x3f */
	W(0xfff00313), /* addi t1,zero,-1 */
	W(0x0262ca33), /* div s4,t0,t1 */
	W(0x0262eab3), /* rem s5,t0,t1 */
	W(0x02b54b3b), /* divw s6,a0,a1 */
	W(0x02b57bbb), /* remuw s7,a0,a1 */
	W(0x02628c3b), /* mulw s8,t0,t1 */
	W(0x02055cbb), /* divuw s9,a0,zero */
};

static const uint8_t prog_amo[] = {
	W(0x000802b7), /* lui t0,0x80 */
	W(0x0012829b), /* addiw t0,t0,1 */
	W(0x00c29293), /* slli t0,t0,0xc */
	W(0x00500313), /* addi t1,zero,5 */
	W(0x0062b023), /* sd t1,0(t0) */
	W(0x1002b52f), /* lr.d a0,(t0) */
	W(0x00900393), /* addi t2,zero,9 */
	W(0x1872b5af), /* sc.d a1,t2,(t0) */
	W(0x0002b603), /* ld a2,0(t0) */
	W(0x1872b6af), /* sc.d a3,t2,(t0) */
	W(0x1002a72f), /* lr.w a4,(t0) */
	W(0x0002a023), /* sw zero,0(t0) */
	W(0x1872a7af), /* sc.w a5,t2,(t0) */
	W(0xfff00e13), /* addi t3,zero,-1 */
	W(0x01c2a82f), /* amoadd.w a6,t3,(t0) */
	W(0x0062a8af), /* amoadd.w a7,t1,(t0) */
	W(0xa072b92f), /* amomax.d s2,t2,(t0) */
	W(0x0e62b9af), /* amoswap.d.aqrl s3,t1,(t0) */
	W(0xc1c2ba2f), /* amominu.d s4,t3,(t0) */
	W(0x4072baaf), /* amoor.d s5,t2,(t0) */
	W(0x0002bb03), /* ld s6,0(t0) */
	W(0x21c2abaf), /* amoxor.w s7,t3,(t0) */
	W(0x0002ac03), /* lw s8,0(t0) */
};

static const uint8_t prog_amo_misaligned[] = {
	W(0x000802b7), /* lui t0,0x80 */
	W(0x0012829b), /* addiw t0,t0,1 */
	W(0x00c29293), /* slli t0,t0,0xc */
	W(0x00128293), /* addi t0,t0,1 */
	W(0x0002a52f), /* amoadd.w a0,zero,(t0) */
};

static const uint8_t prog_fp[] = {
	W(0x7ff0029b), /* addiw t0,zero,2047 */
	W(0x03329293), /* slli t0,t0,0x33 */
	W(0xf2028553), /* fmv.d.x fa0,t0 */
	W(0x00001337), /* lui t1,0x1 */
	W(0x0013031b), /* addiw t1,t1,1 */
	W(0x03231313), /* slli t1,t1,0x32 */
	W(0xf20305d3), /* fmv.d.x fa1,t1 */
	W(0x02b57653), /* fadd.d fa2,fa0,fa1 */
	W(0x12b576d3), /* fmul.d fa3,fa0,fa1 */
	W(0xc2059553), /* fcvt.w.d a0,fa1,rtz */
	W(0xc20585d3), /* fcvt.w.d a1,fa1,rne */
	W(0xc205b653), /* fcvt.w.d a2,fa1,rup */
	W(0xc205c6d3), /* fcvt.w.d a3,fa1,rmm */
	W(0x0021d073), /* csrrwi zero,frm,3 */
	W(0xc225f753), /* fcvt.l.d a4,fa1 */
	W(0xe20607d3), /* fmv.x.d a5,fa2 */
	W(0xa2b51853), /* flt.d a6,fa0,fa1 */
	W(0xa2a528d3), /* feq.d a7,fa0,fa0 */
	W(0xe2051953), /* fclass.d s2,fa0 */
	W(0x3fc003b7), /* lui t2,0x3fc00 */
	W(0xf0038453), /* fmv.w.x fs0,t2 */
	W(0x008474d3), /* fadd.s fs1,fs0,fs0 */
	W(0xe00489d3), /* fmv.x.w s3,fs1 */
	W(0x20841953), /* fsgnjn.s fs2,fs0,fs0 */
	W(0xe0090a53), /* fmv.x.w s4,fs2 */
	W(0xd00679d3), /* fcvt.s.w fs3,a2 */
	W(0x42098753), /* fcvt.d.s fa4,fs3 */
	W(0xe2070ad3), /* fmv.x.d s5,fa4 */
	W(0x00102b73), /* csrrs s6,fflags,zero */
	W(0xf20307d3), /* fmv.d.x fa5,t1 */
	W(0x0087fa53), /* fadd.s fs4,fa5,fs0 */
	W(0xe00a0bd3), /* fmv.x.w s7,fs4 */
	W(0xe0079c53), /* fclass.s s8,fa5 */
	W(0x2ab50853), /* fmin.d fa6,fa0,fa1 */
	W(0xe2080cd3), /* fmv.x.d s9,fa6 */
	W(0x5a0678d3), /* fsqrt.d fa7,fa2 */
	W(0xe2088d53), /* fmv.x.d s10,fa7 */
	W(0x52b57043), /* fmadd.d ft0,fa0,fa1,fa0 */
	W(0xe2000dd3), /* fmv.x.d s11,ft0 */
};

static const uint8_t prog_fp_mem[] = {
	W(0x000802b7), /* lui t0,0x80 */
	W(0x0012829b), /* addiw t0,t0,1 */
	W(0x00c29293), /* slli t0,t0,0xc */
	W(0x00200337), /* lui t1,0x200 */
	W(0x4913031b), /* addiw t1,t1,1169 */
	W(0x00f31313), /* slli t1,t1,0xf */
	W(0xed530313), /* addi t1,t1,-299 */
	W(0x00e31313), /* slli t1,t1,0xe */
	W(0x44330313), /* addi t1,t1,1091 */
	W(0x00c31313), /* slli t1,t1,0xc */
	W(0xd1830313), /* addi t1,t1,-744 */
	W(0x0062b023), /* sd t1,0(t0) */
	W(0x0002b507), /* fld fa0,0(t0) */
	W(0x00a2b427), /* fsd fa0,8(t0) */
	W(0x0082b503), /* ld a0,8(t0) */
	W(0x404913b7), /* lui t2,0x40491 */
	W(0xfdb3839b), /* addiw t2,t2,-37 */
	W(0x0072a823), /* sw t2,16(t0) */
	W(0x0102a587), /* flw fa1,16(t0) */
	W(0xe20585d3), /* fmv.x.d a1,fa1 */
	W(0x00b2aa27), /* fsw fa1,20(t0) */
	W(0x0142e603), /* lwu a2,20(t0) */
	W(0xc21516d3), /* fcvt.wu.d a3,fa0,rtz */
	W(0xfff00e13), /* addi t3,zero,-1 */
	W(0xd23e7653), /* fcvt.d.lu fa2,t3 */
	W(0xe2060753), /* fmv.x.d a4,fa2 */
	W(0xc22677d3), /* fcvt.l.d a5,fa2 */
	W(0x00102873), /* csrrs a6,fflags,zero */
};

static const uint8_t prog_fp_dyn_bad_frm[] = {
	W(0x0022d073), /* csrrwi zero,frm,5 */
	W(0x02a57553), /* fadd.d fa0,fa0,fa0 */
};

static const uint8_t prog_bitmanip1[] = {
	W(0x000ff537), /* lui a0,0xff */
	W(0x00f5051b), /* addiw a0,a0,15 */
	W(0x01c51513), /* slli a0,a0,0x1c */
	W(0x00150513), /* addi a0,a0,1 */
	W(0x00300593), /* addi a1,zero,3 */
	W(0x20b5a633), /* sh1add a2,a1,a1 */
	W(0x080506bb), /* add.uw a3,a0,zero */
	W(0x20b5673b), /* sh3add.uw a4,a0,a1 */
	W(0x0845179b), /* slli.uw a5,a0,0x4 */
	W(0x40b57833), /* andn a6,a0,a1 */
	W(0x60051893), /* clz a7,a0 */
	W(0x60151913), /* ctz s2,a0 */
	W(0x60251993), /* cpop s3,a0 */
	W(0x60059a1b), /* clzw s4,a1 */
	W(0x0ab56ab3), /* max s5,a0,a1 */
	W(0x0ab55b33), /* minu s6,a0,a1 */
	W(0x6b855b93), /* rev8 s7,a0 */
	W(0x28755c13), /* orc.b s8,a0 */
	W(0x6015dc93), /* rori s9,a1,0x1 */
	W(0x60b51d3b), /* rolw s10,a0,a1 */
	W(0x60451d93), /* sext.b s11,a0 */
};

static const uint8_t prog_bitmanip2[] = {
	W(0x000ff537), /* lui a0,0xff */
	W(0x00f5051b), /* addiw a0,a0,15 */
	W(0x01c51513), /* slli a0,a0,0x1c */
	W(0x00150513), /* addi a0,a0,1 */
	W(0x00300593), /* addi a1,zero,3 */
	W(0x0805463b), /* zext.h a2,a0 */
	W(0x28b016b3), /* bset a3,zero,a1 */
	W(0x48051713), /* bclri a4,a0,0x0 */
	W(0x49c55793), /* bexti a5,a0,0x1c */
	W(0x68b51833), /* binv a6,a0,a1 */
	W(0x40b548b3), /* xnor a7,a0,a1 */
	W(0x40b06933), /* orn s2,zero,a1 */
	W(0x60551993), /* sext.h s3,a0 */
	W(0x60151a1b), /* ctzw s4,a0 */
	W(0x60251a9b), /* cpopw s5,a0 */
	W(0x6015db1b), /* roriw s6,a1,0x1 */
	W(0x60b5dbb3), /* ror s7,a1,a1 */
	W(0x20b5cc33), /* sh2add s8,a1,a1 */
	W(0x0ab54cb3), /* min s9,a0,a1 */
	W(0x0ab57d33), /* maxu s10,a0,a1 */
	W(0x48b55db3), /* bext s11,a0,a1 */
};

static const uint8_t prog_csr[] = {
	W(0x000012b7), /* lui t0,0x1 */
	W(0x2342829b), /* addiw t0,t0,564 */
	W(0x34029073), /* csrrw zero,mscratch,t0 */
	W(0x34002573), /* csrrs a0,mscratch,zero */
	W(0x340025f3), /* csrrs a1,mscratch,zero */
	W(0x3402d673), /* csrrwi a2,mscratch,5 */
	W(0x3400f6f3), /* csrrci a3,mscratch,1 */
	W(0x34002773), /* csrrs a4,mscratch,zero */
	W(0xf14027f3), /* csrrs a5,mhartid,zero */
	W(0x30102873), /* csrrs a6,misa,zero */
};

/* Run with the PLIC's SEIP line up; interrupts stay disabled (mie is 0). */
static const uint8_t prog_mip_rmw[] = {
	W(0x34416573), /* csrrsi a0,mip,2 */
	W(0x344175f3), /* csrrci a1,mip,2 */
	W(0x34402673), /* csrrs a2,mip,zero */
};

static const uint8_t prog_csr_ro_write[] = {
	W(0xf1401073), /* csrrw zero,mhartid,zero */
};

static const uint8_t prog_ecall[] = {
	W(0x00000073), /* ecall */
};

static const uint8_t prog_user_ecall[] = {
	W(0x00000297), /* auipc t0,0x0 */
	W(0x01c28293), /* addi t0,t0,28 */
	W(0x34129073), /* csrrw zero,mepc,t0 */
	W(0x00002337), /* lui t1,0x2 */
	W(0x8003031b), /* addiw t1,t1,-2048 */
	W(0x30033073), /* csrrc zero,mstatus,t1 */
	W(0x30200073), /* mret */
	W(0x00000073), /* ecall */
};

static const uint8_t prog_cbo_zero[] = {
	W(0x000802b7), /* lui t0,0x80 */
	W(0x0012829b), /* addiw t0,t0,1 */
	W(0x00c29293), /* slli t0,t0,0xc */
	W(0xfff00313), /* addi t1,zero,-1 */
	W(0x0062b023), /* sd t1,0(t0) */
	W(0x0262bc23), /* sd t1,56(t0) */
	W(0x0462b023), /* sd t1,64(t0) */
	W(0x00828393), /* addi t2,t0,8 */
	W(0x0043a00f), /* cbo.zero (t2) */
	W(0x0002b503), /* ld a0,0(t0) */
	W(0x0382b583), /* ld a1,56(t0) */
	W(0x0402b603), /* ld a2,64(t0) */
};

static const uint8_t prog_cbo_user[] = {
	W(0x00000297), /* auipc t0,0x0 */
	W(0x01c28293), /* addi t0,t0,28 */
	W(0x34129073), /* csrrw zero,mepc,t0 */
	W(0x00002337), /* lui t1,0x2 */
	W(0x8003031b), /* addiw t1,t1,-2048 */
	W(0x30033073), /* csrrc zero,mstatus,t1 */
	W(0x30200073), /* mret */
	W(0x0040200f), /* cbo.zero (zero) */
};

static const uint8_t prog_compressed[] = {
	H(0x4515), /* c.li a0,5 */
	H(0x050d), /* c.addi a0,3 */
	H(0x85aa), /* c.mv a1,a0 */
	H(0x95aa), /* c.add a1,a0 */
	H(0x058a), /* c.slli a1,0x2 */
	W(0x00080137), /* lui sp,0x80 */
	H(0x2105), /* c.addiw sp,1 */
	H(0x0132), /* c.slli sp,0xc */
	H(0x6111), /* c.addi16sp sp,256 */
	H(0xe42e), /* c.sdsp a1,8(sp) */
	H(0x6622), /* c.ldsp a2,8(sp) */
	H(0x1141), /* c.addi sp,-16 */
	H(0xc02a), /* c.swsp a0,0(sp) */
	H(0x4682), /* c.lwsp a3,0(sp) */
	H(0x8205), /* c.srli a2,0x1 */
	H(0x8a3d), /* c.andi a2,15 */
	H(0x4701), /* c.li a4,0 */
	H(0x0705), /* c.addi a4,1 */
	H(0xe311), /* c.bnez a4,2a */
	H(0xbff5), /* c.j 24 */
	H(0xdf6d), /* c.beqz a4,24 */
	H(0x6785), /* c.lui a5,0x1 */
	H(0x37fd), /* c.addiw a5,-1 */
	H(0x8e89), /* c.sub a3,a0 */
};

static struct vm *vm;
static struct rv_cpu *hart;

static int group_setup(void **state)
{
	struct vm_config config;

	vm_config_init(&config);
	str_copy(config.name, sizeof(config.name), "rv");
	str_copy(config.board, sizeof(config.board), "spike");
	config.isa = VM_ISA_RISCV64;
	config.engine = VM_ENGINE_INTERP;
	config.memory_bytes = RAM_SIZE;
	config.cpus = 1;
	if (rv_guest_register() < 0 || interp_engine_register() < 0)
		return -1;
	if (vm_create(&config, &vm) < 0)
		return -1;
	hart = emu_cpu_of(&vm->vcpus[0])->state;
	return 0;
}

static int group_teardown(void **state)
{
	vm_destroy(vm);
	engine_unregister(&interp_engine_ops);
	board_unregister(&rv_spike_board);
	emu_unregister_guest(&rv_emu_guest_ops);
	return 0;
}

static void put_word(uint64_t addr, uint32_t word)
{
	assert_int_equal(gpa_write(vm->gpa, addr, &word, sizeof(word)), 0);
}

/*
 * Runs len bytes of code placed at pc in M mode (FS Initial, mtvec at TRAP) until the hart
 * halts in a WFI; prepare may adjust the hart's state first.
 */
static void run_at(uint64_t pc, const uint8_t *code, size_t len, void (*prepare)(struct rv_cpu *))
{
	static const uint8_t zeros[4096];
	struct rv_cpu state;
	struct vm_exit exit;

	assert_int_equal(gpa_write(vm->gpa, DATA, zeros, sizeof(zeros)), 0);
	assert_int_equal(gpa_write(vm->gpa, pc, code, len), 0);
	put_word(pc + len, WFI);
	put_word(TRAP, WFI);
	rv_cpu_reset(&state, 0, hart->platform);
	state.pc = pc;
	state.mtvec = TRAP;
	state.mstatus |= 1ull << 13;
	/* PMP open to S and U, as firmware leaves it. */
	state.pmpaddr[0] = (1ull << 54) - 1;
	state.pmpcfg[0] = 0x1f;
	if (prepare)
		prepare(&state);
	assert_int_equal(vm->engine->set_state(&vm->vcpus[0], (const struct arch_state *)&state),
			 0);
	for (int i = 0; i < 100; i++) {
		assert_int_equal(vm->engine->vcpu_run(&vm->vcpus[0], &exit), 0);
		if (exit.reason == VM_EXIT_HALT)
			return;
	}
	fail_msg("the program did not reach its WFI");
}

static void run(const uint8_t *code, size_t len)
{
	run_at(BASE, code, len, NULL);
}

/* The program ran to its end without trapping. */
static void assert_completed(size_t len)
{
	assert_int_equal(hart->pc, BASE + len + 4);
	assert_int_equal(hart->mcause, 0);
}

static void assert_trapped(uint64_t cause, uint64_t epc, uint64_t tval)
{
	assert_int_equal(hart->pc, TRAP + 4);
	assert_int_equal(hart->mcause, cause);
	assert_int_equal(hart->mepc, epc);
	assert_int_equal(hart->mtval, tval);
}

#define RUN(prog) run(prog, sizeof(prog))

static void test_rv64i_register_and_immediate_arithmetic(void **state)
{
	RUN(prog_alu);
	assert_completed(sizeof(prog_alu));
	assert_int_equal(hart->x[A2], 2);
	assert_int_equal(hart->x[A3], 8);
	assert_int_equal(hart->x[A4], 1);
	assert_int_equal(hart->x[A5], 0);
	assert_int_equal(hart->x[A6], 160);
	assert_int_equal(hart->x[A7], (uint64_t)-2);
	assert_int_equal(hart->x[S2], 0xf);
	assert_int_equal(hart->x[S3], 0xfffffffffffff000ull);
	assert_int_equal(hart->x[S4], BASE + 40);
	assert_int_equal(hart->x[S5], 2052);
	assert_int_equal(hart->x[S6], (uint64_t)-2);
	assert_int_equal(hart->x[S7], 0xffffffffffffffe0ull);
	assert_int_equal(hart->x[S8], (uint64_t)-1);
	assert_int_equal(hart->x[S9], 0x0fffffff);
	assert_int_equal(hart->x[S10], (uint64_t)-6);
	assert_int_equal(hart->x[S11], 13);
	assert_int_equal(hart->x[0], 0);
}

static void test_rv64i_branches_and_jumps(void **state)
{
	RUN(prog_branches);
	assert_completed(sizeof(prog_branches));
	assert_int_equal(hart->x[A0], 55);
	assert_int_equal(hart->x[A1], 0);
	assert_int_equal(hart->x[A2], 7);
	assert_int_equal(hart->x[A3], 1);
	assert_int_equal(hart->x[A4], 1);
	assert_int_equal(hart->x[A5], 1);
	assert_int_equal(hart->x[RA], BASE + 24);
}

static void test_rv64i_loads_extend_and_stores_truncate(void **state)
{
	RUN(prog_loadstore);
	assert_completed(sizeof(prog_loadstore));
	assert_int_equal(hart->x[A0], 0xffffffffffffff88ull);
	assert_int_equal(hart->x[A1], 0x88);
	assert_int_equal(hart->x[A2], 0xffffffffffff8586ull);
	assert_int_equal(hart->x[A3], 0x8586);
	assert_int_equal(hart->x[A4], 0xffffffff81828384ull);
	assert_int_equal(hart->x[A5], 0x81828384);
	/* Misaligned loads are split, as the spec allows for ordinary accesses. */
	assert_int_equal(hart->x[A6], 0x0081828384858687ull);
	assert_int_equal(hart->x[A7], 0xffffffff85868788ull);
	assert_int_equal(hart->x[S2], 0x0000000087880088ull);
}

static void test_m_extension_including_division_corner_cases(void **state)
{
	RUN(prog_muldiv);
	assert_completed(sizeof(prog_muldiv));
	assert_int_equal(hart->x[A2], (uint64_t)-14);
	assert_int_equal(hart->x[A3], (uint64_t)-1);
	assert_int_equal(hart->x[A4], 1);
	assert_int_equal(hart->x[A5], (uint64_t)-1);
	assert_int_equal(hart->x[A6], (uint64_t)-3);
	assert_int_equal(hart->x[A7], (uint64_t)-1);
	assert_int_equal(hart->x[S2], UINT64_MAX);
	assert_int_equal(hart->x[S3], (uint64_t)-7);
	assert_int_equal(hart->x[S4], 0x8000000000000000ull);
	assert_int_equal(hart->x[S5], 0);
	assert_int_equal(hart->x[S6], (uint64_t)-3);
	assert_int_equal(hart->x[S7], 1);
	assert_int_equal(hart->x[S8], 0);
	assert_int_equal(hart->x[S9], UINT64_MAX);
}

static void test_a_extension_lr_sc_and_amos(void **state)
{
	RUN(prog_amo);
	assert_completed(sizeof(prog_amo));
	assert_int_equal(hart->x[A0], 5);
	assert_int_equal(hart->x[A1], 0);
	assert_int_equal(hart->x[A2], 9);
	/* Without a reservation, and after the reserved value changed, SC fails. */
	assert_int_equal(hart->x[A3], 1);
	assert_int_equal(hart->x[A4], 9);
	assert_int_equal(hart->x[A5], 1);
	assert_int_equal(hart->x[A6], 0);
	assert_int_equal(hart->x[A7], (uint64_t)-1);
	assert_int_equal(hart->x[S2], 4);
	assert_int_equal(hart->x[S3], 9);
	assert_int_equal(hart->x[S4], 5);
	assert_int_equal(hart->x[S5], 5);
	assert_int_equal(hart->x[S6], 13);
	assert_int_equal(hart->x[S7], 13);
	assert_int_equal(hart->x[S8], (uint64_t)-14);
}

static void test_misaligned_amo_raises_store_misaligned(void **state)
{
	RUN(prog_amo_misaligned);
	assert_trapped(RV_EXC_STORE_MISALIGNED, BASE + sizeof(prog_amo_misaligned) - 4, 0x80001001);
}

static void test_f_and_d_arithmetic_conversions_and_nan_boxing(void **state)
{
	RUN(prog_fp);
	assert_completed(sizeof(prog_fp));
	assert_int_equal(hart->f[12], 0x4010000000000000ull);
	assert_int_equal(hart->f[13], 0x400e000000000000ull);
	assert_int_equal(hart->x[A0], 2);
	assert_int_equal(hart->x[A1], 2);
	assert_int_equal(hart->x[A2], 3);
	assert_int_equal(hart->x[A3], 3);
	assert_int_equal(hart->x[A4], 3);
	assert_int_equal(hart->x[A5], 0x4010000000000000ull);
	assert_int_equal(hart->x[A6], 1);
	assert_int_equal(hart->x[A7], 1);
	assert_int_equal(hart->x[S2], 1u << 6);
	assert_int_equal(hart->x[S3], 0x40400000);
	assert_int_equal(hart->f[9], 0xffffffff40400000ull);
	assert_int_equal(hart->x[S4], 0xffffffffbfc00000ull);
	assert_int_equal(hart->x[S5], 0x4008000000000000ull);
	assert_int_equal(hart->x[S6], 0x1);
	/* A double read as a single is not NaN-boxed: it is the canonical NaN. */
	assert_int_equal(hart->x[S7], 0x7fc00000);
	assert_int_equal(hart->x[S8], 1u << 9);
	assert_int_equal(hart->x[S9], 0x3ff8000000000000ull);
	assert_int_equal(hart->x[S10], 0x4000000000000000ull);
	assert_int_equal(hart->x[S11], 0x4015000000000000ull);
	assert_int_equal(hart->frm, 3);
	assert_int_equal(hart->mstatus & RV_MSTATUS_FS, RV_MSTATUS_FS_DIRTY);
}

static void test_fp_loads_stores_and_saturating_conversions(void **state)
{
	RUN(prog_fp_mem);
	assert_completed(sizeof(prog_fp_mem));
	assert_int_equal(hart->x[A0], 0x400921fb54442d18ull);
	assert_int_equal(hart->x[A1], 0xffffffff40490fdbull);
	assert_int_equal(hart->x[A2], 0x40490fdb);
	assert_int_equal(hart->x[A3], 3);
	assert_int_equal(hart->x[A4], 0x43f0000000000000ull);
	assert_int_equal(hart->x[A5], 0x7fffffffffffffffull);
	assert_int_equal(hart->x[A6], IR_FFLAG_INVALID | IR_FFLAG_INEXACT);
}

static void test_reserved_static_rounding_mode_is_illegal(void **state)
{
	/* fadd.d fa0, fa0, fa0 with rm = 5. */
	static const uint8_t prog[] = { W(0x02a55553) };

	RUN(prog);
	assert_trapped(RV_EXC_ILLEGAL_INSN, BASE, 0x02a55553);
}

static void test_dynamic_rounding_with_invalid_frm_is_illegal(void **state)
{
	RUN(prog_fp_dyn_bad_frm);
	assert_trapped(RV_EXC_ILLEGAL_INSN, BASE + 4, 0x02a57553);
}

static void fp_off(struct rv_cpu *cpu)
{
	cpu->mstatus &= ~RV_MSTATUS_FS;
}

static void test_fp_instructions_are_illegal_while_fs_is_off(void **state)
{
	static const uint8_t prog[] = { W(0x02a57553) };

	run_at(BASE, prog, sizeof(prog), fp_off);
	assert_trapped(RV_EXC_ILLEGAL_INSN, BASE, 0x02a57553);
}

static void test_fp_state_becomes_dirty_only_when_fp_state_changes(void **state)
{
	static const uint8_t moves[] = { W(0xe2050653) }; /* fmv.x.d a2,fa0 */
	static const uint8_t convert[] = { W(0xc2050553) }; /* fcvt.w.d a0,fa0,rne */
	static const uint8_t compare[] = { W(0xa2a525d3) }; /* feq.d a1,fa0,fa0 */

	RUN(moves);
	assert_int_equal(hart->mstatus & RV_MSTATUS_FS, 1ull << 13);
	/* Conversions and compares write no f register but may raise flags in fcsr. */
	RUN(convert);
	assert_int_equal(hart->mstatus & RV_MSTATUS_FS, RV_MSTATUS_FS_DIRTY);
	assert_true(hart->mstatus & RV_MSTATUS_SD);
	RUN(compare);
	assert_int_equal(hart->mstatus & RV_MSTATUS_FS, RV_MSTATUS_FS_DIRTY);
}

static void test_zba_zbb_zbs(void **state)
{
	RUN(prog_bitmanip1);
	assert_completed(sizeof(prog_bitmanip1));
	assert_int_equal(hart->x[A2], 9);
	assert_int_equal(hart->x[A3], 0xf0000001);
	assert_int_equal(hart->x[A4], 0x78000000bull);
	assert_int_equal(hart->x[A5], 0xf00000010ull);
	assert_int_equal(hart->x[A6], 0x0000ff00f0000000ull);
	assert_int_equal(hart->x[A7], 16);
	assert_int_equal(hart->x[S2], 0);
	assert_int_equal(hart->x[S3], 13);
	assert_int_equal(hart->x[S4], 30);
	assert_int_equal(hart->x[S5], 0x0000ff00f0000001ull);
	assert_int_equal(hart->x[S6], 3);
	assert_int_equal(hart->x[S7], 0x010000f000ff0000ull);
	assert_int_equal(hart->x[S8], 0x0000ff00ff0000ffull);
	assert_int_equal(hart->x[S9], 0x8000000000000001ull);
	assert_int_equal(hart->x[S10], 0xffffffff8000000full);
	assert_int_equal(hart->x[S11], 1);

	RUN(prog_bitmanip2);
	assert_completed(sizeof(prog_bitmanip2));
	assert_int_equal(hart->x[A2], 1);
	assert_int_equal(hart->x[A3], 8);
	assert_int_equal(hart->x[A4], 0x0000ff00f0000000ull);
	assert_int_equal(hart->x[A5], 1);
	assert_int_equal(hart->x[A6], 0x0000ff00f0000009ull);
	assert_int_equal(hart->x[A7], 0xffff00ff0ffffffdull);
	assert_int_equal(hart->x[S2], 0xfffffffffffffffcull);
	assert_int_equal(hart->x[S3], 1);
	assert_int_equal(hart->x[S4], 0);
	assert_int_equal(hart->x[S5], 5);
	assert_int_equal(hart->x[S6], 0xffffffff80000001ull);
	assert_int_equal(hart->x[S7], 0x6000000000000000ull);
	assert_int_equal(hart->x[S8], 15);
	assert_int_equal(hart->x[S9], 3);
	assert_int_equal(hart->x[S10], 0x0000ff00f0000001ull);
	assert_int_equal(hart->x[S11], 0);
}

static void test_compressed_instructions_run_like_their_expansions(void **state)
{
	RUN(prog_compressed);
	assert_completed(sizeof(prog_compressed));
	assert_int_equal(hart->x[A0], 8);
	assert_int_equal(hart->x[A1], 64);
	assert_int_equal(hart->x[A2], 0);
	assert_int_equal(hart->x[A3], 0);
	assert_int_equal(hart->x[A4], 1);
	assert_int_equal(hart->x[A5], 0xfff);
	assert_int_equal(hart->x[SP], 0x800010f0);
}

static void test_zicsr_reads_writes_and_sets(void **state)
{
	RUN(prog_csr);
	assert_completed(sizeof(prog_csr));
	assert_int_equal(hart->x[A0], 0x1234);
	assert_int_equal(hart->x[A1], 0x1234);
	assert_int_equal(hart->x[A2], 0x1234);
	assert_int_equal(hart->x[A3], 5);
	assert_int_equal(hart->x[A4], 4);
	assert_int_equal(hart->x[A5], 0);
	assert_int_equal(hart->x[A6], hart->misa);
}

static void raise_seip_line(struct rv_cpu *cpu)
{
	rv_cpu_set_irq_line(cpu, RV_MIP_SEIP, true);
}

/* The privileged spec: CSRRS/CSRRC on mip modify SEIP as software wrote it, not the OR with the
 * interrupt controller's line they read; else the line's level would stay latched. */
static void test_mip_read_modify_write_does_not_latch_the_external_line(void **state)
{
	const uint64_t s_bits = RV_MIP_SEIP | RV_MIP_SSIP;

	run_at(BASE, prog_mip_rmw, sizeof(prog_mip_rmw), raise_seip_line);
	assert_completed(sizeof(prog_mip_rmw));
	assert_int_equal(hart->x[A0] & s_bits, RV_MIP_SEIP);
	assert_int_equal(hart->x[A1] & s_bits, RV_MIP_SEIP | RV_MIP_SSIP);
	assert_int_equal(hart->x[A2] & s_bits, RV_MIP_SEIP);
	rv_cpu_set_irq_line(hart, RV_MIP_SEIP, false);
	assert_int_equal(rv_cpu_mip(hart) & s_bits, 0);
}

static void test_instret_counts_exactly_and_a_write_suppresses_its_own_increment(void **state)
{
	static const uint8_t prog[] = {
		W(0xb0205073), /* csrrwi zero,minstret,0 */
		W(0xb0202573), /* csrrs a0,minstret,zero */
		W(0x00158593), /* addi a1,a1,1 */
		W(0xb0202673), /* csrrs a2,minstret,zero */
	};

	RUN(prog);
	assert_completed(sizeof(prog));
	assert_int_equal(hart->x[A0], 0);
	assert_int_equal(hart->x[A2], 2);
}

static void test_csr_write_to_read_only_csr_traps_with_the_instruction(void **state)
{
	RUN(prog_csr_ro_write);
	assert_trapped(RV_EXC_ILLEGAL_INSN, BASE, 0xf1401073);
}

static void test_reserved_encodings_are_illegal_with_their_bits_in_tval(void **state)
{
	static const uint8_t zero_parcel[] = { H(0x0000) };
	static const uint8_t long_encoding[] = { W(0xffffffff) };
	static const uint8_t bad_branch[] = { W(0x00002063) }; /* BRANCH funct3 2 */
	static const uint8_t bad_addiw[] = { H(0x2001) }; /* c.addiw with rd = 0 */

	RUN(zero_parcel);
	assert_trapped(RV_EXC_ILLEGAL_INSN, BASE, 0);
	RUN(long_encoding);
	assert_trapped(RV_EXC_ILLEGAL_INSN, BASE, 0xffffffff);
	RUN(bad_branch);
	assert_trapped(RV_EXC_ILLEGAL_INSN, BASE, 0x00002063);
	RUN(bad_addiw);
	assert_trapped(RV_EXC_ILLEGAL_INSN, BASE, 0x2001);
}

static void test_ecall_cause_follows_the_privilege_mode(void **state)
{
	RUN(prog_ecall);
	assert_trapped(RV_EXC_ECALL_M, BASE, 0);
	RUN(prog_user_ecall);
	assert_trapped(RV_EXC_ECALL_U, BASE + 28, 0);
	assert_int_equal(hart->priv, RV_PRIV_M);
	assert_int_equal((hart->mstatus & RV_MSTATUS_MPP) >> RV_MSTATUS_MPP_SHIFT, RV_PRIV_U);
}

static void test_cbo_zero_clears_its_whole_block(void **state)
{
	RUN(prog_cbo_zero);
	assert_completed(sizeof(prog_cbo_zero));
	assert_int_equal(hart->x[A0], 0);
	assert_int_equal(hart->x[A1], 0);
	assert_int_equal(hart->x[A2], UINT64_MAX);
}

static void test_cbo_zero_in_user_mode_needs_envcfg(void **state)
{
	RUN(prog_cbo_user);
	assert_trapped(RV_EXC_ILLEGAL_INSN, BASE + 28, 0x0040200f);
}

static void test_instruction_straddling_pages_is_fetched_from_both(void **state)
{
	/* addi a0, zero, 42 across the boundary between two RAM pages. */
	static const uint8_t prog[] = { W(0x02a00513) };

	run_at(DATA - 2, prog, sizeof(prog), NULL);
	assert_int_equal(hart->x[A0], 42);
	assert_int_equal(hart->mcause, 0);
}

static void test_instruction_straddling_into_unmapped_space_faults_on_the_second_half(void **state)
{
	static const uint8_t half[] = { H(0x0513) };
	uint64_t end = BASE + RAM_SIZE;
	struct rv_cpu start;
	struct vm_exit exit;

	assert_int_equal(gpa_write(vm->gpa, end - 2, half, sizeof(half)), 0);
	put_word(TRAP, WFI);
	rv_cpu_reset(&start, 0, hart->platform);
	start.pc = end - 2;
	start.mtvec = TRAP;
	assert_int_equal(vm->engine->set_state(&vm->vcpus[0], (const struct arch_state *)&start),
			 0);
	assert_int_equal(vm->engine->vcpu_run(&vm->vcpus[0], &exit), 0);
	assert_int_equal(exit.reason, VM_EXIT_HALT);
	assert_trapped(RV_EXC_INSN_ACCESS, end - 2, end);
}

/* Translates the block at pc (the hart in M mode) without running it. */
static void translate_at(uint64_t pc, struct ir_block *block)
{
	struct emu_cpu *ecpu = emu_cpu_of(&vm->vcpus[0]);
	struct mmu_fault fault;

	hart->pc = pc;
	hart->priv = RV_PRIV_M;
	ir_block_init(block, &rv_ir_guest, pc);
	fault = rv_emu_guest_ops.translate(ecpu, block);
	assert_int_equal(fault.kind, MMU_FAULT_NONE);
}

static void test_blocks_end_at_the_page_boundary_and_the_size_limit(void **state)
{
	static struct ir_block block;
	static uint8_t nops[4096];
	const struct ir_op *last;

	for (size_t i = 0; i < sizeof(nops); i += 4)
		memcpy(nops + i, &(uint32_t){ 0x00000013 }, 4);
	assert_int_equal(gpa_write(vm->gpa, BASE, nops, sizeof(nops)), 0);
	translate_at(BASE + 4096 - 8, &block);
	assert_int_equal(block.guest_insns, 2);
	assert_int_equal(block.guest_bytes, 8);
	assert_int_equal(block.phys_page2, IR_NO_PAGE);
	last = &block.ops[block.nops - 1];
	assert_int_equal(last->opcode, IR_EXIT_GOTO);
	assert_int_equal(last->imm, BASE + 4096);
	translate_at(BASE, &block);
	assert_int_equal(block.guest_insns, 128);
	assert_int_equal(block.ops[block.nops - 1].imm, BASE + 128 * 4);
}

static void test_softmmu_faults_map_to_riscv_causes(void **state)
{
	static const struct {
		uint8_t kind, access;
		uint64_t cause;
	} cases[] = {
		{ MMU_FAULT_PAGE, MMU_LOAD, RV_EXC_LOAD_PAGE_FAULT },
		{ MMU_FAULT_PAGE, MMU_STORE, RV_EXC_STORE_PAGE_FAULT },
		{ MMU_FAULT_PAGE, MMU_FETCH, RV_EXC_INSN_PAGE_FAULT },
		{ MMU_FAULT_ACCESS, MMU_LOAD, RV_EXC_LOAD_ACCESS },
		{ MMU_FAULT_ACCESS, MMU_STORE, RV_EXC_STORE_ACCESS },
		{ MMU_FAULT_ACCESS, MMU_FETCH, RV_EXC_INSN_ACCESS },
		{ MMU_FAULT_MISALIGNED, MMU_LOAD, RV_EXC_LOAD_MISALIGNED },
		{ MMU_FAULT_MISALIGNED, MMU_STORE, RV_EXC_STORE_MISALIGNED },
	};
	uint64_t cause, tval;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mmu_fault fault = { cases[i].kind, cases[i].access, 0x1234 + i };

		rv_fault_cause(&fault, &cause, &tval);
		assert_int_equal(cause, cases[i].cause);
		assert_int_equal(tval, 0x1234 + i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rv64i_register_and_immediate_arithmetic),
		cmocka_unit_test(test_rv64i_branches_and_jumps),
		cmocka_unit_test(test_rv64i_loads_extend_and_stores_truncate),
		cmocka_unit_test(test_m_extension_including_division_corner_cases),
		cmocka_unit_test(test_a_extension_lr_sc_and_amos),
		cmocka_unit_test(test_misaligned_amo_raises_store_misaligned),
		cmocka_unit_test(test_f_and_d_arithmetic_conversions_and_nan_boxing),
		cmocka_unit_test(test_fp_loads_stores_and_saturating_conversions),
		cmocka_unit_test(test_reserved_static_rounding_mode_is_illegal),
		cmocka_unit_test(test_dynamic_rounding_with_invalid_frm_is_illegal),
		cmocka_unit_test(test_fp_instructions_are_illegal_while_fs_is_off),
		cmocka_unit_test(test_fp_state_becomes_dirty_only_when_fp_state_changes),
		cmocka_unit_test(test_zba_zbb_zbs),
		cmocka_unit_test(test_compressed_instructions_run_like_their_expansions),
		cmocka_unit_test(test_zicsr_reads_writes_and_sets),
		cmocka_unit_test(test_mip_read_modify_write_does_not_latch_the_external_line),
		cmocka_unit_test(
			test_instret_counts_exactly_and_a_write_suppresses_its_own_increment),
		cmocka_unit_test(test_csr_write_to_read_only_csr_traps_with_the_instruction),
		cmocka_unit_test(test_reserved_encodings_are_illegal_with_their_bits_in_tval),
		cmocka_unit_test(test_ecall_cause_follows_the_privilege_mode),
		cmocka_unit_test(test_cbo_zero_clears_its_whole_block),
		cmocka_unit_test(test_cbo_zero_in_user_mode_needs_envcfg),
		cmocka_unit_test(test_instruction_straddling_pages_is_fetched_from_both),
		cmocka_unit_test(
			test_instruction_straddling_into_unmapped_space_faults_on_the_second_half),
		cmocka_unit_test(test_blocks_end_at_the_page_boundary_and_the_size_limit),
		cmocka_unit_test(test_softmmu_faults_map_to_riscv_causes),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
