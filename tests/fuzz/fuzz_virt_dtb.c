// SPDX-License-Identifier: MIT
/*
 * The device tree the riscv64 virt board builds, for VMs the input describes: harts, RAM, an
 * initrd of some size, NICs, the console device, virtio-rng and the kernel command line (the
 * rest of the input, any bytes). Each VM is made with vm_create, as polyrun makes one, and its
 * DTB parsed back with libfdt: it must pass the full check and say what the VM is (the harts, the
 * memory, the command line, where the initrd lies). A VM the board refuses is fine; a board that
 * crashes, leaks or writes a tree that lies is not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libfdt.h>

#include "arch/riscv64/guest/emu.h"
#include "arch/riscv64/guest/virt.h"
#include "interp/emu.h"
#include "kernel/config.h"
#include "kernel/vm.h"
#include "lib/str.h"
#include "fuzz.h"

#define RAM_BASE 0x80000000ull
#define INITRD_MAX (64u << 10)

static int initrd_fd = -1;
static char initrd_path[64];

static void require(bool ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "virt dtb: %s\n", what);
	abort();
}

static void setup(void)
{
	fuzz_quiet();
	if (rv_guest_register() < 0 || interp_engine_register() < 0)
		abort();
	/* The initrd is a memfd: the board reads files by path, and /proc names the descriptor. */
	initrd_fd = memfd_create("fuzz-initrd", 0);
	if (initrd_fd < 0)
		abort();
	snprintf(initrd_path, sizeof(initrd_path), "/proc/self/fd/%d", initrd_fd);
}

static uint64_t prop_u64(const void *fdt, int node, const char *name)
{
	const fdt32_t *cells;
	int len;

	cells = fdt_getprop(fdt, node, name, &len);
	require(cells && len == 8, "a 64-bit property missing or of another size");
	return (uint64_t)fdt32_to_cpu(cells[0]) << 32 | fdt32_to_cpu(cells[1]);
}

static void check_dtb(const struct vm_config *config, uint64_t initrd_size, const void *fdt,
		      size_t size)
{
	const fdt32_t *reg;
	const char *bootargs;
	int chosen, memory, cpus, node, len;
	unsigned harts = 0;

	require(size >= sizeof(struct fdt_header) && fdt_totalsize(fdt) == size,
		"a DTB whose header disagrees with its size");
	require(fdt_check_full(fdt, size) == 0, "libfdt refuses the DTB");
	chosen = fdt_path_offset(fdt, "/chosen");
	memory = fdt_path_offset(fdt, "/memory@80000000");
	cpus = fdt_path_offset(fdt, "/cpus");
	require(chosen >= 0 && memory >= 0 && cpus >= 0, "/chosen, /memory or /cpus missing");
	reg = fdt_getprop(fdt, memory, "reg", &len);
	require(reg && len == 16 && fdt32_to_cpu(reg[1]) == (uint32_t)RAM_BASE &&
			((uint64_t)fdt32_to_cpu(reg[2]) << 32 | fdt32_to_cpu(reg[3])) ==
				config->memory_bytes,
		"/memory does not describe the VM's RAM");
	fdt_for_each_subnode(node, fdt,
			     cpus) if (!strncmp(fdt_get_name(fdt, node, NULL), "cpu@", 4)) harts++;
	require(harts == config->cpus, "/cpus does not list every hart");
	bootargs = fdt_getprop(fdt, chosen, "bootargs", &len);
	if (config->cmdline[0])
		require(bootargs && len == (int)strlen(config->cmdline) + 1 &&
				!memcmp(bootargs, config->cmdline, (size_t)len),
			"bootargs is not the command line");
	else
		require(!bootargs, "bootargs without a command line");
	if (initrd_size)
		require(prop_u64(fdt, chosen, "linux,initrd-end") -
					prop_u64(fdt, chosen, "linux,initrd-start") ==
				initrd_size,
			"the initrd's range is not its size");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm_config config;
	struct fuzz_input in = { data, size };
	const void *dtb;
	size_t dtb_size, len;
	uint64_t initrd_size;
	struct vm *vm;
	uint8_t flags;
	unsigned i;

	if (initrd_fd < 0)
		setup();
	vm_config_init(&config);
	str_copy(config.name, sizeof(config.name), "fuzz");
	str_copy(config.board, sizeof(config.board), "virt");
	config.isa = VM_ISA_RISCV64;
	config.engine = VM_ENGINE_INTERP;
	/* One past the board's limit: the refusal is part of what is tested. */
	config.cpus = 1 + fuzz_u8(&in) % 9;
	config.memory_bytes = CONFIG_MIN_MEMORY + (uint64_t)(fuzz_u8(&in) % 49) * (1ull << 20);
	flags = fuzz_u8(&in);
	str_copy(config.console, sizeof(config.console), flags & 1 ? "virtio" : "serial");
	config.rng = flags & 2;
	config.nnets = ((flags >> 2) & 3) % 3;
	for (i = 0; i < config.nnets; i++)
		snprintf(config.nets[i].backend, sizeof(config.nets[i].backend), "hub:%u",
			 fuzz_u8(&in) % 4);
	initrd_size = flags & 0x10 ? fuzz_u16(&in) % INITRD_MAX + 1 : 0;
	if (initrd_size) {
		if (ftruncate(initrd_fd, (off_t)initrd_size) < 0)
			abort();
		str_copy(config.initrd, sizeof(config.initrd), initrd_path);
	}
	len = in.len < sizeof(config.cmdline) - 1 ? in.len : sizeof(config.cmdline) - 1;
	fuzz_bytes(&in, config.cmdline, len);
	config.cmdline[len] = '\0';
	if (vm_create(&config, &vm) < 0)
		return 0;
	require(rv_virt_dtb(vm, &dtb, &dtb_size) == 0 && dtb, "a virt VM without a DTB");
	check_dtb(&config, initrd_size, dtb, dtb_size);
	vm_destroy(vm);
	return 0;
}
