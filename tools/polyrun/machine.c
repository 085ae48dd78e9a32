// SPDX-License-Identifier: MIT
/* -M's properties (machine.h): each key of a table, served in the order the user gave them. */
#include <stdio.h>
#include <string.h>

#include "arch/riscv64/guest/virt.h"
#include "tools/polyrun/machine.h"

#define EXIT_VM 3

/* Writes the board's device tree to path; returns polyrun's exit status. */
static int machine_dumpdtb(struct vm *vm, const char *path)
{
	const void *dtb;
	size_t size;
	FILE *out;

	if (rv_virt_dtb(vm, &dtb, &size) < 0) {
		fprintf(stderr, "polyrun: -M %s: dumpdtb: this board has no device tree\n",
			vm->config.board);
		return EXIT_VM;
	}
	out = fopen(path, "wb");
	if (!out || fwrite(dtb, 1, size, out) != size || fclose(out) != 0) {
		perror(path);
		return EXIT_VM;
	}
	return 0;
}

static const struct {
	const char *key;
	int (*serve)(struct vm *vm, const char *value);
} machine_props[] = {
	{ "dumpdtb", machine_dumpdtb },
};

int polyrun_machine_actions(const struct polyrun_options *opts, struct vm *vm)
{
	for (unsigned i = 0; i < opts->nmachine_props; i++) {
		const struct polyrun_prop *prop = &opts->machine_props[i];
		size_t k = 0;

		while (k < sizeof(machine_props) / sizeof(machine_props[0]) &&
		       strcmp(machine_props[k].key, prop->key) != 0)
			k++;
		if (k == sizeof(machine_props) / sizeof(machine_props[0])) {
			fprintf(stderr, "polyrun: -M %s: unknown property '%s' (known: dumpdtb)\n",
				vm->config.board, prop->key);
			return EXIT_VM;
		}
		return machine_props[k].serve(vm, prop->value);
	}
	return POLYRUN_MACHINE_RUN;
}
