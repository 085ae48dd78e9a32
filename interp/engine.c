// SPDX-License-Identifier: MIT
/*
 * The emulation engine: the guest-ISA registry of interp/emu.h and the engine_ops kernel/ runs
 * vCPUs through, three of them over one run loop (described in interp/emu.h) that differ only in
 * when a cached block gets host code from the JIT (jit/jit.h): never (VM_ENGINE_INTERP), the first
 * time it runs (VM_ENGINE_JIT), or once it ran EMU_HYBRID_THRESHOLD times (VM_ENGINE_HYBRID).
 * A block with host code runs it; any other runs in the interpreter.
 */
#include <stdarg.h>
#include <string.h>

#include "interp/cache.h"
#include "interp/emu.h"
#include "interp/interp.h"
#include "ir/builder.h"
#include "ir/opt.h"
#include "ir/print.h"
#include "ir/verify.h"
#include "jit/jit.h"
#include "lib/compiler.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "lib/plat.h"

#define EMU_MAX_GUESTS 8
/* How many blocks run between looks at the clock for the end of a time slice. */
#define EMU_SLICE_CHECK_BLOCKS 64
/* Each vCPU's code cache; past it the JIT starts over with what is still hot. */
#define EMU_JIT_CACHE_BYTES (32u << 20)

static const struct emu_guest_ops *guests[EMU_MAX_GUESTS];
static unsigned debug_flags;

/* What the engine keeps per vCPU besides the public struct emu_cpu. */
struct interp_vcpu {
	struct emu_cpu cpu;
	struct ir_block scratch; /* the frontend translates into it */
	struct jit *jit; /* NULL for VM_ENGINE_INTERP */
	uint32_t compile_after; /* runs of a block before it is compiled */
	uint64_t temps[IR_BLOCK_MAX_TEMPS];
};

int emu_register_guest(const struct emu_guest_ops *ops)
{
	unsigned i, free_slot = EMU_MAX_GUESTS;

	if (!ops || ops->isa == VM_ISA_NONE || !ops->ir || !ops->reset || !ops->translate ||
	    !ops->raise_exception || !ops->check_interrupts || !ops->tlb_translate ||
	    !ops->fetch_mmu_idx || !ops->fault_cause)
		return -EINVAL;
	for (i = 0; i < EMU_MAX_GUESTS; i++) {
		if (guests[i] && guests[i]->isa == ops->isa)
			return -EEXIST;
		if (!guests[i] && free_slot == EMU_MAX_GUESTS)
			free_slot = i;
	}
	if (free_slot == EMU_MAX_GUESTS)
		return -ENOSPC;
	guests[free_slot] = ops;
	return 0;
}

void emu_unregister_guest(const struct emu_guest_ops *ops)
{
	unsigned i;

	for (i = 0; i < EMU_MAX_GUESTS; i++)
		if (guests[i] == ops)
			guests[i] = NULL;
}

const struct emu_guest_ops *emu_find_guest(enum vm_isa isa)
{
	unsigned i;

	for (i = 0; i < EMU_MAX_GUESTS; i++)
		if (guests[i] && guests[i]->isa == isa)
			return guests[i];
	return NULL;
}

static emu_code_sink_fn code_sink;
static void *code_sink_ctx;

void emu_set_code_sink(emu_code_sink_fn sink, void *ctx)
{
	code_sink = sink;
	code_sink_ctx = ctx;
}

void emu_set_debug(unsigned flags)
{
	debug_flags = flags;
}

void emu_raise(struct emu_cpu *cpu, uint64_t cause, uint64_t tval)
{
	*emu_pc(cpu) = cpu->insn_pc;
	cpu->ops->raise_exception(cpu, cause, tval);
	cpu->raised = true;
	cpu->stats.exceptions++;
}

void emu_exit(struct emu_cpu *cpu, const struct vm_exit *exit)
{
	cpu->exit = *exit;
	cpu->exit_pending = true;
}

void emu_halt(struct emu_cpu *cpu)
{
	cpu->halted = true;
}

static void console_sink(void *ctx, const char *text, size_t len)
{
	console_write(text, len);
}

static fmt_sink_fn debug_sink = console_sink;
static void *debug_sink_ctx;

void emu_set_debug_sink(fmt_sink_fn sink, void *ctx)
{
	debug_sink = sink ? sink : console_sink;
	debug_sink_ctx = sink ? ctx : NULL;
}

