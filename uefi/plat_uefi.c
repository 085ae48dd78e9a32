// SPDX-License-Identifier: MIT
/*
 * plat.h on bare metal: memory from the firmware's allocator while boot services run, from
 * lib/heap over the memory the firmware left free once they are gone; time from the CPU's
 * counter; shutdown through ResetSystem, a runtime service that outlives boot services. The
 * console is in console.c and files in file.c. Until the kernel brings up the other CPUs, the
 * hypervisor runs on the boot CPU alone.
 */
#include <string.h>

#include "lib/errno.h"
#include "lib/heap.h"
#include "lib/plat.h"
#include "lib/spinlock.h"
#include "uefi/host.h"
#include "uefi/uefi.h"

/* How long to watch the counter against the firmware's Stall when its rate is unknown. */
#define TIME_CALIBRATION_US 10000u

static uint64_t time_origin;
static uint64_t time_hz;
/* Wall-clock time at time_origin, in ns since the epoch: read from the firmware's RTC once. */
static uint64_t realtime_origin;
/* Memory after ExitBootServices. What boot services allocated stays where it is, owned by no
 * one: frees of it are ignored. */
static struct heap heap;
/* Below this, memory is left to real-mode leftovers and the APs' start-up code to come. */
#define HEAP_LOW_LIMIT (1024u * 1024u)

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

/*
 * Days from 1970-01-01 to year-month-day in the proleptic Gregorian calendar. Years are counted
 * from March so that the leap day ends a year: each 400-year era then has the same 146097 days.
 */
static int64_t efi_days_since_epoch(int64_t year, unsigned month, unsigned day)
{
	int64_t era, year_of_era, day_of_year, day_of_era;

	year -= month <= 2;
	era = year / 400;
	year_of_era = year - era * 400;
	day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	return era * 146097 + day_of_era - 719468;
}

/*
 * The firmware's clock as ns since the epoch, or 0 when it has none. TimeZone is ignored, as
 * Linux's rtc-efi does: PC firmware commonly keeps local time with the zone unspecified, and
 * nothing here knows the zone either.
 */
static uint64_t efi_rtc_epoch_ns(void)
{
	EFI_TIME now;
	int64_t days, secs;

	if (EFI_ERROR(efi_st->RuntimeServices->GetTime(&now, NULL)) || now.Year < 1970 ||
	    now.Month < 1 || now.Month > 12 || now.Day < 1 || now.Day > 31)
		return 0;
	days = efi_days_since_epoch(now.Year, now.Month, now.Day);
	secs = days * 86400 + now.Hour * 3600 + now.Minute * 60 + now.Second;
	return (uint64_t)secs * 1000000000u + now.Nanosecond;
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
	realtime_origin = efi_rtc_epoch_ns();
}

/* Split so that ticks * 1e9 cannot overflow: the remainder is below the rate, itself below 2^34. */
uint64_t plat_time_ns(void)
{
	uint64_t ticks = host_counter_read() - time_origin;

	return ticks / time_hz * 1000000000u + ticks % time_hz * 1000000000u / time_hz;
}

/* The firmware's clock is slow to read and gone after ExitBootServices: the counter advances it. */
uint64_t plat_realtime_ns(void)
{
	return realtime_origin + plat_time_ns();
}

void *plat_pages_alloc(size_t npages)
{
	EFI_PHYSICAL_ADDRESS addr;

	if (!efi_bs)
		return heap_pages_alloc(&heap, npages);
	if (EFI_ERROR(efi_bs->AllocatePages(AllocateAnyPages, EfiLoaderData, npages, &addr)))
		return NULL;
	memset((void *)(uintptr_t)addr, 0, npages * PLAT_PAGE_SIZE);
	return (void *)(uintptr_t)addr;
}

void plat_pages_free(void *pages, size_t npages)
{
	if (!efi_bs)
		heap_pages_free(&heap, pages, npages);
	else if (pages)
		efi_bs->FreePages((EFI_PHYSICAL_ADDRESS)(uintptr_t)pages, npages);
}

