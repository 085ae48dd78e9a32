// SPDX-License-Identifier: MIT
/*
 * The DTB builder (boot/fdt.c) driven by a program of builder calls the input chooses: nodes,
 * with and without unit addresses, as deep as it likes, properties of every kind with values
 * from the input, reg properties of any cell counts, in a buffer of any size (allocated to the
 * byte, so a write past it trips ASan). When the builder reports success the tree must pass
 * libfdt's full check, and every node and property written must read back from it, with the
 * same bytes; when it fails, it must say why.
 */
#include <stdio.h>
#include <stdlib.h>

#include <libfdt.h>

#include "boot/fdt.h"
#include "fuzz.h"

#define MAX_OPS 96
#define MAX_PROPS MAX_OPS /* at most one per op */
#define PATH_MAX_LEN 1024
#define VALUE_MAX 80
#define STRING_MAX 24

struct prop_record {
	char path[PATH_MAX_LEN];
	char name[16];
	uint8_t value[VALUE_MAX];
	size_t len;
};

struct model {
	char path[PATH_MAX_LEN];
	size_t path_len[FDT_BUILD_MAX_DEPTH + 2];
	unsigned depth; /* nodes open below the root */
	unsigned nodes; /* made, the root included */
	unsigned names; /* node and property names are unique: a counter */
	struct prop_record props[MAX_PROPS];
	unsigned nprops;
};

static struct model model;