static void debug_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void debug_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(debug_sink, debug_sink_ctx, fmt, ap);
	va_end(ap);
}

static void raise_fault(struct emu_cpu *cpu, const struct mmu_fault *fault)
{
	uint64_t cause, tval;

	cpu->ops->fault_cause(cpu, fault, &cause, &tval);
	emu_raise(cpu, cause, tval);
}

/*
 * Translates the block at pc (guest-physical phys) into the cache. Returns the block, NULL when
 * the first fetch faulted (the guest took the fault), or NULL with *err set.
 */
static struct interp_block *translate(struct interp_vcpu *iv, uint64_t pc, uint64_t phys, int *err)
{
	struct emu_cpu *cpu = &iv->cpu;
	struct ir_block *block = &iv->scratch;
	struct interp_block *cached;
	struct mmu_fault fault;
	char msg[160];
	bool newly;
	int64_t gen;

	/* Marked before the frontend reads the code: a write from now on moves the generation. */
	gen = gpa_code_mark(cpu->gpa, phys, &newly);
	if (gen < 0) {
		*err = (int)gen;
		return NULL;
	}
	ir_block_init(block, cpu->ops->ir, pc);
	fault = cpu->ops->translate(cpu, block);
	if (fault.kind != MMU_FAULT_NONE) {
		cpu->insn_pc = pc;
		raise_fault(cpu, &fault);
		return NULL;
	}
	if (ir_verify(block, msg, sizeof(msg))) {
		log_error("%s guest: bad IR from the frontend at %#llx: %s", cpu->ops->ir->isa_name,
			  (unsigned long long)pc, msg);
		ir_print(block, debug_sink, debug_sink_ctx);
		*err = -EINVAL;
		return NULL;
	}
	if (debug_flags & EMU_DEBUG_IR)
		ir_print(block, debug_sink, debug_sink_ctx);
	ir_optimize(block);
	if (debug_flags & EMU_DEBUG_IR) {
		debug_printf("  optimized:\n");
		ir_print(block, debug_sink, debug_sink_ctx);
	}
	cached = interp_cache_insert(cpu->cache, cpu->gpa, block, (uint32_t)gen);
	if (!cached) {
		*err = -ENOMEM;
		return NULL;
	}
	cpu->stats.blocks_translated++;
	return cached;
}

/* The block at the current PC, translated if needed; NULL when the guest took a fetch fault. */
static struct interp_block *find_block(struct interp_vcpu *iv, int *err)
{
	struct emu_cpu *cpu = &iv->cpu;
	uint64_t pc = *emu_pc(cpu), phys;
	unsigned idx = cpu->ops->fetch_mmu_idx(cpu);
	uint32_t flags = cpu->ops->block_flags ? cpu->ops->block_flags(cpu) : 0;
	struct interp_block *block;
	struct mmu_fault fault;
	const uint8_t *host;
	bool stale = false;

	block = interp_cache_jump(cpu->cache, pc, idx, flags, cpu->tlb->generation);
	if (block)
		return block;
	cpu->stats.blocks_looked_up++;
	fault = mmu_fetch(cpu->tlb, idx, pc, &host, &phys);
	if (fault.kind != MMU_FAULT_NONE) {
		cpu->insn_pc = pc;
		raise_fault(cpu, &fault);
		return NULL;
	}
	block = interp_cache_lookup(cpu->cache, pc, phys, idx, flags, &stale);
	if (stale)
		cpu->stats.blocks_invalidated++;
	if (!block) {
		block = translate(iv, pc, phys, err);
		/* Marking a new code page moved the code epoch: stores must not reach it fast. */
		tlb_sync_code_epoch(cpu->tlb);
	}
	if (block)
		interp_cache_remember_jump(cpu->cache, block, cpu->tlb->generation);
	return block;
}

static void finish_block(struct emu_cpu *cpu, const struct interp_exit *exit)
{
	switch (exit->kind) {
	case INTERP_EXIT_PC:
		*emu_pc(cpu) = exit->pc;
		break;
	case INTERP_EXIT_EXCEPTION:
		emu_raise(cpu, exit->cause, exit->tval);
		break;
	case INTERP_EXIT_FAULT:
		raise_fault(cpu, &exit->fault);
		break;
	case INTERP_EXIT_STATE:
	case INTERP_EXIT_RAISED:
		break;
	}
}