/* Boot services give no page protections: until the bare-metal kernel owns the page tables,
 * there is no W^X code memory and the JIT stays unavailable. */
void *plat_code_alloc(size_t npages)
{
	return NULL;
}

int plat_code_protect(void *pages, size_t npages, bool exec)
{
	return -ENOTSUP;
}

void plat_code_free(void *pages, size_t npages)
{
}

void *plat_alloc(size_t size)
{
	void *ptr;

	if (!efi_bs)
		return heap_alloc(&heap, size);
	if (EFI_ERROR(efi_bs->AllocatePool(EfiLoaderData, size, &ptr)))
		return NULL;
	memset(ptr, 0, size);
	return ptr;
}

void plat_free(void *ptr)
{
	if (!efi_bs)
		heap_free(&heap, ptr);
	else if (ptr)
		efi_bs->FreePool(ptr);
}

/* The final memory map, in a buffer with room for what allocating it added. */
static EFI_MEMORY_DESCRIPTOR *memory_map_final(UINTN *size, UINTN *key, UINTN *desc_size,
					       UINTN capacity, EFI_MEMORY_DESCRIPTOR *map)
{
	UINT32 version;

	*size = capacity;
	if (EFI_ERROR(efi_bs->GetMemoryMap(size, map, key, desc_size, &version)))
		return NULL;
	return map;
}

/* The firmware's free memory, above HEAP_LOW_LIMIT, handed to the heap. */
static void heap_take_free_memory(const EFI_MEMORY_DESCRIPTOR *map, UINTN size, UINTN desc_size,
				  struct efi_memory_report *report)
{
	heap_init(&heap);
	*report = (struct efi_memory_report){ 0 };
	for (UINTN off = 0; off + desc_size <= size; off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *desc =
			(const EFI_MEMORY_DESCRIPTOR *)((const uint8_t *)map + off);
		uint64_t base = desc->PhysicalStart, pages = desc->NumberOfPages;

		if (desc->Type != EfiConventionalMemory || !pages)
			continue;
		if (base < HEAP_LOW_LIMIT) {
			uint64_t skip = (HEAP_LOW_LIMIT - base) / PLAT_PAGE_SIZE;

			if (pages <= skip) {
				report->ranges_left_out++;
				continue;
			}
			base = HEAP_LOW_LIMIT;
			pages -= skip;
		}
		if (heap_add_range(&heap, (uintptr_t)base, (size_t)pages)) {
			report->ranges_left_out++;
			continue;
		}
		report->bytes += pages * PLAT_PAGE_SIZE;
		report->ranges++;
	}
}

