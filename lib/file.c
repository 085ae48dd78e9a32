// SPDX-License-Identifier: MIT
/* Whole files (see lib/file.h). */
#include <stdint.h>

#include "lib/errno.h"
#include "lib/file.h"
#include "lib/plat.h"

int file_read_whole(const char *path, void **data, size_t *size)
{
	struct plat_file *file;
	int64_t len, got;
	int err = plat_file_open(path, PLAT_FILE_READ, &file);

	*data = NULL;
	if (err < 0)
		return err;
	len = plat_file_size(file);
	if (len <= 0) {
		plat_file_close(file);
		return len < 0 ? (int)len : -ENOEXEC;
	}
	*data = plat_alloc((size_t)len);
	if (!*data) {
		plat_file_close(file);
		return -ENOMEM;
	}
	got = plat_file_read(file, *data, (size_t)len, 0);
	plat_file_close(file);
	if (got != len) {
		plat_free(*data);
		*data = NULL;
		return got < 0 ? (int)got : -EIO;
	}
	*size = (size_t)len;
	return 0;
}