/* Gives the block host code, when the JIT takes it; a full code cache starts over first. */
static void compile_block(struct interp_vcpu *iv, struct interp_block *block)
{
	jit_code code;
	int err;

	err = jit_compile(iv->jit, block->ops, block->nops, &code);
	if (err == -ENOSPC) {
		interp_cache_forget_code(iv->cpu.cache);
		jit_flush(iv->jit);
		err = jit_compile(iv->jit, block->ops, block->nops, &code);
	}
	if (err) {
		block->jit_refused = true;
		return;
	}
	block->code = code;
	iv->cpu.stats.blocks_compiled++;
	if ((debug_flags & EMU_DEBUG_OUT_ASM) && code_sink) {
		const void *start;
		size_t len;

		jit_last_code(iv->jit, &start, &len);
		code_sink(code_sink_ctx, block->pc, start, len);
	}
}

/* Runs the block's host code; its exit reads as the interpreter's. */
static void run_compiled(struct interp_vcpu *iv, const struct interp_block *block,
			 struct interp_exit *exit)
{
	static const enum interp_exit_kind kinds[] = {
		[JIT_EXIT_PC] = INTERP_EXIT_PC,
		[JIT_EXIT_STATE] = INTERP_EXIT_STATE,
		[JIT_EXIT_EXCEPTION] = INTERP_EXIT_EXCEPTION,
		[JIT_EXIT_FAULT] = INTERP_EXIT_FAULT,
		[JIT_EXIT_RAISED] = INTERP_EXIT_RAISED,
	};
	struct jit_exit out;

	block->code(&iv->cpu, iv->temps, &out);
	iv->cpu.stats.blocks_run_compiled++;
	exit->kind = kinds[out.kind];
	exit->pc = out.pc;
	exit->cause = out.cause;
	exit->tval = out.tval;
	exit->fault = out.fault;
}

/* Hands a helper's emu_exit to the VM loop, before anything else can change the state. */
static bool take_pending_exit(struct emu_cpu *cpu, struct vm_exit *exit)
{
	if (!cpu->exit_pending)
		return false;
	cpu->exit_pending = false;
	*exit = cpu->exit;
	return true;
}

/* Whether the VM loop's time slice ended; the clock is read only every few blocks. */
static bool slice_over(struct emu_cpu *cpu)
{
	uint64_t end = cpu->vcpu->slice_end_ns;

	return end && cpu->stats.blocks_run % EMU_SLICE_CHECK_BLOCKS == 0 && plat_time_ns() >= end;
}

static int interp_vcpu_run(struct vcpu *vcpu, struct vm_exit *exit)
{
	struct emu_cpu *cpu = emu_cpu_of(vcpu);
	struct interp_vcpu *iv = container_of(cpu, struct interp_vcpu, cpu);
	struct interp_exit result;

	for (;;) {
		struct interp_block *block;
		unsigned irq;
		int err = 0;

		/* A plain load first: the exchange is a locked bus cycle, kicks are rare. */
		if (atomic_load_explicit(&cpu->exit_request, memory_order_relaxed) &&
		    atomic_exchange_explicit(&cpu->exit_request, 0, memory_order_acquire)) {
			exit->reason = VM_EXIT_KICK;
			return 0;
		}
		if (take_pending_exit(cpu, exit))
			return 0;
		irq = cpu->ops->check_interrupts(cpu);
		if (irq & EMU_IRQ_TAKEN)
			cpu->stats.interrupts++;
		/* The guest may stop the VM from here too (a board's power-off register). */
		if (take_pending_exit(cpu, exit))
			return 0;
		if (cpu->halted) {
			if (!irq) {
				exit->reason = VM_EXIT_HALT;
				return 0;
			}
			cpu->halted = false;
		}
		tlb_sync_code_epoch(cpu->tlb);
		block = find_block(iv, &err);
		if (err)
			return err;
		if (!block)
			continue;
		cpu->raised = false;
		if (iv->jit && !block->code && !block->jit_refused &&
		    ++block->runs >= iv->compile_after)
			compile_block(iv, block);
		if (block->code)
			run_compiled(iv, block, &result);
		else
			interp_exec(cpu, block->ops, iv->temps, &result);
		cpu->stats.blocks_run++;
		cpu->stats.insns_run += block->insns;
		finish_block(cpu, &result);
		if (slice_over(cpu)) {
			exit->reason = VM_EXIT_KICK;
			return 0;
		}
	}
}

