// SPDX-License-Identifier: MIT
/* Descriptions of the error codes in lib/errno.h, for messages a person reads. */
#include "lib/errno.h"
#include "lib/compiler.h"

static const char *const error_text[] = {
	[EPERM] = "operation not permitted",
	[ENOENT] = "no such file or entry",
	[EINTR] = "interrupted",
	[EIO] = "input/output error",
	[ENXIO] = "no such device or address",
	[E2BIG] = "value too long",
	[ENOEXEC] = "not an executable image",
	[EBADF] = "bad file handle",
	[EAGAIN] = "try again",
	[ENOMEM] = "out of memory",
	[EACCES] = "permission denied",
	[EFAULT] = "bad address",
	[EBUSY] = "busy",
	[EEXIST] = "already exists",
	[ENODEV] = "no such device",
	[ENOTDIR] = "not a directory",
	[EISDIR] = "is a directory",
	[EINVAL] = "invalid argument",
	[EFBIG] = "file too large",
	[ENOSPC] = "no space left",
	[EROFS] = "read-only",
	[EPIPE] = "broken pipe",
	[ERANGE] = "out of range",
	[ENAMETOOLONG] = "name too long",
	[ENOSYS] = "not implemented",
	[EOVERFLOW] = "value overflows its type",
	[EILSEQ] = "invalid byte sequence",
	[EOPNOTSUPP] = "not supported",
	[ETIMEDOUT] = "timed out",
	[ECANCELED] = "canceled",
};

const char *pv_strerror(int err)
{
	unsigned code = err < 0 ? 0u - (unsigned)err : (unsigned)err;

	if (code < ARRAY_SIZE(error_text) && error_text[code])
		return error_text[code];
	return "unknown error";
}
