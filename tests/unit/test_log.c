// SPDX-License-Identifier: MIT
/* lib/log and lib/console: leveled lines, and where the core's text goes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/errno.h"
#include "lib/log.h"
#include "tests/unit/console_capture.h"

static struct console_capture capture;

static int start(void **state)
{
	log_set_level(LOG_INFO);
	console_capture_start(&capture);
	return 0;
}

static int stop(void **state)
{
	console_capture_stop();
	log_set_level(LOG_INFO);
	return 0;
}

static void test_log_writes_level_prefixed_lines(void **state)
{
	log_error("disk %s: %s", "a.img", pv_strerror(-ENOENT));
	log_warn("slow");
	log_info("vm %s: %u MiB", "linux", 512u);
	assert_string_equal(capture.text, "[error] disk a.img: no such file or entry\n"
					  "[warn] slow\n"
					  "[info] vm linux: 512 MiB\n");
}

static void test_log_drops_lines_above_the_level(void **state)
{
	log_debug("hidden");
	assert_string_equal(capture.text, "");
	log_set_level(LOG_WARN);
	log_info("hidden too");
	log_warn("shown");
	assert_string_equal(capture.text, "[warn] shown\n");
	log_set_level(LOG_DEBUG);
	log_debug("now shown");
	assert_string_equal(capture.text, "[warn] shown\n[debug] now shown\n");
	assert_int_equal(log_get_level(), LOG_DEBUG);
}

static void test_log_level_names_round_trip(void **state)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	enum log_level level;
	unsigned i;

	for (i = 0; i < 4; i++) {
		assert_int_equal(log_parse_level(names[i], &level), 0);
		assert_int_equal(level, (enum log_level)i);
		assert_string_equal(log_level_name(level), names[i]);
	}
	assert_int_equal(log_parse_level("warning", &level), -EINVAL);
	assert_int_equal(log_parse_level("", &level), -EINVAL);
	assert_string_equal(log_level_name((enum log_level)9), "?");
}

static unsigned writes;

static void counting_sink(void *ctx, const char *text, size_t len)
{
	writes++;
	console_capture_sink(ctx, text, len);
}

static void test_log_sends_a_short_line_in_one_write(void **state)
{
	/* One write per line is what keeps lines from different CPUs whole. */
	console_set_sink(counting_sink, &capture);
	writes = 0;
	log_info("vm %s: %d vCPUs, engine %s", "linux", 4, "hybrid");
	assert_int_equal(writes, 1);
	assert_string_equal(capture.text, "[info] vm linux: 4 vCPUs, engine hybrid\n");
}

static void test_log_keeps_a_long_line_whole(void **state)
{
	char long_text[1001];

	memset(long_text, 'x', 1000);
	long_text[1000] = '\0';
	log_warn("%s|end", long_text);
	assert_int_equal(capture.len, strlen("[warn] ") + 1000 + strlen("|end\n"));
	assert_memory_equal(capture.text, "[warn] xxx", 10);
	assert_string_equal(capture.text + capture.len - 5, "|end\n");
}

static void test_console_without_sink_goes_to_the_platform(void **state)
{
	char text[128] = "";
	int saved_stdout = dup(STDOUT_FILENO);
	int fds[2];
	ssize_t n;

	/* polyrun's platform console is the process's standard output: catch it in a pipe. */
	console_capture_stop();
	assert_int_equal(pipe(fds), 0);
	fflush(stdout);
	assert_true(dup2(fds[1], STDOUT_FILENO) >= 0);
	log_info("to the platform");
	assert_true(dup2(saved_stdout, STDOUT_FILENO) >= 0);
	close(saved_stdout);
	close(fds[1]);
	n = read(fds[0], text, sizeof(text) - 1);
	close(fds[0]);
	assert_int_equal(n, (ssize_t)strlen("[info] to the platform\n"));
	assert_string_equal(text, "[info] to the platform\n");
	assert_string_equal(capture.text, "");
}

struct sink_record {
	char text[128];
	size_t len;
	unsigned writes;
};

static void record_sink(void *ctx, const char *text, size_t len)
{
	struct sink_record *record = ctx;

	memcpy(record->text + record->len, text, len);
	record->len += len;
	record->writes++;
}

static void test_log_sink_takes_whole_lines_instead_of_the_console(void **state)
{
	struct sink_record record = { 0 };

	log_set_sink(record_sink, &record);
	log_warn("disk %s is read-only", "b.img");
	log_set_sink(NULL, NULL);
	log_warn("back on the console");
	assert_int_equal(record.writes, 1);
	assert_memory_equal(record.text, "[warn] disk b.img is read-only\n", record.len);
	assert_string_equal(capture.text, "[warn] back on the console\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_log_writes_level_prefixed_lines, start, stop),
		cmocka_unit_test_setup_teardown(test_log_drops_lines_above_the_level, start, stop),
		cmocka_unit_test_setup_teardown(test_log_level_names_round_trip, start, stop),
		cmocka_unit_test_setup_teardown(test_log_sends_a_short_line_in_one_write, start,
						stop),
		cmocka_unit_test_setup_teardown(test_log_keeps_a_long_line_whole, start, stop),
		cmocka_unit_test_setup_teardown(
			test_log_sink_takes_whole_lines_instead_of_the_console, start, stop),
		cmocka_unit_test_setup_teardown(test_console_without_sink_goes_to_the_platform,
						start, stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
