// SPDX-License-Identifier: MIT
/*
 * plat.h's files on bare metal: the FAT volume Polyvisor was loaded from (the ESP). While boot
 * services run, through the firmware's Simple File System protocol; the files the VMs need are
 * read into memory before ExitBootServices (efi_file_preload) and served from there afterwards,
 * writes included: those stay in memory, the ESP is not written. Paths are relative to the
 * volume's root and may use '/' or '\'.
 */
#include <string.h>

#include "lib/errno.h"
#include "lib/file.h"
#include "lib/plat.h"
#include "uefi/uefi.h"

/* FAT's longest path is 260 UCS-2 characters including the terminator. */
#define FILE_PATH_MAX 260
#define FILE_PRELOAD_MAX 32

/* A file read whole into memory, by its path with '/' separators and no leading one. */
struct file_preload {
	char path[FILE_PATH_MAX];
	uint8_t *data;
	uint64_t size;
};

struct plat_file {
	EFI_FILE_PROTOCOL *handle; /* NULL for a preloaded file */
	struct file_preload *preload;
	bool writable;
};

static struct file_preload file_preloads[FILE_PRELOAD_MAX];
static unsigned file_npreloads;

static EFI_FILE_PROTOCOL *file_root;

static int file_open_root(void)
{
	EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_GUID fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_LOADED_IMAGE_PROTOCOL *image;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs;
	EFI_STATUS status;

	if (file_root)
		return 0;
	status = efi_bs->HandleProtocol(efi_image, &loaded_image_guid, (void **)&image);
	if (!EFI_ERROR(status))
		status = efi_bs->HandleProtocol(image->DeviceHandle, &fs_guid, (void **)&fs);
	if (!EFI_ERROR(status))
		status = fs->OpenVolume(fs, &file_root);
	return efi_errno(status);
}

/* FAT names are UCS-2: only ASCII paths are taken, rather than guessing at other encodings. */
static int file_path_ucs2(const char *path, CHAR16 *out)
{
	size_t len = 0;

	for (; path[len]; len++) {
		if (len + 1 >= FILE_PATH_MAX)
			return -ENAMETOOLONG;
		if ((unsigned char)path[len] >= 0x80)
			return -EINVAL;
		out[len] = path[len] == '/' ? '\\' : (CHAR16)path[len];
	}
	out[len] = 0;
	return len ? 0 : -ENOENT;
}

/* path as preloads are named: '/' separators, no leading one. */
static int file_path_normal(const char *path, char *out)
{
	size_t len = 0;

	while (*path == '/' || *path == '\\')
		path++;
	for (; path[len]; len++) {
		if (len + 1 >= FILE_PATH_MAX)
			return -ENAMETOOLONG;
		out[len] = path[len] == '\\' ? '/' : path[len];
	}
	out[len] = 0;
	return len ? 0 : -ENOENT;
}

static struct file_preload *file_preload_find(const char *path)
{
	char name[FILE_PATH_MAX];

	if (file_path_normal(path, name))
		return NULL;
	for (unsigned i = 0; i < file_npreloads; i++)
		if (!strcmp(file_preloads[i].path, name))
			return &file_preloads[i];
	return NULL;
}

int64_t efi_file_preload(const char *path)
{
	struct file_preload *preload = file_preload_find(path);
	void *data;
	size_t size;
	int err;

	if (preload)
		return (int64_t)preload->size;
	if (file_npreloads == FILE_PRELOAD_MAX)
		return -ENOSPC;
	preload = &file_preloads[file_npreloads];
	err = file_path_normal(path, preload->path);
	/* Not found among the preloads yet: this read goes to the ESP. */
	if (!err)
		err = file_read_whole(path, &data, &size);
	if (err)
		return err;
	preload->data = data;
	preload->size = size;
	file_npreloads++;
	return (int64_t)size;
}

