// SPDX-License-Identifier: MIT
/*
 * The device-tree builder (boot/fdt.h) over libfdt's sequential-write API. libfdt takes int
 * sizes and lengths, so everything larger is refused before it is called.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include "boot/fdt.h"
#include "lib/compiler.h"
#include "lib/errno.h"
#include "lib/fmt.h"

static const struct {
	int fdt_err;
	int err;
} fdt_build_errnos[] = {
	{ FDT_ERR_NOTFOUND, -ENOENT },
	{ FDT_ERR_EXISTS, -EEXIST },
	{ FDT_ERR_NOSPACE, -ENOSPC },
	{ FDT_ERR_TRUNCATED, -EFAULT },
};

int fdt_build_errno(int fdt_err)
{
	for (unsigned i = 0; i < ARRAY_SIZE(fdt_build_errnos); i++) {
		if (-fdt_build_errnos[i].fdt_err == fdt_err)
			return fdt_build_errnos[i].err;
	}
	return -EINVAL;
}

/* Whether the property at prop has the name of one before it in node; *name is its name. */
static bool fdt_prop_repeats(const void *fdt, int node, int prop, const char **name)
{
	const char *earlier;
	int other;

	if (!fdt_getprop_by_offset(fdt, prop, name, NULL))
		return false;
	fdt_for_each_property_offset(other, fdt, node)
	{
		if (other == prop)
			return false;
		if (fdt_getprop_by_offset(fdt, other, &earlier, NULL) &&
		    strcmp(earlier, *name) == 0)
			return true;
	}
	return false;
}

/*
 * Each property is compared with those before it in its node: quadratic in a node's properties,
 * so callers bound a tree's size first (virt gives one 64 KiB).
 */
int fdt_check_tree(const void *fdt, size_t size, char *msg, size_t msg_size)
{
	char path[256];
	const char *name;
	int node, prop, err;

	/*
	 * Version 17 at least, what dtc and firmware write: libfdt 1.6's full check follows a NULL
	 * string pointer in older layouts (found by tests/fuzz/fuzz_fdt_chosen).
	 */
	if (size < sizeof(struct fdt_header) || fdt_magic(fdt) != FDT_MAGIC) {
		fmt_snprintf(msg, msg_size, "not a valid device tree: %s",
			     fdt_strerror(size < sizeof(struct fdt_header) ? -FDT_ERR_TRUNCATED :
									     -FDT_ERR_BADMAGIC));
		return -EINVAL;
	}
	if (fdt_version(fdt) < FDT_LAST_SUPPORTED_VERSION) {
		fmt_snprintf(msg, msg_size, "device tree version %u is older than %d, the one read",
			     (unsigned)fdt_version(fdt), FDT_LAST_SUPPORTED_VERSION);
		return -EINVAL;
	}
	err = fdt_check_full(fdt, size);
	if (err < 0) {
		fmt_snprintf(msg, msg_size, "not a valid device tree: %s", fdt_strerror(err));
		return -EINVAL;
	}
	for (node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		fdt_for_each_property_offset(prop, fdt, node)
		{
			if (!fdt_prop_repeats(fdt, node, prop, &name))
				continue;
			/* A path too deep for the buffer is named by its last component. */
			if (fdt_get_path(fdt, node, path, sizeof(path)) < 0)
				fmt_snprintf(path, sizeof(path), "%s",
					     fdt_get_name(fdt, node, NULL));
			fmt_snprintf(msg, msg_size, "%s: property '%s' appears twice", path, name);
			return -EINVAL;
		}
	}
	return 0;
}

