// SPDX-License-Identifier: MIT
/*
 * The ELF64 loader (boot/elf.h). Headers are copied out of the image with bounds checks rather
 * than cast in place: the image may be unaligned and its offsets are untrusted.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "boot/elf.h"
#include "lib/errno.h"
#include "lib/fmt.h"

#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define PT_LOAD 1
#define SHT_SYMTAB 2

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint64_t entry;
	uint64_t phoff;
	uint64_t shoff;
	uint32_t flags;
	uint16_t ehsize;
	uint16_t phentsize;
	uint16_t phnum;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
};

struct elf64_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

struct elf64_shdr {
	uint32_t name;
	uint32_t type;
	uint64_t flags;
	uint64_t addr;
	uint64_t offset;
	uint64_t size;
	uint32_t link;
	uint32_t info;
	uint64_t addralign;
	uint64_t entsize;
};

struct elf64_sym {
	uint32_t name;
	uint8_t info;
	uint8_t other;
	uint16_t shndx;
	uint64_t value;
	uint64_t size;
};

/* Whether [offset, offset + len) lies inside an image of size bytes, without overflow. */
static bool elf_in_image(size_t size, uint64_t offset, uint64_t len)
{
	return offset <= size && len <= size - offset;
}

static int elf_fail(char *msg, size_t msg_size, int err, const char *fmt, uint64_t a, uint64_t b)
{
	if (msg && msg_size)
		fmt_snprintf(msg, msg_size, fmt, (unsigned long long)a, (unsigned long long)b);
	return err;
}

static bool elf_read_phdr(const void *image, size_t size, const struct elf64_ehdr *eh,
			  unsigned index, struct elf64_phdr *ph)
{
	uint64_t offset = eh->phoff + (uint64_t)index * eh->phentsize;

	if (!elf_in_image(size, offset, sizeof(*ph)))
		return false;
	memcpy(ph, (const uint8_t *)image + offset, sizeof(*ph));
	return true;
}

int elf_check(const void *image, size_t size, uint16_t machine, char *msg, size_t msg_size)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph;

	if (size < 4 || memcmp(image, "\177ELF", 4) != 0)
		return elf_fail(msg, msg_size, -ENOEXEC, "not an ELF file", 0, 0);
	if (size < sizeof(eh))
		return elf_fail(msg, msg_size, -ENOEXEC, "truncated ELF header (%llu bytes)", size,
				0);
	memcpy(&eh, image, sizeof(eh));
	if (eh.ident[EI_CLASS] != ELFCLASS64)
		return elf_fail(msg, msg_size, -ENOEXEC, "ELF class %llu, expected 64-bit (2)",
				eh.ident[EI_CLASS], 0);
	if (eh.ident[EI_DATA] != ELFDATA2LSB)
		return elf_fail(msg, msg_size, -ENOEXEC,
				"ELF data encoding %llu, expected little-endian (1)",
				eh.ident[EI_DATA], 0);
	if (eh.machine != machine)
		return elf_fail(msg, msg_size, -ENOEXEC, "ELF machine %llu, expected %llu",
				eh.machine, machine);
	if (eh.type != ET_EXEC)
		return elf_fail(msg, msg_size, -ENOEXEC,
				"ELF type %llu, expected an executable (2)", eh.type, 0);
	if (eh.phnum == 0 || eh.phentsize < sizeof(ph))
		return elf_fail(msg, msg_size, -ENOEXEC, "no usable program headers", 0, 0);
	for (unsigned i = 0; i < eh.phnum; i++) {
		if (!elf_read_phdr(image, size, &eh, i, &ph))
			return elf_fail(msg, msg_size, -ENOEXEC,
					"truncated: program header %llu is past the end", i, 0);
		if (ph.type != PT_LOAD)
			continue;
		if (!elf_in_image(size, ph.offset, ph.filesz))
			return elf_fail(msg, msg_size, -ENOEXEC,
					"truncated: segment %llu's bytes are past the end", i, 0);
		if (ph.filesz > ph.memsz || ph.paddr + ph.memsz < ph.paddr)
			return elf_fail(msg, msg_size, -ENOEXEC,
					"segment %llu has an impossible size or address", i, 0);
	}
	return 0;
}

