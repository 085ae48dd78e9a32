// SPDX-License-Identifier: MIT
/* /chosen of a user's device tree (see boot/fdt_chosen.h), with libfdt's read-write functions. */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include "boot/fdt.h"
#include "boot/fdt_chosen.h"
#include "lib/errno.h"
#include "lib/fmt.h"

/* Says why libfdt refused an edit: no room is the tree being too large, anything else a bad tree. */
static int fdt_chosen_fail(int fdt_err, const char *what, size_t buf_size, char *msg,
			   size_t msg_size)
{
	if (fdt_err == -FDT_ERR_NOSPACE) {
		fmt_snprintf(msg, msg_size,
			     "%s: the tree needs more than the %zu bytes there is room for", what,
			     buf_size);
		return -E2BIG;
	}
	fmt_snprintf(msg, msg_size, "%s: %s", what, fdt_strerror(fdt_err));
	return -EINVAL;
}

/* A whole, well-formed tree that fits buf_size; the checks libfdt's editing functions rely on. */
static int fdt_chosen_check(const void *dtb, size_t dtb_size, size_t buf_size, char *msg,
			    size_t msg_size)
{
	size_t total;

	if (dtb_size < sizeof(struct fdt_header) || fdt_magic(dtb) != FDT_MAGIC) {
		fmt_snprintf(msg, msg_size,
			     "not a device tree blob (no d00dfeed magic at its start)");
		return -EINVAL;
	}
	total = fdt_totalsize(dtb);
	if (total > dtb_size) {
		fmt_snprintf(msg, msg_size,
			     "truncated: its header says %zu bytes, the file has %zu", total,
			     dtb_size);
		return -EINVAL;
	}
	if (total > buf_size || buf_size > INT_MAX) {
		fmt_snprintf(msg, msg_size, "%zu bytes, more than the %zu bytes there is room for",
			     total, buf_size);
		return -E2BIG;
	}
	return fdt_check_tree(dtb, total, msg, msg_size);
}

/* Removes a property the tree may not have. */
static int fdt_chosen_delprop(void *fdt, int node, const char *name)
{
	int ret = fdt_delprop(fdt, node, name);

	return ret == -FDT_ERR_NOTFOUND ? 0 : ret;
}

int fdt_chosen_fixup(const void *dtb, size_t dtb_size, const struct fdt_chosen *chosen, void *buf,
		     size_t buf_size, size_t *out_size, char *msg, size_t msg_size)
{
	bool initrd = chosen->initrd_start || chosen->initrd_end;
	int node, ret = fdt_chosen_check(dtb, dtb_size, buf_size, msg, msg_size);

	if (ret < 0)
		return ret;
	ret = fdt_open_into(dtb, buf, (int)buf_size);
	if (ret < 0)
		return fdt_chosen_fail(ret, "opening the tree", buf_size, msg, msg_size);
	node = fdt_path_offset(buf, "/chosen");
	if (node == -FDT_ERR_NOTFOUND)
		node = fdt_add_subnode(buf, 0, "chosen");
	if (node < 0)
		return fdt_chosen_fail(node, "/chosen", buf_size, msg, msg_size);
	ret = chosen->bootargs && chosen->bootargs[0] ?
		      fdt_setprop_string(buf, node, "bootargs", chosen->bootargs) :
		      0;
	if (!ret && initrd)
		ret = fdt_setprop_u64(buf, node, "linux,initrd-start", chosen->initrd_start);
	if (!ret && initrd)
		ret = fdt_setprop_u64(buf, node, "linux,initrd-end", chosen->initrd_end);
	if (!ret && !initrd)
		ret = fdt_chosen_delprop(buf, node, "linux,initrd-start");
	if (!ret && !initrd)
		ret = fdt_chosen_delprop(buf, node, "linux,initrd-end");
	if (ret < 0)
		return fdt_chosen_fail(ret, "/chosen", buf_size, msg, msg_size);
	ret = fdt_pack(buf);
	if (ret < 0)
		return fdt_chosen_fail(ret, "packing the tree", buf_size, msg, msg_size);
	*out_size = fdt_totalsize(buf);
	return 0;
}
