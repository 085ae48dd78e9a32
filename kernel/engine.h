/* SPDX-License-Identifier: MIT */
/*
 * The engine interface (ARCHITECTURE.md, "The engine interface"): the emulation engine (interp/,
 * jit/) and the hardware engines (vmx/<host>/) each provide a struct engine_ops and register it,
 * so kernel/ runs vCPUs without including any engine. struct vm_exit is what every engine reports
 * when a vCPU stops for something the VM loop must handle.
 */
#ifndef PV_KERNEL_ENGINE_H
#define PV_KERNEL_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/config.h"
#include "kernel/vm.h"

/* arch/<isa>/guest's architectural CPU state, one struct for both kinds of engine. */
struct arch_state;

enum vm_exit_reason {
	VM_EXIT_KICK, /* vcpu_kick made vcpu_run return; the guest needs nothing */
	VM_EXIT_MMIO, /* a load or store outside RAM: the board's devices answer it */
	VM_EXIT_PIO, /* an x86 IN or OUT */
	VM_EXIT_HALT, /* HLT or WFI: nothing to do until an interrupt */
	VM_EXIT_HYPERCALL, /* SBI ecall, PSCI or SMCCC hvc/smc, x86 VMCALL/VMMCALL */
	VM_EXIT_SHUTDOWN, /* the guest powered off */
	VM_EXIT_RESET, /* the guest asked for a reset */
	VM_EXIT_FAULT, /* the guest did something it cannot survive (triple fault, ...) */
	VM_EXIT_DEBUG, /* a breakpoint, watchpoint or single step for the gdbstub */
};

enum vm_debug_reason { VM_DEBUG_BREAKPOINT, VM_DEBUG_WATCHPOINT, VM_DEBUG_STEP };

struct vm_exit {
	enum vm_exit_reason reason;
	union {
		struct {
			uint64_t addr; /* guest-physical */
			/* The value stored, or for a load the value the VM loop puts here before
			 * the next vcpu_run completes the load with it. */
			uint64_t data;
			uint8_t size; /* 1, 2, 4 or 8 bytes */
			bool is_write;
		} mmio;
		struct {
			uint16_t port;
			uint8_t size; /* 1, 2 or 4 bytes */
			bool is_write;
			uint32_t data; /* as for mmio */
		} pio;
		struct {
			/* SBI: extension in nr (a7), function in func (a6); PSCI/SMCCC: function
			 * ID in nr (x0); x86: rax in nr. func is 0 where the ISA has none. */
			uint64_t nr;
			uint64_t func;
			uint64_t args[6];
			/* Set by the VM loop: SBI's (error, value) pair; the others use ret[0]. */
			uint64_t ret[2];
		} hypercall;
		struct {
			uint64_t cause; /* the ISA's own code: scause, ESR_EL2.EC, x86 exit code */
			uint64_t addr; /* the faulting address, when the cause has one */
		} fault;
		struct {
			enum vm_debug_reason reason;
			uint64_t addr; /* the breakpoint's PC or the watched data address */
		} debug;
	};
};

struct engine_ops {
	const char *name; /* for messages: "interp", "hybrid", "svm", "vt-x", "el2" */
	enum vm_engine kind; /* the engine = value that selects it; never VM_ENGINE_AUTO */
	/* Whether this engine can run guests of isa on this host now (the CPU has the extension,
	 * firmware left it enabled, the backend for this host ISA exists). */
	bool (*probe)(enum vm_isa isa);
	int (*vcpu_init)(struct vcpu *vcpu);
	/* Runs until an exit the VM loop must see, or returns VM_EXIT_KICK soon after
	 * plat_time_ns() passes vcpu->slice_end_ns when it is not 0; returns 0 with *exit
	 * filled, or an error. */
	int (*vcpu_run)(struct vcpu *vcpu, struct vm_exit *exit);
	/* Makes vcpu_run return soon (an interrupt to inject, a stop); callable from any CPU. */
	void (*vcpu_kick)(struct vcpu *vcpu);
	int (*get_state)(struct vcpu *vcpu, struct arch_state *state); /* gdbstub, snapshot */
	int (*set_state)(struct vcpu *vcpu, const struct arch_state *state);
	/* Releases what vcpu_init made. */
	void (*vcpu_destroy)(struct vcpu *vcpu);
	/* Optional: the vCPU as vcpu_init left it, after the board's reset (a guest's reset
	 * request); the vCPU is stopped. Without it a reset request stops the VM. */
	void (*vcpu_reset)(struct vcpu *vcpu);
};

#define ENGINE_MAX 8

/*
 * Adds an engine; the platform's entry point registers what it has before creating VMs, on one
 * CPU (the registry takes no lock). Returns 0, -EINVAL for ops without a name, a concrete kind or
 * any of the hooks, -EEXIST for a name already registered, -ENOSPC past ENGINE_MAX.
 */
int engine_register(const struct engine_ops *ops);
/* Removes an engine; harmless if it is not registered. */
void engine_unregister(const struct engine_ops *ops);

/*
 * The first registered engine of this kind whose probe accepts isa. Returns 0, -ENOENT when no
 * engine of this kind is registered, -ENOTSUP when those registered cannot run isa here.
 */
int engine_find(enum vm_engine kind, enum vm_isa isa, const struct engine_ops **out);

/*
 * The engine for engine = wanted. VM_ENGINE_AUTO takes hw when isa is the host's ISA and a hw
 * engine accepts it; otherwise the first usable of hybrid, jit and interp, fastest first (a build
 * without the JIT still runs guests in the interpreter). Returns engine_find's errors for a
 * concrete kind, and -ENOENT when auto finds nothing.
 */
int engine_select(enum vm_engine wanted, enum vm_isa isa, const struct engine_ops **out);

/* The ISA this hypervisor itself runs on. */
enum vm_isa engine_host_isa(void);

#endif
