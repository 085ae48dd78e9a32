// SPDX-License-Identifier: MIT
/* The chardevs a board's console devices are given (see kernel/chardev.h). */
#include <string.h>

#include "kernel/chardev.h"
#include "kernel/console_mux.h"
#include "lib/errno.h"
#include "lib/plat.h"

/* The file of "file:PATH", written front to back by the one device that owns the chardev. */
struct chardev_file {
	struct plat_file *file;
	uint64_t offset;
};

static void chardev_console_write(void *backend, const uint8_t *buf, size_t len)
{
	console_port_write(backend, buf, len);
}

static size_t chardev_console_read(void *backend, uint8_t *buf, size_t len)
{
	return console_port_read(backend, buf, len);
}

/* A failed write drops the bytes, as a serial line with nobody listening would. */
static void chardev_file_write(void *backend, const uint8_t *buf, size_t len)
{
	struct chardev_file *f = backend;
	int64_t n = plat_file_write(f->file, buf, len, f->offset);

	if (n > 0)
		f->offset += (uint64_t)n;
}

static int chardev_open_file(const char *path, struct chardev *out)
{
	struct chardev_file *f;
	int err;

	if (!path[0])
		return -EINVAL;
	f = plat_alloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	err = plat_file_open(path, PLAT_FILE_WRITE | PLAT_FILE_CREATE, &f->file);
	if (err < 0) {
		plat_free(f);
		return err;
	}
	*out = (struct chardev){ .write = chardev_file_write, .backend = f };
	return 0;
}

int chardev_open(const char *spec, const char *owner, bool input, struct chardev *out)
{
	static const char file_prefix[] = "file:";
	struct console_port *port;
	int err;

	*out = (struct chardev){ 0 };
	if (!spec[0] || strcmp(spec, "stdio") == 0) {
		err = console_mux_attach(owner, &port);
		if (err < 0)
			return err;
		out->write = chardev_console_write;
		out->read = input ? chardev_console_read : NULL;
		out->backend = port;
		return 0;
	}
	if (strcmp(spec, "none") == 0)
		return 0;
	if (strncmp(spec, file_prefix, sizeof(file_prefix) - 1) == 0)
		return chardev_open_file(spec + sizeof(file_prefix) - 1, out);
	return -EINVAL;
}

void chardev_close(struct chardev *chr)
{
	struct chardev_file *f = chr->backend;

	if (chr->write == chardev_console_write)
		console_mux_detach(chr->backend);
	if (chr->write == chardev_file_write) {
		plat_file_close(f->file);
		plat_free(f);
	}
	*chr = (struct chardev){ 0 };
}
