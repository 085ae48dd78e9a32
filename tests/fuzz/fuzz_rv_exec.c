// SPDX-License-Identifier: MIT
/*
 * Random riscv64 code run by the interpreter for a bounded number of blocks, on a machine as
 * small as Spike's core: 1 MiB of RAM at 0x80000000 and a clock, no devices. The input is the
 * trap vector's offset and then the code, copied to the start of RAM; the hart starts there in M
 * mode with every register pointing into RAM, so loads, stores, CSR writes, mret into S or U
 * mode, page tables made by the code and traps all happen. Guest exceptions are expected; what
 * must not happen is a host crash, a sanitizer report, a hang, or a block the IR verifier
 * refuses.
 *
 * The blocks are found in the block cache or translated, verified, optimized and interpreted
 * here step by step, as interp/engine.c does, rather than through vcpu_run, which only returns
 * at an exit the VM loop must see and so would let an endless guest loop run forever.
 */
#include <stdio.h>
#include <stdlib.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/emu.h"
#include "interp/cache.h"
#include "interp/emu.h"
#include "interp/interp.h"
#include "ir/builder.h"
#include "ir/opt.h"
#include "ir/verify.h"
#include "kernel/vm.h"
#include "mmu/gpa.h"
#include "mmu/tlb.h"
#include "fuzz.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1ull << 20)
#define CODE_MAX (64u << 10)
#define MAX_BLOCKS 1024

struct machine {
	struct vm vm;
	struct vcpu vcpu;
	struct rv_platform platform;
	uint64_t ticks;
	uint8_t *ram;
	struct ir_block block;
	uint64_t temps[IR_BLOCK_MAX_TEMPS];
};

/* A clock that moves with the calls: the timer fires, deterministically. */
static uint64_t machine_time(void *ctx)
{
	struct machine *m = ctx;

	return m->ticks += 16;
}

static struct machine *machine_create(void)
{
	static struct machine m;

	fuzz_quiet();
	if (emu_register_guest(&rv_emu_guest_ops) < 0)
		abort();
	m.vm.config.isa = VM_ISA_RISCV64;
	m.vm.config.cpus = 1;
	m.vm.gpa = gpa_space_create();
	if (!m.vm.gpa || gpa_add_ram(m.vm.gpa, RAM_BASE, RAM_SIZE, "ram") < 0)
		abort();
	m.ram = gpa_ram_ptr(m.vm.gpa, RAM_BASE, RAM_SIZE);
	m.platform.read_time = machine_time;
	m.platform.ctx = &m;
	m.platform.reset_pc = RAM_BASE;
	m.vm.board_priv = &m.platform;
	m.vm.vcpus = &m.vcpu;
	m.vm.nvcpus = 1;
	m.vcpu.vm = &m.vm;
	if (!m.ram || interp_engine_ops.vcpu_init(&m.vcpu) < 0)
		abort();
	return &m;
}

static void raise_fault(struct emu_cpu *cpu, const struct mmu_fault *fault)
{
	uint64_t cause, tval;

	cpu->ops->fault_cause(cpu, fault, &cause, &tval);
	emu_raise(cpu, cause, tval);
}

static void check_ir(const struct ir_block *block, const char *stage)
{
	char msg[160];

	if (!ir_verify(block, msg, sizeof(msg)))
		return;
	fprintf(stderr, "bad IR %s at %#llx: %s\n", stage, (unsigned long long)block->guest_pc,
		msg);
	abort();
}

/*
 * The block at the hart's PC from the vCPU's block cache, or translated, verified, optimized and
 * added to it, as interp/engine.c finds blocks; NULL when the guest took a fetch fault.
 */
static struct interp_block *find_block(struct machine *m, struct emu_cpu *cpu)
{
	uint64_t pc = *emu_pc(cpu), phys;
	unsigned idx = cpu->ops->fetch_mmu_idx(cpu);
	uint32_t flags = cpu->ops->block_flags(cpu);
	struct interp_block *block;
	struct mmu_fault fault;
	const uint8_t *host;
	bool newly;
	int64_t gen;

	fault = mmu_fetch(cpu->tlb, idx, pc, &host, &phys);
	if (fault.kind == MMU_FAULT_NONE) {
		block = interp_cache_lookup(cpu->cache, pc, phys, idx, flags, NULL);
		if (block)
			return block;
		gen = gpa_code_mark(cpu->gpa, phys, &newly);
		if (gen < 0)
			abort();
		ir_block_init(&m->block, cpu->ops->ir, pc);
		fault = cpu->ops->translate(cpu, &m->block);
	}
	if (fault.kind != MMU_FAULT_NONE) {
		cpu->insn_pc = pc;
		raise_fault(cpu, &fault);
		return NULL;
	}
	check_ir(&m->block, "from the frontend");
	ir_optimize(&m->block);
	check_ir(&m->block, "after ir_optimize");
	block = interp_cache_insert(cpu->cache, cpu->gpa, &m->block, (uint32_t)gen);
	if (!block)
		abort();
	tlb_sync_code_epoch(cpu->tlb);
	return block;
}

/* One block at the hart's PC: false when the hart stopped (WFI with nothing pending, an exit). */
static bool step(struct machine *m, struct emu_cpu *cpu)
{
	struct interp_exit result;
	struct interp_block *block;
	unsigned irq;

	irq = cpu->ops->check_interrupts(cpu);
	if (cpu->exit_pending || (cpu->halted && !irq))
		return false;
	cpu->halted = false;
	tlb_sync_code_epoch(cpu->tlb);
	block = find_block(m, cpu);
	if (!block)
		return true;
	cpu->raised = false;
	interp_exec(cpu, block->ops, m->temps, &result);
	cpu->stats.blocks_run++;
	cpu->stats.insns_run += block->insns;
	switch (result.kind) {
	case INTERP_EXIT_PC:
		*emu_pc(cpu) = result.pc;
		break;
	case INTERP_EXIT_EXCEPTION:
		emu_raise(cpu, result.cause, result.tval);
		break;
	case INTERP_EXIT_FAULT:
		raise_fault(cpu, &result.fault);
		break;
	case INTERP_EXIT_STATE:
	case INTERP_EXIT_RAISED:
		break;
	}
	return !cpu->exit_pending;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct machine *m;
	struct fuzz_input in = { data, size };
	struct emu_cpu *cpu;
	struct rv_cpu state;
	unsigned i;

	if (!m)
		m = machine_create();
	cpu = emu_cpu_of(&m->vcpu);
	memset(m->ram, 0, RAM_SIZE);
	m->ticks = 0;
	rv_cpu_reset(&state, 0, &m->platform);
	state.mtvec = RAM_BASE + 4u * fuzz_u8(&in);
	fuzz_bytes(&in, m->ram, in.len < CODE_MAX ? in.len : CODE_MAX);
	for (i = 1; i < 32; i++)
		state.x[i] = RAM_BASE + i * 0x800u;
	state.mstatus |= 1ull << 13; /* FS Initial: FP instructions run */
	/* PMP open to S and U, as firmware leaves it. */
	state.pmpaddr[0] = (1ull << 54) - 1;
	state.pmpcfg[0] = 0x1f;
	interp_engine_ops.set_state(&m->vcpu, (const struct arch_state *)&state);
	/* Nothing of the previous input carries over: same input, same run. The code was copied
	 * in behind the softmmu's back, so no cached block may survive it. */
	interp_cache_flush(cpu->cache);
	cpu->exit_pending = false;
	cpu->stats = (struct emu_stats){ 0 };
	for (i = 0; i < MAX_BLOCKS && step(m, cpu); i++)
		;
	return 0;
}
