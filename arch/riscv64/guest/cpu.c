// SPDX-License-Identifier: MIT
/*
 * The hart's reset state, its description for the IR, and mip as the interrupt logic sees it:
 * software-written bits, lines driven by the board's devices from other threads, and Sstc's
 * supervisor timer comparison.
 */
#include <stddef.h>
#include <string.h>

#include "arch/riscv64/guest/cpu.h"
#include "lib/compiler.h"

static const char *const rv_x_names[32] = {
	"x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",	 "x7",	"x8",  "x9",  "x10",
	"x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",
	"x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30", "x31",
};

static const char *const rv_f_names[32] = {
	"f0",  "f1",  "f2",  "f3",  "f4",  "f5",  "f6",	 "f7",	"f8",  "f9",  "f10",
	"f11", "f12", "f13", "f14", "f15", "f16", "f17", "f18", "f19", "f20", "f21",
	"f22", "f23", "f24", "f25", "f26", "f27", "f28", "f29", "f30", "f31",
};

/* Other fields a block touches directly, named for ir_print. */
static const struct {
	size_t offset;
	const char *name;
} rv_field_names[] = {
	{ offsetof(struct rv_cpu, pc), "pc" },
	{ offsetof(struct rv_cpu, fflags), "fflags" },
	{ offsetof(struct rv_cpu, frm), "frm" },
	{ offsetof(struct rv_cpu, reservation_addr), "res_addr" },
	{ offsetof(struct rv_cpu, reservation_value), "res_value" },
	{ offsetof(struct rv_cpu, reservation_valid), "res_valid" },
	{ offsetof(struct rv_cpu, insns_retired), "instret" },
};

static const char *rv_state_name(size_t offset)
{
	size_t x0 = offsetof(struct rv_cpu, x), f0 = offsetof(struct rv_cpu, f);

	if (offset >= x0 && offset < x0 + sizeof(((struct rv_cpu *)0)->x))
		return offset % 8 == 0 ? rv_x_names[(offset - x0) / 8] : NULL;
	/* A single's upper half is the NaN box: printed as the register too. */
	if (offset >= f0 && offset < f0 + sizeof(((struct rv_cpu *)0)->f))
		return rv_f_names[(offset - f0) / 8];
	for (size_t i = 0; i < ARRAY_SIZE(rv_field_names); i++)
		if (rv_field_names[i].offset == offset)
			return rv_field_names[i].name;
	return NULL;
}

const struct ir_guest rv_ir_guest = {
	.isa_name = "riscv64",
	.state_size = sizeof(struct rv_cpu),
	.pc_offset = offsetof(struct rv_cpu, pc),
	.fflags_offset = offsetof(struct rv_cpu, fflags),
	.round_offset = offsetof(struct rv_cpu, frm),
	.canonical_nan = true,
	.state_name = rv_state_name,
};

/* misa: MXL = 2 (64-bit) and the letters I, M, A, F, D, C, S, U. */
#define RV_MISA_EXT(letter) (1ull << ((letter) - 'A'))
#define RV_MISA_VALUE                                                                \
	((2ull << 62) | RV_MISA_EXT('I') | RV_MISA_EXT('M') | RV_MISA_EXT('A') |     \
	 RV_MISA_EXT('F') | RV_MISA_EXT('D') | RV_MISA_EXT('C') | RV_MISA_EXT('S') | \
	 RV_MISA_EXT('U'))

void rv_cpu_reset(struct rv_cpu *cpu, uint64_t hartid, const struct rv_platform *platform)
{
	memset(cpu, 0, sizeof(*cpu));
	cpu->platform = platform;
	cpu->priv = RV_PRIV_M;
	cpu->pc = platform ? platform->reset_pc : 0;
	cpu->misa = RV_MISA_VALUE;
	cpu->mstatus = RV_MSTATUS_XLEN64;
	cpu->mhartid = hartid;
	cpu->x[10] = hartid;
	if (platform) {
		cpu->x[11] = platform->reset_a1;
		cpu->x[12] = platform->reset_a2;
	}
}

uint64_t rv_cpu_time(const struct rv_cpu *cpu)
{
	if (!cpu->platform || !cpu->platform->read_time)
		return 0;
	return cpu->platform->read_time(cpu->platform->ctx);
}

/* time is read only when Sstc needs it: time_fn(cpu) gives it. */
static uint64_t rv_cpu_mip_with(const struct rv_cpu *cpu,
				uint64_t (*time_fn)(const struct rv_cpu *))
{
	uint64_t mip = cpu->mip | __atomic_load_n(&cpu->mip_lines, __ATOMIC_ACQUIRE);

	/* With Sstc enabled STIP is the comparison itself, no longer a bit M mode writes. */
	if (cpu->menvcfg & RV_MENVCFG_STCE) {
		mip &= ~RV_MIP_STIP;
		if (time_fn(cpu) >= cpu->stimecmp)
			mip |= RV_MIP_STIP;
	}
	return mip;
}

static uint64_t rv_cpu_time_polled(const struct rv_cpu *cpu)
{
	return cpu->time_polled;
}

uint64_t rv_cpu_mip(const struct rv_cpu *cpu)
{
	return rv_cpu_mip_with(cpu, rv_cpu_time);
}

uint64_t rv_cpu_mip_polled(const struct rv_cpu *cpu)
{
	return rv_cpu_mip_with(cpu, rv_cpu_time_polled);
}

bool rv_cpu_set_irq_line(struct rv_cpu *cpu, uint64_t mip_bit, bool level)
{
	uint64_t was;

	if (!level) {
		__atomic_fetch_and(&cpu->mip_lines, ~mip_bit, __ATOMIC_RELEASE);
		return false;
	}
	/* One atomic step: two threads raising the line at once see one rising edge between them. */
	was = __atomic_fetch_or(&cpu->mip_lines, mip_bit, __ATOMIC_ACQ_REL);
	return (was & mip_bit) != mip_bit;
}
