/* SPDX-License-Identifier: MIT */
/*
 * Building a flattened device tree in a buffer: the boards' /cpus, /memory, /chosen and /soc,
 * written front to back with libfdt's sequential-write functions (those libfdt 1.6.1 on the host
 * and 1.7.2 on bare metal both have). The first failure sticks: later calls do nothing, so a board
 * writes the whole tree and checks once, in fdt_build_finish, which returns the failure as a
 * negative errno and leaves its description in `error` ("/soc/serial@10000000: property 'reg':
 * no room in the 4096-byte buffer").
 *
 *	struct fdt_build b;
 *	fdt_build_init(&b, buf, sizeof(buf));         // the root node is open
 *	uint32_t plic = fdt_build_new_phandle(&b);    // numbers may be handed out before use
 *	fdt_build_prop_u32(&b, "#address-cells", 2);
 *	fdt_build_begin_node_at(&b, "memory", 0x80000000);
 *	fdt_build_prop_string(&b, "device_type", "memory");
 *	fdt_build_prop_reg(&b, 2, 2, &(struct fdt_reg){ 0x80000000, 512 << 20 }, 1);
 *	fdt_build_end_node(&b);
 *	err = fdt_build_finish(&b, &size);            // closes the root node
 */
#ifndef PV_BOOT_FDT_H
#define PV_BOOT_FDT_H

#include <stddef.h>
#include <stdint.h>

#define FDT_BUILD_ERROR_MAX 160
#define FDT_BUILD_PATH_MAX 128
#define FDT_BUILD_MAX_DEPTH 16

struct fdt_build {
	void *fdt;
	size_t size;
	int err; /* the first failure as a negative errno; 0 while all went well */
	char error[FDT_BUILD_ERROR_MAX]; /* what failed, for a person */
	uint32_t last_phandle;
	unsigned depth; /* nodes open, the root included */
	/* Bit d: the open node at depth d + 1 has a child already, so no property may follow. */
	uint32_t has_child;
	unsigned path_len[FDT_BUILD_MAX_DEPTH + 1]; /* the length of path at each depth */
	char path[FDT_BUILD_PATH_MAX]; /* the open node's path, for messages */
};

/* One address and size of a reg property. */
struct fdt_reg {
	uint64_t addr;
	uint64_t size; /* unused when the parent's #size-cells is 0 (CPUs) */
};

/* Starts a tree in buf[size] (no memory reservations) and opens the root node. */
void fdt_build_init(struct fdt_build *b, void *buf, size_t size);

/* Opens a child of the open node: "cpus", or "name@unit" with the unit address in hex. */
void fdt_build_begin_node(struct fdt_build *b, const char *name);
void fdt_build_begin_node_at(struct fdt_build *b, const char *name, uint64_t unit_address);
void fdt_build_end_node(struct fdt_build *b);

/*
 * Properties of the open node; cells are written big-endian as the format wants. The format puts
 * a node's properties before its children: a property after a child is a failure (-EINVAL),
 * since libfdt and Linux would never find it.
 */
void fdt_build_prop_empty(struct fdt_build *b, const char *name);
void fdt_build_prop_u32(struct fdt_build *b, const char *name, uint32_t value);
void fdt_build_prop_u64(struct fdt_build *b, const char *name, uint64_t value);
void fdt_build_prop_cells(struct fdt_build *b, const char *name, const uint32_t *cells,
			  unsigned ncells);
void fdt_build_prop_string(struct fdt_build *b, const char *name, const char *value);
/* A stringlist ("compatible"): each string with its NUL, one after the other. */
void fdt_build_prop_strings(struct fdt_build *b, const char *name, const char *const *strings,
			    unsigned count);
/*
 * "reg" with the parent's #address-cells and #size-cells (0 to 2 each): a value that does not
 * fit its cells is a failure (-ERANGE).
 */
void fdt_build_prop_reg(struct fdt_build *b, unsigned address_cells, unsigned size_cells,
			const struct fdt_reg *regs, unsigned count);

/*
 * A new phandle number (1, 2, ...). The node it names writes it with
 * fdt_build_prop_u32(b, "phandle", n); others refer to it in cells, before or after.
 */
uint32_t fdt_build_new_phandle(struct fdt_build *b);

/*
 * Closes the root node and the tree and checks it (fdt_check_tree). Returns 0 with *total_size
 * the tree's size in bytes, or the first failure (-ENOSPC when the buffer is too small, -EINVAL
 * for a node left open or closed twice or a property written twice in a node, -ERANGE, -EINVAL
 * for what libfdt refused) with b->error describing it.
 */
int fdt_build_finish(struct fdt_build *b, size_t *total_size);

/*
 * Checks a device tree before a guest sees it: libfdt's full structural check over size bytes,
 * then no node may name a property twice. libfdt and Linux silently take the first of two, so a
 * duplicate means the guest runs with a value nobody meant. fdt_build_finish runs it on every
 * tree it makes; a tree read from a file (-dtb) needs it as much. Returns 0, or -EINVAL with msg
 * saying what is wrong ("/soc/serial@10000000: property 'reg' appears twice").
 */
int fdt_check_tree(const void *fdt, size_t size, char *msg, size_t msg_size);

/* A libfdt error (-FDT_ERR_...) as a negative errno, for boards reading DTBs with libfdt. */
int fdt_build_errno(int fdt_err);

#endif
