// SPDX-License-Identifier: MIT
/*
 * lib/plat.h on Linux (tools/polyrun/plat_linux.c): console bytes through stdout and stdin, time,
 * pages, CPU slots for threads, host files and exit.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/errno.h"
#include "lib/plat.h"

/* Points fd at the write end of a fresh pipe; returns the read end and saves the old fd. */
static int redirect_to_pipe(int fd, int *saved)
{
	int ends[2];

	assert_int_equal(pipe(ends), 0);
	*saved = dup(fd);
	assert_true(*saved >= 0);
	assert_true(dup2(ends[1], fd) >= 0);
	close(ends[1]);
	return ends[0];
}

static void restore_fd(int fd, int saved)
{
	assert_true(dup2(saved, fd) >= 0);
	close(saved);
}

static void sleep_ms(unsigned ms)
{
	struct timespec delay = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&delay, &delay) != 0)
		;
}

/* ---- console ------------------------------------------------------------------------------- */

static void test_console_write_goes_to_stdout(void **state)
{
	char buf[64] = { 0 };
	int saved;
	int out;

	/* cmocka's own buffered output must not land in the pipe. */
	fflush(stdout);
	out = redirect_to_pipe(STDOUT_FILENO, &saved);
	plat_console_write("hello, ", 7);
	plat_console_write("console\n", 8);
	plat_console_write("", 0);
	restore_fd(STDOUT_FILENO, saved);
	assert_int_equal(read(out, buf, sizeof(buf) - 1), 15);
	close(out);
	assert_string_equal(buf, "hello, console\n");
}

static void test_console_getc_returns_waiting_bytes_then_eagain(void **state)
{
	int saved_stdin = dup(STDIN_FILENO);
	int ends[2];

	assert_int_equal(pipe(ends), 0);
	assert_true(dup2(ends[0], STDIN_FILENO) >= 0);
	close(ends[0]);
	assert_int_equal(plat_console_getc(), -EAGAIN);
	assert_int_equal(write(ends[1], "a\xff", 2), 2);
	assert_int_equal(plat_console_getc(), 'a');
	assert_int_equal(plat_console_getc(), 0xff);
	assert_int_equal(plat_console_getc(), -EAGAIN);
	/* End of input is "nothing waiting", every time it is asked. */
	close(ends[1]);
	assert_int_equal(plat_console_getc(), -EAGAIN);
	assert_int_equal(plat_console_getc(), -EAGAIN);
	restore_fd(STDIN_FILENO, saved_stdin);
}

/* ---- time ---------------------------------------------------------------------------------- */

static void test_time_never_goes_back_and_follows_sleep(void **state)
{
	uint64_t previous = plat_time_ns();
	uint64_t start;

	for (int i = 0; i < 1000; i++) {
		uint64_t now = plat_time_ns();

		assert_true(now >= previous);
		previous = now;
	}
	start = plat_time_ns();
	sleep_ms(5);
	assert_true(plat_time_ns() - start >= 5000000u);
}

/* ---- memory -------------------------------------------------------------------------------- */

static void test_pages_are_zeroed_aligned_and_writable(void **state)
{
	const size_t npages = 3;
	uint8_t *pages = plat_pages_alloc(npages);

	assert_non_null(pages);
	assert_int_equal((uintptr_t)pages % PLAT_PAGE_SIZE, 0);
	for (size_t i = 0; i < npages * PLAT_PAGE_SIZE; i++) {
		if (pages[i] != 0)
			fail_msg("byte %zu of fresh pages is %u", i, pages[i]);
	}
	memset(pages, 0xa5, npages * PLAT_PAGE_SIZE);
	assert_int_equal(pages[npages * PLAT_PAGE_SIZE - 1], 0xa5);
	plat_pages_free(pages, npages);
}

static void test_pages_refuse_zero_and_impossible_counts(void **state)
{
	assert_null(plat_pages_alloc(0));
	assert_null(plat_pages_alloc(SIZE_MAX / PLAT_PAGE_SIZE + 1));
	plat_pages_free(NULL, 1);
}

static void test_alloc_is_zeroed(void **state)
{
	uint8_t *block = plat_alloc(200);

	assert_non_null(block);
	for (size_t i = 0; i < 200; i++)
		assert_int_equal(block[i], 0);
	plat_free(block);
	plat_free(NULL);
}