int plat_file_open(const char *path, unsigned mode, struct plat_file **out)
{
	UINT64 efi_mode = EFI_FILE_MODE_READ;
	struct file_preload *preload = file_preload_find(path);
	CHAR16 name[FILE_PATH_MAX];
	EFI_FILE_PROTOCOL *handle;
	struct plat_file *file;
	int err;

	/* The ESP holds what the user put there; the hypervisor does not make files on it. */
	if (mode & PLAT_FILE_CREATE)
		return -ENOTSUP;
	if (preload) {
		file = plat_alloc(sizeof(*file));
		if (!file)
			return -ENOMEM;
		file->preload = preload;
		file->writable = mode & PLAT_FILE_WRITE;
		*out = file;
		return 0;
	}
	/* Once boot services are gone, the ESP is what was preloaded. */
	if (!efi_bs)
		return -ENOENT;
	err = file_path_ucs2(path, name);
	if (!err)
		err = file_open_root();
	if (err)
		return err;
	if (mode & PLAT_FILE_WRITE)
		efi_mode |= EFI_FILE_MODE_WRITE;
	err = efi_errno(file_root->Open(file_root, &handle, name, efi_mode, 0));
	if (err)
		return err;
	file = plat_alloc(sizeof(*file));
	if (!file) {
		handle->Close(handle);
		return -ENOMEM;
	}
	file->handle = handle;
	*out = file;
	return 0;
}

int64_t plat_file_size(struct plat_file *file)
{
	EFI_GUID info_guid = EFI_FILE_INFO_ID;
	union {
		EFI_FILE_INFO info;
		uint8_t bytes[SIZE_OF_EFI_FILE_INFO + FILE_PATH_MAX * sizeof(CHAR16)];
	} buf;
	UINTN size = sizeof(buf);
	EFI_STATUS status;

	if (file->preload)
		return (int64_t)file->preload->size;
	status = file->handle->GetInfo(file->handle, &info_guid, &size, &buf);
	if (EFI_ERROR(status))
		return efi_errno(status);
	return (int64_t)buf.info.FileSize;
}

int64_t plat_file_read(struct plat_file *file, void *buf, size_t len, uint64_t offset)
{
	size_t done = 0;

	if (file->preload) {
		if (offset >= file->preload->size)
			return 0;
		if (len > file->preload->size - offset)
			len = (size_t)(file->preload->size - offset);
		memcpy(buf, file->preload->data + offset, len);
		return (int64_t)len;
	}
	if (EFI_ERROR(file->handle->SetPosition(file->handle, offset)))
		return -EIO;
	/* Read stops short only at the end of the file; the loop serves drivers that split it. */
	while (done < len) {
		UINTN chunk = len - done;
		EFI_STATUS status = file->handle->Read(file->handle, &chunk, (uint8_t *)buf + done);

		if (EFI_ERROR(status))
			return efi_errno(status);
		if (!chunk)
			break;
		done += chunk;
	}
	return (int64_t)done;
}

int64_t plat_file_write(struct plat_file *file, const void *buf, size_t len, uint64_t offset)
{
	UINTN done = len;
	EFI_STATUS status;

	if (file->preload) {
		if (!file->writable)
			return -EBADF;
		/* The copy in memory cannot grow: a disk keeps the size it was loaded with. */
		if (offset > file->preload->size || len > file->preload->size - offset)
			return -ENOSPC;
		memcpy(file->preload->data + offset, buf, len);
		return (int64_t)len;
	}
	if (EFI_ERROR(file->handle->SetPosition(file->handle, offset)))
		return -EIO;
	/* EFI's Write takes a non-const buffer but does not modify it. */
	status = file->handle->Write(file->handle, &done, (void *)buf);
	if (EFI_ERROR(status))
		return efi_errno(status);
	return (int64_t)done;
}

int plat_file_sync(struct plat_file *file)
{
	if (file->preload)
		return 0;
	return efi_errno(file->handle->Flush(file->handle));
}

void plat_file_close(struct plat_file *file)
{
	if (!file)
		return;
	if (file->handle)
		file->handle->Close(file->handle);
	plat_free(file);
}
