// SPDX-License-Identifier: MIT
/*
 * What compiled blocks call in C (jit/backend.h): the softmmu's slow paths behind the TLB hit
 * path that the backend emits inline, with the interpreter's result rules (ir/eval.h).
 */
#include "jit/backend.h"

#include "ir/eval.h"

uint32_t jit_mem_desc(const struct ir_op *op)
{
	return op->mem.mmu_idx | (uint32_t)op->mem.log2_size << 3 |
	       (op->mem.aligned ? JIT_MEM_ALIGNED : 0) | (op->mem.sign ? JIT_MEM_SIGN : 0) |
	       (op->type == IR_I64 || op->type == IR_F64 ? JIT_MEM_WIDE : 0);
}

static bool fault_exit(struct jit_exit *exit, const struct mmu_fault *fault)
{
	exit->kind = JIT_EXIT_FAULT;
	exit->fault = *fault;
	return true;
}

bool jit_load_slow(struct tlb *tlb, uint64_t vaddr, uint32_t desc, uint64_t *out,
		   struct jit_exit *exit)
{
	unsigned bits = 8u << JIT_MEM_LOG2(desc);
	struct mmu_fault fault;
	uint64_t v;

	fault = mmu_load_slow(tlb, JIT_MEM_IDX(desc), vaddr, JIT_MEM_LOG2(desc),
			      desc & JIT_MEM_ALIGNED, &v);
	if (fault.kind != MMU_FAULT_NONE)
		return fault_exit(exit, &fault);
	v = (desc & JIT_MEM_SIGN) ? ir_sign_extend(v, bits) : ir_zero_extend(v, bits);
	*out = ir_fit(v, desc & JIT_MEM_WIDE);
	return false;
}

bool jit_store_slow(struct tlb *tlb, uint64_t vaddr, uint64_t value, uint32_t desc,
		    struct jit_exit *exit)
{
	struct mmu_fault fault;

	fault = mmu_store_slow(tlb, JIT_MEM_IDX(desc), vaddr, JIT_MEM_LOG2(desc),
			       desc & JIT_MEM_ALIGNED, value);
	if (fault.kind != MMU_FAULT_NONE)
		return fault_exit(exit, &fault);
	return false;
}

void *jit_atomic_ptr(struct tlb *tlb, uint64_t vaddr, uint32_t desc, struct jit_exit *exit)
{
	struct mmu_fault fault;
	void *host;

	fault = mmu_atomic_ptr(tlb, JIT_MEM_IDX(desc), vaddr, JIT_MEM_LOG2(desc), true, &host);
	if (fault.kind != MMU_FAULT_NONE) {
		fault_exit(exit, &fault);
		return NULL;
	}
	return host;
}