/* ---- CPUs and threads ---------------------------------------------------------------------- */

struct probe {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	bool open; /* blockers wait until this is set */
	unsigned started; /* threads that reached their function */
	unsigned finished;
	unsigned cpus[64];
};

static struct probe probe = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.changed = PTHREAD_COND_INITIALIZER,
};

static void probe_reset(void)
{
	pthread_mutex_lock(&probe.lock);
	probe.open = false;
	probe.started = 0;
	probe.finished = 0;
	pthread_mutex_unlock(&probe.lock);
}

/* A CPU's thread: notes which CPU it runs as, then waits for the gate unless it is open. */
static void probe_thread(void *arg)
{
	pthread_mutex_lock(&probe.lock);
	if (probe.started < 64)
		probe.cpus[probe.started] = plat_cpu_self();
	probe.started++;
	pthread_cond_broadcast(&probe.changed);
	while (!probe.open)
		pthread_cond_wait(&probe.changed, &probe.lock);
	probe.finished++;
	pthread_cond_broadcast(&probe.changed);
	pthread_mutex_unlock(&probe.lock);
}

static void probe_wait(const unsigned *counter, unsigned target)
{
	pthread_mutex_lock(&probe.lock);
	while (*counter < target)
		pthread_cond_wait(&probe.changed, &probe.lock);
	pthread_mutex_unlock(&probe.lock);
}

static void probe_open(void)
{
	pthread_mutex_lock(&probe.lock);
	probe.open = true;
	pthread_cond_broadcast(&probe.changed);
	pthread_mutex_unlock(&probe.lock);
}

/* A slot is free again a moment after its thread's function returns: try for up to 2 s. */
static int start_when_a_cpu_frees(void)
{
	int rc = -EBUSY;

	for (int tries = 0; tries < 2000 && rc == -EBUSY; tries++) {
		rc = plat_thread_start(probe_thread, NULL);
		if (rc == -EBUSY)
			sleep_ms(1);
	}
	return rc;
}

static void test_main_thread_is_cpu_0_of_at_least_one(void **state)
{
	assert_true(plat_cpu_count() >= 1);
	assert_int_equal(plat_cpu_self(), 0);
	assert_int_equal(plat_cpu_count(), plat_cpu_count());
}

static void test_threads_run_as_distinct_other_cpus_until_none_is_free(void **state)
{
	unsigned others = plat_cpu_count() - 1;
	bool seen[64] = { false };

	if (others >= 64)
		skip();
	probe_reset();
	for (unsigned i = 0; i < others; i++)
		assert_int_equal(start_when_a_cpu_frees(), 0);
	probe_wait(&probe.started, others);
	for (unsigned i = 0; i < others; i++) {
		unsigned cpu = probe.cpus[i];

		assert_true(cpu >= 1 && cpu <= others);
		assert_false(seen[cpu]);
		seen[cpu] = true;
	}
	/* Every CPU runs a thread now, as on bare metal with every core busy. */
	assert_int_equal(plat_thread_start(probe_thread, NULL), -EBUSY);
	probe_open();
	probe_wait(&probe.finished, others);
	/* The slots come back: one more thread runs and finishes at once (the gate is open). */
	if (others > 0) {
		assert_int_equal(start_when_a_cpu_frees(), 0);
		probe_wait(&probe.finished, others + 1);
	}
}

/* ---- files --------------------------------------------------------------------------------- */