int efi_exit_boot_services(struct efi_memory_report *report)
{
	UINTN size = 0, key, desc_size, capacity;
	EFI_MEMORY_DESCRIPTOR *map, *final = NULL;
	EFI_STATUS status = EFI_INVALID_PARAMETER;
	UINT32 version;

	if (efi_bs->GetMemoryMap(&size, NULL, &key, &desc_size, &version) != EFI_BUFFER_TOO_SMALL)
		return -EIO;
	/* Allocating the buffer may split a free range: leave room for a few more entries. */
	capacity = size + 8 * desc_size;
	if (EFI_ERROR(efi_bs->AllocatePool(EfiLoaderData, capacity, (void **)&map)))
		return -ENOMEM;
	/* A timer event may allocate between the two calls: the key is stale, and the map too. */
	for (unsigned tries = 0; tries < 8 && status == EFI_INVALID_PARAMETER; tries++) {
		final = memory_map_final(&size, &key, &desc_size, capacity, map);
		if (!final)
			break;
		status = efi_bs->ExitBootServices(efi_image, key);
	}
	if (!final || EFI_ERROR(status)) {
		efi_bs->FreePool(map);
		return final ? efi_errno(status) : -EIO;
	}
	efi_bs = NULL;
	host_interrupts_off();
	efi_console_boot_services_gone();
	heap_take_free_memory(final, size, desc_size, report);
	return 0;
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

/* ---- events: one CPU, so a wait can only watch the flag and the clock ------------------------ */

struct plat_event {
	atomic_uint signaled;
};

int plat_event_create(struct plat_event **out)
{
	struct plat_event *event = plat_alloc(sizeof(*event));

	if (!event)
		return -ENOMEM;
	atomic_init(&event->signaled, 0);
	*out = event;
	return 0;
}

void plat_event_destroy(struct plat_event *event)
{
	plat_free(event);
}

void plat_event_signal(struct plat_event *event)
{
	atomic_store_explicit(&event->signaled, 1, memory_order_release);
}

bool plat_event_wait(struct plat_event *event, uint64_t deadline_ns)
{
	while (!atomic_exchange_explicit(&event->signaled, 0, memory_order_acquire)) {
		if (plat_time_ns() >= deadline_ns)
			return false;
		cpu_relax();
	}
	return true;
}

/* ---- entropy: the firmware's RNG while it runs, else the CPU's own instruction ------------- */

#if defined(__x86_64__)
/* RDRAND, when CPUID.1:ECX bit 30 says it exists; it may fail transiently, so retry a little. */
static int cpu_entropy_u64(uint64_t *out)
{
	uint32_t eax = 1, ebx, ecx = 0, edx;
	unsigned tries;
	uint8_t ok;

	__asm__ __volatile__("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	if (!(ecx & (1u << 30)))
		return -ENOTSUP;
	for (tries = 0; tries < 10; tries++) {
		__asm__ __volatile__("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
		if (ok)
			return 0;
	}
	return -EIO;
}
#elif defined(__aarch64__)
/* RNDR (FEAT_RNG, ID_AA64ISAR0_EL1.RNDR); it sets Z when it has no number yet. */
static int cpu_entropy_u64(uint64_t *out)
{
	uint64_t isar0, failed;
	unsigned tries;

	__asm__ __volatile__("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	if (((isar0 >> 60) & 0xf) == 0)
		return -ENOTSUP;
	for (tries = 0; tries < 10; tries++) {
		__asm__ __volatile__("mrs %0, s3_3_c2_c4_0\n\tcset %1, eq"
				     : "=r"(*out), "=r"(failed)
				     :
				     : "cc");
		if (!failed)
			return 0;
	}
	return -EIO;
}
#else
/* RISC-V's Zkr seed CSR is M-mode's unless firmware delegates it: no source of our own here. */
static int cpu_entropy_u64(uint64_t *out)
{
	return -ENOTSUP;
}
#endif

int plat_entropy(void *buf, size_t len)
{
	EFI_GUID guid = EFI_RNG_PROTOCOL_GUID;
	EFI_RNG_PROTOCOL *rng;
	uint8_t *p = buf;
	uint64_t word;
	size_t chunk;
	int rc;

	/* The firmware's RNG goes with boot services; the CPU's instruction, if any, stays. */
	if (efi_bs && !EFI_ERROR(efi_bs->LocateProtocol(&guid, NULL, (void **)&rng)) &&
	    !EFI_ERROR(rng->GetRNG(rng, NULL, len, p)))
		return 0;
	while (len) {
		rc = cpu_entropy_u64(&word);
		if (rc)
			return rc;
		chunk = len < sizeof(word) ? len : sizeof(word);
		memcpy(p, &word, chunk);
		p += chunk;
		len -= chunk;
	}
	return 0;
}

/* QEMU exits on the shutdown; real machines power off. The status reaches the firmware's log. */
_Noreturn void plat_exit(int status)
{
	efi_st->RuntimeServices->ResetSystem(EfiResetShutdown, status ? EFI_ABORTED : EFI_SUCCESS,
					     0, NULL);
	host_power_off(status);
	for (;;)
		;
}