static int elf_zero(struct gpa_space *gpa, uint64_t addr, uint64_t len)
{
	static const uint8_t zeros[4096];

	while (len > 0) {
		uint64_t chunk = len < sizeof(zeros) ? len : sizeof(zeros);
		int err = gpa_load(gpa, addr, zeros, chunk);

		if (err)
			return err;
		addr += chunk;
		len -= chunk;
	}
	return 0;
}

int elf_load(struct gpa_space *gpa, const void *image, size_t size, uint16_t machine,
	     struct elf_info *info, char *msg, size_t msg_size)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph;
	int err = elf_check(image, size, machine, msg, msg_size);

	if (err)
		return err;
	memcpy(&eh, image, sizeof(eh));
	info->entry = eh.entry;
	info->low = UINT64_MAX;
	info->high = 0;
	/* Every segment is checked before any is written: a refused image leaves RAM as it was. */
	for (unsigned i = 0; i < eh.phnum; i++) {
		elf_read_phdr(image, size, &eh, i, &ph);
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		if (!gpa_range_is_ram(gpa, ph.paddr, ph.memsz))
			return elf_fail(msg, msg_size, -EFAULT,
					"segment at %#llx (%llu bytes) is not inside RAM", ph.paddr,
					ph.memsz);
		if (ph.paddr < info->low)
			info->low = ph.paddr;
		if (ph.paddr + ph.memsz > info->high)
			info->high = ph.paddr + ph.memsz;
	}
	if (info->high == 0)
		return elf_fail(msg, msg_size, -ENOEXEC, "no loadable segment", 0, 0);
	for (unsigned i = 0; i < eh.phnum; i++) {
		elf_read_phdr(image, size, &eh, i, &ph);
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		err = gpa_load(gpa, ph.paddr, (const uint8_t *)image + ph.offset, ph.filesz);
		if (!err)
			err = elf_zero(gpa, ph.paddr + ph.filesz, ph.memsz - ph.filesz);
		if (err)
			return elf_fail(msg, msg_size, err, "cannot write the segment at %#llx",
					ph.paddr, 0);
	}
	return 0;
}

static bool elf_read_shdr(const void *image, size_t size, const struct elf64_ehdr *eh,
			  unsigned index, struct elf64_shdr *sh)
{
	uint64_t offset = eh->shoff + (uint64_t)index * eh->shentsize;

	if (eh->shentsize < sizeof(*sh) || !elf_in_image(size, offset, sizeof(*sh)))
		return false;
	memcpy(sh, (const uint8_t *)image + offset, sizeof(*sh));
	return true;
}

/* Whether the NUL-terminated string at strtab[offset] inside the image equals name. */
static bool elf_name_is(const void *image, size_t size, const struct elf64_shdr *strtab,
			uint32_t offset, const char *name)
{
	size_t len = strlen(name);
	uint64_t at;

	/* The sum is checked for wrapping first: a hostile table offset near 2^64 would otherwise
	 * pass as a small one (found by tests/fuzz/fuzz_elf). */
	if (offset >= strtab->size || len + 1 > strtab->size - offset ||
	    __builtin_add_overflow(strtab->offset, (uint64_t)offset, &at) ||
	    !elf_in_image(size, at, len + 1))
		return false;
	return memcmp((const uint8_t *)image + at, name, len + 1) == 0;
}

int elf_symbol(const void *image, size_t size, const char *name, uint64_t *value)
{
	struct elf64_ehdr eh;
	struct elf64_shdr sh, strtab;
	struct elf64_sym sym;

	if (size < sizeof(eh) || memcmp(image, "\177ELF", 4) != 0)
		return -ENOENT;
	memcpy(&eh, image, sizeof(eh));
	for (unsigned i = 0; i < eh.shnum; i++) {
		if (!elf_read_shdr(image, size, &eh, i, &sh) || sh.type != SHT_SYMTAB ||
		    !elf_in_image(size, sh.offset, sh.size) ||
		    !elf_read_shdr(image, size, &eh, sh.link, &strtab))
			continue;
		for (uint64_t off = 0; off + sizeof(sym) <= sh.size; off += sizeof(sym)) {
			memcpy(&sym, (const uint8_t *)image + sh.offset + off, sizeof(sym));
			if (elf_name_is(image, size, &strtab, sym.name, name)) {
				*value = sym.value;
				return 0;
			}
		}
	}
	return -ENOENT;
}
