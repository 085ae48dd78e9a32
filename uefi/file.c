// SPDX-License-Identifier: MIT
/*
 * plat.h's files while boot services run: the FAT volume Polyvisor was loaded from (the ESP),
 * through the firmware's Simple File System protocol. Paths are relative to the volume's root
 * and may use '/' or '\'.
 */
#include "lib/errno.h"
#include "lib/plat.h"
#include "uefi/uefi.h"

/* FAT's longest path is 260 UCS-2 characters including the terminator. */
#define FILE_PATH_MAX 260

struct plat_file {
	EFI_FILE_PROTOCOL *handle;
};

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

int plat_file_open(const char *path, unsigned mode, struct plat_file **out)
{
	UINT64 efi_mode = EFI_FILE_MODE_READ;
	CHAR16 name[FILE_PATH_MAX];
	EFI_FILE_PROTOCOL *handle;
	struct plat_file *file;
	int err;

	/* The ESP holds what the user put there; the hypervisor does not make files on it. */
	if (mode & PLAT_FILE_CREATE)
		return -ENOTSUP;
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

	status = file->handle->GetInfo(file->handle, &info_guid, &size, &buf);
	if (EFI_ERROR(status))
		return efi_errno(status);
	return (int64_t)buf.info.FileSize;
}

int64_t plat_file_read(struct plat_file *file, void *buf, size_t len, uint64_t offset)
{
	size_t done = 0;

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
	return efi_errno(file->handle->Flush(file->handle));
}

void plat_file_close(struct plat_file *file)
{
	if (!file)
		return;
	file->handle->Close(file->handle);
	plat_free(file);
}
