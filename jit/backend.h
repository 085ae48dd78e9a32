/* SPDX-License-Identifier: MIT */
/*
 * The seam between the JIT's core (jit/jit.c: the code cache) and a host backend (jit/x86_64.c),
 * and the C slow paths compiled blocks call. A backend's output is position-independent (calls
 * go through absolute addresses, jumps stay inside the block), so it is produced in a scratch
 * buffer and copied into the code cache.
 */
#ifndef PV_JIT_BACKEND_H
#define PV_JIT_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jit/jit.h"

/* Whether this build has a backend for the host ISA it runs on. */
bool jit_backend_present(void);

/*
 * Translates ops[0..nops) into buf (cap bytes): *len bytes of code whose function entry is at
 * *entry. Returns 0, -ENOTSUP for an op the backend does not handle, -E2BIG when cap is too small.
 */
int jit_backend_translate(const struct jit_layout *layout, const struct ir_op *ops, unsigned nops,
			  uint8_t *buf, size_t cap, size_t *len, size_t *entry);

/* A load or store's ir_mem and result width, packed into one argument of the slow paths. */
#define JIT_MEM_IDX(desc) ((desc)&7u)
#define JIT_MEM_LOG2(desc) (((desc) >> 3) & 3u)
#define JIT_MEM_ALIGNED 0x20u
#define JIT_MEM_SIGN 0x40u
#define JIT_MEM_WIDE 0x80u /* the loaded value is I64 */
uint32_t jit_mem_desc(const struct ir_op *op);

/*
 * The TLB-miss paths of IR_LOAD and IR_STORE, as mmu_load/mmu_store would take them. Return false
 * when the access was done (a load's result, extended as the op says, in *out); true when it
 * faulted, with exit filled as a JIT_EXIT_FAULT.
 */
bool jit_load_slow(struct tlb *tlb, uint64_t vaddr, uint32_t desc, uint64_t *out,
		   struct jit_exit *exit);
bool jit_store_slow(struct tlb *tlb, uint64_t vaddr, uint64_t value, uint32_t desc,
		    struct jit_exit *exit);
/*
 * The host address of an atomic's memory at vaddr, as mmu_atomic_ptr finds it for a write; NULL
 * when the access faults, with exit filled as a JIT_EXIT_FAULT.
 */
void *jit_atomic_ptr(struct tlb *tlb, uint64_t vaddr, uint32_t desc, struct jit_exit *exit);

#endif
