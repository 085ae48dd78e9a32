// SPDX-License-Identifier: MIT
/*
 * The -dtb fix-up (boot/fdt_chosen.c) on a tree the input supplies, as a user's file would: any
 * bytes, valid or not. Input: a flags byte (bit 0: a command line, bit 1: an initrd), the room
 * beyond the tree the output buffer gets (u16; the buffer is allocated to the byte, so a write
 * past it trips ASan), the initrd's start and length (u64, u32), the command line's length (u8)
 * and bytes, then the tree. A tree that is refused must be refused with a reason; one that is
 * accepted must come out whole (libfdt's full check, no property twice), within the buffer, with
 * /chosen saying exactly what was asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "boot/fdt.h"
#include "boot/fdt_chosen.h"
#include "lib/errno.h"
#include "fuzz.h"

#define BOOTARGS_MAX 255

static void require(bool ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "fdt_chosen: %s\n", what);
	abort();
}

static uint64_t chosen_u64(const void *fdt, int node, const char *name, bool *present)
{
	int len = 0;
	const void *value = fdt_getprop(fdt, node, name, &len);
	fdt64_t raw;

	*present = value != NULL;
	if (!value)
		return 0;
	require(len == sizeof(raw), "an initrd property is not 64 bits");
	/* Properties are only 4-byte aligned. */
	memcpy(&raw, value, sizeof(raw));
	return fdt64_to_cpu(raw);
}

/* What the fix-up wrote, against what it was asked. */
static void check_output(const void *out, size_t size, const struct fdt_chosen *chosen)
{
	char msg[FDT_CHOSEN_ERROR_MAX];
	const char *bootargs;
	bool present;
	int node, len;

	require(fdt_check_tree(out, size, msg, sizeof(msg)) == 0, msg);
	node = fdt_path_offset(out, "/chosen");
	require(node >= 0, "no /chosen in the output");
	bootargs = fdt_getprop(out, node, "bootargs", &len);
	if (chosen->bootargs && chosen->bootargs[0])
		require(bootargs && len == (int)strlen(chosen->bootargs) + 1 &&
				!memcmp(bootargs, chosen->bootargs, (size_t)len),
			"bootargs is not the command line given");
	if (chosen->initrd_start || chosen->initrd_end) {
		require(chosen_u64(out, node, "linux,initrd-start", &present) ==
					chosen->initrd_start &&
				present,
			"linux,initrd-start is not the initrd's");
		require(chosen_u64(out, node, "linux,initrd-end", &present) == chosen->initrd_end &&
				present,
			"linux,initrd-end is not the initrd's");
	} else {
		chosen_u64(out, node, "linux,initrd-start", &present);
		require(!present, "a stale linux,initrd-start survived");
		chosen_u64(out, node, "linux,initrd-end", &present);
		require(!present, "a stale linux,initrd-end survived");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	char bootargs[BOOTARGS_MAX + 1], msg[FDT_CHOSEN_ERROR_MAX];
	struct fdt_chosen chosen = { 0 };
	uint8_t flags = fuzz_u8(&in), *dtb, *out;
	size_t room = fuzz_u16(&in), bootargs_len, out_size = 0, buf_size;
	uint64_t initrd_start = fuzz_u64(&in);
	uint32_t initrd_len = fuzz_u32(&in);
	int ret;

	fuzz_quiet();
	bootargs_len = fuzz_u8(&in);
	bootargs_len = fuzz_bytes(&in, bootargs, bootargs_len);
	bootargs[bootargs_len] = '\0';
	if (flags & 1)
		chosen.bootargs = bootargs;
	if ((flags & 2) && initrd_start + initrd_len >= initrd_start) {
		chosen.initrd_start = initrd_start;
		chosen.initrd_end = initrd_start + initrd_len;
	}
	/* Copies, sized to the byte: the fix-up must read and write only what it was given. */
	dtb = malloc(in.len ? in.len : 1);
	buf_size = in.len + room;
	out = malloc(buf_size ? buf_size : 1);
	require(dtb && out, "out of memory");
	memcpy(dtb, in.data, in.len);
	msg[0] = '\0';
	ret = fdt_chosen_fixup(dtb, in.len, &chosen, out, buf_size, &out_size, msg, sizeof(msg));
	if (ret == 0) {
		require(out_size <= buf_size, "the tree outgrew its buffer");
		check_output(out, out_size, &chosen);
	} else {
		require(ret == -EINVAL || ret == -E2BIG, "an error other than -EINVAL or -E2BIG");
		require(msg[0] != '\0', "refused without a reason");
	}
	free(out);
	free(dtb);
	return 0;
}
