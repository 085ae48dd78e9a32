// SPDX-License-Identifier: MIT
/* VM lifecycle (see kernel/vm.h). */
#include <string.h>

#include "kernel/board.h"
#include "kernel/engine.h"
#include "kernel/vm.h"
#include "kernel/vm_loop.h"
#include "lib/errno.h"
#include "lib/log.h"
#include "lib/plat.h"

/* Says why no engine could be picked, in the words of the config that asked for it. */
static void log_no_engine(const struct vm_config *config, int err)
{
	const char *isa = config_isa_name(config->isa);
	const char *engine = config_engine_name(config->engine);

	if (config->engine == VM_ENGINE_AUTO)
		log_error("vm %s: no engine can run %s guests here (hw, hybrid, jit and interp are "
			  "all missing or unusable)",
			  config->name, isa);
	else if (err == -ENOTSUP)
		log_error("vm %s: engine '%s' cannot run %s guests on this host", config->name,
			  engine, isa);
	else
		log_error("vm %s: engine '%s' is not part of this build", config->name, engine);
}

static int vcpus_create(struct vm *vm)
{
	unsigned count = vm->config.cpus;
	unsigned i;

	vm->vcpus = plat_alloc(count * sizeof(*vm->vcpus));
	if (!vm->vcpus) {
		log_error("vm %s: out of memory for %u vCPUs", vm->config.name, count);
		return -ENOMEM;
	}
	for (i = 0; i < count; i++) {
		struct vcpu *vcpu = &vm->vcpus[i];
		int ret;

		vcpu->id = i;
		vcpu->vm = vm;
		vcpu->state = VCPU_STOPPED;
		atomic_init(&vcpu->wake, 0);
		ret = vm->engine->vcpu_init(vcpu);
		if (ret < 0) {
			log_error("vm %s: engine %s: vCPU %u: %s", vm->config.name,
				  vm->engine->name, i, pv_strerror(ret));
			return ret;
		}
		vm->nvcpus++;
	}
	return 0;
}

int vm_create(const struct vm_config *config, struct vm **out)
{
	const struct engine_ops *engine;
	const struct board_ops *board;
	struct vm *vm;
	int ret;

	if (config->isa == VM_ISA_NONE || config->cpus < 1 || config->cpus > CONFIG_MAX_CPUS) {
		log_error("vm %s: needs a guest ISA and 1 to %d vCPUs", config->name,
			  CONFIG_MAX_CPUS);
		return -EINVAL;
	}
	ret = engine_select(config->engine, config->isa, &engine);
	if (ret < 0) {
		log_no_engine(config, ret);
		return -ENOENT;
	}
	board = board_find(config->isa, config->board);
	if (!board) {
		log_error("vm %s: no board '%s' for %s guests", config->name, config->board,
			  config_isa_name(config->isa));
		return -ENOENT;
	}

	vm = plat_alloc(sizeof(*vm));
	if (!vm) {
		log_error("vm %s: out of memory", config->name);
		return -ENOMEM;
	}
	memcpy(&vm->config, config, sizeof(*config));
	vm->engine = engine;
	spin_lock_init(&vm->lock);
	vm->run_state = VM_IDLE;
	ret = board->create(vm);
	if (ret < 0) {
		plat_free(vm);
		return ret;
	}
	vm->board = board;
	ret = vcpus_create(vm);
	if (ret < 0) {
		vm_destroy(vm);
		return ret;
	}
	log_info("vm %s: %s guest, engine %s, board %s, %llu MiB, %u vCPU%s", config->name,
		 config_isa_name(config->isa), engine->name, board->name,
		 (unsigned long long)(config->memory_bytes >> 20), config->cpus,
		 config->cpus == 1 ? "" : "s");
	*out = vm;
	return 0;
}

void vm_destroy(struct vm *vm)
{
	unsigned i;

	for (i = 0; i < vm->nvcpus; i++) {
		vm_loop_detach(&vm->vcpus[i]);
		vm->engine->vcpu_destroy(&vm->vcpus[i]);
	}
	if (vm->vcpus)
		plat_free(vm->vcpus);
	vm->board->destroy(vm);
	plat_free(vm);
}
