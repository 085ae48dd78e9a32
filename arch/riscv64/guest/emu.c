// SPDX-License-Identifier: MIT
/*
 * riscv64 as a guest of the emulation engine: the struct emu_guest_ops interp/ runs it with.
 * Fetching a block's code through the softmmu, ending blocks at page boundaries and a size
 * limit, and mapping the softmmu's faults to RISC-V causes live here; decoding, traps, CSRs
 * and the page walk are in their own files, usable without the engine.
 */
#include <stdint.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/decode.h"
#include "arch/riscv64/guest/emu.h"
#include "arch/riscv64/guest/mmu.h"
#include "arch/riscv64/guest/spike.h"
#include "arch/riscv64/guest/trap.h"
#include "arch/riscv64/guest/virt.h"
#include "interp/emu.h"
#include "ir/builder.h"

/* Long enough to amortize the block lookup, short enough to keep interrupts timely. */
#define RV_BLOCK_MAX_INSNS 128
/* How often a running hart polls its board's devices (a few microseconds of guest time). */
#define RV_POLL_BLOCKS 64

enum mmu_fault_kind rv_tlb_translate(void *ctx, uint64_t vaddr, enum mmu_access access,
				     unsigned mmu_idx, struct mmu_translation *out)
{
	struct emu_cpu *ecpu = ctx;
	const struct rv_cpu *cpu = ecpu->state;
	struct rv_walk walk;

	if (mmu_idx >= RV_MMU_IDX_COUNT)
		return MMU_FAULT_ACCESS;
	rv_walk(cpu, ecpu->gpa, vaddr, access, mmu_idx, &walk);
	if (walk.fault != MMU_FAULT_NONE)
		return walk.fault;
	*out = (struct mmu_translation){
		.paddr = walk.paddr & GPA_PAGE_MASK,
		.page_shift = (uint8_t)walk.page_shift,
		.prot = (uint8_t)walk.prot,
		.global = walk.global,
		.asid = rv_satp_asid(cpu->satp),
	};
	return MMU_FAULT_NONE;
}

static void rv_emu_reset(struct emu_cpu *ecpu)
{
	const struct rv_platform *platform = NULL;
	unsigned hartid = 0;

	if (ecpu->vcpu) {
		hartid = ecpu->vcpu->id;
		if (ecpu->vcpu->vm)
			platform = ecpu->vcpu->vm->board_priv;
	}
	rv_cpu_reset(ecpu->state, hartid, platform);
}

static uint32_t rv_parcel(const uint8_t *code)
{
	return (uint32_t)code[0] | ((uint32_t)code[1] << 8);
}

static struct mmu_fault rv_emu_translate(struct emu_cpu *ecpu, struct ir_block *block)
{
	const struct rv_cpu *cpu = ecpu->state;
	unsigned idx = rv_fetch_mmu_idx(cpu);
	uint64_t start = cpu->pc, pc = start, page_end = (start | (GPA_PAGE_SIZE - 1)) + 1, paddr;
	const uint8_t *code, *next_code;
	struct rv_decoder decoder;
	struct mmu_fault fault;
	uint32_t raw;

	fault = mmu_fetch(ecpu->tlb, idx, start, &code, &paddr);
	if (fault.kind != MMU_FAULT_NONE)
		return fault;
	block->guest_phys = paddr;
	block->mmu_idx = (uint8_t)idx;
	block->flags = rv_block_flags(cpu);
	block->phys_page2 = IR_NO_PAGE;
	rv_decoder_init(&decoder, block, cpu, block->flags);
	for (;;) {
		if (block->guest_insns >= RV_BLOCK_MAX_INSNS ||
		    !ir_block_room(block, RV_INSN_MAX_OPS, RV_INSN_MAX_TEMPS)) {
			ir_exit_goto(block, pc);
			break;
		}
		raw = rv_parcel(code + (pc - start));
		if (rv_insn_length(raw) == 4) {
			if (pc + 4 <= page_end) {
				raw |= rv_parcel(code + (pc - start) + 2) << 16;
			} else if (pc != start) {
				/* A straddling instruction starts a block of its own. */
				ir_exit_goto(block, pc);
				break;
			} else {
				fault = mmu_fetch(ecpu->tlb, idx, page_end, &next_code, &paddr);
				if (fault.kind != MMU_FAULT_NONE)
					return fault;
				block->phys_page2 = paddr & GPA_PAGE_MASK;
				raw |= rv_parcel(next_code) << 16;
			}
		}
		/* ir_insn_start, called by the decoder, counts the instruction in the block. */
		if (rv_decode_insn(&decoder, pc, raw)) {
			pc += rv_insn_length(raw);
			break;
		}
		pc += rv_insn_length(raw);
		if (pc >= page_end) {
			ir_exit_goto(block, pc);
			break;
		}
	}
	block->guest_bytes = (uint32_t)(pc - start);
	return (struct mmu_fault){ 0 };
}