/* Records the first failure: err, and "PATH: " followed by the formatted text. */
static void fdt_build_fail(struct fdt_build *b, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fdt_build_fail(struct fdt_build *b, int err, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (b->err)
		return;
	b->err = err;
	len = fmt_snprintf(b->error, sizeof(b->error), "%s: ", b->path[0] ? b->path : "/");
	if (len < 0 || (size_t)len >= sizeof(b->error))
		return;
	va_start(ap, fmt);
	fmt_vsnprintf(b->error + len, sizeof(b->error) - (size_t)len, fmt, ap);
	va_end(ap);
}

/* Turns a libfdt result into the sticky failure; what (and name, when not NULL) say which call. */
static void fdt_build_check(struct fdt_build *b, int ret, const char *what, const char *name)
{
	char call[80];

	if (ret >= 0)
		return;
	if (name)
		fmt_snprintf(call, sizeof(call), "%s '%s'", what, name);
	else
		fmt_snprintf(call, sizeof(call), "%s", what);
	if (ret == -FDT_ERR_NOSPACE)
		fdt_build_fail(b, -ENOSPC, "%s: no room in the %zu-byte buffer", call, b->size);
	else
		fdt_build_fail(b, fdt_build_errno(ret), "%s: %s", call, fdt_strerror(ret));
}

void fdt_build_init(struct fdt_build *b, void *buf, size_t size)
{
	*b = (struct fdt_build){ .fdt = buf, .size = size };
	if (size > INT_MAX) {
		fdt_build_fail(b, -EINVAL, "a buffer of %zu bytes is larger than libfdt takes",
			       size);
		return;
	}
	fdt_build_check(b, fdt_create(buf, (int)size), "the tree's header", NULL);
	if (!b->err)
		fdt_build_check(b, fdt_finish_reservemap(buf), "the tree's reservations", NULL);
	if (!b->err)
		fdt_build_check(b, fdt_begin_node(buf, ""), "the root node", NULL);
	b->depth = 1;
}

void fdt_build_begin_node(struct fdt_build *b, const char *name)
{
	if (b->err)
		return;
	if (b->depth > FDT_BUILD_MAX_DEPTH) {
		fdt_build_fail(b, -EINVAL, "node '%s' nests deeper than %u", name,
			       FDT_BUILD_MAX_DEPTH);
		return;
	}
	fdt_build_check(b, fdt_begin_node(b->fdt, name), "node", name);
	if (b->err)
		return;
	b->has_child |= 1u << (b->depth - 1);
	b->has_child &= ~(1u << b->depth);
	b->path_len[b->depth] = (unsigned)strlen(b->path);
	b->depth++;
	/* A path too long for messages is cut short; the tree itself is unaffected. */
	fmt_snprintf(b->path + b->path_len[b->depth - 1],
		     sizeof(b->path) - b->path_len[b->depth - 1], "/%s", name);
}

void fdt_build_begin_node_at(struct fdt_build *b, const char *name, uint64_t unit_address)
{
	char full[64];

	if (fmt_snprintf(full, sizeof(full), "%s@%llx", name, (unsigned long long)unit_address) >=
	    (int)sizeof(full)) {
		fdt_build_fail(b, -EINVAL, "node name '%s@%llx' is too long", name,
			       (unsigned long long)unit_address);
		return;
	}
	fdt_build_begin_node(b, full);
}

void fdt_build_end_node(struct fdt_build *b)
{
	if (b->err)
		return;
	if (b->depth <= 1) {
		fdt_build_fail(b, -EINVAL, "a node closed that was never opened");
		return;
	}
	fdt_build_check(b, fdt_end_node(b->fdt), "the end of the node", NULL);
	b->depth--;
	b->path[b->path_len[b->depth]] = '\0';
}

/* Room for a property's value, which the caller fills; NULL after a failure. */
static void *fdt_build_placeholder(struct fdt_build *b, const char *name, size_t len)
{
	void *value = NULL;

	if (b->err)
		return NULL;
	if (b->has_child & (1u << (b->depth - 1))) {
		fdt_build_fail(b, -EINVAL,
			       "property '%s' after a child node (properties come first)", name);
		return NULL;
	}
	if (len > INT_MAX) {
		fdt_build_fail(b, -EINVAL, "property '%s' of %zu bytes is too large", name, len);
		return NULL;
	}
	fdt_build_check(b, fdt_property_placeholder(b->fdt, name, (int)len, &value), "property",
			name);
	return b->err ? NULL : value;
}

static void fdt_build_put32(uint8_t *p, uint32_t value)
{
	p[0] = (uint8_t)(value >> 24);
	p[1] = (uint8_t)(value >> 16);
	p[2] = (uint8_t)(value >> 8);
	p[3] = (uint8_t)value;
}

void fdt_build_prop_empty(struct fdt_build *b, const char *name)
{
	fdt_build_placeholder(b, name, 0);
}

void fdt_build_prop_u32(struct fdt_build *b, const char *name, uint32_t value)
{
	fdt_build_prop_cells(b, name, &value, 1);
}

void fdt_build_prop_u64(struct fdt_build *b, const char *name, uint64_t value)
{
	uint32_t cells[2] = { (uint32_t)(value >> 32), (uint32_t)value };

	fdt_build_prop_cells(b, name, cells, 2);
}

void fdt_build_prop_cells(struct fdt_build *b, const char *name, const uint32_t *cells,
			  unsigned ncells)
{
	uint8_t *value = fdt_build_placeholder(b, name, (size_t)ncells * 4);

	for (unsigned i = 0; value && i < ncells; i++)
		fdt_build_put32(value + 4 * i, cells[i]);
}

void fdt_build_prop_string(struct fdt_build *b, const char *name, const char *value)
{
	fdt_build_prop_strings(b, name, &value, 1);
}

void fdt_build_prop_strings(struct fdt_build *b, const char *name, const char *const *strings,
			    unsigned count)
{
	size_t len = 0;
	char *value;

	for (unsigned i = 0; i < count; i++)
		len += strlen(strings[i]) + 1;
	value = fdt_build_placeholder(b, name, len);
	for (unsigned i = 0; value && i < count; i++) {
		size_t n = strlen(strings[i]) + 1;

		memcpy(value, strings[i], n);
		value += n;
	}
}

/* Whether value fits in ncells 32-bit cells. */
static bool fdt_build_fits(uint64_t value, unsigned ncells)
{
	return ncells >= 2 || value >> (32 * ncells) == 0;
}

static uint8_t *fdt_build_put_cells(uint8_t *p, uint64_t value, unsigned ncells)
{
	for (unsigned i = ncells; i-- > 0;)
		fdt_build_put32(p + 4 * (ncells - 1 - i), (uint32_t)(i ? value >> 32 : value));
	return p + 4 * ncells;
}

void fdt_build_prop_reg(struct fdt_build *b, unsigned address_cells, unsigned size_cells,
			const struct fdt_reg *regs, unsigned count)
{
	uint8_t *value;

	if (b->err)
		return;
	if (address_cells > 2 || size_cells > 2) {
		fdt_build_fail(b, -EINVAL,
			       "property 'reg': %u address and %u size cells (at most 2)",
			       address_cells, size_cells);
		return;
	}
	for (unsigned i = 0; i < count; i++) {
		if (!fdt_build_fits(regs[i].addr, address_cells) ||
		    (size_cells && !fdt_build_fits(regs[i].size, size_cells))) {
			fdt_build_fail(b, -ERANGE,
				       "property 'reg': %#llx+%#llx does not fit %u address and "
				       "%u size cells",
				       (unsigned long long)regs[i].addr,
				       (unsigned long long)regs[i].size, address_cells, size_cells);
			return;
		}
	}
	value = fdt_build_placeholder(b, "reg", (size_t)count * 4 * (address_cells + size_cells));
	for (unsigned i = 0; value && i < count; i++) {
		value = fdt_build_put_cells(value, regs[i].addr, address_cells);
		value = fdt_build_put_cells(value, regs[i].size, size_cells);
	}
}

uint32_t fdt_build_new_phandle(struct fdt_build *b)
{
	return ++b->last_phandle;
}

int fdt_build_finish(struct fdt_build *b, size_t *total_size)
{
	if (!b->err && b->depth != 1)
		fdt_build_fail(b, -EINVAL, "node left open at the end of the tree");
	if (!b->err)
		fdt_build_check(b, fdt_end_node(b->fdt), "the end of the root node", NULL);
	if (!b->err)
		fdt_build_check(b, fdt_finish(b->fdt), "the end of the tree", NULL);
	/* libfdt's writer takes a property name twice in a node; the check does not. */
	if (!b->err)
		b->err = fdt_check_tree(b->fdt, b->size, b->error, sizeof(b->error));
	if (b->err)
		return b->err;
	b->depth = 0;
	*total_size = fdt_totalsize(b->fdt);
	return 0;
}
