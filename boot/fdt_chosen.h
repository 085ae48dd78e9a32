/* SPDX-License-Identifier: MIT */
/*
 * A device tree the user gave (-dtb, dtb =) made ready to boot, as QEMU does with its -dtb: the
 * tree is opened into a larger buffer, /chosen (made when the tree has none) gets the boot's
 * command line and initrd, and everything else is kept. Linux reads /chosen's bootargs,
 * linux,initrd-start and linux,initrd-end; a tree dumped from one boot would otherwise bring that
 * boot's values into the next.
 */
#ifndef PV_BOOT_FDT_CHOSEN_H
#define PV_BOOT_FDT_CHOSEN_H

#include <stddef.h>
#include <stdint.h>

#define FDT_CHOSEN_ERROR_MAX 160

struct fdt_chosen {
	/* The command line; NULL or empty keeps the tree's bootargs, as QEMU keeps them. */
	const char *bootargs;
	/* The initrd's guest-physical range; both 0 without one, which removes stale values. */
	uint64_t initrd_start, initrd_end;
};

/*
 * Checks the dtb_size bytes at dtb (a whole flattened device tree, as read from a file), copies
 * the tree into buf[buf_size] and sets /chosen from chosen. Returns 0 with *out_size the packed
 * tree's size, or -EINVAL (not a valid device tree) / -E2BIG (the tree does not fit buf_size)
 * with msg saying why.
 */
int fdt_chosen_fixup(const void *dtb, size_t dtb_size, const struct fdt_chosen *chosen, void *buf,
		     size_t buf_size, size_t *out_size, char *msg, size_t msg_size);

#endif
