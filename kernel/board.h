/* SPDX-License-Identifier: MIT */
/*
 * Guest boards (arch/<isa>/guest: a memory map, interrupt controllers, devices and the tables that
 * describe them) plug into kernel/ through this registry, by guest ISA and name: "virt" for
 * riscv64 is not "virt" for aarch64.
 */
#ifndef PV_KERNEL_BOARD_H
#define PV_KERNEL_BOARD_H

#include "kernel/config.h"
#include "kernel/vm.h"

struct board_ops {
	const char *name; /* what a config's board = names: "virt" */
	enum vm_isa isa;
	/* Builds the machine of vm (vm->gpa, vm->board_priv) from vm->config; when it fails, it
	 * logs why, naming the VM and the file or device at fault, and leaves nothing for destroy
	 * to release. */
	int (*create)(struct vm *vm);
	/* Releases what create made. */
	void (*destroy)(struct vm *vm);

	/* Optional hooks of the VM loop (kernel/vm_loop.h); NULL when the board has none. */

	/* Puts the machine back as create left it (devices, loaded images), for a guest's reset
	 * request; called with every vCPU stopped. Without it a reset request stops the VM. */
	int (*reset)(struct vm *vm);
	/* When, on plat_time_ns's clock, the board next raises an interrupt for vcpu by itself (a
	 * timer compare), so a halted vCPU sleeps until then; UINT64_MAX for never. Without it
	 * halted vCPUs look again every VM_LOOP_HALT_MAX_NS. */
	uint64_t (*next_event_ns)(struct vcpu *vcpu);
	/* What the guest reported when it powered off (a test's verdict): 0 for success, else a
	 * positive status. Without it a power-off is status 0. */
	int (*exit_status)(struct vm *vm);
};

#define BOARD_MAX 16

/*
 * Adds a board, at boot on one CPU like engine_register. Returns 0, -EINVAL for ops without a
 * name, an ISA or hooks, -EEXIST when the ISA already has a board of that name, -ENOSPC past
 * BOARD_MAX.
 */
int board_register(const struct board_ops *ops);
/* Removes a board; harmless if it is not registered. */
void board_unregister(const struct board_ops *ops);

/* The board called name for isa guests, or NULL. */
const struct board_ops *board_find(enum vm_isa isa, const char *name);

/*
 * The one guest ISA that has a board called name ("spike" is riscv64's alone), so a command line
 * that names the machine need not name the CPU. Returns 0, -ENOENT when no ISA has it, -EEXIST
 * when several do ("virt").
 */
int board_isa_by_name(const char *name, enum vm_isa *out);

#endif
