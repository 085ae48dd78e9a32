/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's model of a guest: a struct vm made from a struct vm_config, run by one engine
 * (kernel/engine.h) on one board (kernel/board.h), with one struct vcpu per virtual CPU.
 */
#ifndef PV_KERNEL_VM_H
#define PV_KERNEL_VM_H

#include <stdatomic.h>
#include <stdint.h>

#include "kernel/config.h"
#include "lib/spinlock.h"

struct board_ops;
struct engine_ops;
/* kernel/vm_loop's view of a physical CPU (bare metal) or CPU slot (polyrun). */
struct sched_cpu;
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
	/* Written under cpu's lock by the VM loop (kernel/vm_loop.c). */
	enum vcpu_state state;
	void *engine_priv; /* the engine's per-vCPU state, owned by vm->engine */
	/* The CPU the VM loop runs it on, from the first vm_start until vm_destroy. */
	struct sched_cpu *cpu;
	/* Set by vm_vcpu_kick: a HALTED vCPU runs again to look at its interrupts. */
	atomic_uint wake;
	/* HALTED: when to look again without a kick (the board's next timer event). */
	uint64_t halt_until_ns;
	/* Set before each vcpu_run: the engine returns VM_EXIT_KICK soon after plat_time_ns()
	 * passes it, so vCPUs sharing a CPU take turns; 0 when the vCPU has its CPU alone. */
	uint64_t slice_end_ns;
};

/* What ended a VM's run: the first reason recorded stands until the VM is started again. */
enum vm_stop_reason {
	VM_STOP_NONE, /* running */
	VM_STOP_REQUEST, /* vm_stop: the monitor paused it; vm_start resumes it */
	VM_STOP_SHUTDOWN, /* the guest powered off */
	VM_STOP_RESET, /* the guest asked for a reset: the VM loop resets and restarts it */
	VM_STOP_ERROR, /* a guest fault, an engine error or an exit nobody serves */
};

enum vm_run_state {
	VM_IDLE, /* created, or stopped: no vCPU is in its engine */
	VM_RUNNING, /* vm_start placed its vCPUs; some may be stopping */
};

struct vm {
	struct vm_config config;
	const struct engine_ops *engine;
	const struct board_ops *board;
	void *board_priv; /* the board's per-VM state (interrupt controllers, devices) */
	struct gpa_space *gpa; /* built by the board's create; NULL until then */
	struct vcpu *vcpus;
	unsigned nvcpus; /* vCPUs whose engine state is initialized */

	/* The VM loop's state (kernel/vm_loop.c), under lock. */
	struct spinlock lock;
	enum vm_run_state run_state;
	enum vm_stop_reason stop_reason;
	/* The result vm_wait returns: 0, the guest's non-zero exit status, or a negative errno. */
	int status;
	unsigned vcpus_active; /* vCPUs of a running VM not yet stopped */
	struct sched_cpu *waiter; /* the CPU of a vm_wait caller, woken when the VM stops */
};

/*
 * Makes a VM from config: picks its engine (engine_select) and board (board_find), lets the board
 * build the machine and the engine set up each vCPU; every vCPU starts VCPU_STOPPED. Returns 0, or
 * a negative errno after logging why, naming the VM: -ENOENT when no engine or board fits,
 * -EINVAL for a config no VM can have, -ENOMEM, or the board's or engine's error.
 */
int vm_create(const struct vm_config *config, struct vm **out);

/* Releases everything vm_create made; the VM must not be running (vm_wait has returned). */
void vm_destroy(struct vm *vm);

#endif
