// SPDX-License-Identifier: MIT
/*
 * Linux Image headers and boot layout (boot/linux.h). The header fields are little-endian and
 * the image may be unaligned, so each is assembled from bytes. Every address computation is
 * checked for wrapping: the sizes come from untrusted files and user settings.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "boot/linux.h"
#include "lib/compiler.h"
#include "lib/errno.h"
#include "lib/fmt.h"

#define LINUX_TEXT_OFFSET 8u
#define LINUX_IMAGE_SIZE 16u
#define LINUX_FLAGS 24u
#define LINUX_FLAG_BIG_ENDIAN 0x1u
#define LINUX_PAGE_SIZE_SHIFT 1u /* arm64: flags bits 2:1 */
#define LINUX_BASE_ALIGN (2ull << 20)
#define LINUX_INITRD_ALIGN 4096ull

struct linux_magic {
	unsigned offset;
	unsigned len;
	const char *bytes;
	const char *shown; /* the bytes as a message shows them */
};

/* What differs between the ISAs' headers. */
struct linux_format {
	const char *name;
	/* Any one of these identifies the format. */
	struct linux_magic magics[2];
	/* text_offset to assume when image_size is 0 (arm64 before 3.17), 0 for none. */
	uint64_t legacy_text_offset;
	/* Offset of the 32-bit header version, 0 when the header has none. */
	unsigned version_offset;
	/* Whether flags bits 2:1 give the page size (arm64). */
	bool page_size_flags;
};

static const struct linux_format linux_formats[] = {
	/*
	 * Header 0.2 added magic2 and deprecated the 8-byte magic; 0.1 kernels carry only the
	 * latter, so either is enough.
	 */
	[LINUX_ARCH_RISCV64] = {
		.name = "RISC-V",
		.magics = { { 56, 4, "RSC\x05", "RSC\\x05" }, { 48, 8, "RISCV\0\0\0", "RISCV" } },
		.version_offset = 32,
	},
	[LINUX_ARCH_ARM64] = {
		.name = "arm64",
		.magics = { { 56, 4, "ARM\x64", "ARM\\x64" } },
		.legacy_text_offset = 0x80000,
		.page_size_flags = true,
	},
};

