// SPDX-License-Identifier: MIT
/*
 * lib/plat.h on Linux, for polyrun and the unit tests. The console is stdout and stdin, pages come
 * from anonymous mmap, files are host files, and a "CPU" is a host thread: the process has
 * plat_cpu_count() CPU slots, the main thread holds slot 0, and plat_thread_start hands a thread
 * a free slot for as long as it runs. Like a physical CPU, a slot runs one thread at a time, so the
 * core's per-CPU data (indexed by plat_cpu_self) needs no more locking here than on bare metal.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/errno.h"
#include "lib/plat.h"

/* More than any host polyrun runs on; a larger machine gets this many CPU slots. */
#define PLAT_LINUX_MAX_CPUS 1024

/* ---- console ------------------------------------------------------------------------------- */

static pthread_mutex_t console_lock = PTHREAD_MUTEX_INITIALIZER;

/* Waits until fd takes more output: stdout may be a non-blocking pipe or terminal. */
static void wait_writable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };

	poll(&pfd, 1, -1);
}

/* One writer at a time, so that text from several CPUs comes out in whole pieces. */
void plat_console_write(const char *buf, size_t len)
{
	pthread_mutex_lock(&console_lock);
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			wait_writable(STDOUT_FILENO);
			continue;
		}
		/* A broken stdout loses the text: there is nowhere else to report it. */
		if (n <= 0)
			break;
		buf += n;
		len -= (size_t)n;
	}
	pthread_mutex_unlock(&console_lock);
}

/*
 * poll() first rather than O_NONBLOCK on stdin: the flag belongs to the open file, which the
 * shell shares, and would outlive polyrun.
 */
/* Set at stdin's end of file: a file or /dev/null has nothing more, and poll would keep saying
 * it has. */
static atomic_bool stdin_ended;

int plat_console_getc(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	unsigned char byte;
	ssize_t n;

	if (atomic_load_explicit(&stdin_ended, memory_order_relaxed) || poll(&pfd, 1, 0) <= 0 ||
	    !(pfd.revents & (POLLIN | POLLHUP)))
		return -EAGAIN;
	n = read(STDIN_FILENO, &byte, 1);
	if (n == 0 && !isatty(STDIN_FILENO))
		atomic_store_explicit(&stdin_ended, true, memory_order_relaxed);
	if (n != 1)
		return -EAGAIN;
	return byte;
}

/* ---- time ---------------------------------------------------------------------------------- */

uint64_t plat_time_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

uint64_t plat_realtime_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/* ---- memory -------------------------------------------------------------------------------- */

/* Anonymous mappings are zeroed and committed lazily: a large guest RAM costs what it touches. */
void *plat_pages_alloc(size_t npages)
{
	void *pages;

	if (npages == 0 || npages > SIZE_MAX / PLAT_PAGE_SIZE)
		return NULL;
	pages = mmap(NULL, npages * PLAT_PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return pages == MAP_FAILED ? NULL : pages;
}

void plat_pages_free(void *pages, size_t npages)
{
	if (pages)
		munmap(pages, npages * PLAT_PAGE_SIZE);
}

void *plat_code_alloc(size_t npages)
{
	return plat_pages_alloc(npages);
}

int plat_code_protect(void *pages, size_t npages, bool exec)
{
	if (mprotect(pages, npages * PLAT_PAGE_SIZE,
		     exec ? PROT_READ | PROT_EXEC : PROT_READ | PROT_WRITE))
		return -errno;
	return 0;
}

void plat_code_free(void *pages, size_t npages)
{
	plat_pages_free(pages, npages);
}

void *plat_alloc(size_t size)
{
	return calloc(1, size);
}

void plat_free(void *ptr)
{
	free(ptr);
}

/* ---- CPUs and threads ---------------------------------------------------------------------- */

static pthread_once_t cpu_count_once = PTHREAD_ONCE_INIT;
static unsigned cpu_count;

/* Read once: the core sizes per-CPU arrays by it, so it must not change during a run. */
static void cpu_count_init(void)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	if (online < 1)
		cpu_count = 1;
	else if (online > PLAT_LINUX_MAX_CPUS)
		cpu_count = PLAT_LINUX_MAX_CPUS;
	else
		cpu_count = (unsigned)online;
}