static void rv_emu_raise_exception(struct emu_cpu *ecpu, uint64_t cause, uint64_t tval)
{
	rv_trap_enter(ecpu->state, cause, tval);
}

static unsigned rv_emu_check_interrupts(struct emu_cpu *ecpu)
{
	static const struct vm_exit shutdown = { .reason = VM_EXIT_SHUTDOWN };
	static const struct vm_exit reset_exit = { .reason = VM_EXIT_RESET };
	struct rv_cpu *cpu = ecpu->state;
	const struct rv_platform *platform = cpu->platform;
	bool reset = false;
	uint64_t cause, mip;

	/* Polled devices and Sstc's timer read the clock, too slow for every block: every
	 * RV_POLL_BLOCKS blocks, and at each check while the hart waits in WFI. */
	if (ecpu->halted || ecpu->stats.blocks_run % RV_POLL_BLOCKS == 0) {
		cpu->time_polled = rv_cpu_time(cpu);
		if (platform && platform->poll && platform->poll(platform->ctx, &reset))
			emu_exit(ecpu, reset ? &reset_exit : &shutdown);
	}
	mip = rv_cpu_mip_polled(cpu);
	if (!(mip & cpu->mie))
		return 0;
	cpu->wfi = false;
	cause = rv_interrupt_select(cpu, mip);
	if (!cause)
		return EMU_IRQ_PENDING;
	rv_trap_enter(cpu, cause, 0);
	return EMU_IRQ_PENDING | EMU_IRQ_TAKEN;
}

static unsigned rv_emu_fetch_mmu_idx(struct emu_cpu *ecpu)
{
	return rv_fetch_mmu_idx(ecpu->state);
}

static uint32_t rv_emu_block_flags(struct emu_cpu *ecpu)
{
	return rv_block_flags(ecpu->state);
}

/* [fault kind][access] -> cause; atomics report MMU_STORE and take the store/AMO causes. */
static const uint8_t rv_fault_causes[4][3] = {
	[MMU_FAULT_PAGE] = { RV_EXC_LOAD_PAGE_FAULT, RV_EXC_STORE_PAGE_FAULT,
			     RV_EXC_INSN_PAGE_FAULT },
	[MMU_FAULT_ACCESS] = { RV_EXC_LOAD_ACCESS, RV_EXC_STORE_ACCESS, RV_EXC_INSN_ACCESS },
	[MMU_FAULT_MISALIGNED] = { RV_EXC_LOAD_MISALIGNED, RV_EXC_STORE_MISALIGNED,
				   RV_EXC_INSN_MISALIGNED },
};

void rv_fault_cause(const struct mmu_fault *fault, uint64_t *cause, uint64_t *tval)
{
	unsigned kind = fault->kind < 4 ? fault->kind : MMU_FAULT_ACCESS;
	unsigned access = fault->access < 3 ? fault->access : MMU_LOAD;

	if (kind == MMU_FAULT_NONE)
		kind = MMU_FAULT_ACCESS;
	*cause = rv_fault_causes[kind][access];
	*tval = fault->vaddr;
}

static void rv_emu_fault_cause(struct emu_cpu *ecpu, const struct mmu_fault *fault, uint64_t *cause,
			       uint64_t *tval)
{
	rv_fault_cause(fault, cause, tval);
}

const struct emu_guest_ops rv_emu_guest_ops = {
	.isa = VM_ISA_RISCV64,
	.ir = &rv_ir_guest,
	.reset = rv_emu_reset,
	.translate = rv_emu_translate,
	.raise_exception = rv_emu_raise_exception,
	.check_interrupts = rv_emu_check_interrupts,
	.tlb_translate = rv_tlb_translate,
	.fetch_mmu_idx = rv_emu_fetch_mmu_idx,
	.block_flags = rv_emu_block_flags,
	.fault_cause = rv_emu_fault_cause,
};

int rv_guest_register(void)
{
	int err = emu_register_guest(&rv_emu_guest_ops);

	if (!err)
		err = board_register(&rv_spike_board);
	return err ? err : board_register(&rv_virt_board);
}
