/* SPDX-License-Identifier: MIT */
/*
 * The platform seam: everything the freestanding core needs from the machine it runs on.
 * Bare metal (arch/<isa>/host + uefi/) and the hosted polyrun (tools/polyrun) each implement
 * it once; nothing above lib/ calls an OS or firmware except through these functions.
 */
#ifndef PV_LIB_PLAT_H
#define PV_LIB_PLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PLAT_PAGE_SIZE 4096u

/* Console: the hypervisor's own log and, later, the multiplexed guest consoles. */
void plat_console_write(const char *buf, size_t len);
/* One byte from the console input, or -EAGAIN when none is waiting. */
int plat_console_getc(void);

/* Monotonic time since an arbitrary origin, in nanoseconds. */
uint64_t plat_time_ns(void);

/* Wall-clock time in nanoseconds since 1970-01-01 00:00 UTC: what a guest's RTC reads. */
uint64_t plat_realtime_ns(void);

/* Zeroed, page-aligned memory; NULL when exhausted. */
void *plat_pages_alloc(size_t npages);
void plat_pages_free(void *pages, size_t npages);

/*
 * Pages for generated host code (the JIT's code cache), kept W^X: plat_code_alloc returns npages
 * zeroed pages, writable and not executable; plat_code_protect switches page-aligned pages of it
 * between writable (exec false) and executable (exec true), never both. A platform that cannot
 * make memory executable returns NULL and -ENOTSUP, and the JIT is then unavailable.
 */
void *plat_code_alloc(size_t npages);
int plat_code_protect(void *pages, size_t npages, bool exec);
void plat_code_free(void *pages, size_t npages);

/* Small-object heap; plat_alloc returns zeroed memory or NULL. */
void *plat_alloc(size_t size);
void plat_free(void *ptr);

/* Physical CPUs the core may schedule on, and the one running the caller (0-based). */
unsigned plat_cpu_count(void);
unsigned plat_cpu_self(void);

/* Run fn(arg) on another CPU (bare metal) or host thread (polyrun). */
int plat_thread_start(void (*fn)(void *arg), void *arg);

/*
 * An event one CPU sleeps on until another signals it: how an idle CPU of the VM loop waits for
 * a kick. A signal is remembered until a wait consumes it, so one sent before the wait is not
 * lost; several signals before a wait count as one.
 */
struct plat_event;
/* Returns 0 with *out unsignaled, or -ENOMEM. */
int plat_event_create(struct plat_event **out);
void plat_event_destroy(struct plat_event *event);
/* Callable from any CPU, including from inside a device model. */
void plat_event_signal(struct plat_event *event);
/*
 * Sleeps until the event is signaled or plat_time_ns() reaches deadline_ns (UINT64_MAX: no
 * limit). Returns true when it consumed a signal, false at the deadline.
 */
bool plat_event_wait(struct plat_event *event, uint64_t deadline_ns);

/*
 * Fills buf with len bytes from the machine's entropy source (getrandom in polyrun; the firmware's
 * RNG protocol, else RDRAND or RNDR on bare metal). Returns 0, or -ENOTSUP when there is no
 * source, -EIO when it failed: nothing predictable is ever passed off as entropy.
 */
int plat_entropy(void *buf, size_t len);

/*
 * Files: host files in polyrun, images preloaded from the ESP on bare metal.
 * Offsets and sizes are bytes; reads and writes return the count moved or a negative errno.
 * PLAT_FILE_CREATE (with PLAT_FILE_WRITE) makes the file, or empties an existing one; platforms
 * that cannot create files refuse it with -ENOTSUP. Without it a missing file is -ENOENT.
 */
struct plat_file;
#define PLAT_FILE_READ 1u
#define PLAT_FILE_WRITE 2u
#define PLAT_FILE_CREATE 4u
int plat_file_open(const char *path, unsigned mode, struct plat_file **out);
int64_t plat_file_size(struct plat_file *file);
int64_t plat_file_read(struct plat_file *file, void *buf, size_t len, uint64_t offset);
int64_t plat_file_write(struct plat_file *file, const void *buf, size_t len, uint64_t offset);
int plat_file_sync(struct plat_file *file);
void plat_file_close(struct plat_file *file);

/* Stop the whole machine (bare metal) or process (polyrun) with an exit status. */
_Noreturn void plat_exit(int status);

#endif