static bool interp_probe(enum vm_isa isa)
{
	return emu_find_guest(isa) != NULL;
}

static bool jit_probe(enum vm_isa isa)
{
	return emu_find_guest(isa) != NULL && jit_available();
}

static size_t tlb_pages(void)
{
	return (sizeof(struct tlb) + PLAT_PAGE_SIZE - 1) / PLAT_PAGE_SIZE;
}

static void interp_vcpu_destroy(struct vcpu *vcpu)
{
	struct emu_cpu *cpu = emu_cpu_of(vcpu);
	struct interp_vcpu *iv;

	if (!cpu)
		return;
	iv = container_of(cpu, struct interp_vcpu, cpu);
	if (debug_flags & EMU_DEBUG_STATS)
		debug_printf(
			"vcpu %u: %llu blocks run, %llu looked up, %llu translated, %llu invalidated, "
			"%llu insns, "
			"%llu exceptions, %llu interrupts; tlb: %llu misses, %llu slow, "
			"%llu flushes\n",
			vcpu->id, (unsigned long long)cpu->stats.blocks_run,
			(unsigned long long)cpu->stats.blocks_looked_up,
			(unsigned long long)cpu->stats.blocks_translated,
			(unsigned long long)cpu->stats.blocks_invalidated,
			(unsigned long long)cpu->stats.insns_run,
			(unsigned long long)cpu->stats.exceptions,
			(unsigned long long)cpu->stats.interrupts,
			cpu->tlb ? (unsigned long long)cpu->tlb->stats.misses : 0ull,
			cpu->tlb ? (unsigned long long)cpu->tlb->stats.slow : 0ull,
			cpu->tlb ? (unsigned long long)cpu->tlb->stats.flushes : 0ull);
	if ((debug_flags & EMU_DEBUG_STATS) && iv->jit)
		debug_printf("vcpu %u: jit: %llu blocks compiled, %llu refused, %llu runs of host "
			     "code, %llu KiB of code, %llu code-cache flushes\n",
			     vcpu->id, (unsigned long long)cpu->stats.blocks_compiled,
			     (unsigned long long)jit_stats(iv->jit)->refused,
			     (unsigned long long)cpu->stats.blocks_run_compiled,
			     (unsigned long long)(jit_stats(iv->jit)->code_bytes >> 10),
			     (unsigned long long)jit_stats(iv->jit)->flushes);
	jit_destroy(iv->jit);
	interp_cache_destroy(cpu->cache);
	if (cpu->tlb)
		plat_pages_free(cpu->tlb, tlb_pages());
	if (cpu->state)
		plat_free(cpu->state);
	plat_free(iv);
	vcpu->engine_priv = NULL;
}

/* What a compiled block needs to find in struct emu_cpu. */
static const struct jit_layout emu_jit_layout = {
	.state = offsetof(struct emu_cpu, state),
	.tlb = offsetof(struct emu_cpu, tlb),
	.insn_pc = offsetof(struct emu_cpu, insn_pc),
	.raised = offsetof(struct emu_cpu, raised),
	.eval_fp = interp_eval_fp,
};

/* compile_after: 0 never compiles (the interpreter engine). */
static int emu_vcpu_init(struct vcpu *vcpu, uint32_t compile_after)
{
	const struct emu_guest_ops *ops = emu_find_guest(vcpu->vm->config.isa);
	struct interp_vcpu *iv;
	struct emu_cpu *cpu;

	if (!ops)
		return -ENOTSUP;
	if (!vcpu->vm->gpa)
		return -EINVAL;
	iv = plat_alloc(sizeof(*iv));
	if (!iv)
		return -ENOMEM;
	cpu = &iv->cpu;
	vcpu->engine_priv = cpu;
	cpu->vcpu = vcpu;
	cpu->ops = ops;
	cpu->gpa = vcpu->vm->gpa;
	atomic_init(&cpu->exit_request, 0);
	cpu->state = plat_alloc(ops->ir->state_size);
	cpu->tlb = plat_pages_alloc(tlb_pages());
	cpu->cache = interp_cache_create();
	iv->compile_after = compile_after;
	if (compile_after)
		iv->jit = jit_create(&emu_jit_layout, EMU_JIT_CACHE_BYTES);
	if (!cpu->state || !cpu->tlb || !cpu->cache || (compile_after && !iv->jit)) {
		interp_vcpu_destroy(vcpu);
		return -ENOMEM;
	}
	tlb_init(cpu->tlb, cpu->gpa, ops->tlb_translate, cpu);
	ops->reset(cpu);
	return 0;
}

