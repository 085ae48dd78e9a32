// SPDX-License-Identifier: MIT
/*
 * polyvisor.cfg from anywhere: the whole input is the file, parsed by kernel/config over
 * lib/ini. The parser either accepts it, and then every VM it describes is one a board can be
 * asked for (bounded counts, sizes and strings), or refuses it with a message that names the
 * file; it never reads outside the text or its own buffers. The first line also goes through
 * the value parsers a command line uses (sizes, serial ports, ISAs, engines).
 */
#include <stdio.h>
#include <stdlib.h>

#include "kernel/config.h"
#include "fuzz.h"

#define SOURCE "polyvisor.cfg"

static void require(bool ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "config: %s\n", what);
	abort();
}

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static void check_vm(const struct vm_config *vm)
{
	unsigned i;

	require(terminated(vm->name, sizeof(vm->name)) && vm->name[0], "a VM without a name");
	require(terminated(vm->board, sizeof(vm->board)) &&
			terminated(vm->kernel, sizeof(vm->kernel)) &&
			terminated(vm->initrd, sizeof(vm->initrd)) &&
			terminated(vm->dtb, sizeof(vm->dtb)) &&
			terminated(vm->firmware, sizeof(vm->firmware)) &&
			terminated(vm->cmdline, sizeof(vm->cmdline)) &&
			terminated(vm->console, sizeof(vm->console)),
		"a string without its NUL");
	require(vm->memory_bytes >= CONFIG_MIN_MEMORY &&
			vm->memory_bytes % CONFIG_MEMORY_ALIGN == 0,
		"memory below the minimum or not page-aligned");
	require(vm->cpus >= 1 && vm->cpus <= CONFIG_MAX_CPUS, "a CPU count out of range");
	require(vm->ndisks <= CONFIG_MAX_DISKS && vm->nnets <= CONFIG_MAX_NETS,
		"more disks or NICs than a VM holds");
	for (i = 0; i < vm->ndisks; i++)
		require(terminated(vm->disks[i].path, sizeof(vm->disks[i].path)),
			"a disk path without its NUL");
	for (i = 0; i < vm->nnets; i++)
		require(terminated(vm->nets[i].backend, sizeof(vm->nets[i].backend)),
			"a NIC backend without its NUL");
}

/* The first line as a command-line value: the same parsers polyrun's flags use. */
static void parse_values(const uint8_t *data, size_t size)
{
	char value[64];
	size_t len = 0;
	enum config_serial_kind kind;
	enum vm_engine engine;
	enum vm_isa isa;
	uint64_t n;

	while (len < size && len < sizeof(value) - 1 && data[len] != '\n' && data[len] != '\0') {
		value[len] = (char)data[len];
		len++;
	}
	value[len] = '\0';
	config_parse_size(value, &n);
	config_parse_serial(value, &kind, &n);
	if (config_parse_isa(value, &isa) == 0)
		require(config_isa_name(isa) != NULL, "an ISA without a name");
	if (config_parse_engine(value, &engine) == 0)
		require(config_engine_name(engine) != NULL, "an engine without a name");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pv_config config;
	static struct config_error err;
	static bool quiet;
	unsigned i;
	int rc;

	if (!quiet) {
		fuzz_quiet();
		quiet = true;
	}
	/* The text is not NUL-terminated: a parser that reads one byte too far trips ASan. */
	rc = config_parse(SOURCE, (const char *)data, size, &config, &err);
	if (rc < 0) {
		require(terminated(err.message, sizeof(err.message)) &&
				strncmp(err.message, SOURCE, strlen(SOURCE)) == 0,
			"a refusal whose message does not name the file");
	} else {
		require(rc == 0, "a positive result");
		require(config.nvms <= CONFIG_MAX_VMS, "more VMs than the table holds");
		require(terminated(config.serial, sizeof(config.serial)), "serial without its NUL");
		for (i = 0; i < config.nvms; i++)
			check_vm(&config.vms[i]);
	}
	parse_values(data, size);
	return 0;
}