static int linux_fail(char *msg, size_t msg_size, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int linux_fail(char *msg, size_t msg_size, int err, const char *fmt, ...)
{
	va_list ap;

	if (msg && msg_size) {
		va_start(ap, fmt);
		fmt_vsnprintf(msg, msg_size, fmt, ap);
		va_end(ap);
	}
	return err;
}

static uint64_t linux_le(const uint8_t *p, unsigned len)
{
	uint64_t value = 0;

	for (unsigned i = len; i-- > 0;)
		value = value << 8 | p[i];
	return value;
}

static bool linux_magic_matches(const struct linux_format *format, const uint8_t *header)
{
	for (unsigned i = 0; i < ARRAY_SIZE(format->magics); i++) {
		const struct linux_magic *magic = &format->magics[i];

		if (magic->len && memcmp(header + magic->offset, magic->bytes, magic->len) == 0)
			return true;
	}
	return false;
}

int linux_image_parse(enum linux_arch arch, const void *image, size_t size, struct linux_image *out,
		      char *msg, size_t msg_size)
{
	const struct linux_format *format;
	const uint8_t *header = image;
	uint64_t image_size;

	if ((unsigned)arch >= ARRAY_SIZE(linux_formats))
		return linux_fail(msg, msg_size, -EINVAL, "unknown Linux architecture %u", arch);
	format = &linux_formats[arch];
	if (size < LINUX_HEADER_SIZE)
		return linux_fail(msg, msg_size, -ENOEXEC,
				  "truncated %s Linux Image: %zu bytes, the header alone is %u",
				  format->name, size, LINUX_HEADER_SIZE);
	if (!linux_magic_matches(format, header))
		return linux_fail(
			msg, msg_size, -ENOEXEC,
			"bad magic: not a Linux Image for %s (expected \"%s\" at offset %u)",
			format->name, format->magics[0].shown, format->magics[0].offset);
	*out = (struct linux_image){
		.arch = arch,
		.text_offset = linux_le(header + LINUX_TEXT_OFFSET, 8),
		.base_align = LINUX_BASE_ALIGN,
		.file_size = size,
		.flags = linux_le(header + LINUX_FLAGS, 8),
	};
	if (out->flags & LINUX_FLAG_BIG_ENDIAN)
		return linux_fail(msg, msg_size, -ENOEXEC,
				  "big-endian %s kernel: only little-endian guests are supported",
				  format->name);
	image_size = linux_le(header + LINUX_IMAGE_SIZE, 8);
	if (image_size == 0 && format->legacy_text_offset)
		out->text_offset = format->legacy_text_offset;
	out->image_size = image_size > size ? image_size : size;
	if (format->version_offset)
		out->version = (uint32_t)linux_le(header + format->version_offset, 4);
	if (format->page_size_flags && (out->flags >> LINUX_PAGE_SIZE_SHIFT & 3u))
		out->page_size = 1024u << (2 * (out->flags >> LINUX_PAGE_SIZE_SHIFT & 3u));
	return 0;
}

static uint64_t linux_align_down(uint64_t value, uint64_t align)
{
	return value & ~(align - 1);
}

/* Whether [a, a + a_len) and [b, b + b_len) share a byte; neither range wraps. */
static bool linux_overlaps(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

/* The initrd where the user put it: inside RAM, clear of the kernel and of the DTB. */
static int linux_place_fixed_initrd(const struct linux_layout_request *req,
				    struct linux_layout *out, char *msg, size_t msg_size)
{
	uint64_t start = req->initrd_addr, ram_end = req->ram_base + req->ram_size;

	if (start < req->ram_base || start > ram_end || req->initrd_size > ram_end - start)
		return linux_fail(msg, msg_size, -E2BIG,
				  "initrd of %llu bytes at %#llx does not fit in RAM "
				  "[%#llx, %#llx)",
				  (unsigned long long)req->initrd_size, (unsigned long long)start,
				  (unsigned long long)req->ram_base, (unsigned long long)ram_end);
	if (linux_overlaps(start, req->initrd_size, out->kernel_addr,
			   out->kernel_end - out->kernel_addr))
		return linux_fail(msg, msg_size, -EINVAL,
				  "initrd [%#llx, %#llx) overlaps the kernel [%#llx, %#llx)",
				  (unsigned long long)start,
				  (unsigned long long)(start + req->initrd_size),
				  (unsigned long long)out->kernel_addr,
				  (unsigned long long)out->kernel_end);
	if (linux_overlaps(start, req->initrd_size, out->dtb_addr, out->dtb_max))
		return linux_fail(msg, msg_size, -EINVAL,
				  "initrd [%#llx, %#llx) overlaps the DTB [%#llx, %#llx)",
				  (unsigned long long)start,
				  (unsigned long long)(start + req->initrd_size),
				  (unsigned long long)out->dtb_addr,
				  (unsigned long long)(out->dtb_addr + out->dtb_max));
	out->initrd_start = start;
	out->initrd_end = start + req->initrd_size;
	return 0;
}

int linux_layout_plan(const struct linux_image *kernel, const struct linux_layout_request *req,
		      struct linux_layout *out, char *msg, size_t msg_size)
{
	uint64_t ram_end = req->ram_base + req->ram_size, base, room;

	if (req->ram_size == 0 || ram_end < req->ram_base)
		return linux_fail(msg, msg_size, -EINVAL, "no RAM to load Linux into");
	if (req->dtb_max == 0 || req->dtb_max > LINUX_DTB_MAX)
		return linux_fail(msg, msg_size, -EINVAL,
				  "a DTB reservation of %llu bytes (at most %llu)",
				  (unsigned long long)req->dtb_max,
				  (unsigned long long)LINUX_DTB_MAX);
	*out = (struct linux_layout){ .dtb_max = req->dtb_max };

	base = linux_align_down(req->ram_base + kernel->base_align - 1, kernel->base_align);
	if (base < req->ram_base || base > ram_end || kernel->text_offset > ram_end - base ||
	    kernel->image_size > ram_end - base - kernel->text_offset)
		return linux_fail(
			msg, msg_size, -E2BIG,
			"kernel image larger than RAM: it needs %llu bytes at offset %#llx "
			"from %#llx, RAM is %llu bytes",
			(unsigned long long)kernel->image_size,
			(unsigned long long)kernel->text_offset, (unsigned long long)base,
			(unsigned long long)req->ram_size);
	out->kernel_addr = base + kernel->text_offset;
	out->kernel_end = out->kernel_addr + kernel->image_size;

	if (req->dtb_max > ram_end - out->kernel_end ||
	    linux_align_down(ram_end - req->dtb_max, LINUX_BASE_ALIGN) < out->kernel_end)
		return linux_fail(msg, msg_size, -E2BIG,
				  "the DTB (%llu bytes on a 2 MiB boundary) does not fit between "
				  "the kernel's end at %#llx and the end of RAM at %#llx",
				  (unsigned long long)req->dtb_max,
				  (unsigned long long)out->kernel_end, (unsigned long long)ram_end);
	out->dtb_addr = linux_align_down(ram_end - req->dtb_max, LINUX_BASE_ALIGN);

	if (req->initrd_size == 0)
		return 0;
	if (req->initrd_addr)
		return linux_place_fixed_initrd(req, out, msg, msg_size);
	room = out->dtb_addr - out->kernel_end;
	if (req->initrd_size > room || linux_align_down(out->dtb_addr - req->initrd_size,
							LINUX_INITRD_ALIGN) < out->kernel_end)
		return linux_fail(msg, msg_size, -E2BIG,
				  "initrd of %llu bytes does not fit between the kernel's end at "
				  "%#llx and the DTB at %#llx",
				  (unsigned long long)req->initrd_size,
				  (unsigned long long)out->kernel_end,
				  (unsigned long long)out->dtb_addr);
	out->initrd_start = linux_align_down(out->dtb_addr - req->initrd_size, LINUX_INITRD_ALIGN);
	out->initrd_end = out->initrd_start + req->initrd_size;
	return 0;
}

static int linux_check_ram(const struct gpa_space *gpa, uint64_t addr, size_t size,
			   const char *what, char *msg, size_t msg_size)
{
	if (!gpa_range_is_ram(gpa, addr, size))
		return linux_fail(msg, msg_size, -EFAULT,
				  "the %s (%zu bytes) at %#llx is not in RAM", what, size,
				  (unsigned long long)addr);
	return 0;
}

int linux_load(struct gpa_space *gpa, const struct linux_layout *layout, const void *kernel,
	       size_t kernel_size, const void *initrd, size_t initrd_size, const void *dtb,
	       size_t dtb_size, char *msg, size_t msg_size)
{
	int err;

	if (kernel_size > layout->kernel_end - layout->kernel_addr)
		return linux_fail(msg, msg_size, -EINVAL,
				  "kernel of %zu bytes is larger than its planned %llu",
				  kernel_size,
				  (unsigned long long)(layout->kernel_end - layout->kernel_addr));
	if (initrd_size != layout->initrd_end - layout->initrd_start || (initrd_size && !initrd))
		return linux_fail(msg, msg_size, -EINVAL,
				  "initrd of %zu bytes, but %llu were planned", initrd_size,
				  (unsigned long long)(layout->initrd_end - layout->initrd_start));
	if (dtb_size > layout->dtb_max)
		return linux_fail(msg, msg_size, -EINVAL,
				  "DTB of %zu bytes does not fit the %llu reserved for it",
				  dtb_size, (unsigned long long)layout->dtb_max);
	err = linux_check_ram(gpa, layout->kernel_addr, kernel_size, "kernel", msg, msg_size);
	if (!err)
		err = linux_check_ram(gpa, layout->initrd_start, initrd_size, "initrd", msg,
				      msg_size);
	if (!err)
		err = linux_check_ram(gpa, layout->dtb_addr, dtb_size, "DTB", msg, msg_size);
	if (err)
		return err;
	/* Checked above: the copies cannot fail. */
	gpa_load(gpa, layout->kernel_addr, kernel, kernel_size);
	if (initrd_size)
		gpa_load(gpa, layout->initrd_start, initrd, initrd_size);
	gpa_load(gpa, layout->dtb_addr, dtb, dtb_size);
	return 0;
}
