/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's model of a guest: a struct vm made from a struct vm_config, run by one engine
 * (kernel/engine.h) on one board (kernel/board.h), with one struct vcpu per virtual CPU.
 */
#ifndef PV_KERNEL_VM_H
#define PV_KERNEL_VM_H

#include "kernel/config.h"

struct board_ops;
struct engine_ops;
/* mmu/'s guest-physical address space: RAM regions and the devices' MMIO and PIO ranges. */
struct gpa_space;

enum vcpu_state {
	VCPU_STOPPED, /* created, or stopped by the monitor or a debugger: not scheduled */
	VCPU_RUNNABLE, /* waiting for a physical CPU */
	VCPU_RUNNING, /* inside its engine's vcpu_run */
	VCPU_HALTED, /* waiting for an interrupt (HLT, WFI) */
};

struct vcpu {
	unsigned id; /* 0-based; vCPU 0 boots the guest */
	struct vm *vm;
	enum vcpu_state state;
	void *engine_priv; /* the engine's per-vCPU state, owned by vm->engine */
};

struct vm {
	struct vm_config config;
	const struct engine_ops *engine;
	const struct board_ops *board;
	void *board_priv; /* the board's per-VM state (interrupt controllers, devices) */
	struct gpa_space *gpa; /* built by the board's create; NULL until then */
	struct vcpu *vcpus;
	unsigned nvcpus; /* vCPUs whose engine state is initialized */
};

/*
 * Makes a VM from config: picks its engine (engine_select) and board (board_find), lets the board
 * build the machine and the engine set up each vCPU; every vCPU starts VCPU_STOPPED. Returns 0, or
 * a negative errno after logging why, naming the VM: -ENOENT when no engine or board fits,
 * -EINVAL for a config no VM can have, -ENOMEM, or the board's or engine's error.
 */
int vm_create(const struct vm_config *config, struct vm **out);

/* Releases everything vm_create made; the vCPUs must not be running. */
void vm_destroy(struct vm *vm);

#endif
