/* SPDX-License-Identifier: MIT */
/* Whole files through lib/plat.h: what loaders and boards read before parsing an image. */
#ifndef PV_LIB_FILE_H
#define PV_LIB_FILE_H

#include <stddef.h>

/*
 * Reads the whole of path into a plat_alloc buffer the caller frees with plat_free. Returns 0, the
 * platform's error for a file that cannot be opened or read, -ENOEXEC for an empty file, -ENOMEM,
 * or -EIO for a short read. *data is NULL after a failure.
 */
int file_read_whole(const char *path, void **data, size_t *size);

#endif
