// SPDX-License-Identifier: MIT
/*
 * plat.h on bare metal while boot services run: memory from the firmware's allocator, time from
 * the CPU's counter, shutdown through ResetSystem. The console is in console.c and files in
 * file.c. Until the kernel brings up the other CPUs after ExitBootServices, the hypervisor runs on
 * the boot CPU alone.
 */
#include <string.h>

#include "lib/errno.h"
#include "lib/plat.h"
#include "uefi/host.h"
#include "uefi/uefi.h"

/* How long to watch the counter against the firmware's Stall when its rate is unknown. */
#define TIME_CALIBRATION_US 10000u

static uint64_t time_origin;
static uint64_t time_hz;

int efi_errno(EFI_STATUS status)
{
	switch (status) {
	case EFI_SUCCESS:
		return 0;
	case EFI_NOT_FOUND:
		return -ENOENT;
	case EFI_OUT_OF_RESOURCES:
		return -ENOMEM;
	case EFI_INVALID_PARAMETER:
	case EFI_BAD_BUFFER_SIZE:
		return -EINVAL;
	case EFI_UNSUPPORTED:
		return -EOPNOTSUPP;
	case EFI_WRITE_PROTECTED:
		return -EROFS;
	case EFI_ACCESS_DENIED:
		return -EACCES;
	case EFI_VOLUME_FULL:
		return -ENOSPC;
	case EFI_NOT_READY:
		return -EAGAIN;
	case EFI_TIMEOUT:
		return -ETIMEDOUT;
	default:
		return -EIO;
	}
}

void efi_time_init(void)
{
	time_hz = host_counter_hz();
	if (!time_hz) {
		uint64_t start = host_counter_read();

		efi_bs->Stall(TIME_CALIBRATION_US);
		time_hz = (host_counter_read() - start) * (1000000u / TIME_CALIBRATION_US);
	}
	/* A counter that never moved must not divide by zero later: time then stands still. */
	if (!time_hz)
		time_hz = 1;
	time_origin = host_counter_read();
}

/* Split so that ticks * 1e9 cannot overflow: the remainder is below the rate, itself below 2^34. */
uint64_t plat_time_ns(void)
{
	uint64_t ticks = host_counter_read() - time_origin;

	return ticks / time_hz * 1000000000u + ticks % time_hz * 1000000000u / time_hz;
}

void *plat_pages_alloc(size_t npages)
{
	EFI_PHYSICAL_ADDRESS addr;

	if (EFI_ERROR(efi_bs->AllocatePages(AllocateAnyPages, EfiLoaderData, npages, &addr)))
		return NULL;
	memset((void *)(uintptr_t)addr, 0, npages * PLAT_PAGE_SIZE);
	return (void *)(uintptr_t)addr;
}

void plat_pages_free(void *pages, size_t npages)
{
	if (pages)
		efi_bs->FreePages((EFI_PHYSICAL_ADDRESS)(uintptr_t)pages, npages);
}

void *plat_alloc(size_t size)
{
	void *ptr;

	if (EFI_ERROR(efi_bs->AllocatePool(EfiLoaderData, size, &ptr)))
		return NULL;
	memset(ptr, 0, size);
	return ptr;
}

void plat_free(void *ptr)
{
	if (ptr)
		efi_bs->FreePool(ptr);
}

unsigned plat_cpu_count(void)
{
	return 1;
}

unsigned plat_cpu_self(void)
{
	return 0;
}

/* No other CPU runs hypervisor code before the kernel brings them up after ExitBootServices. */
int plat_thread_start(void (*fn)(void *arg), void *arg)
{
	return -ENODEV;
}

/* QEMU exits on the shutdown; real machines power off. The status reaches the firmware's log. */
_Noreturn void plat_exit(int status)
{
	efi_st->RuntimeServices->ResetSystem(EfiResetShutdown, status ? EFI_ABORTED : EFI_SUCCESS,
					     0, NULL);
	for (;;)
		;
}
