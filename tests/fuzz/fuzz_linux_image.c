// SPDX-License-Identifier: MIT
/*
 * Linux Image kernels and boot layouts from anywhere. The input chooses the ISA, the RAM, the
 * initrd's size and address and the DTB's reservation, then holds the kernel file itself. A
 * parsed header's layout must keep what linux_layout_plan promises: the kernel at its aligned
 * offset, the DTB on a 2 MiB boundary at the top, the initrd in RAM, nothing overlapping. When
 * the chosen RAM is the one that exists here (8 MiB at 0x80000000), the three are also loaded.
 */
#include <stdio.h>
#include <stdlib.h>

#include "boot/linux.h"
#include "mmu/gpa.h"
#include "fuzz.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (8ull << 20)
#define INITRD_MAX (1ull << 20)

static uint8_t initrd[INITRD_MAX];
static uint8_t dtb[4096];

static void require(bool ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "linux: %s\n", what);
	abort();
}

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end;
}

static void check_layout(const struct linux_image *kernel, const struct linux_layout_request *req,
			 const struct linux_layout *l)
{
	uint64_t ram_end = req->ram_base + req->ram_size;

	require(l->kernel_addr >= req->ram_base && l->kernel_addr <= l->kernel_end &&
			l->kernel_end <= ram_end,
		"the kernel outside RAM");
	require(l->kernel_end - l->kernel_addr == kernel->image_size,
		"the kernel's range is not its image_size");
	require(kernel->base_align &&
			(l->kernel_addr - kernel->text_offset) % kernel->base_align == 0,
		"the kernel not at text_offset from an aligned base");
	require(l->dtb_max == req->dtb_max && l->dtb_addr % (2ull << 20) == 0 &&
			l->dtb_addr >= l->kernel_end && l->dtb_addr <= ram_end &&
			l->dtb_max <= ram_end - l->dtb_addr,
		"the DTB not on a 2 MiB boundary between the kernel and the end of RAM");
	if (!req->initrd_size) {
		require(!l->initrd_start && !l->initrd_end, "an initrd nobody asked for");
		return;
	}
	require(l->initrd_end - l->initrd_start == req->initrd_size &&
			l->initrd_start >= req->ram_base && l->initrd_start <= l->initrd_end &&
			l->initrd_end <= ram_end,
		"the initrd outside RAM or of another size");
	require(!req->initrd_addr || l->initrd_start == req->initrd_addr,
		"the initrd not where the user put it");
	require(!overlaps(l->initrd_start, l->initrd_end, l->kernel_addr, l->kernel_end) &&
			!overlaps(l->initrd_start, l->initrd_end, l->dtb_addr,
				  l->dtb_addr + l->dtb_max),
		"the initrd overlaps the kernel or the DTB");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gpa_space *gpa;
	struct fuzz_input in = { data, size };
	struct linux_layout_request req;
	struct linux_layout layout;
	struct linux_image kernel;
	char msg[LINUX_ERROR_MAX];
	enum linux_arch arch;
	uint8_t how;
	size_t dtb_size;

	if (!gpa) {
		fuzz_quiet();
		gpa = gpa_space_create();
		if (!gpa || gpa_add_ram(gpa, RAM_BASE, RAM_SIZE, "ram") < 0)
			abort();
	}
	how = fuzz_u8(&in);
	arch = how & 1 ? LINUX_ARCH_ARM64 : LINUX_ARCH_RISCV64;
	req.ram_base = fuzz_u64(&in);
	req.ram_size = fuzz_u64(&in);
	req.initrd_size = fuzz_u64(&in);
	req.initrd_addr = fuzz_u64(&in);
	req.dtb_max = fuzz_u64(&in);
	dtb_size = fuzz_u16(&in) % (sizeof(dtb) + 1);
	/* Mostly the RAM that exists, with sizes a real boot has, so that loading is reached. */
	if (how & 2) {
		req.ram_base = RAM_BASE;
		req.ram_size = RAM_SIZE;
		req.initrd_size %= INITRD_MAX + 1;
		req.dtb_max %= LINUX_DTB_MAX + 1;
		if (how & 4)
			req.initrd_addr = 0;
	}
	if (linux_image_parse(arch, in.data, in.len, &kernel, msg, sizeof(msg))) {
		require(memchr(msg, '\0', sizeof(msg)) && msg[0], "a refusal without a message");
		return 0;
	}
	require(kernel.arch == arch && kernel.file_size == in.len, "a header parsed as another");
	if (linux_layout_plan(&kernel, &req, &layout, msg, sizeof(msg))) {
		require(memchr(msg, '\0', sizeof(msg)) && msg[0], "a refusal without a message");
		return 0;
	}
	check_layout(&kernel, &req, &layout);
	if (req.ram_base != RAM_BASE || req.ram_size != RAM_SIZE || req.initrd_size > INITRD_MAX)
		return 0;
	linux_load(gpa, &layout, in.data, in.len, req.initrd_size ? initrd : NULL,
		   (size_t)req.initrd_size, dtb, dtb_size, msg, sizeof(msg));
	return 0;
}