unsigned plat_cpu_count(void)
{
	pthread_once(&cpu_count_once, cpu_count_init);
	return cpu_count;
}

/* Threads polyrun did not start (the main thread among them) run as CPU 0. */
static _Thread_local unsigned cpu_self;

unsigned plat_cpu_self(void)
{
	return cpu_self;
}

static pthread_mutex_t cpu_slots_lock = PTHREAD_MUTEX_INITIALIZER;
static bool cpu_slot_busy[PLAT_LINUX_MAX_CPUS] = { [0] = true };

/* Returns a free CPU slot, now marked busy, or -EBUSY when every CPU runs a thread. */
static int cpu_slot_claim(void)
{
	unsigned count = plat_cpu_count();
	int slot = -EBUSY;

	pthread_mutex_lock(&cpu_slots_lock);
	for (unsigned i = 1; i < count; i++) {
		if (!cpu_slot_busy[i]) {
			cpu_slot_busy[i] = true;
			slot = (int)i;
			break;
		}
	}
	pthread_mutex_unlock(&cpu_slots_lock);
	return slot;
}

static void cpu_slot_release(unsigned slot)
{
	pthread_mutex_lock(&cpu_slots_lock);
	cpu_slot_busy[slot] = false;
	pthread_mutex_unlock(&cpu_slots_lock);
}

struct plat_thread {
	void (*fn)(void *arg);
	void *arg;
	unsigned cpu;
};

static void *plat_thread_main(void *opaque)
{
	struct plat_thread thread = *(struct plat_thread *)opaque;

	free(opaque);
	cpu_self = thread.cpu;
	thread.fn(thread.arg);
	cpu_slot_release(thread.cpu);
	return NULL;
}

/* Detached: a CPU's thread ends by returning, and nothing waits for it but its slot. */
int plat_thread_start(void (*fn)(void *arg), void *arg)
{
	struct plat_thread *thread = malloc(sizeof(*thread));
	pthread_attr_t attr;
	pthread_t id;
	int slot;
	int rc;

	if (!thread)
		return -ENOMEM;
	slot = cpu_slot_claim();
	if (slot < 0) {
		free(thread);
		return slot;
	}
	*thread = (struct plat_thread){ .fn = fn, .arg = arg, .cpu = (unsigned)slot };
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&id, &attr, plat_thread_main, thread);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		cpu_slot_release((unsigned)slot);
		free(thread);
		return -rc;
	}
	return 0;
}

/* ---- events -------------------------------------------------------------------------------- */

struct plat_event {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* on CLOCK_MONOTONIC, plat_time_ns's clock */
	bool signaled;
};

int plat_event_create(struct plat_event **out)
{
	struct plat_event *event = calloc(1, sizeof(*event));
	pthread_condattr_t attr;

	if (!event)
		return -ENOMEM;
	pthread_mutex_init(&event->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&event->cond, &attr);
	pthread_condattr_destroy(&attr);
	*out = event;
	return 0;
}

void plat_event_destroy(struct plat_event *event)
{
	if (!event)
		return;
	pthread_cond_destroy(&event->cond);
	pthread_mutex_destroy(&event->lock);
	free(event);
}

void plat_event_signal(struct plat_event *event)
{
	pthread_mutex_lock(&event->lock);
	event->signaled = true;
	pthread_cond_signal(&event->cond);
	pthread_mutex_unlock(&event->lock);
}