static void require(bool ok, const char *what, const char *detail)
{
	if (ok)
		return;
	fprintf(stderr, "fdt: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	abort();
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* A new property of the open node in the model; its expected value is filled by the caller. */
static struct prop_record *record(const char *name)
{
	struct prop_record *r = &model.props[model.nprops++];

	snprintf(r->path, sizeof(r->path), "%s", model.depth ? model.path : "/");
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->len = 0;
	return r;
}

/* A NUL-terminated string of up to STRING_MAX input bytes (it may end early at a NUL). */
static void take_string(struct fuzz_input *in, char *s)
{
	size_t n = fuzz_u8(in) % (STRING_MAX + 1);

	fuzz_bytes(in, s, n);
	s[n] = '\0';
}

static void begin_node(struct fdt_build *b, struct fuzz_input *in, bool with_unit)
{
	uint64_t unit = with_unit ? fuzz_u64(in) : 0;
	char name[48];
	size_t len = strlen(model.path);

	snprintf(name, sizeof(name), "n%u", model.names++);
	if (with_unit) {
		fdt_build_begin_node_at(b, name, unit);
		snprintf(name, sizeof(name), "n%u@%llx", model.names - 1, (unsigned long long)unit);
	} else {
		fdt_build_begin_node(b, name);
	}
	if (b->err || model.depth >= FDT_BUILD_MAX_DEPTH)
		return;
	model.path_len[model.depth++] = len;
	snprintf(model.path + len, sizeof(model.path) - len, "/%s", name);
	model.nodes++;
}

static void end_node(struct fdt_build *b)
{
	fdt_build_end_node(b);
	if (b->err || !model.depth)
		return;
	model.path[model.path_len[--model.depth]] = '\0';
}

static void prop(struct fdt_build *b, struct fuzz_input *in, unsigned kind)
{
	char name[16], strings[3][STRING_MAX + 1];
	const char *list[3] = { strings[0], strings[1], strings[2] };
	uint32_t cells[8];
	struct fdt_reg regs[2];
	struct prop_record *r;
	unsigned i, n, acells, scells;
	uint64_t v;

	snprintf(name, sizeof(name), "p%u", model.names++);
	r = record(name);
	switch (kind) {
	case 0:
		fdt_build_prop_empty(b, name);
		break;
	case 1:
		v = fuzz_u32(in);
		fdt_build_prop_u32(b, name, (uint32_t)v);
		put32(r->value, (uint32_t)v);
		r->len = 4;
		break;
	case 2:
		v = fuzz_u64(in);
		fdt_build_prop_u64(b, name, v);
		put32(r->value, (uint32_t)(v >> 32));
		put32(r->value + 4, (uint32_t)v);
		r->len = 8;
		break;
	case 3:
		n = fuzz_u8(in) % 9;
		for (i = 0; i < n; i++) {
			cells[i] = fuzz_u32(in);
			put32(r->value + 4 * i, cells[i]);
		}
		fdt_build_prop_cells(b, name, cells, n);
		r->len = 4 * n;
		break;
	case 4:
		take_string(in, strings[0]);
		fdt_build_prop_string(b, name, strings[0]);
		r->len = strlen(strings[0]) + 1;
		memcpy(r->value, strings[0], r->len);
		break;
	case 5:
		n = fuzz_u8(in) % 4;
		for (i = 0; i < n; i++) {
			take_string(in, strings[i]);
			memcpy(r->value + r->len, strings[i], strlen(strings[i]) + 1);
			r->len += strlen(strings[i]) + 1;
		}
		fdt_build_prop_strings(b, name, list, n);
		break;
	default:
		/* reg: its name is fixed, so at most one per node reads back unambiguously. */
		snprintf(r->name, sizeof(r->name), "reg");
		acells = fuzz_u8(in);
		scells = acells >> 4 & 3;
		acells &= 3;
		n = fuzz_u8(in) % 3;
		for (i = 0; i < n; i++) {
			regs[i].addr = fuzz_u64(in);
			regs[i].size = fuzz_u64(in);
			put32(r->value + r->len, (uint32_t)(regs[i].addr >> 32));
			put32(r->value + r->len + 4, (uint32_t)regs[i].addr);
			/* Only the low cells exist: one cell holds the low half. */
			if (acells == 1)
				memmove(r->value + r->len, r->value + r->len + 4, 4);
			r->len += 4 * (acells > 2 ? 2 : acells);
			put32(r->value + r->len, (uint32_t)(regs[i].size >> 32));
			put32(r->value + r->len + 4, (uint32_t)regs[i].size);
			if (scells == 1)
				memmove(r->value + r->len, r->value + r->len + 4, 4);
			r->len += 4 * (scells > 2 ? 2 : scells);
		}
		fdt_build_prop_reg(b, acells, scells, regs, n);
		/* A second reg in one node would be a duplicate property: not recorded twice. */
		for (i = 0; i + 1 < model.nprops; i++)
			if (!strcmp(model.props[i].path, r->path) &&
			    !strcmp(model.props[i].name, "reg"))
				model.nprops--;
		break;
	}
}

static void check_tree(const void *fdt, size_t total, size_t size)
{
	const struct prop_record *r;
	int offset, depth = 0, len;
	unsigned i, nodes = 0;
	const void *value;

	require(total <= size, "a tree larger than its buffer", NULL);
	require(fdt_check_full(fdt, total) == 0, "libfdt refuses the tree", NULL);
	/* Past the root's end libfdt reports a negative depth, not an error. */
	for (offset = 0; offset >= 0 && depth >= 0; offset = fdt_next_node(fdt, offset, &depth))
		nodes++;
	require(nodes == model.nodes, "a node count unlike the calls made", NULL);
	for (i = 0; i < model.nprops; i++) {
		r = &model.props[i];
		offset = fdt_path_offset(fdt, r->path);
		require(offset >= 0, "a node that is not in the tree", r->path);
		value = fdt_getprop(fdt, offset, r->name, &len);
		require(value != NULL, "a property that is not in the tree", r->name);
		require((size_t)len == r->len && !memcmp(value, r->value, r->len),
			"a property whose value differs", r->name);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct fdt_build b;
	size_t buf_size = fuzz_u16(&in) % 8192, total = 0;
	uint8_t *buf = malloc(buf_size ? buf_size : 1);
	unsigned i;
	int rc;

	if (!buf)
		abort();
	memset(&model, 0, sizeof(model));
	model.nodes = 1;
	fdt_build_init(&b, buf, buf_size);
	for (i = 0; i < MAX_OPS && !fuzz_empty(&in); i++) {
		uint8_t op = fuzz_u8(&in);

		switch (op % 5) {
		case 0:
			begin_node(&b, &in, op & 0x10);
			break;
		case 1:
			end_node(&b);
			break;
		case 2:
			fdt_build_new_phandle(&b);
			break;
		default:
			prop(&b, &in, (op >> 3) % 7);
			break;
		}
	}
	/* The program may leave nodes open: close them, or not, as it says. */
	if (fuzz_u8(&in) & 1)
		while (model.depth && !b.err)
			end_node(&b);
	rc = fdt_build_finish(&b, &total);
	if (rc == 0)
		check_tree(buf, total, buf_size);
	else
		require(rc < 0 && memchr(b.error, '\0', sizeof(b.error)) && b.error[0],
			"a failure without a message", NULL);
	free(buf);
	return 0;
}
