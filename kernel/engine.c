// SPDX-License-Identifier: MIT
/* The engine registry and the engine = auto rule (see kernel/engine.h). */
#include <stddef.h>
#include <string.h>

#include "kernel/engine.h"
#include "lib/compiler.h"
#include "lib/errno.h"

static const struct engine_ops *engines[ENGINE_MAX];
static unsigned nengines;

int engine_register(const struct engine_ops *ops)
{
	unsigned i;

	if (!ops->name || !ops->probe || ops->kind == VM_ENGINE_AUTO || !ops->vcpu_init ||
	    !ops->vcpu_run || !ops->vcpu_kick || !ops->get_state || !ops->set_state ||
	    !ops->vcpu_destroy)
		return -EINVAL;
	for (i = 0; i < nengines; i++) {
		if (strcmp(engines[i]->name, ops->name) == 0)
			return -EEXIST;
	}
	if (nengines == ENGINE_MAX)
		return -ENOSPC;
	engines[nengines++] = ops;
	return 0;
}

void engine_unregister(const struct engine_ops *ops)
{
	unsigned i;

	for (i = 0; i < nengines; i++) {
		if (engines[i] == ops) {
			/* Keeps the rest in registration order: engine_find prefers the earlier. */
			memmove(&engines[i], &engines[i + 1],
				(nengines - i - 1) * sizeof(engines[0]));
			nengines--;
			return;
		}
	}
}

int engine_find(enum vm_engine kind, enum vm_isa isa, const struct engine_ops **out)
{
	int ret = -ENOENT;
	unsigned i;

	for (i = 0; i < nengines; i++) {
		if (engines[i]->kind != kind)
			continue;
		if (engines[i]->probe(isa)) {
			*out = engines[i];
			return 0;
		}
		ret = -ENOTSUP;
	}
	return ret;
}

enum vm_isa engine_host_isa(void)
{
#if defined(__x86_64__)
	return VM_ISA_X86_64;
#elif defined(__aarch64__)
	return VM_ISA_AARCH64;
#elif defined(__riscv) && __riscv_xlen == 64
	return VM_ISA_RISCV64;
#else
#error "Polyvisor runs on x86_64, aarch64 and riscv64 hosts"
#endif
}

int engine_select(enum vm_engine wanted, enum vm_isa isa, const struct engine_ops **out)
{
	static const enum vm_engine emulation_order[] = {
		VM_ENGINE_HYBRID,
		VM_ENGINE_JIT,
		VM_ENGINE_INTERP,
	};
	unsigned i;

	if (wanted != VM_ENGINE_AUTO)
		return engine_find(wanted, isa, out);
	if (isa == engine_host_isa() && engine_find(VM_ENGINE_HW, isa, out) == 0)
		return 0;
	for (i = 0; i < ARRAY_SIZE(emulation_order); i++) {
		if (engine_find(emulation_order[i], isa, out) == 0)
			return 0;
	}
	return -ENOENT;
}
