/* SPDX-License-Identifier: MIT */
/*
 * Loading ELF executables into guest memory: bare test programs, firmware and kernels in ELF
 * form. Only what a loader needs: 64-bit little-endian executables, PT_LOAD segments placed at
 * their physical addresses, the entry point, and symbols (HTIF's tohost) from .symtab. Every
 * refusal comes with a message for a person; a malformed file never makes the loader read
 * outside the image.
 */
#ifndef PV_BOOT_ELF_H
#define PV_BOOT_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "mmu/gpa.h"

/* e_machine values of the guest ISAs. */
#define ELF_MACHINE_X86_64 62
#define ELF_MACHINE_AARCH64 183
#define ELF_MACHINE_RISCV 243

#define ELF_ERROR_MAX 160

struct elf_info {
	uint64_t entry;
	uint64_t low; /* lowest physical address a segment occupies */
	uint64_t high; /* one past the highest */
};

/*
 * Whether image[0..size) is an ELF64 little-endian executable (ET_EXEC) for machine, with its
 * program headers and every segment's file bytes inside the image. Returns 0, or -ENOEXEC with
 * msg saying why ("not an ELF file", "ELF machine 62, expected 243", "truncated ...").
 */
int elf_check(const void *image, size_t size, uint16_t machine, char *msg, size_t msg_size);

/*
 * Checks the image, then copies every PT_LOAD segment to its physical address (p_paddr) and
 * zero-fills the rest of its memory size. Each segment must lie wholly in RAM: one reaching a
 * device or unmapped space is refused (-EFAULT) before anything is written. Returns 0 with
 * *info filled, or a negative errno with msg filled.
 */
int elf_load(struct gpa_space *gpa, const void *image, size_t size, uint16_t machine,
	     struct elf_info *info, char *msg, size_t msg_size);

/* The value of the symbol called name in .symtab: 0, or -ENOENT (no such symbol or table). */
int elf_symbol(const void *image, size_t size, const char *name, uint64_t *value);

#endif
