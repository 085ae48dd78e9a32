// SPDX-License-Identifier: MIT
/* lib/file.c: whole files through the platform, on polyrun's Linux platform. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/errno.h"
#include "lib/file.h"
#include "lib/plat.h"

static char path[64];

static int make_file(void **state)
{
	int fd;

	strcpy(path, "/tmp/pv-test-file-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return 0;
}

static int remove_file(void **state)
{
	unlink(path);
	return 0;
}

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_file_read_whole_returns_every_byte(void **state)
{
	void *data;
	size_t size = 0;

	write_file("kernel image bytes");
	assert_int_equal(file_read_whole(path, &data, &size), 0);
	assert_int_equal(size, strlen("kernel image bytes"));
	assert_memory_equal(data, "kernel image bytes", size);
	plat_free(data);
}

static void test_file_read_whole_refuses_an_empty_file(void **state)
{
	void *data = path;
	size_t size = 0;

	write_file("");
	assert_int_equal(file_read_whole(path, &data, &size), -ENOEXEC);
	assert_null(data);
}

static void test_file_read_whole_passes_on_a_missing_file(void **state)
{
	void *data = path;
	size_t size = 0;

	assert_int_equal(file_read_whole("/nonexistent/pv-image", &data, &size), -ENOENT);
	assert_null(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_file_read_whole_returns_every_byte, make_file,
						remove_file),
		cmocka_unit_test_setup_teardown(test_file_read_whole_refuses_an_empty_file,
						make_file, remove_file),
		cmocka_unit_test(test_file_read_whole_passes_on_a_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
