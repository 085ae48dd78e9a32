// SPDX-License-Identifier: MIT
/*
 * lib/panic: runs each panic in a child process (panic ends the process through plat_exit) and
 * reads what it printed through a pipe.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/console.h"
#include "lib/panic.h"

static int pipe_fd = -1;
static int recursive_sink;

static void pipe_sink(void *ctx, const char *text, size_t len)
{
	if (write(pipe_fd, text, len) != (ssize_t)len)
		_exit(99);
	/* A console path that itself panics, as a broken UART driver might. */
	if (recursive_sink && memmem(text, len, "boom", 4))
		panic("raised while printing");
}

struct child_result {
	int status;
	char text[256];
};

/* Runs fn in a child whose console text goes into a pipe; returns its exit status and text. */
static void run_child(void (*fn)(void), struct child_result *result)
{
	int fds[2];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		pipe_fd = fds[1];
		console_set_sink(pipe_sink, NULL);
		fn();
		_exit(98);
	}
	close(fds[1]);
	while ((n = read(fds[0], result->text + len, sizeof(result->text) - 1 - len)) > 0)
		len += (size_t)n;
	result->text[len] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &result->status, 0), pid);
}

static void panic_with_message(void)
{
	panic("vm %s: lost vCPU %d", "linux", 3);
}

static void panic_inside_panic(void)
{
	recursive_sink = 1;
	panic("boom");
}

static void test_panic_prints_the_message_and_exits_with_its_status(void **state)
{
	struct child_result result;

	run_child(panic_with_message, &result);
	assert_true(WIFEXITED(result.status));
	assert_int_equal(WEXITSTATUS(result.status), PANIC_EXIT_STATUS);
	assert_string_equal(result.text, "panic: vm linux: lost vCPU 3\n");
}

static void test_panic_raised_while_printing_stops_without_recursing(void **state)
{
	struct child_result result;

	run_child(panic_inside_panic, &result);
	assert_true(WIFEXITED(result.status));
	assert_int_equal(WEXITSTATUS(result.status), PANIC_EXIT_STATUS);
	assert_string_equal(result.text, "panic: boom");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_panic_prints_the_message_and_exits_with_its_status),
		cmocka_unit_test(test_panic_raised_while_printing_stops_without_recursing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