bool plat_event_wait(struct plat_event *event, uint64_t deadline_ns)
{
	struct timespec until = { .tv_sec = (time_t)(deadline_ns / 1000000000u),
				  .tv_nsec = (long)(deadline_ns % 1000000000u) };
	bool signaled;

	pthread_mutex_lock(&event->lock);
	while (!event->signaled) {
		if (deadline_ns == UINT64_MAX)
			pthread_cond_wait(&event->cond, &event->lock);
		else if (pthread_cond_timedwait(&event->cond, &event->lock, &until) == ETIMEDOUT)
			break;
	}
	signaled = event->signaled;
	event->signaled = false;
	pthread_mutex_unlock(&event->lock);
	return signaled;
}

/* ---- entropy ------------------------------------------------------------------------------- */

/* getrandom may return short for large requests or after a signal: loop until all is filled. */
int plat_entropy(void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = getrandom((char *)buf + done, len - done, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == ENOSYS ? -ENOTSUP : -EIO;
		done += (size_t)n;
	}
	return 0;
}

/* ---- files --------------------------------------------------------------------------------- */

struct plat_file {
	int fd;
};

int plat_file_open(const char *path, unsigned mode, struct plat_file **out)
{
	static const int open_flags[] = {
		[PLAT_FILE_READ] = O_RDONLY,
		[PLAT_FILE_WRITE] = O_WRONLY,
		[PLAT_FILE_READ | PLAT_FILE_WRITE] = O_RDWR,
	};
	unsigned access = mode & (PLAT_FILE_READ | PLAT_FILE_WRITE);
	bool create = mode & PLAT_FILE_CREATE;
	struct plat_file *file;
	struct stat st;
	int rc;

	if (access == 0 || mode > (PLAT_FILE_READ | PLAT_FILE_WRITE | PLAT_FILE_CREATE) ||
	    (create && !(access & PLAT_FILE_WRITE)))
		return -EINVAL;
	file = malloc(sizeof(*file));
	if (!file)
		return -ENOMEM;
	/* O_CREAT only when asked: a mistyped disk image name must fail, not become an empty disk. */
	file->fd =
		open(path, open_flags[access] | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0), 0666);
	if (file->fd < 0) {
		rc = -errno;
		free(file);
		return rc;
	}
	/* A directory opens for reading on Linux; refusing it here gives the clearer error. */
	if (fstat(file->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		plat_file_close(file);
		return -EISDIR;
	}
	*out = file;
	return 0;
}

/* lseek rather than fstat: it also gives the size of a block device. */
int64_t plat_file_size(struct plat_file *file)
{
	off_t end = lseek(file->fd, 0, SEEK_END);

	return end < 0 ? -errno : (int64_t)end;
}

static bool file_range_valid(size_t len, uint64_t offset)
{
	return offset <= INT64_MAX && len <= INT64_MAX - offset;
}

/* Reads until len bytes or the end of the file: pread may stop short after a signal. */
int64_t plat_file_read(struct plat_file *file, void *buf, size_t len, uint64_t offset)
{
	size_t done = 0;

	if (!file_range_valid(len, offset))
		return -EINVAL;
	while (done < len) {
		ssize_t n = pread(file->fd, (char *)buf + done, len - done, (off_t)(offset + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (int64_t)done;
}

int64_t plat_file_write(struct plat_file *file, const void *buf, size_t len, uint64_t offset)
{
	size_t done = 0;

	if (!file_range_valid(len, offset))
		return -EINVAL;
	while (done < len) {
		ssize_t n = pwrite(file->fd, (const char *)buf + done, len - done,
				   (off_t)(offset + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	return (int64_t)done;
}

int plat_file_sync(struct plat_file *file)
{
	return fsync(file->fd) < 0 ? -errno : 0;
}

void plat_file_close(struct plat_file *file)
{
	if (!file)
		return;
	close(file->fd);
	free(file);
}

/* ---- exit ---------------------------------------------------------------------------------- */

/* exit() rather than _exit(): stdio is flushed, so -D logs and stderr messages end complete. */
_Noreturn void plat_exit(int status)
{
	exit(status);
}