static int interp_vcpu_init(struct vcpu *vcpu)
{
	return emu_vcpu_init(vcpu, 0);
}

static int jit_vcpu_init(struct vcpu *vcpu)
{
	return emu_vcpu_init(vcpu, 1);
}

static int hybrid_vcpu_init(struct vcpu *vcpu)
{
	return emu_vcpu_init(vcpu, EMU_HYBRID_THRESHOLD);
}

static void interp_vcpu_kick(struct vcpu *vcpu)
{
	struct emu_cpu *cpu = emu_cpu_of(vcpu);

	atomic_store_explicit(&cpu->exit_request, 1, memory_order_release);
}

static int interp_get_state(struct vcpu *vcpu, struct arch_state *state)
{
	struct emu_cpu *cpu = emu_cpu_of(vcpu);

	memcpy(state, cpu->state, cpu->ops->ir->state_size);
	return 0;
}

/* New state may change privilege, translation and code: nothing cached survives it. */
static int interp_set_state(struct vcpu *vcpu, const struct arch_state *state)
{
	struct emu_cpu *cpu = emu_cpu_of(vcpu);

	memcpy(cpu->state, state, cpu->ops->ir->state_size);
	tlb_flush_all(cpu->tlb, TLB_IDX_ALL);
	cpu->halted = false;
	return 0;
}

/* Like vcpu_init, keeping the allocations and the statistics: nothing translated survives. */
static void interp_vcpu_reset(struct vcpu *vcpu)
{
	struct emu_cpu *cpu = emu_cpu_of(vcpu);
	struct interp_vcpu *iv = container_of(cpu, struct interp_vcpu, cpu);

	cpu->ops->reset(cpu);
	tlb_flush_all(cpu->tlb, TLB_IDX_ALL);
	interp_cache_flush(cpu->cache);
	if (iv->jit)
		jit_flush(iv->jit);
	atomic_store(&cpu->exit_request, 0);
	cpu->halted = false;
	cpu->exit_pending = false;
	cpu->raised = false;
}

const struct engine_ops interp_engine_ops = {
	.name = "interp",
	.kind = VM_ENGINE_INTERP,
	.probe = interp_probe,
	.vcpu_init = interp_vcpu_init,
	.vcpu_run = interp_vcpu_run,
	.vcpu_kick = interp_vcpu_kick,
	.get_state = interp_get_state,
	.set_state = interp_set_state,
	.vcpu_destroy = interp_vcpu_destroy,
	.vcpu_reset = interp_vcpu_reset,
};

int interp_engine_register(void)
{
	return engine_register(&interp_engine_ops);
}

const struct engine_ops jit_engine_ops = {
	.name = "jit",
	.kind = VM_ENGINE_JIT,
	.probe = jit_probe,
	.vcpu_init = jit_vcpu_init,
	.vcpu_run = interp_vcpu_run,
	.vcpu_kick = interp_vcpu_kick,
	.get_state = interp_get_state,
	.set_state = interp_set_state,
	.vcpu_destroy = interp_vcpu_destroy,
	.vcpu_reset = interp_vcpu_reset,
};

const struct engine_ops hybrid_engine_ops = {
	.name = "hybrid",
	.kind = VM_ENGINE_HYBRID,
	.probe = jit_probe,
	.vcpu_init = hybrid_vcpu_init,
	.vcpu_run = interp_vcpu_run,
	.vcpu_kick = interp_vcpu_kick,
	.get_state = interp_get_state,
	.set_state = interp_set_state,
	.vcpu_destroy = interp_vcpu_destroy,
	.vcpu_reset = interp_vcpu_reset,
};

int jit_engine_register(void)
{
	int err;

	if (!jit_available())
		return -ENOTSUP;
	err = engine_register(&jit_engine_ops);
	if (!err)
		err = engine_register(&hybrid_engine_ops);
	if (err)
		engine_unregister(&jit_engine_ops);
	return err;
}