static void make_temp_file(char path[64])
{
	int fd;

	snprintf(path, 64, "/tmp/plat-linux-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

static void test_file_write_read_size_and_sync(void **state)
{
	struct plat_file *file;
	uint8_t data[10000];
	uint8_t back[10000];
	char path[64];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	make_temp_file(path);
	assert_int_equal(plat_file_open(path, PLAT_FILE_READ | PLAT_FILE_WRITE, &file), 0);
	assert_int_equal(plat_file_size(file), 0);
	assert_int_equal(plat_file_write(file, data, sizeof(data), 4096), sizeof(data));
	assert_int_equal(plat_file_size(file), 4096 + sizeof(data));
	assert_int_equal(plat_file_sync(file), 0);

	assert_int_equal(plat_file_read(file, back, sizeof(back), 4096), sizeof(back));
	assert_memory_equal(back, data, sizeof(data));
	/* The hole before the data reads as zeros. */
	assert_int_equal(plat_file_read(file, back, 4096, 0), 4096);
	for (size_t i = 0; i < 4096; i++)
		assert_int_equal(back[i], 0);
	/* A read that runs past the end stops there; one that starts past it moves nothing. */
	assert_int_equal(plat_file_read(file, back, 200, 4096 + sizeof(data) - 50), 50);
	assert_memory_equal(back, data + sizeof(data) - 50, 50);
	assert_int_equal(plat_file_read(file, back, 200, 1 << 20), 0);
	plat_file_close(file);

	/* What was written is there for the next opener. */
	assert_int_equal(plat_file_open(path, PLAT_FILE_READ, &file), 0);
	assert_int_equal(plat_file_read(file, back, 16, 4096 + 100), 16);
	assert_memory_equal(back, data + 100, 16);
	plat_file_close(file);
	unlink(path);
}

static void test_file_open_reports_errors(void **state)
{
	struct plat_file *file = NULL;
	char path[64];

	assert_int_equal(plat_file_open("/nonexistent/disk.img", PLAT_FILE_READ, &file), -ENOENT);
	assert_int_equal(plat_file_open("/tmp", PLAT_FILE_READ, &file), -EISDIR);
	make_temp_file(path);
	assert_int_equal(plat_file_open(path, 0, &file), -EINVAL);
	assert_int_equal(plat_file_open(path, 4, &file), -EINVAL);
	assert_null(file);
	unlink(path);
	plat_file_close(NULL);
}

static void test_file_access_follows_its_mode(void **state)
{
	struct plat_file *file;
	uint8_t byte = 1;
	char path[64];

	make_temp_file(path);
	assert_int_equal(plat_file_open(path, PLAT_FILE_READ, &file), 0);
	assert_int_equal(plat_file_write(file, &byte, 1, 0), -EBADF);
	plat_file_close(file);
	assert_int_equal(plat_file_open(path, PLAT_FILE_WRITE, &file), 0);
	assert_int_equal(plat_file_write(file, &byte, 1, 0), 1);
	assert_int_equal(plat_file_read(file, &byte, 1, 0), -EBADF);
	plat_file_close(file);
	unlink(path);
}

static void test_file_offsets_past_int64_are_invalid(void **state)
{
	struct plat_file *file;
	uint8_t byte = 0;
	char path[64];

	make_temp_file(path);
	assert_int_equal(plat_file_open(path, PLAT_FILE_READ | PLAT_FILE_WRITE, &file), 0);
	assert_int_equal(plat_file_read(file, &byte, 1, (uint64_t)INT64_MAX + 1), -EINVAL);
	assert_int_equal(plat_file_write(file, &byte, 1, INT64_MAX), -EINVAL);
	plat_file_close(file);
	unlink(path);
}

/* ---- exit ---------------------------------------------------------------------------------- */

static void test_exit_sets_the_status_and_flushes_stdio(void **state)
{
	char buf[32] = { 0 };
	int saved;
	int out;
	int status;
	pid_t child;

	fflush(stdout);
	out = redirect_to_pipe(STDOUT_FILENO, &saved);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		/* Buffered and unterminated: only a flush at exit gets it out. */
		fputs("unflushed", stdout);
		plat_exit(7);
	}
	restore_fd(STDOUT_FILENO, saved);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 7);
	assert_int_equal(read(out, buf, sizeof(buf) - 1), 9);
	close(out);
	assert_string_equal(buf, "unflushed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_console_write_goes_to_stdout),
		cmocka_unit_test(test_console_getc_returns_waiting_bytes_then_eagain),
		cmocka_unit_test(test_time_never_goes_back_and_follows_sleep),
		cmocka_unit_test(test_pages_are_zeroed_aligned_and_writable),
		cmocka_unit_test(test_pages_refuse_zero_and_impossible_counts),
		cmocka_unit_test(test_alloc_is_zeroed),
		cmocka_unit_test(test_main_thread_is_cpu_0_of_at_least_one),
		cmocka_unit_test(test_threads_run_as_distinct_other_cpus_until_none_is_free),
		cmocka_unit_test(test_file_write_read_size_and_sync),
		cmocka_unit_test(test_file_open_reports_errors),
		cmocka_unit_test(test_file_access_follows_its_mode),
		cmocka_unit_test(test_file_offsets_past_int64_are_invalid),
		cmocka_unit_test(test_exit_sets_the_status_and_flushes_stdio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
