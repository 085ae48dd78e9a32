/* SPDX-License-Identifier: MIT */
/*
 * The Linux boot protocols of RISC-V and arm64: both kernels start with the same 64-byte `Image`
 * header (code, text_offset, image_size, flags, then a magic), documented in Linux's
 * Documentation/arch/riscv/boot-image-header.rst and Documentation/arch/arm64/booting.rst. One
 * parser reads both through a per-ISA description.
 *
 * A board boots a kernel in three steps:
 *   1. linux_image_parse checks the header and says how much memory the kernel needs;
 *   2. linux_layout_plan places the kernel, the initrd and the DTB in RAM;
 *   3. the board builds its DTB with the initrd's start and end (/chosen linux,initrd-start and
 *      linux,initrd-end), then linux_load copies the three through gpa_load.
 * The entry point is the kernel's load address: RISC-V takes the hart id in a0 and the DTB's
 * address in a1, arm64 the DTB's address in x0.
 */
#ifndef PV_BOOT_LINUX_H
#define PV_BOOT_LINUX_H

#include <stddef.h>
#include <stdint.h>

#include "mmu/gpa.h"

#define LINUX_HEADER_SIZE 64u
#define LINUX_ERROR_MAX 160

/* Where the DTB goes, and how big it may be: arm64 refuses larger ones. */
#define LINUX_DTB_MAX (2ull << 20)

enum linux_arch { LINUX_ARCH_RISCV64, LINUX_ARCH_ARM64 };

struct linux_image {
	enum linux_arch arch;
	uint64_t text_offset; /* bytes from a base aligned to base_align up to the load address */
	uint64_t base_align; /* 2 MiB on both ISAs */
	uint64_t image_size; /* bytes the kernel uses from its load address (bss too), >= file size */
	uint64_t file_size;
	uint64_t flags; /* the header's flags, little-endian kernels only */
	uint32_t version; /* RISC-V: major << 16 | minor; 0 on arm64, whose header has none */
	uint32_t page_size; /* arm64: the kernel's page size, 0 when unspecified; 0 on RISC-V */
};

/*
 * Checks the Image header of the size bytes at image for arch: a known magic, a little-endian
 * kernel. Returns 0 with *out filled, or -ENOEXEC with msg saying why ("truncated ...", "bad
 * magic ...", "big-endian ...").
 */
int linux_image_parse(enum linux_arch arch, const void *image, size_t size, struct linux_image *out,
		      char *msg, size_t msg_size);

struct linux_layout_request {
	uint64_t ram_base, ram_size; /* the RAM the kernel is loaded into */
	uint64_t initrd_size; /* 0: no initrd */
	uint64_t initrd_addr; /* 0: placed automatically; else the address the user chose */
	uint64_t dtb_max; /* bytes reserved for the DTB, at most LINUX_DTB_MAX */
};

struct linux_layout {
	uint64_t kernel_addr; /* load address and entry point */
	uint64_t kernel_end; /* kernel_addr + image_size: what the kernel may use at boot */
	uint64_t initrd_start, initrd_end; /* both 0 without an initrd */
	uint64_t dtb_addr;
	uint64_t dtb_max;
};

/*
 * Places the kernel at the first base_align boundary of RAM plus text_offset; the DTB at the top
 * of RAM, aligned down to 2 MiB so that no 2 MiB block the kernel maps holds anything else; the
 * initrd just below the DTB on a page boundary (or where initrd_addr says), clear of the
 * kernel's image_size. Returns 0, or -E2BIG / -EINVAL with msg naming what does not fit or what
 * overlaps.
 */
int linux_layout_plan(const struct linux_image *kernel, const struct linux_layout_request *req,
		      struct linux_layout *out, char *msg, size_t msg_size);

/*
 * Copies the kernel's file, the initrd (NULL when the layout has none) and the DTB to where the
 * layout put them. Refuses (-EINVAL) an initrd whose size is not the planned one and a DTB larger
 * than dtb_max; -EFAULT when a range is not RAM. Returns 0 or a negative errno with msg filled.
 */
int linux_load(struct gpa_space *gpa, const struct linux_layout *layout, const void *kernel,
	       size_t kernel_size, const void *initrd, size_t initrd_size, const void *dtb,
	       size_t dtb_size, char *msg, size_t msg_size);

#endif
